"""Group labels of counts ("22 European and American countries") as membership tests.

A count that labels its group claims something about every member; a signatory named elsewhere
that is clearly outside the label is a contradiction worth showing. The labels and their tests
are data (`group_labels.tsv`); the tests read country_converter's classifications (continent,
UN region, EU, OECD, Council of Europe) so no story's state list is written into code.

A label is tested only when every part of it is known ("European and American": both parts
are), it is not hedged ("mostly Western"), and the state has a classification at all: unknown
means "not outside".

Where adjectives follow the noun ("22 países europeos y americanos", "22 pays occidentaux",
"22 دولة أوروبية وأمريكية"), the count reader stops at the noun; the label is then the run of
known label words right after it (`_trailing_region`), so a word that is not a label ends it and
nothing else is ever read as one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from blocwatch.nlp.counts import CountMention, find_counts

# The classification table reconcile shares with the state recogniser (read without pandas).
from blocwatch.nlp.state_aliases import _coco_rows
from blocwatch.reconcile.rows import ReportRow

LABELS_FILE = "group_labels.tsv"
# "and"/"or" in the languages we read (Arabic و is written onto the next word: `_ARABIC_AND`).
_CONJUNCTIONS = r"and|or|y|e|o|u|et|ou|og|eða|at|o kaya|und"
# Where the parts of a label split: "European and American", "Arab, African", "europeos y árabes".
_PART_SPLIT = re.compile(rf"\s*(?:,|&|/|\b(?:{_CONJUNCTIONS})\b)\s*", re.IGNORECASE)
_ARABIC_AND = "و"
# Characters after a label searched for a hedge ("22 países occidentales, en su mayoría" is not
# hedged: the clause ends at the comma), and what ends the clause.
HEDGE_WINDOW = 40
_CLAUSE_END = re.compile(r"[,.;:()\n،؛]")
# Languages whose adjectives follow the noun: their labels are read after the count.
POST_NOMINAL = frozenset({"es", "pt", "fr", "it", "ca", "ro", "ar", "fil"})
# Prepositions that may open a label after the noun ("22 países de la UE", "22 pays du Golfe").
_PREPOSITIONS = r"de\s+la|de\s+l'|de\s+los|del|des|du|de|da|do|dos|das|d'|ng|mula\s+sa"
_PREPOSITION = re.compile(rf"^(?:{_PREPOSITIONS})(?:\s+|(?<='))", re.IGNORECASE)
# Evidence fields whose text may carry the report's count as written.
COUNT_FIELDS = ("count", "action")


@dataclass(frozen=True)
class Label:
    """One labelled count of a report: the words, the mention as written and its span."""

    report: ReportRow
    region: str  # "European and American"
    text: str  # "22 European and American countries"
    start: int
    end: int


@dataclass(frozen=True)
class _Rule:
    pattern: re.Pattern[str]
    tests: tuple[str, ...]


@dataclass(frozen=True)
class _Lexicon:
    hedge: re.Pattern[str]
    filler: re.Pattern[str]
    rules: tuple[_Rule, ...]
    trailing: re.Pattern[str]  # a run of label words right after a count's noun


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    text = resources.files("blocwatch.reconcile").joinpath(LABELS_FILE).read_text("utf-8")
    hedges, fillers, rules = [], [], []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if len(cells) < 3 or cells[0] not in ("label", "hedge", "filler"):
            raise ValueError(f"{LABELS_FILE}:{number}: expected kind, pattern, members: {line!r}")
        kind, pattern, members = cells[0], cells[1], cells[2]
        if kind == "hedge":
            hedges.append(pattern)
        elif kind == "filler":
            fillers.append(pattern)
        else:
            compiled = re.compile(f"(?:{pattern})", re.IGNORECASE)
            rules.append(_Rule(compiled, tuple(members.split("|"))))
    return _Lexicon(
        hedge=re.compile(rf"\b(?:{'|'.join(hedges)})\b", re.IGNORECASE),
        filler=re.compile(rf"(?<![\w'])(?:{'|'.join(fillers)})(?![\w'])\s*", re.IGNORECASE),
        rules=tuple(rules),
        trailing=_trailing_pattern([r.pattern.pattern for r in rules]),
    )


def _trailing_pattern(parts: list[str]) -> re.Pattern[str]:
    """Label words after a noun: parts (each maybe after a preposition, Arabic ones maybe
    carrying و), joined by commas, conjunctions or plain spaces ("europeos occidentales")."""
    opener = rf"(?:(?:{_PREPOSITIONS})(?:\s+|(?<=')))?"
    word = rf"{opener}{_ARABIC_AND}?(?:{'|'.join(parts)})(?![\w'-])"
    joint = rf"(?:\s*,\s*|\s+(?:{_CONJUNCTIONS})\s+|\s+)"
    return re.compile(rf"[ \t]+(?P<region>{word}(?:{joint}{word})*)", re.IGNORECASE)


@lru_cache(maxsize=1)
def _classes() -> dict[str, dict[str, str]]:
    return {row["ISO3"]: row for row in _coco_rows() if row.get("ISO3")}


def _passes(iso3: str, test: str) -> bool | None:
    """One membership test; None when the state has no classification to test."""
    if test.startswith("iso3:"):
        return iso3 in test[len("iso3:") :].split(",")
    row = _classes().get(iso3)
    if row is None:
        return None
    column, _, value = test.partition("=")
    cell = row.get(column) or ""
    return cell == value if value else bool(cell)


def _rules_for(region: str) -> list[_Rule] | None:
    """The rule of each part of a label, or None when some part is unknown. A part may be one
    label ("latin american") or several stacked ones ("europeos occidentales")."""
    lex = _lexicon()
    rules: list[_Rule] = []
    for part in _PART_SPLIT.split(region.strip()):
        part = lex.filler.sub("", part).strip().casefold()
        if not part:
            continue
        found = _rule_for(part)
        stacked = [_rule_for(word) for word in part.split()] if found is None else [found]
        if not stacked or None in stacked:
            return None
        rules.extend(rule for rule in stacked if rule is not None)
    return rules or None


def _rule_for(part: str) -> _Rule | None:
    """The rule a part (fillers already dropped) matches whole, after its preposition ("del
    Golfo"), trying it without a leading Arabic و too."""
    part = _PREPOSITION.sub("", part)
    candidates = [part, part[1:]] if part.startswith(_ARABIC_AND) else [part]
    rules = _lexicon().rules
    for candidate in candidates:
        rule = next((r for r in rules if r.pattern.fullmatch(candidate)), None)
        if rule is not None:
            return rule
    return None


def testable(label: Label) -> bool:
    """Is this a label we can test: every part known and no hedge ("mostly")?"""
    return not _lexicon().hedge.search(label.text) and _rules_for(label.region) is not None


def outside(label: Label, iso3: str) -> bool:
    """Is the state clearly outside the label? False when it is inside any part, when it is not
    classified, or when the label cannot be tested."""
    rules = _rules_for(label.region)
    if rules is None or _lexicon().hedge.search(label.text):
        return False
    results = [_passes(iso3, test) for rule in rules for test in rule.tests]
    return None not in results and not any(results)


def labels_of(report: ReportRow) -> Iterator[Label]:
    """The labelled counts of a report: its count evidence, and mentions of the same number in
    its sentences ("22 countries ... Earlier this week, 22 European and American countries")."""
    seen: set[tuple[int, int]] = set()
    for span in report.spans:
        if span.field not in COUNT_FIELDS:
            continue
        for mention in find_counts(span.text, report.language):
            region, end = mention.region, mention.end
            if not region and (report.language or "").split("-")[0] in POST_NOMINAL:
                region, end = _trailing_region(span.text, mention.end)
            if not region or not _relevant(report, span.field, mention):
                continue
            start = span.start + mention.start
            if (start, span.start + end) not in seen:
                seen.add((start, span.start + end))
                text = span.text[mention.start : end]
                yield Label(report, region, text, start, span.start + end)


def _trailing_region(text: str, noun_end: int) -> tuple[str | None, int]:
    """The label written right after a count's noun, and where it ends (None, `noun_end`).
    A hedge that follows it in the same clause ("occidentales en su mayoría") voids it."""
    lex = _lexicon()
    found = lex.trailing.match(text, noun_end)
    if found is None:
        return None, noun_end
    clause = _CLAUSE_END.split(text[found.end("region") : found.end("region") + HEDGE_WINDOW])[0]
    if lex.hedge.search(clause):
        return None, noun_end
    return found.group("region"), found.end("region")


def _relevant(report: ReportRow, field: str, mention: CountMention) -> bool:
    if field == "count":
        return True
    return report.count is not None and mention.value == report.count
