"""The Spark runner: the local runner's stages over many machines, written as Parquet tables.

`blocwatch spark INPUT... --out DIR` lists the inputs with Spark (local paths or any Hadoop URI:
hdfs://, s3a://, ...), and runs, per stage (worker code in spark_tasks.py):
1. read: each input file is one task that runs the local readers on its bytes (formats, size
   caps and item sources as in `blocwatch run`); items are then spread over the partitions;
2. clean: `clean.prepare` per item, or a reject;
3. exact duplicates: articles with the same document id reduced to the first in input order
   (file order as `blocwatch run` walks it, then item order), the others kept as `Duplicate`s;
4. extract: per partition, spaCy loaded once per Python worker, `pipeline.process_stream` (the
   prefilter, spaCy, the extractors), rows of every table;
5. write: the rows of all tables become one cached DataFrame, and each table is written from it.
Each table goes to DIR/<table>/ as Parquet with the columns of the SQLite table (schemas are read
from store/schema.py, so an empty table still writes a typed file); `blocwatch load` merges the
folder into a database (runners/load.py). Near duplicates are not looked for here: they need
every earlier document, which is the local runner's job (docs/scale.md).

Run it as `blocwatch spark ...` (a local session, or the master given), or under spark-submit
with this file as the application: `spark-submit ... blocwatch/runners/spark.py INPUT --out DIR`.
"""

from __future__ import annotations

import glob
import logging
import math
import os
import re
import sys
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from pyspark import RDD, SparkContext, StorageLevel
from pyspark.errors import AnalysisException
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql import types as T

from blocwatch.errors import RejectReason
from blocwatch.ingest.files import too_large
from blocwatch.ingest.walk import STDIN, format_of
from blocwatch.model import Article, RawDocument, Reject
from blocwatch.runners.spark_tasks import (
    OUTPUT_TABLES,
    Column,
    Kept,
    OrderKey,
    Tagged,
    extract_partition,
    extraction_kind,
    keep_first,
    read_file,
    reject_row,
    route,
    source_of,
    table_columns,
    warm_worker,
)
from blocwatch.settings import MiB, Options

log = logging.getLogger(__name__)

# Default partitions per core: twice the cores, so a partition of slow (long, relevant)
# documents does not leave the other cores idle at the end of the job.
PARTITIONS_PER_CORE = 2
# A file is one byte array in the JVM (at most 2 GiB) and again in the Python worker: files above
# 1 GiB are rejected with advice to split them (a crawl is usually many ~1 GiB WARC files anyway).
MAX_SPARK_FILE_BYTES = 1024 * MiB
SPARK_FILE_FLAG = "splitting the file (Spark reads one file whole in one task)"
# Rows per Parquet file at most: small tables end as one file, large ones as a few per partition.
ROWS_PER_FILE = 50_000
# Tables written at once: their jobs only read the cached frame, so the per-job set-up and
# commit of the small tables overlap.
CONCURRENT_WRITES = 4
# Driver memory of a session started here: in local mode the driver also runs the tasks and
# keeps the cached stages (spilled to disk past it).
DRIVER_MEMORY = "2g"
# One BLAS/OpenMP thread per Python worker: Spark already runs one worker per core, and spaCy's
# matrix products would otherwise start a thread per core in each of them.
WORKER_ENV = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
# PySpark's worker daemon: this module, run with `-m`, imports blocwatch before forking workers.
DAEMON_MODULE = "blocwatch.runners.spark_tasks"
TABLE_COLUMN, COUNT_COLUMN = "_table", "_count_key"
_SPARK_TYPES: dict[str, T.DataType] = {
    "TEXT": T.StringType(),
    "INTEGER": T.LongType(),
    "REAL": T.DoubleType(),
    "BLOB": T.BinaryType(),
}
# Hadoop glob characters: listed paths are escaped before being read back one by one.
_GLOB_CHARS = re.compile(r"([\\*?\[\]{}])")


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


@dataclass(frozen=True)
class ListedFile:
    """One input file Spark found, with its place in input order."""

    uri: str
    rank: int


def spark_session(
    master: str | None = None, driver_memory: str = DRIVER_MEMORY, ui: bool | None = None
) -> SparkSession:
    """A SparkSession for blocwatch. `master` None keeps spark-submit's (or Spark's default,
    local[*]); Python workers run this interpreter unless PYSPARK_PYTHON says otherwise. The
    web UI (`ui` None) is on for a cluster and off for a local master, where nobody watches it
    and its port could clash with another local session."""
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    if ui is None:
        ui = not (master or "").startswith("local")
    builder = (
        SparkSession.builder.appName("blocwatch")
        .config("spark.ui.enabled", str(ui).lower())
        .config("spark.driver.memory", driver_memory)
        .config("spark.python.daemon.module", DAEMON_MODULE)
    )
    for name, value in WORKER_ENV.items():
        builder = builder.config(f"spark.executorEnv.{name}", value)
    if master:
        builder = builder.master(master)
    return builder.getOrCreate()


def spark_schema(columns: Sequence[Column]) -> T.StructType:
    """The Spark schema of an output table, from its SQLite columns (NOT NULL kept)."""
    return T.StructType(
        [T.StructField(c.name, _SPARK_TYPES[c.type], nullable=not c.not_null) for c in columns]
    )


def run_spark(
    spark: SparkSession,
    paths: Sequence[str],
    out: str,
    options: Options,
    partitions: int | None = None,
) -> SparkSummary:
    """Read, clean, deduplicate (exact) and extract `paths`; write every table under `out`."""
    context = spark.sparkContext
    parts = partitions or context.defaultParallelism * PARTITIONS_PER_CORE
    with ThreadPoolExecutor(max_workers=1) as background:
        # Python workers start (imports, spaCy) while the driver lists the inputs: otherwise
        # the first stage starts one worker per file and the others start, one stage later,
        # while it waits for them.
        warming = background.submit(_warm_workers, context, options)
        files, input_rejects = list_inputs(spark, paths)
        warming.result()
    summary = SparkSummary(out=out, files=len(files), partitions=parts)
    log.info(
        "%d input files, %d unusable paths, %d partitions", len(files), len(input_rejects), parts
    )
    ranks = context.broadcast({f.uri: f.rank for f in files})
    contents = (
        spark.read.format("binaryFile")
        .load([_GLOB_CHARS.sub(r"\\\1", f.uri) for f in files])
        .select("path", "content")
        .rdd
        if files
        else context.emptyRDD()
    )
    routed = (
        contents.flatMap(partial(_read_row, ranks=ranks, options=options))
        .repartition(parts)
        .map(partial(route, options=options))
        .persist(StorageLevel.MEMORY_AND_DISK)
    )
    try:
        # Each Python step below reads a cached or shuffled parent, so every task runs ONE
        # Python worker (a Python RDD fed by an uncached Python parent runs two per task, and
        # each new worker pays the imports and the spaCy load again).
        routed.count()
        wide = _all_tables(spark, routed, input_rejects, options, parts)
        wide.persist(StorageLevel.MEMORY_AND_DISK)
        try:
            _count(wide, summary)
            # JVM-only jobs reading the cache: run together, their set-up and commit overlap.
            with ThreadPoolExecutor(max_workers=CONCURRENT_WRITES) as pool:
                list(pool.map(partial(_write_table, wide, summary, out), OUTPUT_TABLES))
        finally:
            wide.unpersist()
    finally:
        routed.unpersist()
        ranks.unpersist()
    return summary


def _all_tables(
    spark: SparkSession,
    routed: RDD[Reject | tuple[OrderKey, Article]],
    input_rejects: Sequence[Reject],
    options: Options,
    parts: int,
) -> DataFrame:
    """One DataFrame for all tables: a struct column per table, one of them set per row. Cached,
    it runs the Python stages once, and each table's write is then a JVM-only job (a job per
    table straight from Python rows costs seconds of worker round trips each)."""
    schema = wide_schema()
    kept = routed.flatMap(_kept).reduceByKey(keep_first, parts)
    extracted = kept.mapPartitions(partial(extract_partition, options=options)).map(_wide_row)
    rejected = routed.flatMap(_reject_rows).map(_wide_row)
    listed = [_wide_row(reject_row(reject)) for reject in input_rejects]
    return (
        spark.createDataFrame(extracted, schema)
        .unionByName(spark.createDataFrame(rejected, schema))
        .unionByName(spark.createDataFrame(listed, schema))
    )


def wide_schema() -> T.StructType:
    """The cached all-tables frame: table name, count key, then one struct per table."""
    columns = table_columns()
    return T.StructType(
        [
            T.StructField(TABLE_COLUMN, T.StringType(), nullable=False),
            T.StructField(COUNT_COLUMN, T.StringType(), nullable=False),
            *(T.StructField(t, spark_schema(columns[t]), nullable=True) for t in OUTPUT_TABLES),
        ]
    )


def list_inputs(spark: SparkSession, paths: Sequence[str]) -> tuple[list[ListedFile], list[Reject]]:
    """Input files in the order `blocwatch run` reads them, and a reject per unusable path.

    Each path is listed by Spark (recursively; Hadoop skips names starting with `.` or `_`).
    Inside a directory or a glob only known suffixes are read; a file named exactly is read
    whatever its suffix, its format sniffed, as the local runner does."""
    files: list[ListedFile] = []
    rejects: list[Reject] = []
    seen: set[str] = set()
    for path in paths:
        if path == STDIN:
            detail = "standard input cannot be read by Spark: save it to a .jsonl file"
            rejects.append(Reject(path, RejectReason.UNSUPPORTED, detail))
            continue
        try:
            listed = (
                spark.read.format("binaryFile")
                .option("recursiveFileLookup", "true")
                .load(path)
                .select("path", "length")
                .collect()
            )
        except AnalysisException as error:
            message = str(error).splitlines()[0] if str(error) else type(error).__name__
            rejects.append(Reject(path, RejectReason.UNREADABLE, message))
            continue
        named = len(listed) == 1 and _is_named(path, str(listed[0]["path"]))
        for row in sorted(listed, key=lambda r: _walk_order(str(r["path"]))):
            uri, length = str(row["path"]), int(row["length"])
            if uri in seen or not (named or format_of(uri.rsplit("/", 1)[-1])):
                continue
            seen.add(uri)
            if length > MAX_SPARK_FILE_BYTES:
                limit = MAX_SPARK_FILE_BYTES
                rejects.append(too_large(source_of(uri), length, limit, SPARK_FILE_FLAG))
                continue
            files.append(ListedFile(uri, len(files)))
    return files, rejects


def _is_named(path: str, uri: str) -> bool:
    """True when `path` names the file itself (not a directory or a pattern around it)."""
    if glob.has_magic(path):
        return False
    return uri.rsplit("/", 1)[-1] == path.rstrip("/").rsplit("/", 1)[-1]


def _walk_order(uri: str) -> tuple[str, ...]:
    """The local walk's order: depth-first, names sorted at each level."""
    return tuple(uri.split("/"))


def _warm_workers(context: SparkContext, options: Options) -> None:
    """One small task per core that loads spaCy in its Python worker (workers are reused by
    later tasks). The first task also starts the worker daemon, which imports blocwatch once
    for every worker it forks (DAEMON_MODULE)."""
    cores = context.defaultParallelism
    context.parallelize(range(cores), cores).foreach(partial(warm_worker, options=options))


def _write_table(wide: DataFrame, summary: SparkSummary, out: str, table: str) -> None:
    """One table's rows from the all-tables frame to OUT/<table>/, in a few files."""
    rows = summary.rows[table]
    files = min(summary.partitions, max(1, math.ceil(rows / ROWS_PER_FILE)))
    frame = wide.where(F.col(TABLE_COLUMN) == table).select(f"{table}.*")
    frame.coalesce(files).write.mode("overwrite").parquet(f"{out.rstrip('/')}/{table}")
    log.info("wrote %s: %d rows", table, rows)


# Small named functions, not lambdas: PySpark pickles them by reference.


def _read_row(
    row: Any, ranks: Any, options: Options
) -> Iterator[tuple[OrderKey, RawDocument | Reject]]:
    uri = str(row["path"])
    return read_file(uri, bytes(row["content"]), ranks.value[uri], options)


def _reject_rows(item: Reject | tuple[OrderKey, Article]) -> Iterator[Tagged]:
    if isinstance(item, Reject):
        yield reject_row(item)


def _kept(item: Reject | tuple[OrderKey, Article]) -> Iterator[tuple[str, Kept]]:
    if not isinstance(item, Reject):
        order, article = item
        yield article.id, Kept(order, article)


def _count(wide: DataFrame, summary: SparkSummary) -> None:
    """Rows per table, rejects per reason and failed extractions, in one pass (it also fills
    the cache the writes read)."""
    counts = wide.groupBy(COUNT_COLUMN).count().collect()
    summary.rows = dict.fromkeys(OUTPUT_TABLES, 0)
    for key, n in sorted((str(row[0]), int(row[1])) for row in counts):
        table, _, detail = key.partition(":")
        summary.rows[table] += n
        if table == "rejects":
            summary.reject_reasons[detail] = n
        elif detail == "failed":
            summary.failed_extractions += n
        elif detail == "prefiltered":
            summary.prefiltered += n


def _count_key(tagged: Tagged) -> str:
    table, values = tagged
    if table == "rejects":
        return f"{table}:{values[1]}"
    kind = extraction_kind(str(values[1])) if table == "extractions" else "full"
    return table if kind == "full" else f"{table}:{kind}"


def _wide_row(tagged: Tagged) -> tuple[Any, ...]:
    table, values = tagged
    return (table, _count_key(tagged), *(values if t == table else None for t in OUTPUT_TABLES))


if __name__ == "__main__":  # spark-submit .../blocwatch/runners/spark.py INPUT... --out DIR
    from blocwatch.cli import app

    app(["spark", *sys.argv[1:]])
