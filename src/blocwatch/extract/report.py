"""Turn a merged action into a `JointActionReport` whose evidence points into the original text."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

from blocwatch.extract.mentions import Mention
from blocwatch.extract.signals import Signals
from blocwatch.model import Article, Evidence, JointActionReport, StateRef
from blocwatch.nlp.counts import CountMention
from blocwatch.nlp.cues import Cue
from blocwatch.nlp.dates import DateMention
from blocwatch.nlp.states import StateMention
from blocwatch.nlp.tallies import Tally

if TYPE_CHECKING:
    from blocwatch.extract.joint_actions import _Action

# The order the schema lists several issues in ("Xinjiang, Hong Kong, Tibet").
ISSUE_ORDER = ("Xinjiang", "Hong Kong", "Tibet")


class EvidenceWriter:
    """Maps clean-text spans to `Evidence` on the original text."""

    def __init__(self, article: Article) -> None:
        self._article = article

    def __call__(self, start: int, end: int, field: str) -> Evidence:
        original_start, original_end = self._article.offsets.span_to_original(start, end)
        text = self._article.text[original_start:original_end]
        return Evidence(original_start, original_end, text, field)


def build_report(
    article: Article,
    signals: Signals,
    action: _Action,
    index: int,
    ordered: Sequence[_Action],
    target: str | None,
    doc_stance: str | None,
    nearest_forum: Cue | None,
) -> JointActionReport:
    """One report: fields from the action's mentions; the stance falls back to the document's,
    the forum to the one named nearest before the action."""
    evidence = EvidenceWriter(article)
    spans: list[Evidence] = [evidence(*m.sentence, "action") for m in action.mentions]
    count_value, qualifier, count_span = _count(action)
    tally = _first(action.mentions, "tally")
    if isinstance(tally, Tally) and tally.yes is not None:
        count_value, qualifier, count_span = tally.yes, "exact", (tally.start, tally.end)
    states = _states(action, _first(action.mentions, "lead"), evidence)
    yes, no, abstain = (
        (tally.yes, tally.no, tally.abstain)
        if isinstance(tally, Tally)
        else _derived_tally(action, count_value, states, evidence, spans)
    )
    if count_span is not None:
        spans.append(evidence(*count_span, "count"))
        base = action.increment_base.count if action.increment_base is not None else None
        if base is not None:
            spans.append(evidence(base.start, base.end, "count"))
    lead = _first(action.mentions, "lead")
    date = _first(action.mentions, "date") or (action.scene.date if action.scene else None)
    forum = (
        _first(action.mentions, "forum")
        or (action.scene.forum if action.scene else None)
        or nearest_forum
    )
    outcome = _first(action.mentions, "outcome")
    for item, name in (
        (lead, "lead"),
        (date, "date"),
        (forum, "forum"),
        (tally, "tally"),
        (outcome, "outcome"),
    ):
        if isinstance(item, StateMention | DateMention | Cue | Tally):
            spans.append(evidence(item.start, item.end, name))
    update_of = ordered.index(action.update_of) if action.update_of in ordered else None
    return JointActionReport(
        index=index,
        kind=action.kind or "joint_statement",
        forum=forum.value if isinstance(forum, Cue) else None,
        date=date.value if isinstance(date, DateMention) else None,
        date_text=date.text if isinstance(date, DateMention) else None,
        date_method=date.method if isinstance(date, DateMention) else None,
        stance=_stance(action) or doc_stance or "criticize",
        target=target,
        issue=_issue(action, signals, target),
        count=count_value,
        count_qualifier=qualifier,
        lead=lead.iso3 if isinstance(lead, StateMention) else None,
        states=states,
        vote_yes=yes,
        vote_no=no,
        vote_abstain=abstain,
        outcome=outcome.value if isinstance(outcome, Cue) else None,
        update_of=update_of,
        evidence=tuple(spans),
    )


def _stance(action: _Action) -> str | None:
    """An action's own stance, else that of the action it updates (a later count of one letter)."""
    seen: set[int] = set()
    current: _Action | None = action
    while current is not None and id(current) not in seen:
        if current.stance is not None:
            return current.stance
        seen.add(id(current))
        current = current.update_of
    return None


def _derived_tally(
    action: _Action,
    count: int | None,
    states: tuple[StateRef, ...],
    evidence: EvidenceWriter,
    spans: list[Evidence],
) -> tuple[int | None, int | None, int | None]:
    """A vote reported without a tally line: "supported by 141 ... Four countries joined Russia
    in voting against ... 35 nations abstained" gives 141-5-35. Each side is the number the
    text gives for it, or the states it names on it (whichever is larger: "four countries ...
    joined Russia" names five)."""
    if action.kind != "vote" or count is None:
        return None, None, None
    sides: dict[str, int] = {}
    for mention in [*action.mentions, *action.extra_roles]:
        for side, minority in mention.minorities:
            if minority.value is not None:
                sides[side] = max(sides.get(side, 0), minority.value)
                spans.append(evidence(minority.start, minority.end, "tally"))
    for side in ("voted_against", "abstained"):
        named = len({ref.iso3 for ref in states if ref.role == side})
        if named:
            sides[side] = max(sides.get(side, 0), named)
    if not sides:
        return count, None, None
    return count, sides.get("voted_against"), sides.get("abstained")


def _first(mentions: Sequence[Mention], name: str) -> object:
    for mention in mentions:
        value = getattr(mention, name)
        if value is not None:
            return value
    return None


def _count(action: _Action) -> tuple[int | None, str | None, tuple[int, int] | None]:
    best = action.best_count()
    count: CountMention | None = best.count if best is not None else None
    if count is None:
        return None, None, None
    value = count.value
    base = action.increment_base.count if action.increment_base is not None else None
    if value is not None and base is not None and base.value is not None:
        value += base.value
    if value is None:
        qualifier = "dozens" if count.qualifier == "dozens" else None
        return None, qualifier, (count.start, count.end)
    return value, count.qualifier or "exact", (count.start, count.end)


def _states(action: _Action, lead: object, evidence: EvidenceWriter) -> tuple[StateRef, ...]:
    refs: list[StateRef] = []
    seen: set[tuple[str, str]] = set()
    roles = [r for m in [*action.mentions, *action.extra_roles] for r in m.roles]
    if isinstance(lead, StateMention) and lead.iso3:
        roles.insert(0, ("signatory", lead))
        refs.append(StateRef(lead.iso3, "lead", evidence(lead.start, lead.end, "lead")))
    for role, state in roles:
        if state.iso3 is None or (role, state.iso3) in seen:
            continue
        seen.add((role, state.iso3))
        field = "signatory" if role == "signatory" else role
        refs.append(StateRef(state.iso3, role, evidence(state.start, state.end, field)))
    return tuple(refs)


def _issue(action: _Action, signals: Signals, target: str | None) -> str | None:
    """Issues named in the action's sentences, else in the sentences that go on about it, else
    the one issue the document names most; "other" when a target has no issue we know by name."""
    named = {c.value.split("|")[0] for m in action.mentions for c in m.issues}
    if not named:
        named = {c.value.split("|")[0] for m in action.context for c in m.issues}
    if not named:
        counted = Counter(c.value.split("|")[0] for c in signals.cues.get("issue", ()))
        named = {counted.most_common(1)[0][0]} if counted else set()
    ordered = [issue for issue in ISSUE_ORDER if issue in named]
    ordered += sorted(named - set(ISSUE_ORDER))
    if ordered:
        return ", ".join(ordered)
    return "other" if target else None
