"""A document's text cut into segments, each knowing which evidence spans cover it.

Spans overlap (a state name inside a report sentence inside a quote), so nested markup would
need care; flat segments do not: the text is cut at every span boundary and each piece is one
element whose classes say what covers it. The template escapes each piece (autoescape), so the
text is escaped first and wrapped second, and no article text is ever markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from blocwatch.report.queries import Row
from blocwatch.report.safe import anchor

# Legend of the highlight classes, in the order they are listed on a document page.
KINDS = {
    "report": "joint-action sentence",
    "state": "state named",
    "evidence": "count, date, forum, lead or tally",
    "quote": "quote",
    "speaker": "speaker",
    "frame": "framing term",
    "claim": "figure claimed",
}

# Spans other pages link to: the sentence of a report, a quote.
ANCHORED = frozenset({"report", "quote"})


@dataclass(frozen=True)
class Segment:
    text: str
    kinds: tuple[str, ...]  # keys of KINDS covering this piece, in KINDS order
    title: str  # what covers it, for the tooltip
    anchors: tuple[str, ...]  # ids of report sentences and quotes starting here (link targets)


def segments(text: str, spans: Sequence[tuple[str, Row]]) -> list[Segment]:
    """Cut `text` at every boundary of the valid spans; spans outside the text are ignored."""
    valid = [
        (kind, row)
        for kind, row in spans
        if kind in KINDS
        and isinstance(row["start"], int)
        and isinstance(row["end"], int)
        and 0 <= row["start"] < row["end"] <= len(text)
    ]
    cuts = sorted({0, len(text)} | {r["start"] for _, r in valid} | {r["end"] for _, r in valid})
    starts: dict[int, list[tuple[str, Row]]] = {}
    for kind, row in valid:
        starts.setdefault(row["start"], []).append((kind, row))
    active: list[tuple[str, Row]] = []
    placed: set[str] = set()
    pieces: list[Segment] = []
    for left, right in pairwise(cuts):
        active = [(k, r) for k, r in active if r["end"] > left] + starts.get(left, [])
        marks = []
        for kind, row in starts.get(left, []):
            name = anchor(str(row["id"]))
            if kind in ANCHORED and name not in placed:
                placed.add(name)
                marks.append(name)
        kinds = tuple(k for k in KINDS if any(kind == k for kind, _ in active))
        labels = dict.fromkeys(f"{KINDS[k]}: {r['label']}" for k, r in active if r["label"])
        pieces.append(Segment(text[left:right], kinds, "; ".join(labels), tuple(marks)))
    return pieces
