"""Writes: runs (the audit log), batches of documents, and the facts of one document.

Idempotence is the rule. A batch is one transaction; documents are keyed by the hash of their
text and only ever inserted; duplicates and rejects are upserted by source; a document's facts
are deleted and re-inserted together. So re-running the same input rewrites nothing, and a run
killed half-way and re-run ends with the same data as an uninterrupted one. Only `runs` carries
times and run ids.

Each input source has exactly one current outcome (a document, a duplicate or a reject): a new
reading of a source replaces the old one. A document whose source now reads differently is
deleted with its facts, unless duplicates still point at it (its text is then still in the
corpus, and it stays).
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import socket
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import psutil
import sqlite_utils

from blocwatch import __version__
from blocwatch.model import Article, Duplicate, Reject
from blocwatch.settings import Options
from blocwatch.store.schema import FACT_TABLES, SPAN_TEXT_COLUMN, offsets_to_json

RUN_STATUSES = ("running", "ok", "failed", "interrupted")
COUNT_COLUMNS = ("documents_new", "documents_seen", "documents_removed", "duplicates", "rejects")

# A lone surrogate (from a JSON "\udXXX" escape or an undecodable file name) cannot be stored as
# UTF-8. Replacing it with U+FFFD keeps the string's length, so every offset stays valid.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
REPLACEMENT_CHARACTER = "\ufffd"

# Short tags in fact ids: "<doc_id>:r0" is the first report of a document.
_FACT_ID_TAG = {
    "joint_action_reports": "r",
    "report_states": "rs",
    "report_evidence": "re",
    "speakers": "p",
    "quotes": "q",
    "frame_uses": "f",
    "claims": "c",
}
# Columns of fact tables that point at another fact of the same document.
_FACT_REFERENCES = ("report_id", "update_of", "speaker_id", "quote_id")

# Column lists follow the model: a new Article or Duplicate field fails loudly here until a
# migration adds its column.
_DERIVED_DOCUMENT_COLUMNS = ("offsets", "exact_hash", "minhash", "char_count", "word_count")
_ARTICLE_COLUMNS = [f.name for f in dataclasses.fields(Article) if f.name != "offsets"]
_DOCUMENT_COLUMNS = [*_ARTICLE_COLUMNS, *_DERIVED_DOCUMENT_COLUMNS]
_DUPLICATE_COLUMNS = [f.name for f in dataclasses.fields(Duplicate)]
_REJECT_COLUMNS = ["source", "reason", "detail"]


@dataclass(frozen=True)
class BatchResult:
    """What one `write_batch` did; add results up for a run's totals (`end_run` counts)."""

    documents_new: int = 0
    documents_seen: int = 0
    documents_removed: int = 0
    duplicates: int = 0
    rejects: int = 0

    def __add__(self, other: BatchResult) -> BatchResult:
        return BatchResult(**{k: v + getattr(other, k) for k, v in self.as_counts().items()})

    def as_counts(self) -> dict[str, int]:
        return dataclasses.asdict(self)


def storable(value: str) -> str:
    """`value` with lone surrogates replaced by U+FFFD (same length), as the store keeps it."""
    return _LONE_SURROGATE.sub(REPLACEMENT_CHARACTER, value)


def _clean(row: Mapping[str, Any]) -> dict[str, Any]:
    return {k: storable(v) if isinstance(v, str) else v for k, v in row.items()}


@contextmanager
def write_transaction(db: sqlite_utils.Database) -> Iterator[None]:
    """One IMMEDIATE transaction: takes the write lock up front, so a concurrent writer waits
    (busy_timeout) instead of failing half-way; everything is rolled back on any exception."""
    if db.conn.in_transaction:
        raise RuntimeError("write_transaction() cannot be nested inside an open transaction")
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        yield
        db.conn.execute("COMMIT")
    except BaseException:
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")
        raise


# --- runs -------------------------------------------------------------------------------------


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def begin_run(
    db: sqlite_utils.Database, command: str, args: Sequence[str], options: Options
) -> int:
    """Log the start of a run and return its id. Earlier runs on this host whose process is gone
    without an `end_run` (killed) are marked 'interrupted' first."""
    host = socket.gethostname()
    running = db.execute(
        "SELECT id, pid FROM runs WHERE status = 'running' AND host = ?", [storable(host)]
    ).fetchall()
    for run_id, pid in running:
        if pid != os.getpid() and not psutil.pid_exists(pid):
            db.execute("UPDATE runs SET status = 'interrupted' WHERE id = ?", [run_id])
    options_json = json.dumps(dataclasses.asdict(options), sort_keys=True, default=str)
    cursor = db.execute(
        "INSERT INTO runs (command, args, options, started_at, status, blocwatch_version, "
        "host, pid) VALUES (?, ?, ?, ?, 'running', ?, ?, ?)",
        [
            storable(command),
            storable(json.dumps(list(args), ensure_ascii=False)),
            storable(options_json),
            _now(),
            __version__,
            storable(host),
            os.getpid(),
        ],
    )
    new_id = cursor.lastrowid
    assert new_id is not None  # an INSERT into a rowid table always sets it
    return new_id


def end_run(db: sqlite_utils.Database, run_id: int, status: str, counts: Mapping[str, int]) -> None:
    """Close a run: its status (ok|failed|interrupted) and counts. Counts other than the
    COUNT_COLUMNS go to `runs.other_counts` as JSON, so later stages can log theirs."""
    if status not in RUN_STATUSES or status == "running":
        raise ValueError(f"end_run status must be ok, failed or interrupted, not {status!r}")
    if not all(isinstance(v, int) for v in counts.values()):
        raise ValueError(f"run counts must be integers: {dict(counts)!r}")
    known = {k: v for k, v in counts.items() if k in COUNT_COLUMNS}
    other = {k: v for k, v in sorted(counts.items()) if k not in COUNT_COLUMNS}
    assignments = "".join(f", {column} = :{column}" for column in known)
    cursor = db.execute(
        "UPDATE runs SET status = :status, finished_at = :finished_at, other_counts = :other"
        f"{assignments} WHERE id = :run_id",
        {
            "status": status,
            "finished_at": _now(),
            "other": json.dumps(other) if other else None,
            "run_id": run_id,
            **known,
        },
    )
    if cursor.rowcount != 1:
        raise ValueError(f"no run with id {run_id}")


# --- documents, duplicates, rejects -------------------------------------------------------------


def document_row(article: Article, minhash: bytes, exact_hash: str) -> dict[str, Any]:
    """The `documents` row of an article (also the row Parquet export writes)."""
    row = {column: getattr(article, column) for column in _ARTICLE_COLUMNS}
    row.update(
        offsets=offsets_to_json(article.offsets),
        exact_hash=exact_hash,
        minhash=bytes(minhash),
        char_count=len(article.text),
        word_count=len(article.clean_text.split()),
    )
    return _clean(row)


def write_batch(
    db: sqlite_utils.Database,
    documents: Sequence[tuple[Article, bytes, str]],
    duplicates: Sequence[Duplicate],
    rejects: Sequence[Reject],
) -> BatchResult:
    """Write one batch in ONE transaction (all of it, or nothing of it).

    documents are (article, minhash signature bytes, exact hash): inserted when their id is new,
    left untouched when the same source already stored them ('seen'), and recorded as an exact
    duplicate when another source stored the same text first. Duplicates and rejects are
    upserted by source. A duplicate pointing at a document of its own source is that document
    seen again. Within a batch, documents are written first, then duplicates, then rejects.
    """
    writer = _BatchWriter(db)
    with write_transaction(db):
        for article, minhash, exact_hash in documents:
            writer.document(document_row(article, minhash, exact_hash))
        for duplicate in duplicates:
            writer.duplicate(_clean(dataclasses.asdict(duplicate)))
        for reject in rejects:
            writer.reject(
                _clean(
                    {"source": reject.source, "reason": str(reject.reason), "detail": reject.detail}
                )
            )
        writer.retire_stale()
    return writer.result()


def _upsert_sql(table: str, columns: Sequence[str], key: str) -> str:
    names = ", ".join(columns)
    values = ", ".join(f":{c}" for c in columns)
    updates = ", ".join(f"{c} = excluded.{c}" for c in columns if c != key)
    return (
        f"INSERT INTO {table} ({names}) VALUES ({values}) "
        f"ON CONFLICT({key}) DO UPDATE SET {updates}"
    )


_INSERT_DOCUMENT = (
    f"INSERT INTO documents ({', '.join(_DOCUMENT_COLUMNS)}) "
    f"VALUES ({', '.join(':' + c for c in _DOCUMENT_COLUMNS)})"
)
_UPSERT_DUPLICATE = _upsert_sql("duplicates", _DUPLICATE_COLUMNS, "source")
_UPSERT_REJECT = _upsert_sql("rejects", _REJECT_COLUMNS, "source")


class _BatchWriter:
    """The per-source bookkeeping of one batch; every statement runs in the caller's transaction."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self._conn = db.conn
        self._counts = dict.fromkeys(COUNT_COLUMNS, 0)
        self._stale: set[str] = set()

    def result(self) -> BatchResult:
        return BatchResult(**self._counts)

    def _source_of(self, doc_id: str) -> str | None:
        row = self._conn.execute("SELECT source FROM documents WHERE id = ?", [doc_id]).fetchone()
        return None if row is None else str(row[0])

    def document(self, row: dict[str, Any]) -> None:
        stored_source = self._source_of(row["id"])
        if stored_source is None:
            self._conn.execute(_INSERT_DOCUMENT, row)
            self._counts["documents_new"] += 1
        elif stored_source != row["source"]:
            duplicate = {c: row.get(c) for c in _DUPLICATE_COLUMNS}
            duplicate.update(duplicate_of=row["id"], method="exact", similarity=1.0)
            self.duplicate(duplicate)
            return
        else:
            self._counts["documents_seen"] += 1
        self._source_is_document(row["source"], row["id"])

    def duplicate(self, row: dict[str, Any]) -> None:
        stored_source = self._source_of(row["duplicate_of"])
        if stored_source is None:
            raise ValueError(
                f"duplicate {row['source']!r} points at {row['duplicate_of']!r}, which is neither "
                "stored nor in this batch"
            )
        if stored_source == row["source"]:
            self._counts["documents_seen"] += 1
            self._source_is_document(row["source"], row["duplicate_of"])
            return
        self._conn.execute(_UPSERT_DUPLICATE, row)
        self._conn.execute("DELETE FROM rejects WHERE source = ?", [row["source"]])
        self._note_stale(row["source"], keep=None)
        self._counts["duplicates"] += 1

    def reject(self, row: dict[str, Any]) -> None:
        self._conn.execute(_UPSERT_REJECT, row)
        self._conn.execute("DELETE FROM duplicates WHERE source = ?", [row["source"]])
        self._note_stale(row["source"], keep=None)
        self._counts["rejects"] += 1

    def _source_is_document(self, source: str, doc_id: str) -> None:
        self._conn.execute("DELETE FROM rejects WHERE source = ?", [source])
        self._conn.execute("DELETE FROM duplicates WHERE source = ?", [source])
        self._note_stale(source, keep=doc_id)

    def _note_stale(self, source: str, keep: str | None) -> None:
        """Documents this source produced before and no longer produces."""
        rows = self._conn.execute("SELECT id FROM documents WHERE source = ?", [source])
        self._stale.update(str(doc_id) for (doc_id,) in rows if doc_id != keep)
        if keep is not None:
            self._stale.discard(keep)

    def retire_stale(self) -> None:
        """Delete stale documents (their facts cascade) unless a duplicate still points at them."""
        for doc_id in sorted(self._stale):
            referenced = self._conn.execute(
                "SELECT 1 FROM duplicates WHERE duplicate_of = ? LIMIT 1", [doc_id]
            ).fetchone()
            if referenced is None:
                self._conn.execute("DELETE FROM documents WHERE id = ?", [doc_id])
                self._counts["documents_removed"] += 1


# --- facts ------------------------------------------------------------------------------------


def fact_id(doc_id: str, table: str, index: int) -> str:
    """Deterministic id of the `index`-th row of `table` for a document: "<doc_id>:r0"."""
    return f"{doc_id}:{_FACT_ID_TAG[table]}{index}"


def replace_document_facts(
    db: sqlite_utils.Database, doc_id: str, facts: Mapping[str, Sequence[Mapping[str, Any]]]
) -> dict[str, int]:
    """Make `facts` the complete set of facts of one document, in one transaction.

    `facts` maps fact table names to row dicts (column -> value). Per row: `doc_id` may be
    omitted; `id` defaults to fact_id(doc_id, table, position); references to other facts
    (report_id, update_of, speaker_id, quote_id) must be ids of this document's facts; the
    span text column (SPAN_TEXT_COLUMN) may be omitted and is then filled from documents.text,
    and when given must equal documents.text[start:end]. Tables not in `facts` are emptied for
    the document. Returns rows written per table. A bad row raises ValueError and a reference
    to a fact that does not exist fails the commit (sqlite3.IntegrityError); either writes nothing.
    """
    with write_transaction(db):
        return _replace_facts(db, doc_id, facts)


def write_extractions(
    db: sqlite_utils.Database,
    extracted: Sequence[tuple[str, Mapping[str, Sequence[Mapping[str, Any]]]]],
    extractor: str,
) -> None:
    """Replace the facts of a batch of documents and mark them extracted, in ONE transaction."""
    with write_transaction(db):
        for doc_id, facts in extracted:
            _replace_facts(db, doc_id, facts)
            db.conn.execute(
                "INSERT OR REPLACE INTO extractions (doc_id, extractor, joint_actions) "
                "VALUES (?, ?, ?)",
                [doc_id, extractor, len(facts.get("joint_action_reports", ()))],
            )


def _replace_facts(
    db: sqlite_utils.Database, doc_id: str, facts: Mapping[str, Sequence[Mapping[str, Any]]]
) -> dict[str, int]:
    unknown_tables = set(facts) - set(FACT_TABLES)
    if unknown_tables:
        raise ValueError(f"unknown fact tables {sorted(unknown_tables)}; known: {FACT_TABLES}")
    columns = {table: set(db.table(table).columns_dict) for table in FACT_TABLES}
    written = dict.fromkeys(FACT_TABLES, 0)
    found = db.conn.execute("SELECT text FROM documents WHERE id = ?", [doc_id]).fetchone()
    if found is None:
        raise ValueError(f"no document with id {doc_id!r}: store it before its facts")
    text = str(found[0])
    for table in reversed(FACT_TABLES):
        db.conn.execute(f"DELETE FROM {table} WHERE doc_id = ?", [doc_id])
    for table in FACT_TABLES:
        for index, fact in enumerate(facts.get(table, ())):
            row = _fact_row(table, doc_id, index, _clean(fact), text, columns[table])
            names = ", ".join(f'"{c}"' for c in row)
            values = ", ".join(f":{c}" for c in row)
            db.conn.execute(f"INSERT INTO {table} ({names}) VALUES ({values})", row)
            written[table] += 1
    return written


def _fact_row(
    table: str, doc_id: str, index: int, fact: dict[str, Any], text: str, columns: set[str]
) -> dict[str, Any]:
    """Check one fact row against its document and fill the derivable columns."""
    where = f"{table}[{index}] of {doc_id}"
    unknown = set(fact) - columns
    if unknown:
        raise ValueError(f"{where}: unknown columns {sorted(unknown)}; known: {sorted(columns)}")
    if fact.get("doc_id", doc_id) != doc_id:
        raise ValueError(f"{where}: doc_id {fact['doc_id']!r} differs")
    row = {"id": fact_id(doc_id, table, index), **fact, "doc_id": doc_id}
    prefix = f"{doc_id}:"
    for column in ("id", *_FACT_REFERENCES):
        value = row.get(column)
        if value is not None and not str(value).startswith(prefix):
            raise ValueError(f"{where}: {column} {value!r} is not a fact of this document")
    for start_column, end_column in (("start", "end"), ("attribution_start", "attribution_end")):
        if start_column in columns:
            _check_span(where, row, start_column, end_column, len(text))
    span_text = text[row["start"] : row["end"]]
    column = SPAN_TEXT_COLUMN[table]
    if row.setdefault(column, span_text) != span_text:
        raise ValueError(
            f"{where}: {column} {row[column]!r} is not the text at [{row['start']}, "
            f"{row['end']}), which reads {span_text!r}"
        )
    return row


def _check_span(where: str, row: dict[str, Any], start: str, end: str, length: int) -> None:
    optional = start != "start"
    a, b = row.get(start), row.get(end)
    if optional and a is None and b is None:
        return
    if not (isinstance(a, int) and isinstance(b, int) and 0 <= a <= b <= length):
        raise ValueError(f"{where}: span {start}={a!r}, {end}={b!r} is not inside 0..{length}")
