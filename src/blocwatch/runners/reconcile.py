"""Reconciliation over the store: read every report, reconcile, write the m002 tables.

The read, the computation and the write happen under one write lock (an IMMEDIATE
transaction), so no extraction can slip in between and the tables always match the reports they
were computed from. A reference file (`--reference`) replaces the stored one; without it, a
stored reference is checked again against the new actions, so its checks never go stale.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from blocwatch.reconcile import reconcile
from blocwatch.reconcile.load import read_report_rows
from blocwatch.reconcile.persist import StoredReference, read_reference, replace_reconciled
from blocwatch.reconcile.reference import check_reference, load_reference
from blocwatch.store.schema import open_store
from blocwatch.store.write import write_transaction


@dataclass(frozen=True)
class ReconcileSummary:
    """What one reconciliation stored, for the CLI's summary line."""

    reports: int
    actions: int
    flagged: int
    states: int  # distinct states holding a position on some action
    contradictions: dict[str, int] = field(default_factory=dict)  # by kind
    alignments: int = 0
    cosignatures: int = 0
    reference_file: str | None = None
    reference_entries: int = 0
    reference_verdicts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def contradiction_total(self) -> int:
        return sum(self.contradictions.values())

    def lines(self) -> list[str]:
        """The summary as the CLI prints it: one line, and one more for a reference."""
        kinds = ", ".join(f"{kind} {n}" for kind, n in self.contradictions.items())
        by_kind = f" ({kinds})" if kinds else ""
        lines = [
            f"reconciled {self.reports} reports → {self.actions} actions ({self.flagged} flagged)"
            f" · {self.states} states with a position · {self.contradiction_total} "
            f"contradictions{by_kind} · {self.seconds:.2f} s"
        ]
        if self.reference_file is not None:
            verdicts = ", ".join(f"{v} {n}" for v, n in self.reference_verdicts.items())
            lines.append(
                f"reference {self.reference_file}: {self.reference_entries} entries"
                + (f" · {verdicts}" if verdicts else "")
            )
        return lines


def reconcile_store(db_path: str | Path, reference: Path | None = None) -> ReconcileSummary:
    """Recompute the reconciled tables of an existing store from all its reports."""
    started = time.perf_counter()
    entries = load_reference(reference) if reference is not None else None
    db = open_store(db_path, create=False)
    try:
        with write_transaction(db):
            rows = read_report_rows(db)
            reconciled = reconcile(rows)
            stored = (
                StoredReference(str(reference), tuple(entries))
                if reference is not None and entries is not None
                else read_reference(db)
            )
            if stored is not None:
                checks = check_reference(list(stored.entries), list(reconciled.actions))
                stored = StoredReference(stored.file, stored.entries, tuple(checks))
            replace_reconciled(db, reconciled, stored)
    finally:
        db.close()
    return ReconcileSummary(
        reports=len(rows),
        actions=len(reconciled.actions),
        flagged=sum(action.flagged for action in reconciled.actions),
        states=len({position.iso3 for position in reconciled.positions}),
        contradictions=dict(sorted(Counter(c.kind for c in reconciled.contradictions).items())),
        alignments=len(reconciled.alignments),
        cosignatures=len(reconciled.cosignatures),
        reference_file=stored.file if stored else None,
        reference_entries=len(stored.entries) if stored else 0,
        reference_verdicts=dict(
            sorted(Counter(check.verdict for check in stored.checks).items()) if stored else ()
        ),
        seconds=time.perf_counter() - started,
    )
