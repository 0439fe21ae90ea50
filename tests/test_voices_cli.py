"""`blocwatch frames` and `blocwatch people` on the seeds: framing per outlet and name variants."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from blocwatch.cli import app

runner = CliRunner()


@pytest.fixture(scope="module")
def seeds_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.conftest import SHARED

    if not (SHARED / "corpus" / "seeds").is_dir():
        pytest.skip("../shared is not present")
    db = tmp_path_factory.mktemp("voices") / "seeds.db"
    result = runner.invoke(app, ["run", str(SHARED / "corpus" / "seeds"), "--db", str(db), "-q"])
    assert result.exit_code == 0, result.output
    return db


@pytest.mark.slow
def test_people_merges_the_spokesperson_spellings(seeds_db: Path) -> None:
    result = runner.invoke(app, ["people", "--db", str(seeds_db)], env={"COLUMNS": "300"})
    assert result.exit_code == 0, result.output
    line = next(row for row in result.output.splitlines() if "Yan Shuang" in row)
    assert "Geng Shuang" in line and "syllable" in line
    assert "Zhang Jun" in result.output and "Chen Xu" in result.output


@pytest.mark.slow
def test_frames_shows_narration_and_quotes_per_outlet(seeds_db: Path) -> None:
    result = runner.invoke(app, ["frames", "--db", str(seeds_db)], env={"COLUMNS": "300"})
    assert result.exit_code == 0, result.output
    rows = [row for row in result.output.splitlines() if "│" in row]
    xinhua = [row for row in rows if "Xinhua" in row]
    assert any("official" in row and "narration" in row for row in xinhua)
    assert not any("critical" in row and "narration" in row for row in xinhua)


def test_frames_without_a_database_exits_1(tmp_path: Path) -> None:
    result = runner.invoke(app, ["frames", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 1


@pytest.mark.slow
def test_actions_groups_the_reports_of_one_letter(tmp_path: Path) -> None:
    from tests.conftest import SHARED

    if not (SHARED / "devset").is_dir():
        pytest.skip("../shared is not present")
    db = tmp_path / "sd.db"
    inputs = [str(SHARED / "corpus" / "seeds"), str(SHARED / "devset")]
    assert runner.invoke(app, ["run", *inputs, "--db", str(db), "-q"]).exit_code == 0
    result = runner.invoke(app, ["actions", "--db", str(db)], env={"COLUMNS": "300"})
    assert result.exit_code == 0, result.output
    letter = [row for row in result.output.splitlines() if "2019-07-12-UNHRC-support" in row]
    assert len(letter) == 1
    assert "37" in letter[0] and "50" in letter[0]
    assert sum("2019-07-08-UNHRC-criticize" in row for row in result.output.splitlines()) == 1
