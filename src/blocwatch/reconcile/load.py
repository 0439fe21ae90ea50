"""Reading the stored reports into `ReportRow`s: the one place reconcile touches the database.

Three plain queries (reports with their document, named states, evidence spans) grouped in
Python, so that every row carries what the later steps need to cite a source: the sentence span,
the span of each named state, and the count as written ("22 European and American countries").
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import sqlite_utils

from blocwatch.reconcile.actions import FieldSpan, NamedState, ReportRow

_REPORTS_SQL = (
    "SELECT r.id, r.doc_id, d.outlet, d.published, d.language, r.kind, r.forum, r.date, "
    "r.date_text, r.date_method, r.stance, r.target, r.issue, r.count, r.count_qualifier, r.lead, "
    'r.update_of, r.vote_yes, r.vote_no, r.vote_abstain, r.outcome, r.start, r."end", r.sentence '
    "FROM joint_action_reports r JOIN documents d ON d.id = r.doc_id ORDER BY r.id"
)
_STATES_SQL = (
    'SELECT report_id, iso3, role, start, "end" FROM report_states ORDER BY report_id, start, id'
)
_EVIDENCE_SQL = (
    'SELECT report_id, field, start, "end", text FROM report_evidence ORDER BY report_id, start, id'
)
# Roles as stored (report_states.role) → the ReportRow tuple that lists them.
_ROLE_FIELDS = {
    "voted_against": "against",
    "abstained": "abstaining",
    "withdrawn": "withdrawn",
}


def read_report_rows(db: sqlite_utils.Database) -> list[ReportRow]:
    """Every joint-action report of the store, ordered by report id."""
    named: dict[str, list[NamedState]] = defaultdict(list)
    for row in db.query(_STATES_SQL):
        named[row["report_id"]].append(
            NamedState(row["iso3"], row["role"], row["start"], row["end"])
        )
    spans: dict[str, list[FieldSpan]] = defaultdict(list)
    for row in db.query(_EVIDENCE_SQL):
        spans[row["report_id"]].append(
            FieldSpan(row["field"], row["start"], row["end"], row["text"])
        )
    return [
        _row(row, tuple(named.get(row["id"], ())), tuple(spans.get(row["id"], ())))
        for row in db.query(_REPORTS_SQL)
    ]


def _distinct(states: tuple[NamedState, ...], role: str) -> tuple[str, ...]:
    """ISO3 codes named in `role`, each once, sorted (as the clustering has always read them)."""
    return tuple(sorted({s.iso3 for s in states if s.role == role}))


def _row(
    row: dict[str, Any], named: tuple[NamedState, ...], spans: tuple[FieldSpan, ...]
) -> ReportRow:
    count = next((s for s in spans if s.field == "count"), None)
    by_role = {field: _distinct(named, role) for role, field in _ROLE_FIELDS.items()}
    return ReportRow(
        report_id=row["id"],
        doc_id=row["doc_id"],
        outlet=row["outlet"],
        published=row["published"],
        kind=row["kind"],
        forum=row["forum"],
        date=row["date"],
        stance=row["stance"],
        target=row["target"],
        issue=row["issue"],
        count=row["count"],
        count_qualifier=row["count_qualifier"],
        lead=row["lead"],
        update_of=row["update_of"],
        signatories=_distinct(named, "signatory"),
        sentence=row["sentence"],
        named=named,
        against=by_role["against"],
        abstaining=by_role["abstaining"],
        withdrawn=by_role["withdrawn"],
        vote_yes=row["vote_yes"],
        vote_no=row["vote_no"],
        vote_abstain=row["vote_abstain"],
        outcome=row["outcome"],
        start=row["start"],
        end=row["end"],
        count_text=count.text if count else None,
        count_start=count.start if count else None,
        count_end=count.end if count else None,
        date_text=row["date_text"],
        date_method=row["date_method"],
        language=row["language"],
        spans=spans,
    )
