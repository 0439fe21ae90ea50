"""Joint actions: merge sentence mentions into one document's reports of joint actions.

Stages, in the order they run:
1. target: the state whose policy is at issue (from issue cues such as "Xinjiang", else the state
   the document names most often);
2. mentions: every sentence that reports an action (`mentions.classify`), and the sentences that
   add detail to one: a count with a stance ("Dozens of countries on Tuesday opposed ...") joins
   the nearest compatible action; a list of states ("Australia, Canada and Japan were among
   them") joins the action reported just before;
3. merge: a mention joins the latest compatible action (same kind and stance, compatible count,
   lead, date, forum); an incompatible larger count with a growth cue ("another 13", "as of",
   "more had joined") becomes a new report linked by `update_of`;
4. fill: stance and forum fall back to the document when the action's sentences are silent;
5. write: fields and evidence spans mapped to the original text.

No rule here names a state, an article or an issue: states come from the gazetteer, words from
the cue lexicon (`nlp/patterns/action_cues.tsv`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from blocwatch.extract.clauses import read_sentence
from blocwatch.extract.context import (
    infer_target,
    mentions_another_time,
    nearest_forum,
    set_the_scene,
    sets_scene,
    share_session_dates,
)
from blocwatch.extract.mentions import ACTION, DETAIL, NOTHING, Mention, classify
from blocwatch.extract.report import build_report
from blocwatch.extract.signals import Signals
from blocwatch.model import Article, JointActionReport

# A list of states without a list cue belongs to the action reported at most this many characters
# before it (about two sentences).
LIST_FOLLOW_CHARS = 400

# Sentences after an action's report that may still be about it ("The letter praises ...").
CONTEXT_SENTENCES = 3

# A sentence that starts by referring back to the action or its signatories.
_REFERS_BACK = re.compile(
    r"\s*(?:It|They|The (?:countries|states|signatories|group|ambassadors|envoys|text|"
    r"statement|letter|resolution)|These (?:countries|states))\b"
)

# Approximate counts: how far "nearly N" / "about N" may be from an exact count of the same action.
NEARLY_RANGE = 0.2

# "more than 30" is rarely more than half as many again: "more than 20" is not "some 50".
OPEN_RANGE = 1.5

ABOUT_RANGE = 0.1


@dataclass
class _Action:
    mentions: list[Mention] = field(default_factory=list)
    extra_roles: list[Mention] = field(default_factory=list)  # list sentences that follow
    context: list[Mention] = field(default_factory=list)  # sentences that go on about it
    scene: Mention | None = None  # the sentence that says when its debate took place
    update_of: _Action | None = None
    increment_base: Mention | None = None  # the earlier count an "another 13" adds to

    @property
    def first(self) -> int:
        return self.mentions[0].sentence[0]

    def field(self, name: str) -> object:
        for mention in self.mentions:
            value = getattr(mention, name)
            if value is not None:
                return value
        return None

    @property
    def kind(self) -> str | None:
        kinds = [m.kind for m in self.mentions if m.kind]
        return kinds[0] if kinds else None

    @property
    def own_stance(self) -> str | None:
        """The stance the action's own sentences give (what merging compares)."""
        return _majority(self.mentions)

    @property
    def stance(self) -> str | None:
        """From the action's own sentences; when they are silent or split, from the sentences
        that go on about it ("The letter praises ...")."""
        return self.own_stance or _majority(self.mentions + self.context)

    def best_count(self) -> Mention | None:
        """The mention with the most precise count: exact beats approximate beats none."""
        ranked = [m for m in self.mentions if m.count is not None]
        ranked.sort(key=_precision)
        return ranked[0] if ranked else None


def _majority(mentions: list[Mention]) -> str | None:
    """The stance most cue weight points to; None on a tie. Over the whole document it is the
    fallback for an action whose own sentences are mute."""
    votes: Counter[str] = Counter()
    for mention in mentions:
        votes.update(mention.stance_votes)
    if votes["support"] == votes["criticize"]:
        return None
    return "support" if votes["support"] > votes["criticize"] else "criticize"


def _precision(mention: Mention) -> tuple[bool, bool, bool]:
    """Sort key: a number before none, a whole count before a part, exact before approximate."""
    count = mention.count
    if count is None:
        return (True, True, True)
    return (count.value is None, count.relation == "and_others", count.qualifier != "exact")


def extract_joint_actions(article: Article, signals: Signals) -> tuple[JointActionReport, ...]:
    """All joint actions one document reports, in the order the gold schema lists them."""
    reports = _extract(article, signals, infer_target(signals))
    parties = frozenset(
        ref.iso3 for report in reports for ref in report.states if ref.role in ("lead", "signatory")
    )
    if reports and reports[0].target in parties:
        # The state we took for the target is one of the parties: read again without it.
        reports = _extract(article, signals, infer_target(signals, parties))
    return reports


def _extract(
    article: Article, signals: Signals, target: str | None
) -> tuple[JointActionReport, ...]:
    actions: list[_Action] = []
    details: list[Mention] = []
    current: _Action | None = None
    followed = 0
    all_mentions: list[Mention] = []
    scenes: list[Mention] = []
    for index in range(len(signals.sentences)):
        for mention in read_sentence(signals, index, target):
            all_mentions.append(mention)
            verdict = classify(mention)
            if verdict == ACTION:
                _place(mention, actions)
                current = next(a for a in actions if mention in a.mentions)
                followed = 0
            elif verdict == DETAIL:
                details.append(mention)
            if verdict != ACTION and sets_scene(mention):
                scenes.append(mention)
            if verdict != NOTHING:
                continue
            if current is not None and followed < CONTEXT_SENTENCES:
                followed += 1
                start, end = mention.sentence
                if mention.kind_cue is not None or _REFERS_BACK.match(signals.text, start, end):
                    current.context.append(mention)
    for mention in details:
        _attach(mention, actions)
    for action in actions:
        set_the_scene(action, scenes, signals)
    actions = [a for a in actions if a.kind is not None]
    for action in actions:
        if action.update_of is not None and action.update_of not in actions:
            action.update_of = None
    _resolve_increments(actions)
    ordered = _order(actions)
    doc_stance = _majority(all_mentions)
    reports = [
        build_report(
            article,
            signals,
            action,
            i,
            ordered,
            target,
            doc_stance,
            nearest_forum(signals, action.first),
        )
        for i, action in enumerate(ordered)
    ]
    historical = [mentions_another_time(signals, action) for action in ordered]
    return tuple(share_session_dates(reports, historical))


def _attach(mention: Mention, actions: list[_Action]) -> None:
    """Add a detail sentence to the action it belongs to, if one is clear."""
    position = mention.sentence[0]
    vague = mention.count is None or mention.count.value is None
    if vague and mention.roles and (mention.list_cue or mention.kind is None):
        # A list of states: the action reported last before it (a list cue reaches further).
        latest = {
            id(a): max((m.sentence[0] for m in a.mentions if m.sentence[0] < position), default=-1)
            for a in actions
        }
        before = [a for a in actions if latest[id(a)] >= 0]
        if not before:
            # A lead-in that names states before the action is reported ("Qatar has withdrawn
            # from a July letter ..."): it belongs to the first action of its kind.
            same_kind = [a for a in actions if mention.kind is not None and a.kind == mention.kind]
            if same_kind:
                same_kind[0].extra_roles.append(mention)
                same_kind[0].context.append(mention)
            return
        owner = max(before, key=lambda a: latest[id(a)])
        if mention.list_cue or position - latest[id(owner)] <= LIST_FOLLOW_CHARS:
            owner.extra_roles.append(mention)
        return
    candidates = [a for a in actions if _compatible(a, mention, detail=True)]
    if candidates:
        # A sentence naming who voted how or who signed continues an action already
        # reported; a count with a stance may also announce the next one.
        looks_back = bool(mention.roles)
        nearest = min(
            candidates,
            key=lambda a: (
                looks_back and a.first > position,
                min(abs(m.sentence[0] - position) for m in a.mentions),
            ),
        )
        if not mention.list_cue and mention.kind is None:
            mention.roles = []  # a count with a stance names its own side only in a list
        if mention.kind == "vote" and not mention.list_cue:
            # "The Assembly voted to denounce Russia for invading Ukraine": the states named
            # in a vote's when-and-where sentence are its subject, not its voters.
            mention.roles = [(role, state) for role, state in mention.roles if role != "signatory"]
        nearest.mentions.append(mention)
        nearest.mentions.sort(key=lambda m: m.sentence[0])


def _place(mention: Mention, actions: list[_Action]) -> None:
    """Join the latest compatible action, open an update of it, or open a new action. A rival
    ("a counter-letter", "a rival statement") is never the action reported before it."""
    if mention.rival:
        actions.append(_Action(mentions=[mention]))
        return
    for action in reversed(actions):
        if _compatible(action, mention):
            action.mentions.append(mention)
            return
    for i in range(len(actions) - 1, -1, -1):
        if _is_update(actions[i], mention):
            actions.append(_Action(mentions=[mention], update_of=actions[i]))
            return
    actions.append(_Action(mentions=[mention]))


def _compatible(action: _Action, mention: Mention, detail: bool = False) -> bool:
    if mention.kind is not None and action.kind is not None and mention.kind != action.kind:
        return False
    if detail and action.kind is None:
        return False
    # A detail (a lead-in, a list) is weighed against what the action's own sentences say; a
    # second report of an action also against the sentences that went on about it.
    stance = action.own_stance if detail else action.stance
    if mention.stance and stance and mention.stance != stance:
        return False
    if mention.growth and mention.count is not None:
        return False
    checks: Iterable[tuple[object, object]] = (
        (_value(action.field("lead")), _value(mention.lead)),
        (_date(action.field("date")), _date(mention.date)),
        (_cue_value(action.field("forum")), _cue_value(mention.forum)),
        (_cue_value(action.field("outcome")), _cue_value(mention.outcome)),  # adopted ≠ vetoed
    )
    if any(a is not None and b is not None and a != b for a, b in checks):
        return False
    if mention.tally is not None and action.field("tally") not in (None, mention.tally):
        tally = action.field("tally")
        return (getattr(tally, "yes", None), getattr(tally, "no", None)) == (
            mention.tally.yes,
            mention.tally.no,
        )
    return all(_counts_agree(m, mention) for m in action.mentions)


def _counts_agree(a: Mention, b: Mention) -> bool:
    """Can two counts describe the same action at the same time? ("nearly two dozen" and 22.)"""
    yes_a = a.tally.yes if a.tally is not None else None
    yes_b = b.tally.yes if b.tally is not None else None
    value_a = a.count.value if a.count is not None else None
    value_b = b.count.value if b.count is not None else None
    if (
        (yes_a or value_a) is not None
        and (yes_b or value_b) is not None
        and (yes_a is not None or yes_b is not None)
    ):
        return (yes_a or value_a) == (yes_b or value_b)  # a vote's "yes" is its count
    if a.count is None or b.count is None or a.count.value is None or b.count.value is None:
        return True
    x, y = a.count, b.count
    xv, yv = a.count.value, b.count.value
    if xv == yv:
        return True
    # "Finland delivered it on behalf of 30 states" and "31 states": the lead plus the 30.
    if (x.relation == "on_behalf_of" and yv == xv + 1) or (
        y.relation == "on_behalf_of" and xv == yv + 1
    ):
        return True
    # "X, Y and 47 other nations" counts only the unnamed part: any larger total fits.
    if (x.relation == "and_others" and yv > xv) or (y.relation == "and_others" and xv > yv):
        return True
    return _within(x.qualifier, xv, yv) or _within(y.qualifier, yv, xv)


def _within(qualifier: str | None, approx: int | None, exact: int | None) -> bool:
    if approx is None or exact is None:
        return True
    if qualifier == "nearly":
        return approx * (1 - NEARLY_RANGE) <= exact < approx
    if qualifier == "about":
        return abs(exact - approx) <= max(1, approx * ABOUT_RANGE)
    if qualifier == "more_than":
        return approx < exact <= approx * OPEN_RANGE
    if qualifier == "at_least":
        return approx <= exact <= approx * OPEN_RANGE
    return qualifier == "dozens" and exact >= 24


def _is_update(action: _Action, mention: Mention) -> bool:
    """A later, larger count of the same action ("37" then "as of July 26 ... 50")."""
    if action.kind != mention.kind or mention.count is None:
        return False
    if mention.stance and action.own_stance and mention.stance != action.own_stance:
        return False
    best = action.best_count()
    if best is None or best.count is None or best.count.value is None:
        return False
    if mention.count.relation == "increment":
        return True
    return mention.growth and (mention.count.value or 0) > best.count.value


def _resolve_increments(actions: list[_Action]) -> None:
    """ "another 13 countries signed" after (or before) "37 countries signed": an update to 50."""
    for i, action in enumerate(actions):
        counted = action.best_count()
        if counted is None or counted.count is None or counted.count.relation != "increment":
            continue
        base = next(
            (
                j
                for j, other in enumerate(actions)
                if j != i
                and other.kind == action.kind
                and _base_count(other) is not None
                and (other.stance is None or action.stance is None or other.stance == action.stance)
            ),
            None,
        )
        if base is not None:
            action.update_of = actions[base]
            action.increment_base = actions[base].best_count()


def _base_count(action: _Action) -> int | None:
    best = action.best_count()
    if best is None or best.count is None or best.count.relation == "increment":
        return None
    return best.count.value


def _order(actions: list[_Action]) -> list[_Action]:
    """First-mention order, except that an update always comes after what it updates."""
    ordered = sorted(actions, key=lambda a: a.first)
    for action in list(ordered):
        if action.update_of is None:
            continue
        base = action.update_of
        if base in ordered and ordered.index(base) > ordered.index(action):
            ordered.remove(action)
            ordered.insert(ordered.index(base) + 1, action)
    return ordered


def _value(mention: object) -> str | None:
    return getattr(mention, "iso3", None)


def _date(mention: object) -> str | None:
    return getattr(mention, "value", None)


def _cue_value(cue: object) -> str | None:
    return getattr(cue, "value", None)
