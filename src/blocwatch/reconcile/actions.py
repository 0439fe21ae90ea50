"""Joint-action reports from many documents, clustered into canonical real-world actions.

Outlets report one letter many times: "37 countries on 12 July", "50 by 26 July", "a letter in
July". Counting each report as an action would inflate blocs, and merging on loose similarity
would fold the 22-state criticising letter into the 37-state supporting one. So a merge needs
the hard fields to agree *and* positive evidence, and undated reports join only when there is
no choice to make.

Rules (`cluster_reports`), applied to rows sorted by (published, doc_id, report_id):
1. `update_of` links inside one document always join (the document itself says it is one action).
2. Anchored reports (a day-precision date, a target, a stance, and something to match on: a
   count, a lead or named signatories) join pairwise (union-find) when all of these hold:
   - target and stance agree; forums are equal or one is missing;
   - kinds are equal, or letter/joint_statement with the same stated forum and at least
     STRONG_SIGNALS of the signals below (outlets call one letter a "joint statement");
   - dates are in the same year and the same day, or within LETTER_WINDOW_DAYS when either is
     a letter (signatures are collected for weeks);
   - at least one signal: same lead; compatible counts (equal, within APPROX_TOLERANCE when a
     qualifier is approximate, or for letters a count that does not shrink over time); named
     signatories overlapping in >= MIN_SHARED_SIGNATORIES states or Jaccard >= MIN_JACCARD;
     same exact date + forum + kind.
3. Every other report ("partial": no day date, no target/stance, or nothing to match on) is
   compared with each cluster holding an anchored report. It is compatible when target, stance
   and forum agree or are missing, the kind is equal, its year/month (if any) matches a cluster
   date, the cluster's earliest date is not after the report was published, and its count (if
   any) fits the cluster's counts. It joins when exactly one cluster is compatible (that
   cluster is flagged: the join rests on absence of alternatives). With several compatible
   clusters it stays alone, flagged (ambiguous); with none it stays alone, unflagged (its own
   action, e.g. "12 countries in 2016": a report dated in another year never joins).
Pure: reads nothing, writes nothing; the lead's query builds the ReportRows.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from itertools import combinations

# A letter stays open for signatures for weeks: the 2019 Xinjiang letters went from 37 to 50
# signatories in two weeks. Three weeks covers that without reaching the next session's letter.
LETTER_WINDOW_DAYS = 21
# "About 50", "nearly 40": outlets round. 15% accepts 37 vs "nearly 40" but not 22 vs 37.
APPROX_TOLERANCE = 0.15
# Two shared named states is more than chance for two reports of one bloc (one shared state is
# usually just the lead or the target's closest ally).
MIN_SHARED_SIGNATORIES = 2
MIN_JACCARD = 0.3
# letter vs joint_statement is a naming difference only when the other evidence is strong.
STRONG_SIGNALS = 2

APPROXIMATE = frozenset({"more_than", "nearly", "about", "at_least", "dozens"})
_MERGEABLE_KINDS = frozenset({"letter", "joint_statement"})
_HASH_CHARS = 8


@dataclass(frozen=True)
class ReportRow:
    """One stored report, as read from the DB (joint_action_reports + its signatory states)."""

    report_id: str
    doc_id: str
    outlet: str | None
    published: str | None
    kind: str
    forum: str | None
    date: str | None
    stance: str | None
    target: str | None
    issue: str | None
    count: int | None
    count_qualifier: str | None
    lead: str | None
    update_of: str | None
    signatories: tuple[str, ...]
    sentence: str


Timeline = tuple[tuple[str | None, int | None, str | None, str], ...]


@dataclass(frozen=True)
class CanonicalAction:
    """One real-world action and every report of it."""

    key: str
    reports: tuple[ReportRow, ...]
    kind: str
    forum: str | None
    stance: str | None
    target: str | None
    issues: tuple[str, ...]
    dates: tuple[str, ...]
    leads: tuple[str, ...]
    timeline: Timeline
    signatories: dict[str, tuple[str, ...]]
    flagged: bool


def _parse_date(text: str | None) -> tuple[date | None, int | None, int | None]:
    """(day, year, month) of a YYYY, YYYY-MM or YYYY-MM-DD string; Nones when unreadable."""
    if not text:
        return None, None, None
    parts = text.strip()[:10].split("-")
    if not all(p.isdigit() for p in parts) or len(parts) > 3:
        return None, None, None
    year = int(parts[0])
    month = int(parts[1]) if len(parts) > 1 else None
    if month is not None and not 1 <= month <= 12:
        return None, year, None
    if len(parts) == 3:
        try:
            return date(year, month or 1, int(parts[2])), year, month
        except ValueError:
            return None, year, month
    return None, year, month


def _day(row: ReportRow) -> date | None:
    return _parse_date(row.date)[0]


def _agree(a: str | None, b: str | None) -> bool:
    """Equal, or one side not stated."""
    return a is None or b is None or a == b


def _counts_compatible(a: ReportRow, b: ReportRow, growth: bool) -> bool:
    """Same count, a rounded one within tolerance, or (letters) a count that did not shrink."""
    if a.count is None or b.count is None:
        return False
    if a.count == b.count:
        return True
    approximate = a.count_qualifier in APPROXIMATE or b.count_qualifier in APPROXIMATE
    if approximate and abs(a.count - b.count) <= APPROX_TOLERANCE * max(a.count, b.count):
        return True
    if growth:
        (t_first, c_first), (t_later, c_later) = sorted(
            ((r.date or "", r.published or ""), r.count or 0) for r in (a, b)
        )
        return t_first < t_later and c_later > c_first
    return False


def _signatories_overlap(a: ReportRow, b: ReportRow) -> bool:
    sa, sb = set(a.signatories), set(b.signatories)
    shared = len(sa & sb)
    if shared >= MIN_SHARED_SIGNATORIES:
        return True
    union = len(sa | sb)
    return union > 0 and shared > 0 and shared / union >= MIN_JACCARD


def _signals(a: ReportRow, b: ReportRow) -> int:
    """How many independent signals say a and b are one action."""
    growth = "letter" in (a.kind, b.kind)
    return sum(
        (
            a.lead is not None and a.lead == b.lead,
            _counts_compatible(a, b, growth),
            _signatories_overlap(a, b),
            a.date == b.date and a.forum is not None and a.forum == b.forum and a.kind == b.kind,
        )
    )


def _same_action(a: ReportRow, b: ReportRow) -> bool:
    """Rule 2 of the module docstring, for two anchored reports."""
    if a.target != b.target or a.stance != b.stance or not _agree(a.forum, b.forum):
        return False
    da, db = _day(a), _day(b)
    if da is None or db is None or da.year != db.year:
        return False
    window = LETTER_WINDOW_DAYS if "letter" in (a.kind, b.kind) else 0
    if abs((da - db).days) > window:
        return False
    signals = _signals(a, b)
    if a.kind == b.kind:
        return signals >= 1
    if {a.kind, b.kind} <= _MERGEABLE_KINDS:
        return a.forum is not None and a.forum == b.forum and signals >= STRONG_SIGNALS
    return False


def _is_anchored(row: ReportRow) -> bool:
    has_handle = row.count is not None or row.lead is not None or bool(row.signatories)
    return (
        _day(row) is not None and row.target is not None and row.stance is not None and has_handle
    )


def _fits_cluster(row: ReportRow, members: Sequence[ReportRow]) -> bool:
    """Rule 3: can this partial report be one more account of the cluster's action?"""
    for m in members:
        if not (_agree(row.target, m.target) and _agree(row.stance, m.stance)):
            return False
        if not _agree(row.forum, m.forum) or row.kind != m.kind:
            return False
    days = sorted(d for d in (_day(m) for m in members) if d is not None)
    if not days:
        return False
    _, year, month = _parse_date(row.date)
    if row.date and year is None:
        return False  # a date we cannot read is not evidence of anything
    if year is not None and not any(
        d.year == year and (month is None or d.month == month) for d in days
    ):
        return False
    pub_day, _, _ = _parse_date(row.published)
    if pub_day is not None and days[0] > pub_day:
        return False
    counts = [m.count for m in members if m.count is not None]
    if row.count is not None and counts:
        fits = [_counts_compatible(row, m, growth=False) for m in members if m.count is not None]
        in_range = row.kind == "letter" and min(counts) <= row.count <= max(counts)
        if not (any(fits) or in_range):
            return False
    return True


class _UnionFind:
    """Union-find over indices; the smaller index is the root, so results follow input order."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, i: int, j: int) -> None:
        ri, rj = self.find(i), self.find(j)
        if ri != rj:
            self.parent[max(ri, rj)] = min(ri, rj)

    def groups(self) -> dict[int, list[int]]:
        out: dict[int, list[int]] = {}
        for i in range(len(self.parent)):
            out.setdefault(self.find(i), []).append(i)
        return out


def _sort_key(row: ReportRow) -> tuple[str, str, str]:
    return (row.published or "", row.doc_id, row.report_id)


def cluster_reports(rows: Sequence[ReportRow]) -> list[CanonicalAction]:
    """Group reports into canonical actions (rules in the module docstring), sorted by key."""
    ordered = sorted(rows, key=_sort_key)
    uf = _UnionFind(len(ordered))
    by_id = {r.report_id: i for i, r in enumerate(ordered)}
    for i, row in enumerate(ordered):
        j = by_id.get(row.update_of) if row.update_of else None
        if j is not None and ordered[j].doc_id == row.doc_id:
            uf.union(i, j)
    anchored = [i for i, r in enumerate(ordered) if _is_anchored(r)]
    for i, j in combinations(anchored, 2):
        if _same_action(ordered[i], ordered[j]):
            uf.union(i, j)

    anchored_set = set(anchored)
    base = uf.groups()
    clusters = {
        root: members for root, members in base.items() if any(m in anchored_set for m in members)
    }
    flagged: set[int] = set()
    attach: dict[int, int] = {}
    for root, members in base.items():
        if root in clusters:
            continue
        # A partial report (or update_of chain of partials) is matched on its first report.
        row = ordered[members[0]]
        fits = [c for c, mem in clusters.items() if _fits_cluster(row, [ordered[m] for m in mem])]
        if len(fits) == 1:
            attach[root] = fits[0]
        elif fits:
            flagged.add(root)
    for root, target in attach.items():
        uf.union(root, target)
    for target in attach.values():
        flagged.add(uf.find(target))
    flagged = {uf.find(r) for r in flagged}

    actions = [
        _build([ordered[m] for m in members], root in flagged)
        for root, members in uf.groups().items()
    ]
    return _unique_keys(actions)


def _most_common(values: Iterable[str | None]) -> str | None:
    """The most frequent stated value; ties go to the earliest (input is sorted)."""
    stated = [v for v in values if v is not None]
    if not stated:
        return None
    counts = Counter(stated)
    best = max(counts.values())
    return next(v for v in stated if counts[v] == best)


def _short_hash(reports: Sequence[ReportRow]) -> str:
    ids = "\n".join(sorted(r.report_id for r in reports))
    return hashlib.sha1(ids.encode(), usedforsecurity=False).hexdigest()[:_HASH_CHARS]


def _when_key(when: str | None) -> str:
    """Sort key for a date: "2019-07" after every day of July (it may mean any of them)."""
    if when is None:
        return ""
    return when if len(when) >= len("YYYY-MM-DD") else when + "~"


def _build(reports: list[ReportRow], flagged: bool) -> CanonicalAction:
    kind = _most_common(r.kind for r in reports) or reports[0].kind
    forum = _most_common(r.forum for r in reports)
    stance = _most_common(r.stance for r in reports)
    target = _most_common(r.target for r in reports)
    issues: dict[str, None] = {}
    for r in reports:
        for part in (r.issue or "").split(","):
            if part.strip():
                issues.setdefault(part.strip(), None)
    dates = tuple(sorted({r.date for r in reports if r.date}))
    leads = tuple(sorted({r.lead for r in reports if r.lead}))
    timeline = tuple(
        sorted(
            ((r.date or r.published, r.count, r.count_qualifier, r.report_id) for r in reports),
            key=lambda t: (_when_key(t[0]), t[1] if t[1] is not None else -1, t[3]),
        )
    )
    named: dict[str, set[str]] = {}
    for r in reports:
        for iso3 in r.signatories:
            named.setdefault(iso3, set()).add(r.report_id)
    signatories = {iso3: tuple(sorted(ids)) for iso3, ids in sorted(named.items())}
    day_dates = [d for d in dates if _parse_date(d)[0] is not None]
    head = day_dates[0] if day_dates else f"undated-{_short_hash(reports)}"
    key = "-".join((head, forum or "NA", stance or "NA", target or "NA", kind))
    return CanonicalAction(
        key=key,
        reports=tuple(reports),
        kind=kind,
        forum=forum,
        stance=stance,
        target=target,
        issues=tuple(issues),
        dates=dates,
        leads=leads,
        timeline=timeline,
        signatories=signatories,
        flagged=flagged,
    )


def _unique_keys(actions: list[CanonicalAction]) -> list[CanonicalAction]:
    """Keys must identify actions: colliding keys all get the short hash of their report ids."""
    seen = Counter(a.key for a in actions)
    out = [
        a
        if seen[a.key] == 1 or a.key.startswith("undated-")
        else _rekey(a, f"{a.key}-{_short_hash(a.reports)}")
        for a in actions
    ]
    return sorted(out, key=lambda a: a.key)


def _rekey(action: CanonicalAction, key: str) -> CanonicalAction:
    return replace(action, key=key)
