"""Pair quotation marks in clean text: which characters are inside a quotation.

The clean text has every double quotation mark (“ ” „ « ») as `"` and every single one (‘ ’) as
`'` (clean/normalize.py), so the direction of a mark is read from its neighbours:
1. Paragraphs are cut at line breaks, except a hard wrap inside a sentence (a line that ends
   without final punctuation and a next line that starts in lower case).
2. Double marks, per paragraph: a mark after a space or an opening bracket and before a word
   opens; one after a word and before a space or punctuation closes; an ambiguous one closes
   what is open, else opens. An opening mark while a quotation is open opens a nested one
   (“a network of “political re-education” camps”), up to MAX_DEPTH.
3. A quotation still open at the end of its paragraph ends there. When the next paragraph opens
   with a mark, it continues the quotation (news style for a quote over several paragraphs);
   otherwise the mark was unbalanced and the paragraph end is the best close.
4. Single marks, inside each stretch between double marks: an apostrophe between letters
   ("China's", "don't") never counts; a pair needs an opener after a space and a closer before a
   space or punctuation in the same stretch, at most MAX_SINGLE_QUOTE_WORDS apart. An unclosed
   single mark is an apostrophe ("countries' letter"), not a quotation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

from blocwatch.extract.signals import trim_span

DOUBLE, SINGLE = '"', "'"
# Nesting deeper than this is a mis-typed mark, not a quote in a quote in a quote.
MAX_DEPTH = 2
# A single-quoted passage is a term or a sentence; longer "pairs" are apostrophes far apart.
MAX_SINGLE_QUOTE_WORDS = 40
# Characters after which a mark opens a quotation (besides a space or the paragraph start).
_OPEN_BEFORE = frozenset("([{\u2014\u2013-/:")
# Characters before which a mark closes one (besides a space or the paragraph end).
_CLOSE_AFTER = frozenset(".,;:!?)]}\u2014\u2013-'\"")
# Final punctuation (or a mark) at the end of a line: the line break is a paragraph break.
_LINE_END = frozenset(".!?:;\"'\u2026)]")
_WORDS = re.compile(r"\w+")


@dataclass(frozen=True)
class QuoteSpan:
    """One quotation: `start:end` is the quoted text without its marks (clean offsets)."""

    start: int
    end: int
    open_at: int  # the opening mark
    close_at: int | None  # the closing mark; None when the paragraph end closed it
    mark: str  # '"' or "'"
    depth: int = 0  # 0 for a top-level quotation
    continues: bool = False  # opens a paragraph that goes on with the previous quotation

    def word_count(self, text: str) -> int:
        return len(_WORDS.findall(text, self.start, self.end))


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Paragraph spans: lines, with hard-wrapped lines of one sentence joined."""
    spans: list[tuple[int, int]] = []
    start = 0
    position = text.find("\n")
    while position != -1:
        if not _soft_wrap(text, position):
            if text[start:position].strip():
                spans.append((start, position))
            start = position + 1
        position = text.find("\n", position + 1)
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans


def _soft_wrap(text: str, position: int) -> bool:
    """A single line break inside a sentence ("so it\\ncannot block")."""
    before = text[position - 1] if position > 0 else "\n"
    after = text[position + 1] if position + 1 < len(text) else "\n"
    return before.isalnum() or before == "," if after.islower() else False


def _is_opener(text: str, i: int, start: int, end: int) -> bool:
    before = text[i - 1] if i > start else " "
    after = text[i + 1] if i + 1 < end else " "
    return (before.isspace() or before in _OPEN_BEFORE) and not after.isspace()


def _is_closer(text: str, i: int, start: int, end: int) -> bool:
    before = text[i - 1] if i > start else " "
    after = text[i + 1] if i + 1 < end else " "
    return not before.isspace() and (after.isspace() or after in _CLOSE_AFTER)


def pair_quotes(text: str) -> list[QuoteSpan]:
    """Every quotation in `text`, double and single, nested ones included, by start."""
    spans: list[QuoteSpan] = []
    open_at_end = False
    for start, end in paragraphs(text):
        continues = open_at_end and text[start] == DOUBLE
        doubles, open_at_end = _pair_doubles(text, start, end, continues)
        spans.extend(doubles)
        spans.extend(_pair_singles(text, start, end, doubles))
    spans.sort(key=lambda s: (s.start, -s.end))
    return spans


def _pair_doubles(text: str, start: int, end: int, continues: bool) -> tuple[list[QuoteSpan], bool]:
    """The double-mark quotations of one paragraph, and whether one was left open."""
    spans: list[QuoteSpan] = []
    stack: list[int] = []
    position = text.find(DOUBLE, start, end)
    while position != -1:
        opener = _is_opener(text, position, start, end)
        closer = _is_closer(text, position, start, end)
        if stack and (closer or not opener or len(stack) >= MAX_DEPTH):
            opened = stack.pop()
            inner = trim_span(text, opened + 1, position)
            spans.append(
                QuoteSpan(
                    *inner,
                    opened,
                    position,
                    DOUBLE,
                    len(stack),
                    continues and opened == start and not stack,
                )
            )
        elif opener or not closer:
            stack.append(position)  # a lone closing mark (nothing open) is a stray: skipped
        position = text.find(DOUBLE, position + 1, end)
    left_open = bool(stack)
    while stack:
        opened = stack.pop()
        inner = trim_span(text, opened + 1, end)
        if inner[1] > inner[0]:
            spans.append(
                QuoteSpan(
                    *inner,
                    opened,
                    None,
                    DOUBLE,
                    len(stack),
                    continues and opened == start and not stack,
                )
            )
    return spans, left_open


def _pair_singles(text: str, start: int, end: int, doubles: list[QuoteSpan]) -> list[QuoteSpan]:
    """Single-mark quotations between the double marks of one paragraph."""
    cuts = sorted({start, end, *(s.open_at for s in doubles)} | _closes(doubles))
    spans: list[QuoteSpan] = []
    for left, right in pairwise(cuts):
        depth = sum(1 for s in doubles if s.open_at < left and (s.close_at or end) >= right)
        opened: int | None = None
        position = text.find(SINGLE, left, right)
        while position != -1:
            before = text[position - 1] if position > left else " "
            after = text[position + 1] if position + 1 < right else " "
            if before.isalnum() and after.isalnum():
                pass  # an apostrophe inside a word
            elif opened is None:
                if _is_opener(text, position, left, right) and not _is_year(text, position):
                    opened = position
            elif _is_closer(text, position, left, right):
                if len(_WORDS.findall(text, opened + 1, position)) <= MAX_SINGLE_QUOTE_WORDS:
                    inner = trim_span(text, opened + 1, position)
                    spans.append(QuoteSpan(*inner, opened, position, SINGLE, depth))
                opened = None
            position = text.find(SINGLE, position + 1, right)
    return spans


def _closes(doubles: list[QuoteSpan]) -> set[int]:
    return {s.close_at + 1 for s in doubles if s.close_at is not None}


def _is_year(text: str, position: int) -> bool:
    """'90s, '19: an elided century, not an opening mark."""
    return bool(re.match(r"'\d\d(?:s\b|\b)", text[position : position + 4]))


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """Clean offsets `(start, end)` of the text inside every quotation, nested ones included.

    For telling narration from quotation (framing): a position inside any span is someone
    else's words or a term held at a distance, not the outlet's own voice.
    """
    return [(s.start, s.end) for s in pair_quotes(text) if s.end > s.start]
