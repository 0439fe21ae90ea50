"""Quality gate: the extractor's scores on real gold must not drop below the pinned floors.

The floors in tests/eval_baseline.json are the scores measured when they were last raised
(trafilatura's eval gate convention). Raising a floor is a commit of its own; lowering one to make
this test pass is not allowed. `python -m tests.test_eval_gate` prints today's scores;
`--raise` raises every floor to them (never lowers one).
"""

from __future__ import annotations

import json
import math
import sys
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest

from blocwatch.evaluate import EvalReport, check_against_baseline, evaluate_directory
from blocwatch.settings import Options
from tests.conftest import ROOT, SHARED

BASELINE = ROOT / "tests" / "eval_baseline.json"


def _corpora() -> dict[str, dict[str, Any]]:
    return dict(json.loads(BASELINE.read_text())["corpora"])


def _gold_dir(entry: dict[str, Any]) -> Path:
    base = ROOT if entry.get("base") == "repo" else SHARED
    return base / entry["path"]


@lru_cache(maxsize=1)
def _nlp() -> Any:
    from blocwatch.nlp.build import build_nlp

    return build_nlp(Options())


def _evaluate(gold_dir: Path) -> EvalReport:
    from blocwatch.pipeline import process

    nlp = _nlp()
    return evaluate_directory(gold_dir, lambda article: process(article, nlp), Options())


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(_corpora()))
def test_scores_stay_above_floors(name: str) -> None:
    entry = _corpora()[name]
    gold_dir = _gold_dir(entry)
    if not gold_dir.is_dir():
        pytest.skip(f"{gold_dir} is not present")
    report = _evaluate(gold_dir)
    dropped = check_against_baseline(report.to_json(), entry)
    assert dropped == [], f"{name}: scores below their floors: {dropped}"


def raise_floors() -> None:
    """Set every floor to the current score, rounded down to 2 decimals, never lowering one."""
    baseline = json.loads(BASELINE.read_text())
    for corpus, entry in baseline["corpora"].items():
        directory = _gold_dir(entry)
        if not directory.is_dir():
            continue
        scores = _evaluate(directory).to_json()
        for metric, floor in entry["floors"].items():
            value: Any = scores
            for key in metric.split("."):
                value = value.get(key) if isinstance(value, dict) else None
            current = math.floor((value or 0) * 100) / 100 if "." in metric else (value or 0)
            entry["floors"][metric] = max(floor, current)
        print(corpus, json.dumps(entry["floors"]))
    BASELINE.write_text(json.dumps(baseline, indent=2) + "\n")


if __name__ == "__main__":  # `python -m tests.test_eval_gate --raise` pins today's scores
    if "--raise" in sys.argv:
        raise_floors()
    else:
        for corpus, corpus_entry in _corpora().items():
            directory = _gold_dir(corpus_entry)
            if directory.is_dir():
                scores = _evaluate(directory).to_json()
                print(corpus, json.dumps({k: scores[k] for k in ("actions", "signatories")}))
    sys.exit(0)
