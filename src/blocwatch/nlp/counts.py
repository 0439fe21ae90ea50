"""Counts of state actors ("on behalf of 54 countries", "22 European countries"), with spans.

Why regexes over data tables and not a parser: the phrases are short and formulaic, the extractor
needs exact character offsets into the original text, and it runs on every document (fast, pure,
no spaCy). Words live in `patterns/` (number words, counted nouns, cue phrases per language).

What makes a number a count of states is the noun after it: "37 countries" is one, "46th
session", "resolution 19/2", "Article 99", "1 million Uighurs", "in 2016" are not.

Vote tallies ("25 votes to 6, with 16 abstentions") are read by `tallies`, from the same tables.

`find_counts` stages, in the order they run on each number-like token:
1. Tokens: digits, number words ("nearly two dozen", "treinta y dos", "ثلاث وعشرون"), an
   approximate number ("une trentaine de" = about 30) or a vague quantifier ("dozens of").
2. Right side: a counted noun through at most MAX_MODIFIERS words ("22 European and American
   countries", whose modifiers become `region`), or a compound ("43-nation statement" is a count,
   "the 47-member council" the size of a body: relation "body_size").
3. Left side: blockers ("Group of 77", "$"), a qualifier ("more than"), a relation ("on behalf
   of", "along with", "and ... other", "another"), a part ("13 out of 19 countries": 13 is the
   count "out_of", 19 its total "of_total").
4. After the noun: "or more", Arabic "أخرى" (other), "members of the Council" (body size),
   "members of parliament" (not states: dropped).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

PATTERNS = Path(__file__).parent / "patterns"
LANGUAGES = ("en", "es", "pt", "fr", "fil", "ar", "is")
# py3langid and others spell some of our languages differently.
LANGUAGE_ALIASES = {"tl": "fil"}
# "one country" is not a collective action; 1 is also "a"/"un"/"una" in half our languages.
MIN_COUNT = 2
# The UN has 193 members; bigger numbers are years, people or money, never a count of states.
MAX_COUNT = 250
# Words allowed between a number and its noun ("22 European and American countries" has 3).
MAX_MODIFIERS = 4
# Characters read before a number for its qualifier and relation ("on behalf of a group of").
LEFT_WINDOW = 80
# Filipino number words ending in a vowel take the ligature "-ng" before a noun ("dalawang bansa").
FIL_LIGATURE = "ng"
# Modifier words that are not a region ("37 UN member states" has no region).
REGION_STOPWORDS = frozenset({"un", "u.n.", "and", "&", "na", "mga", "mostly", "mainly", "largely"})
_LATIN_BEFORE = r"(?<![A-Za-zÀ-ÖØ-öø-ÿ])"  # Arabic clitics (و ب ل) attach to the next word


@dataclass(frozen=True)
class CountMention:
    """A count of states as written; `value` is None for vague ones ("several countries")."""

    start: int
    end: int
    text: str
    value: int | None
    qualifier: str | None  # exact | more_than | nearly | about | at_least | dozens | None
    noun: str  # the counted noun as written
    relation: str | None  # on_behalf_of along_with and_others increment out_of of_total body_size
    region: str | None  # "European and American" in "22 European and American countries"


def _rows(name: str) -> list[list[str]]:
    lines = (PATTERNS / name).read_text("utf-8").splitlines()
    return [line.split("\t") for line in lines if line.strip() and not line.startswith("#")]


def key(phrase: str) -> str:
    """How table phrases and text are compared: whitespace collapsed, casefolded."""
    # re's IGNORECASE lets "İ" and "ı" match "i", but casefold() keeps them apart.
    return " ".join(phrase.split()).casefold().replace("i\u0307", "i").replace("ı", "i")


def _alt(phrases: Iterable[str]) -> str:
    """Longest-first alternation; a space in a phrase matches any run of whitespace."""
    unique = sorted(set(phrases), key=lambda p: (-len(p), p))
    if not unique:
        return r"(?!x)x"
    return "|".join(r"\s+".join(re.escape(part) for part in p.split()) for p in unique)


@dataclass(frozen=True)
class Lexicon:
    """Compiled patterns for one set of languages (shared with `tallies`)."""

    atoms: dict[str, tuple[int, str, str]]  # key -> (value, kind, language)
    roles: dict[str, frozenset[str]]  # role -> keys of its phrases
    number: re.Pattern[str]
    atom: re.Pattern[str]
    right: re.Pattern[str]
    compound: re.Pattern[str]
    left: re.Pattern[str]
    block: re.Pattern[str]
    out_of: re.Pattern[str]
    after: re.Pattern[str]
    body: re.Pattern[str]
    member_body: re.Pattern[str]
    owner_body: re.Pattern[str]
    not_state: re.Pattern[str]
    tally_after: re.Pattern[str]
    tally_before: re.Pattern[str]
    yes_to_no: re.Pattern[str]
    tally_context: re.Pattern[str]
    noun_first: re.Pattern[str]
    member_nouns: frozenset[str]


def _languages(language: str | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(languages for cues and nouns, languages for number words).

    English is always in: non-English pages quote English statements. With no language, every
    table but only English number words: "once", "sex", "um" are number words elsewhere.
    """
    if language is None:
        return LANGUAGES, ("en",)
    code = re.split(r"[-_]", language.strip().lower())[0]
    code = LANGUAGE_ALIASES.get(code, code)
    chosen = ("en", code) if code in LANGUAGES and code != "en" else ("en",)
    return chosen, chosen


def lexicon(language: str | None) -> Lexicon:
    """The compiled patterns for a document language (cached)."""
    return _lexicon(*_languages(language))


@lru_cache(maxsize=16)
def _lexicon(cue_langs: tuple[str, ...], word_langs: tuple[str, ...]) -> Lexicon:
    atoms: dict[str, tuple[int, str, str]] = {}
    for lang, word, value, kind in _rows("number_words.tsv"):
        if lang not in word_langs:
            continue
        forms = [word]
        if lang == "fil" and kind == "atom" and word[-1] in "aeiou":
            forms.append(word + FIL_LIGATURE)
        for form in forms:
            atoms.setdefault(key(form), (int(value), kind, lang))
    roles: dict[str, set[str]] = {}
    for lang, phrase, role in _rows("count_cues.tsv"):
        if lang in cue_langs:
            folded = " ".join(phrase.split()) if role.endswith("_cs") else key(phrase)
            roles.setdefault(role, set()).add(folded)
    nouns: dict[str, set[str]] = {}
    for lang, noun, kind in _rows("count_nouns.tsv"):
        if lang in cue_langs:
            nouns.setdefault(kind, set()).add(key(noun))

    def r(*names: str) -> str:
        return _alt(p for name in names for p in roles.get(name, ()))

    plain = [k for k, (_, kind, _) in atoms.items() if kind != "approx"]
    approx = [k for k, (_, kind, _) in atoms.items() if kind == "approx"]
    atom = _alt(plain)
    # Joiners never overlap (a gap has one way to match), so a failing run cannot backtrack badly.
    join = r"(?:\s*-\s*|\s+(?:and|y|e|et|og|at)\s+|['’]t\s+|\s+و?)"
    number = (
        rf"(?P<approx>(?<!\w)(?:une|una|uma|un)\s+(?P<aw>{_alt(approx)})\s+d(?:e(?=\s)|['’]))"
        rf"|(?P<vague>(?<!\w)(?:{r('vague', 'dozens')})(?!\w))"
        r"|(?P<digits>(?<![A-Za-z\d.,/:\-])\d{1,3}(?!\d|[.,/:]\d|-\d|\s*%))"
        rf"|(?P<words>(?<!\w)(?:{atom})(?:{join}(?:{atom}))*(?!\w))"
    )
    mod = rf"(?:(?-i:[A-Z][\w'’.\-]*)|{r('modifier')})"
    noun = _alt(nouns.get("state", set()) | nouns.get("member", set()))
    body = r("body")
    flags = re.IGNORECASE
    return Lexicon(
        atoms=atoms,
        roles={role: frozenset(keys) for role, keys in roles.items()},
        number=re.compile(number, flags),
        atom=re.compile(rf"(?<![^\Wو])(?:{atom})(?!\w)", flags),  # Arabic "و" joins "وعشرون"
        right=re.compile(
            rf"(?:\s+|(?<=['’]))(?:(?:(?P<other>{r('other')})|(?P<inc>{r('increment_mid')}))\s+)?(?P<mods>(?:{mod}\s+){{0,{MAX_MODIFIERS}}}?)"
            rf"(?P<noun>{noun})(?!\w)",
            flags,
        ),
        compound=re.compile(
            rf"\s*-\s*(?P<noun>{_alt(nouns.get('compound', set()))})s?(?!\w)"
            r"(?P<tail>(?:\s+[^\s]+){0,4})",
            flags,
        ),
        left=re.compile(
            rf"{_LATIN_BEFORE}(?:(?P<rel>"
            rf"{r('on_behalf_of', 'along_with', 'and_others', 'increment')})\s*)?"
            rf"(?:(?P<grp>{r('group_of')})\s+)?(?:(?P<other>{r('other')})\s+)?"
            rf"(?:(?P<qual>{r('more_than', 'nearly', 'about', 'at_least', 'less_than')})\s*)?\Z",
            flags,
        ),
        block=re.compile(
            rf"(?:{_LATIN_BEFORE}(?:{r('block_before')}|(?-i:{r('block_before_cs')}))\s*"
            r"|[$€£¥]\s*)\Z",
            flags,
        ),
        out_of=re.compile(rf"\s+(?:{r('out_of')})\s+(?:[\w.]+['’]s?\s+)?\Z", flags),
        after=re.compile(
            rf"(?:\s+(?P<other>{r('other')})(?!\w))?"
            rf"(?:\s+(?P<more>{r('more_than_after')})(?!\w)"
            rf"|\s+(?P<least>{r('at_least_after')})(?!\w))?",
            flags,
        ),
        body=re.compile(rf"(?<!\w)(?:{body})(?!\w)", flags),
        member_body=re.compile(
            r"\s+(?:of|del|de\s+la|de|du|da|do|ng|في)\s+(?:the\s+|la\s+|el\s+|le\s+|o\s+)?"
            rf"(?:[^\s]+\s+){{0,3}}?(?:{body})(?!\w)",
            flags,
        ),
        owner_body=re.compile(rf"(?<!\w)(?:{body})['’]s?\s+(?:{r('group_of')}\s+)?\Z", flags),
        not_state=re.compile(rf"\s+(?:{r('not_state_after')})(?!\w)", flags),
        tally_after=re.compile(
            rf"(?:\s+(?:{noun}))?\s*(?:(?P<yes>{r('yes_after')})|(?P<no>{r('no_after')})"
            rf"|(?P<abstain>{r('abstain_after')}))(?!\w)",
            flags,
        ),
        tally_before=re.compile(
            rf"{_LATIN_BEFORE}(?:(?P<yes>{r('yes_before')})|(?P<no>{r('no_before')})"
            rf"|(?P<abstain>{r('abstain_before')}))\s*\Z",
            flags,
        ),
        yes_to_no=re.compile(rf"\s+(?:{r('yes_to_no')})\s+", flags),
        tally_context=re.compile(rf"{_LATIN_BEFORE}(?:{r('tally_context')})", flags),
        noun_first=re.compile(r"(?P<noun>الدول|البلدان)\s+الـ?\s*(?P<num>\d{1,3})(?!\d)")
        if "ar" in cue_langs
        else re.compile(r"(?!x)x"),
        member_nouns=frozenset(nouns.get("member", set())),
    )


def _joins(previous: int, following: int, language: str) -> bool:
    """May these two number words add up? "twenty two", "quatre-vingt-dix", Arabic "ثلاث وعشرون"."""
    if previous >= 100:
        return following < previous
    if previous % 10 == 0 and previous >= 20 and following < 10:
        return True
    if previous in (60, 80) and 10 <= following < 20:  # French soixante-dix, quatre-vingt-treize
        return True
    if previous == 10 and 7 <= following <= 9:  # French dix-sept .. dix-neuf
        return True
    return language == "ar" and previous < 10 and following % 10 == 0 and following >= 10


def _word_value(lex: Lexicon, words: str) -> int | None:
    """Value of a run of number words, or None when they do not form one number."""
    total = current = 0
    last: int | None = None
    for match in lex.atom.finditer(words):
        value, kind, language = lex.atoms[key(match.group())]
        if kind == "mult":
            total += (current or 1) * value
            current, last = 0, value
            continue
        if last is not None and not _joins(last, value, language):
            return None
        current, last = current + value, value
    return total + current if last is not None else None


def token_value(lex: Lexicon, match: re.Match[str]) -> int | None:
    """The value of a number token found by `Lexicon.number` (None for vague ones)."""
    if match.group("digits"):
        return int(match.group("digits"))
    if match.group("words"):
        return _word_value(lex, match.group("words"))
    if match.group("aw"):
        return lex.atoms[key(match.group("aw"))][0]
    return None


def _region(mods: str) -> str | None:
    words = [w for w in mods.split() if w.casefold() not in REGION_STOPWORDS]
    if not words:
        return None
    first, last = mods.find(words[0]), mods.rfind(words[-1]) + len(words[-1])
    return mods[first:last] or None


def _role(lex: Lexicon, phrase: str | None) -> str | None:
    if phrase is None:
        return None
    folded = key(phrase)
    for role in ("more_than", "nearly", "about", "at_least", "less_than"):
        if folded in lex.roles.get(role, ()):
            return role
    for role in ("on_behalf_of", "along_with", "and_others", "increment"):
        if folded in lex.roles.get(role, ()):
            return role
    return None


def find_counts(text: str, language: str | None = None) -> list[CountMention]:
    """Every count of states in `text` (see the module docstring for what counts), by position."""
    lex = lexicon(language)
    found: list[CountMention] = []
    for match in lex.number.finditer(text):
        found.extend(_count_at(lex, text, match))
    for match in lex.noun_first.finditer(text):
        value = int(match.group("num"))
        if MIN_COUNT <= value <= MAX_COUNT:
            before = _left(lex, text, match.start())
            start, qualifier, relation = before.start, before.qualifier, before.relation
            noun = match.group("noun")
            found.append(
                _make(text, start, match.end(), value, qualifier or "exact", noun, relation, None)
            )
    return sorted(found, key=lambda m: (m.start, m.end))


def _make(
    text: str,
    start: int,
    end: int,
    value: int | None,
    qualifier: str | None,
    noun: str,
    relation: str | None,
    region: str | None,
) -> CountMention:
    return CountMention(start, end, text[start:end], value, qualifier, noun, relation, region)


@dataclass(frozen=True)
class _Before:
    """What the words before a number say, and where they start (with and without a relation)."""

    start: int
    rest_start: int  # the start when the relation is not kept ("and" with no "other" after it)
    qualifier: str | None
    relation: str | None
    other: bool


def _left(lex: Lexicon, text: str, start: int) -> _Before:
    found = lex.left.search(text, max(0, start - LEFT_WINDOW), start)
    if found is None or found.start() == start:
        return _Before(start, start, None, None, False)
    rest = [found.start(g) for g in ("grp", "other", "qual") if found.group(g) is not None]
    return _Before(
        found.start(),
        min(rest, default=start),
        _role(lex, found.group("qual")),
        _role(lex, found.group("rel")),
        found.group("other") is not None,
    )


def _count_at(lex: Lexicon, text: str, token: re.Match[str]) -> list[CountMention]:
    start, end = token.span()
    if lex.block.search(text, max(0, start - LEFT_WINDOW), start):
        return []
    value = token_value(lex, token)
    vague = token.group("vague")
    if vague is None and value is None:
        return []
    compound = None if vague else lex.compound.match(text, end)
    right = None if compound else lex.right.match(text, end)
    if compound is None and right is None:
        return []
    before = _left(lex, text, start)
    qualifier, relation, other = before.qualifier, before.relation, before.other
    if compound is not None:
        noun, noun_end = compound.group("noun"), compound.end("noun")
        tail = compound.group("tail")
        if key(noun) == "member" or lex.body.search(tail):
            relation = "body_size"
        mods, other_right = "", False
    else:
        assert right is not None
        noun, noun_end, mods = right.group("noun"), right.end("noun"), right.group("mods")
        other_right = right.group("other") is not None
        if right.group("inc") is not None:
            relation = "increment"
        if (
            lex.body.search(mods)
            or (key(noun) in lex.member_nouns and lex.member_body.match(text, noun_end))
            or lex.owner_body.search(text, max(0, start - LEFT_WINDOW), start)
        ):
            relation = "body_size"  # "47 Council members", "the council's 47 members"
        if lex.not_state.match(text, noun_end):
            return []
    after = lex.after.match(text, noun_end)
    assert after is not None  # every part of the pattern is optional: it always matches
    end = max(noun_end, after.end())
    other = other or other_right or after.group("other") is not None
    if after.group("more"):
        qualifier = "more_than"
    elif after.group("least"):
        qualifier = "at_least"
    if relation in ("along_with", "and_others") and not other:
        relation = None  # "Cuba, Peru and 30 countries": no "other", so no relation to the list
    kept = relation is not None and relation == before.relation
    span_start = before.start if kept else before.rest_start
    if vague is not None:
        dozens = key(vague) in lex.roles.get("dozens", ())
        qualifier = "dozens" if dozens else None
        return [_make(text, span_start, end, None, qualifier, noun, relation, _region(mods))]
    assert value is not None
    part = lex.out_of.search(text, max(0, start - LEFT_WINDOW), start)
    mentions = _part(lex, text, part.start(), end, noun) if part is not None else []
    if relation == "body_size":
        return [*mentions, _make(text, start, end, value, "exact", noun, relation, None)]
    if qualifier == "less_than":
        value, qualifier = None, None
    elif qualifier is None:
        qualifier = "about" if token.group("approx") else "exact"
    if relation == "along_with" and value is not None:
        value += 1  # "Cuba, along with 45 other countries" is 46 states, read literally
    if mentions:
        relation = relation or "of_total"
    if value is not None and not MIN_COUNT <= value <= MAX_COUNT:
        return mentions
    mentions.append(_make(text, span_start, end, value, qualifier, noun, relation, _region(mods)))
    return mentions


def _part(lex: Lexicon, text: str, part_end: int, end: int, noun: str) -> list[CountMention]:
    """The "13" of "13 out of 19 countries": the last number token ending at `part_end`."""
    window_start = max(0, part_end - LEFT_WINDOW)
    tokens = [m for m in lex.number.finditer(text, window_start, part_end) if m.end() == part_end]
    if not tokens or tokens[-1].group("vague"):
        return []
    value = token_value(lex, tokens[-1])
    if value is None or not MIN_COUNT <= value <= MAX_COUNT:
        return []
    before = _left(lex, text, tokens[-1].start())
    qualifier = before.qualifier or "exact"
    return [_make(text, before.rest_start, end, value, qualifier, noun, "out_of", None)]
