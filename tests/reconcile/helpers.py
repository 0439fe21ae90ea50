"""ReportRows built in code for reconcile tests (our own words, never news text)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from blocwatch.reconcile.actions import CanonicalAction, FieldSpan, NamedState, ReportRow


def row(report_id: str, **fields: Any) -> ReportRow:
    """A report of a UNHRC letter supporting CHN on Xinjiang unless `fields` say otherwise.

    `states` takes (iso3, role) pairs: each becomes a NamedState with a made-up span, and the
    role tuples (signatories, against, ...) are filled from them as the loader does.
    """
    states: list[tuple[str, str]] = fields.pop("states", [])
    base: dict[str, Any] = {
        "report_id": report_id,
        "doc_id": report_id.split(":")[0],
        "outlet": f"{report_id.split(':')[0]}.example",
        "published": None,
        "kind": "letter",
        "forum": "UNHRC",
        "date": None,
        "stance": "support",
        "target": "CHN",
        "issue": "Xinjiang",
        "count": None,
        "count_qualifier": None,
        "lead": None,
        "update_of": None,
        "signatories": (),
        "sentence": "synthetic",
        "start": 0,
        "end": 9,
    }
    base.update(fields)
    return with_states(ReportRow(**base), states) if states else ReportRow(**base)


def with_states(report: ReportRow, states: list[tuple[str, str]]) -> ReportRow:
    """The report naming these (iso3, role) pairs, at made-up spans."""
    named = tuple(
        NamedState(iso3, role, 100 + 10 * i, 105 + 10 * i) for i, (iso3, role) in enumerate(states)
    )
    leads = _with(named, "lead")
    return replace(
        report,
        named=named,
        signatories=_with(named, "signatory"),
        against=_with(named, "voted_against"),
        abstaining=_with(named, "abstained"),
        withdrawn=_with(named, "withdrawn"),
        lead=report.lead or (leads[0] if leads else None),
    )


def _with(named: tuple[NamedState, ...], role: str) -> tuple[str, ...]:
    return tuple(sorted({n.iso3 for n in named if n.role == role}))


def count_span(text: str, start: int = 40) -> dict[str, Any]:
    """The fields a report gets from its count evidence `text` written at `start`."""
    return {
        "count_text": text,
        "count_start": start,
        "count_end": start + len(text),
        "spans": (FieldSpan("count", start, start + len(text), text),),
    }


def containing(
    actions: tuple[CanonicalAction, ...] | list[CanonicalAction], report_id: str
) -> CanonicalAction:
    return next(a for a in actions if any(r.report_id == report_id for r in a.reports))
