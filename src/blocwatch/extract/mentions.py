"""Reading one span of text (a sentence or a clause) into a mention of a joint action.

A *mention* is one sentence's account of an action: its kind, count, lead, stance, forum, date,
issue and the states it names in each role. `clauses.read_sentence` splits sentences that report
several actions; `joint_actions` merges mentions of the same action. Every field keeps the
clean-text span it came from.

Stages for each span (in order):
1. cues, counts, tallies, states and dates inside the span;
2. the kind: a tally or a vote outcome makes a vote; otherwise the strongest kind cue;
3. the count, stance (cues aimed at the target weigh double), forum (where the action is set);
4. the lead state and the roles of the states named (`roles`);
5. `classify`: does it report an action, add detail to one, or neither.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from blocwatch.extract.roles import assign_roles, find_lead, same_clause
from blocwatch.extract.signals import Signals
from blocwatch.nlp.counts import CountMention
from blocwatch.nlp.cues import Cue
from blocwatch.nlp.dates import DateMention
from blocwatch.nlp.states import StateMention
from blocwatch.nlp.tallies import Tally

# Kinds by strength when a sentence carries several cues.
KIND_ORDER = ("vote", "joint_statement", "letter", "individual_statements")

# A body that is the subject of the vote verb is where the vote took place.
_VENUE_VERB = re.compile(
    r"\s*(?:\([^)]{1,20}\)\s*)?(?:has |have |had |on \w+ |today |on Thursday )?"
    r"(?:voted|adopted|approved|passed|rejected|a adopté|adoptó|aprobó|ha aprobado|pinaburan)\b",
    re.I,
)

# A forum this far (characters) from the action words in its sentence describes something else.
FORUM_WINDOW = 45

_RIVAL = re.compile(r"\b(?:counter-?|rival |competing |opposing )", re.I)

# A bare number in a clause parallel to a count ("and 37 came to its defence"): a verb follows.
_ELLIPTIC_NUMBER = re.compile(
    r"\b(?:and|while|whereas|but)\s+(?P<n>\d{1,3})\s+(?=(?:came|signed|backed|supported|"
    r"joined|opposed|voted|sided|defended|rallied|stood|took|did|were|had|have)\b)",
    re.I,
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
    counts += elliptic_counts(signals.text, start, end, counts)
    picked = _pick_count(counts)
    if picked is None or picked.value is None:
        # "By Friday it carried 50, after ... and several African states joined": the total.
        picked = growth_count(signals.text, start, end) or picked
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
    mention.lead, lead_via = find_lead(signals.text, states, cues.get("lead", []), mention.kind)
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
    vote = mention.kind == "vote" or mention.tally is not None
    mention.roles = assign_roles(signals.text, start, states, cues, mention.lead, vote, target)
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


def elliptic_counts(
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
        c for c in role_cues if c.start >= count.end and same_clause(text, count.end, c.start)
    ]
    if not following or following[0].value not in ("against", "abstain"):
        return None
    return "voted_against" if following[0].value == "against" else "abstained"


def growth_count(text: str, start: int, end: int) -> CountMention | None:
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
