"""Relevance prefilter: skip, before spaCy, documents in which no joint action can be read.

Why it never loses an action the extractor would find: the extractor opens an action only from
one sentence that has an *action word* (a kind of action other than a bare vote word, "on behalf
of", a vote outcome, a tally) and *collective evidence* (a state, a count of states, a tally, a
later total, or a veto in a document that names a UN body); a vote needs a tally or an outcome.
Sentences never cross a line break (`blocwatch_paragraphs`, `split_sentences`), so a document
none of whose lines holds both cannot yield an action. The check is per line, with the same
recognisers the pipeline runs (`find_states`, `find_counts`, `find_tallies`, the cue rows), so
a document passes whenever the extractor could find an action in it (tests hold it to that on
every gold article). Skipped documents lose their voices, frames and claims too: the prefilter
is for crawls where joint actions are what is sought (`--no-prefilter` reads everything).

Why it is fast (thousands of news articles a second on one core): one Aho-Corasick pass over
the lowercased text finds literal anchors, all derived from the pattern data: every regex row of
`action_cues.tsv` gives the literals any match of it must contain (`required_literals`), and
count nouns and tally words come from `count_nouns.tsv` and `count_cues.tsv`. A new language or
cue is a data row, as for the extractor. Only anchors on a line are checked with the row's own
regex, and the costlier recognisers run only on lines (with their context) that have an action
word but no cheaper evidence. Pure: no spaCy, so the Spark runner and tests call it directly.
"""

from __future__ import annotations

import bisect
import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

import ahocorasick

from blocwatch.nlp import counts as count_lexicon
from blocwatch.nlp import cues as cue_lexicon
from blocwatch.nlp.counts import LEFT_WINDOW, find_counts
from blocwatch.nlp.states import CONTEXT_WINDOW, find_states
from blocwatch.nlp.tallies import TALLY_LEFT_WINDOW, find_tallies

# Bump when the rule changes: documents skipped by an older rule are then checked again (a
# change of the pattern data does the same by itself, see `prefilter_version`).
RULE_VERSION = "pf1"
# The data the rule is built from (nlp/patterns/ and its package).
PATTERN_FILES = ("action_cues.tsv", "count_cues.tsv", "count_nouns.tsv", "states_extra.tsv")

# What each action-cue row read here stands for (category, value -> role); value None = any.
# ACTION: a kind of action other than a vote, or a state speaking "on behalf of" others: with
# collective evidence, enough. A vote (a vote word; "voted against" next to a state) also needs
# a tally or an outcome, and a UN body in the document or a state in the sentence.
ACTION, VOTE, OUTCOME, VOTE_ROLE, FORUM = "action", "vote", "outcome", "vote_role", "forum"
ROW_ROLES: dict[tuple[str, str | None], str] = {
    ("kind", "vote"): VOTE,
    ("kind", None): ACTION,
    ("lead", "behalf"): ACTION,
    ("outcome", None): OUTCOME,
    ("vote_role", "against"): VOTE_ROLE,
    ("vote_role", "abstain"): VOTE_ROLE,
    ("forum", None): FORUM,
}
# Count relations the extractor does not read as a count of an action (a body's size).
NOT_ACTION_COUNT = frozenset({"body_size", "of_total"})
# count_cues.tsv roles: "on behalf of 54 countries" makes a joint statement; the tally roles
# below are those a tally cannot do without (a lone yes part needs a vote word, see tallies).
BEHALF_ROLES = frozenset({"on_behalf_of"})
TALLY_ROLES = frozenset({"no_after", "no_before", "abstain_after", "abstain_before", "yes_to_no"})
# What `tallies` accepts as a vote word (its `_VOTE_WORD`): a lone "25 votes in favour" part.
VOTE_WORDS = ("vot", "voix", "صوت", "atkvæð", "bumoto")
# "18-14-15", "a vote of 18-14": the numbers of a tally without words (superset of tallies').
TALLY_NUMBERS = re.compile(r"\d\s*[-–]\s*\d")
# "the number rose to 50": a later total without a noun. Mirrors extract.mentions._GROWTH_NUMBER
# (this stage may not import extract; a test keeps the two the same).
GROWTH_NUMBER = re.compile(
    r"\b(?:rose|risen|climbed|grew|increased|jumped|reached|carried|stood at|stands at)"
    r"(?: to)?\s+(?P<n>\d{1,3})\b(?!\s*(?:%|per|percent|million|billion|years?|days?))",
    re.I,
)
# A derived literal shorter than this would fire on most texts; a row yielding none that long is
# checked by its regex on every document instead ("HK" is two letters: allowed, it is rare).
MIN_LITERAL = 2
# Alternatives expanded while deriving literals ("wr(?:ote|itten|ites) to" gives three); past
# this the derivation keeps the best single piece instead of the product.
MAX_ALTERNATIVES = 64

_LITERAL, _IN, _BRANCH, _SUBPATTERN = (
    sre_parse.LITERAL,
    sre_parse.IN,
    sre_parse.BRANCH,
    sre_parse.SUBPATTERN,
)
_REPEATS = (sre_parse.MAX_REPEAT, sre_parse.MIN_REPEAT)
_ZERO_WIDTH = (sre_parse.AT, sre_parse.ASSERT, sre_parse.ASSERT_NOT)
# Small character classes ("[ao]", "['’]") are expanded like alternatives; larger ones are not.
MAX_CLASS_CHARS = 8


@lru_cache(maxsize=1)
def prefilter_version() -> str:
    """The rule version and a digest of the pattern data: what a skipped document was judged
    by. A new cue row changes it, so documents skipped before are checked again."""
    digest = hashlib.sha256(RULE_VERSION.encode())
    patterns = resources.files("blocwatch.nlp.patterns")
    for name in PATTERN_FILES:
        digest.update(patterns.joinpath(name).read_bytes())
    return f"{RULE_VERSION}.{digest.hexdigest()[:8]}"


# ---------------------------------------------------------------- literals a regex must contain


@dataclass(frozen=True)
class _Info:
    """What one piece of a regex matches: `exact` = every string it can match (when few), and
    `required` = a set of literals one of which every match contains (None: no guarantee)."""

    exact: frozenset[str] | None
    required: frozenset[str] | None


_EMPTY = _Info(frozenset({""}), None)
_ANYTHING = _Info(None, None)


def _score(literals: frozenset[str] | None) -> tuple[int, int]:
    """Better sets have a longer shortest literal, then fewer literals."""
    if not literals or "" in literals:
        return (0, 0)
    return (min(len(s) for s in literals), -len(literals))


def _best(*candidates: frozenset[str] | None) -> frozenset[str] | None:
    best = max(candidates, key=_score, default=None)
    return best if _score(best)[0] > 0 else None


def _class_chars(items: list[tuple[Any, Any]]) -> frozenset[str] | None:
    chars: set[str] = set()
    for op, value in items:
        if op is _LITERAL:
            chars.add(chr(value).lower())
        elif op is sre_parse.RANGE and value[1] - value[0] < MAX_CLASS_CHARS:
            chars.update(chr(c).lower() for c in range(value[0], value[1] + 1))
        else:
            return None
    return frozenset(chars) if len(chars) <= MAX_CLASS_CHARS else None


def _node(op: Any, value: Any) -> _Info:
    if op is _LITERAL:
        return _Info(frozenset({chr(value).lower()}), None)
    if op is _IN:
        chars = _class_chars(value)
        return _Info(chars, None) if chars else _ANYTHING
    if op is _SUBPATTERN:
        return _sequence(value[-1])
    if op is _BRANCH:
        branches = [_sequence(seq) for seq in value[1]]
        exact_sets = [b.exact for b in branches]
        if all(e is not None for e in exact_sets):
            union = frozenset().union(*(e for e in exact_sets if e is not None))
            if len(union) <= MAX_ALTERNATIVES:
                return _Info(union, None)
        required = [_best(b.exact, b.required) for b in branches]
        if any(r is None for r in required):
            return _ANYTHING
        return _Info(None, frozenset().union(*(r for r in required if r is not None)))
    if op in _REPEATS:
        low, high, item = value
        inner = _sequence(item)
        if low == 0:
            if high == 1 and inner.exact is not None:
                return _Info(inner.exact | {""}, None)
            return _EMPTY if high == 0 else _Info(None, None)
        if low == high == 1:
            return inner
        return _Info(None, _best(inner.exact, inner.required))
    if op in _ZERO_WIDTH:
        return _EMPTY
    return _ANYTHING


def _sequence(items: Iterable[tuple[Any, Any]]) -> _Info:
    """Concatenation: exact strings are multiplied out while few; the best literal set of any
    piece (or of a run of exact pieces) is required of the whole."""
    run: frozenset[str] = frozenset({""})
    candidates: list[frozenset[str] | None] = []
    whole_exact = True
    for op, value in items:
        info = _node(op, value)
        if info.exact is not None:
            product = frozenset(a + b for a in run for b in info.exact)
            if len(product) <= MAX_ALTERNATIVES:
                run = product
                continue
        whole_exact = False
        candidates.append(run)
        candidates.append(_best(info.exact, info.required))
        run = info.exact if info.exact is not None else frozenset({""})
    if whole_exact:
        return _Info(run, None)
    candidates.append(run)
    return _Info(None, _best(*candidates))


def required_literals(pattern: str) -> frozenset[str] | None:
    """Lowercase literals one of which every case-insensitive match of `pattern` contains; None
    when the pattern guarantees none of at least MIN_LITERAL characters."""
    info = _sequence(sre_parse.parse(pattern, re.IGNORECASE))
    best = _best(info.exact, info.required)
    if best is None or min(len(s) for s in best) < MIN_LITERAL:
        return None
    return best


# ---------------------------------------------------------------- the anchors, from the data


@dataclass(frozen=True)
class _Row:
    """An action-cue row whose anchors, once found, are checked with its own regex."""

    role: str  # see ROW_ROLES
    value: str
    regex: re.Pattern[str]


# Groups of the literals from the count tables (cue rows are grouped by ROW_ROLES).
BEHALF, COUNT_NOUN, TALLY_WORD = "behalf", "count", "tally"


@dataclass
class _Anchors:
    automaton: Any  # ahocorasick.Automaton: literal -> tuple of (group, row index)
    rows: list[_Row]
    unanchored: list[int]  # rows without a usable literal: their regex runs on every text


def _role(category: str, value: str) -> str | None:
    return ROW_ROLES.get((category, value), ROW_ROLES.get((category, None)))


def _cue_rows() -> Iterator[_Row]:
    """Every action-cue row the rule reads, in every language (a superset of the rows the
    extractor tries for any one language)."""
    for category, compiled in cue_lexicon._compiled().items():
        for regex, row in compiled:
            role = _role(category, row.value)
            if role is not None:
                yield _Row(role, row.value, regex)


def _phrase_anchor(phrase: str) -> str:
    """The longest word of a table phrase (its words may be split by any run of whitespace)."""
    return max(count_lexicon.key(phrase).split(), key=len)


def _word_anchors() -> Iterator[tuple[str, str]]:
    """(group, literal) from the count tables: nouns of counts, behalf and tally phrases."""
    for fields in count_lexicon._rows("count_nouns.tsv"):
        yield COUNT_NOUN, _phrase_anchor(fields[1])
    for fields in count_lexicon._rows("count_cues.tsv"):
        phrase, role = fields[1], fields[2]
        if role in BEHALF_ROLES:
            yield BEHALF, _phrase_anchor(phrase)
        elif role in TALLY_ROLES:
            yield TALLY_WORD, _phrase_anchor(phrase)
    for word in VOTE_WORDS:
        yield TALLY_WORD, word


@lru_cache(maxsize=1)
def _anchors() -> _Anchors:
    found: dict[str, set[tuple[str, int]]] = {}
    rows: list[_Row] = []
    unanchored: list[int] = []
    for row in _cue_rows():
        index = len(rows)
        rows.append(row)
        literals = required_literals(row.regex.pattern)
        if literals is None:
            unanchored.append(index)
            continue
        for literal in literals:
            found.setdefault(literal, set()).add((row.role, index))
    for group, literal in _word_anchors():
        found.setdefault(literal.lower(), set()).add((group, -1))
    automaton = ahocorasick.Automaton()
    for literal, payload in found.items():
        automaton.add_word(literal, tuple(sorted(payload)))
    automaton.make_automaton()
    return _Anchors(automaton, rows, unanchored)


# ---------------------------------------------------------------- the rule


@dataclass(frozen=True)
class Verdict:
    """Whether a document may hold a joint action, and why (for logs and tests)."""

    passed: bool
    reason: str  # e.g. "letter+state", "no action word"


# Characters of context the recognisers read around a line: more than any of them looks
# (states' context rules, a count's left words, a tally's vote word), so a mention inside the
# line is found in the slice exactly as in the whole text.
CONTEXT_MARGIN = 2 * max(CONTEXT_WINDOW, LEFT_WINDOW, TALLY_LEFT_WINDOW)
_SPACE_BEFORE = re.compile(r"\s")


@dataclass
class _Document:
    """One text and its lines; a recogniser reads a line (with context) at most once."""

    text: str
    language: str | None
    breaks: list[int] = field(init=False)
    _found: dict[tuple[str, int], bool] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self.breaks = [m.start() for m in re.finditer("\n", self.text)]

    def line_of(self, position: int) -> int:
        return bisect.bisect_right(self.breaks, position)

    def bounds(self, line: int) -> tuple[int, int]:
        start = self.breaks[line - 1] + 1 if line > 0 else 0
        end = self.breaks[line] if line < len(self.breaks) else len(self.text)
        return start, end

    def has(self, what: str, line: int) -> bool:
        """Does the recogniser `what` (state, count, tally) find a mention inside the line?"""
        known = self._found.get((what, line))
        if known is None:
            known = self._found[(what, line)] = self._read(what, line)
        return known

    def _read(self, what: str, line: int) -> bool:
        start, end = self.bounds(line)
        # the slice starts at a word boundary, so no word is cut in two
        cut = max(0, start - CONTEXT_MARGIN)
        space = _SPACE_BEFORE.search(self.text, cut, start) if cut else None
        cut = space.start() if space else (cut if cut == 0 else start)
        window = self.text[cut : min(len(self.text), end + CONTEXT_MARGIN)]
        spans: Iterable[tuple[int, int]]
        if what == "state":
            spans = ((m.start, m.end) for m in find_states(window) if m.iso3 is not None)
        elif what == "count":
            spans = (
                (c.start, c.end)
                for c in find_counts(window, self.language)
                if c.relation not in NOT_ACTION_COUNT
            )
        else:
            spans = ((t.start, t.end) for t in find_tallies(window, self.language))
        return any(start <= cut + a and cut + b <= end for a, b in spans)


def check(text: str, language: str | None = None) -> Verdict:
    """Does some line of `text` (a clean text) hold an action word and collective evidence?"""
    anchors = _anchors()
    lowered = text.lower()
    if len(lowered) != len(text):  # a few letters grow when lowercased ("İ"): keep offsets true
        lowered = "".join(c.lower()[0] for c in text)
    doc = _Document(text, language)
    candidates: dict[int, set[int]] = {}  # line -> rows whose literal is on it
    lines: dict[str, set[int]] = {
        group: set() for group in (ACTION, VOTE, OUTCOME, VOTE_ROLE, FORUM, "veto")
    }
    lines |= {BEHALF: set(), COUNT_NOUN: set(), TALLY_WORD: set()}
    for end, payload in anchors.automaton.iter(lowered):
        line = doc.line_of(end)
        for group, index in payload:
            if index >= 0:
                candidates.setdefault(line, set()).add(index)
            else:
                lines[group].add(line)
    for index in anchors.unanchored:
        for found in anchors.rows[index].regex.finditer(text):
            candidates.setdefault(doc.line_of(found.start()), set()).add(index)
    for line, indices in candidates.items():
        start, end = doc.bounds(line)
        for index in indices:
            row = anchors.rows[index]
            match = row.regex.search(text, start, end)
            if match is not None:
                lines[row.role].add(line)
                if row.role == OUTCOME and "veto" in match.group().casefold():
                    lines["veto"].add(line)
    lines[ACTION] |= lines.pop(BEHALF)
    for numbers in TALLY_NUMBERS.finditer(text):
        lines[TALLY_WORD].add(doc.line_of(numbers.start()))
    return _decide(doc, lines)


def _decide(doc: _Document, lines: dict[str, set[int]]) -> Verdict:
    """Line by line, the cheapest evidence first; the recognisers only where still needed."""
    for line in sorted(lines[ACTION]):
        evidence = _collective(doc, line, lines)
        if evidence:
            return Verdict(True, "action word and " + evidence)
    un_body = bool(lines[FORUM])
    # a vote word, or "voted against" (a vote only next to a state: reading it always is a
    # superset), with an outcome
    vote_outcomes = lines[OUTCOME] & (lines[VOTE] | lines[VOTE_ROLE])
    for line in sorted(lines[TALLY_WORD] | vote_outcomes):
        if not (un_body or doc.has("state", line)):
            continue  # a vote between states: in a UN body, or naming them
        if line in lines[TALLY_WORD] and doc.has("tally", line):
            return Verdict(True, "tally")
        if line in vote_outcomes and (line in lines["veto"] or _collective(doc, line, lines)):
            return Verdict(True, "vote outcome")
    if not (lines[ACTION] or lines[TALLY_WORD] or lines[OUTCOME]):
        return Verdict(False, "no action word")
    return Verdict(False, "no line with an action word and states, a count or a tally")


def _collective(doc: _Document, line: int, lines: dict[str, set[int]]) -> str:
    """What on this line shows several states act ("" if nothing): a later total, a count of
    states, a state (a lead or signatories), a tally."""
    start, end = doc.bounds(line)
    if GROWTH_NUMBER.search(doc.text, start, end):
        return "later total"
    if line in lines[COUNT_NOUN] and doc.has("count", line):
        return "count"
    if doc.has("state", line):
        return "state"
    if line in lines[TALLY_WORD] and doc.has("tally", line):
        return "tally"
    return ""


def passes(text: str, language: str | None = None) -> bool:
    """True when `text` may report a joint action and should go through the extractor."""
    return check(text, language).passed
