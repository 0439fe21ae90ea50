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


@dataclass(frozen=True)
class Evidence:
    """A span of `Article.text` (the original) that supports one field of a fact.

    `field` names what it supports: action (the sentence reporting the action), kind, count, date,
    forum, lead, stance, issue, target, signatory, voted_against, abstained, tally, outcome.
    """

    start: int
    end: int
    text: str
    field: str = "action"


@dataclass(frozen=True)
class StateRef:
    """A state a report names in a role, with the span where it is named."""

    iso3: str
    role: str  # signatory | lead | voted_against | abstained
    evidence: Evidence


@dataclass(frozen=True)
class JointActionReport:
    """One document's account of one joint action (letter, joint statement, vote, ...).

    The reported count and the named states are separate facts: "54 claimed, 6 named" is kept as
    it is, never reconciled inside one document.
    """

    index: int  # position among the document's reports (gold order: first mention)
    kind: str  # letter | joint_statement | vote | individual_statements
    forum: str | None = None  # UNHRC | UNGA-C3 | UNGA | UNSC | other
    date: str | None = None  # YYYY-MM-DD or YYYY-MM
    date_text: str | None = None  # the words the date came from ("on the 12th")
    date_method: str | None = None  # how it was resolved (nlp.dates methods)
    stance: str | None = None  # support | criticize, toward the target's policy
    target: str | None = None  # ISO3 of the state whose policy is at issue
    issue: str | None = None
    count: int | None = None
    count_qualifier: str | None = None  # exact | more_than | nearly | about | at_least | dozens
    lead: str | None = None  # ISO3 of the state that delivered it for the group
    states: tuple[StateRef, ...] = ()
    vote_yes: int | None = None
    vote_no: int | None = None
    vote_abstain: int | None = None
    outcome: str | None = None  # adopted | rejected
    update_of: int | None = None  # index of the earlier report of the same action (count grew)
    evidence: tuple[Evidence, ...] = ()

    def named(self, role: str) -> list[str]:
        """ISO3 codes named in `role`, first mention first, each once."""
        seen: dict[str, None] = {}
        for ref in self.states:
            if ref.role == role:
                seen.setdefault(ref.iso3, None)
        return list(seen)


@dataclass(frozen=True)
class Speaker:
    """A person (or an institution) the document quotes or reports as saying something."""

    index: int
    name: str  # the fullest form of the name in the text ("Geng Shuang", not "Geng")
    evidence: Evidence  # where that fullest form is written
    role: str | None = None  # "foreign ministry spokesperson", "permanent representative to the UN"
    affiliation: str | None = None  # ISO3 for a state's voice; else an organisation ("UN", "HRW")
    posting: str | None = None  # where the role is held: UNOG, UN (New York), Geneva ...
    quoted: bool = False  # True when quoted directly in quotation marks
    kind: str = "person"  # person | institution ("the Chinese Mission", "the statement")


@dataclass(frozen=True)
class Quote:
    """Words attributed to a speaker: direct (in quotation marks) or indirect ("said that ...")."""

    index: int
    evidence: Evidence  # the quoted words (field "quote")
    kind: str = "direct"  # direct | indirect (scare quotes are FrameUse voice "scare_quote")
    speaker: int | None = None  # Speaker.index
    attribution: Evidence | None = None  # the speech verb and speaker ("Geng said")


@dataclass(frozen=True)
class FrameUse:
    """One use of a framing term ("vocational training centres" vs "internment camps")."""

    term: str  # as written
    concept: str  # what it names: facilities, policy, dispute ...
    frame: str  # how it frames it: e.g. official | critical
    voice: str  # narration | quote | scare_quote
    evidence: Evidence
    speaker: int | None = None  # Speaker.index, for a quote
    quote: int | None = None  # Quote.index, for a quote


@dataclass(frozen=True)
class Claim:
    """A figure and what it counts, with who says so ("an estimated 1 million Uighurs held")."""

    value: float | None  # the number, when there is one
    value_text: str  # as written ("an estimated 1 million", "three years")
    what: str  # what is counted or measured
    evidence: Evidence
    claimant: str | None = None  # who says so, as written ("UN experts", "the joint letter")
    speaker: int | None = None  # Speaker.index when the claimant is a known speaker


@dataclass(frozen=True)
class DocumentFacts:
    """Everything extracted from one article: what `pipeline.process` returns."""

    article: Article
    joint_actions: tuple[JointActionReport, ...] = ()
    speakers: tuple[Speaker, ...] = ()
    quotes: tuple[Quote, ...] = ()
    frame_uses: tuple[FrameUse, ...] = ()
    claims: tuple[Claim, ...] = ()
