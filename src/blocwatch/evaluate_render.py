"""Printing an EvalReport for people: a summary table, the misses, and summary lines last (a
hook quotes the last lines of `blocwatch eval`)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from blocwatch.evaluate import FIELDS, VOTE_FIELDS, EvalReport, Tally


def _rate(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"


def _prf(tally: Tally) -> str:
    return f"P={tally.precision:.2f} R={tally.recall:.2f} F1={tally.f1:.2f}"


def summary_line(report: EvalReport) -> str:
    """The one line a hook or a commit message quotes."""
    return (
        f"actions {_prf(report.actions)} | signatories {_prf(report.signatories)} | "
        f"count acc={_rate(report.accuracy('count'))} | docs={len(report.documents)}"
    )


def render(report: EvalReport, console: Console, show_misses: bool) -> None:
    """Summary table, then (with `show_misses`) what was missed; compact summary lines last."""
    summary = Table(title="blocwatch eval", show_header=True)
    summary.add_column("metric")
    summary.add_column("value", justify="right")
    actions = report.actions
    summary.add_row("documents", str(len(report.documents)))
    summary.add_row(
        "actions gold / predicted / matched",
        f"{actions.gold} / {actions.predicted} / {actions.correct}",
    )
    summary.add_row("actions", _prf(actions))
    for name in FIELDS + VOTE_FIELDS:
        correct, total = report.fields.get(name, [0, 0])
        summary.add_row(f"{name} accuracy", f"{_rate(report.accuracy(name))} ({correct}/{total})")
    summary.add_row("signatories (stance, ISO3)", _prf(report.signatories))
    summary.add_row("vote roles (role, stance, ISO3)", _prf(report.vote_roles))
    summary.add_row(
        "hard negatives clean", f"{report.hard_negatives_clean}/{report.hard_negatives}"
    )
    summary.add_row("input errors", str(len(report.input_errors)))
    console.print(summary)
    if show_misses:
        _render_misses(report, console)
    fields = " ".join(
        f"{name}={_rate(report.accuracy(name))}"
        for name in ("kind", "date", "forum", "lead", "issue")
    )
    speakers = report.speakers.get("speakers", {})
    if speakers:
        console.print(
            f"speakers P={speakers.get('precision')} R={speakers.get('recall')} "
            f"F1={speakers.get('f1')}",
            markup=False,
            highlight=False,
        )
    console.print(
        f"fields {fields} | vote roles F1={report.vote_roles.f1:.2f} | "
        f"hard negatives {report.hard_negatives_clean}/{report.hard_negatives}",
        markup=False,
        highlight=False,
        soft_wrap=True,
    )
    console.print(summary_line(report), markup=False, highlight=False, soft_wrap=True)


def _table(title: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> Table:
    table = Table(title=title)
    for column in columns:
        table.add_column(column)
    for row in rows:  # Text, not str: "[/]" in a news sentence must not be read as rich markup
        table.add_row(*(Text("" if value is None else str(value)) for value in row))
    return table


def _render_misses(report: EvalReport, console: Console) -> None:
    miss_columns = ("id", "#", "kind", "stance", "count", "lead", "evidence")
    miss_keys = ("id", "index", "kind", "stance", "count", "lead", "evidence")
    for title, misses in (
        ("missed gold actions", report.unmatched_gold),
        ("false positives", report.unmatched_predicted),
    ):
        if misses:
            console.print(_table(title, miss_columns, ([m[k] for k in miss_keys] for m in misses)))
    if report.field_diffs:
        keys = ("id", "gold_index", "predicted_index", "field", "gold", "predicted")
        columns = ("id", "gold #", "pred #", "field", "gold", "predicted")
        console.print(
            _table("wrong fields", columns, ([d[k] for k in keys] for d in report.field_diffs))
        )
    rows = [
        (row.doc_id, " ".join(row.missing_signatories), " ".join(row.extra_signatories))
        for row in report.documents
        if row.missing_signatories or row.extra_signatories
    ]
    if rows:
        console.print(_table("signatories", ("id", "missing", "extra"), rows))
    per_doc = (
        (
            row.doc_id,
            row.actions.gold,
            row.actions.predicted,
            row.actions.correct,
            f"{row.signatories.f1:.2f}",
        )
        for row in report.documents
    )
    console.print(
        _table("documents", ("id", "gold", "predicted", "matched", "signatories F1"), per_doc)
    )
