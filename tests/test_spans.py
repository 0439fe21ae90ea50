"""Every stored fact is supported by its span: the evidence text says the count, names the state,
gives the date and the forum that the fact row claims. Runs `blocwatch run` on every gold corpus
present and on the sample corpus, then reads the facts back from the database."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from blocwatch.cli import app
from blocwatch.nlp.counts import find_counts
from blocwatch.nlp.cues import find_cues
from blocwatch.nlp.dates import find_dates
from blocwatch.nlp.states import find_states
from blocwatch.nlp.tallies import find_tallies
from tests.conftest import ROOT, SHARED


@pytest.fixture(scope="module")
def facts_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("spans") / "facts.db"
    inputs = [str(ROOT / "examples" / "corpus")]
    for sub in ("corpus/seeds", "devset", "devset2"):
        if (SHARED / sub).is_dir():
            inputs.append(str(SHARED / sub))
    result = CliRunner().invoke(app, ["run", *inputs, "--db", str(db), "-q"])
    assert result.exit_code == 0, result.output
    return db


def _rows(db: Path, sql: str) -> list[sqlite3.Row]:
    connection = sqlite3.connect(db)
    connection.row_factory = sqlite3.Row
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


@pytest.mark.slow
def test_every_span_is_the_text_it_claims(facts_db: Path) -> None:
    checks = [
        ("joint_action_reports", "sentence"),
        ("report_states", "name_as_written"),
        ("report_evidence", "text"),
    ]
    total = 0
    for table, column in checks:
        for row in _rows(
            facts_db,
            f"SELECT f.start, f.end, f.{column} AS claimed, d.text FROM {table} f "
            "JOIN documents d ON d.id = f.doc_id",
        ):
            assert row["text"][row["start"] : row["end"]] == row["claimed"]
            total += 1
    assert total > 100


@pytest.mark.slow
def test_state_spans_name_their_state(facts_db: Path) -> None:
    rows = _rows(facts_db, "SELECT iso3, name_as_written FROM report_states")
    assert len(rows) > 50
    for row in rows:
        found = {m.iso3 for m in find_states(row["name_as_written"])}
        assert row["iso3"] in found, (row["iso3"], row["name_as_written"])


@pytest.mark.slow
def test_count_date_lead_forum_evidence_supports_the_report(facts_db: Path) -> None:
    reports = _rows(
        facts_db,
        "SELECT r.id, r.count, r.date, r.lead, r.forum, d.published, d.language, d.text "
        "FROM joint_action_reports r JOIN documents d ON d.id = r.doc_id",
    )
    assert len(reports) > 20
    for report in reports:
        evidence: dict[str, list[str]] = {}
        for row in _rows(
            facts_db, f"SELECT field, text FROM report_evidence WHERE report_id = '{report['id']}'"
        ):
            evidence.setdefault(row["field"], []).append(row["text"])
        language = report["language"]
        if report["count"] is not None:
            values = [
                c.value
                for text in evidence.get("count", [])
                for c in find_counts(text, language)
                if c.value is not None
            ]
            values += [
                t.yes for text in evidence.get("count", []) for t in find_tallies(text, language)
            ]
            values += [
                int(t) for text in evidence.get("count", []) if text.isdigit() for t in [text]
            ]
            assert report["count"] in values or report["count"] == sum(values), (
                report["id"],
                report["count"],
                evidence.get("count"),
            )
        if report["date"] is not None:
            # A date may need its sentence ("In July" after a dated dateline): resolve it where it
            # stands in the document and check that the evidence is that mention.
            anchor = date.fromisoformat(report["published"]) if report["published"] else None
            spans = {text for text in evidence.get("date", [])}
            resolved = {
                d.value
                for d in find_dates(report["text"], anchor, language)
                if any(text in d.text or d.text in text for text in spans)
            }
            assert report["date"] in resolved, (report["id"], report["date"], spans)
        if report["lead"] is not None:
            named = {m.iso3 for text in evidence.get("lead", []) for m in find_states(text)}
            assert report["lead"] in named, (report["id"], report["lead"], evidence.get("lead"))
        if report["forum"] is not None:
            forums = {
                c.value for text in evidence.get("forum", []) for c in find_cues(text, "forum")
            }
            assert report["forum"] in forums, (report["id"], report["forum"], evidence.get("forum"))
