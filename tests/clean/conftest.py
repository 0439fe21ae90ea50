"""Gold files from ../shared for the clean-stage measurements (skipped when ../shared is absent)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "corpus" / "seeds"


@dataclass(frozen=True)
class Gold:
    name: str
    text: str  # the article text as retrieved
    data: dict[str, Any]  # the gold annotation


def load_gold() -> list[Gold]:
    """Seeds (text from corpus/seeds) and both devsets, in a stable order."""
    golds = []
    for path in sorted((SHARED / "eval" / "seeds_gold").glob("*.json")):
        data = json.loads(path.read_text("utf-8"))
        text = (SEEDS / data["url"]).read_text("utf-8")
        golds.append(Gold(path.name, text, data))
    for folder in ("devset", "devset2"):
        for path in sorted((SHARED / folder).glob("*.json")):
            data = json.loads(path.read_text("utf-8"))
            golds.append(Gold(f"{folder}/{path.name}", data["text"], data))
    return golds


@pytest.fixture(scope="session")
def gold() -> list[Gold]:
    if not (SHARED / "eval" / "seeds_gold").is_dir() or not (SHARED / "devset").is_dir():
        pytest.skip("../shared is not present")
    return load_gold()


@pytest.fixture(scope="session")
def seeds() -> dict[str, str]:
    """Seed texts by their 3-digit prefix ("000" ... "004")."""
    if not SEEDS.is_dir():
        pytest.skip("../shared is not present")
    return {path.name[:3]: path.read_text("utf-8") for path in sorted(SEEDS.glob("*.txt"))}
