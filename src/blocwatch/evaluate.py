"""Score extracted joint actions against gold files (../shared/eval/SCHEMA.md).

Stages, per gold document (`score`):

1. Candidates. A predicted action may stand for a gold action only if both have the SAME stance
   and at least one of: an equal non-null `count`, an equal non-null `lead`, a state in both
   `signatories_named`. A gold action with none of count, lead and signatories can only be found
   through its evidence: a predicted evidence string and a gold one contain each other (case and
   whitespace normalised, the contained one at least 4 words long) or share 8 consecutive words
   (gold_format.MIN_CONTAINED_WORDS, EVIDENCE_SHARED_WORDS).
2. Assignment. Among candidates, one-to-one, by `scipy.optimize.linear_sum_assignment`: first
   as many matched pairs as possible, then the most agreement (equal kind, count, count_qualifier,
   date, forum, lead, issue, plus the Jaccard of the two signatory sets).
3. Counting. Matched pairs are true positives of action detection (micro P/R/F1 over all
   documents); field accuracy is measured on matched pairs only. Signatories and vote roles are
   scored per document as sets of (stance, ISO3) and (role, stance, ISO3), matched or not.

What "equal" means per field (an "other: ..." issue, issue lists as sets, vote tallies) lives with
the format in gold_format.py. docs/evaluation.md explains how to read the output.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from scipy.optimize import linear_sum_assignment

from blocwatch.clean import prepare
from blocwatch.errors import BlocwatchError
from blocwatch.gold_format import (
    AGREEMENT_FIELDS,
    agreement,
    field_equal,
    gold_actions,
    is_candidate,
    names,
    to_gold_json,
)
from blocwatch.ingest import read_inputs
from blocwatch.model import Article, DocumentFacts, RawDocument, Reject
from blocwatch.settings import MiB, Options

# Gold files are a few KiB; a cap keeps a stray huge file in the gold folder from eating memory.
MAX_GOLD_BYTES = 32 * MiB
# Fields compared on every matched pair, and on votes only (gold adds them for votes).
FIELDS = ("kind", "count", "count_qualifier", "date", "forum", "lead", "stance", "issue", "target")
VOTE_FIELDS = ("vote_tally", "outcome")
VOTE_ROLES = (("voted_against_named", "against"), ("abstained_named", "abstained"))
# How much of an evidence sentence a miss shows: enough to find it in the text.
EVIDENCE_PREVIEW_CHARS = 100
DIGITS = 4  # rounding of rates in to_json: stable files, no float noise in diffs


class GoldFormatError(BlocwatchError):
    """A gold folder holds a file that is not valid gold JSON."""


@dataclass(frozen=True)
class GoldDocument:
    """One gold file: its `id` (the file stem when it has none), where it is, and its content."""

    id: str
    path: Path
    data: dict[str, Any]

    @property
    def joint_actions(self) -> list[dict[str, Any]]:
        return gold_actions(self.data)


@dataclass(frozen=True)
class Tally:
    """Gold, predicted and correct items, with micro P/R/F1 (1.0 when both sides are empty)."""

    gold: int = 0
    predicted: int = 0
    correct: int = 0

    def __add__(self, other: Tally) -> Tally:
        return Tally(
            self.gold + other.gold, self.predicted + other.predicted, self.correct + other.correct
        )

    @property
    def precision(self) -> float:
        if self.predicted:
            return self.correct / self.predicted
        return 1.0 if self.gold == 0 else 0.0

    @property
    def recall(self) -> float:
        if self.gold:
            return self.correct / self.gold
        return 1.0 if self.predicted == 0 else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "gold": self.gold,
            "predicted": self.predicted,
            "correct": self.correct,
            "precision": round(self.precision, DIGITS),
            "recall": round(self.recall, DIGITS),
            "f1": round(self.f1, DIGITS),
        }


@dataclass(frozen=True)
class DocumentRow:
    """One document's share of the scores, and which signatories it missed or added."""

    doc_id: str
    actions: Tally
    signatories: Tally
    vote_roles: Tally
    missing_signatories: tuple[str, ...] = ()
    extra_signatories: tuple[str, ...] = ()


@dataclass
class EvalReport:
    """Everything `score` measured; `to_json` is the stable machine form."""

    documents: list[DocumentRow] = field(default_factory=list)
    fields: dict[str, list[int]] = field(default_factory=dict)  # field -> [correct, total]
    hard_negatives: int = 0  # gold documents with no action
    hard_negatives_clean: int = 0  # ... of which we predicted none either
    unmatched_gold: list[dict[str, Any]] = field(default_factory=list)
    unmatched_predicted: list[dict[str, Any]] = field(default_factory=list)
    field_diffs: list[dict[str, Any]] = field(default_factory=list)
    input_errors: list[str] = field(default_factory=list)  # gold files that did not read as input
    speakers: dict[str, Any] = field(default_factory=dict)  # evaluate_speakers.score_speakers

    @property
    def actions(self) -> Tally:
        return sum((row.actions for row in self.documents), Tally())

    @property
    def signatories(self) -> Tally:
        return sum((row.signatories for row in self.documents), Tally())

    @property
    def vote_roles(self) -> Tally:
        return sum((row.vote_roles for row in self.documents), Tally())

    def accuracy(self, name: str) -> float | None:
        """Share of matched pairs with this field right; None when no pair was judged on it."""
        correct, total = self.fields.get(name, [0, 0])
        return round(correct / total, DIGITS) if total else None

    def to_json(self) -> dict[str, Any]:
        return {
            "documents": len(self.documents),
            "actions": self.actions.to_json(),
            "fields": {
                name: {
                    "correct": self.fields.get(name, [0, 0])[0],
                    "total": self.fields.get(name, [0, 0])[1],
                    "accuracy": self.accuracy(name),
                }
                for name in FIELDS + VOTE_FIELDS
            },
            "signatories": self.signatories.to_json(),
            "vote_roles": self.vote_roles.to_json(),
            "hard_negatives": {"total": self.hard_negatives, "clean": self.hard_negatives_clean},
            "per_document": [
                {
                    "id": row.doc_id,
                    "actions": row.actions.to_json(),
                    "signatories": row.signatories.to_json(),
                    "vote_roles": row.vote_roles.to_json(),
                    "missing_signatories": list(row.missing_signatories),
                    "extra_signatories": list(row.extra_signatories),
                }
                for row in self.documents
            ],
            "misses": {
                "unmatched_gold": self.unmatched_gold,
                "unmatched_predicted": self.unmatched_predicted,
                "field_diffs": self.field_diffs,
            },
            "input_errors": self.input_errors,
            "speakers": self.speakers,
        }


# --- loading -------------------------------------------------------------------------------


def load_gold(directory: Path) -> list[GoldDocument]:
    """Every gold document in `directory` (*.json, sorted); files without `joint_actions`
    (events.json) are not documents and are skipped."""
    documents: list[GoldDocument] = []
    for path in sorted(directory.glob("*.json")):
        if not path.is_file():
            continue
        if path.stat().st_size > MAX_GOLD_BYTES:
            raise GoldFormatError(f"{path} is over {MAX_GOLD_BYTES // MiB} MiB: not a gold file")
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise GoldFormatError(f"{path} is not valid UTF-8 JSON ({error}); fix it") from error
        if not isinstance(data, dict) or not isinstance(data.get("joint_actions"), list):
            continue
        gold_id = data.get("id")
        doc_id = gold_id if isinstance(gold_id, str) and gold_id else path.name.split(".")[0]
        documents.append(GoldDocument(doc_id, path, data))
    return documents


def match_actions(
    gold: Sequence[Mapping[str, Any]], predicted: Sequence[Mapping[str, Any]]
) -> list[tuple[int, int]]:
    """One-to-one (gold index, predicted index) pairs: most pairs first, then most agreement."""
    if not gold or not predicted:
        return []
    # A matched pair is worth more than any total of agreement, so cardinality comes first.
    pair_bonus = (len(AGREEMENT_FIELDS) + 1) * min(len(gold), len(predicted)) + 1
    allowed = np.zeros((len(gold), len(predicted)), dtype=bool)
    cost = np.zeros((len(gold), len(predicted)))
    for i, theirs in enumerate(gold):
        for j, ours in enumerate(predicted):
            if is_candidate(theirs, ours):
                allowed[i, j] = True
                cost[i, j] = -(pair_bonus + agreement(theirs, ours))
    rows, columns = linear_sum_assignment(cost)
    return [(int(i), int(j)) for i, j in zip(rows, columns, strict=True) if allowed[i, j]]


# --- scoring -------------------------------------------------------------------------------


def _signatory_pairs(actions: Iterable[Mapping[str, Any]]) -> set[str]:
    return {
        f"{action.get('stance')}:{iso3}"
        for action in actions
        for iso3 in names(action.get("signatories_named"))
    }


def _vote_role_pairs(actions: Iterable[Mapping[str, Any]]) -> set[str]:
    return {
        f"{role}:{action.get('stance')}:{iso3}"
        for action in actions
        for key, role in VOTE_ROLES
        for iso3 in names(action.get(key))
    }


def _set_tally(gold: set[str], predicted: set[str]) -> Tally:
    return Tally(len(gold), len(predicted), len(gold & predicted))


def _miss(doc_id: str, index: int, action: Mapping[str, Any]) -> dict[str, Any]:
    evidence = names(action.get("evidence"))
    return {
        "id": doc_id,
        "index": index,
        "kind": action.get("kind"),
        "stance": action.get("stance"),
        "count": action.get("count"),
        "lead": action.get("lead"),
        "evidence": evidence[0][:EVIDENCE_PREVIEW_CHARS] if evidence else "",
    }


def score(pairs: Sequence[tuple[GoldDocument, Mapping[str, Any]]]) -> EvalReport:
    """Score predictions (gold-format dicts, see gold_format.to_gold_json) against gold."""
    report = EvalReport(fields={name: [0, 0] for name in FIELDS + VOTE_FIELDS})
    for gold_doc, prediction in pairs:
        gold, ours = gold_doc.joint_actions, gold_actions(prediction)
        matches = match_actions(gold, ours)
        for i, j in matches:
            names = FIELDS + (VOTE_FIELDS if gold[i].get("kind") == "vote" else ())
            for name in names:
                right = field_equal(name, gold[i], ours[j])
                report.fields[name][0] += right
                report.fields[name][1] += 1
                if not right:
                    report.field_diffs.append(
                        {
                            "id": gold_doc.id,
                            "gold_index": i,
                            "predicted_index": j,
                            "field": name,
                            "gold": gold[i].get(name),
                            "predicted": ours[j].get(name),
                        }
                    )
        matched_gold = {i for i, _ in matches}
        matched_ours = {j for _, j in matches}
        report.unmatched_gold += [
            _miss(gold_doc.id, i, a) for i, a in enumerate(gold) if i not in matched_gold
        ]
        report.unmatched_predicted += [
            _miss(gold_doc.id, j, a) for j, a in enumerate(ours) if j not in matched_ours
        ]
        if not gold:
            report.hard_negatives += 1
            report.hard_negatives_clean += not ours
        gold_sig, our_sig = _signatory_pairs(gold), _signatory_pairs(ours)
        report.documents.append(
            DocumentRow(
                doc_id=gold_doc.id,
                actions=Tally(len(gold), len(ours), len(matches)),
                signatories=_set_tally(gold_sig, our_sig),
                vote_roles=_set_tally(_vote_role_pairs(gold), _vote_role_pairs(ours)),
                missing_signatories=tuple(sorted(gold_sig - our_sig)),
                extra_signatories=tuple(sorted(our_sig - gold_sig)),
            )
        )
    # Imported here: evaluate_speakers builds on this module (load_gold).
    from blocwatch.evaluate_speakers import score_speakers

    report.speakers = score_speakers([({**g.data, "id": g.id}, p) for g, p in pairs])
    return report


def evaluate_directory(
    gold_dir: Path, process: Callable[[Article], DocumentFacts], options: Options
) -> EvalReport:
    """Run `process` on every gold file read as input, exactly as `blocwatch run` would read it
    (ingest.read_inputs, then clean.prepare), and score the result against the file's gold."""
    pairs: list[tuple[GoldDocument, Mapping[str, Any]]] = []
    errors: list[str] = []
    for gold in load_gold(gold_dir):
        prediction: Mapping[str, Any] = {"id": gold.id, "joint_actions": []}
        items = list(read_inputs([str(gold.path)], options))
        raws = [item for item in items if isinstance(item, RawDocument)]
        errors += [
            f"{item.source}: {item.reason} {item.detail}"
            for item in items
            if isinstance(item, Reject)
        ]
        if raws:
            prediction = to_gold_json(process(prepare(raws[0], options)))
        pairs.append((gold, prediction))
    report = score(pairs)
    report.input_errors = errors
    return report


# --- quality gate --------------------------------------------------------------------------


_MISSING = object()  # a dotted path the report does not have at all (a renamed metric)


def _lookup(report_json: Mapping[str, Any], path: str) -> Any:
    value: Any = report_json
    for key in path.split("."):
        if not isinstance(value, Mapping) or key not in value:
            return _MISSING
        value = value[key]
    return value


def metric_value(report_json: Mapping[str, Any], path: str) -> float | None:
    """The number at a dotted path of `EvalReport.to_json()` ("fields.count.accuracy"); None
    when it is absent or not measured (an accuracy with no matched pair)."""
    value = _lookup(report_json, path)
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def check_against_baseline(
    report_json: Mapping[str, Any], baseline: Mapping[str, Any], tolerance: float = 0.0
) -> list[str]:
    """Metrics below their floor in `baseline["floors"]` (one corpus of tests/eval_baseline.json),
    each as "metric: value < floor". A metric the report does not have fails (it was renamed:
    re-pin); one it has but could not measure counts as 0, so it fails only a floor above 0."""
    drops: list[str] = []
    for metric, floor in sorted(baseline.get("floors", {}).items()):
        if _lookup(report_json, metric) is _MISSING:
            drops.append(f"{metric}: missing from the report < floor {float(floor):.4f}")
            continue
        value = metric_value(report_json, metric)
        if (value or 0.0) < float(floor) - tolerance:
            shown = "not measured" if value is None else f"{value:.4f}"
            drops.append(f"{metric}: {shown} < floor {float(floor):.4f}")
    return drops
