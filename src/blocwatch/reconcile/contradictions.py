"""Where sources disagree about an action: surfaced with the sources on each side, never averaged.

Kinds (records.CONTRADICTION_KINDS) and what is *not* one:
- count: two counts of one action that neither rounding ("nearly 40" vs 37, within
  APPROX_TOLERANCE) nor growth explains. A letter or joint statement gathers signatures, so a
  larger count is growth when a source dates it later than the smaller one or its own document
  reports it as an update ("another 13 countries"), and it is at most LETTER_MAX_GROWTH times
  the smaller; a vote's count never grows.
- date: two day dates of one action (a month and a day inside it agree), unless the later date
  comes with a larger count of a growing action (the date the count grew, not of the action).
- lead, forum: two stated values.
- both_sides: a state named in the camp of one action and in the opposite camp of the same
  action, or of another action on the same target and issue whose time overlaps it (a letter
  stays open LETTER_WINDOW_DAYS). A state that withdrew from one of them is not on that side.
- group_label: a count that labels its group ("22 European and American countries") while a
  state named on that side of the action, by any source, is clearly outside the label.
- withdrawal: a state named as a party by one source and as having withdrawn by another.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from datetime import date, timedelta
from itertools import combinations

from blocwatch.reconcile.actions import (
    LETTER_WINDOW_DAYS,
    CanonicalAction,
    plausible_growth,
    within_tolerance,
)
from blocwatch.reconcile.blocs import WITH_ACTION, action_positions, source_ref
from blocwatch.reconcile.labels import labels_of, outside
from blocwatch.reconcile.records import Contradiction, SourceRef, StatePosition
from blocwatch.reconcile.rows import ReportRow, issues_of, parse_date

# Kinds of action whose count can grow after the first report (late signatures).
GROWING_KINDS = frozenset({"letter", "joint_statement"})


def find_contradictions(
    actions: Sequence[CanonicalAction], positions: Sequence[StatePosition] | None = None
) -> list[Contradiction]:
    """Every contradiction within or between the actions, in a stable order."""
    if positions is None:
        positions = [p for action in actions for p in action_positions(action)]
    by_action: dict[str, list[StatePosition]] = defaultdict(list)
    for p in positions:
        by_action[p.action_key].append(p)
    found: list[Contradiction] = []
    for action in actions:
        mine = by_action.get(action.key, [])
        found += _counts(action)
        found += _dates(action)
        found += _values(action, "lead")
        found += _values(action, "forum")
        found += _withdrawals(action, mine)
        found += _group_labels(action, mine)
        found += _both_sides(action, mine, action, mine)
    for a, b in _overlapping(actions):
        found += _both_sides(a, by_action.get(a.key, []), b, by_action.get(b.key, []))
    return sorted(
        found, key=lambda c: (c.action_key, c.kind, c.other_action_key or "", c.subject, c.summary)
    )


def _refs(reports: Sequence[ReportRow], value: str, field: str) -> tuple[SourceRef, ...]:
    """Each report as a source of `value`, cited at the evidence span of `field` if it has one."""
    out = []
    for r in sorted(reports, key=lambda r: (r.published or "", r.report_id)):
        span = r.span(field)
        if field == "count" and r.count_start is not None:
            out.append(source_ref(r, value, r.count_start, r.count_end))
        elif span is not None:
            out.append(source_ref(r, value, span.start, span.end))
        else:
            out.append(source_ref(r, value))
    return tuple(out)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


# ---------------------------------------------------------------- count and date


def _grew(action: CanonicalAction, smaller: Sequence[ReportRow], larger: ReportRow) -> bool:
    """Is `larger` (a report of a larger count) dated as growth after the `smaller` reports?
    Growth beyond LETTER_MAX_GROWTH is not believed, even when a document links the counts."""
    low = min((r.count for r in smaller if r.count is not None), default=None)
    if action.kind not in GROWING_KINDS or low is None or larger.count is None:
        return False
    if not plausible_growth(low, larger.count):
        return False
    if larger.update_of is not None:
        return True
    day = parse_date(larger.date)[0]
    days = [d for d in (parse_date(r.date)[0] for r in smaller) if d is not None]
    return day is not None and bool(days) and day > min(days)


def _count_groups(action: CanonicalAction) -> list[list[ReportRow]]:
    """Reports by count, counts within rounding tolerance of each other in one group ("more
    than 20" and 22), groups in increasing order."""
    by_value: dict[int, list[ReportRow]] = defaultdict(list)
    for r in action.reports:
        if r.count is not None:
            by_value[r.count].append(r)
    groups: list[list[ReportRow]] = []
    for value in sorted(by_value):
        reports = by_value[value]
        if groups and any(within_tolerance(a, b) for a in groups[-1] for b in reports):
            groups[-1].extend(reports)
        else:
            groups.append(list(reports))
    return groups


def _counts(action: CanonicalAction) -> list[Contradiction]:
    out = []
    for lows, highs in combinations(_count_groups(action), 2):
        if any(_grew(action, lows, r) for r in highs):
            continue
        out.append(
            Contradiction(
                kind="count",
                action_key=action.key,
                other_action_key=None,
                subject="count",
                summary=(
                    f"Sources give different counts: {_span_of(lows)} "
                    f"({_plural(len(lows), 'report')}) vs {_span_of(highs)} "
                    f"({_plural(len(highs), 'report')}); neither rounding nor a dated growth "
                    "of the count explains it."
                ),
                side_a=_count_refs(lows),
                side_b=_count_refs(highs),
            )
        )
    return out


def _span_of(reports: Sequence[ReportRow]) -> str:
    counts = sorted({r.count for r in reports if r.count is not None})
    return str(counts[0]) if len(counts) == 1 else f"{counts[0]}-{counts[-1]}"


def _count_refs(reports: Sequence[ReportRow]) -> tuple[SourceRef, ...]:
    return tuple(
        ref
        for r in sorted(reports, key=lambda r: (r.published or "", r.report_id))
        for ref in _refs([r], _count_value(r.count or 0, [r]), "count")
    )


def _count_value(count: int, reports: Sequence[ReportRow]) -> str:
    qualifiers = {r.count_qualifier for r in reports} - {None, "exact"}
    return (
        f"{count} ({', '.join(sorted(q for q in qualifiers if q))})" if qualifiers else str(count)
    )


def _dates(action: CanonicalAction) -> list[Contradiction]:
    days: dict[date, list[ReportRow]] = defaultdict(list)
    months: dict[tuple[int, int], list[ReportRow]] = defaultdict(list)
    for r in action.reports:
        day, year, month = parse_date(r.date)
        if day is not None:
            days[day].append(r)
        elif year is not None and month is not None:
            months[(year, month)].append(r)
    pairs: list[tuple[str, list[ReportRow], str, list[ReportRow]]] = []
    for first, later in combinations(sorted(days), 2):
        if not any(_grew(action, days[first], r) and _larger(r, days[first]) for r in days[later]):
            pairs.append((first.isoformat(), days[first], later.isoformat(), days[later]))
    for (year, month), reports in sorted(months.items()):
        if days and not any(d.year == year and d.month == month for d in days):
            first = min(days)
            pairs.append((first.isoformat(), days[first], f"{year:04d}-{month:02d}", reports))
    return [
        Contradiction(
            kind="date",
            action_key=action.key,
            other_action_key=None,
            subject="date",
            summary=f"Sources date this action differently: {a} vs {b}.",
            side_a=_refs(ra, a, "date"),
            side_b=_refs(rb, b, "date"),
        )
        for a, ra, b, rb in pairs
    ]


def _larger(report: ReportRow, others: Sequence[ReportRow]) -> bool:
    counts = [r.count for r in others if r.count is not None]
    return report.count is not None and (not counts or report.count > max(counts))


def _values(action: CanonicalAction, field: str) -> list[Contradiction]:
    """Different stated leads (or forums) of one action."""
    by_value: dict[str, list[ReportRow]] = defaultdict(list)
    for r in action.reports:
        value = r.lead if field == "lead" else r.forum
        if value is not None:
            by_value[value].append(r)
    return [
        Contradiction(
            kind=field,
            action_key=action.key,
            other_action_key=None,
            subject=field,
            summary=f"Sources name different {field}s for this action: {a} vs {b}.",
            side_a=_refs(by_value[a], a, field),
            side_b=_refs(by_value[b], b, field),
        )
        for a, b in combinations(sorted(by_value), 2)
    ]


# ---------------------------------------------------------------- states


def _withdrawals(
    action: CanonicalAction, positions: Sequence[StatePosition]
) -> list[Contradiction]:
    held: dict[str, dict[str, StatePosition]] = defaultdict(dict)
    for p in positions:
        held[p.iso3][p.position] = p
    out = []
    for iso3, by_position in sorted(held.items()):
        left = by_position.get("withdrew")
        if left is None:
            continue
        withdrawing = {s.report_id for s in left.sources}
        signing = sorted(
            {
                s
                for position, p in by_position.items()
                if position in WITH_ACTION
                for s in p.sources
                if s.report_id not in withdrawing
            },
            key=_source_order,
        )
        if signing:
            out.append(
                Contradiction(
                    kind="withdrawal",
                    action_key=action.key,
                    other_action_key=None,
                    subject=iso3,
                    summary=(
                        f"{iso3} is named as a party by {_plural(len(signing), 'source')} and as "
                        f"having withdrawn by {_plural(len(left.sources), 'source')}."
                    ),
                    side_a=tuple(signing),
                    side_b=left.sources,
                )
            )
    return out


def _group_labels(
    action: CanonicalAction, positions: Sequence[StatePosition]
) -> list[Contradiction]:
    """A labelled count of the action's own side against the states named on that side."""
    members: dict[str, dict[str, SourceRef]] = defaultdict(dict)
    for p in positions:
        if p.position in WITH_ACTION:
            for source in p.sources:
                members[p.iso3].setdefault(source.report_id, source)
    by_label: dict[tuple[str, str], list[SourceRef]] = defaultdict(list)
    for report in action.reports:
        for label in labels_of(report):
            for iso3 in sorted(members):
                if outside(label, iso3):
                    ref = source_ref(report, label.text, label.start, label.end)
                    by_label[(iso3, label.region)].append(ref)
    out = []
    for (iso3, region), refs in sorted(by_label.items()):
        named = tuple(sorted(members[iso3].values(), key=_source_order))
        out.append(
            Contradiction(
                kind="group_label",
                action_key=action.key,
                other_action_key=None,
                subject=iso3,
                summary=(
                    f'"{refs[0].value}" ({_plural(len(refs), "source")}) labels the group, but '
                    f"{iso3}, named on that side by {_plural(len(named), 'source')}, is not "
                    f'"{region}".'
                ),
                side_a=tuple(refs),
                side_b=named,
            )
        )
    return out


def _source_order(source: SourceRef) -> tuple[str, str, int]:
    return (source.published or "", source.report_id, source.start or 0)


def _sides(positions: Sequence[StatePosition]) -> dict[str, dict[str, list[SourceRef]]]:
    """Per state, the sources putting it with the action or against it (votes); states that
    withdrew are on no side."""
    out: dict[str, dict[str, list[SourceRef]]] = defaultdict(lambda: defaultdict(list))
    gone = {p.iso3 for p in positions if p.position == "withdrew"}
    for p in positions:
        if p.iso3 in gone:
            continue
        if p.position in WITH_ACTION:
            out[p.iso3]["with"].extend(p.sources)
        elif p.position == "voted_against":
            out[p.iso3]["against"].extend(p.sources)
    return out


def _both_sides(
    a: CanonicalAction,
    pa: Sequence[StatePosition],
    b: CanonicalAction,
    pb: Sequence[StatePosition],
) -> list[Contradiction]:
    """States on opposite sides of one action (a is b), or of two overlapping actions."""
    same = a is b
    if not same and (a.stance is None or b.stance is None):
        return []
    flip = not same and a.stance != b.stance
    sides_a, sides_b = _sides(pa), _sides(pb)
    out = []
    for iso3 in sorted(set(sides_a) & set(sides_b)):
        pairs = (
            [("with", "against")]
            if same
            else [(s, t) for s in ("with", "against") for t in ("with", "against")]
        )
        for side, other in pairs:
            opposite = (side != other) != flip if not same else True
            refs_a, refs_b = sides_a[iso3].get(side), sides_b[iso3].get(other)
            if not opposite or not refs_a or not refs_b:
                continue
            out.append(
                Contradiction(
                    kind="both_sides",
                    action_key=a.key,
                    other_action_key=None if same else b.key,
                    subject=iso3,
                    summary=_both_summary(iso3, a, b, same),
                    side_a=tuple(refs_a),
                    side_b=tuple(refs_b),
                )
            )
    return out


def _both_summary(iso3: str, a: CanonicalAction, b: CanonicalAction, same: bool) -> str:
    if same:
        return f"{iso3} is named both voting for and voting against this action."
    return (
        f"{iso3} is named on both sides: in {a.key} ({a.stance}) and in {b.key} ({b.stance}), "
        f"on the same target and overlapping in time."
    )


def _span(action: CanonicalAction) -> tuple[date, date] | None:
    """The days an action may cover: its day dates (a letter stays open for signatures), else
    the whole of its month."""
    days = sorted(d for d in (parse_date(x)[0] for x in action.dates) if d is not None)
    if days:
        reach = LETTER_WINDOW_DAYS if action.kind == "letter" else 0
        return days[0], days[-1] + timedelta(days=reach)
    months = sorted(
        (y, m) for _, y, m in (parse_date(x) for x in action.dates) if y is not None and m
    )
    if not months:
        return None
    (y1, m1), (y2, m2) = months[0], months[-1]
    last = date(y2 + m2 // 12, m2 % 12 + 1, 1) - timedelta(days=1)
    return date(y1, m1, 1), last


def _overlapping(
    actions: Sequence[CanonicalAction],
) -> Iterator[tuple[CanonicalAction, CanonicalAction]]:
    """Pairs of actions on the same target, sharing an issue (or naming none), whose time spans
    meet; found by a sweep over start dates, so the cost follows the overlaps, not n²."""
    spans: dict[str, list[tuple[date, date, str, frozenset[str], CanonicalAction]]] = defaultdict(
        list
    )
    for action in actions:
        span = _span(action)
        if action.target is not None and span is not None:
            issues = frozenset(i for r in action.reports for i in issues_of(r))
            spans[action.target].append((span[0], span[1], action.key, issues, action))
    for target in sorted(spans):
        ordered = sorted(spans[target], key=lambda s: (s[0], s[2]))
        for i, (_, end, key, issues, action) in enumerate(ordered):
            for start_b, _end_b, key_b, issues_b, other in ordered[i + 1 :]:
                if start_b > end:
                    break
                if issues and issues_b and not issues & issues_b:
                    continue
                yield (action, other) if key < key_b else (other, action)
