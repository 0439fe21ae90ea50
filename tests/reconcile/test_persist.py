"""reconcile/persist.py: the m002 tables written as a whole, deterministically, or not at all."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import sqlite_utils

from blocwatch.reconcile.actions import CanonicalAction, ReportRow
from blocwatch.reconcile.persist import (
    COLUMNS,
    DELETE_ORDER,
    StoredReference,
    action_label,
    action_summaries,
    read_reference,
    readable_date,
    replace_reconciled,
    write_reconciled,
)
from blocwatch.reconcile.records import (
    Alignment,
    Contradiction,
    Cosignature,
    Reconciled,
    ReferenceCheck,
    ReferenceEntry,
    SourceRef,
    StatePosition,
)
from blocwatch.store import data_dump, open_store, replace_document_facts, write_batch
from blocwatch.store.schema import RECONCILED_TABLES, REFERENCE_TABLES
from tests.store.helpers import entry, make_article

# Our own sample sentences (never news text).
TEXT_A = "Thirty-seven states signed a letter on Friday in support of the policy."
TEXT_B = "By July 26, fifty states had signed the letter. Twenty-two states signed a rival letter."
LETTER = "2019-07-12-UNHRC-support-CHN-letter"
RIVAL = "2019-07-08-UNHRC-criticize-CHN-letter"


def _report(text: str, sentence: str, ordinal: int, count: int, date: str) -> dict[str, Any]:
    start = text.index(sentence)
    return {
        "ordinal": ordinal,
        "kind": "letter",
        "count": count,
        "date": date,
        "start": start,
        "end": start + len(sentence),
    }


def make_store(path: Path) -> sqlite_utils.Database:
    """Two documents with three reports: 37 (doc A), 50 and a rival 22 (doc B)."""
    database = open_store(path)
    a = make_article("in/a.txt", TEXT_A, outlet="Outlet A", published="2019-07-13")
    b = make_article("in/b.txt", TEXT_B, outlet="Outlet B", published="2019-07-27")
    write_batch(database, [entry(a), entry(b)], [], [])
    replace_document_facts(
        database,
        a.id,
        {"joint_action_reports": [_report(TEXT_A, TEXT_A, 0, 37, "2019-07-12")]},
    )
    first, second = TEXT_B.split(". ")
    replace_document_facts(
        database,
        b.id,
        {
            "joint_action_reports": [
                _report(TEXT_B, first + ".", 0, 50, "2019-07-26"),
                _report(TEXT_B, second, 1, 22, "2019-07-08"),
            ]
        },
    )
    return database


@pytest.fixture
def db(tmp_path: Path) -> Iterator[sqlite_utils.Database]:
    database = make_store(tmp_path / "r.db")
    yield database
    database.close()


def _rows(db: sqlite_utils.Database) -> list[ReportRow]:
    return [
        ReportRow(
            report_id=row["id"],
            doc_id=row["doc_id"],
            outlet=row["outlet"],
            published=row["published"],
            kind=row["kind"],
            forum="UNHRC",
            date=row["date"],
            stance=None,
            target="CHN",
            issue="Xinjiang",
            count=row["count"],
            count_qualifier=None,
            lead=None,
            update_of=None,
            signatories=(),
            sentence=row["sentence"],
        )
        for row in db.query(
            "SELECT r.*, d.outlet, d.published FROM joint_action_reports r "
            "JOIN documents d ON d.id = r.doc_id ORDER BY r.id"
        )
    ]


def _source(row: ReportRow, value: str) -> SourceRef:
    return SourceRef(row.report_id, row.doc_id, row.outlet, row.published, value, 0, 5)


def reconciled(db: sqlite_utils.Database) -> Reconciled:
    """A hand-built reconciliation of the fixture's three reports (no H1 code involved)."""
    r22, r37, r50 = sorted(_rows(db), key=lambda r: r.count or 0)
    letter = CanonicalAction(
        key=LETTER,
        reports=(replace(r37, stance="support"), replace(r50, stance="support")),
        kind="letter",
        forum="UNHRC",
        stance="support",
        target="CHN",
        issues=("Xinjiang",),
        dates=("2019-07-12", "2019-07-26"),
        leads=("PAK",),
        timeline=(
            ("2019-07-12", 37, None, r37.report_id),
            ("2019-07-26", 50, None, r50.report_id),
        ),
        signatories={"PAK": (r37.report_id,), "RUS": (r37.report_id, r50.report_id)},
        flagged=True,
    )
    rival = CanonicalAction(
        key=RIVAL,
        reports=(replace(r22, stance="criticize"),),
        kind="letter",
        forum="UNHRC",
        stance="criticize",
        target="CHN",
        issues=(),
        dates=("2019-07-08",),
        leads=(),
        timeline=(("2019-07-08", 22, None, r22.report_id),),
        signatories={"GBR": (r22.report_id,)},
        flagged=False,
    )
    return Reconciled(
        actions=(rival, letter),  # not in key order: the writer sorts
        joined_by={r37.report_id: "anchor", r50.report_id: "anchor", r22.report_id: "alone"},
        flag_reasons={LETTER: "joined only as the only candidate"},
        positions=(
            StatePosition(
                LETTER, "RUS", "signed", (_source(r37, "signed"), _source(r50, "signed"))
            ),
            StatePosition(LETTER, "PAK", "lead", (_source(r37, "lead"),)),
            StatePosition(RIVAL, "GBR", "signed", (_source(r22, "signed"),)),
            StatePosition(RIVAL, "RUS", "signed", (_source(r22, "signed"),)),
        ),
        contradictions=(
            Contradiction(
                "both_sides",
                LETTER,
                RIVAL,
                "RUS",
                "RUS is named on both letters.",
                (_source(r37, "signed"),),
                (_source(r22, "signed"),),
            ),
            Contradiction(
                "count",
                LETTER,
                None,
                "count",
                "Sources give 37 and 50.",
                (_source(r37, "37"),),
                (_source(r50, "50"),),
            ),
        ),
        alignments=(
            Alignment("RUS", "CHN", "Xinjiang", 1, 1, (LETTER, RIVAL)),
            Alignment("PAK", "CHN", None, 1, 0, (LETTER,)),
        ),
        cosignatures=(Cosignature("PAK", "RUS", (LETTER,)),),
    )


def reference() -> StoredReference:
    entries = (
        ReferenceEntry(
            "A/HRC/41/G/11",
            "2019-07-12",
            "UNHRC",
            "support",
            "CHN",
            "PAK",
            37,
            ("PAK", "RUS"),
            "un.org",
        ),
        ReferenceEntry("other", None, None, None, None, None, None, (), None),
    )
    checks = (
        ReferenceCheck("A/HRC/41/G/11", LETTER, "count", "37", "37", "agrees", ()),
        ReferenceCheck("other", None, "date", None, None, "unmatched", ()),
    )
    return StoredReference("ref.csv", entries, checks)


def table(db: sqlite_utils.Database, name: str) -> list[dict[str, Any]]:
    return list(db.query(f"SELECT * FROM {name} ORDER BY rowid"))


def test_columns_match_the_schema(db: sqlite_utils.Database) -> None:
    assert set(DELETE_ORDER) == set(COLUMNS) == {*RECONCILED_TABLES, *REFERENCE_TABLES}
    for name in (*RECONCILED_TABLES, *REFERENCE_TABLES):
        assert tuple(c.name for c in db[name].columns) == COLUMNS[name]


def test_actions_are_stored_with_label_counts_and_contradictions(db: sqlite_utils.Database) -> None:
    counts = write_reconciled(db, reconciled(db))
    assert counts["actions"] == 2 and counts["action_reports"] == 3
    actions = {row["key"]: row for row in table(db, "actions")}
    letter = actions[LETTER]
    assert letter["label"] == "Joint letter at UNHRC supporting CHN (Xinjiang), 12 Jul 2019"
    assert (letter["count_low"], letter["count_high"], letter["latest_count"]) == (37, 50, 50)
    assert (letter["reports"], letter["documents"], letter["outlets"]) == (2, 2, 2)
    assert letter["named_states"] == 2  # PAK, RUS
    assert letter["contradictions"] == 2  # both_sides + count
    assert actions[RIVAL]["contradictions"] == 1  # named as the other side
    assert (letter["flagged"], letter["flag_reason"]) == (1, "joined only as the only candidate")
    assert (actions[RIVAL]["flagged"], actions[RIVAL]["flag_reason"]) == (0, None)
    assert json.loads(letter["dates"]) == ["2019-07-12", "2019-07-26"]
    assert letter["first_date"] == "2019-07-12" and letter["issues"] == '["Xinjiang"]'
    assert [row["key"] for row in table(db, "actions")] == sorted(actions)


def test_reports_positions_and_blocs_round_trip(db: sqlite_utils.Database) -> None:
    write_reconciled(db, reconciled(db))
    joined = {row["action_key"]: [] for row in table(db, "action_reports")}
    for row in table(db, "action_reports"):
        joined[row["action_key"]].append(row["joined_by"])
    assert joined == {LETTER: ["anchor", "anchor"], RIVAL: ["alone"]}
    states = {(r["action_key"], r["iso3"], r["position"]): r for r in table(db, "action_states")}
    rus = states[(LETTER, "RUS", "signed")]
    assert (rus["reports"], rus["documents"]) == (2, 2)
    assert json.loads(rus["outlets"]) == ["Outlet A", "Outlet B"]
    sources = json.loads(rus["sources"])
    assert list(sources[0]) == sorted(sources[0])  # sorted keys
    assert rus["sources"] == json.dumps(sources, sort_keys=True, separators=(",", ":"))
    assert {s["outlet"] for s in sources} == {"Outlet A", "Outlet B"}
    alignments = {r["iso3"]: r for r in table(db, "alignments")}
    assert alignments["PAK"]["issue"] == "" and alignments["RUS"]["net"] == 0
    assert json.loads(alignments["RUS"]["actions"]) == [LETTER, RIVAL]
    assert [(r["iso3_a"], r["iso3_b"], r["shared"]) for r in table(db, "cosignatures")] == [
        ("PAK", "RUS", 1)
    ]
    timeline = list(db.query('SELECT action_key, count, "when" FROM action_timeline'))
    assert sorted((r["action_key"], r["count"]) for r in timeline) == [
        (RIVAL, 22),
        (LETTER, 37),
        (LETTER, 50),
    ]


def test_contradiction_ids_are_stable_and_unique(db: sqlite_utils.Database) -> None:
    base = reconciled(db)
    doubled = replace(base, contradictions=base.contradictions + base.contradictions[:1])
    write_reconciled(db, doubled)
    ids = [row["id"] for row in table(db, "contradictions")]
    assert len(set(ids)) == 3 and sum(i.endswith("-2") for i in ids) == 1
    write_reconciled(db, replace(base, contradictions=base.contradictions[::-1]))
    again = sorted(row["id"] for row in table(db, "contradictions"))
    assert again == sorted(i for i in ids if not i.endswith("-2"))
    both = next(r for r in table(db, "contradictions") if r["kind"] == "both_sides")
    assert both["other_action_key"] == RIVAL
    assert json.loads(both["side_b"])[0]["value"] == "signed"


def test_writing_twice_gives_identical_tables(db: sqlite_utils.Database) -> None:
    write_reconciled(db, reconciled(db), reference())
    first = list(data_dump(db))
    write_reconciled(db, reconciled(db), reference())
    assert list(data_dump(db)) == first
    assert any(line.startswith('["contradictions"') for line in first)


def test_a_new_state_replaces_the_old_one_entirely(db: sqlite_utils.Database) -> None:
    write_reconciled(db, reconciled(db), reference())
    base = reconciled(db)
    smaller = replace(
        base,
        actions=base.actions[:1],
        joined_by={r.report_id: "alone" for r in base.actions[0].reports},
        positions=base.positions[2:],
        contradictions=(),
        alignments=(),
        cosignatures=(),
    )
    write_reconciled(db, smaller)
    assert [row["key"] for row in table(db, "actions")] == [RIVAL]
    for name in ("contradictions", "alignments", "cosignatures", *REFERENCE_TABLES):
        assert table(db, name) == [], name
    assert len(table(db, "action_reports")) == 1 and len(table(db, "action_states")) == 2


def test_a_failing_write_keeps_the_previous_state(db: sqlite_utils.Database) -> None:
    write_reconciled(db, reconciled(db))
    before = list(data_dump(db))
    base = reconciled(db)
    dangling = replace(
        base, positions=(*base.positions, StatePosition("no-such-action", "FRA", "signed", ()))
    )
    with pytest.raises(sqlite3.IntegrityError):
        write_reconciled(db, dangling)
    assert list(data_dump(db)) == before
    with pytest.raises(ValueError, match="joined_by"):
        write_reconciled(db, replace(base, joined_by={}))
    assert list(data_dump(db)) == before
    assert not db.conn.in_transaction


def test_replace_needs_a_transaction(db: sqlite_utils.Database) -> None:
    with pytest.raises(RuntimeError):
        replace_reconciled(db, reconciled(db))


def test_reference_is_stored_and_read_back(db: sqlite_utils.Database) -> None:
    ref = reference()
    write_reconciled(db, reconciled(db), ref)
    entries = {row["key"]: row for row in table(db, "reference_entries")}
    assert json.loads(entries["A/HRC/41/G/11"]["states"]) == ["PAK", "RUS"]
    assert entries["other"]["file"] == "ref.csv"
    verdicts = {row["reference_key"]: row["verdict"] for row in table(db, "reference_checks")}
    assert verdicts == {"A/HRC/41/G/11": "agrees", "other": "unmatched"}
    back = read_reference(db)
    assert back is not None and back.file == "ref.csv"
    assert sorted(back.entries, key=lambda e: e.key) == sorted(ref.entries, key=lambda e: e.key)
    write_reconciled(db, reconciled(db))
    assert read_reference(db) is None


def test_action_summaries_show_the_count_timeline(db: sqlite_utils.Database) -> None:
    write_reconciled(db, reconciled(db))
    rows = {row["action"]: row for row in action_summaries(db)}
    assert rows[LETTER]["counts over time"] == "37 (2019-07-12) → 50 (2019-07-26)"
    assert rows[LETTER]["flagged"] == "yes"
    assert rows[RIVAL]["flagged"] == "" and rows[LETTER]["lead"] == "PAK"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2019-07-12", "12 Jul 2019"),
        ("2019-07", "Jul 2019"),
        ("2019", "2019"),
        (None, "undated"),
        ("2019-13", "2019-13"),
        ("soon", "soon"),
    ],
)
def test_readable_date(value: str | None, expected: str) -> None:
    assert readable_date(value) == expected


def test_labels_of_sparse_actions(db: sqlite_utils.Database) -> None:
    rival = reconciled(db).actions[0]
    assert action_label(rival) == "Joint letter at UNHRC criticising CHN, 8 Jul 2019"
    bare = replace(
        rival,
        kind="vote",
        forum=None,
        stance=None,
        issues=("other",),
        dates=("2020-10", "2020-10-06"),
    )
    assert action_label(bare) == "Vote on CHN, 6 Oct 2020"
    none = replace(bare, kind="individual_statements", target=None, dates=())
    assert action_label(none) == "Statements, undated"


# --- the runner and the CLI, over H1's reconcile() ---------------------------------------------


def test_reconcile_store_twice_gives_identical_rows(tmp_path: Path) -> None:
    from blocwatch.runners.reconcile import reconcile_store

    path = tmp_path / "r.db"
    make_store(path).close()
    first = reconcile_store(path)
    assert first.reports == 3 and first.actions >= 2  # the rival letter never joins the other
    database = open_store(path)
    dump = list(data_dump(database))
    assert len(table(database, "action_reports")) == 3
    database.close()
    second = reconcile_store(path)
    database = open_store(path)
    assert list(data_dump(database)) == dump
    database.close()
    assert (second.actions, second.contradictions) == (first.actions, first.contradictions)


def test_a_stored_reference_is_kept_and_checked_again(tmp_path: Path) -> None:
    from blocwatch.runners.reconcile import reconcile_store

    path = tmp_path / "r.db"
    database = make_store(path)
    write_reconciled(database, reconciled(database), reference())
    database.close()
    summary = reconcile_store(path)
    assert (summary.reference_file, summary.reference_entries) == ("ref.csv", 2)
    database = open_store(path)
    assert read_reference(database) == replace(reference(), checks=())
    checked = {row["reference_key"] for row in table(database, "reference_checks")}
    database.close()
    assert checked == {"A/HRC/41/G/11", "other"}


def test_reconcile_needs_an_existing_store(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from blocwatch.cli import app

    result = CliRunner().invoke(app, ["reconcile", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 1
    assert not (tmp_path / "none.db").exists()


def test_reconcile_and_actions_cli(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from blocwatch.cli import app

    path = tmp_path / "r.db"
    make_store(path).close()
    runner = CliRunner()
    before = runner.invoke(app, ["actions", "--db", str(path)], env={"COLUMNS": "300"})
    assert before.exit_code == 0 and "contradictions" not in before.output  # computed on the fly
    result = runner.invoke(app, ["reconcile", "--db", str(path)], env={"COLUMNS": "300"})
    assert result.exit_code == 0, result.output
    assert "reconciled 3 reports" in result.output and " s" in result.output
    stored = runner.invoke(app, ["actions", "--db", str(path)], env={"COLUMNS": "300"})
    assert stored.exit_code == 0 and "contradictions" in stored.output
    database = open_store(path)
    keys = [row["key"] for row in table(database, "actions")]
    database.close()
    assert all(key in stored.output for key in keys)
