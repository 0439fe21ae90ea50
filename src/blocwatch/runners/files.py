"""`blocwatch extract --json-dir`: articles in, one gold-schema JSON file per article out.

No database: inputs are read, cleaned and extracted in one stream. File names come from the
article's id (sanitised, see gold_format.output_filename), never from a title or a path in the
input; a name already used in this run gets the article fingerprint appended, so no file is
overwritten. Articles stream through; only the set of used names is kept. An article the
prefilter skips (options.prefilter) gets its file too, with no facts.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator, Sequence
from pathlib import Path

from blocwatch.clean import prepare
from blocwatch.gold_format import output_filename, to_gold_json
from blocwatch.ingest import read_inputs
from blocwatch.model import Article, DocumentFacts, Reject
from blocwatch.pipeline import Skipped, process_stream
from blocwatch.settings import Options

log = logging.getLogger(__name__)


def extract_to_json(paths: Sequence[str], json_dir: Path, options: Options) -> tuple[int, int]:
    """Write one JSON file per readable article; returns (files written, inputs rejected)."""
    json_dir.mkdir(parents=True, exist_ok=True)
    rejected: list[str] = []
    used: set[str] = set()
    written = 0
    for article, outcome in process_stream(_articles(paths, options, rejected), options):
        if isinstance(outcome, Skipped):
            outcome = DocumentFacts(article=article)
        if isinstance(outcome, Exception):
            log.error("extraction failed for %s: %r", article.source, outcome)
            rejected.append(article.source)
            continue
        name = output_filename(article)
        if name.casefold() in used:
            name = f"{name.removesuffix('.json')}-{article.id}.json"
        used.add(name.casefold())
        text = json.dumps(to_gold_json(outcome), ensure_ascii=False, indent=2) + "\n"
        (json_dir / name).write_text(text, "utf-8")
        written += 1
    return written, len(rejected)


def _articles(paths: Sequence[str], options: Options, rejected: list[str]) -> Iterator[Article]:
    for item in read_inputs(paths, options):
        if isinstance(item, Reject):
            log.warning("rejected %s: %s (%s)", item.source, item.reason, item.detail)
            rejected.append(item.source)
            continue
        yield prepare(item, options)
