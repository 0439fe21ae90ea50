"""The data that flows between stages: frozen dataclasses, no behaviour beyond small helpers.

Readers yield `RawDocument | Reject`; the clean stage turns a RawDocument into an `Article`
(normalised text plus an `OffsetMap` back to the original); later stages add facts whose spans
always point into `Article.text`, the text as retrieved.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from blocwatch.errors import RejectReason


@dataclass(frozen=True)
class RawDocument:
    """One article as a reader found it, before any cleaning.

    `source` names the input item uniquely and stably across runs: a path, `path:LINE` for a JSONL
    line, `path#N` for the N-th item of a JSON list, WARC file or feed. `text` is the article text
    as retrieved (for HTML: the main text trafilatura extracted); every later span points into it.
    """

    source: str
    input_format: str  # txt | html | json | jsonl | warc | rss | atom
    text: str
    external_id: str | None = None  # the `id` of JSON input, else the file stem
    url: str | None = None
    title: str | None = None
    outlet: str | None = None
    published: str | None = None  # YYYY-MM-DD or YYYY-MM from metadata, when the input has one
    language: str | None = None
    encoding: str | None = None  # the detected byte encoding, when the reader decoded bytes
    fetched: str | None = None  # when a crawler fetched it (WARC-Date); not a publication date


@dataclass(frozen=True)
class Reject:
    """An input item that did not become a document, and why. Nothing is dropped silently."""

    source: str
    reason: RejectReason
    detail: str


@dataclass(frozen=True)
class OffsetMap:
    """Maps positions in the clean text back to the original text.

    Stored as runs: `starts[i]` is a clean position where a run begins and `origins[i]` the original
    position of that character; inside a run both advance together. A clean string built by
    dropping, collapsing or replacing characters therefore needs one run per edit, not one entry
    per character.
    """

    starts: tuple[int, ...]
    origins: tuple[int, ...]
    clean_length: int
    original_length: int

    def to_original(self, position: int) -> int:
        """Original position of the clean character at `position` (end positions: see span)."""
        if not self.starts or position >= self.clean_length:
            return self.original_length
        run = bisect_right(self.starts, position) - 1
        return self.origins[run] + (position - self.starts[run])

    def span_to_original(self, start: int, end: int) -> tuple[int, int]:
        """Original [start, end) covering the clean span [start, end)."""
        if end <= start:
            at = self.to_original(start)
            return at, at
        return self.to_original(start), self.to_original(end - 1) + 1

    @classmethod
    def identity(cls, length: int) -> OffsetMap:
        return cls(
            starts=(0,) if length else (),
            origins=(0,) if length else (),
            clean_length=length,
            original_length=length,
        )


@dataclass(frozen=True)
class Article:
    """A cleaned document ready for NLP. `id` is the sha256 (16 hex) of the normalised text."""

    id: str
    source: str
    input_format: str
    text: str  # original, as retrieved: every stored span points here
    clean_text: str
    offsets: OffsetMap
    external_id: str | None = None
    url: str | None = None
    title: str | None = None
    outlet: str | None = None
    outlet_source: str = "none"  # metadata | url | credit | dateline | none
    published: str | None = None
    published_source: str = "none"  # metadata | url | dateline | text | none
    dateline_place: str | None = None
    agency: str | None = None
    language: str | None = None
    language_source: str = "none"  # metadata | detected | none
    encoding: str | None = None
    fetched: str | None = None


@dataclass(frozen=True)
class Duplicate:
    """An input item whose text is already stored: kept as a pointer, not extracted twice.

    A syndicated copy keeps its own outlet, URL and date, since "who ran this story" is a fact too.
    """

    source: str
    input_format: str
    duplicate_of: str  # Article.id of the stored copy
    method: str  # exact | near
    similarity: float  # 1.0 for exact; estimated Jaccard of word shingles for near
    external_id: str | None = None
    url: str | None = None
    title: str | None = None
    outlet: str | None = None
    published: str | None = None
