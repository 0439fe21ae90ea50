"""Command line: every command parses its options and calls one library function.

`blocwatch ingest` and `blocwatch run` read inputs into the store; `blocwatch stats` describes a
store. Progress goes to stderr, results to stdout, so output can be piped.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text
from sqlite_utils import Database

from blocwatch import __version__, store
from blocwatch.errors import BlocwatchError, NothingReadError
from blocwatch.runners.local import RunSummary, ingest
from blocwatch.settings import MiB, Options

T = TypeVar("T")

app = typer.Typer(
    help="A sourced record of which states line up in joint letters, statements and votes.",
    no_args_is_help=True,
    add_completion=False,
)
out = Console()
err = Console(stderr=True)

PathsArg = Annotated[
    list[str],
    typer.Argument(
        help="Files, directories (walked recursively), globs, or - for JSONL on stdin.",
        show_default=False,
    ),
]
DbOpt = Annotated[Path, typer.Option("--db", help="SQLite database file (created if missing).")]
MaxFileOpt = Annotated[
    float,
    typer.Option(
        "--max-file-mb", help="Reject whole files (txt, html, json, feeds) above this size."
    ),
]
MaxRecordOpt = Annotated[
    float,
    typer.Option(
        "--max-record-mb", help="Reject one JSONL line, WARC record or feed entry above this."
    ),
]
BatchOpt = Annotated[
    int, typer.Option("--batch-size", min=1, help="Items written per transaction.")
]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="No progress display.")]

_DEFAULTS = Options()


def _options(max_file_mb: float, max_record_mb: float, batch_size: int) -> Options:
    return dataclasses.replace(
        _DEFAULTS,
        max_file_bytes=int(max_file_mb * MiB),
        max_decompressed_bytes=int(max_file_mb * MiB),
        max_record_bytes=int(max_record_mb * MiB),
        batch_size=batch_size,
    )


def _ingest_command(
    command: str,
    paths: list[str],
    db: Path,
    options: Options,
    quiet: bool,
) -> RunSummary:
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
    max_file_mb: MaxFileOpt = _DEFAULTS.max_file_bytes / MiB,
    max_record_mb: MaxRecordOpt = _DEFAULTS.max_record_bytes / MiB,
    batch_size: BatchOpt = _DEFAULTS.batch_size,
    quiet: QuietOpt = False,
) -> None:
    """Read news into the store: every input ends as a document, a duplicate or a reject."""
    _run_or_exit(
        lambda: _ingest_command(
            "ingest", paths, db, _options(max_file_mb, max_record_mb, batch_size), quiet
        )
    )


@app.command("run")
def run_cli(
    paths: PathsArg,
    db: DbOpt = Path("blocwatch.db"),
    max_file_mb: MaxFileOpt = _DEFAULTS.max_file_bytes / MiB,
    max_record_mb: MaxRecordOpt = _DEFAULTS.max_record_bytes / MiB,
    batch_size: BatchOpt = _DEFAULTS.batch_size,
    quiet: QuietOpt = False,
) -> None:
    """The whole pipeline on PATHS: ingest, clean, dedup, store, then extract joint actions."""

    def work() -> None:
        options = _options(max_file_mb, max_record_mb, batch_size)
        _ingest_command("run", paths, db, options, quiet)
        _extract_command(db, options, quiet)

    _run_or_exit(work)


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
    out.print(
        f"extracted {summary.documents} documents → {summary.joint_actions} joint-action "
        f"reports{failed}"
    )


@app.command("extract")
def extract_cli(
    paths: PathsArg,
    json_dir: Annotated[
        Path, typer.Option("--json-dir", help="Write one gold-schema JSON file per article here.")
    ],
    max_file_mb: MaxFileOpt = _DEFAULTS.max_file_bytes / MiB,
    max_record_mb: MaxRecordOpt = _DEFAULTS.max_record_bytes / MiB,
    quiet: QuietOpt = False,
) -> None:
    """Extract joint actions from PATHS without a database: one JSON file per article."""

    def work() -> None:
        options = _options(max_file_mb, max_record_mb, _DEFAULTS.batch_size)
        from blocwatch.runners.files import extract_to_json  # loads spaCy: only when needed

        written, rejects = extract_to_json(paths, json_dir, options)
        out.print(f"wrote {written} files to {json_dir} ({rejects} inputs rejected)")
        if written == 0:
            raise NothingReadError("no article could be read from the inputs given")

    _run_or_exit(work)


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
        options = _DEFAULTS
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

    _run_or_exit(work)


@app.command("stats")
def stats_cli(
    db: DbOpt = Path("blocwatch.db"),
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")] = False,
) -> None:
    """Describe a store: rows per table, documents by outlet and language, rejects by reason."""

    def work() -> None:
        report = _read_store(db, store.stats)
        if as_json:
            out.print_json(json.dumps(report, default=str))
        else:
            _print_stats(report)

    _run_or_exit(work)


@app.command("frames")
def frames_cli(db: DbOpt = Path("blocwatch.db")) -> None:
    """How each outlet and each voice frames the issue: framing terms per outlet and voice."""

    def work() -> None:
        by_outlet = _read_store(db, store.frame_counts)
        by_voice = _read_store(db, store.frame_counts_by_voice)
        _print_rows("framing terms per outlet (voice: narration, quote, scare_quote)", by_outlet)
        _print_rows("framing terms in quotes, per speaker", by_voice)

    _run_or_exit(work)


@app.command("people")
def people_cli(db: DbOpt = Path("blocwatch.db")) -> None:
    """Speakers across documents, spellings of one person merged, with the reason."""

    def work() -> None:
        from blocwatch.reconcile.people import PersonMention, merge_people

        rows = _read_store(db, store.speaker_rows)
        mentions = [
            PersonMention(
                doc_id=row["doc_id"],
                speaker_index=int(str(row["id"]).rsplit(":p", 1)[1]),
                name=row["name"],
                role=row["role"],
                affiliation=row["affiliation"],
                date=row["published"],
            )
            for row in rows
        ]
        people = merge_people(mentions)
        _print_rows(
            "people",
            [
                {
                    "person": person.canonical,
                    "spellings": " / ".join(person.names),
                    "documents": len({m.doc_id for m in person.mentions}),
                    "why merged": person.reason,
                }
                for person in people
            ],
        )

    _run_or_exit(work)


@app.command("actions")
def actions_cli(db: DbOpt = Path("blocwatch.db")) -> None:
    """Canonical actions: the reports of all documents grouped into real-world actions, with
    the count timeline (37 → 50) and the sources of each."""

    def work() -> None:
        from blocwatch.reconcile.actions import ReportRow, cluster_reports

        rows = _read_store(db, store.report_rows)
        reports = [
            ReportRow(
                **{**row, "signatories": tuple(filter(None, (row["signatories"] or "").split(",")))}
            )
            for row in rows
        ]
        _print_rows(
            "canonical actions",
            [
                {
                    "action": action.key,
                    "reports": len(action.reports),
                    "sources": len({r.doc_id for r in action.reports}),
                    "counts over time": " → ".join(
                        f"{count}" + (f" ({when})" if when else "")
                        for when, count, _qualifier, _report in action.timeline
                        if count is not None
                    ),
                    "lead": ", ".join(action.leads),
                    "states named": len(action.signatories),
                    "flagged": "yes" if action.flagged else "",
                }
                for action in cluster_reports(reports)
            ],
        )

    _run_or_exit(work)


def _read_store(db: Path, query: Callable[[Database], T]) -> T:
    """Run one read query on an existing store (a missing file is a StoreError, not a new DB)."""
    database = store.open_store(db, create=False)
    try:
        return query(database)
    finally:
        database.close()


def _print_rows(title: str, rows: list[dict[str, Any]]) -> None:
    table = Table(title=title, min_width=40)
    for column in rows[0] if rows else ["(none)"]:
        table.add_column(str(column))
    for row in rows:
        table.add_row(*(Text(str(value)) for value in row.values()))
    out.print(table)


def _print_stats(report: dict[str, object]) -> None:
    for name, section in report.items():
        if isinstance(section, dict):
            table = Table(title=name, min_width=40)
            table.add_column("key")
            table.add_column("value", justify="right")
            for key, value in section.items():
                table.add_row(str(key), str(value))
            out.print(table)
        elif isinstance(section, list):
            table = Table(title=name, min_width=40)
            rows = [r for r in section if isinstance(r, dict)]
            for column in rows[0] if rows else []:
                table.add_column(str(column))
            for row in rows:
                table.add_row(*(str(v) for v in row.values()))
            out.print(table)
        else:
            out.print(f"{name}: {section}")


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


def _run_or_exit(work: Callable[[], object]) -> None:
    """Run a command body; a BlocwatchError becomes a one-line message and exit status 1."""
    try:
        work()
    except BlocwatchError as exc:
        err.print(f"[red]error:[/] {exc}")
        raise typer.Exit(1) from exc
