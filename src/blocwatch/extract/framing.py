"""Framing terms: which words a text uses for one thing, and in whose voice.

The same facilities are "vocational education and training centres" to the Chinese government
and "internment camps" to its critics; an outlet's choice of word, and whether it writes the word
in its own voice or puts it in someone's mouth, is the framing we measure. The words live in
`nlp/patterns/framing.tsv` (format in its header and in docs/framing.md), so a new issue is a data
change.

`extract_frames` stages, in the order they run:
1. Scopes: which issues the document is about (`@scope` rows); only `*` rows and rows of those
   scopes are tried, so "training centres" counts in a Xinjiang story and nowhere else.
2. Terms: every row's regex over the clean text; leftmost first, the longest at one position
   ("vocational training centres" beats "vocational training"), then the row listed first.
3. Voice of each term, first rule that applies:
   - inside a quoted passage that is short (SCARE_QUOTE_MAX_WORDS, or the term alone) and mostly
     the term itself:
     `scare_quote` (“politicization”, China says they are “vocational training centres”);
   - inside a longer quoted passage: `quote`, with the quote and speaker from `quote_of`;
   - right after a distancing cue ("so-called"): `scare_quote`;
   - right after a naming cue ("calls them", "what it described as"): `quote` (reported naming:
     the label is explicitly someone else's, though not in quotation marks);
   - otherwise `narration`: the outlet's own words.
4. Evidence: the term's span, mapped to the original text.

`frame_table` sums uses per outlet x concept x frame x voice for `blocwatch frames`.
"""

from __future__ import annotations

import heapq
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from blocwatch.extract.report import EvidenceWriter
from blocwatch.extract.signals import Signals
from blocwatch.model import Article, FrameUse
from blocwatch.nlp.cues import bounded

LEXICON = "framing.tsv"
VOICES = ("narration", "quote", "scare_quote")
# A row tried on every document; other scopes need a matching `@scope` row.
ANY_SCOPE = "*"
SCOPE, NAMING, DISTANCING = "@scope", "@naming", "@distancing"
CUE_CONCEPTS = frozenset({SCOPE, NAMING, DISTANCING})
# Scare quotes mark a word or a short phrase (“politicization”, “vocational education centers”);
# six words or more is a quotation of someone's sentence, unless all of them are the term
# (“vocational skills education and training centres”).
SCARE_QUOTE_MAX_WORDS = 5
# ... and the term is what is quoted: at least half of the quoted words are the term's
# (“gross interference in China's internal affairs” is; “were the same as boarding schools” is not).
SCARE_QUOTE_MIN_SHARE = 0.5
# A naming cue governs a term that follows it closely: "calls them training schools",
# "describes them as modern, humane training centres" (about 30 characters of adjectives).
NAMING_GAP_CHARS = 30
# "so-called" sits right before its term, or before the opening quotation mark.
DISTANCING_GAP_CHARS = 3
# `~` in a row: an optional hyphen (ASCII or Unicode) or space.
_TILDE = "[-\u2010\u2011 ]?"
_WORD = re.compile(r"\w+(?:['’\-]\w+)*")
# Between a cue and its term: no sentence end, no quotation mark (quoted terms are decided above).
_CUE_GAP = re.compile(r"[^.!?;:\"\n]*")

FrameTable = dict[str, dict[str, dict[str, dict[str, int]]]]


@dataclass(frozen=True)
class FrameRow:
    """One row of the lexicon (see the header of framing.tsv)."""

    scope: str
    concept: str
    frame: str
    lang: str
    pattern: str
    note: str


@dataclass(frozen=True)
class FrameTerm:
    """A lexicon match in a clean text (a term, or a cue when `concept` starts with @)."""

    start: int
    end: int
    text: str
    concept: str
    frame: str
    scope: str


def _expand(pattern: str) -> str:
    """The regex a row stands for: `~` expanded, word boundaries added where it starts or ends
    with a word character (as in nlp/cues.py)."""
    return bounded(pattern.replace("~", _TILDE))


@lru_cache(maxsize=1)
def lexicon_rows() -> tuple[FrameRow, ...]:
    """The lexicon as data; a malformed row fails loudly at load time, naming itself."""
    text = resources.files("blocwatch.nlp.patterns").joinpath(LEXICON).read_text("utf-8")
    rows: list[FrameRow] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) < 5:
            raise ValueError(f"{LEXICON}:{number}: expected 5+ tab-separated fields in {line!r}")
        scope, concept, frame, lang, pattern = (f.strip() for f in fields[:5])
        note = fields[5].strip() if len(fields) > 5 else ""
        if concept.startswith("@") and concept not in CUE_CONCEPTS:
            raise ValueError(f"{LEXICON}:{number}: unknown cue concept {concept!r}")
        try:
            re.compile(_expand(pattern))
        except re.error as error:
            raise ValueError(f"{LEXICON}:{number}: bad regex {pattern!r}: {error}") from error
        rows.append(FrameRow(scope, concept, frame, lang, pattern, note))
    return tuple(rows)


@lru_cache(maxsize=1)
def _compiled() -> tuple[tuple[re.Pattern[str], FrameRow], ...]:
    """One compiled pattern per row: separate patterns keep re's literal-prefix scan fast."""
    return tuple((re.compile(_expand(r.pattern), re.IGNORECASE), r) for r in lexicon_rows())


def _wanted(language: str | None) -> frozenset[str] | None:
    """Row languages tried on a text: its own, English and `*`; every row when unknown."""
    if not language:
        return None
    code = re.split(r"[-_]", language.strip().lower())[0]
    return frozenset({"*", "en", code})


def scopes_of(text: str, language: str | None = None) -> frozenset[str]:
    """The issues a text is about (`@scope` rows that match), plus `*`."""
    wanted = _wanted(language)
    found = {ANY_SCOPE}
    for pattern, row in _compiled():
        if row.concept != SCOPE or row.scope in found:
            continue
        if (wanted is None or row.lang in wanted) and pattern.search(text):
            found.add(row.scope)
    return frozenset(found)


def find_terms(text: str, language: str | None = None) -> list[FrameTerm]:
    """Every framing term in `text` (clean text), without overlaps: leftmost, then longest,
    then the row listed first. Cue rows are not terms (see `find_cues`)."""
    wanted = _wanted(language)
    scopes = scopes_of(text, language)
    found: list[tuple[int, int, int, int, FrameRow]] = []
    for order, (pattern, row) in enumerate(_compiled()):
        if row.concept in CUE_CONCEPTS or row.scope not in scopes:
            continue
        if wanted is not None and row.lang not in wanted:
            continue
        for match in pattern.finditer(text):
            if match.end() > match.start():
                found.append((match.start(), match.start() - match.end(), order, match.end(), row))
    found.sort(key=lambda item: item[:3])
    terms: list[FrameTerm] = []
    last_end = 0
    for start, _length, _order, end, row in found:
        if start >= last_end:
            terms.append(FrameTerm(start, end, text[start:end], row.concept, row.frame, row.scope))
            last_end = end
    return terms


def find_cues(text: str, concept: str, language: str | None = None) -> list[FrameTerm]:
    """Every match of one cue concept (@naming, @distancing, @scope), in text order."""
    wanted = _wanted(language)
    cues = [
        FrameTerm(m.start(), m.end(), m.group(), row.concept, row.frame, row.scope)
        for pattern, row in _compiled()
        if row.concept == concept and (wanted is None or row.lang in wanted)
        for m in pattern.finditer(text)
        if m.end() > m.start()
    ]
    return sorted(cues, key=lambda c: (c.start, c.end))


def _words(text: str) -> int:
    return len(_WORD.findall(text))


def _holding(
    spans: Sequence[tuple[int, int]], positions: Sequence[int]
) -> list[tuple[int, int] | None]:
    """For each position (ascending), the shortest span holding it (quotes may nest), in one
    sweep: a page with thousands of quotes and terms stays O(n log n)."""
    ordered = sorted(spans)
    open_spans: list[tuple[int, int, int]] = []  # (length, start, end), shortest first
    found: list[tuple[int, int] | None] = []
    index = 0
    for position in positions:
        while index < len(ordered) and ordered[index][0] <= position:
            start, end = ordered[index]
            heapq.heappush(open_spans, (end - start, start, end))
            index += 1
        while open_spans and open_spans[0][2] <= position:
            heapq.heappop(open_spans)  # ended before this position, so before every later one
        found.append(open_spans[0][1:] if open_spans else None)
    return found


def _governed(text: str, cue_ends: Sequence[int], term: FrameTerm, gap: int) -> bool:
    """True when a cue ends at most `gap` characters before the term (`cue_ends` sorted), with
    no sentence end and no quotation mark between them."""
    first = bisect_left(cue_ends, term.start - gap)
    last = bisect_right(cue_ends, term.start)
    return any(_CUE_GAP.fullmatch(text, end, term.start) for end in cue_ends[first:last])


def _is_scare_quote(text: str, span: tuple[int, int], term: FrameTerm) -> bool:
    quoted_words = _words(text[span[0] : span[1]])
    term_words = _words(term.text)
    return (
        0 < quoted_words <= max(SCARE_QUOTE_MAX_WORDS, term_words)
        and term_words >= SCARE_QUOTE_MIN_SHARE * quoted_words
    )


def extract_frames(
    article: Article,
    signals: Signals,
    quoted: Sequence[tuple[int, int]],
    quote_of: Callable[[int], tuple[int | None, int | None]] | None = None,
) -> tuple[FrameUse, ...]:
    """Framing terms of one article with their voice (stages in the module docstring).

    `quoted`: clean-text spans of quoted passages (with or without their quotation marks);
    `quote_of(position)`: (Quote.index, Speaker.index) of the quote holding a clean position.
    """
    text = signals.text
    evidence = EvidenceWriter(article)
    naming = sorted(c.end for c in find_cues(text, NAMING, signals.language))
    distancing = sorted(c.end for c in find_cues(text, DISTANCING, signals.language))
    terms = find_terms(text, signals.language)
    holding = _holding(quoted, [term.start for term in terms])
    uses: list[FrameUse] = []
    for term, span in zip(terms, holding, strict=True):
        quote: int | None = None
        speaker: int | None = None
        if span is not None:
            voice = "scare_quote" if _is_scare_quote(text, span, term) else "quote"
            if quote_of is not None:
                quote, speaker = quote_of(term.start)
        elif _governed(text, distancing, term, DISTANCING_GAP_CHARS):
            voice = "scare_quote"
        elif _governed(text, naming, term, NAMING_GAP_CHARS):
            voice = "quote"
        else:
            voice = "narration"
        found = evidence(term.start, term.end, "frame")
        uses.append(
            FrameUse(
                term=found.text,
                concept=term.concept,
                frame=term.frame,
                voice=voice,
                evidence=found,
                speaker=speaker,
                quote=quote,
            )
        )
    return tuple(uses)


def frame_table(rows: Iterable[tuple[str, FrameUse]]) -> FrameTable:
    """Counts per outlet -> concept -> frame -> voice, every level sorted (stable output).

    Rows are (outlet, use); pass a placeholder such as "(unknown)" for an article without outlet.
    """
    counts: dict[tuple[str, str, str, str], int] = {}
    for outlet, use in rows:
        key = (outlet, use.concept, use.frame, use.voice)
        counts[key] = counts.get(key, 0) + 1
    table: FrameTable = {}
    for (outlet, concept, frame, voice), count in sorted(counts.items()):
        table.setdefault(outlet, {}).setdefault(concept, {}).setdefault(frame, {})[voice] = count
    return table


def frame_table_rows(table: FrameTable) -> list[tuple[str, str, str, str, int]]:
    """The table flattened to (outlet, concept, frame, voice, count) rows, for printing/export."""
    return [
        (outlet, concept, frame, voice, count)
        for outlet, concepts in table.items()
        for concept, frames in concepts.items()
        for frame, voices in frames.items()
        for voice, count in voices.items()
    ]
