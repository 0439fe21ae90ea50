"""write_batch: idempotent, atomic, one current outcome per source; runs; search; FKs."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlite_utils

from blocwatch.errors import RejectReason
from blocwatch.model import Duplicate, Reject
from blocwatch.settings import Options
from blocwatch.store import (
    BatchResult,
    begin_run,
    data_dump,
    end_run,
    get_article,
    integrity_problems,
    iter_document_signatures,
    iter_signatures,
    known_source_outcomes,
    open_store,
    search_documents,
    stats,
    table_counts,
    write_batch,
)
from blocwatch.store import write as write_module

from .helpers import dump, entry, make_article, make_batches

LETTER = "Thirty-seven states signed a joint letter in Geneva backing the policy."
COPY = "A copy of the letter ran in another paper with a new first line."


@pytest.fixture
def db(tmp_path: Path) -> Iterator[sqlite_utils.Database]:
    database = open_store(tmp_path / "x.db")
    yield database
    database.close()


def test_writing_the_same_batches_twice_changes_nothing(db: sqlite_utils.Database) -> None:
    batches = make_batches(4, per_batch=5)
    first = [write_batch(db, *batch) for batch in batches]
    assert first[0] == BatchResult(documents_new=5, rejects=1)
    assert first[1] == BatchResult(documents_new=5, duplicates=1, rejects=1)
    once = dump(db.conn)
    second = [write_batch(db, *batch) for batch in batches]
    assert dump(db.conn) == once
    assert second[1] == BatchResult(documents_seen=5, duplicates=1, rejects=1)
    total = sum(second, BatchResult())
    assert total == BatchResult(documents_seen=20, duplicates=3, rejects=4)
    assert table_counts(db)["documents"] == 20
    assert integrity_problems(db) == []


def test_dump_is_a_real_comparison(db: sqlite_utils.Database) -> None:
    """The idempotence test above would pass vacuously if dump() saw no rows."""
    write_batch(db, *make_batches(1, per_batch=2)[0])
    lines = dump(db.conn)
    assert sum(line.startswith('INSERT INTO "documents"') for line in lines) == 2
    assert sum(line.startswith('INSERT INTO "rejects"') for line in lines) == 1
    assert not any('"runs"' in line for line in lines)


def test_a_failing_batch_writes_nothing(db: sqlite_utils.Database) -> None:
    write_batch(db, *make_batches(1, per_batch=2)[0])
    before = dump(db.conn)
    documents, _, _ = make_batches(2, per_batch=3, seed=99)[1]
    dangling = Duplicate("copies/x.txt", "txt", "no-such-document", "near", 0.9)
    with pytest.raises(ValueError, match="no-such-document"):
        write_batch(db, documents, [dangling], [])
    assert dump(db.conn) == before
    assert not db.conn.in_transaction


def test_an_exception_after_half_the_batch_rolls_it_all_back(
    db: sqlite_utils.Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    documents, _, rejects = make_batches(2, per_batch=4)[1]

    def explode(self: object, row: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(write_module._BatchWriter, "reject", explode)
    with pytest.raises(RuntimeError, match="disk on fire"):
        write_batch(db, documents, [], rejects)
    assert table_counts(db)["documents"] == 0
    # The FTS index (its own row table) was rolled back with the documents.
    assert db.execute("SELECT count(*) FROM documents_fts_docsize").fetchone()[0] == 0


def test_reject_then_success_leaves_only_the_document(db: sqlite_utils.Database) -> None:
    write_batch(db, [], [], [Reject("in/a.txt", RejectReason.UNREADABLE, "permission denied")])
    assert known_source_outcomes(db) == {"in/a.txt": "reject"}
    result = write_batch(db, [entry(make_article("in/a.txt", LETTER))], [], [])
    assert result == BatchResult(documents_new=1)
    assert known_source_outcomes(db) == {"in/a.txt": "document"}
    assert table_counts(db)["rejects"] == 0


def test_success_then_reject_removes_the_document_and_its_index(
    db: sqlite_utils.Database,
) -> None:
    write_batch(db, [entry(make_article("in/a.txt", LETTER))], [], [])
    result = write_batch(db, [], [], [Reject("in/a.txt", RejectReason.EMPTY, "0 bytes")])
    assert result == BatchResult(documents_removed=1, rejects=1)
    assert known_source_outcomes(db) == {"in/a.txt": "reject"}
    assert search_documents(db, "Geneva") == []
    assert integrity_problems(db) == []


def test_changed_text_replaces_the_old_document(db: sqlite_utils.Database) -> None:
    old = make_article("in/a.txt", LETTER)
    new = make_article("in/a.txt", LETTER + " Updated.")
    write_batch(db, [entry(old)], [], [])
    assert write_batch(db, [entry(new)], [], []) == BatchResult(
        documents_new=1, documents_removed=1
    )
    assert [a.id for a in [get_article(db, old.id), get_article(db, new.id)] if a] == [new.id]


def test_a_stale_document_stays_while_a_duplicate_points_at_it(
    db: sqlite_utils.Database,
) -> None:
    original = make_article("in/a.txt", LETTER)
    write_batch(
        db, [entry(original)], [Duplicate("in/b.txt", "txt", original.id, "near", 0.85)], []
    )
    result = write_batch(db, [], [], [Reject("in/a.txt", RejectReason.EMPTY, "0 bytes")])
    assert result.documents_removed == 0
    assert get_article(db, original.id) is not None
    assert integrity_problems(db) == []


def test_same_text_from_another_source_becomes_an_exact_duplicate(
    db: sqlite_utils.Database,
) -> None:
    first = make_article("in/a.txt", LETTER, outlet="Paper A")
    again = make_article("in/b.txt", LETTER, outlet="Paper B")
    result = write_batch(db, [entry(first), entry(again)], [], [])
    assert result == BatchResult(documents_new=1, duplicates=1)
    row = db["duplicates"].get("in/b.txt")
    assert (row["duplicate_of"], row["method"], row["similarity"], row["outlet"]) == (
        first.id,
        "exact",
        1.0,
        "Paper B",
    )


def test_a_duplicate_of_its_own_source_is_the_document_seen_again(
    db: sqlite_utils.Database,
) -> None:
    article = make_article("in/a.txt", LETTER)
    write_batch(db, [entry(article)], [], [])
    result = write_batch(db, [], [Duplicate("in/a.txt", "txt", article.id, "exact", 1.0)], [])
    assert result == BatchResult(documents_seen=1)
    assert table_counts(db)["duplicates"] == 0


def test_duplicate_then_document_then_duplicate(db: sqlite_utils.Database) -> None:
    base = make_article("in/a.txt", LETTER)
    write_batch(db, [entry(base)], [Duplicate("in/b.txt", "txt", base.id, "near", 0.9)], [])
    write_batch(db, [entry(make_article("in/b.txt", COPY))], [], [])
    assert known_source_outcomes(db) == {"in/a.txt": "document", "in/b.txt": "document"}
    write_batch(db, [], [Duplicate("in/b.txt", "txt", base.id, "near", 0.9)], [])
    assert known_source_outcomes(db)["in/b.txt"] == "duplicate"
    assert table_counts(db)["documents"] == 1


def test_full_text_search_finds_a_word_stemmed_and_folded(db: sqlite_utils.Database) -> None:
    write_batch(db, [entry(make_article("in/a.txt", LETTER, title="Geneva letter"))], [], [])
    write_batch(db, [entry(make_article("in/b.txt", "Délégués de Türkiye à l'assemblée."))], [], [])
    assert [r["source"] for r in search_documents(db, "sign")] == ["in/a.txt"]
    assert [r["source"] for r in search_documents(db, "turkiye")] == ["in/b.txt"]
    # User input is taken as words, not FTS syntax: no error for stray quotes or operators.
    assert [r["source"] for r in search_documents(db, 'backing "policy')] == ["in/a.txt"]
    assert search_documents(db, "NEAR(") == []
    assert search_documents(db, "absent") == []


def test_foreign_keys_are_enforced(db: sqlite_utils.Database) -> None:
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        db.execute(
            "INSERT INTO duplicates (source, input_format, duplicate_of, method, similarity) "
            "VALUES ('x', 'txt', 'nothing', 'near', 0.9)"
        )
    article = make_article("in/a.txt", LETTER)
    write_batch(db, [entry(article)], [Duplicate("in/b.txt", "txt", article.id, "near", 0.9)], [])
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        db.execute("DELETE FROM documents")


def test_lone_surrogates_are_stored_as_replacement_characters(
    db: sqlite_utils.Database,
) -> None:
    text = "Bad escape \udcff here."
    write_batch(db, [entry(make_article("in/\udcfe.txt", text))], [], [])
    (article,) = [get_article(db, doc_id) for doc_id, _, _ in iter_signatures(db)]
    assert article is not None
    assert article.text == "Bad escape \ufffd here." and len(article.text) == len(text)
    assert article.source == "in/\ufffd.txt"
    # Re-reading the same (unrepresentable) source is recognised as the same document.
    assert write_batch(db, [entry(make_article("in/\udcfe.txt", text))], [], []) == BatchResult(
        documents_seen=1
    )


def test_signatures_come_back_in_insertion_order(db: sqlite_utils.Database) -> None:
    documents, _, _ = make_batches(1, per_batch=4)[0]
    write_batch(db, documents, [], [])
    stored = list(iter_document_signatures(db))
    assert [s.doc_id for s in stored] == [a.id for a, _, _ in documents]
    assert [(s.source, s.minhash, s.exact_hash) for s in stored] == [
        (a.source, m, h) for a, m, h in documents
    ]
    assert list(iter_signatures(db)) == [(s.doc_id, s.source, s.minhash) for s in stored]


def test_data_dump_does_not_depend_on_batch_split(tmp_path: Path) -> None:
    documents, duplicates, rejects = make_batches(3, per_batch=4)[2]
    earlier = [item for batch in make_batches(3, per_batch=4)[:2] for item in batch[0]]
    one = open_store(tmp_path / "one.db")
    write_batch(one, earlier + documents, duplicates, rejects)
    split = open_store(tmp_path / "split.db")
    write_batch(split, documents[::-1], [], rejects)
    write_batch(split, earlier, duplicates, [])
    assert list(data_dump(one)) == list(data_dump(split))
    assert len(list(data_dump(one))) == 12 + 1 + 1


def test_runs_are_logged_and_killed_runs_marked_interrupted(db: sqlite_utils.Database) -> None:
    run_id = begin_run(db, "ingest", ["corpus/", "--db", "x.db"], Options(batch_size=5))
    row = db["runs"].get(run_id)
    assert row["status"] == "running" and row["pid"] == os.getpid()
    assert '"batch_size": 5' in row["options"]
    end_run(db, run_id, "ok", {**BatchResult(documents_new=3).as_counts(), "pages": 2})
    row = db["runs"].get(run_id)
    assert (row["status"], row["documents_new"], row["other_counts"]) == ("ok", 3, '{"pages": 2}')
    assert row["finished_at"] >= row["started_at"]
    db.execute("UPDATE runs SET status = 'running', pid = 2147483647 WHERE id = ?", [run_id])
    begin_run(db, "ingest", [], Options())
    assert db["runs"].get(run_id)["status"] == "interrupted"
    with pytest.raises(ValueError, match="no run"):
        end_run(db, 999, "ok", {})
    with pytest.raises(ValueError, match="status"):
        end_run(db, run_id, "running", {})


def test_runs_leave_data_tables_alone(db: sqlite_utils.Database) -> None:
    write_batch(db, *make_batches(1, per_batch=2)[0])
    before = dump(db.conn)
    end_run(db, begin_run(db, "ingest", ["x"], Options()), "failed", {})
    assert dump(db.conn) == before


def test_stats_describe_the_store(db: sqlite_utils.Database) -> None:
    for batch in make_batches(3, per_batch=3):
        write_batch(db, *batch)
    end_run(db, begin_run(db, "ingest", ["in/"], Options()), "ok", {"documents_new": 9})
    report = stats(db)
    assert report["tables"]["documents"] == 9
    assert sum(report["documents_by_outlet"].values()) == 9
    assert report["rejects_by_reason"] == {"binary": 3}
    assert report["duplicates_by_method"] == {"near": 2}
    assert report["last_runs"][0]["args"] == ["in/"]
    assert report["words"] > 9 * 80
