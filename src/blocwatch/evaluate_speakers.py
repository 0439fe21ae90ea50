"""Score extracted speakers against the `speakers` lists of gold files (../shared/eval/SCHEMA.md).

Per document, predicted and gold speakers are matched one to one by name: first equal names,
then names where one's words are a subset of the other's ("Bachelet" and "Michelle Bachelet"),
both folded (case, accents) and without initials (extract/names.py `normalise`). Matched pairs
are true positives (micro P/R/F1 over all documents); on matched pairs we count how often the
affiliation is equal, the role overlaps (ROLE_MIN_OVERLAP of the shorter role's content words
are in the other) and `quoted` is equal. Only people are scored: gold lists no institutions.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from blocwatch.clean import prepare
from blocwatch.evaluate import load_gold
from blocwatch.extract.names import normalise
from blocwatch.gold_format import speakers_to_gold
from blocwatch.ingest import read_inputs
from blocwatch.model import Article, DocumentFacts, RawDocument
from blocwatch.settings import Options

# A role matches when at least this share of the shorter role's content words is in the other:
# "spokesman" vs "spokesman (Chinese Foreign Ministry)" matches, "mayor" vs "governor" not.
ROLE_MIN_OVERLAP = 0.5
DIGITS = 4  # rounding of rates: stable report files
_STOPWORDS = frozenset("the a an of to for in at on and or his her its their who".split())
_WORD = re.compile(r"\w+")


def _names(items: Any) -> list[Mapping[str, Any]]:
    if not isinstance(items, list):
        return []
    return [item for item in items if isinstance(item, Mapping) and item.get("name")]


def match_speakers(
    gold: Sequence[Mapping[str, Any]], predicted: Sequence[Mapping[str, Any]]
) -> list[tuple[int, int]]:
    """One-to-one (gold index, predicted index) pairs: equal names first, then subsets."""
    gold_names = [normalise(str(g["name"])) for g in gold]
    our_names = [normalise(str(p["name"])) for p in predicted]
    pairs: list[tuple[int, int]] = []
    used_gold: set[int] = set()
    used_ours: set[int] = set()
    for exact in (True, False):
        for i, theirs in enumerate(gold_names):
            if i in used_gold:
                continue
            for j, ours in enumerate(our_names):
                if j in used_ours or not theirs or not ours:
                    continue
                same = (
                    theirs == ours
                    if exact
                    else set(theirs) <= set(ours) or set(ours) <= set(theirs)
                )
                if same:
                    pairs.append((i, j))
                    used_gold.add(i)
                    used_ours.add(j)
                    break
    return sorted(pairs)


def _role_words(role: Any) -> set[str]:
    words = {w.casefold() for w in _WORD.findall(str(role or ""))}
    return {w[:-1] if len(w) > 3 and w.endswith("s") else w for w in words - _STOPWORDS}


def role_matches(gold: Any, predicted: Any) -> bool:
    """Loose role equality: both empty, or enough content words shared (ROLE_MIN_OVERLAP)."""
    theirs, ours = _role_words(gold), _role_words(predicted)
    if not theirs or not ours:
        return not theirs and not ours
    return len(theirs & ours) / min(len(theirs), len(ours)) >= ROLE_MIN_OVERLAP


def _rate(right: int, total: int) -> float | None:
    return round(right / total, DIGITS) if total else None


def score_speakers(pairs: Sequence[tuple[Mapping[str, Any], Mapping[str, Any]]]) -> dict[str, Any]:
    """Micro P/R/F1 of speakers and field accuracy on matched ones (see the module docstring).

    `pairs` holds (gold JSON, predicted JSON) per document, both with a `speakers` list.
    """
    gold_total = predicted_total = matched = 0
    right = {"role": 0, "affiliation": 0, "quoted": 0}
    documents: list[dict[str, Any]] = []
    for gold_doc, prediction in pairs:
        gold, ours = _names(gold_doc.get("speakers")), _names(prediction.get("speakers"))
        found = match_speakers(gold, ours)
        gold_total += len(gold)
        predicted_total += len(ours)
        matched += len(found)
        diffs: list[dict[str, Any]] = []
        for i, j in found:
            checks = {
                "role": role_matches(gold[i].get("role"), ours[j].get("role")),
                "affiliation": gold[i].get("affiliation") == ours[j].get("affiliation"),
                "quoted": bool(gold[i].get("quoted")) == bool(ours[j].get("quoted")),
            }
            for name, ok in checks.items():
                right[name] += ok
                if not ok:
                    diffs.append(
                        {
                            "name": gold[i]["name"],
                            "field": name,
                            "gold": gold[i].get(name),
                            "predicted": ours[j].get(name),
                        }
                    )
        documents.append(
            {
                "id": gold_doc.get("id"),
                "missing": [
                    g["name"] for n, g in enumerate(gold) if n not in {i for i, _ in found}
                ],
                "extra": [p["name"] for n, p in enumerate(ours) if n not in {j for _, j in found}],
                "field_diffs": diffs,
            }
        )
    precision = matched / predicted_total if predicted_total else 1.0
    recall = matched / gold_total if gold_total else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "speakers": {
            "gold": gold_total,
            "predicted": predicted_total,
            "matched": matched,
            "precision": round(precision, DIGITS),
            "recall": round(recall, DIGITS),
            "f1": round(f1, DIGITS),
        },
        "role_accuracy": _rate(right["role"], matched),
        "affiliation_accuracy": _rate(right["affiliation"], matched),
        "quoted_accuracy": _rate(right["quoted"], matched),
        "documents": documents,
    }


def evaluate_speakers_dir(
    gold_dir: Path, process: Callable[[Article], DocumentFacts], options: Options | None = None
) -> dict[str, Any]:
    """Run `process` on every gold file read as input (ingest.read_inputs, then clean.prepare,
    as evaluate.evaluate_directory does) and score its speakers against the file's gold."""
    options = options or Options()
    pairs: list[tuple[Mapping[str, Any], Mapping[str, Any]]] = []
    for gold in load_gold(gold_dir):
        raws = [i for i in read_inputs([str(gold.path)], options) if isinstance(i, RawDocument)]
        speakers = speakers_to_gold(process(prepare(raws[0], options)).speakers) if raws else []
        pairs.append(({**gold.data, "id": gold.id}, {"id": gold.id, "speakers": speakers}))
    return score_speakers(pairs)
