"""Group labels of counts ("22 European and American countries") as membership tests.

A count that labels its group claims something about every member; a signatory named elsewhere
that is clearly outside the label is a contradiction worth showing. The labels and their tests
are data (`group_labels.tsv`); the tests read country_converter's classifications (continent,
UN region, EU, OECD, Council of Europe) so no story's state list is written into code.

A label is tested only when every part of it is known ("European and American": both parts
are), it is not hedged ("mostly Western"), and the state has a classification at all: unknown
means "not outside".
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
# Where the parts of a label split: "European and American", "Arab, African".
_PART_SPLIT = re.compile(r"\s*(?:,|&|/|\band\b|\bor\b)\s*", re.IGNORECASE)
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
        filler=re.compile(rf"\b(?:{'|'.join(fillers)})\b\s*", re.IGNORECASE),
        rules=tuple(rules),
    )


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
    """The rule of each part of a label, or None when some part is unknown."""
    lex = _lexicon()
    rules = []
    for part in _PART_SPLIT.split(region.strip()):
        part = lex.filler.sub("", part).strip().casefold()
        if not part:
            continue
        rule = next((r for r in lex.rules if r.pattern.fullmatch(part)), None)
        if rule is None:
            return None
        rules.append(rule)
    return rules or None


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
            start, end = span.start + mention.start, span.start + mention.end
            if _relevant(report, span.field, mention) and (start, end) not in seen:
                seen.add((start, end))
                yield Label(report, mention.region or "", mention.text, start, end)


def _relevant(report: ReportRow, field: str, mention: CountMention) -> bool:
    if not mention.region:
        return False
    if field == "count":
        return True
    return report.count is not None and mention.value == report.count
