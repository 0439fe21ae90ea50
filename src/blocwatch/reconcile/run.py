"""`reconcile(rows)`: every derived record of the stored reports, in one pure pass.

Clustering first (canonical actions, how each report joined, why actions are flagged), then the
positions each state holds on each action, the contradictions between sources, and the blocs
(net alignments and the co-signature network) built from those positions.
"""

from __future__ import annotations

from collections.abc import Sequence

from blocwatch.reconcile.actions import ReportRow, cluster
from blocwatch.reconcile.blocs import alignments, cosignatures, state_positions
from blocwatch.reconcile.contradictions import find_contradictions
from blocwatch.reconcile.records import Reconciled


def reconcile(rows: Sequence[ReportRow]) -> Reconciled:
    """Canonical actions, positions, contradictions and blocs of these reports (deterministic:
    the same rows in any order give the same result)."""
    clustering = cluster(rows)
    actions = list(clustering.actions)
    positions = state_positions(actions)
    return Reconciled(
        actions=clustering.actions,
        joined_by=clustering.joined_by,
        flag_reasons=clustering.flag_reasons,
        positions=tuple(positions),
        contradictions=tuple(find_contradictions(actions, positions)),
        alignments=tuple(alignments(actions, positions)),
        cosignatures=tuple(cosignatures(actions, positions)),
    )
