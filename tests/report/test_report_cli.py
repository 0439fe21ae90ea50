"""`blocwatch report --db F --out DIR`: writes the report, prints its index, fails cleanly."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from blocwatch.cli import app


def test_report_command_writes_the_folder(store_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    result = CliRunner().invoke(app, ["report", "--db", str(store_path), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "index.html" in result.output
    assert (out / "index.html").is_file() and len(list((out / "actions").glob("*.html"))) == 3


def test_report_command_refuses_a_missing_database(tmp_path: Path) -> None:
    missing = tmp_path / "missing.db"
    result = CliRunner().invoke(app, ["report", "--db", str(missing), "--out", str(tmp_path / "r")])
    assert result.exit_code == 1
    assert "no database" in result.output
    assert not missing.exists()


def test_report_command_refuses_a_foreign_folder(store_path: Path, tmp_path: Path) -> None:
    folder = tmp_path / "home"
    folder.mkdir()
    (folder / "thesis.tex").write_text("mine")
    result = CliRunner().invoke(app, ["report", "--db", str(store_path), "--out", str(folder)])
    assert result.exit_code == 1
    assert "not a blocwatch report folder" in " ".join(result.output.split())
    assert (folder / "thesis.tex").read_text() == "mine"
