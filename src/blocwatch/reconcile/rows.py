"""One stored report as reconcile reads it (`ReportRow`), and the date and issue readings every
reconcile step shares.

Kept apart from the clustering so that `load`, `contradictions`, `blocs` and `reference` can use
the row without importing the clustering rules; `actions` re-exports the names.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

# Issue values that name no issue ("other"): they never tell two actions apart.
VAGUE_ISSUES = frozenset({"other"})


@dataclass(frozen=True)
class NamedState:
    """A state a report names, in one role, with the span where it is named."""

    iso3: str
    role: str  # signatory | lead | voted_against | abstained | withdrawn
    start: int
    end: int


@dataclass(frozen=True)
class FieldSpan:
    """A span of the document's text that supports one field of a report (report_evidence)."""

    field: str  # action | count | date | forum | lead | tally | outcome ...
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class ReportRow:
    """One stored report, as read from the DB (`reconcile.load.read_report_rows`).

    The fields after `sentence` default to empty so that tests and older callers can build a row
    from the clustering fields alone.
    """

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
    named: tuple[NamedState, ...] = ()
    against: tuple[str, ...] = ()  # named as voting against
    abstaining: tuple[str, ...] = ()
    withdrawn: tuple[str, ...] = ()  # named as having withdrawn (signed, then took its name off)
    vote_yes: int | None = None
    vote_no: int | None = None
    vote_abstain: int | None = None
    outcome: str | None = None
    start: int | None = None  # span of the report's sentence in documents.text
    end: int | None = None
    count_text: str | None = None  # the count as written ("22 European and American countries")
    count_start: int | None = None
    count_end: int | None = None
    date_text: str | None = None
    date_method: str | None = None
    language: str | None = None
    spans: tuple[FieldSpan, ...] = ()  # every evidence span of the report, in text order

    def span(self, field: str) -> FieldSpan | None:
        """The first evidence span of `field`, if the report has one."""
        return next((s for s in self.spans if s.field == field), None)

    def named_in(self, role: str) -> tuple[NamedState, ...]:
        return tuple(n for n in self.named if n.role == role)


def parse_date(text: str | None) -> tuple[date | None, int | None, int | None]:
    """(day, year, month) of a YYYY, YYYY-MM or YYYY-MM-DD string; Nones when unreadable."""
    if not text:
        return None, None, None
    parts = text.strip()[:10].split("-")
    if not all(p.isdigit() for p in parts) or len(parts) > 3:
        return None, None, None
    year = int(parts[0])
    month = int(parts[1]) if len(parts) > 1 else None
    if month is not None and not 1 <= month <= 12:
        return None, None, None  # "2019-13": not a year we can trust either
    if len(parts) == 3:
        try:
            return date(year, month or 1, int(parts[2])), year, month
        except ValueError:
            return None, year, month
    return None, year, month


def day_of(row: ReportRow) -> date | None:
    """The report's action date when it is a day date."""
    return parse_date(row.date)[0]


def when_key(when: str | None) -> str:
    """Sort key for a date: "2019-07" after every day of July (it may mean any of them)."""
    if when is None:
        return ""
    return when if len(when) >= len("YYYY-MM-DD") else when + "~"


def issues_of(row: ReportRow) -> frozenset[str]:
    """The issues a report names ("Xinjiang, Hong Kong"), without the vague ones."""
    parts = (part.strip() for part in (row.issue or "").split(","))
    return frozenset(p for p in parts if p and p not in VAGUE_ISSUES)
