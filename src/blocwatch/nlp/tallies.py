"""Recorded votes ("by 25 votes to 6, with 16 abstentions", "120-14-45") as yes / no / abstain.

Parts are found one number at a time, from the cue words around it in `patterns/count_cues.tsv`
(roles yes_after, no_before, yes_to_no, ...), then parts close together form one tally: each kind
at most once, at most MAX_TALLY_GAP characters apart (a list of names in between not counted), no
blank line between. A lone part is a tally only when it says "votes" ("adoptée par 159 voix pour").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from blocwatch.nlp.counts import MAX_COUNT, Lexicon, key, lexicon, token_value

# Parts of one tally sit close together ("93 voted in favor ... while 24 voted against"); farther
# apart they belong to different votes.
MAX_TALLY_GAP = 160
# A bare "120-14-45" is a tally only when its total could be a UN body's vote (HRC 47, UNGA 193).
TALLY_TOTAL_MIN, TALLY_TOTAL_MAX = 10, 200
# A cue too common to stand for "in favour" unless a list of votes goes on right after it.
WEAK_YES_CUES = frozenset({"for", "pour", "pabor"})
_VOTE_WORD = re.compile(r"vot|voix|صوت|atkvæð|bumoto", re.IGNORECASE)


@dataclass(frozen=True)
class Tally:
    """A recorded vote: yes / no / abstain as written (None when the text omits one)."""

    start: int
    end: int
    text: str
    yes: int | None
    no: int | None
    abstain: int | None


_TALLY_NUMBERS = re.compile(
    r"(?<![\w.\-–/])(\d{1,3})\s*[-–]\s*(\d{1,3})(?:\s*[-–]\s*(\d{1,3}))?(?![\w\-–/]|[.,]\d)"
)
_WEAK_CUE_FOLLOWER = re.compile(r"\s*(?:[,;)]|(?:and|et|y|e|with|con|avec)(?!\w))", re.IGNORECASE)
_BLANK_LINE = re.compile(r"\n\s*\n")
# "18 in favour, including Argentina, Austria, ..., and 14 against": a list of names between the
# parts of one tally does not count towards MAX_TALLY_GAP.
_NAME_LIST = re.compile(r"(?:[A-Z][\w'’.\-]*(?:\s+[A-Z][\w'’.\-]*)*\s*,\s*)+")
# Characters before a number read for an Arabic "وامتناع 16" or a "vote of 18-14-15".
TALLY_LEFT_WINDOW = 40


@dataclass(frozen=True)
class _Part:
    start: int
    end: int
    kind: str  # yes | no | abstain
    value: int
    voted: bool  # a vote word is written ("25 votes in favour"): enough alone for a tally


def _tally_parts(lex: Lexicon, text: str) -> list[_Part]:
    parts: list[_Part] = []
    for found in _TALLY_NUMBERS.finditer(text):
        values = [int(v) for v in found.groups() if v is not None]
        context = lex.tally_context.search(
            text, max(0, found.start() - TALLY_LEFT_WINDOW), found.start()
        )
        kinds: tuple[str, ...]
        if len(values) == 3 and (context or TALLY_TOTAL_MIN <= sum(values) <= TALLY_TOTAL_MAX):
            kinds = ("yes", "no", "abstain")
        elif len(values) == 2 and context:
            kinds = ("yes", "no")
        else:
            continue
        parts.extend(
            _Part(*found.span(), kind, v, True) for kind, v in zip(kinds, values, strict=False)
        )
    consumed = 0
    for token in lex.number.finditer(text):
        start, end = token.span()
        value = None if token.group("vague") or token.group("approx") else token_value(lex, token)
        if value is None or value > MAX_COUNT or start < consumed:
            continue
        parts.extend(_tally_part(lex, text, token, value))
        consumed = max([end, *(p.end for p in parts[-2:])])
    return sorted(parts, key=lambda p: (p.start, p.end))


def _tally_part(lex: Lexicon, text: str, token: re.Match[str], value: int) -> list[_Part]:
    start, end = token.span()
    link = lex.yes_to_no.match(text, end)
    second = lex.number.match(text, link.end()) if link else None
    if second is not None and (second.group("digits") or second.group("words")):
        no = token_value(lex, second)
        if no is not None:
            return [
                _Part(start, second.end(), "yes", value, True),
                _Part(start, second.end(), "no", no, True),
            ]
    after = lex.tally_after.match(text, end)
    if after is not None and after.lastgroup is not None:
        cue = after.group(after.lastgroup)
        if key(cue) in WEAK_YES_CUES and not _WEAK_CUE_FOLLOWER.match(text, after.end()):
            return []
        return [
            _Part(start, after.end(), after.lastgroup, value, bool(_VOTE_WORD.search(after[0])))
        ]
    before = lex.tally_before.search(text, max(0, start - TALLY_LEFT_WINDOW), start)
    if before is not None and before.lastgroup is not None:
        return [_Part(before.start(), end, before.lastgroup, value, False)]
    return []


def find_tallies(text: str, language: str | None = None) -> list[Tally]:
    """Recorded votes in `text`: parts close together ("120 in favour, 14 against and 45
    abstentions", "a vote of 18-14-15") form one tally; a lone "159 votes in favour" is one too."""
    lex = lexicon(language)
    groups: list[list[_Part]] = []
    for part in _tally_parts(lex, text):
        group = groups[-1] if groups else None
        if group is not None:
            group_end = max(p.end for p in group)
            gap = text[group_end : part.start] if part.start > group_end else ""
            if (
                part.kind not in {p.kind for p in group}
                and len(_NAME_LIST.sub("", gap)) <= MAX_TALLY_GAP
                and not _BLANK_LINE.search(gap)
            ):
                group.append(part)
                continue
        groups.append([part])
    tallies: list[Tally] = []
    for group in groups:
        by_kind = {p.kind: p.value for p in group}
        if len(by_kind) < 2 and not (set(by_kind) == {"yes"} and group[0].voted):
            continue
        start, end = min(p.start for p in group), max(p.end for p in group)
        tallies.append(
            Tally(
                start,
                end,
                text[start:end],
                by_kind.get("yes"),
                by_kind.get("no"),
                by_kind.get("abstain"),
            )
        )
    return tallies
