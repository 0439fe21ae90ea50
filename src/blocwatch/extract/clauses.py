"""Sentences that report several actions at once, split into one mention per action.

"22 countries criticised China and 37 came to its defence" (two counts), "Pakistan and Venezuela
delivered joint statements respectively on behalf of 72 countries and 19 members" (leads paired
with counts), "raised by the UK (on behalf of the Core Group), Slovenia (on behalf of the EU),
Norway and the Czech Republic" (a joint statement per group speaker, the rest individually).
"""

from __future__ import annotations

import itertools
import re

from blocwatch.extract.mentions import Mention, elliptic_counts, growth_count, read_span
from blocwatch.extract.roles import PARTICIPANT_FORMS
from blocwatch.extract.signals import Signals

_FOR_A_GROUP = re.compile(
    r"\s*\((?:on behalf of|speaking for|for|representing|en nombre de|au nom de|em nome de)"
    r"\b[^()]{1,80}\)",
    re.I,
)

_RESPECTIVELY = re.compile(r"\brespective(?:ly)?\b|\brespectivamente\b|\brespectivement\b", re.I)

# Where a sentence that reports several counts splits into clauses.
_CLAUSE_SPLIT = re.compile(
    r",\s+(?:and\s+|while\s+|when\s+|but\s+)?|;\s*|\s+(?:and|while|whereas|but)\s+"
)


def read_sentence(signals: Signals, index: int, target: str | None) -> list[Mention]:
    """What sentence `index` says: one mention, or one per clause when the sentence reports
    several counts ("22 countries criticised China and 37 came to its defence")."""
    start, end = signals.sentences[index]
    whole = read_span(signals, start, end, target)
    if whole.kind == "vote":
        return [whole]  # a vote's sentence lists the parts of one tally, not several actions
    groups = _speakers_for_groups(signals, start, end)
    if groups:
        return _split_speakers(signals, start, end, target, whole, groups)
    spans = clause_spans(signals, start, end)
    if len(spans) < 2:
        return [whole]
    parts = [read_span(signals, a, b, target) for a, b in spans]
    for part in parts:
        if part.kind is None and whole.kind is not None and whole.kind != "vote":
            part.kind, part.kind_cue = whole.kind, whole.kind_cue
        part.sentence = (start, end)
        part.forum = part.forum or whole.forum
        part.date = part.date or whole.date
    _pair_respectively(signals, start, end, whole, parts)
    return parts


def _pair_respectively(
    signals: Signals, start: int, end: int, whole: Mention, parts: list[Mention]
) -> None:
    """ "Pakistan and Venezuela delivered joint statements respectively on behalf of 72 countries
    and 19 members": the n-th state named before the verb leads the n-th part."""
    if not _RESPECTIVELY.search(signals.text, start, end) or whole.kind_cue is None:
        return
    leads = [
        s
        for s in signals.states
        if start <= s.start < whole.kind_cue.start and s.iso3 and s.form in PARTICIPANT_FORMS
    ]
    if len(leads) != len(parts):
        return
    for part, lead in zip(parts, leads, strict=True):
        part.lead = lead
        part.roles = [("signatory", lead)]


def _speakers_for_groups(signals: Signals, start: int, end: int) -> list[tuple[int, int]]:
    """Spans "United Kingdom (on behalf of the Core Group)" in a list of speakers."""
    spans = []
    for state in signals.states:
        if not (start <= state.start and state.end <= end and state.iso3):
            continue
        match = _FOR_A_GROUP.match(signals.text, state.end)
        if match is not None and match.end() <= end:
            spans.append((state.start, match.end()))
    return spans


def _split_speakers(
    signals: Signals,
    start: int,
    end: int,
    target: str | None,
    whole: Mention,
    groups: list[tuple[int, int]],
) -> list[Mention]:
    """ "Issues were raised by the UK (on behalf of the Core Group), Slovenia (on behalf of the
    EU), Norway and the Czech Republic": one joint statement per group speaker; the others
    spoke for themselves (individual statements)."""
    parts = []
    for a, b in groups:
        part = read_span(signals, a, b, target)
        part.kind, part.kind_cue = "joint_statement", part.kind_cue or whole.kind_cue
        parts.append(part)
    alone = [
        (role, state)
        for role, state in whole.roles
        if not any(a <= state.start < b for a, b in groups)
    ]
    if alone:
        rest = read_span(signals, start, end, target)
        rest.kind, rest.lead, rest.roles, rest.count = "individual_statements", None, alone, None
        parts.append(rest)
    for part in parts:
        part.sentence = (start, end)
        part.stance_votes = dict(whole.stance_votes)
        part.forum = part.forum or whole.forum
        part.date = part.date or whole.date
        part.un_context = whole.un_context
    return parts


def clause_spans(signals: Signals, start: int, end: int) -> list[tuple[int, int]]:
    """Split a sentence before each further count of states, at the clause break before it."""
    counts = [
        c
        for c in signals.counts
        if start <= c.start
        and c.end <= end
        and c.value is not None
        and c.relation not in ("body_size", "of_total", "out_of")
    ]
    counts += elliptic_counts(signals.text, start, end, counts)
    counts += [_growth for _growth in [growth_count(signals.text, start, end)] if _growth]
    counts.sort(key=lambda c: c.start)
    if any(t.start < end and start < t.end for t in signals.tallies):
        return [(start, end)]
    values = [c.value for c in counts]
    if len(counts) < 2 or len(set(values)) < 2:
        return [(start, end)]
    cuts = [start]
    for previous, count in itertools.pairwise(counts):
        breaks = [
            m.start() for m in _CLAUSE_SPLIT.finditer(signals.text, previous.end, count.start)
        ]
        if breaks:
            cuts.append(breaks[-1])
    cuts.append(end)
    return [(a, b) for a, b in itertools.pairwise(cuts) if b > a]
