"""Strip web clutter that survives into plain text: comment forms, share bars, promos, credits.

trafilatura removes page chrome from HTML, but text that arrives as .txt or as a JSON `text`
field still carries it ("0 Comment(s)Print E-mail", "Leave a Reply", "Follow X on Twitter").
That clutter would reach the NLP stage as sentences. The patterns are data, in
`boilerplate_patterns.txt` (its header explains the three sections); this module applies them:

1. Each line of the normalised text is matched: leading clutter fragments are cut one after
   another, inline fragments are cut wherever they are, and a line with nothing left goes.
2. A line made only of clutter that matches a `[tail]` pattern in the second half of the text
   (a comment form, a follow prompt) starts the clutter tail: from there on only prose
   paragraphs survive. A `[block]` heading ("Read more:") takes the non-prose lines after it
   (headline links) up to the next prose paragraph.
3. A last line that reads as a publication name ("Times of Central Asia") is an outlet credit,
   not body text: it is removed and handed back so the metadata step can use it.

Nothing is ever rewritten, only cut, and the returned `OffsetMap` maps the stripped text to the
normalised text (compose it with normalise's map to reach the original).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from blocwatch.clean.normalize import OffsetBuilder
from blocwatch.model import OffsetMap

PATTERNS_FILE = "boilerplate_patterns.txt"
# A clutter tail starts only in the second half of the text: a comment form or a related
# block in the first half is more likely a quoted heading than the end of the article.
TAIL_ZONE_START = 0.5
# Inside the tail, a line survives only as a prose paragraph: this many words or more, ending
# like a sentence. Form fields, buttons and headlines are shorter or end without a full stop.
PROSE_MIN_WORDS = 8
# ... or this long whatever its end: no headline runs to 25 words, but a paragraph cut off by a
# truncated download does, and it is still body text.
PROSE_LONG_WORDS = 25
_SENTENCE_END = re.compile(r"""[.!?]["')\]]?$""")
# A bullet in front of a clutter line ("• Your Comment") is cut with it.
_BULLET = re.compile(r"[•·▪●◦‣*]\s*")
_HAS_WORD = re.compile(r"\w")

# Outlet credit line: short, capitalised, no digits, no punctuation at the end, and looking
# like a publication (one of these words, or an acronym) rather than a person's name.
CREDIT_MAX_WORDS = 6
CREDIT_MAX_CHARS = 60
_CREDIT_CONNECTORS = frozenset((
    "of", "the", "and", "for", "on", "in", "at", "&",
    "de", "del", "la", "le", "el", "les", "du", "des", "di", "da", "al",
))  # fmt: skip
_PUBLICATION_WORDS = frozenset((
    "times", "news", "post", "daily", "gazette", "tribune", "herald", "journal", "press",
    "agency", "online", "tv", "television", "radio", "network", "review", "observer",
    "telegraph", "chronicle", "monitor", "express", "insider", "today", "mail", "star", "sun",
    "standard", "guardian", "independent", "reporter", "magazine", "weekly", "report", "media",
    "broadcasting", "service", "wire", "bulletin", "courier", "dispatch", "record", "globe",
    "voice", "mirror", "nation", "world", "newspaper", "info", "channel",
))  # fmt: skip
_ACRONYM = re.compile(r"[A-Z]{2,6}")
_CREDIT_WORD = re.compile(r"[A-Z][\w'.-]*|[A-Z]{2,6}")


@dataclass(frozen=True)
class Patterns:
    """The compiled pattern file."""

    line: tuple[re.Pattern[str], ...]  # [line], [tail] and [block]: matched at a line start
    tail: tuple[re.Pattern[str], ...]  # [tail] only
    block: tuple[re.Pattern[str], ...]  # [block] only
    inline: tuple[re.Pattern[str], ...]


@dataclass(frozen=True)
class Stripped:
    """The stripped text, its map to the normalised text, and the outlet credit line if any."""

    text: str
    offsets: OffsetMap
    credit: str | None


def parse_patterns(source: str) -> Patterns:
    """Compile a pattern file (sections [line] [tail] [block] [inline]; # comments)."""
    sections: dict[str, list[re.Pattern[str]]] = {
        "line": [],
        "tail": [],
        "block": [],
        "inline": [],
    }
    current: str | None = None
    for number, raw in enumerate(source.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]") and line[1:-1] in sections:
            current = line[1:-1]
            continue
        if current is None:
            raise ValueError(f"{PATTERNS_FILE}:{number}: pattern before any [section] header")
        try:
            sections[current].append(re.compile(line, re.IGNORECASE))
        except re.error as error:
            raise ValueError(f"{PATTERNS_FILE}:{number}: bad regex: {error}") from error
    return Patterns(
        line=tuple(sections["tail"] + sections["block"] + sections["line"]),
        tail=tuple(sections["tail"]),
        block=tuple(sections["block"]),
        inline=tuple(sections["inline"]),
    )


@lru_cache(maxsize=1)
def load_patterns() -> Patterns:
    """The packaged pattern file, compiled once per process."""
    source = resources.files("blocwatch.clean").joinpath(PATTERNS_FILE).read_text("utf-8")
    return parse_patterns(source)


@dataclass
class _Line:
    start: int
    end: int
    pieces: list[tuple[int, int]]  # kept [start, end) ranges, trimmed of spaces
    cut: bool  # some clutter was cut from it
    tail_hit: bool  # a [tail] pattern matched it
    block_hit: bool  # a [block] pattern matched it

    @property
    def empty(self) -> bool:
        return not self.pieces


def _leading_cuts(text: str, start: int, end: int, patterns: Patterns) -> tuple[int, bool, bool]:
    """Cut clutter fragments at the start of text[start:end]: (new start, tail hit, block hit)."""
    position, tail_hit, block_hit = start, False, False
    while position < end:
        at = position
        bullet = _BULLET.match(text, at, end)
        if bullet:
            at = bullet.end()
        for pattern in patterns.line:
            match = pattern.match(text, at, end)
            if match and match.end() > at:
                tail_hit = tail_hit or pattern in patterns.tail
                block_hit = block_hit or pattern in patterns.block
                position = match.end()
                while position < end and text[position] == " ":
                    position += 1
                break
        else:
            return position, tail_hit, block_hit
    return position, tail_hit, block_hit


def _classify(text: str, start: int, end: int, patterns: Patterns) -> _Line:
    body_start, tail_hit, block_hit = _leading_cuts(text, start, end, patterns)
    cut = body_start > start
    spans: list[tuple[int, int]] = []
    cursor = body_start
    for pattern in patterns.inline:
        for match in pattern.finditer(text, body_start, end):
            if match.end() > match.start():
                spans.append((match.start(), match.end()))
    pieces: list[tuple[int, int]] = []
    for cut_start, cut_end in sorted(spans):
        if cut_start >= cursor:
            pieces.append((cursor, cut_start))
        cursor = max(cursor, cut_end)
        cut = True
    pieces.append((cursor, end))
    trimmed = []
    for piece_start, piece_end in pieces:
        while piece_start < piece_end and text[piece_start] == " ":
            piece_start += 1
        while piece_end > piece_start and text[piece_end - 1] == " ":
            piece_end -= 1
        if piece_end > piece_start:
            trimmed.append((piece_start, piece_end))
    if cut and not any(_HAS_WORD.search(text, s, e) for s, e in trimmed):
        trimmed = []
    return _Line(start, end, trimmed, cut, tail_hit, block_hit)


def _is_prose(text: str) -> bool:
    words = len(text.split())
    return words >= PROSE_LONG_WORDS or (
        words >= PROSE_MIN_WORDS and bool(_SENTENCE_END.search(text))
    )


def looks_like_credit(line: str) -> bool:
    """Whether a line reads as a publication or agency name, not as a sentence or a person."""
    words = line.split()
    if not 1 <= len(words) <= CREDIT_MAX_WORDS or len(line) > CREDIT_MAX_CHARS:
        return False
    if any(char.isdigit() for char in line) or not line[-1].isalnum():
        return False
    named = [w for w in words if w.casefold() not in _CREDIT_CONNECTORS]
    if not named or not all(_CREDIT_WORD.fullmatch(w) for w in named):
        return False
    if len(words) == 1 and _ACRONYM.fullmatch(line):
        return True
    return any(w.casefold().strip(".") in _PUBLICATION_WORDS for w in named)


def _select(text: str, lines: list[_Line]) -> list[_Line]:
    """Drop emptied lines, the lines under a related-links heading, and the clutter tail."""
    zone = len(text) * TAIL_ZONE_START
    in_tail = in_block = False
    kept = []
    for line in lines:
        if line.empty:
            in_tail = in_tail or (line.tail_hit and line.start >= zone)
            in_block = in_block or line.block_hit
            continue
        prose = _is_prose(" ".join(text[s:e] for s, e in line.pieces))
        in_block = in_block and not prose
        if (in_tail or in_block) and not prose:
            continue
        kept.append(line)
    return kept


def strip_boilerplate(text: str, patterns: Patterns | None = None) -> Stripped:
    """Cut web clutter from normalised `text`; never returns an empty text for a non-empty one."""
    patterns = patterns or load_patterns()
    lines: list[_Line] = []
    start = 0
    for raw_line in text.split("\n"):
        end = start + len(raw_line)
        if raw_line:
            lines.append(_classify(text, start, end, patterns))
        start = end + 1
    kept = _select(text, lines)
    credit = None
    if len(kept) >= 2 and not kept[-1].cut:
        last = text[kept[-1].start : kept[-1].end]
        if looks_like_credit(last):
            credit = last
            kept.pop()
    if not kept:
        return Stripped(text, OffsetMap.identity(len(text)), None)
    out = OffsetBuilder(len(text))
    previous_end: int | None = None
    for line in kept:
        if previous_end is not None:
            gap = text.find("\n\n", previous_end, line.start)
            if gap >= 0:
                out.add("\n", gap)
                out.add("\n", gap + 1)
            else:
                out.add("\n", previous_end)
        for number, (piece_start, piece_end) in enumerate(line.pieces):
            if number:
                out.add(" ", line.pieces[number - 1][1])
            out.add_slice(text, piece_start, piece_end, piece_start)
        previous_end = line.end  # the line break after it
    clean, offsets = out.build()
    return Stripped(clean, offsets, credit)
