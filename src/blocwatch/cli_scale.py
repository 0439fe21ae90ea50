"""Commands for corpora too big for one machine: `spark` (Parquet out) and `load` (into SQLite)."""

from __future__ import annotations

import dataclasses
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Annotated

import typer

from blocwatch.cli_shared import (
    DEFAULTS,
    BatchOpt,
    DbOpt,
    MaxFileOpt,
    MaxRecordOpt,
    PrefilterOpt,
    options_from,
    out,
    run_or_exit,
)
from blocwatch.errors import NothingReadError
from blocwatch.settings import MiB


def spark_cli(
    paths: Annotated[
        list[str],
        typer.Argument(
            help="Files, directories or globs: local paths or Hadoop URIs (hdfs://, s3a://).",
            show_default=False,
        ),
    ],
    out_dir: Annotated[
        str, typer.Option("--out", help="Folder (local or Hadoop URI) for one Parquet table each.")
    ],
    master: Annotated[
        str | None,
        typer.Option("--master", help="Spark master, e.g. local[2]; default: spark-submit's."),
    ] = None,
    partitions: Annotated[
        int | None, typer.Option("--partitions", min=1, help="Partitions for cleaning and NLP.")
    ] = None,
    driver_memory: Annotated[
        str, typer.Option("--driver-memory", help="Memory of a driver started here.")
    ] = "2g",
    max_file_mb: MaxFileOpt = DEFAULTS.max_file_bytes / MiB,
    max_record_mb: MaxRecordOpt = DEFAULTS.max_record_bytes / MiB,
    prefilter: PrefilterOpt = DEFAULTS.prefilter,
) -> None:
    """Run ingest, exact dedup and extraction on Spark; write Parquet tables for `load`."""

    def work() -> None:
        from blocwatch.runners.spark_context import spark_context

        options = dataclasses.replace(
            options_from(max_file_mb, max_record_mb, DEFAULTS.batch_size), prefilter=prefilter
        )
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=1) as background:
            # The JVM boots (seconds, mostly waiting) while this process imports the runner.
            starting = background.submit(
                spark_context, master, driver_memory, spacy_model=options.spacy_model
            )
            from blocwatch.runners.spark import run_spark

            context = starting.result()
        try:
            summary = run_spark(context, paths, out_dir, options, partitions)
        finally:
            context.stop()
        rows = " · ".join(f"{table} {n}" for table, n in summary.rows.items())
        out.print(f"{summary.files} files, {summary.partitions} partitions → {out_dir}: {rows}")
        for reason, n in summary.reject_reasons.items():
            out.print(f"  reject: {reason} {n}")
        if summary.prefiltered:
            out.print(f"  {summary.prefiltered} documents skipped by the prefilter")
        if summary.failed_extractions:
            out.print(f"  [red]extraction failed for {summary.failed_extractions} documents[/]")
        out.print(f"{time.perf_counter() - started:.1f} s")
        if summary.rows["documents"] + summary.rows["duplicates"] == 0:
            raise NothingReadError("nothing could be read from the inputs given: see the rejects")

    run_or_exit(work)


def load_cli(
    folder: Annotated[Path, typer.Argument(help="The --out folder of `blocwatch spark`.")],
    db: DbOpt = Path("blocwatch.db"),
    batch_size: BatchOpt = DEFAULTS.batch_size,
) -> None:
    """Merge a `blocwatch spark` output folder into the store (idempotent)."""

    def work() -> None:
        from blocwatch.runners.load import load_folder  # pyarrow: only here

        options = dataclasses.replace(DEFAULTS, batch_size=batch_size)
        summary = load_folder(folder, db, options)
        out.print(
            f"run {summary.run_id} → {summary.db_path}: documents {summary.documents_new} new, "
            f"{summary.documents_seen} seen · duplicates {summary.duplicates} · rejects "
            f"{summary.rejects} · facts written for {summary.extracted} documents "
            f"({summary.extraction_kept} kept as stored)"
        )

    run_or_exit(work)
