"""replace_document_facts: facts of a document are replaced, never duplicated; spans are checked."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlite_utils

from blocwatch.errors import RejectReason
from blocwatch.model import Reject
from blocwatch.store import (
    FACT_TABLES,
    fact_id,
    integrity_problems,
    open_store,
    replace_document_facts,
    span_problems,
    table_counts,
    write_batch,
)

from .helpers import dump, entry, make_article

TEXT = (
    'GENEVA - Thirty-seven states signed a letter on Friday. "It is fair," said Envoy Lin. '
    "Critics called the sites internment camps and said one million were held."
)


def at(phrase: str) -> dict[str, int]:
    start = TEXT.index(phrase)
    return {"start": start, "end": start + len(phrase)}


def facts(doc_id: str) -> dict[str, list[dict[str, Any]]]:
    report = fact_id(doc_id, "joint_action_reports", 0)
    speaker = fact_id(doc_id, "speakers", 0)
    return {
        "joint_action_reports": [
            {
                "ordinal": 0,
                "kind": "letter",
                "count": 37,
                "count_qualifier": "exact",
                "date": "2019-07-12",
                **at("Thirty-seven states signed a letter on Friday."),
            },
            {
                "ordinal": 1,
                "kind": "letter",
                "count": 37,
                "update_of": report,
                **at("Thirty-seven states signed a letter"),
            },
        ],
        "report_states": [],
        "report_evidence": [
            {"report_id": report, "field": "count", "text": "Thirty-seven", **at("Thirty-seven")},
            {"report_id": report, "field": "date", **at("on Friday")},
        ],
        "speakers": [{"name": "Envoy Lin", "quoted": True, **at("Envoy Lin")}],
        "quotes": [
            {
                "speaker_id": speaker,
                "kind": "direct",
                **at("It is fair,"),
                "attribution_start": TEXT.index("said Envoy"),
                "attribution_end": TEXT.index("said Envoy") + len("said Envoy Lin"),
            }
        ],
        "frame_uses": [{"frame": "detention", "voice": "narration", **at("internment camps")}],
        "claims": [
            {
                "value": 1e6,
                "value_text": "one million",
                "what": "people held",
                **at("Critics called the sites internment camps and said one million were held."),
            }
        ],
    }


@pytest.fixture
def db(tmp_path: Path) -> Iterator[sqlite_utils.Database]:
    database = open_store(tmp_path / "x.db")
    write_batch(database, [entry(make_article("in/a.txt", TEXT))], [], [])
    yield database
    database.close()


@pytest.fixture
def doc_id(db: sqlite_utils.Database) -> str:
    return str(next(db.query("SELECT id FROM documents"))["id"])


def test_facts_are_written_with_derived_ids_and_span_text(
    db: sqlite_utils.Database, doc_id: str
) -> None:
    written = replace_document_facts(db, doc_id, facts(doc_id))
    assert written["joint_action_reports"] == 2 and written["claims"] == 1
    evidence = db["report_evidence"].get(f"{doc_id}:re1")
    assert evidence["text"] == "on Friday"
    assert db["joint_action_reports"].get(f"{doc_id}:r1")["update_of"] == f"{doc_id}:r0"
    assert db["speakers"].get(f"{doc_id}:p0")["quoted"] == 1
    assert span_problems(db) == [] and integrity_problems(db) == []
    hits = list(db["quotes"].search("fair"))
    assert [hit["id"] for hit in hits] == [f"{doc_id}:q0"]


def test_re_extraction_replaces_instead_of_duplicating(
    db: sqlite_utils.Database, doc_id: str
) -> None:
    replace_document_facts(db, doc_id, facts(doc_id))
    once = dump(db.conn)
    replace_document_facts(db, doc_id, facts(doc_id))
    assert dump(db.conn) == once
    replace_document_facts(db, doc_id, {"speakers": facts(doc_id)["speakers"]})
    counts = table_counts(db)
    assert [counts[t] for t in FACT_TABLES] == [0, 0, 0, 1, 0, 0, 0]


@pytest.mark.parametrize(
    ("table", "change", "message"),
    [
        ("joint_action_reports", {"sentence": "Forty states"}, "is not the text at"),
        ("joint_action_reports", {"end": len(TEXT) + 1}, "is not inside"),
        ("joint_action_reports", {"start": -1}, "is not inside"),
        ("joint_action_reports", {"colour": "red"}, "unknown columns"),
        ("joint_action_reports", {"doc_id": "other"}, "doc_id"),
        ("report_evidence", {"report_id": "other:r0"}, "not a fact of this document"),
        ("quotes", {"attribution_end": None}, "is not inside"),
    ],
)
def test_a_bad_fact_writes_nothing(
    db: sqlite_utils.Database, doc_id: str, table: str, change: dict[str, Any], message: str
) -> None:
    replace_document_facts(db, doc_id, facts(doc_id))
    before = dump(db.conn)
    bad = facts(doc_id)
    bad[table][0] = {**bad[table][0], **change}
    with pytest.raises(ValueError, match=message):
        replace_document_facts(db, doc_id, bad)
    assert dump(db.conn) == before


def test_a_dangling_reference_fails_at_commit_and_writes_nothing(
    db: sqlite_utils.Database, doc_id: str
) -> None:
    bad = facts(doc_id)
    bad["quotes"][0]["speaker_id"] = f"{doc_id}:p7"
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        replace_document_facts(db, doc_id, bad)
    assert table_counts(db)["joint_action_reports"] == 0
    assert not db.conn.in_transaction


def test_unknown_document_and_table_are_refused(db: sqlite_utils.Database, doc_id: str) -> None:
    with pytest.raises(ValueError, match="no document"):
        replace_document_facts(db, "nope", {})
    with pytest.raises(ValueError, match="unknown fact tables"):
        replace_document_facts(db, doc_id, {"opinions": []})


def test_facts_go_when_their_document_goes(db: sqlite_utils.Database, doc_id: str) -> None:
    replace_document_facts(db, doc_id, facts(doc_id))
    write_batch(db, [], [], [Reject("in/a.txt", RejectReason.EMPTY, "now empty")])
    assert all(table_counts(db)[t] == 0 for t in FACT_TABLES)
    assert integrity_problems(db) == []


def test_span_problems_reports_a_hand_edit(db: sqlite_utils.Database, doc_id: str) -> None:
    replace_document_facts(db, doc_id, facts(doc_id))
    db.execute("UPDATE claims SET sentence = 'edited'")
    assert len(span_problems(db)) == 1
    assert integrity_problems(db) == [f"span: {span_problems(db)[0]}"]
