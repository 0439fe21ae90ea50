"""The Spark runner: the local runner's stages over many machines, written as Parquet tables.

`blocwatch spark INPUT... --out DIR` lists the inputs with Hadoop's FileSystem API (local paths
or any Hadoop URI: hdfs://, s3a://, ...; runners/spark_inputs.py) and runs one job on a plain
SparkContext (no SQL engine: its start-up costs seconds and nothing here needs it), per stage
(worker code in spark_tasks.py):
1. read: each input file is one task that runs the local readers on its bytes (formats, size
   caps and item sources as in `blocwatch run`); items are then spread over the partitions;
2. clean: `clean.prepare` per item, or a reject; keyed by document id for the shuffle;
3. exact duplicates: articles with the same document id reduced to the first in input order
   (file order as `blocwatch run` walks it, then item order), the others kept as `Duplicate`s;
4. extract: per partition, spaCy (loaded once, in the worker daemon), `pipeline.process_stream`
   (the prefilter, spaCy, the extractors), rows of every table;
5. write: in the same task, each table's rows straight into DIR/<table>/part-NNNNN.parquet
   (runners/parquet_parts.py), with the columns of the SQLite table (schemas are read from
   store/schema.py, so an empty table still gets a typed file); `blocwatch load` merges the
folder into a database (runners/load.py). Near duplicates are not looked for here: they need
every earlier document, which is the local runner's job (docs/scale.md).

Run it as `blocwatch spark ...` (a local context, or the master given; runners/spark_context.py),
or under spark-submit with this file as the application:
`spark-submit ... blocwatch/runners/spark.py INPUT --out DIR`.
"""

from __future__ import annotations

import logging
import sys
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial

from pyspark import Accumulator, AccumulatorParam, Broadcast, SparkContext

from blocwatch.errors import RejectReason
from blocwatch.model import RawDocument, Reject
from blocwatch.runners.parquet_parts import arrow_uri, finish_output, prepare_output, write_part
from blocwatch.runners.spark_inputs import list_inputs, read_pattern
from blocwatch.runners.spark_tasks import (
    OUTPUT_TABLES,
    Kept,
    OrderKey,
    keep_first,
    keyed,
    partition_rows,
    read_file,
    reject_row,
    route,
    source_of,
    warm_worker,
)
from blocwatch.settings import Options

log = logging.getLogger(__name__)

# Default partitions per core: several per core, so a partition of slow (long, relevant)
# documents does not leave the other cores idle at the end of the job.
PARTITIONS_PER_CORE = 4


@dataclass
class SparkSummary:
    """What one Spark run wrote: rows per output table and rejects per reason."""

    out: str
    files: int = 0
    partitions: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    reject_reasons: dict[str, int] = field(default_factory=dict)
    failed_extractions: int = 0
    prefiltered: int = 0  # documents the prefilter skipped (no facts, as in `blocwatch run`)
    unread_files: int = 0  # listed files no task read: rejects (should stay 0)


def run_spark(
    context: SparkContext,
    paths: Sequence[str],
    out: str,
    options: Options,
    partitions: int | None = None,
) -> SparkSummary:
    """Read, clean, deduplicate (exact) and extract `paths`; write every table under `out`."""
    parts = partitions or context.defaultParallelism * PARTITIONS_PER_CORE
    out = arrow_uri(out)  # resolved here: a relative path means the driver's folder
    prepare_output(out)
    with ThreadPoolExecutor(max_workers=1) as background:
        # The worker daemon starts (imports, spaCy) while the driver lists the inputs.
        warming = background.submit(_warm_workers, context, options)
        files, input_rejects = list_inputs(context, paths)
        warming.result()
    summary = SparkSummary(out=out, files=len(files), partitions=parts)
    log.info(
        "%d input files, %d unusable paths, %d partitions", len(files), len(input_rejects), parts
    )
    ranks = context.broadcast({f.uri: f.rank for f in files})
    read = context.accumulator(set[str](), _UriSet())
    contents = (
        context.binaryFiles(",".join(dict.fromkeys(read_pattern(f.uri) for f in files)), len(files))
        if files
        else context.emptyRDD()
    )
    shuffled = (
        contents.flatMap(partial(_read_file, ranks=ranks, read=read, options=options))
        .repartition(parts)
        .map(partial(_route, options=options))
        .reduceByKey(keep_first, parts)
    )
    try:
        counts = shuffled.mapPartitionsWithIndex(
            partial(_write_part, options=options, out=out)
        ).collect()
    finally:
        ranks.unpersist()
    # Listed files no task read (never expected: a safety net, so none is lost silently).
    unread = [_unread(f.uri) for f in files if f.uri not in read.value]
    summary.unread_files = len(unread)
    # Paths that could not be listed or read: a few rows, written here after every task's part.
    counts.extend(write_part(parts, map(reject_row, [*input_rejects, *unread]), out))
    _count(counts, summary)
    finish_output(out, summary.rows)
    return summary


class _UriSet(AccumulatorParam[set[str]]):
    """The URIs the read tasks got: an accumulator of sets."""

    def zero(self, value: set[str]) -> set[str]:
        return set()

    def addInPlace(self, value1: set[str], value2: set[str]) -> set[str]:
        value1 |= value2
        return value1


def _unread(uri: str) -> Reject:
    log.error("%s was listed but Spark's reader never returned it", uri)
    detail = "listed, but Spark's file reader did not return it: read it with `blocwatch run`"
    return Reject(source_of(uri), RejectReason.UNREADABLE, detail)


def _warm_workers(context: SparkContext, options: Options) -> None:
    """One small task per core, so the worker daemon (DAEMON_MODULE) starts, imports blocwatch
    and loads spaCy while the driver lists the inputs; workers it forks later have them (a
    worker loads the model itself if the daemon did not: workers are reused across tasks)."""
    cores = context.defaultParallelism
    context.parallelize(range(cores), cores).foreach(partial(warm_worker, options=options))


# Small named functions, not lambdas: PySpark pickles them by reference.


def _read_file(
    pair: tuple[str, bytes],
    ranks: Broadcast[dict[str, int]],
    read: Accumulator[set[str]],
    options: Options,
) -> Iterator[tuple[OrderKey, RawDocument | Reject]]:
    uri, content = pair
    rank = ranks.value.get(uri)
    if rank is None:  # another file the read pattern matched: not an input
        return iter(())
    read.add({uri})
    return read_file(uri, content, rank, options)


def _route(
    item: tuple[OrderKey, RawDocument | Reject], options: Options
) -> tuple[str, Kept | Reject]:
    return keyed(route(item, options))


def _write_part(
    part: int, items: Iterator[tuple[str, Kept | Reject]], options: Options, out: str
) -> Iterator[dict[str, int]]:
    return write_part(part, partition_rows(items, options), out)


def _count(counts: Sequence[Mapping[str, int]], summary: SparkSummary) -> None:
    """Rows per table, rejects per reason and skipped or failed extractions, from the tasks'
    counts per `count_key`."""
    summary.rows = dict.fromkeys(OUTPUT_TABLES, 0)
    totals: Counter[str] = Counter()
    for task in counts:
        totals.update(task)
    for key, n in sorted(totals.items()):
        table, _, detail = key.partition(":")
        summary.rows[table] += n
        if table == "rejects":
            summary.reject_reasons[detail] = n
        elif detail == "failed":
            summary.failed_extractions += n
        elif detail == "prefiltered":
            summary.prefiltered += n


if __name__ == "__main__":  # spark-submit .../blocwatch/runners/spark.py INPUT... --out DIR
    from blocwatch.cli import app

    app(["spark", *sys.argv[1:]])
