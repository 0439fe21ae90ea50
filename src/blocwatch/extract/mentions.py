"""Sentence-level reading: which sentences report a joint action, and what each one says.

A *mention* is one sentence's account of an action: its kind, count, lead, stance, forum, date,
issue and the states it names in each role. `joint_actions` then merges mentions of the same
action. Every field keeps the clean-text span it came from.

Stages for each sentence (in order):
1. cues, counts, tallies, states and dates inside the sentence;
2. the kind: a tally or a vote outcome makes a vote; otherwise the strongest kind cue;
3. whether the sentence reports an action at all (`is_action`): a kind plus something that makes
   it collective (a count of states, a lead "on behalf of", a tally, a named list), or a count of
   states plus a stance ("22 countries called on China to ...");
4. the lead state ("X on behalf of", "delivered by X"), the named states and their roles.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from blocwatch.extract.signals import Signals
from blocwatch.nlp.counts import CountMention
from blocwatch.nlp.cues import Cue
from blocwatch.nlp.dates import DateMention
from blocwatch.nlp.states import StateMention
from blocwatch.nlp.tallies import Tally

# A lead state stands this close to its cue ("Cuba on behalf of", "Belarus made a joint statement
# on behalf of": 35 characters).
LEAD_WINDOW = 60
# Forms of a state mention that name a participant; demonyms and capitals are voices or places.
PARTICIPANT_FORMS = frozenset({"name", "short", "abbreviation", "translated"})
# Kinds by strength when a sentence carries several cues.
KIND_ORDER = ("vote", "joint_statement", "letter", "individual_statements")
# Collective nouns of counts that are not states ("members of the Group of Friends" still are).
_CLAUSE_BREAK = re.compile(r";|\bwhile\b|\bwhereas\b|\bmientras\b|\balors que\b|\bhabang\b", re.I)
_POSSESSIVE = re.compile(r"^['’]s?\b")
LOCATIVE = re.compile(r"(?:\b(?:in|en|at|à|em|sa|na)\s+)[A-ZÀ-Þ][\w-]+(?:\s+[A-ZÀ-Þ][\w-]+)?,\s*$")
# A vote-role word ("abstained", "en contra") speaks of a state at most this far from it.
ROLE_WINDOW = 60
# Between a list of states and its verb: list glue, "also", "in" ("joined Russia in voting").
_SUBJECT_GAP = re.compile(
    r"(?:\s|,|;|\band\b|\bthe\b|\balso\b|\bin\b|\bhad\b|\bhave\b)*"
    r"(?:(?:were|was|are|is)\s+among\s+(?:those|the\s+\w+|\w+)\s+(?:that|which|who)\s+)?",
    re.I,
)
_LIST_GAP = re.compile(r"(?:\s|,|;|\band\b|\by\b|\bet\b|\be\b|\bat\b|\bthe\b)*", re.I)
# What separates the items of one list of states ("Israel, Estados Unidos y Guatemala").
_LIST_GLUE = re.compile(r"\s*(?:,|;|\band\b|\by\b|\bet\b|\be\b|\bat\b|—|–|-)?\s*(?:the\s+)?", re.I)
# "X did not join", "X has since withdrawn": the refusal follows the state this closely.
REFUSAL_WINDOW = 30
# A body that is the subject of the vote verb is where the vote took place.
_VENUE_VERB = re.compile(
    r"\s*(?:\([^)]{1,20}\)\s*)?(?:has |have |had |on \w+ |today |on Thursday )?"
    r"(?:voted|adopted|approved|passed|rejected|a adopté|adoptó|aprobó|ha aprobado|pinaburan)\b",
    re.I,
)
# A forum this far (characters) from the action words in its sentence describes something else.
FORUM_WINDOW = 45
_FOR_A_GROUP = re.compile(
    r"\s*\((?:on behalf of|speaking for|for|representing|en nombre de|au nom de|em nome de)"
    r"\b[^()]{1,80}\)",
    re.I,
)
_RESPECTIVELY = re.compile(r"\brespective(?:ly)?\b|\brespectivamente\b|\brespectivement\b", re.I)
_RIVAL = re.compile(r"\b(?:counter-?|rival |competing |opposing )", re.I)
# A bare number in a clause parallel to a count ("and 37 came to its defence"): a verb follows.
_ELLIPTIC_NUMBER = re.compile(
    r"\b(?:and|while|whereas|but)\s+(?P<n>\d{1,3})\s+(?=(?:came|signed|backed|supported|"
    r"joined|opposed|voted|sided|defended|rallied|stood|took|did|were|had|have)\b)",
    re.I,
)
# Where a sentence that reports several counts splits into clauses.
_CLAUSE_SPLIT = re.compile(
    r",\s+(?:and\s+|while\s+|when\s+|but\s+)?|;\s*|\s+(?:and|while|whereas|but)\s+"
)
# A stance word aimed at the target names it within this many characters ("urged Beijing to").
TARGET_WINDOW = 25
# More states than the UN has members is not a count of states.
MAX_STATES = 200
_GROWTH_NUMBER = re.compile(
    r"\b(?:rose|risen|climbed|grew|increased|jumped|reached|carried|stood at|stands at)"
    r"(?: to)?\s+(?P<n>\d{1,3})\b(?!\s*(?:%|per|percent|million|billion|years?|days?))",
    re.I,
)
# "UNITED NATIONS, Oct. 30 (Xinhua) --": the date of the dispatch, not of the action.
_DATELINE_TAIL = re.compile(r"\s*\([^()\n]{1,40}\)\s*(?:--|—|–|-)")
# A state as the complement of a preposition is a place or an object ("the invasion of
# Ukraine"), unless the head noun makes it a party ("on behalf of", "the ambassadors of").
_COMPLEMENT = re.compile(
    r"(?<!behalf )(?<!ambassadors )(?<!ambassador )(?<!representatives )(?<!representative )"
    r"(?<!delegations )(?<!delegation )(?<!envoys )(?<!governments )(?<!government )"
    r"(?<!missions )(?<!mission )(?<!those )(?<!members )(?<!signatories )"
    r"\b(?:of|in|on|from|into|against|over|towards?)\s+(?:the\s+)?$"
)
_MY_COUNTRY = re.compile(r"\bmy (?:own )?country,?\s*$", re.I)
_VOICE_NOUN = re.compile(
    r"^\s*(?:['’]s\s+)?(?:(?:UN|U\.N\.|permanent)\s+)?"
    r"(?:ambassador|representative|delegation|envoy|mission|delegate)s?\b",
    re.I,
)


@dataclass
class Mention:
    """What one sentence says about one joint action (clean-text offsets)."""

    sentence: tuple[int, int]
    kind: str | None
    kind_cue: Cue | None = None
    count: CountMention | None = None
    tally: Tally | None = None
    lead: StateMention | None = None
    stance_votes: dict[str, int] = field(default_factory=dict)
    forum: Cue | None = None
    date: DateMention | None = None
    issues: list[Cue] = field(default_factory=list)
    outcome: Cue | None = None
    roles: list[tuple[str, StateMention]] = field(default_factory=list)
    growth: bool = False
    list_cue: bool = False
    minorities: list[tuple[str, CountMention]] = field(default_factory=list)  # no/abstain counts
    rival: bool = False  # "a counter-letter", "a rival statement": another action than the last
    un_context: bool = False  # the document names a UN body somewhere

    @property
    def stance(self) -> str | None:
        support = self.stance_votes.get("support", 0)
        criticize = self.stance_votes.get("criticize", 0)
        if support == criticize:
            return None
        return "support" if support > criticize else "criticize"


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
    counts += _elliptic_counts(signals.text, start, end, counts)
    counts += [_growth for _growth in [_growth_count(signals.text, start, end)] if _growth]
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


def read_span(signals: Signals, start: int, end: int, target: str | None) -> Mention:
    """Everything the text in [start, end) says, whether or not it reports an action."""
    cues = {c: signals.cues_in(c, start, end) for c in signals.cues}
    tallies = [t for t in signals.tallies if start <= t.start and t.end <= end]
    counts = [
        c
        for c in signals.counts
        if start <= c.start and c.end <= end and c.relation not in ("body_size", "of_total")
    ]
    states = [s for s in signals.states if start <= s.start and s.end <= end and s.iso3 is not None]
    mention = Mention(sentence=(start, end), kind=None)
    mention.un_context = bool(signals.cues.get("forum"))
    mention.tally = tallies[0] if tallies else None
    mention.outcome = next(iter(cues.get("outcome", [])), None)
    mention.kind, mention.kind_cue = _kind(cues.get("kind", []), mention.tally, mention.outcome)
    counts += _elliptic_counts(signals.text, start, end, counts)
    picked = _pick_count(counts)
    if picked is None or picked.value is None:
        # "By Friday it carried 50, after ... and several African states joined": the total.
        picked = _growth_count(signals.text, start, end) or picked
    if mention.kind == "vote" and mention.tally is None:
        for count in counts:
            side = _minority_side(signals.text, count, cues.get("vote_role", []))
            if side is not None:
                mention.minorities.append((side, count))
        if picked is not None and any(picked is count for _, count in mention.minorities):
            picked = None  # "Four countries ... voted against": the no side, not the count
    mention.count = picked
    mention.list_cue = bool(cues.get("list"))
    if mention.kind_cue is not None:
        mention.rival = bool(
            _RIVAL.search(
                signals.text, max(start, mention.kind_cue.start - 12), mention.kind_cue.end
            )
        )
    for cue in cues.get("stance", []):
        weight = _stance_weight(signals.text, cue, states, target)
        mention.stance_votes[cue.value] = mention.stance_votes.get(cue.value, 0) + weight
    mention.forum = _pick_forum(signals.text, cues.get("forum", []), mention)
    mention.issues = cues.get("issue", [])
    mention.growth = bool(cues.get("growth")) or (
        mention.count is not None and mention.count.relation in ("increment", "growth")
    )
    mention.date = _pick_date(signals, start, end, mention.kind_cue)
    mention.lead, lead_via = _lead(signals.text, states, cues.get("lead", []), mention.kind)
    if mention.kind is None and (
        (mention.lead is not None and lead_via == "behalf")
        or (mention.count is not None and mention.count.relation == "on_behalf_of")
    ):
        mention.kind = "joint_statement"  # "Cuba on behalf of 52 countries welcomed ..."
    if (
        mention.kind is None
        and any(c.value in ("against", "abstain") for c in cues.get("vote_role", []))
        and states
    ):
        mention.kind = "vote"  # "Labing-apat naman ang kontra ...": who voted against
    if mention.kind == "individual_statements":
        mention.lead = None  # each state speaks for itself: no one delivers for the others
    mention.roles = _roles(signals.text, start, states, cues, mention, target)
    if _rebutted_by_target(mention, states, cues.get("negation", []), target):
        # "China's envoy refuted the comments made by X": X's action criticised the target.
        mention.stance_votes = {"criticize": 2}
    if mention.kind == "vote":
        # "supported by 141 members" is how a vote went, not a stance toward the target.
        mention.stance_votes.pop("support", None)
    return mention


ACTION = "action"  # reports an action: may open a new one
DETAIL = "detail"  # adds to an action reported elsewhere (a count with a stance, a list)
NOTHING = "nothing"


def classify(mention: Mention) -> str:
    """Does this sentence report a joint action, add detail to one, or neither?"""
    signatories = {s.iso3 for role, s in mention.roles if role == "signatory"}
    collective = (
        mention.count is not None
        or mention.lead is not None
        or mention.tally is not None
        or len(signatories) >= 2
    )
    if mention.kind == "vote":
        vetoed = mention.outcome is not None and "veto" in mention.outcome.text.casefold()
        if not (mention.un_context or mention.roles):
            return NOTHING  # a city council's 7-2 is not a vote between states
        if mention.tally is not None or (mention.outcome is not None and (collective or vetoed)):
            return ACTION
        if vetoed and mention.count is not None:
            return ACTION  # "11 of the 15 members voted for it ... and Russia used its veto"
        if mention.outcome is not None and mention.forum is not None:
            return DETAIL  # "The General Assembly voted on Wednesday to demand ...": when, where
        if any(role != "signatory" for role, _ in mention.roles):
            return DETAIL  # "Four countries joined Russia in voting against it": who voted how
        if mention.count is not None:
            return DETAIL  # "18 countries voted in favour, among them ...": the yes side
        return NOTHING
    if mention.kind is not None and collective:
        return ACTION
    if mention.kind == "individual_statements" and signatories and mention.un_context:
        return ACTION  # "the statement by Germany urging China to ...", in a UN debate
    if mention.count is not None and (mention.stance is not None or mention.list_cue):
        return DETAIL
    if signatories and (mention.list_cue or mention.kind is not None):
        return DETAIL
    return NOTHING


def _pick_forum(text: str, forums: list[Cue], mention: Mention) -> Cue | None:
    """The body the sentence sets the action in: the last one named before the action words
    ("Speaking in the Third Committee, X read out a statement"), else one named just after them
    ("a statement ... at the Third Committee"). One far after them is context ("... after
    Russia blocked action in the Security Council") and left to the document-level fallback."""
    anchors = [
        item.start for item in (mention.kind_cue, mention.count, mention.tally) if item is not None
    ]
    for forum in forums:
        if _VENUE_VERB.match(text, forum.end):
            return forum  # "The UN General Assembly voted to suspend Russia from the Council"
    outcome = mention.outcome
    if outcome is not None and "veto" in outcome.text.casefold():
        # "The full UNGA vote came after Russia vetoed a similar resolution in the Security
        # Council": a veto is cast where the body named after it sits.
        after = [f for f in forums if 0 <= f.start - outcome.end <= FORUM_WINDOW]
        if after:
            return after[0]
    if not anchors:
        return forums[0] if forums else None
    first = min(anchors)
    before = [f for f in forums if f.end <= first]
    if before:
        return before[-1]  # "Speaking in the Third Committee, X read out a statement ..."
    near = [f for f in forums if f.start - first <= FORUM_WINDOW]
    return near[0] if near else None


def _kind(
    kind_cues: list[Cue], tally: Tally | None, outcome: Cue | None
) -> tuple[str | None, Cue | None]:
    if tally is not None:
        vote_cue = next((c for c in kind_cues if c.value == "vote"), None)
        return "vote", vote_cue
    found = {c.value: c for c in reversed(kind_cues)}
    if "vote" in found and outcome is None and len(found) > 1:
        del found["vote"]  # "resolution" next to a letter or statement is not a recorded vote
    for kind in KIND_ORDER:
        if kind in found:
            return kind, found[kind]
    return None, None


def _rebutted_by_target(
    mention: Mention, states: list[StateMention], negations: list[Cue], target: str | None
) -> bool:
    """The target (or its envoy) rejects the action reported in this very sentence."""
    if target is None or mention.kind_cue is None:
        return False
    kind_at = mention.kind_cue.start
    rebuttals = [n for n in negations if n.value == "adversary" and n.end <= kind_at]
    return any(s.iso3 == target and s.end <= r.start for r in rebuttals for s in states)


def _stance_weight(text: str, cue: Cue, states: list[StateMention], target: str | None) -> int:
    """A stance word aimed at the target counts double: "urged Beijing to", "praised China's
    approach" say more about the action than "a decision advocates criticised on Sunday"."""
    if target is None:
        return 1
    for state in states:
        if state.iso3 == target and 0 <= state.start - cue.end <= TARGET_WINDOW:
            return 2
    return 1


def _elliptic_counts(
    text: str, start: int, end: int, counts: list[CountMention]
) -> list[CountMention]:
    """ "22 countries criticised China and 37 came to its defence": the second number borrows
    the first one's noun."""
    found = []
    for count in counts:
        if count.value is None:
            continue
        for match in _ELLIPTIC_NUMBER.finditer(text, count.end, end):
            value = int(match.group("n"))
            if 2 <= value <= MAX_STATES and value != count.value:
                found.append(
                    CountMention(
                        match.start("n"),
                        match.end("n"),
                        match.group("n"),
                        value,
                        "exact",
                        count.noun,
                        "elliptic",
                        None,
                    )
                )
        break
    return found


def _minority_side(text: str, count: CountMention, role_cues: list[Cue]) -> str | None:
    """ "voted_against" or "abstained" when this count is the number voting against or
    abstaining (the role cue after it in its clause says so), else None."""
    following = [
        c for c in role_cues if c.start >= count.end and _same_clause(text, count.end, c.start)
    ]
    if not following or following[0].value not in ("against", "abstain"):
        return None
    return "voted_against" if following[0].value == "against" else "abstained"


def _growth_count(text: str, start: int, end: int) -> CountMention | None:
    """ "the number rose to 50", "by Friday it carried 50": a later total without a noun."""
    match = _GROWTH_NUMBER.search(text, start, end)
    if match is None:
        return None
    value = int(match.group("n"))
    if not 2 <= value <= MAX_STATES:
        return None
    return CountMention(
        match.start("n"), match.end("n"), match.group("n"), value, "exact", "", "growth", None
    )


def _pick_count(counts: list[CountMention]) -> CountMention | None:
    """The count the sentence is about: "on behalf of N" first, then the first with a value."""
    for relation in ("on_behalf_of", "along_with", "and_others"):
        for count in counts:
            if count.relation == relation:
                return count
    with_value = [c for c in counts if c.value is not None]
    return with_value[0] if with_value else (counts[0] if counts else None)


def _pick_date(signals: Signals, start: int, end: int, kind_cue: Cue | None) -> DateMention | None:
    """The resolved day or month nearest the kind cue; a year alone does not date an action."""
    inside = [
        d
        for d in signals.dates
        if start <= d.start
        and d.end <= end
        and d.granularity in ("day", "month")
        and not _DATELINE_TAIL.match(signals.text, d.end)
    ]
    if not inside:
        return None
    pivot = kind_cue.start if kind_cue is not None else start
    return min(inside, key=lambda d: abs(d.start - pivot))


def _lead(
    text: str, states: list[StateMention], lead_cues: list[Cue], kind: str | None
) -> tuple[StateMention | None, str | None]:
    """The state that delivered the action for the group, and the kind of cue that says so."""
    for cue in lead_cues:
        if cue.value == "delivers" and kind in ("joint_statement", "letter"):
            speaker = _speaker_before(text, states, cue.start)
            if speaker is not None and speaker.form != "capital":
                return speaker, "delivers"
        if cue.value == "behalf":
            before = [s for s in states if s.end <= cue.start and cue.start - s.end <= LEAD_WINDOW]
            before = [s for s in before if "." not in text[s.end : cue.start]]
            if before:
                return before[-1], "behalf"
            after = [s for s in states if s.start >= cue.end]
            mine = [s for s in after if _MY_COUNTRY.search(text[cue.end : s.start])]
            if mine:
                return mine[0], "behalf"
        elif cue.value == "by":
            after = [s for s in states if s.start >= cue.end and s.start - cue.end <= 6]
            if after and not _names_several(text, after[0], states):
                return after[0], "by"
    for state in states:
        if _VOICE_NOUN.match(text[state.end : state.end + 40]) and any(
            c.value == "behalf" for c in lead_cues
        ):
            return state, "behalf"
    return None, None


def _names_several(text: str, first: StateMention, states: list[StateMention]) -> bool:
    """ "proposed by Germany and Iceland": co-sponsors, so no single lead."""
    return any(
        s.start > first.end and _LIST_GLUE.fullmatch(text, first.end, s.start) for s in states
    )


def _speaker_before(text: str, states: list[StateMention], position: int) -> StateMention | None:
    """The state delivering: "Canada delivered", "France's UN Ambassador read out",
    "the Permanent Representative of Canada ... delivered"."""
    before = [s for s in states if s.end <= position and position - s.end <= LEAD_WINDOW + 20]
    for state in reversed(before):
        between = text[state.end : position]
        if "." in between.replace("U.N.", "UN"):
            continue
        if not between.strip() or _VOICE_NOUN.match(between):
            return state
        if re.search(
            r"(?:representative|ambassador|delegation|envoy) of\s*$",
            text[max(0, state.start - 40) : state.start],
            re.I,
        ):
            return state
    return None


def _roles(
    text: str,
    sentence_start: int,
    states: list[StateMention],
    cues: dict[str, list[Cue]],
    mention: Mention,
    target: str | None,
) -> list[tuple[str, StateMention]]:
    """Each participating state with its role: signatory, voted_against or abstained."""
    negations = cues.get("negation", [])
    role_cues = [c for c in cues.get("vote_role", [])]
    roles: list[tuple[str, StateMention]] = []
    for state in states:
        if state.form not in PARTICIPANT_FORMS and state is not mention.lead:
            continue
        if (
            _POSSESSIVE.match(text[state.end : state.end + 2])
            and state is not mention.lead
            and not _VOICE_NOUN.match(text[state.end : state.end + 40])
        ):
            continue  # "China's policies": whose, not who; "Pakistan's representative" speaks
        if LOCATIVE.search(text[max(sentence_start, state.start - 40) : state.start]):
            continue
        if _COMPLEMENT.search(text[max(sentence_start, state.start - 30) : state.start]):
            continue  # "the invasion of Ukraine", "troops in Syria": a place or object, not a party
        if any(_blocks(text, n, state, cues.get("kind", [])) for n in negations):
            continue
        if any(_refuses(text, state, n) for n in negations):
            continue
        role = "signatory"
        if _sponsored_by(text, state, states, cues.get("lead", [])):
            roles.append((role, state))  # "proposed by Germany, Luxembourg": sponsors
            continue
        if mention.kind == "vote" or mention.tally is not None:
            previous = roles[-1] if roles else None
            if previous is not None and _LIST_GLUE.fullmatch(text, previous[1].end, state.start):
                role = previous[0]  # the next item of the same list keeps its role
            else:
                role = _subject_role(text, state, states, role_cues) or _vote_role(
                    text, state, role_cues
                )
        if role == "signatory" and state.iso3 == target:
            continue
        roles.append((role, state))
    return roles


def _blocks(text: str, negation: Cue, state: StateMention, kind_cues: list[Cue]) -> bool:
    """Does a negation ("but not", "refuted") keep this state out of the action? Not when the
    action itself stands between them: in "refuted the comments made by X", X made them."""
    if negation.value == "refusal":
        return False  # "did not join" looks back at the state before it: see _refuses
    if negation.end > state.start or not _same_clause(text, negation.end, state.start):
        return False
    return not any(negation.end <= k.start < state.start for k in kind_cues)


def _refuses(text: str, state: StateMention, negation: Cue) -> bool:
    """ "X did not join", "X declined to sign", "X withdrew": the state right before the cue."""
    return (
        negation.value == "refusal"
        and 0 <= negation.start - state.end <= REFUSAL_WINDOW
        and _same_clause(text, state.end, negation.start)
    )


def _same_clause(text: str, start: int, end: int) -> bool:
    return _CLAUSE_BREAK.search(text[start:end]) is None


def _sponsored_by(
    text: str, state: StateMention, states: list[StateMention], lead_cues: list[Cue]
) -> bool:
    """Is the state in the list right after "proposed by", "tabled by", "presentada por"?"""
    for cue in lead_cues:
        if cue.value != "by" or cue.end > state.start:
            continue
        between = text[cue.end : state.start]
        for other in states:
            if cue.end <= other.start and other.end <= state.start:
                between = between.replace(other.text, " ", 1)
        if _LIST_GAP.fullmatch(between):
            return True
    return False


def _subject_role(
    text: str, state: StateMention, states: list[StateMention], role_cues: list[Cue]
) -> str | None:
    """ "China, India and the UAE abstained", "and Russia used its veto": a list of states that
    is the subject of a vote-role verb takes that role, whatever came before it."""
    for cue in role_cues:
        if cue.start < state.end:
            continue
        between = text[state.end : cue.start]
        for other in states:
            if state.end <= other.start and other.end <= cue.start:
                between = between.replace(other.text, " ", 1)
        if _SUBJECT_GAP.fullmatch(between):
            if cue.value == "favour":
                return "signatory"
            return "voted_against" if cue.value == "against" else "abstained"
        return None
    return None


def _vote_role(text: str, state: StateMention, role_cues: list[Cue]) -> str:
    """The role of the nearest vote-role cue before the state in its clause, else after it;
    a cue further than ROLE_WINDOW away says nothing about this state (lists carry a role on
    from their first item, see _roles)."""
    before = [
        c
        for c in role_cues
        if c.end <= state.start
        and state.start - c.end <= ROLE_WINDOW
        and _same_clause(text, c.end, state.start)
    ]
    after = [
        c
        for c in role_cues
        if c.start >= state.end
        and c.start - state.end <= ROLE_WINDOW
        and _same_clause(text, state.end, c.start)
    ]
    cue = before[-1] if before else (after[0] if after else None)
    if cue is None or cue.value == "favour":
        return "signatory"
    return "voted_against" if cue.value == "against" else "abstained"
