"""`blocwatch extract --json-dir`: one gold-schema file per article, named by its id."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from blocwatch.cli import app

ROOT = Path(__file__).resolve().parents[1]
SCHEMA_KEYS = {"id", "url", "outlet", "published", "language", "text", "joint_actions", "speakers"}
ACTION_KEYS = {
    "kind", "forum", "date", "stance", "target", "issue", "count", "count_qualifier", "lead",
    "signatories_named", "evidence",
}  # fmt: skip


def test_extract_writes_one_gold_schema_file_per_article(tmp_path: Path) -> None:
    lines = [
        {
            "id": "../../escape attempt",
            "text": "GENEVA, July 12 (Wire) -- Cuba, on behalf of 37 countries, on Friday "
            "delivered a joint statement at the Human Rights Council supporting China's policy "
            "in Xinjiang.",
            "published": "2019-07-12",
        },
        {"id": "plain-id", "text": "Nothing about the United Nations happened here today."},
    ]
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join(json.dumps(line) for line in lines) + "\n")
    out = tmp_path / "json"
    result = CliRunner().invoke(app, ["extract", str(source), "--json-dir", str(out)])
    assert result.exit_code == 0, result.output
    files = sorted(p.name for p in out.iterdir())
    assert len(files) == 2
    assert all("/" not in name and not name.startswith(".") for name in files)
    assert "plain-id.json" in files
    assert not (tmp_path.parent / "escape attempt.json").exists()
    by_id = {
        json.loads((out / f).read_text())["id"]: json.loads((out / f).read_text()) for f in files
    }
    statement = by_id["../../escape attempt"]
    assert set(statement) >= SCHEMA_KEYS
    [action] = statement["joint_actions"]
    assert set(action) >= ACTION_KEYS
    assert (action["kind"], action["count"], action["lead"], action["stance"]) == (
        "joint_statement", 37, "CUB", "support",
    )  # fmt: skip
    assert (action["forum"], action["date"], action["target"]) == ("UNHRC", "2019-07-12", "CHN")
    assert all(e in statement["text"] for e in action["evidence"])
    assert by_id["plain-id"]["joint_actions"] == []


def test_extract_on_sample_corpus_names_files_by_stem(tmp_path: Path) -> None:
    corpus = ROOT / "examples" / "corpus"
    result = CliRunner().invoke(app, ["extract", str(corpus), "--json-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    names = {p.stem for p in tmp_path.iterdir()}
    assert {p.stem for p in corpus.glob("*.txt")} <= names
