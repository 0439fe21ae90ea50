"""Unicode and whitespace normalisation that remembers where every clean character came from.

Later stages match patterns on the clean text ("China's", one space between words, straight
quotes) but every stored span must point into the text as retrieved. So `normalise` returns the
clean text and an `OffsetMap` from it back to the original, and every edit here (a dropped
zero-width space, a collapsed run of spaces, a curly quote made straight) costs one map run.

Rules, in the order a character meets them:
1. Grapheme chunks (a base character and the combining marks after it) go through NFKC, so a
   decomposed "e" + U+0301 becomes one "é" and full-width or ligature forms become plain letters.
   A chunk NFKC leaves unchanged is copied with its own positions; a changed chunk maps every
   output character to the chunk's first position.
2. Typographic quotes become ASCII: “ ” „ ‟ « » and the double angle quotes all become ",
   ‘ ’ ‚ ‛ ‹ › become '. « » are quotation marks in French, Spanish and Russian text, and the
   quote finder downstream looks for " only. Hyphen variants (U+2010, U+2011) become "-".
   Dashes (— –) stay as they are: datelines such as "BISHKEK (TCA) —" are found by them.
3. Format characters (zero-width space/joiners, soft hyphen, BOM, bidi marks) and control
   characters are dropped; combining marks left without a base (after a dropped character or a
   space) are dropped with them.
4. Whitespace: any space-like character or tab is a space; a run of them is one space; spaces
   at the start or end of a line go. CRLF, CR, NEL and U+2028 end a line; U+2029 ends a
   paragraph. Three or more line breaks become two (a paragraph break is kept, a gap is not).
   Leading and trailing line breaks of the whole text go.

Known limit: a span ending in a character composed from several original characters maps
back to the first of them (OffsetMap maps an end through its last character), so the original
span can miss a trailing combining mark.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from bisect import bisect_right
from functools import lru_cache

from blocwatch.model import OffsetMap

# Characters that end a line. CR is special-cased so CRLF is one break.
_LINE_BREAKS = frozenset("\n\r\x0b\x0c\x85\u2028")
_PARAGRAPH_BREAK = "\u2029"
# Three or more breaks collapse to this many: one blank line keeps paragraphs apart.
MAX_CONSECUTIVE_BREAKS = 2

_QUOTES = {
    "\u201c": '"',  # “
    "\u201d": '"',  # ”
    "\u201e": '"',  # „
    "\u201f": '"',  # ‟
    "\u00ab": '"',  # «
    "\u00bb": '"',  # »
    "\u2033": '"',  # ″ double prime, used as a closing quote by some CMSs
    "\u2018": "'",  # ‘
    "\u2019": "'",  # ’
    "\u201a": "'",  # ‚
    "\u201b": "'",  # ‛
    "\u2039": "'",  # ‹
    "\u203a": "'",  # ›
    "\u2032": "'",  # ′ prime, used as an apostrophe by some CMSs
    "\u2010": "-",  # hyphen
    "\u2011": "-",  # non-breaking hyphen
}

# Printable ASCII runs with single inner spaces are unchanged by every rule above: copy them in
# one piece. This is what keeps normalise fast on mostly-ASCII news text.
_ASCII_RUN = re.compile(r"[!-~]+(?: [!-~]+)*")
# Fingerprint canonical form: runs of anything that is not a letter or digit are one separator.
_NON_WORD = re.compile(r"[\W_]+")
# Hex digits of sha256 kept for an id: 64 bits, collisions negligible below billions of texts.
FINGERPRINT_HEX_CHARS = 16


@lru_cache(maxsize=4096)
def _is_mark(char: str) -> bool:
    """Whether `char` attaches to the character before it: a combining mark, or a character
    whose NFKC form starts with one (half-width katakana voicing marks)."""
    if unicodedata.category(char)[0] == "M":
        return True
    if char.isascii():
        return False
    folded = unicodedata.normalize("NFKC", char)
    return bool(folded) and unicodedata.category(folded[0])[0] == "M"


class OffsetBuilder:
    """Collects clean characters with their original positions and compresses them into runs.

    A character continues the current run when its origin is one past the previous one; any
    other origin (a drop, a collapse, a repeat for an expansion) opens a new run.
    """

    def __init__(self, original_length: int) -> None:
        self._parts: list[str] = []
        self._starts: list[int] = []
        self._origins: list[int] = []
        self._length = 0
        self._next_origin = -1  # the origin that would continue the current run
        self._original_length = original_length

    @property
    def length(self) -> int:
        return self._length

    def add(self, char: str, origin: int) -> None:
        """Append one clean character that stands for the original character at `origin`."""
        if origin != self._next_origin:
            self._starts.append(self._length)
            self._origins.append(origin)
        self._parts.append(char)
        self._length += 1
        self._next_origin = origin + 1

    def add_slice(self, source: str, start: int, end: int, origin: int) -> None:
        """Append `source[start:end]`, whose first character stands for `origin`, as one run."""
        if end <= start:
            return
        if origin != self._next_origin:
            self._starts.append(self._length)
            self._origins.append(origin)
        self._parts.append(source[start:end])
        self._length += end - start
        self._next_origin = origin + (end - start)

    def last_char(self) -> str:
        return self._parts[-1][-1] if self._parts else ""

    def build(self) -> tuple[str, OffsetMap]:
        offsets = OffsetMap(
            starts=tuple(self._starts),
            origins=tuple(self._origins),
            clean_length=self._length,
            original_length=self._original_length,
        )
        return "".join(self._parts), offsets


def compose(outer: OffsetMap, inner: OffsetMap) -> OffsetMap:
    """The map of applying `inner` then `outer`: outer's clean text → inner's original text.

    `outer` maps C → B and `inner` maps B → A; the result maps C → A. Each outer run is cut
    where an inner run begins inside it, so the result stays a list of runs.
    """
    starts: list[int] = []
    origins: list[int] = []
    next_origin = -1
    bounds = (*outer.starts[1:], outer.clean_length) if outer.starts else ()
    for run_start, run_end, middle in zip(outer.starts, bounds, outer.origins, strict=True):
        length = run_end - run_start
        piece_middle = middle
        while piece_middle < middle + length:
            index = bisect_right(inner.starts, piece_middle) - 1
            next_inner = (
                inner.starts[index + 1] if index + 1 < len(inner.starts) else inner.clean_length
            )
            piece_end = min(middle + length, next_inner)
            if piece_end <= piece_middle:  # beyond inner's text: map to its end
                piece_end = middle + length
            origin = inner.to_original(piece_middle)
            if origin != next_origin:
                starts.append(run_start + (piece_middle - middle))
                origins.append(origin)
            next_origin = origin + (piece_end - piece_middle)
            piece_middle = piece_end
    return OffsetMap(
        starts=tuple(starts),
        origins=tuple(origins),
        clean_length=outer.clean_length,
        original_length=inner.original_length,
    )


class _Normaliser:
    """One pass over the text; whitespace is held back until the next visible character."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.out = OffsetBuilder(len(text))
        self.pending_space: int | None = None  # origin of the first space of a run
        self.pending_breaks: list[int] = []  # origins of held-back line breaks

    def flush(self) -> None:
        """Emit the held-back breaks and space before a visible character."""
        if self.pending_breaks:
            if self.out.length:
                for origin in self.pending_breaks:
                    self.out.add("\n", origin)
            self.pending_breaks = []
            self.pending_space = None
        if self.pending_space is not None:
            if self.out.length and self.out.last_char() != "\n":
                self.out.add(" ", self.pending_space)
            self.pending_space = None

    def line_break(self, origin: int) -> None:
        self.pending_space = None  # trailing spaces of a line go
        if len(self.pending_breaks) < MAX_CONSECUTIVE_BREAKS:
            self.pending_breaks.append(origin)

    def space(self, origin: int) -> None:
        if self.pending_space is None and not self.pending_breaks:
            self.pending_space = origin

    def visible(self, char: str, origin: int) -> None:
        self.flush()
        self.out.add(char, origin)

    def emit(self, char: str, origin: int, after_visible: bool) -> bool:
        """Route one NFKC-output character; returns whether it was a visible character."""
        char = _QUOTES.get(char, char)
        category = unicodedata.category(char)
        if char == "\t" or category == "Zs":
            self.space(origin)
            return False
        if char in _LINE_BREAKS:
            self.line_break(origin)
            return False
        if char == _PARAGRAPH_BREAK:
            self.line_break(origin)
            self.line_break(origin)
            return False
        if category in ("Cc", "Cf", "Cs"):
            return False
        if category[0] == "M" and not after_visible:
            return False  # a combining mark with no base to sit on
        self.visible(char, origin)
        return True

    def chunk(self, start: int) -> int:
        """Normalise the grapheme chunk at `start`; returns where the next chunk begins."""
        text = self.text
        if text[start] == "\r" and text.startswith("\n", start + 1):
            return start + 1  # CRLF: the LF that follows is the break
        end = start + 1
        while end < len(text) and _is_mark(text[end]):
            end += 1
        piece = text[start:end]
        folded = piece if piece.isascii() else unicodedata.normalize("NFKC", piece)
        after_visible = False
        if folded == piece:
            for offset, char in enumerate(piece):
                after_visible = self.emit(char, start + offset, after_visible)
                if not after_visible:
                    break  # the base was dropped or is whitespace: its marks go with it
        else:
            for char in folded:
                after_visible = self.emit(char, start, after_visible)
        return end

    def run(self) -> tuple[str, OffsetMap]:
        text = self.text
        position = 0
        while position < len(text):
            match = _ASCII_RUN.match(text, position)
            if match:
                end = match.end()
                if end < len(text) and _is_mark(text[end]):
                    # The last character composes with the mark: leave it to the slow path.
                    end = position + len(text[position : end - 1].rstrip(" "))
                if end > position:
                    self.flush()
                    self.out.add_slice(text, position, end, position)
                    position = end
                    continue
            position = self.chunk(position)
        return self.out.build()


def normalise(text: str) -> tuple[str, OffsetMap]:
    """Clean `text` (see the module docstring) and map each clean character back into it."""
    return _Normaliser(text).run()


def text_fingerprint(clean_text: str) -> str:
    """Article id: sha256 (first 16 hex) of the text casefolded, punctuation and spacing ignored.

    Two copies that differ only in quote style, dashes, case or line breaks get the same id, so
    exact duplicates are caught even when two sites typeset the same wire story differently.
    """
    canonical = _NON_WORD.sub(" ", unicodedata.normalize("NFKC", clean_text).casefold()).strip()
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:FINGERPRINT_HEX_CHARS]
