"""Who takes part in an action, and how: the lead state and the role of each state named.

The lead delivers the action for the group ("Cuba, on behalf of 64 countries", "delivered by
Poland"); the others are signatories, or in a vote voted_against / abstained. A state named in a
sentence is not always a party: "the invasion of Ukraine" (an object), "in Geneva, Switzerland"
(a place), "but not the United States" (excluded), "China's policies" (whose, not who).
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from blocwatch.nlp.cues import Cue, bounded
from blocwatch.nlp.states import StateMention

# A lead state stands this close to its cue ("Cuba on behalf of", "Belarus made a joint statement
# on behalf of": 35 characters).
LEAD_WINDOW = 60

# Forms of a state mention that name a participant; demonyms and capitals are voices or places.
PARTICIPANT_FORMS = frozenset({"name", "short", "abbreviation", "translated"})

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

# "Qatar has withdrawn its signature from ...": cues in `nlp/patterns/withdrawal_cues.tsv`.
WITHDRAWAL_FILE = "withdrawal_cues.tsv"
# How far after a state its withdrawal cue may start ("Qatar has since quietly withdrawn",
# "Saudi Arabia, Kuwait and Oman withdrew"): as far as a refusal, plus a short list of states.
WITHDRAWAL_WINDOW = 60
# Between a state (or a list of them) and its withdrawal cue: list glue, auxiliaries, adverbs,
# a relative pronoun ("Qatar, which withdrew its signature").
_WITHDRAWAL_GAP = re.compile(
    r"(?:\s|,|;|\b(?:and|y|et|e|the|has|have|had|since|later|then|quietly|also|now|already|"
    r"subsequently|which|who|that|ha|han|luego|después|a|ont|ensuite|depuis|qui)\b)*",
    re.I,
)

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


def find_lead(
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


def assign_roles(
    text: str,
    sentence_start: int,
    states: list[StateMention],
    cues: dict[str, list[Cue]],
    lead: StateMention | None,
    vote: bool,
    target: str | None,
) -> list[tuple[str, StateMention]]:
    """Each participating state with its role: signatory, voted_against or abstained; a state
    that withdrew its name is listed twice, as signatory and as withdrawn."""
    negations = cues.get("negation", [])
    role_cues = [c for c in cues.get("vote_role", [])]
    roles: list[tuple[str, StateMention]] = []
    for state in states:
        if state.form not in PARTICIPANT_FORMS and state is not lead:
            continue
        if (
            _POSSESSIVE.match(text[state.end : state.end + 2])
            and state is not lead
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
        if vote:
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
        if withdraws(text, state, states):
            roles.append(("withdrawn", state))  # it signed, then took its name off
    return roles


@lru_cache(maxsize=1)
def _withdrawal_cues() -> tuple[re.Pattern[str], ...]:
    """The withdrawal cues of every language (a state's name before them is in any language)."""
    text = resources.files("blocwatch.nlp.patterns").joinpath(WITHDRAWAL_FILE).read_text("utf-8")
    patterns = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) < 2:
            raise ValueError(f"{WITHDRAWAL_FILE}:{number}: expected lang, regex, note: {line!r}")
        patterns.append(re.compile(bounded(fields[1]), re.IGNORECASE))
    return tuple(patterns)


def withdraws(text: str, state: StateMention, states: list[StateMention]) -> bool:
    """Does the text say this state withdrew from the action ("X withdrew its signature",
    "X and Y pulled out of the statement")? Only list glue and auxiliaries may stand between."""
    for pattern in _withdrawal_cues():
        cue = pattern.search(text, state.end, state.end + WITHDRAWAL_WINDOW + 80)
        if cue is None or cue.start() - state.end > WITHDRAWAL_WINDOW:
            continue
        if _WITHDRAWAL_GAP.fullmatch(_without_states(text, state.end, cue.start(), states)):
            return True
    return False


def _blocks(text: str, negation: Cue, state: StateMention, kind_cues: list[Cue]) -> bool:
    """Does a negation ("but not", "refuted") keep this state out of the action? Not when the
    action itself stands between them: in "refuted the comments made by X", X made them."""
    if negation.value == "refusal":
        return False  # "did not join" looks back at the state before it: see _refuses
    if negation.end > state.start or not same_clause(text, negation.end, state.start):
        return False
    return not any(negation.end <= k.start < state.start for k in kind_cues)


def _refuses(text: str, state: StateMention, negation: Cue) -> bool:
    """ "X did not join", "X declined to sign", "X withdrew": the state right before the cue."""
    return (
        negation.value == "refusal"
        and 0 <= negation.start - state.end <= REFUSAL_WINDOW
        and same_clause(text, state.end, negation.start)
    )


def same_clause(text: str, start: int, end: int) -> bool:
    return _CLAUSE_BREAK.search(text[start:end]) is None


def _without_states(text: str, start: int, end: int, states: list[StateMention]) -> str:
    """text[start:end] with each state named inside it blanked: what is left is the glue."""
    pieces, at = [], start
    for other in states:
        if start <= other.start and other.end <= end:
            pieces.append(text[at : other.start])
            at = other.end
    pieces.append(text[at:end])
    return " ".join(pieces)


def _sponsored_by(
    text: str, state: StateMention, states: list[StateMention], lead_cues: list[Cue]
) -> bool:
    """Is the state in the list right after "proposed by", "tabled by", "presentada por"?"""
    for cue in lead_cues:
        if cue.value != "by" or cue.end > state.start:
            continue
        if _LIST_GAP.fullmatch(_without_states(text, cue.end, state.start, states)):
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
        if _SUBJECT_GAP.fullmatch(_without_states(text, state.end, cue.start, states)):
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
        and same_clause(text, c.end, state.start)
    ]
    after = [
        c
        for c in role_cues
        if c.start >= state.end
        and c.start - state.end <= ROLE_WINDOW
        and same_clause(text, state.end, c.start)
    ]
    cue = before[-1] if before else (after[0] if after else None)
    if cue is None or cue.value == "favour":
        return "signatory"
    return "voted_against" if cue.value == "against" else "abstained"
