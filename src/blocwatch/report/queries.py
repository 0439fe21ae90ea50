"""Everything the report shows, read from the store in a few ordered queries.

The report reads only the database (the fact tables and the reconciled tables), never the
pipeline, so a report can be rebuilt from any copy of a store. Every query is ordered so that the
same database renders to the same bytes. JSON columns written by `reconcile` are parsed here,
defensively: a hand-edited value becomes an empty list and a logged warning, never a crash.
"""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from blocwatch.store.schema import FACT_TABLES

log = logging.getLogger(__name__)

Row = dict[str, Any]


@dataclass(frozen=True)
class Cited:
    """One source of a reconciled fact: which report of which document said which value."""

    report_id: str
    doc_id: str
    outlet: str
    published: str
    value: str
    start: int | None
    end: int | None


@dataclass(frozen=True)
class StateRow:
    """A state's position on one action (action_states), with the sources that name it so."""

    iso3: str
    position: str
    reports: int
    documents: int
    sources: tuple[Cited, ...]


@dataclass(frozen=True)
class ContradictionRow:
    id: str
    kind: str
    action_key: str
    other_action_key: str | None
    subject: str
    summary: str
    side_a: tuple[Cited, ...]
    side_b: tuple[Cited, ...]


@dataclass(frozen=True)
class CheckRow:
    id: str
    reference_key: str
    action_key: str | None
    field: str
    reference_value: str | None
    reported_value: str | None
    verdict: str
    sources: tuple[Cited, ...]


def _int_or_none(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def parse_sources(text: str | None, where: str) -> tuple[Cited, ...]:
    """The JSON list of sources of one reconciled row; malformed entries are skipped."""
    if not text:
        return ()
    try:
        items: Any = json.loads(text)
    except json.JSONDecodeError:
        log.warning("%s: sources are not JSON; shown without sources", where)
        return ()
    if not isinstance(items, list):
        log.warning("%s: sources are not a JSON list; shown without sources", where)
        return ()
    cited = []
    for item in items:
        if not isinstance(item, dict) or not item.get("report_id") or not item.get("doc_id"):
            continue
        cited.append(
            Cited(
                report_id=str(item["report_id"]),
                doc_id=str(item["doc_id"]),
                outlet=str(item.get("outlet") or ""),
                published=str(item.get("published") or ""),
                value="" if item.get("value") is None else str(item["value"]),
                start=_int_or_none(item.get("start")),
                end=_int_or_none(item.get("end")),
            )
        )
    return tuple(cited)


def as_list(text: str | None) -> list[str]:
    """A list-valued text column: a JSON list or comma-separated values (both are in use)."""
    if not text:
        return []
    stripped = text.strip()
    if stripped.startswith("["):
        try:
            items: Any = json.loads(stripped)
        except json.JSONDecodeError:
            items = None
        if isinstance(items, list):
            return [str(item) for item in items if item is not None and str(item).strip()]
    return [part.strip() for part in stripped.split(",") if part.strip()]


# Documents the report shows: those holding any fact (a report, a speaker, a quote, a frame, a
# claim). In a crawl most documents hold none (the prefilter skipped them, or nothing was found);
# a page for each would bury the evidence (a 100,000-document store gave 100,000 pages).
_WITH_FACTS = " UNION ".join(f"SELECT doc_id FROM {table}" for table in FACT_TABLES)


def documents(db: sqlite_utils.Database) -> list[Row]:
    """Every stored document that holds a fact, without its text, by date, outlet, id."""
    sql = (
        "SELECT id, source, url, title, outlet, published, language, char_count, word_count "
        f"FROM documents WHERE id IN ({_WITH_FACTS}) "
        "ORDER BY COALESCE(published, ''), COALESCE(outlet, ''), id"
    )
    return list(db.query(sql))


def outlet_documents(db: sqlite_utils.Database) -> dict[str, int]:
    """Documents per outlet ("" when unknown), all of them, facts or not."""
    sql = "SELECT COALESCE(outlet, '') AS outlet, count(*) AS n FROM documents GROUP BY 1"
    return {str(row["outlet"]): int(row["n"]) for row in db.query(sql)}


def duplicates(db: sqlite_utils.Database) -> list[Row]:
    """Copies of the documents the report shows."""
    sql = (
        "SELECT source, duplicate_of, method, similarity, url, title, outlet, published "
        f"FROM duplicates WHERE duplicate_of IN ({_WITH_FACTS}) ORDER BY duplicate_of, source"
    )
    return list(db.query(sql))


def document_text(db: sqlite_utils.Database, doc_id: str) -> str:
    row = db.execute("SELECT text FROM documents WHERE id = ?", [doc_id]).fetchone()
    return str(row[0]) if row else ""


# The spans highlighted on a document page: (kind, table, label columns). Every table's start/end
# are offsets into documents.text (docs/schema.md).
_SPAN_SQL = {
    "report": 'SELECT id, start, "end", kind AS label FROM joint_action_reports WHERE doc_id = ?',
    "state": "SELECT report_id AS id, start, \"end\", iso3 || ' ' || role AS label "
    "FROM report_states WHERE doc_id = ?",
    "evidence": 'SELECT report_id AS id, start, "end", field AS label '
    "FROM report_evidence WHERE doc_id = ? AND field != 'action'",
    "quote": "SELECT id, start, \"end\", kind || ' quote' AS label FROM quotes WHERE doc_id = ?",
    "speaker": 'SELECT id, start, "end", name AS label FROM speakers WHERE doc_id = ?',
    "frame": "SELECT id, start, \"end\", frame || ' (' || voice || ')' AS label "
    "FROM frame_uses WHERE doc_id = ?",
    "claim": 'SELECT id, start, "end", value_text AS label FROM claims WHERE doc_id = ?',
}


def document_spans(db: sqlite_utils.Database, doc_id: str) -> list[tuple[str, Row]]:
    """Every evidence span of one document as (kind, row with id/start/end/label)."""
    spans = []
    for kind, sql in _SPAN_SQL.items():
        for row in db.query(sql + ' ORDER BY start, "end", id', [doc_id]):
            spans.append((kind, row))
    return spans


def document_reports(db: sqlite_utils.Database, doc_id: str) -> list[Row]:
    """The joint-action reports of one document, with the action each was grouped into."""
    sql = (
        "SELECT r.id, r.kind, r.stance, r.target, r.count, r.count_qualifier, r.date, "
        "r.sentence, ar.action_key FROM joint_action_reports r "
        "LEFT JOIN action_reports ar ON ar.report_id = r.id WHERE r.doc_id = ? "
        "ORDER BY r.ordinal, r.id"
    )
    return list(db.query(sql, [doc_id]))


def actions(db: sqlite_utils.Database) -> list[Row]:
    """Canonical actions by first date (undated last), then key."""
    sql = "SELECT * FROM actions ORDER BY first_date IS NULL, first_date, key"
    return list(db.query(sql))


def action_reports(db: sqlite_utils.Database) -> dict[str, list[Row]]:
    """The reports of each action with their document's outlet, date and title."""
    sql = (
        "SELECT ar.action_key, ar.joined_by, r.id AS report_id, r.doc_id, r.kind, r.forum, "
        'r.date, r.stance, r.count, r.count_qualifier, r.lead, r.start, r."end", r.sentence, '
        "d.outlet, d.published, d.title FROM action_reports ar "
        "JOIN joint_action_reports r ON r.id = ar.report_id JOIN documents d ON d.id = r.doc_id "
        "ORDER BY ar.action_key, COALESCE(d.published, ''), r.doc_id, r.ordinal, r.id"
    )
    grouped: dict[str, list[Row]] = defaultdict(list)
    for row in db.query(sql):
        grouped[row["action_key"]].append(row)
    return dict(grouped)


def action_states(db: sqlite_utils.Database) -> dict[str, list[StateRow]]:
    sql = (
        "SELECT action_key, iso3, position, reports, documents, sources FROM action_states "
        "ORDER BY action_key, iso3, position"
    )
    grouped: dict[str, list[StateRow]] = defaultdict(list)
    for row in db.query(sql):
        where = f"action_states {row['action_key']}/{row['iso3']}"
        grouped[row["action_key"]].append(
            StateRow(
                iso3=row["iso3"],
                position=row["position"],
                reports=row["reports"],
                documents=row["documents"],
                sources=parse_sources(row["sources"], where),
            )
        )
    return dict(grouped)


def contradictions(db: sqlite_utils.Database) -> list[ContradictionRow]:
    sql = "SELECT * FROM contradictions ORDER BY action_key, kind, subject, id"
    return [
        ContradictionRow(
            id=row["id"],
            kind=row["kind"],
            action_key=row["action_key"],
            other_action_key=row["other_action_key"],
            subject=row["subject"],
            summary=row["summary"],
            side_a=parse_sources(row["side_a"], f"contradiction {row['id']}"),
            side_b=parse_sources(row["side_b"], f"contradiction {row['id']}"),
        )
        for row in db.query(sql)
    ]


def timeline(db: sqlite_utils.Database) -> dict[str, list[Row]]:
    """The count timeline of each action (the action_timeline view), oldest first."""
    sql = (
        "SELECT * FROM action_timeline ORDER BY action_key, COALESCE(\"when\", ''), "
        "count, report_id"
    )
    grouped: dict[str, list[Row]] = defaultdict(list)
    for row in db.query(sql):
        grouped[row["action_key"]].append(row)
    return dict(grouped)


def reference_checks(db: sqlite_utils.Database) -> list[CheckRow]:
    sql = "SELECT * FROM reference_checks ORDER BY reference_key, field, id"
    return [
        CheckRow(
            id=row["id"],
            reference_key=row["reference_key"],
            action_key=row["action_key"],
            field=row["field"],
            reference_value=row["reference_value"],
            reported_value=row["reported_value"],
            verdict=row["verdict"],
            sources=parse_sources(row["sources"], f"reference check {row['id']}"),
        )
        for row in db.query(sql)
    ]


def frame_uses(db: sqlite_utils.Database) -> list[Row]:
    """Framing terms per outlet, frame and voice (counts)."""
    sql = (
        "SELECT COALESCE(d.outlet, '') AS outlet, f.frame, f.voice, COUNT(*) AS n, "
        "json_group_array(DISTINCT f.term) AS terms FROM frame_uses f "
        "JOIN documents d ON d.id = f.doc_id GROUP BY 1, 2, 3 ORDER BY 1, 2, 3"
    )
    return list(db.query(sql))


def quotes(db: sqlite_utils.Database) -> list[Row]:
    """Every quote with its speaker (when attributed) and its document's outlet and date."""
    sql = (
        'SELECT q.id, q.doc_id, q.kind, q.start, q."end", q.text, q.speaker_id, s.name, '
        "s.role, s.affiliation, s.kind AS speaker_kind, COALESCE(d.outlet, '') AS outlet, "
        "d.published FROM quotes q JOIN documents d ON d.id = q.doc_id "
        "LEFT JOIN speakers s ON s.id = q.speaker_id "
        "ORDER BY COALESCE(d.published, ''), q.doc_id, q.start, q.id"
    )
    return list(db.query(sql))


def speakers(db: sqlite_utils.Database) -> list[Row]:
    sql = (
        "SELECT s.id, s.doc_id, s.name, s.role, s.affiliation, s.posting, s.kind, s.quoted, "
        "s.start, s.\"end\", COALESCE(d.outlet, '') AS outlet, d.published "
        "FROM speakers s JOIN documents d ON d.id = s.doc_id ORDER BY s.doc_id, s.start, s.id"
    )
    return list(db.query(sql))


def table_counts(db: sqlite_utils.Database) -> dict[str, int]:
    """Row counts of the tables the overview summarises."""
    names = ("documents", "duplicates", "joint_action_reports", "quotes", "speakers")
    return {name: int(db.execute(f"SELECT COUNT(*) FROM {name}").fetchone()[0]) for name in names}
