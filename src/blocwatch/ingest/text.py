"""Plain-text articles: the text as decoded, and the first line as title when it looks like one.

The title stays inside the text (spans point into the text as retrieved); it is only also
recorded as `title`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from blocwatch.ingest.files import decode_bytes
from blocwatch.model import RawDocument, Reject

# A headline is short: news headlines run ~5-20 words; 30 words / 200 characters leaves room
# for a headline with its standfirst while still refusing an ordinary first paragraph.
TITLE_MAX_CHARS = 200
TITLE_MAX_WORDS = 30
# A headline glued to its standfirst ("… on Uighur Muslims The country's ministry says …"):
# the headline part must be a real phrase, not two words before a proper name like "The Hague".
GLUED_HEADLINE_MIN_WORDS = 4

_OPENING_QUOTES = "\"'“‘«„‚‹「『"
# Endings that make a line a sentence, not a headline. "?" and "!" stay allowed: headlines ask.
_SENTENCE_ENDINGS = (".", ",", ";", ":")
_ABBREVIATION = re.compile(
    r"(?:\b(?:[A-Z]\.){2,}|\b(?:Inc|Ltd|Co|Corp|Jr|Sr|St|Dr|Mr|Mrs|Ms|No|Gen|Gov|Sen|Rep)\.)$"
)
_ELLIPSIS = ("...", "…")
# Where a standfirst starts right after a headline: a capitalised determiner or pronoun after a
# word with no punctuation. Mid-sentence these are lower-case, so the boundary is a strong signal.
_GLUE = re.compile(r"(?<=[^\s.!?:;,])\s+(?=(?:The|A|An|This|These|Its|It|Their|His|Her|They)\s)")
_FUNCTION_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "at",
        "by",
        "for",
        "from",
        "in",
        "into",
        "of",
        "on",
        "or",
        "the",
        "to",
        "with",
        "as",
        "than",
        "via",
        "about",
    ]
)


def read_text(source: str, data: bytes, stem: str) -> Iterator[RawDocument | Reject]:
    """One .txt file → one document (or one reject)."""
    decoded = decode_bytes(data, source)
    if isinstance(decoded, Reject):
        yield decoded
        return
    yield RawDocument(
        source=source,
        input_format="txt",
        text=decoded.text,
        external_id=stem,
        title=guess_title(decoded.text),
        encoding=decoded.encoding,
    )


def guess_title(text: str) -> str | None:
    """The first non-empty line when it reads as a headline, else None.

    Rules: at most TITLE_MAX_CHARS / TITLE_MAX_WORDS, does not open with a quote mark, does not
    end like a sentence (unless the last word is an abbreviation such as "U.S." or an ellipsis),
    and is not the whole text. A headline run into its standfirst on one line yields just the
    headline part.
    """
    stripped = text.lstrip()
    line, newline, rest = stripped.partition("\n")
    line = line.strip()
    if not newline or not rest.strip() or not line:
        return None
    if len(line) > TITLE_MAX_CHARS or len(line.split()) > TITLE_MAX_WORDS:
        return None
    if line[0] in _OPENING_QUOTES:
        return None
    if _ends_like_headline(line):
        return line
    return _glued_headline(line)


def _ends_like_headline(line: str) -> bool:
    if line.endswith(_ELLIPSIS) or _ABBREVIATION.search(line):
        return True
    return not line.endswith(_SENTENCE_ENDINGS)


def _glued_headline(line: str) -> str | None:
    """The headline before a glued standfirst, when the line has that shape."""
    match = _GLUE.search(line)
    if match is None:
        return None
    head = line[: match.start()]
    words = head.split()
    if len(words) < GLUED_HEADLINE_MIN_WORDS or words[-1].lower() in _FUNCTION_WORDS:
        return None
    if any(mark in head for mark in (". ", "? ", "! ")):
        return None
    return head
