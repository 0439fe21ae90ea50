"""What a document says around its actions: the target state, the debate's date and forum.

These read the whole document rather than one sentence: which state the document treats as the
object of the actions, where and when the debate took place ("Developing countries on Tuesday made
statements ... at the Third Committee"), and which statements share that sitting's date.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from typing import TYPE_CHECKING

from blocwatch.extract.mentions import Mention
from blocwatch.extract.roles import LOCATIVE
from blocwatch.extract.signals import Signals
from blocwatch.model import JointActionReport
from blocwatch.nlp.cues import Cue

if TYPE_CHECKING:
    from blocwatch.extract.joint_actions import _Action

# Words that place an action at another time than the debate being reported.
_ELSEWHERE_IN_TIME = re.compile(
    r"\b(?:last|previous|a) year\b|\bin (?:19|20)\d\d\b|\bprevious(?:ly)?\b|"
    r"\bearlier\b(?! (?:at|in|during) the same (?:meeting|session|debate|sitting))|"
    r"\bago\b|\blater\b",
    re.I,
)

# Kinds delivered in a debate: all statements made in one sitting share its date. A letter is
# sent on its own day, and a vote is dated by its own report.
SESSION_KINDS = frozenset({"joint_statement", "individual_statements"})

# Words around a state that make it the object of the action, not a party to it.
_OBJECT_AFTER = re.compile(
    r"['’]s?\s+(?:\w+\s+)?(?:government|authorities|policy|policies|"
    r"invasion|crackdown|treatment|record|actions?|situation|offensive)\b|['’]s\b",
    re.I,
)

_OBJECT_BEFORE = re.compile(
    r"(?:\b(?:on|against|toward|towards|denounce[sd]?|condemn(?:s|ed)?|urg(?:e|es|ed)|"
    r"call(?:s|ed)? on|suspend|demand(?:s|ed)? that)|"
    r"\b(?:situation|situación|situação|violations?|violaciones|violações|abuses|crisis|crise|"
    r"rights|humanos|humanos|government|gobierno|governo|gouvernement|régimen|regime)"
    r"(?: actual)? (?:in|en|em|au|of|de|del|do|du|na|no))\s+(?:the\s+)?$",
    re.I,
)


def infer_target(signals: Signals, exclude: frozenset[str] = frozenset()) -> str | None:
    """The state whose policy is at issue: named by issue cues ("Xinjiang"), else the state the
    document treats as an object: "Russia's invasion", "denounce Russia", "a resolution on
    Iran", "calls on Iran to" weigh more than a bare mention. `exclude`: states known to be
    taking part, which are not the target."""
    by_issue = Counter(
        c.value.split("|")[1] for c in signals.cues.get("issue", ()) if "|" in c.value
    )
    if by_issue:
        return by_issue.most_common(1)[0][0]
    stance_ends = [c.end for c in signals.cues.get("stance", ())]
    scores: Counter[str] = Counter()
    for state in signals.states:
        if not state.iso3 or state.iso3 in exclude:
            continue
        if LOCATIVE.search(signals.text, max(0, state.start - 40), state.start):
            continue  # "in Geneva, Switzerland": where, not whom
        score = 1
        if _OBJECT_AFTER.match(signals.text, state.end):
            score += 2
        if _OBJECT_BEFORE.search(signals.text, max(0, state.start - 25), state.start):
            score += 2
        if any(0 <= state.start - end <= 25 for end in stance_ends):
            score += 3
        scores[state.iso3] += score
    return scores.most_common(1)[0][0] if scores else None


def mentions_another_time(signals: Signals, action: _Action) -> bool:
    """Does the action's own text place it at another time ("in 2016", "days earlier")?"""
    return any(
        d.granularity == "year" and start <= d.start < end
        for start, end in (m.sentence for m in action.mentions)
        for d in signals.dates
    ) or any(_ELSEWHERE_IN_TIME.search(signals.text, *m.sentence) for m in action.mentions)


def share_session_dates(
    reports: list[JointActionReport], historical: list[bool]
) -> list[JointActionReport]:
    """Actions reported from one debate share its date: when every dated action in a forum has
    the same day, an undated action in that forum (not placed in another year) takes it."""
    days: dict[str, dict[str, JointActionReport]] = {}
    for report in reports:
        if report.kind in SESSION_KINDS and report.forum and report.date and len(report.date) == 10:
            days.setdefault(report.forum, {})[report.date] = report
    shared = []
    for report, elsewhere in zip(reports, historical, strict=True):
        same_forum = days.get(report.forum or "", {})
        if (
            report.date is None
            and report.kind in SESSION_KINDS
            and len(same_forum) == 1
            and not elsewhere
        ):
            ((day, source),) = same_forum.items()
            evidence = [e for e in source.evidence if e.field == "date"]
            report = replace(
                report,
                date=day,
                date_text=source.date_text,
                date_method="same_session",
                evidence=report.evidence + tuple(evidence),
            )
        shared.append(report)
    return shared


def sets_scene(mention: Mention) -> bool:
    """A sentence that says where and when a debate took place ("Developing countries on
    Tuesday made statements ... at the Third Committee")."""
    return (
        mention.forum is not None and mention.date is not None and mention.date.granularity == "day"
    )


def set_the_scene(action: _Action, scenes: list[Mention], signals: Signals) -> None:
    """A statement made in a debate without its own date takes the date of the scene-setting
    sentence before it, unless its own words place it at another time."""
    if action.kind not in SESSION_KINDS or mentions_another_time(signals, action):
        return
    if any(m.date is not None for m in action.mentions):
        return
    before = [scene for scene in scenes if scene.sentence[0] < action.first]
    if before and before[-1] not in action.mentions:
        action.scene = before[-1]


def nearest_forum(signals: Signals, position: int) -> Cue | None:
    """The forum named last before the action (the debate it belongs to), else first after it."""
    forums = signals.cues.get("forum", ())
    before = [c for c in forums if c.start < position]
    if before:
        return before[-1]
    return forums[0] if forums else None
