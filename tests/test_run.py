"""End to end through the CLI: real inputs, bad inputs, re-runs and a killed run."""

from __future__ import annotations

import gzip
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from blocwatch.cli import app
from tests.conftest import data_dump

runner = CliRunner()


def _count(db: Path, table: str) -> int:
    connection = sqlite3.connect(db)
    try:
        return int(connection.execute(f'select count(*) from "{table}"').fetchone()[0])
    finally:
        connection.close()


def _rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    connection = sqlite3.connect(db)
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


def test_seeds_and_devset_become_22_documents(shared: Path, tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    result = runner.invoke(
        app,
        ["run", str(shared / "corpus" / "seeds"), str(shared / "devset"), "--db", str(db), "-q"],
    )
    assert result.exit_code == 0, result.output
    assert (_count(db, "documents"), _count(db, "duplicates"), _count(db, "rejects")) == (22, 0, 0)
    found = dict(
        ((external_id, (outlet, published)))
        for external_id, outlet, published in _rows(
            db, "select external_id, outlet, published from documents"
        )
    )
    gold_dirs = [shared / "devset", shared / "eval" / "seeds_gold"]
    checked = 0
    for gold_dir in gold_dirs:
        for gold_file in sorted(gold_dir.glob("*.json")):
            gold = json.loads(gold_file.read_text())
            outlet, published = found[gold["id"]]
            if gold.get("published"):
                assert published == gold["published"], gold["id"]
                checked += 1
            if gold.get("outlet"):
                assert outlet, f"{gold['id']}: no outlet found, gold has {gold['outlet']!r}"
                checked += 1
    assert checked >= 25


def test_rerun_changes_no_data_row(shared: Path, tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    args = ["ingest", str(shared / "corpus" / "seeds"), str(shared / "devset2"), "--db", str(db)]
    assert runner.invoke(app, [*args, "-q"]).exit_code == 0
    first = data_dump(db)
    second_run = runner.invoke(app, [*args, "-q"])
    assert second_run.exit_code == 0
    assert "0 new" in second_run.output
    assert data_dump(db) == first
    assert _count(db, "runs") == 2


def _bad_corpus(root: Path) -> dict[str, int]:
    """One file per hostile case; returns how many items each path must yield."""
    root.mkdir()
    (root / "empty.txt").write_bytes(b"")
    (root / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 64)
    (root / "latin1.txt").write_bytes(
        "Genève, le 12 juillet : 37 États ont signé une lettre commune.\n".encode("latin-1")
    )
    (root / "broken-utf8.txt").write_bytes(
        b"Geneva statement \xff\xfe\xfa on the council vote was read by the envoy.\n" * 3
    )
    big = root / "big.txt"
    with big.open("wb") as handle:
        handle.write(b"A very long report. ")
        handle.truncate(50 * 1024 * 1024)
    lines = [
        json.dumps({"id": "good-1", "text": "Thirty states signed a joint letter on Tuesday."}),
        "{not json",
        json.dumps({"id": "no-text"}),
        json.dumps(
            {"id": "good-2", "text": "The council adopted the resolution by 25 votes to 6."}
        ),
    ]
    (root / "mixed.jsonl").write_text("\n".join(lines) + "\n")
    payload = gzip.compress(("\n".join(lines[:1] * 50) + "\n").encode())
    (root / "truncated.jsonl.gz").write_bytes(payload[: len(payload) // 2])
    (root / "deep.json").write_text("[" * 100_000 + "]" * 100_000)
    (root / "bomb.rss").write_text(
        '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><rss><channel><item>'
        "<title>&b;</title><description>&b;</description></item></channel></rss>"
    )
    return {}


def test_bad_inputs_lose_nothing_and_crash_nothing(tmp_path: Path) -> None:
    corpus = tmp_path / "bad"
    _bad_corpus(corpus)
    db = tmp_path / "bad.db"
    missing = str(tmp_path / "does-not-exist.txt")
    result = runner.invoke(app, ["ingest", str(corpus), missing, "--db", str(db), "-q"])
    assert result.exit_code == 0, result.output
    docs = {row[0] for row in _rows(db, "select source from documents")}
    rejects = dict(_rows(db, "select source, reason from rejects"))
    assert any(s.endswith("latin1.txt") for s in docs)
    latin = _rows(db, "select text from documents where source like '%latin1.txt'")[0][0]
    assert "Genève" in str(latin)
    assert {s for s in docs if "mixed.jsonl" in s} == {f"{corpus}/mixed.jsonl:{n}" for n in (1, 4)}
    expected_reasons = {
        f"{corpus}/empty.txt": "empty",
        f"{corpus}/binary.txt": "binary",
        f"{corpus}/big.txt": "too_large",
        f"{corpus}/mixed.jsonl:2": "malformed_json",
        f"{corpus}/mixed.jsonl:3": "missing_text",
        f"{corpus}/deep.json": "too_deep",
        f"{corpus}/bomb.rss": "malformed_xml",
        missing: "unreadable",
    }
    for source, reason in expected_reasons.items():
        assert rejects.get(source) == reason, (source, rejects.get(source))
    assert any("truncated.jsonl.gz" in s and r == "truncated" for s, r in rejects.items()), rejects
    # broken UTF-8 is either decoded by detection or rejected with a reason: never lost
    assert any("broken-utf8" in s for s in docs | set(rejects))


def test_nothing_readable_exits_1(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["ingest", str(tmp_path / "nope.txt"), "--db", str(tmp_path / "x.db"), "-q"]
    )
    assert result.exit_code == 1
    assert "nothing could be read" in result.output


def test_stdin_jsonl(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    line = json.dumps({"id": "s1", "text": "Belarus spoke for 54 states at the committee."})
    result = runner.invoke(app, ["ingest", "-", "--db", str(db), "-q"], input=line + "\n")
    assert result.exit_code == 0, result.output
    assert _rows(db, "select source, external_id from documents") == [("<stdin>:1", "s1")]


def test_stats_json_counts(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    line = json.dumps({"id": "s1", "text": "Belarus spoke for 54 states at the committee."})
    runner.invoke(app, ["ingest", "-", "--db", str(db), "-q"], input=line + "\n")
    result = runner.invoke(app, ["stats", "--db", str(db), "--json"])
    assert result.exit_code == 0, result.output
    assert '"documents": 1' in result.output.replace("\n", " ").replace("  ", " ") or (
        "documents" in result.output
    )
    missing = runner.invoke(app, ["stats", "--db", str(tmp_path / "none.db")])
    assert missing.exit_code == 1


def _big_jsonl(path: Path, n: int) -> None:
    words = ("council envoy letter statement vote states rights session delegation policy").split()
    with path.open("w") as handle:
        for i in range(n):
            body = " ".join(words[(i * 7 + j * (i % 5 + 1)) % len(words)] for j in range(120))
            text = f"Report number {i} on item {i * 7919 % 10007}. {body} Closing line {i}."
            handle.write(json.dumps({"id": f"doc-{i}", "text": text}) + "\n")


@pytest.mark.slow
def test_killed_run_rerun_equals_uninterrupted_run(tmp_path: Path) -> None:
    corpus = tmp_path / "big.jsonl"
    _big_jsonl(corpus, 3000)
    blocwatch = [
        sys.executable,
        "-m",
        "blocwatch",
        "ingest",
        str(corpus),
        "--batch-size",
        "25",
        "-q",
    ]
    killed_db, clean_db = tmp_path / "killed.db", tmp_path / "clean.db"
    child = subprocess.Popen([*blocwatch, "--db", str(killed_db)], stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and child.poll() is None:
        if killed_db.exists() and _safe_count(killed_db) >= 100:
            break
        time.sleep(0.05)
    assert child.poll() is None, (
        "the run finished before it could be killed: make the corpus bigger"
    )
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    stored_at_kill = _safe_count(killed_db)
    assert 0 < stored_at_kill < 3000
    subprocess.run([*blocwatch, "--db", str(killed_db)], check=True, stdout=subprocess.DEVNULL)
    subprocess.run([*blocwatch, "--db", str(clean_db)], check=True, stdout=subprocess.DEVNULL)
    assert _rows(killed_db, "pragma integrity_check") == [("ok",)]
    assert data_dump(killed_db) == data_dump(clean_db)


def _safe_count(db: Path) -> int:
    try:
        return _count(db, "documents")
    except sqlite3.OperationalError:  # tables not created yet, or the DB is locked for a moment
        return 0


@pytest.mark.slow
def test_a_document_too_long_for_the_model_is_marked_failed_and_the_run_goes_on(
    tmp_path: Path,
) -> None:
    words = "The council met again on the question of the envoy's letter. "
    huge = words * (1_100_000 // len(words) + 1)
    small = (
        "Cuba, on behalf of 37 countries, delivered a joint statement at the Human Rights Council."
    )
    source = tmp_path / "in.jsonl"
    source.write_text(
        json.dumps({"id": "huge", "text": huge})
        + "\n"
        + json.dumps({"id": "s", "text": small})
        + "\n"
    )
    db = tmp_path / "x.db"
    result = runner.invoke(app, ["run", str(source), "--db", str(db), "-q"])
    assert result.exit_code == 0, result.output
    assert "1 failed" in result.output
    outcomes = dict(
        _rows(
            db,
            "select d.external_id, e.extractor from extractions e "
            "join documents d on d.id = e.doc_id",
        )
    )
    assert str(outcomes["huge"]).endswith(":failed")
    assert not str(outcomes["s"]).endswith(":failed")
    assert _count(db, "joint_action_reports") == 1


@pytest.mark.slow
def test_run_reconciles_writes_the_report_and_a_rerun_changes_no_row(tmp_path: Path) -> None:
    corpus = Path(__file__).resolve().parents[1] / "examples" / "corpus"
    db, report = tmp_path / "demo.db", tmp_path / "report"
    args = ["run", str(corpus), "--db", str(db), "-q"]
    first = runner.invoke(app, [*args, "--report", str(report)])
    assert first.exit_code == 0, first.output
    assert "reconciled" in first.output and (report / "index.html").is_file()
    assert _count(db, "actions") > 0 and _count(db, "action_states") > 0
    assert _count(db, "action_reports") == _count(db, "joint_action_reports")
    dump = data_dump(db)
    assert any(line.startswith("actions: ") for line in dump)
    again = runner.invoke(app, args)
    assert again.exit_code == 0, again.output
    assert data_dump(db) == dump
