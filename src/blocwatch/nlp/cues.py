"""Cue words for joint actions (forums, kinds, stances, leads, lists, votes, issues), as data.

The lexicon lives in `patterns/action_cues.tsv`: one regex per row with its category, value and
language, so supporting a new language or forum is a data change. All rows of one category are
compiled separately and their matches resolved like one alternation (leftmost, then row order).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


@dataclass(frozen=True)
class Cue:
    """One cue found in a text: character span, category and value (e.g. forum / UNHRC)."""

    start: int
    end: int
    text: str
    category: str
    value: str
    lang: str


@dataclass(frozen=True)
class _Row:
    category: str
    value: str
    lang: str
    pattern: str


# Arabic writes some particles as prefixes of the next word (و and, ب by, ل for, ف so, ك as):
# "لمجلس حقوق الإنسان" is "for the Human Rights Council".
_ARABIC_HEAD = r"(?:(?<!\w)|(?<=(?<!\w)[وبلفك]))"


def bounded(pattern: str) -> str:
    """Add word boundaries where the pattern starts or ends with a word character (an Arabic
    pattern may follow a one-letter prefix). Shared by every lexicon matched this way."""
    if re.match(r"(?:\(\?:)?[\u0600-\u06FF]", pattern):
        head = _ARABIC_HEAD
    else:
        head = r"(?<!\w)" if re.match(r"[\w(]", pattern) else ""
    tail = r"(?!\w)" if re.search(r"[\w)?*+]$", pattern) else ""
    return f"{head}(?:{pattern}){tail}"


@lru_cache(maxsize=1)
def _rows() -> tuple[_Row, ...]:
    text = resources.files("blocwatch.nlp.patterns").joinpath("action_cues.tsv").read_text("utf-8")
    rows = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) < 4:
            raise ValueError(f"action_cues.tsv: expected 4+ tab-separated fields in {line!r}")
        category, value, lang, pattern = fields[:4]
        re.compile(pattern)  # a bad row fails loudly at load time, naming itself below
        rows.append(_Row(category, value, lang, pattern))
    return tuple(rows)


@lru_cache(maxsize=1)
def _compiled() -> dict[str, tuple[tuple[re.Pattern[str], _Row], ...]]:
    """One compiled pattern per row. Separate patterns keep re's literal-prefix scan (a single
    alternation of ~150 rows is ~20x slower on news-length texts)."""
    by_category: dict[str, list[tuple[re.Pattern[str], _Row]]] = {}
    for row in _rows():
        pattern = re.compile(bounded(row.pattern), re.IGNORECASE)
        by_category.setdefault(row.category, []).append((pattern, row))
    return {category: tuple(rows) for category, rows in by_category.items()}


def categories() -> tuple[str, ...]:
    return tuple(_compiled())


def find_cues(text: str, category: str, language: str | None = None) -> list[Cue]:
    """Every non-overlapping cue of one category: leftmost first, and at one position the row
    listed first in the data file wins (as in a regex alternation). With a `language`, only its
    rows, English rows and language-neutral rows are tried (English is quoted everywhere)."""
    wanted = None if language is None else {"*", "en", language}
    found: list[tuple[int, int, int, _Row]] = []
    for order, (pattern, row) in enumerate(_compiled()[category]):
        if wanted is not None and row.lang not in wanted:
            continue
        for match in pattern.finditer(text):
            if match.end() > match.start():
                found.append((match.start(), order, match.end(), row))
    found.sort(key=lambda item: (item[0], item[1]))
    cues: list[Cue] = []
    last_end = 0
    for start, _order, end, row in found:
        if start >= last_end:
            cues.append(Cue(start, end, text[start:end], category, row.value, row.lang))
            last_end = end
    return cues


def find_all_cues(text: str, language: str | None = None) -> dict[str, list[Cue]]:
    """Cues of every category, keyed by category (see find_cues for `language`)."""
    return {category: find_cues(text, category, language) for category in _compiled()}
