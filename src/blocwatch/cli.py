"""Command line: every command parses its options and calls one library function.

`blocwatch ingest` and `blocwatch run` read inputs into the store; the commands that only read a
store are in cli_read.py, the Spark ones in cli_scale.py, shared options in cli_shared.py.
Progress goes to stderr, results to stdout, so output can be piped.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from blocwatch import __version__, cli_read, cli_scale
from blocwatch.cli_shared import (
    DEFAULTS,
    BatchOpt,
    DbOpt,
    MaxFileOpt,
    MaxRecordOpt,
    NProcessOpt,
    PathsArg,
    PrefilterOpt,
    QuietOpt,
    ReferenceOpt,
    ReportOpt,
    err,
    options_from,
    out,
    run_or_exit,
)
from blocwatch.errors import BlocwatchError, NothingReadError
from blocwatch.export_formats import ExportFormat
from blocwatch.settings import MiB, Options

if TYPE_CHECKING:
    from blocwatch.runners.local import RunSummary

app = typer.Typer(
    help="A sourced record of which states line up in joint letters, statements and votes.",
    no_args_is_help=True,
    add_completion=False,
)


def _ingest_command(
    command: str,
    paths: list[str],
    db: Path,
    options: Options,
    quiet: bool,
) -> RunSummary:
    from blocwatch.runners.local import ingest  # the store, the readers, the deduper

    columns = (
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TextColumn(
            "[green]{task.fields[docs]} documents[/] · {task.fields[dups]} duplicates · "
            "[yellow]{task.fields[rejects]} rejects[/]"
        ),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=err, disable=quiet, transient=True) as progress:
        task = progress.add_task("reading", docs=0, dups=0, rejects=0)

        def show(summary: RunSummary) -> None:
            progress.update(
                task, docs=summary.documents, dups=summary.duplicates, rejects=summary.rejects
            )

        summary = ingest(paths, db, options, command=command, stdin=sys.stdin, on_progress=show)
    _print_summary(summary)
    if summary.documents + summary.duplicates == 0:
        raise NothingReadError(
            "nothing could be read from the inputs given: check the paths "
            "(see the rejects above, or `blocwatch stats --db` for reasons)"
        )
    return summary


def _print_summary(summary: RunSummary) -> None:
    table = Table(title=f"run {summary.run_id} → {summary.db_path}", show_header=True)
    table.add_column("outcome")
    table.add_column("items", justify="right")
    table.add_row("documents", f"{summary.documents} ({summary.documents_new} new)")
    table.add_row("duplicates", str(summary.duplicates))
    table.add_row("rejects", str(summary.rejects))
    for reason, count in sorted(summary.reject_reasons.items()):
        table.add_row(f"  reject: {reason}", str(count))
    out.print(table)


@app.command("ingest")
def ingest_cli(
    paths: PathsArg,
    db: DbOpt = Path("blocwatch.db"),
    max_file_mb: MaxFileOpt = DEFAULTS.max_file_bytes / MiB,
    max_record_mb: MaxRecordOpt = DEFAULTS.max_record_bytes / MiB,
    batch_size: BatchOpt = DEFAULTS.batch_size,
    quiet: QuietOpt = False,
) -> None:
    """Read news into the store: every input ends as a document, a duplicate or a reject."""
    run_or_exit(
        lambda: _ingest_command(
            "ingest", paths, db, options_from(max_file_mb, max_record_mb, batch_size), quiet
        )
    )


@app.command("run")
def run_cli(
    paths: PathsArg,
    db: DbOpt = Path("blocwatch.db"),
    max_file_mb: MaxFileOpt = DEFAULTS.max_file_bytes / MiB,
    max_record_mb: MaxRecordOpt = DEFAULTS.max_record_bytes / MiB,
    batch_size: BatchOpt = DEFAULTS.batch_size,
    quiet: QuietOpt = False,
    reference: ReferenceOpt = None,
    report: ReportOpt = None,
    prefilter: PrefilterOpt = DEFAULTS.prefilter,
    n_process: NProcessOpt = DEFAULTS.n_process,
) -> None:
    """The whole pipeline on PATHS: ingest, clean, dedup, store, extract joint actions, then
    reconcile them across documents (and write the HTML report with --report)."""

    def work() -> None:
        options = dataclasses.replace(
            options_from(max_file_mb, max_record_mb, batch_size),
            prefilter=prefilter,
            n_process=n_process,
        )
        _ingest_command("run", paths, db, options, quiet)
        _extract_command(db, options, quiet)
        _reconcile_command(db, reference)
        if report is not None:
            _report_command(db, report)

    run_or_exit(work)


def _reconcile_command(db: Path, reference: Path | None) -> None:
    from blocwatch.runners.reconcile import reconcile_store  # imported when used, like spaCy

    for line in reconcile_store(db, reference).lines():
        out.print(Text(line))


def _report_command(db: Path, out_dir: Path) -> None:
    from blocwatch.report import render_report  # jinja2 and plotly: only when a report is asked

    index = render_report(db, out_dir)
    out.print(f"report → {index}")


def _extract_command(db: Path, options: Options, quiet: bool) -> None:
    # Imported here, not at the top: `ingest` and `stats` should not pay for loading spaCy.
    from blocwatch.runners.extraction import ExtractSummary, extract_stored

    columns = (
        SpinnerColumn(),
        TextColumn("extracting · {task.fields[docs]} documents · {task.fields[actions]} actions"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=err, disable=quiet, transient=True) as progress:
        task = progress.add_task("extracting", docs=0, actions=0)

        def show(summary: ExtractSummary) -> None:
            progress.update(task, docs=summary.documents, actions=summary.joint_actions)

        summary = extract_stored(db, options, on_progress=show)
    failed = (
        f", [red]{summary.failed} failed[/] (see the log; retried next run)"
        if summary.failed
        else ""
    )
    skipped = f" ({summary.prefiltered} skipped by the prefilter)" if summary.prefiltered else ""
    out.print(
        f"extracted {summary.documents} documents{skipped} → {summary.joint_actions} "
        f"joint-action reports{failed}"
    )


@app.command("extract")
def extract_cli(
    paths: PathsArg,
    json_dir: Annotated[
        Path, typer.Option("--json-dir", help="Write one gold-schema JSON file per article here.")
    ],
    max_file_mb: MaxFileOpt = DEFAULTS.max_file_bytes / MiB,
    max_record_mb: MaxRecordOpt = DEFAULTS.max_record_bytes / MiB,
    quiet: QuietOpt = False,
    prefilter: PrefilterOpt = DEFAULTS.prefilter,
    n_process: NProcessOpt = DEFAULTS.n_process,
) -> None:
    """Extract joint actions from PATHS without a database: one JSON file per article."""

    def work() -> None:
        options = dataclasses.replace(
            options_from(max_file_mb, max_record_mb, DEFAULTS.batch_size),
            prefilter=prefilter,
            n_process=n_process,
        )
        from blocwatch.runners.files import extract_to_json  # loads spaCy: only when needed

        written, rejects = extract_to_json(paths, json_dir, options)
        out.print(f"wrote {written} files to {json_dir} ({rejects} inputs rejected)")
        if written == 0:
            raise NothingReadError("no article could be read from the inputs given")

    run_or_exit(work)


@app.command("eval")
def eval_cli(
    gold_dir: Annotated[Path, typer.Argument(help="A directory of gold JSON files.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    misses: Annotated[
        bool, typer.Option("--misses/--no-misses", help="List missed and wrong actions.")
    ] = True,
) -> None:
    """Score the extractor against gold annotations (see docs/evaluation.md)."""

    def work() -> None:
        if not gold_dir.is_dir():
            raise BlocwatchError(f"{gold_dir} is not a directory of gold JSON files")
        options = DEFAULTS
        from blocwatch.evaluate import evaluate_directory  # loads spaCy: only here
        from blocwatch.evaluate_render import render
        from blocwatch.nlp.build import build_nlp
        from blocwatch.pipeline import process

        nlp = build_nlp(options)
        report = evaluate_directory(gold_dir, lambda article: process(article, nlp), options)
        if as_json:
            out.print_json(json.dumps(report.to_json()))
        else:
            render(report, out, misses)

    run_or_exit(work)


@app.command("reconcile")
def reconcile_cli(db: DbOpt = Path("blocwatch.db"), reference: ReferenceOpt = None) -> None:
    """Reconcile the stored reports across documents: canonical actions, state positions,
    contradictions, blocs and (with --reference) a check against an official record."""
    run_or_exit(lambda: _reconcile_command(db, reference))


@app.command("report")
def report_cli(
    db: Annotated[Path, typer.Option("--db", help="SQLite database file (must exist).")] = Path(
        "blocwatch.db"
    ),
    out_dir: Annotated[
        Path,
        typer.Option("--out", help="Folder for the report (created; an old report is replaced)."),
    ] = Path("report"),
) -> None:
    """Write the HTML report of a store: a folder of static pages (overview, world map, one page
    per action and per document with evidence, outlets, people) that opens offline from disk."""
    run_or_exit(lambda: _report_command(db, out_dir))


@app.command("export")
def export_cli(
    out_dir: Annotated[
        Path, typer.Option("--out", help="Directory for the files (created when missing).")
    ],
    db: DbOpt = Path("blocwatch.db"),
    fmt: Annotated[
        ExportFormat, typer.Option("--format", help="File format: one file per table.")
    ] = ExportFormat.CSV,
) -> None:
    """Export every data, reconciled and reference table (and the count timeline) as CSV, JSON
    or Parquet: one file per table, named after it."""

    def work() -> None:
        started = time.perf_counter()
        from blocwatch.export import export_tables

        paths = export_tables(db, fmt, out_dir)
        size = sum(path.stat().st_size for path in paths)
        out.print(
            f"exported {len(paths)} tables as {fmt.value} to {out_dir} "
            f"({size / MiB:.1f} MiB, {time.perf_counter() - started:.2f} s)"
        )

    run_or_exit(work)


def _version_callback(value: bool) -> None:
    if value:
        out.print(f"blocwatch {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Log details to stderr.")
    ] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version_callback, is_eager=True, help="Print the version."
        ),
    ] = False,
) -> None:
    """Read news about joint UN actions into a sourced record of who stands where."""
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, stream=sys.stderr)


# Commands that live in their own modules, registered here so `blocwatch --help` lists them all.
app.command("stats")(cli_read.stats_cli)
app.command("frames")(cli_read.frames_cli)
app.command("people")(cli_read.people_cli)
app.command("actions")(cli_read.actions_cli)
app.command("spark")(cli_scale.spark_cli)
app.command("load")(cli_scale.load_cli)
