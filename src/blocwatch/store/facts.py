"""Rows of the fact tables for one document's facts (also what Parquet export writes)."""

from __future__ import annotations

from typing import Any

from blocwatch.model import (
    Claim,
    DocumentFacts,
    Evidence,
    FrameUse,
    JointActionReport,
    Quote,
    Speaker,
)
from blocwatch.store.write import fact_id


def fact_rows(facts: DocumentFacts) -> dict[str, list[dict[str, Any]]]:
    """Rows of every fact table for one document, with deterministic ids."""
    doc_id = facts.article.id
    reports: list[dict[str, Any]] = []
    states: list[dict[str, Any]] = []
    evidence: list[dict[str, Any]] = []
    for report in facts.joint_actions:
        report_id = fact_id(doc_id, "joint_action_reports", report.index)
        reports.append(_report_row(report, report_id, doc_id))
        for ref in report.states:
            states.append(
                {
                    "id": fact_id(doc_id, "report_states", len(states)),
                    "report_id": report_id,
                    "iso3": ref.iso3,
                    "role": ref.role,
                    "start": ref.evidence.start,
                    "end": ref.evidence.end,
                    "name_as_written": ref.evidence.text,
                }
            )
        for item in report.evidence:
            evidence.append(
                {
                    "id": fact_id(doc_id, "report_evidence", len(evidence)),
                    "report_id": report_id,
                    "field": item.field,
                    "start": item.start,
                    "end": item.end,
                    "text": item.text,
                }
            )
    return {
        "joint_action_reports": reports,
        "report_states": states,
        "report_evidence": evidence,
        "speakers": [_speaker_row(doc_id, speaker) for speaker in facts.speakers],
        "quotes": [_quote_row(doc_id, quote) for quote in facts.quotes],
        "frame_uses": [_frame_row(doc_id, i, use) for i, use in enumerate(facts.frame_uses)],
        "claims": [_claim_row(doc_id, i, claim) for i, claim in enumerate(facts.claims)],
    }


def _ref(doc_id: str, table: str, index: int | None) -> str | None:
    return fact_id(doc_id, table, index) if index is not None else None


def _speaker_row(doc_id: str, speaker: Speaker) -> dict[str, Any]:
    return {
        "id": fact_id(doc_id, "speakers", speaker.index),
        "name": speaker.name,
        "role": speaker.role,
        "affiliation": speaker.affiliation,
        "posting": speaker.posting,
        "kind": speaker.kind,
        "quoted": int(speaker.quoted),
        "start": speaker.evidence.start,
        "end": speaker.evidence.end,
        "name_as_written": speaker.evidence.text,
    }


def _quote_row(doc_id: str, quote: Quote) -> dict[str, Any]:
    attribution = quote.attribution
    return {
        "id": fact_id(doc_id, "quotes", quote.index),
        "speaker_id": _ref(doc_id, "speakers", quote.speaker),
        "kind": quote.kind,
        "start": quote.evidence.start,
        "end": quote.evidence.end,
        "text": quote.evidence.text,
        "attribution_start": attribution.start if attribution else None,
        "attribution_end": attribution.end if attribution else None,
    }


def _frame_row(doc_id: str, index: int, use: FrameUse) -> dict[str, Any]:
    return {
        "id": fact_id(doc_id, "frame_uses", index),
        "frame": use.frame,
        "concept": use.concept,
        "voice": use.voice,
        "speaker_id": _ref(doc_id, "speakers", use.speaker),
        "quote_id": _ref(doc_id, "quotes", use.quote),
        "start": use.evidence.start,
        "end": use.evidence.end,
        "term": use.evidence.text,
    }


def _claim_row(doc_id: str, index: int, claim: Claim) -> dict[str, Any]:
    return {
        "id": fact_id(doc_id, "claims", index),
        "value": claim.value,
        "value_text": claim.value_text,
        "what": claim.what,
        "claimant": claim.claimant,
        "speaker_id": _ref(doc_id, "speakers", claim.speaker),
        "start": claim.evidence.start,
        "end": claim.evidence.end,
        "sentence": claim.evidence.text,
    }


def _report_row(report: JointActionReport, report_id: str, doc_id: str) -> dict[str, Any]:
    main = _main_evidence(report)
    update_of = (
        fact_id(doc_id, "joint_action_reports", report.update_of)
        if report.update_of is not None
        else None
    )
    return {
        "id": report_id,
        "ordinal": report.index,
        "kind": report.kind,
        "forum": report.forum,
        "date": report.date,
        "date_text": report.date_text,
        "date_method": report.date_method,
        "stance": report.stance,
        "target": report.target,
        "issue": report.issue,
        "count": report.count,
        "count_qualifier": report.count_qualifier,
        "lead": report.lead,
        "update_of": update_of,
        "vote_yes": report.vote_yes,
        "vote_no": report.vote_no,
        "vote_abstain": report.vote_abstain,
        "outcome": report.outcome,
        "start": main.start,
        "end": main.end,
        "sentence": main.text,
    }


def _main_evidence(report: JointActionReport) -> Evidence:
    for item in report.evidence:
        if item.field == "action":
            return item
    if report.evidence:
        return report.evidence[0]
    raise ValueError(f"report {report.index} has no evidence: every fact needs its span")
