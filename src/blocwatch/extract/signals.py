"""Everything the joint-action extractor reads about one document, gathered once.

The recognisers (states, counts, tallies, dates, cues) are pure functions over the clean text; the
spaCy components call them and this module reads their results from the Doc, or calls them
directly when there is no Doc (tests, the prefilter). Positions are clean-text offsets here; the
extractor maps them to the original text only when it writes evidence.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from blocwatch.nlp.counts import CountMention, find_counts
from blocwatch.nlp.cues import Cue, find_all_cues
from blocwatch.nlp.dates import DateMention, find_dates
from blocwatch.nlp.states import StateMention, find_states
from blocwatch.nlp.tallies import Tally, find_tallies

# Sentence ends for texts without a parser: terminal punctuation (Latin, Arabic) or a line break.
_SENTENCE_END = re.compile(r"(?<=[.!?؟。])\s+(?=[\"'“‘(\[]?[A-Z0-9À-ÖØ-ÞА-Я\u0600-\u06FF])|\n+")
# Abbreviations that end with a period but not a sentence ("U.N.", "Oct.", "Mr.").
_ABBREVIATION = re.compile(
    r"(?:\b[A-Z]\.){1,3}$|\b(?:Mr|Mrs|Ms|Dr|St|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec|No|Amb|Gen|Rep|Sen|Prof|vs|etc)\.$"
)


@dataclass(frozen=True)
class Signals:
    """A document's recogniser output, with sentence boundaries (clean-text offsets)."""

    text: str
    language: str | None
    anchor: date | None
    sentences: tuple[tuple[int, int], ...]
    states: tuple[StateMention, ...]
    counts: tuple[CountMention, ...]
    tallies: tuple[Tally, ...]
    dates: tuple[DateMention, ...]
    cues: dict[str, tuple[Cue, ...]] = field(default_factory=dict)

    def sentence_of(self, position: int) -> int:
        """Index of the sentence holding `position`."""
        starts = [s for s, _ in self.sentences]
        return max(0, bisect_right(starts, position) - 1)

    def cues_in(self, category: str, start: int, end: int) -> list[Cue]:
        return [c for c in self.cues.get(category, ()) if start <= c.start and c.end <= end]


def split_sentences(text: str) -> tuple[tuple[int, int], ...]:
    """Sentence spans by punctuation and line breaks (used when no parser segmented the text)."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        if "\n" not in match.group() and _ABBREVIATION.search(text[start : match.start()]):
            continue
        if text[start : match.start()].strip():
            spans.append(trim_span(text, start, match.start()))
        start = match.end()
    if text[start:].strip():
        spans.append(trim_span(text, start, len(text)))
    return tuple(spans)


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without the whitespace at its ends."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def gather(
    text: str,
    language: str | None,
    anchor: date | None,
    sentences: Sequence[tuple[int, int]] | None = None,
) -> Signals:
    """Run every recogniser over `text` (clean text)."""
    return Signals(
        text=text,
        language=language,
        anchor=anchor,
        sentences=tuple(sentences) if sentences is not None else split_sentences(text),
        states=tuple(find_states(text)),
        counts=tuple(find_counts(text, language)),
        tallies=tuple(find_tallies(text, language)),
        dates=tuple(find_dates(text, anchor, language)),
        cues={k: tuple(v) for k, v in find_all_cues(text, language).items()},
    )
