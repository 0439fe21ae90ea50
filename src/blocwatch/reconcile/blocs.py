"""Who stands where: each state's positions on the canonical actions, its net alignment per
target and issue, and the network of states that sign together.

A position is what sources say ("Japan signed the 8 July letter", with every report that says so);
an alignment turns positions into direction toward the target's policy. A signatory of a letter
supporting China backs China; a state voting against a motion criticising Russia backs Russia;
abstaining backs neither. A state that withdrew (signed, then took its name off) backs neither:
the withdrawal is the later fact, and the contradiction it makes with earlier reports is shown by
`contradictions`, not averaged here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from itertools import combinations

from blocwatch.reconcile.actions import CanonicalAction, ReportRow
from blocwatch.reconcile.records import Alignment, Cosignature, SourceRef, StatePosition

# Stored roles (report_states.role) → positions (records.POSITIONS); "signatory" depends on kind.
_ROLE_POSITION = {
    "lead": "lead",
    "voted_against": "voted_against",
    "abstained": "abstained",
    "withdrawn": "withdrew",
}
# Positions that put a state in the action's own camp (the motion's direction for a vote).
WITH_ACTION = frozenset({"lead", "signed", "voted_for"})
# Direction of an action's stance toward its target's policy.
STANCE_SIGN = {"support": 1, "criticize": -1}


def source_ref(
    report: ReportRow, value: str, start: int | None = None, end: int | None = None
) -> SourceRef:
    """A report's side of a fact; the span defaults to the report's sentence."""
    if start is None:
        start, end = report.start, report.end
    return SourceRef(
        report.report_id, report.doc_id, report.outlet, report.published, value, start, end
    )


def _roles(report: ReportRow) -> list[tuple[str, str, int | None, int | None]]:
    """(iso3, stored role, start, end) of every state the report names; rows built without
    spans (tests, callers outside the store) fall back to the role tuples."""
    if report.named:
        return [(n.iso3, n.role, n.start, n.end) for n in report.named]
    roles = [(iso3, "signatory") for iso3 in report.signatories]
    roles += [(report.lead, "lead")] if report.lead else []
    roles += [(iso3, "voted_against") for iso3 in report.against]
    roles += [(iso3, "abstained") for iso3 in report.abstaining]
    roles += [(iso3, "withdrawn") for iso3 in report.withdrawn]
    return [(iso3, role, None, None) for iso3, role in roles]


def action_positions(action: CanonicalAction) -> list[StatePosition]:
    """Every (state, position) of one action with the sources naming it so, sorted."""
    signed = "voted_for" if action.kind == "vote" else "signed"
    found: dict[tuple[str, str], dict[str, SourceRef]] = defaultdict(dict)
    for report in action.reports:
        for iso3, role, start, end in _roles(report):
            position = signed if role == "signatory" else _ROLE_POSITION.get(role)
            if position is None:
                continue
            sources = found[(iso3, position)]
            if report.report_id not in sources:  # the first naming in a report is its source
                sources[report.report_id] = source_ref(report, position, start, end)
    return [
        StatePosition(action.key, iso3, position, tuple(sorted(sources.values(), key=_source_key)))
        for (iso3, position), sources in sorted(found.items())
    ]


def _source_key(source: SourceRef) -> tuple[str, str, int]:
    return (source.published or "", source.report_id, source.start or 0)


def state_positions(actions: Iterable[CanonicalAction]) -> list[StatePosition]:
    """Positions of every state on every action, ordered by action key, state, position."""
    out = [p for action in actions for p in action_positions(action)]
    return sorted(out, key=lambda p: (p.action_key, p.iso3, p.position))


def sides(positions: Sequence[StatePosition]) -> dict[str, str]:
    """Each state's side of one action: "with" it (lead, signed, voted for) or "against" it
    (voted against). States that abstained, withdrew or are named on both sides have none."""
    held: dict[str, set[str]] = defaultdict(set)
    for p in positions:
        held[p.iso3].add(p.position)
    out: dict[str, str] = {}
    for iso3, kinds in sorted(held.items()):
        found = {"with" for k in kinds if k in WITH_ACTION}
        found |= {"against"} if "voted_against" in kinds else set()
        if len(found) == 1 and "withdrew" not in kinds:
            out[iso3] = found.pop()
    return out


def directions(action: CanonicalAction, positions: Sequence[StatePosition]) -> dict[str, int]:
    """Each state's direction toward the target's policy on this action: +1 backs it, -1
    criticises it (a vote's direction is its motion's; voting against inverts it)."""
    sign = STANCE_SIGN.get(action.stance or "")
    if sign is None:
        return {}
    return {iso3: sign if side == "with" else -sign for iso3, side in sides(positions).items()}


def alignments(
    actions: Sequence[CanonicalAction], positions: Sequence[StatePosition]
) -> list[Alignment]:
    """Net alignment per (state, target, issue): actions backed vs actions criticising. An
    action on several issues counts once under each; one without an issue under issue None."""
    by_action = _by_action(positions)
    tally: dict[tuple[str, str, str | None], list[tuple[int, str]]] = defaultdict(list)
    for action in actions:
        if action.target is None:
            continue
        for iso3, direction in directions(action, by_action.get(action.key, [])).items():
            for issue in action.issues or (None,):
                tally[(iso3, action.target, issue)].append((direction, action.key))
    return [
        Alignment(
            iso3=iso3,
            target=target,
            issue=issue,
            supports=sum(1 for d, _ in entries if d > 0),
            criticizes=sum(1 for d, _ in entries if d < 0),
            actions=tuple(sorted({key for _, key in entries})),
        )
        for (iso3, target, issue), entries in sorted(
            tally.items(), key=lambda item: (item[0][0], item[0][1], item[0][2] or "")
        )
    ]


def cosignatures(
    actions: Sequence[CanonicalAction], positions: Sequence[StatePosition]
) -> list[Cosignature]:
    """Pairs of states in the same camp of the same actions, with those actions' keys."""
    by_action = _by_action(positions)
    shared: dict[tuple[str, str], set[str]] = defaultdict(set)
    for action in actions:
        camp: dict[str, list[str]] = defaultdict(list)
        for iso3, side in sides(by_action.get(action.key, [])).items():
            camp[side].append(iso3)
        for members in camp.values():
            for a, b in combinations(sorted(members), 2):
                shared[(a, b)].add(action.key)
    return [Cosignature(a, b, tuple(sorted(keys))) for (a, b), keys in sorted(shared.items())]


def _by_action(positions: Sequence[StatePosition]) -> dict[str, list[StatePosition]]:
    out: dict[str, list[StatePosition]] = defaultdict(list)
    for p in positions:
        out[p.action_key].append(p)
    return out
