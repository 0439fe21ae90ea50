"""Rows of the fact tables for one document's facts (also what Parquet export writes)."""

from __future__ import annotations

from typing import Any

from blocwatch.model import DocumentFacts, Evidence, JointActionReport
from blocwatch.store.write import fact_id


def fact_rows(facts: DocumentFacts) -> dict[str, list[dict[str, Any]]]:
    """joint_action_reports, report_states and report_evidence rows, with deterministic ids."""
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
    return {"joint_action_reports": reports, "report_states": states, "report_evidence": evidence}


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
