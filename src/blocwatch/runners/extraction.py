"""Extraction over the store: every stored document the current extractor has not read yet.

Kept apart from the ingest runner so that `blocwatch ingest` and `stats` never load spaCy.
Streams: ids come a page at a time, articles one at a time, and `pipeline.process_stream` holds
one chunk (per worker); facts commit every `options.batch_size` documents. A document the
prefilter skips gets an `extractions` row too (extractor `PREFILTERED`), so a re-run does not
check it again; `--no-prefilter` reads it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import Any

from spacy.language import Language
from sqlite_utils import Database

from blocwatch import store
from blocwatch.extract import EXTRACTOR_VERSION
from blocwatch.model import Article
from blocwatch.nlp.prefilter import prefilter_version
from blocwatch.pipeline import Skipped, process_stream
from blocwatch.settings import Options

log = logging.getLogger(__name__)

FAILED = f"{EXTRACTOR_VERSION}:failed"  # retried on the next run
# Skipped by the prefilter: done for this extractor and this prefilter (rule and pattern data).
PREFILTERED = f"{EXTRACTOR_VERSION}+{prefilter_version()}:prefiltered"


@dataclass
class ExtractSummary:
    """Counts of one extraction pass over the stored documents."""

    documents: int = 0
    joint_actions: int = 0
    failed: int = 0
    prefiltered: int = 0  # skipped by the prefilter (counted in `documents`)


ExtractProgress = Callable[[ExtractSummary], None]


@dataclass
class _Pending:
    """Rows of the documents read since the last commit, by how they ended."""

    facts: list[tuple[str, dict[str, list[dict[str, Any]]]]]
    failed: list[str]
    skipped: list[str]

    def __len__(self) -> int:
        return len(self.facts) + len(self.failed) + len(self.skipped)


def extract_stored(
    db_path: str | Path,
    options: Options,
    *,
    nlp: Language | None = None,
    on_progress: ExtractProgress | None = None,
) -> ExtractSummary:
    """Extract facts from every stored document this extractor version has not read yet.

    Facts of a batch and their `extractions` rows commit together, so a killed run resumes where
    it stopped. A document the extractor fails on is logged and marked as failed (it is retried
    on the next run), and the run goes on.
    """
    db = store.open_store(db_path)
    summary = ExtractSummary()
    try:
        done = {EXTRACTOR_VERSION, PREFILTERED} if options.prefilter else {EXTRACTOR_VERSION}
        ids = store.documents_to_extract(db, done)
        first = next(ids, None)
        if first is None:
            return summary  # nothing to read: spaCy is never loaded
        pending = _Pending([], [], [])
        articles = _articles(db, chain([first], ids))
        for article, outcome in process_stream(articles, options, nlp):
            summary.documents += 1
            if isinstance(outcome, Skipped):
                pending.skipped.append(article.id)
                summary.prefiltered += 1
            elif isinstance(outcome, Exception):
                log.error("extraction failed for %s: %r", article.source, outcome)
                pending.failed.append(article.id)
                summary.failed += 1
            else:
                rows = store.fact_rows(outcome)
                summary.joint_actions += len(rows["joint_action_reports"])
                pending.facts.append((article.id, rows))
            if len(pending) >= options.batch_size:
                _flush(db, pending, on_progress, summary)
        _flush(db, pending, on_progress, summary)
    finally:
        db.close()
    return summary


def _articles(db: Database, ids: Iterator[str]) -> Iterator[Article]:
    for doc_id in ids:
        article = store.get_article(db, doc_id)
        if article is not None:
            yield article


def _flush(
    db: Database,
    pending: _Pending,
    on_progress: ExtractProgress | None,
    summary: ExtractSummary,
) -> None:
    if pending.facts:
        store.write_extractions(db, pending.facts, EXTRACTOR_VERSION)
    if pending.failed:
        store.write_extractions(db, [(doc_id, {}) for doc_id in pending.failed], FAILED)
    if pending.skipped:
        store.write_extractions(db, [(doc_id, {}) for doc_id in pending.skipped], PREFILTERED)
    pending.facts.clear()
    pending.failed.clear()
    pending.skipped.clear()
    if on_progress is not None:
        on_progress(summary)
