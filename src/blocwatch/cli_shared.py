"""What every CLI module shares: option types, defaults, consoles, and the thin helpers that
turn a library call into output or a one-line error."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from blocwatch.errors import BlocwatchError
from blocwatch.settings import MiB, Options

if TYPE_CHECKING:
    from sqlite_utils import Database

T = TypeVar("T")

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
ReferenceOpt = Annotated[
    Path | None,
    typer.Option(
        "--reference",
        exists=True,
        dir_okay=False,
        help="An official record (CSV or JSON, docs/reference.md) to check the news against; "
        "replaces the stored one.",
    ),
]
ReportOpt = Annotated[
    Path | None, typer.Option("--report", help="Also write the HTML report into this directory.")
]
PrefilterOpt = Annotated[
    bool,
    typer.Option(
        "--prefilter/--no-prefilter",
        help="Skip, before spaCy, documents with no line that could report a joint action.",
    ),
]
NProcessOpt = Annotated[
    int,
    typer.Option("--n-process", min=1, help="Processes running spaCy (each loads the model)."),
]

DEFAULTS = Options()


def options_from(max_file_mb: float, max_record_mb: float, batch_size: int) -> Options:
    return dataclasses.replace(
        DEFAULTS,
        max_file_bytes=int(max_file_mb * MiB),
        max_decompressed_bytes=int(max_file_mb * MiB),
        max_record_bytes=int(max_record_mb * MiB),
        batch_size=batch_size,
    )


def read_store(db: Path, query: Callable[[Database], T]) -> T:
    """Run one read query on an existing store (a missing file is a StoreError, not a new DB)."""
    from blocwatch import store  # sqlite-utils (and pandas): only when a command reads a store

    database = store.open_store(db, create=False)
    try:
        return query(database)
    finally:
        database.close()


def print_rows(title: str, rows: list[dict[str, Any]]) -> None:
    table = Table(title=title, min_width=40)
    for column in rows[0] if rows else ["(none)"]:
        table.add_column(str(column))
    for row in rows:
        table.add_row(*(Text(str(value)) for value in row.values()))
    out.print(table)


def print_stats(report: dict[str, object]) -> None:
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


def run_or_exit(work: Callable[[], object]) -> None:
    """Run a command body; a BlocwatchError becomes a one-line message and exit status 1."""
    try:
        work()
    except BlocwatchError as exc:
        err.print(f"[red]error:[/] {exc}")
        raise typer.Exit(1) from exc
