"""Commands that only read a store: stats, frames, people, actions.

The store and the reconciler are imported when a command runs, so `blocwatch --help` and
the commands that do not need them start fast."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from blocwatch.cli_shared import DbOpt, out, print_rows, print_stats, read_store, run_or_exit


def stats_cli(
    db: DbOpt = Path("blocwatch.db"),
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")] = False,
) -> None:
    """Describe a store: rows per table, documents by outlet and language, rejects by reason."""

    def work() -> None:
        from blocwatch import store

        report = read_store(db, store.stats)
        if as_json:
            out.print_json(json.dumps(report, default=str))
        else:
            print_stats(report)

    run_or_exit(work)


def frames_cli(db: DbOpt = Path("blocwatch.db")) -> None:
    """How each outlet and each voice frames the issue: framing terms per outlet and voice."""

    def work() -> None:
        from blocwatch import store

        by_outlet = read_store(db, store.frame_counts)
        by_voice = read_store(db, store.frame_counts_by_voice)
        print_rows("framing terms per outlet (voice: narration, quote, scare_quote)", by_outlet)
        print_rows("framing terms in quotes, per speaker", by_voice)

    run_or_exit(work)


def people_cli(db: DbOpt = Path("blocwatch.db")) -> None:
    """Speakers across documents, spellings of one person merged, with the reason."""

    def work() -> None:
        from blocwatch import store
        from blocwatch.reconcile.people import PersonMention, merge_people

        rows = read_store(db, store.speaker_rows)
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
        print_rows(
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

    run_or_exit(work)


def actions_cli(db: DbOpt = Path("blocwatch.db")) -> None:
    """Canonical actions: the reports of all documents grouped into real-world actions, with
    the count timeline (37 → 50) and the sources of each."""

    def work() -> None:
        from blocwatch.reconcile.actions import cluster_reports
        from blocwatch.reconcile.load import read_report_rows
        from blocwatch.reconcile.persist import action_summaries

        stored = read_store(db, action_summaries)
        if stored:  # what the last `reconcile` (or `run`) stored, with its contradictions
            print_rows("canonical actions", stored)
            return
        reports = read_store(db, read_report_rows)
        print_rows(
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

    run_or_exit(work)
