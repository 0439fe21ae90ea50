"""Extraction over the store: every stored document the current extractor has not read yet.

Kept apart from the ingest runner so that `blocwatch ingest` and `stats` never load spaCy.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spacy.language import Language
from sqlite_utils import Database

from blocwatch import store
from blocwatch.extract import EXTRACTOR_VERSION
from blocwatch.nlp.build import build_nlp
from blocwatch.pipeline import process_many_safely
from blocwatch.settings import Options

log = logging.getLogger(__name__)


@dataclass
class ExtractSummary:
    """Counts of one extraction pass over the stored documents."""

    documents: int = 0
    joint_actions: int = 0
    failed: int = 0


ExtractProgress = Callable[[ExtractSummary], None]


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
        ids = store.documents_to_extract(db, EXTRACTOR_VERSION)
        if not ids:
            return summary
        language_model = nlp if nlp is not None else build_nlp(options)
        articles = (a for a in (store.get_article(db, doc_id) for doc_id in ids) if a is not None)
        batch: list[tuple[str, dict[str, list[dict[str, Any]]]]] = []
        failed: list[str] = []
        for article, outcome in process_many_safely(
            articles, language_model, options.nlp_batch_size
        ):
            summary.documents += 1
            if isinstance(outcome, Exception):
                log.error("extraction failed for %s: %r", article.source, outcome)
                failed.append(article.id)
                summary.failed += 1
            else:
                rows = store.fact_rows(outcome)
                summary.joint_actions += len(rows["joint_action_reports"])
                batch.append((article.id, rows))
            if len(batch) + len(failed) >= options.batch_size:
                _flush_extractions(db, batch, failed, on_progress, summary)
        _flush_extractions(db, batch, failed, on_progress, summary)
    finally:
        db.close()
    return summary


def _flush_extractions(
    db: Database,
    batch: list[tuple[str, dict[str, list[dict[str, Any]]]]],
    failed: list[str],
    on_progress: ExtractProgress | None,
    summary: ExtractSummary,
) -> None:
    if batch:
        store.write_extractions(db, batch, EXTRACTOR_VERSION)
    if failed:
        store.write_extractions(
            db, [(doc_id, {}) for doc_id in failed], f"{EXTRACTOR_VERSION}:failed"
        )
    batch.clear()
    failed.clear()
    if on_progress is not None:
        on_progress(summary)
