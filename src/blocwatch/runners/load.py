"""`blocwatch load DIR --db F`: merge a Spark output folder (runners/spark.py) into SQLite.

Everything goes through the store's own write paths, so loading follows the store's rules:
documents are inserted when new, seen when the same source stored them, and recorded as exact
duplicates when another source stored the same text first; a document's facts are replaced as a
whole with its `extractions` row (`write_extractions`); duplicates and rejects are upserted by
source. Hence loading twice changes nothing, and a database that already holds some of the
documents keeps one copy of each.

Streaming, in three passes, each committing per batch:
1. facts and extraction rows are staged in TEMP tables of the same connection, indexed by
   doc_id (Spark writes them in any order; staging finds a document's rows without holding the
   tables in memory);
2. documents, read in Parquet record batches: `write_batch`, then the staged facts of the
   documents this folder owns (the stored text is its text) with `write_extractions`;
3. duplicates, then rejects, in batches (`write_batch`).
"""

from __future__ import annotations

import logging
import os
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
from sqlite_utils import Database

from blocwatch import store
from blocwatch.errors import BlocwatchError, RejectReason
from blocwatch.extract import EXTRACTOR_VERSION
from blocwatch.model import Article, Duplicate, Reject
from blocwatch.runners.parquet_parts import SUCCESS_MARKER
from blocwatch.runners.spark_tasks import OUTPUT_TABLES, extraction_kind, table_columns
from blocwatch.settings import Options
from blocwatch.store.write import write_transaction

log = logging.getLogger(__name__)

STAGED_TABLES = ("extractions", *store.FACT_TABLES)
_STAGE_PREFIX = "load_stage_"


class LoadError(BlocwatchError):
    """The folder is not a complete Spark output of this blocwatch version."""


@dataclass
class LoadSummary:
    """What one load did (write_batch counts, plus facts written)."""

    db_path: str
    run_id: int
    documents_new: int = 0
    documents_seen: int = 0
    documents_removed: int = 0
    duplicates: int = 0
    rejects: int = 0
    extracted: int = 0  # documents whose facts were written
    extraction_kept: int = 0  # documents whose stored facts were kept (see _extractor_to_write)
    facts: dict[str, int] = field(default_factory=dict)

    def add(self, result: store.BatchResult) -> None:
        for name, value in result.as_counts().items():
            setattr(self, name, getattr(self, name) + value)

    def as_counts(self) -> dict[str, int]:
        counts = {
            "documents_new": self.documents_new,
            "documents_seen": self.documents_seen,
            "documents_removed": self.documents_removed,
            "duplicates": self.duplicates,
            "rejects": self.rejects,
            "extracted": self.extracted,
            "extraction_kept": self.extraction_kept,
        }
        return counts | {f"facts_{table}": n for table, n in self.facts.items()}


Progress = Callable[[LoadSummary], None]


def load_folder(
    folder: str | Path,
    db_path: str | Path,
    options: Options,
    *,
    on_progress: Progress | None = None,
) -> LoadSummary:
    """Merge the Spark output in `folder` into the database at `db_path` (created if missing)."""
    tables = parquet_files(Path(folder))
    db = store.open_store(db_path)
    run_id = store.begin_run(db, "load", [str(folder)], options)
    summary = LoadSummary(db_path=str(db_path), run_id=run_id)
    status = "failed"
    try:
        _stage(db, tables, options.batch_size)
        for batch in _batches(tables["documents"], options.batch_size):
            _load_documents(db, batch, summary)
            if on_progress is not None:
                on_progress(summary)
        for batch in _batches(tables["duplicates"], options.batch_size):
            _check_targets(db, batch)
            summary.add(store.write_batch(db, [], [Duplicate(**row) for row in batch], []))
        for batch in _batches(tables["rejects"], options.batch_size):
            summary.add(store.write_batch(db, [], [], [_reject(row) for row in batch]))
        status = "ok"
    except KeyboardInterrupt:
        status = "interrupted"
        raise
    finally:
        _drop_stage(db)
        store.end_run(db, run_id, status, summary.as_counts())
        db.close()
    return summary


def parquet_files(folder: Path) -> dict[str, list[Path]]:
    """The Parquet files of every output table, in name order; LoadError when the folder is not
    a finished Spark output or a table's columns differ from the SQLite table's."""
    if not folder.is_dir():
        raise LoadError(f"{folder} is not a folder; give the --out folder of `blocwatch spark`")
    columns = table_columns()
    found: dict[str, list[Path]] = {}
    for table in OUTPUT_TABLES:
        where = folder / table
        if not (where / SUCCESS_MARKER).is_file():
            raise LoadError(
                f"{where} has no {SUCCESS_MARKER} marker: the Spark job did not finish writing "
                "it (or the folder is not a `blocwatch spark` output); run it again"
            )
        files = sorted(
            where / name
            for name in os.listdir(where)
            if name.endswith(".parquet") and not name.startswith((".", "_"))
        )
        wanted = {c.name for c in columns[table]}
        for file in files:
            names = set(pq.read_schema(file).names)
            if names != wanted:
                raise LoadError(
                    f"{file}: columns {sorted(names ^ wanted)} differ from the {table} table; "
                    "was it written by another blocwatch version?"
                )
        found[table] = files
    return found


def _batches(files: Sequence[Path], size: int) -> Iterator[list[dict[str, Any]]]:
    """Rows of a table's files as dicts, `size` at a time, never a whole file in memory."""
    for file in files:
        for record_batch in pq.ParquetFile(file).iter_batches(batch_size=size):
            yield record_batch.to_pylist()


# --- 1. staging -------------------------------------------------------------------------------


def _stage(db: Database, tables: Mapping[str, Sequence[Path]], size: int) -> None:
    columns = table_columns()
    for table in STAGED_TABLES:
        names = [c.name for c in columns[table]]
        quoted = ", ".join(f'"{n}"' for n in names)
        stage = _STAGE_PREFIX + table
        db.execute(f"DROP TABLE IF EXISTS temp.{stage}")
        db.execute(f"CREATE TEMP TABLE {stage} ({quoted})")
        db.execute(f"CREATE INDEX temp.idx_{stage} ON {stage}(doc_id)")
        insert = f"INSERT INTO temp.{stage} ({quoted}) VALUES ({', '.join('?' * len(names))})"
        for batch in _batches(tables[table], size):
            with write_transaction(db):
                db.conn.executemany(insert, [[row[n] for n in names] for row in batch])


def _drop_stage(db: Database) -> None:
    for table in STAGED_TABLES:
        db.execute(f"DROP TABLE IF EXISTS temp.{_STAGE_PREFIX + table}")


def _staged(db: Database, table: str, doc_id: str) -> list[dict[str, Any]]:
    cursor = db.conn.execute(
        f"SELECT * FROM temp.{_STAGE_PREFIX + table} WHERE doc_id = ? ORDER BY rowid", [doc_id]
    )
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor]


# --- 2. documents and their facts -------------------------------------------------------------


def _load_documents(db: Database, batch: list[dict[str, Any]], summary: LoadSummary) -> None:
    documents = [
        (store.article_from_row(row), bytes(row["minhash"]), str(row["exact_hash"]))
        for row in batch
    ]
    summary.add(store.write_batch(db, documents, [], []))
    by_extractor: dict[str, list[tuple[str, dict[str, list[dict[str, Any]]]]]] = defaultdict(list)
    for article, _minhash, _hash in documents:
        extractor = _extractor_to_write(db, article)
        if extractor is None:
            summary.extraction_kept += 1
            continue
        facts = {table: _staged(db, table, article.id) for table in store.FACT_TABLES}
        by_extractor[extractor].append((article.id, facts))
        for table, rows in facts.items():
            summary.facts[table] = summary.facts.get(table, 0) + len(rows)
    for extractor, extracted in sorted(by_extractor.items()):
        store.write_extractions(db, extracted, extractor)
        summary.extracted += len(extracted)


# How much an extraction label says was read: a fuller one is never replaced by a lesser one.
_KIND_RANK = {"failed": 0, "prefiltered": 1, "full": 2}


def _extractor_to_write(db: Database, article: Article) -> str | None:
    """The extractor whose facts to write for `article`, or None to keep what is stored: the
    stored document is another text (facts are spans into it), the folder has no extraction for
    it, or the store's extraction is the same or fuller (a full one over a prefiltered or failed
    one); the current extractor version always replaces an older or lesser one."""
    stored = db.execute(
        "SELECT d.text = ?, e.extractor FROM documents d LEFT JOIN extractions e "
        "ON e.doc_id = d.id WHERE d.id = ?",
        [store.storable(article.text), article.id],
    ).fetchone()
    if stored is None or not stored[0]:
        return None
    ours = _staged(db, "extractions", article.id)
    if not ours:
        log.warning("no extraction row for %s in the folder; its facts are not loaded", article.id)
        return None
    extractor, current = str(ours[0]["extractor"]), stored[1]
    if current is None or (
        current != extractor
        and (
            extractor == EXTRACTOR_VERSION
            or _KIND_RANK[extraction_kind(current)] < _KIND_RANK[extraction_kind(extractor)]
        )
    ):
        return extractor
    return None


def _reject(row: dict[str, Any]) -> Reject:
    reasons = {str(reason) for reason in RejectReason}
    if row["reason"] not in reasons:
        raise LoadError(
            f"reject {row['source']!r} has reason {row['reason']!r}, which this blocwatch does "
            "not know: was the folder written by a newer version?"
        )
    return Reject(row["source"], RejectReason(row["reason"]), row["detail"])


def _check_targets(db: Database, batch: list[dict[str, Any]]) -> None:
    """Every duplicate points at a stored document (else the folder is incomplete)."""
    for row in batch:
        found = db.execute("SELECT 1 FROM documents WHERE id = ?", [row["duplicate_of"]]).fetchone()
        if found is None:
            raise LoadError(
                f"duplicate {row['source']!r} points at document {row['duplicate_of']!r}, which "
                "is in neither the folder nor the database: the Spark output is incomplete"
            )
