"""The pairwise rules of clustering (see `reconcile.actions` for the rules in words): when
two dated reports are one action, when two undated votes are, and when a partial report fits a
cluster. Kept apart from the clustering loop; `actions` re-exports the public names.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from blocwatch.reconcile.rows import ReportRow, day_of, issues_of, parse_date

# A letter stays open for signatures for weeks: the 2019 Xinjiang letters went from 37 to 50
# signatories in two weeks. Three weeks covers that without reaching the next session's letter.
LETTER_WINDOW_DAYS = 21
# "About 50", "nearly 40": outlets round. 15% accepts 37 vs "nearly 40" but not 22 vs 37.
APPROX_TOLERANCE = 0.15
# Late signatures add to a letter (37 → 50 is x1.35); a count more than twice the first is
# another letter, not the same one grown.
LETTER_MAX_GROWTH = 2.0
# Two shared named states is more than chance for two reports of one bloc (one shared state is
# usually just the lead or the target's closest ally).
MIN_SHARED_SIGNATORIES = 2
MIN_JACCARD = 0.3
# letter vs joint_statement is a naming difference only when the other evidence is strong; the
# same bar lets two reports with different leads merge (and show the leads as a contradiction).
STRONG_SIGNALS = 2

APPROXIMATE = frozenset({"more_than", "nearly", "about", "at_least", "dozens"})
_MERGEABLE_KINDS = frozenset({"letter", "joint_statement"})


def agree(a: str | None, b: str | None) -> bool:
    """Equal, or one side not stated."""
    return a is None or b is None or a == b


def within_tolerance(a: ReportRow, b: ReportRow) -> bool:
    """Equal counts, or a rounded one ("nearly 40") within APPROX_TOLERANCE of the other."""
    if a.count is None or b.count is None:
        return False
    if a.count == b.count:
        return True
    approximate = a.count_qualifier in APPROXIMATE or b.count_qualifier in APPROXIMATE
    return approximate and abs(a.count - b.count) <= APPROX_TOLERANCE * max(a.count, b.count)


def plausible_growth(smaller: int, larger: int) -> bool:
    """Could a letter of `smaller` signatories have gathered `larger` later?"""
    return smaller < larger <= LETTER_MAX_GROWTH * smaller


def _counts_compatible(a: ReportRow, b: ReportRow, growth: bool) -> bool:
    """Same count, a rounded one within tolerance, or (letters) a count that grew over time."""
    if within_tolerance(a, b):
        return True
    if not growth or a.count is None or b.count is None:
        return False
    (t_first, c_first), (t_later, c_later) = sorted(
        ((r.date or "", r.published or ""), r.count or 0) for r in (a, b)
    )
    return t_first < t_later and plausible_growth(c_first, c_later)


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


def leads_conflict(a: ReportRow, b: ReportRow) -> bool:
    return a.lead is not None and b.lead is not None and a.lead != b.lead


def same_action(a: ReportRow, b: ReportRow) -> bool:
    """Rule 2 of the module docstring, for two anchored reports."""
    if a.target != b.target or a.stance != b.stance or not agree(a.forum, b.forum):
        return False
    da, db = day_of(a), day_of(b)
    if da is None or db is None or da.year != db.year:
        return False
    window = LETTER_WINDOW_DAYS if "letter" in (a.kind, b.kind) else 0
    if abs((da - db).days) > window:
        return False
    signals = _signals(a, b)
    if leads_conflict(a, b):
        ia, ib = issues_of(a), issues_of(b)
        if signals < STRONG_SIGNALS or (ia and ib and not ia & ib):
            return False
    if a.kind == b.kind:
        return signals >= 1
    if {a.kind, b.kind} <= _MERGEABLE_KINDS:
        return a.forum is not None and a.forum == b.forum and signals >= STRONG_SIGNALS
    return False


def same_vote(a: ReportRow, b: ReportRow) -> bool:
    """Two undated reports of one vote: the same full tally in the same forum, on the same
    target and motion, in the same year when both give one."""
    tally_a, tally_b = (
        (a.vote_yes, a.vote_no, a.vote_abstain),
        (b.vote_yes, b.vote_no, b.vote_abstain),
    )
    if a.kind != "vote" or b.kind != "vote" or None in tally_a or tally_a != tally_b:
        return False
    if a.forum is None or a.forum != b.forum or a.target != b.target or a.stance != b.stance:
        return False
    ya, yb = parse_date(a.date)[1], parse_date(b.date)[1]
    return agree(str(ya) if ya else None, str(yb) if yb else None)


def is_anchored(row: ReportRow) -> bool:
    has_handle = row.count is not None or row.lead is not None or bool(row.signatories)
    return (
        day_of(row) is not None and row.target is not None and row.stance is not None and has_handle
    )


def _count_fits(row: ReportRow, members: Sequence[ReportRow]) -> bool:
    """Rule 3's count test: the report's count is one more telling of the cluster's counts."""
    counted = [m for m in members if m.count is not None]
    if row.count is None or not counted:
        return True
    if any(within_tolerance(row, m) for m in counted):
        return True
    counts = [m.count for m in counted if m.count is not None]
    if row.kind != "letter":
        return False
    return min(counts) <= row.count <= max(counts) or plausible_growth(min(counts), row.count)


@dataclass(frozen=True)
class Cluster:
    """A cluster holding an anchored report, summarised once for rule 3's many comparisons."""

    members: tuple[ReportRow, ...]
    stated: dict[str, frozenset[str]]  # field -> the values its members state
    kinds: frozenset[str]
    days: tuple[date, ...]  # its day dates, sorted

    @classmethod
    def of(cls, members: Sequence[ReportRow]) -> Cluster:
        stated = {
            name: frozenset(v for v in (getattr(m, name) for m in members) if v is not None)
            for name in _PARTIAL_FIELDS
        }
        days = sorted(d for d in (day_of(m) for m in members) if d is not None)
        return cls(tuple(members), stated, frozenset(m.kind for m in members), tuple(days))


# Fields a partial report must agree on with every member of a cluster (or leave unstated).
_PARTIAL_FIELDS = ("target", "stance", "forum", "lead")


def fits_cluster(row: ReportRow, cluster: Cluster) -> bool:
    """Rule 3: can this partial report be one more account of the cluster's action?"""
    for name in _PARTIAL_FIELDS:
        value = getattr(row, name)
        if value is not None and not cluster.stated[name] <= {value}:
            return False
    days = cluster.days
    if cluster.kinds != {row.kind} or not days:
        return False
    _, year, month = parse_date(row.date)
    if row.date and year is None:
        return False  # a date we cannot read is not evidence of anything
    if year is not None and not any(
        d.year == year and (month is None or d.month == month) for d in days
    ):
        return False
    pub_day, _, _ = parse_date(row.published)
    if pub_day is not None and days[0] > pub_day:
        return False
    return _count_fits(row, cluster.members)
