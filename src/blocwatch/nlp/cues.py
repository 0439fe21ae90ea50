"""Cue words for joint actions (forums, kinds, stances, leads, lists, votes, issues), as data.

The lexicon lives in `patterns/action_cues.tsv`: one regex per row with its category, value and
language, so supporting a new language or forum is a data change. All rows of one category are
compiled into one alternation with a named group per row, so a text is scanned once per category.
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


def _bounded(pattern: str) -> str:
    """Add word boundaries where the pattern starts or ends with a word character."""
    if re.match(r"[\u0600-\u06FF]", pattern):
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
def _compiled() -> dict[str, tuple[re.Pattern[str], tuple[_Row, ...]]]:
    by_category: dict[str, list[_Row]] = {}
    for row in _rows():
        by_category.setdefault(row.category, []).append(row)
    compiled = {}
    for category, rows in by_category.items():
        alternation = "|".join(f"(?P<r{i}>{_bounded(row.pattern)})" for i, row in enumerate(rows))
        compiled[category] = (re.compile(alternation, re.IGNORECASE), tuple(rows))
    return compiled


def categories() -> tuple[str, ...]:
    return tuple(_compiled())


def find_cues(text: str, category: str) -> list[Cue]:
    """Every non-overlapping cue of one category, leftmost-longest by row order."""
    pattern, rows = _compiled()[category]
    found = []
    for match in pattern.finditer(text):
        if match.end() == match.start() or match.lastgroup is None:
            continue
        row = rows[int(match.lastgroup[1:])]
        found.append(Cue(match.start(), match.end(), match.group(), category, row.value, row.lang))
    return found


def find_all_cues(text: str) -> dict[str, list[Cue]]:
    """Cues of every category, keyed by category."""
    return {category: find_cues(text, category) for category in _compiled()}
