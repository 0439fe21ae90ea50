"""`blocwatch extract --json-dir`: articles in, one gold-schema JSON file per article out.

No database: inputs are read, cleaned and extracted in one stream. File names come from the
article's id (sanitised, see gold_format.output_filename), never from a title or a path in the
input; a name already used in this run gets the article fingerprint appended, so no file is
overwritten. Articles stream through; only the set of used names is kept.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator, Sequence
from pathlib import Path

from blocwatch.clean import prepare
from blocwatch.gold_format import output_filename, to_gold_json
from blocwatch.ingest import read_inputs
from blocwatch.model import Article, Reject
from blocwatch.nlp.build import build_nlp
from blocwatch.pipeline import process_many_safely
from blocwatch.settings import Options

log = logging.getLogger(__name__)


def extract_to_json(paths: Sequence[str], json_dir: Path, options: Options) -> tuple[int, int]:
    """Write one JSON file per readable article; returns (files written, inputs rejected)."""
    json_dir.mkdir(parents=True, exist_ok=True)
    rejected: list[str] = []
    used: set[str] = set()
    written = 0
    nlp = build_nlp(options)
    for article, outcome in process_many_safely(
        _articles(paths, options, rejected), nlp, options.nlp_batch_size
    ):
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
