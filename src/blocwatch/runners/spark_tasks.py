"""What the Spark runner's tasks do, in plain Python: the local runner's stages for one input
file or one partition of articles, ending as rows of the SQLite tables.

PySpark pickles these functions by reference, so every worker imports this module by name. It
therefore never imports pyspark (except when run as the workers' daemon, `serve_workers`), and
it is unit-tested without a JVM. Stages (the driver in runners/spark.py wires them):
1. `read_file`: one input file's bytes → (order key, RawDocument | Reject) per item, through the
   local readers themselves (`ingest.read_inputs` on a private copy of the file, so formats, caps
   and item sources behave exactly as in `blocwatch run`).
2. `route`: `clean.prepare` → (order key, Article), or a Reject (no text left, internal error);
   `keyed` gives each its shuffle key (an article's document id, a reject's source).
3. `keep_first`: exact duplicates (same document id) reduced to the first in input order; the
   others become `Duplicate` pointers, as the local runner's deduper makes them.
4. `partition_rows` / `extract_partition`: spaCy (loaded once, by the worker daemon or the
   worker), `pipeline.process_stream` (the relevance prefilter, then spaCy and the extractors)
   over the partition, rows from `store.fact_rows` / `store.document_row`, extraction labels as
   `blocwatch run` writes them, then the partition's rejects; runners/parquet_parts.py writes
   the rows.
"""

from __future__ import annotations

import dataclasses
import importlib
import logging
import os
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice
from typing import TYPE_CHECKING, Any

from blocwatch import store
from blocwatch.clean import prepare_or_reject
from blocwatch.clean.dedup import Deduper
from blocwatch.errors import RejectReason
from blocwatch.extract import EXTRACTOR_VERSION
from blocwatch.ingest import read_inputs
from blocwatch.model import Article, DocumentFacts, Duplicate, RawDocument, Reject
from blocwatch.runners.spark_context import MODEL_ENV, silence_pandas_warning
from blocwatch.settings import Options

if TYPE_CHECKING:
    from spacy.language import Language

    from blocwatch.pipeline import Outcome

# spaCy and the extractors (seconds of imports) are imported by the functions that use them, so
# the driver, which only plans the job, never loads them; workers get them preloaded from the
# daemon (`serve_workers`).
WORKER_MODULES = ("blocwatch.pipeline", "blocwatch.nlp.build", "blocwatch.runners.extraction")

log = logging.getLogger(__name__)

# Every table the Spark runner writes, one Parquet folder each under --out.
OUTPUT_TABLES = ("documents", "duplicates", "rejects", "extractions", *store.FACT_TABLES)
FILE_SCHEME = "file:"

OrderKey = tuple[int, int]  # (rank of the file in input order, item index within the file)
Tagged = tuple[str, tuple[Any, ...]]  # (output table, row values in column order)


@dataclass(frozen=True)
class Column:
    """One column of an output table, as the SQLite schema declares it."""

    name: str
    type: str  # TEXT | INTEGER | REAL | BLOB (every table is STRICT)
    not_null: bool


@lru_cache(maxsize=1)
def table_columns() -> dict[str, tuple[Column, ...]]:
    """Columns of every output table, read from the schema itself (an in-memory store), so the
    Parquet files can never drift from the SQLite tables."""
    db = store.open_store(":memory:")
    try:
        return {
            table: tuple(
                Column(str(name), str(kind).upper(), bool(not_null))
                for _cid, name, kind, not_null, _default, _pk in db.execute(
                    f"PRAGMA table_info({table})"
                )
            )
            for table in OUTPUT_TABLES
        }
    finally:
        db.close()


def source_of(uri: str) -> str:
    """The item source of a file Spark listed: a plain absolute path for local files (what
    `blocwatch run` records when given absolute paths), the URI itself otherwise."""
    if not uri.startswith(FILE_SCHEME):
        return uri
    path = uri[len(FILE_SCHEME) :]
    return "/" + path.lstrip("/") if path.startswith("//") else path


# --- 1. reading -----------------------------------------------------------------------------


def read_file(
    uri: str, content: bytes, rank: int, options: Options
) -> Iterator[tuple[OrderKey, RawDocument | Reject]]:
    """Every item of one input file, read by the local readers.

    The bytes are written to a private temporary directory under the file's own name (the stem
    gives default external ids) and read with `ingest.read_inputs`; item sources are then
    renamed from the temporary path to `source_of(uri)`.
    """
    source = source_of(uri)
    name = uri.rstrip("/").rsplit("/", 1)[-1]
    with tempfile.TemporaryDirectory(prefix="blocwatch-spark-") as folder:
        local = os.path.join(folder, name)
        with open(local, "wb") as handle:
            handle.write(content)
        for index, item in enumerate(read_inputs([local], options)):
            yield (rank, index), _renamed(item, local, source)


def _renamed(item: RawDocument | Reject, local: str, source: str) -> RawDocument | Reject:
    renamed = source + item.source[len(local) :] if item.source.startswith(local) else item.source
    if isinstance(item, Reject):
        return Reject(renamed, item.reason, item.detail.replace(local, source))
    return dataclasses.replace(item, source=renamed)


# --- 2. cleaning ----------------------------------------------------------------------------


def route(
    keyed: tuple[OrderKey, RawDocument | Reject], options: Options
) -> Reject | tuple[OrderKey, Article]:
    """One item → an article to keep, or a reject (the local runner's `_route`, minus dedup)."""
    order, item = keyed
    if isinstance(item, Reject):
        return item
    article = prepare_or_reject(item, options)
    return article if isinstance(article, Reject) else (order, article)


# --- 3. exact duplicates --------------------------------------------------------------------

# Prefix of a reject's shuffle key: never the start of a document id (hexadecimal).
REJECT_KEY = "reject:"


@dataclass(frozen=True)
class Kept:
    """The first article (in input order) with one document id, and its later exact copies."""

    order: OrderKey
    article: Article
    copies: tuple[Duplicate, ...] = ()


def keyed(item: Reject | tuple[OrderKey, Article]) -> tuple[str, Kept | Reject]:
    """The shuffle key of a routed item: an article's document id, so exact copies meet in one
    reducer; a reject's own place in input order, so it meets nothing and rides along."""
    if isinstance(item, Reject):
        return f"{REJECT_KEY}{item.source}", item
    order, article = item
    return article.id, Kept(order, article)


def keep_first(a: Kept | Reject, b: Kept | Reject) -> Kept | Reject:
    """Reducer over articles of one id: the earlier one stays, the later one becomes a copy."""
    if isinstance(a, Reject) or isinstance(b, Reject):  # the same rejected source read twice
        return a
    first, second = (a, b) if a.order <= b.order else (b, a)
    copies = first.copies + second.copies
    if second.article.source != first.article.source:  # the same file listed twice: one item
        copies += (exact_copy(second.article),)
    return Kept(first.order, first.article, copies)


def exact_copy(article: Article) -> Duplicate:
    """The `Duplicate` the local deduper writes for an exact copy of a stored document."""
    return Duplicate(
        source=article.source,
        input_format=article.input_format,
        duplicate_of=article.id,
        method="exact",
        similarity=1.0,
        external_id=article.external_id,
        url=article.url,
        title=article.title,
        outlet=article.outlet,
        published=article.published,
    )


# --- 4. extraction --------------------------------------------------------------------------

_NLP: dict[str, Language] = {}


def worker_nlp(options: Options) -> Language:
    """The spaCy pipeline of this worker process, built on first use. PySpark reuses Python
    workers across tasks (spark.python.worker.reuse), so it loads at most once per partition."""
    from blocwatch.nlp.build import build_nlp

    nlp = _NLP.get(options.spacy_model)
    if nlp is None:
        nlp = _NLP[options.spacy_model] = build_nlp(options)
    return nlp


def warm_worker(_task: int, options: Options) -> None:
    """Import this module and load spaCy in a worker before the job needs them."""
    worker_nlp(options)


def partition_rows(
    items: Iterable[tuple[str, Kept | Reject]], options: Options, nlp: Language | None = None
) -> Iterator[Tagged]:
    """Rows of every table for one partition after the shuffle: the extracted articles', then
    the rejects' (a few small records, held until the articles are done)."""
    rejects: list[Reject] = []

    def articles() -> Iterator[tuple[str, Kept]]:
        for key, value in items:
            if isinstance(value, Reject):
                rejects.append(value)
            else:
                yield key, value

    yield from extract_partition(articles(), options, nlp)
    yield from map(reject_row, rejects)


def extract_partition(
    kept: Iterable[tuple[str, Kept]], options: Options, nlp: Language | None = None
) -> Iterator[Tagged]:
    """Rows of every table for one partition of (id, Kept): the document, its copies, its
    extraction and its facts. A document the prefilter skips or the extractor fails on is kept
    with its extraction marked so, as `blocwatch run` does; no document fails the task."""
    # Spark is the parallelism: spaCy runs in this worker, never in processes of its own.
    options = dataclasses.replace(options, n_process=1)
    model = nlp if nlp is not None else worker_nlp(options)
    signer = Deduper(options, lambda _doc_id: None)  # only its MinHash signature is used
    items = iter(kept)
    while chunk := [value for _key, value in islice(items, options.batch_size)]:
        outcomes = _extract_chunk([k.article for k in chunk], model, options)
        for item in chunk:
            yield from _rows_of(item, outcomes[item.article.id], signer)


def process_stream(
    articles: Iterable[Article], options: Options, nlp: Language
) -> Iterator[tuple[Article, Outcome]]:
    """`pipeline.process_stream`, imported on first use (see WORKER_MODULES)."""
    from blocwatch import pipeline

    return pipeline.process_stream(articles, options, nlp)


def _extract_chunk(
    articles: Sequence[Article], nlp: Language, options: Options
) -> dict[str, Outcome]:
    """The outcome per article id (ids are unique after `keep_first`). `process_stream`
    isolates extractor errors; an error inside spaCy's own pipe ends its stream, so the chunk
    is then redone one document at a time."""
    try:
        return {a.id: o for a, o in process_stream(articles, options, nlp)}
    except Exception:  # a component failed inside nlp.pipe: find the document, keep the rest
        log.exception("nlp.pipe failed on %d documents; retrying one by one", len(articles))
    outcomes: dict[str, Outcome] = {}
    for article in articles:
        try:
            outcomes.update((a.id, o) for a, o in process_stream([article], options, nlp))
        except Exception as exc:  # this document breaks the pipeline itself
            outcomes[article.id] = exc
    return outcomes


def _rows_of(item: Kept, outcome: Outcome, signer: Deduper) -> Iterator[Tagged]:
    from blocwatch.pipeline import Skipped
    from blocwatch.runners.extraction import FAILED, PREFILTERED

    article = item.article
    columns = table_columns()
    signature = signer.signature(article.clean_text).hashvalues.astype("<u4").tobytes()
    try:
        document = as_tuple(
            store.document_row(article, signature, article.id), columns["documents"]
        )
    except (TypeError, ValueError) as exc:  # a row the table would refuse: reject, never fail
        log.error("document row of %s does not fit the schema: %s", article.source, exc)
        for source in (article.source, *(copy.source for copy in item.copies)):
            yield "rejects", (source, str(RejectReason.INTERNAL_ERROR), f"bad document row: {exc}")
        return
    yield "documents", document
    for copy in item.copies:
        yield "duplicates", as_tuple(dataclasses.asdict(copy), columns["duplicates"])
    if isinstance(outcome, Skipped):
        yield "extractions", (article.id, PREFILTERED, 0)
        return
    facts = _fact_tuples(article, outcome, columns)
    if facts is None:
        yield "extractions", (article.id, FAILED, 0)
        return
    yield "extractions", (article.id, EXTRACTOR_VERSION, len(facts["joint_action_reports"]))
    for table, rows in facts.items():
        for row in rows:
            yield table, row


def _fact_tuples(
    article: Article,
    outcome: DocumentFacts | Exception,
    columns: Mapping[str, tuple[Column, ...]],
) -> dict[str, list[tuple[Any, ...]]] | None:
    """Fact rows in column order, or None when extraction failed (logged, like the local run)."""
    if isinstance(outcome, Exception):
        log.error("extraction failed for %s: %r", article.source, outcome)
        return None
    try:
        return {
            table: [as_tuple({**row, "doc_id": article.id}, columns[table]) for row in rows]
            for table, rows in store.fact_rows(outcome).items()
        }
    except (TypeError, ValueError) as exc:
        log.error("facts of %s do not fit the schema: %r", article.source, exc)
        return None


def extraction_kind(extractor: str) -> str:
    """ "full", "prefiltered" or "failed": what an `extractions.extractor` label says was done."""
    _version, _, kind = extractor.rpartition(":")
    return kind if _version and kind in ("prefiltered", "failed") else "full"


def count_key(tagged: Tagged) -> str:
    """What the summary counts a row under: its table, with the reason of a reject and the kind
    of a prefiltered or failed extraction ("rejects:empty", "extractions:prefiltered")."""
    table, values = tagged
    if table == "rejects":
        return f"{table}:{values[1]}"
    kind = extraction_kind(str(values[1])) if table == "extractions" else "full"
    return table if kind == "full" else f"{table}:{kind}"


def reject_row(reject: Reject) -> Tagged:
    """A `rejects` row, strings made storable as the store makes them."""
    row = {"source": reject.source, "reason": str(reject.reason), "detail": reject.detail}
    return "rejects", as_tuple(row, table_columns()["rejects"])


def as_tuple(row: Mapping[str, Any], columns: Sequence[Column]) -> tuple[Any, ...]:
    """Row values in column order, checked against the column types and NOT NULL (ValueError
    names the column), strings made storable and REAL values floats, as SQLite would keep them."""
    unknown = set(row) - {column.name for column in columns}
    if unknown:
        raise ValueError(f"unknown columns {sorted(unknown)}")
    return tuple(_value(column, row.get(column.name)) for column in columns)


def _value(column: Column, value: Any) -> Any:
    if value is None:
        if column.not_null:
            raise ValueError(f"{column.name} is NULL")
        return None
    if isinstance(value, bool):
        pass  # a bool is an int to Python, but no column holds one
    elif column.type == "TEXT" and isinstance(value, str):
        return store.storable(value)
    elif column.type == "INTEGER" and isinstance(value, int):
        return value
    elif column.type == "REAL" and isinstance(value, (int, float)):
        return float(value)
    elif column.type == "BLOB" and isinstance(value, (bytes, bytearray)):
        return bytes(value)
    raise ValueError(f"{column.name}: {type(value).__name__} is not {column.type}")


def serve_workers() -> None:
    """Run PySpark's worker daemon with this module (spaCy, the store, the extractors) already
    imported, and the job's spaCy pipeline loaded when MODEL_ENV names it: the daemon forks
    every Python worker, so no worker pays the seconds of imports or of loading the model again,
    and the workers share the model's memory (runners/spark.py sets spark.python.daemon.module to
    this module)."""
    silence_pandas_warning()
    from pyspark.daemon import manager  # only in the daemon process: tests need no JVM

    for module in WORKER_MODULES:
        importlib.import_module(module)
    model = os.environ.get(MODEL_ENV)
    if model:
        try:
            worker_nlp(Options(spacy_model=model))
        except Exception:  # the first task loads it again and fails with the reason
            log.exception("could not preload the spaCy model %s", model)
    manager()


if __name__ == "__main__":  # python -m blocwatch.runners.spark_tasks: started by Spark
    # Run as __main__, this file is a second copy; forked workers must share the real module.
    from blocwatch.runners import spark_tasks

    spark_tasks.serve_workers()
