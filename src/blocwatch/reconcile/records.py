"""The records reconciliation derives from stored reports, in one place.

`reconcile/` computes them (pure functions over `ReportRow`s), `reconcile/persist.py` writes them
to the tables of migration m002, and `report/` and `export` read those tables. Keeping the shapes
here lets each side be written and tested without the other.

Every record keeps the reports it rests on (`report_id`, `doc_id` and the span in the original
text) so that a journalist can go from a number on the map back to the sentence that said it.
"""

from __future__ import annotations

from dataclasses import dataclass

from blocwatch.reconcile.actions import CanonicalAction

# A state's place in one canonical action, as at least one report names it.
POSITIONS = ("lead", "signed", "voted_for", "voted_against", "abstained", "withdrew")
# What two groups of sources can disagree about.
CONTRADICTION_KINDS = (
    "count",  # different counts for the same action at the same time
    "date",  # different day dates for the action
    "lead",  # different lead states
    "forum",  # different forums
    "both_sides",  # one state named on both sides (e.g. signing two opposite letters on one issue)
    "group_label",  # "22 European and American countries" while named members are elsewhere
    "withdrawal",  # named as signing by one source, as withdrawing by another
)
REFERENCE_VERDICTS = ("agrees", "differs", "not_reported", "unmatched")


@dataclass(frozen=True)
class SourceRef:
    """One report's side of a fact: where it was said and what it said."""

    report_id: str
    doc_id: str
    outlet: str | None
    published: str | None
    value: str  # the value as this source gives it ("37", "2019-07-12", "RUS", "signed")
    start: int | None = None  # span of the evidence in documents.text, when there is one
    end: int | None = None


@dataclass(frozen=True)
class StatePosition:
    """A state's position on one canonical action, with every report that names it so."""

    action_key: str
    iso3: str
    position: str  # one of POSITIONS
    sources: tuple[SourceRef, ...]


@dataclass(frozen=True)
class Contradiction:
    """Sources that disagree about one fact of one action (or across two actions for
    `both_sides`), with the sources on each side; never averaged away."""

    kind: str  # one of CONTRADICTION_KINDS
    action_key: str
    other_action_key: str | None  # the opposite action, for `both_sides`
    subject: str  # what is disputed: "count", an ISO3, a date ...
    summary: str  # one plain sentence for the report
    side_a: tuple[SourceRef, ...]
    side_b: tuple[SourceRef, ...]


@dataclass(frozen=True)
class Alignment:
    """A state's net alignment on one target's policy (and issue): how many canonical actions
    it backed (support) and how many it joined in criticising."""

    iso3: str
    target: str
    issue: str | None
    supports: int
    criticizes: int
    actions: tuple[str, ...]  # action keys

    @property
    def net(self) -> int:
        return self.supports - self.criticizes


@dataclass(frozen=True)
class Cosignature:
    """Two states named together in the same camp of the same canonical actions."""

    iso3_a: str  # iso3_a < iso3_b
    iso3_b: str
    actions: tuple[str, ...]


@dataclass(frozen=True)
class ReferenceEntry:
    """One row of a user's official record (`--reference FILE`); see docs/reference.md."""

    key: str
    date: str | None
    forum: str | None
    stance: str | None
    target: str | None
    lead: str | None
    count: int | None
    states: tuple[str, ...]
    source: str | None


@dataclass(frozen=True)
class ReferenceCheck:
    """One field of a reference entry compared with what the news reports about it."""

    reference_key: str
    action_key: str | None  # None when no canonical action matches the entry
    field: str  # "count", "lead", "date", "forum", or "state:<ISO3>"
    reference_value: str | None
    reported_value: str | None
    verdict: str  # one of REFERENCE_VERDICTS
    sources: tuple[SourceRef, ...]


@dataclass(frozen=True)
class Reconciled:
    """Everything `reconcile` derives from the stored reports in one pass; written as a whole.

    `joined_by` says, per report id, how the report came to its action: "update_of" (its own
    document links it), "anchor" (matched field by field with another dated report),
    "only_candidate" (a partial report with exactly one compatible action), "ambiguous" (several
    candidates: left alone) or "alone" (nothing to join). `flag_reasons` says, per action key, why
    an action is flagged for a human to check.
    """

    actions: tuple[CanonicalAction, ...]
    joined_by: dict[str, str]
    flag_reasons: dict[str, str]
    positions: tuple[StatePosition, ...]
    contradictions: tuple[Contradiction, ...]
    alignments: tuple[Alignment, ...]
    cosignatures: tuple[Cosignature, ...]
