"""Joint-action reports from many documents, clustered into canonical real-world actions.

Outlets report one letter many times: "37 countries on 12 July", "50 by 26 July", "a letter in
July". Counting each report as an action would inflate blocs, and merging on loose similarity
would fold the 22-state criticising letter into the 37-state supporting one. So a merge needs
the hard fields to agree *and* positive evidence, and undated reports join only when there is
no choice to make.

Rules (`cluster`), applied to rows sorted by (published, doc_id, report_id):
1. `update_of` links inside one document always join (the document itself says it is one action).
2. Anchored reports (a day-precision date, a target, a stance, and something to match on: a
   count, a lead or named signatories) join pairwise (union-find) when all of these hold:
   - target and stance agree; forums are equal or one is missing;
   - kinds are equal, or letter/joint_statement with the same stated forum and at least
     STRONG_SIGNALS of the signals below (outlets call one letter a "joint statement");
   - dates are in the same year and the same day, or within LETTER_WINDOW_DAYS when either is
     a letter (signatures are collected for weeks);
   - at least one signal: same lead; compatible counts (equal, within APPROX_TOLERANCE when a
     qualifier is approximate, or for letters a count that grows, by at most LETTER_MAX_GROWTH,
     over time); named signatories overlapping in >= MIN_SHARED_SIGNATORIES states or Jaccard
     >= MIN_JACCARD; same exact date + forum + kind;
   - different stated leads veto the merge ("Pakistan on behalf of 72" and "Venezuela on behalf
     of 19" on one day are two statements), unless STRONG_SIGNALS other signals and a shared
     issue say it is one action told two ways (then the leads are a contradiction to show).
     The veto holds for whole clusters, so a report without a lead cannot chain two leads.
   Two undated votes with the same full tally (yes, no and abstentions) are also one vote.
3. Every other report ("partial": no day date, no target/stance, or nothing to match on) is
   compared with each cluster holding an anchored report. It is compatible when target, stance,
   forum and lead agree or are missing, the kind is equal, its year/month (if any) matches a
   cluster date, the cluster's earliest date is not after the report was published, and its
   count (if any) fits the cluster's counts: equal or within tolerance of one, inside their
   range, or, for a letter, larger (signatures were added after the first report; "In July, 50
   countries co-signed" is the 12 July letter of 37 grown) but by at most LETTER_MAX_GROWTH. It
   joins when exactly one cluster is compatible (that cluster is flagged: the join rests on
   absence of alternatives). With several compatible clusters it stays alone, flagged
   (ambiguous); with none it stays alone, unflagged (its own action, e.g. "12 countries in
   2016": a report dated in another year never joins). Partial reports that would bring
   different leads into one action stay apart too.
Pure: reads nothing, writes nothing; `reconcile.load` builds the ReportRows from the store.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from itertools import combinations

from blocwatch.reconcile.matching import (  # re-exported: the tuning constants live there
    APPROX_TOLERANCE,
    APPROXIMATE,
    LETTER_MAX_GROWTH,
    LETTER_WINDOW_DAYS,
    MIN_JACCARD,
    MIN_SHARED_SIGNATORIES,
    STRONG_SIGNALS,
    Cluster,
    fits_cluster,
    is_anchored,
    leads_conflict,
    plausible_growth,
    same_action,
    same_vote,
    within_tolerance,
)
from blocwatch.reconcile.rows import (  # re-exported: callers import the row from here
    VAGUE_ISSUES,
    FieldSpan,
    NamedState,
    ReportRow,
    day_of,
    issues_of,
    parse_date,
    when_key,
)

__all__ = [
    "APPROXIMATE",
    "APPROX_TOLERANCE",
    "JOINED_BY",
    "LETTER_MAX_GROWTH",
    "LETTER_WINDOW_DAYS",
    "MIN_JACCARD",
    "MIN_SHARED_SIGNATORIES",
    "STRONG_SIGNALS",
    "VAGUE_ISSUES",
    "CanonicalAction",
    "Clustering",
    "FieldSpan",
    "NamedState",
    "ReportRow",
    "cluster",
    "cluster_reports",
    "day_of",
    "issues_of",
    "parse_date",
    "plausible_growth",
    "when_key",
    "within_tolerance",
]

# How a report came to its action (action_reports.joined_by); see `Clustering`.
JOINED_BY = ("update_of", "anchor", "only_candidate", "ambiguous", "alone")
_HASH_CHARS = 8


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


@dataclass(frozen=True)
class Clustering:
    """Canonical actions, how each report joined its action and why actions are flagged.

    `joined_by[report_id]` is one of JOINED_BY: "update_of" (its own document links it),
    "anchor" (a dated report matched field by field, or the dated report others joined),
    "only_candidate" (a partial report with exactly one compatible action), "ambiguous" (several
    candidates: left alone) or "alone" (nothing to join). `flag_reasons[action_key]` says why
    an action is flagged for a human to check.
    """

    actions: tuple[CanonicalAction, ...]
    joined_by: dict[str, str]
    flag_reasons: dict[str, str]


class _UnionFind:
    """Union-find over indices; the smaller index is the root, so results follow input order.
    Each root keeps the leads its members state, so a merge can be refused on them."""

    def __init__(self, rows: Sequence[ReportRow]) -> None:
        self.parent = list(range(len(rows)))
        self.leads = [{r.lead} if r.lead else set() for r in rows]

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, i: int, j: int) -> None:
        ri, rj = self.find(i), self.find(j)
        if ri != rj:
            low, high = min(ri, rj), max(ri, rj)
            self.parent[high] = low
            self.leads[low] |= self.leads[high]

    def leads_clash(self, i: int, j: int) -> bool:
        """Would joining i's and j's groups put two different leads in one action?"""
        return len(self.leads[self.find(i)] | self.leads[self.find(j)]) > 1

    def groups(self) -> dict[int, list[int]]:
        out: dict[int, list[int]] = {}
        for i in range(len(self.parent)):
            out.setdefault(self.find(i), []).append(i)
        return out


def _sort_key(row: ReportRow) -> tuple[str, str, str]:
    return (row.published or "", row.doc_id, row.report_id)


def _pairs(
    ordered: Sequence[ReportRow], indices: list[int], block: Callable[[ReportRow], Hashable]
) -> Iterator[tuple[int, int]]:
    """Pairs of indices in the same block: only reports that agree on the block's fields can
    be one action, so the quadratic comparison runs inside blocks only."""
    blocks: dict[Hashable, list[int]] = {}
    for i in indices:
        blocks.setdefault(block(ordered[i]), []).append(i)
    for members in blocks.values():
        yield from combinations(members, 2)


def cluster_reports(rows: Sequence[ReportRow]) -> list[CanonicalAction]:
    """Group reports into canonical actions (rules in the module docstring), sorted by key."""
    return list(cluster(rows).actions)


def cluster(rows: Sequence[ReportRow]) -> Clustering:
    """`cluster_reports` with how each report joined and why actions are flagged."""
    ordered = sorted(rows, key=_sort_key)
    uf = _UnionFind(ordered)
    by_id = {r.report_id: i for i, r in enumerate(ordered)}
    linked: set[int] = set()
    for i, row in enumerate(ordered):
        j = by_id.get(row.update_of) if row.update_of else None
        if j is not None and ordered[j].doc_id == row.doc_id:
            uf.union(i, j)
            linked.add(i)
    anchored = [i for i, r in enumerate(ordered) if is_anchored(r)]
    for i, j in _pairs(ordered, anchored, lambda r: (r.target, r.stance, parse_date(r.date)[1])):
        a, b = ordered[i], ordered[j]
        if same_action(a, b) and (leads_conflict(a, b) or not uf.leads_clash(i, j)):
            uf.union(i, j)
    matched = set(anchored)
    votes = [i for i, r in enumerate(ordered) if i not in matched and r.kind == "vote"]
    for i, j in _pairs(ordered, votes, lambda r: (r.target, r.stance, r.forum)):
        if same_vote(ordered[i], ordered[j]):
            uf.union(i, j)
            matched |= {i, j}

    base = uf.groups()
    anchored_set = set(anchored)
    clusters = {
        root: Cluster.of([ordered[m] for m in members])
        for root, members in base.items()
        if anchored_set.intersection(members)
    }
    # Rule 3 only ever joins a cluster of the same kind and target: look those up directly.
    index: dict[tuple[str, str | None], list[int]] = defaultdict(list)
    by_kind: dict[str, list[int]] = defaultdict(list)
    for root, cluster in clusters.items():
        for kind in cluster.kinds:
            by_kind[kind].append(root)
            for stated in cluster.stated["target"]:
                index[(kind, stated)].append(root)
    attach: dict[int, int] = {}
    ambiguous: dict[int, list[int]] = {}
    for root, members in base.items():
        if matched.intersection(members):
            continue
        # A partial report (or update_of chain of partials) is matched on its first report.
        row = ordered[members[0]]
        candidates = index.get((row.kind, row.target), []) if row.target else by_kind[row.kind]
        fits = [c for c in candidates if fits_cluster(row, clusters[c])]
        if len(fits) == 1:
            attach[root] = fits[0]
        elif fits:
            ambiguous[root] = fits
    _drop_clashing_leads(attach, clusters, uf)
    for root, target in attach.items():
        uf.union(root, target)
    joined = {how: set[int]() for how in JOINED_BY}
    joined["update_of"] = linked
    joined["anchor"] = matched
    joined["only_candidate"] = set(attach)
    joined["ambiguous"] = set(ambiguous)
    return _finish(ordered, uf, joined, attach, ambiguous)


def _drop_clashing_leads(
    attach: dict[int, int], clusters: dict[int, Cluster], uf: _UnionFind
) -> None:
    """Partial reports that would bring different leads into one cluster ("Pakistan on behalf
    of ..." and "Venezuela on behalf of ..." both fitting a leadless one) stay apart."""
    by_cluster: dict[int, list[int]] = defaultdict(list)
    for root, target in attach.items():
        by_cluster[target].append(root)
    for target, roots in by_cluster.items():
        leads = set(clusters[target].stated["lead"]).union(*(uf.leads[r] for r in roots))
        if len(leads) > 1:
            for root in roots:
                if uf.leads[root]:
                    del attach[root]


def _finish(
    ordered: list[ReportRow],
    uf: _UnionFind,
    joined: dict[str, set[int]],
    attach: dict[int, int],
    ambiguous: dict[int, list[int]],
) -> Clustering:
    """Build the actions, then say how each report joined and why actions are flagged."""
    groups = uf.groups()
    joined_roots = {uf.find(t) for t in attach.values()}
    doubtful = {uf.find(r) for r in ambiguous}
    roots = list(groups)
    built = _unique_keys(
        [_build([ordered[m] for m in groups[r]], r in joined_roots | doubtful) for r in roots]
    )
    keys = {root: action.key for root, action in zip(roots, built, strict=True)}
    joined_by: dict[str, str] = {}
    for i, row in enumerate(ordered):
        how = next((h for h in JOINED_BY if i in joined[h]), "alone")
        if how == "anchor" and len(groups[uf.find(i)]) == 1:
            how = "alone"
        joined_by[row.report_id] = how
    reasons: dict[str, str] = {}
    for root in sorted(joined_roots):
        n = sum(1 for r in attach if uf.find(r) == root)
        reasons[keys[root]] = (
            f"{n} report(s) without a day date joined because no other action fitted them"
        )
    for partial, fits in sorted(ambiguous.items()):
        names = ", ".join(sorted(keys[uf.find(c)] for c in fits))
        reasons[keys[uf.find(partial)]] = f"fits {len(fits)} actions ({names}): left apart"
    return Clustering(tuple(sorted(built, key=lambda a: a.key)), joined_by, reasons)


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
            key=lambda t: (when_key(t[0]), t[1] if t[1] is not None else -1, t[3]),
        )
    )
    named: dict[str, set[str]] = {}
    for r in reports:
        for iso3 in r.signatories:
            named.setdefault(iso3, set()).add(r.report_id)
    signatories = {iso3: tuple(sorted(ids)) for iso3, ids in sorted(named.items())}
    day_dates = [d for d in dates if parse_date(d)[0] is not None]
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
    """Keys must identify actions: colliding keys all get the short hash of their report ids.
    Returns the actions in the input order."""
    seen = Counter(a.key for a in actions)
    return [
        a
        if seen[a.key] == 1 or a.key.startswith("undated-")
        else replace(a, key=f"{a.key}-{_short_hash(a.reports)}")
        for a in actions
    ]
