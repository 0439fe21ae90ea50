"""Reconcile stage: facts across documents (read from the store): one person's spellings, the
canonical actions behind many reports, contradictions between sources, blocs, reference checks.

`reconcile(rows)` is the one entry point for the derived tables; `read_report_rows(db)` builds
its input from the store.
"""

from blocwatch.reconcile.run import reconcile

__all__ = ["reconcile"]
