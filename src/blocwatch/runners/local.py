"""The local runner: stream inputs through ingest → clean → dedup → store, batch by batch.

Stages, in the order they run for each input item:
1. `ingest.read_inputs` yields a RawDocument or a Reject per item (never raises for bad input).
2. `clean.prepare` normalises the text, strips web clutter and finds date/outlet/language.
3. `Deduper.judge` marks exact and near copies of documents already stored (seeded from the store).
4. Every `options.batch_size` items, `store.write_batch` commits documents, duplicates, rejects in
   one transaction, so a killed run loses at most one batch and a re-run redoes exactly that.

Memory stays flat: items are never collected beyond one batch, and the deduper remembers the
stored documents (ids, sources, LSH bands) in a temporary SQLite file (`DiskIndex`), not in RAM.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from sqlite_utils import Database

from blocwatch import store
from blocwatch.clean import prepare_or_reject
from blocwatch.clean.dedup import Deduper, DiskIndex
from blocwatch.ingest import read_inputs
from blocwatch.model import Article, Duplicate, RawDocument, Reject
from blocwatch.settings import Options

log = logging.getLogger(__name__)


@dataclass
class RunSummary:
    """Counts a user sees at the end of a run; every input item lands in exactly one bucket."""

    db_path: str
    run_id: int
    documents_new: int = 0
    documents_seen: int = 0  # already stored from the same source (a re-run)
    duplicates: int = 0
    rejects: int = 0
    reject_reasons: dict[str, int] = field(default_factory=dict)

    @property
    def documents(self) -> int:
        return self.documents_new + self.documents_seen

    @property
    def items(self) -> int:
        return self.documents + self.duplicates + self.rejects

    def as_counts(self) -> dict[str, int]:
        return {
            "documents_new": self.documents_new,
            "documents_seen": self.documents_seen,
            "duplicates": self.duplicates,
            "rejects": self.rejects,
        }


@dataclass
class _Batch:
    documents: list[tuple[Article, bytes, str]] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)  # clean texts of pending documents

    def __len__(self) -> int:
        return len(self.documents) + len(self.duplicates) + len(self.rejects)

    def clear(self) -> None:
        self.documents.clear()
        self.duplicates.clear()
        self.rejects.clear()
        self.texts.clear()


Progress = Callable[[RunSummary], None]


def ingest(
    paths: Sequence[str],
    db_path: str | Path,
    options: Options,
    *,
    command: str = "ingest",
    stdin: TextIO | None = None,
    on_progress: Progress | None = None,
) -> RunSummary:
    """Read every input into the store; returns the counts. The DB is created when missing."""
    db = store.open_store(db_path)
    run_id = store.begin_run(db, command, list(paths), options)
    summary = RunSummary(db_path=str(db_path), run_id=run_id)
    status = "failed"
    index = DiskIndex()
    try:
        batch = _Batch()
        deduper = _seeded_deduper(db, options, batch, index)
        for item in read_inputs(paths, options, stdin=stdin):
            _route(item, options, deduper, batch, summary)
            if len(batch) >= options.batch_size:
                _flush(db, batch, on_progress, summary)
        _flush(db, batch, on_progress, summary)
        status = "ok"
    except KeyboardInterrupt:
        status = "interrupted"
        raise
    finally:
        index.close()
        store.end_run(db, run_id, status, summary.as_counts())
        db.close()
    return summary


def _seeded_deduper(db: Database, options: Options, batch: _Batch, index: DiskIndex) -> Deduper:
    """A deduper that knows every stored document and the pending batch's texts."""

    def text_of(doc_id: str) -> str | None:
        pending = batch.texts.get(doc_id)
        return pending if pending is not None else store.clean_text_of(db, doc_id)

    deduper = Deduper(options, text_of, index)
    deduper.remember_stored(store.iter_signatures(db))
    return deduper


def _route(
    item: RawDocument | Reject,
    options: Options,
    deduper: Deduper,
    batch: _Batch,
    summary: RunSummary,
) -> None:
    """Put one input item in exactly one bucket: document, duplicate or reject."""
    if isinstance(item, Reject):
        _reject(item, batch, summary)
        return
    article = prepare_or_reject(item, options)
    if isinstance(article, Reject):
        _reject(article, batch, summary)
        return
    verdict = deduper.judge(article)
    if verdict.duplicate is not None:
        batch.duplicates.append(verdict.duplicate)
        summary.duplicates += 1
        return
    if verdict.seen_before:
        summary.documents_seen += 1
        return
    batch.documents.append((article, verdict.signature, article.id))
    batch.texts[article.id] = article.clean_text
    summary.documents_new += 1


def _reject(reject: Reject, batch: _Batch, summary: RunSummary) -> None:
    batch.rejects.append(reject)
    summary.rejects += 1
    reason = str(reject.reason)
    summary.reject_reasons[reason] = summary.reject_reasons.get(reason, 0) + 1


def _flush(db: Database, batch: _Batch, on_progress: Progress | None, summary: RunSummary) -> None:
    if len(batch):
        store.write_batch(db, batch.documents, batch.duplicates, batch.rejects)
        batch.clear()
    if on_progress is not None:
        on_progress(summary)
