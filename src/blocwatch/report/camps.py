"""Who is on which side: state names, map categories and the two camps around each target.

A state's side on a target follows from its position on an action and the action's stance:
signing a letter that criticises CHN puts a state among CHN's critics; voting against a
resolution that criticises LKA puts it among LKA's supporters. Abstaining and withdrawing put it
on neither side. These rules are the same as `alignments` (reconcile), recomputed here from
`action_states` so that the report needs nothing but the stored positions.
"""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from blocwatch.report.queries import Row, StateRow

WITH_ACTION = frozenset({"lead", "signed", "voted_for"})
AGAINST_ACTION = frozenset({"voted_against"})
POSITION_ORDER = ("lead", "signed", "voted_for", "voted_against", "abstained", "withdrew")
POSITION_LABELS = {
    "lead": "lead",
    "signed": "signed",
    "voted_for": "voted for",
    "voted_against": "voted against",
    "abstained": "abstained",
    "withdrew": "withdrew",
}

# Map categories of one action, in legend order, with colours from the Okabe-Ito palette (told
# apart by colour-blind readers). "conflict" is a state named on both sides by different sources.
ACTION_CATEGORIES = (
    ("target", "target of the action", "#3a3a3a"),
    ("lead", "lead", "#00466e"),
    ("with", "signed / voted for", "#0072B2"),
    ("against", "voted against", "#D55E00"),
    ("abstained", "abstained", "#E69F00"),
    ("withdrew", "withdrew", "#CC79A7"),
    ("conflict", "named on both sides", "#8c6d31"),
)
# Map categories of a target: its supporters and critics over all actions about it.
TARGET_CATEGORIES = (
    ("target", "the target", "#3a3a3a"),
    ("supports", "supports the target", "#009E73"),
    ("criticizes", "criticises the target", "#D55E00"),
    ("both", "on both sides", "#E69F00"),
)
NOT_NAMED_COLOUR = "#e4e4e4"
STANCE_COLOURS = {"support": "#009E73", "criticize": "#D55E00"}
OTHER_STANCE_COLOUR = "#7a7a7a"
# How many states the overview lists per camp before "and N more".
TOP_STATES = 8


@cache
def _names() -> dict[str, str]:
    """ISO3 -> short English name, from the table country_converter ships (no network)."""
    text = resources.files("country_converter").joinpath("country_data.tsv").read_text("utf-8")
    reader = csv.DictReader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE)
    names = {row["ISO3"]: row["name_short"] for row in reader if row.get("ISO3")}
    names.update({"XKX": "Kosovo", "PSE": "Palestine", "TWN": "Taiwan", "VAT": "Holy See"})
    return names


def state_name(iso3: str | None) -> str:
    """A readable name for an ISO3 code; the code itself when it is not a known state."""
    if not iso3:
        return ""
    return _names().get(iso3.upper(), iso3)


def side_on_target(stance: str | None, position: str) -> str | None:
    """'supports' or 'criticizes' the action's target, or None (no side, or no stance)."""
    if position in WITH_ACTION:
        return {"support": "supports", "criticize": "criticizes"}.get(stance or "")
    if position in AGAINST_ACTION:
        return {"support": "criticizes", "criticize": "supports"}.get(stance or "")
    return None


def action_category(positions: Iterable[str]) -> str:
    """One map category for a state's positions on one action (all sources together)."""
    kinds = set(positions)
    if kinds & WITH_ACTION and kinds & AGAINST_ACTION:
        return "conflict"
    if "withdrew" in kinds:
        return "withdrew"
    if kinds & AGAINST_ACTION:
        return "against"
    if "lead" in kinds:
        return "lead"
    if kinds & WITH_ACTION:
        return "with"
    return "abstained"


@dataclass
class Camp:
    """One target's camps: per state, how many actions it backed or joined in criticising."""

    target: str
    actions: list[str] = field(default_factory=list)
    supports: Counter[str] = field(default_factory=Counter)
    criticizes: Counter[str] = field(default_factory=Counter)
    stances: Counter[str] = field(default_factory=Counter)

    def side(self, iso3: str) -> str | None:
        """'supports', 'criticizes', 'both' or None: the state's camp on this target."""
        up, down = self.supports[iso3], self.criticizes[iso3]
        if up and down:
            return "supports" if up > down else "criticizes" if down > up else "both"
        return "supports" if up else "criticizes" if down else None

    def members(self, side: str) -> list[str]:
        """States in one camp, most actions first, then by name."""
        states = set(self.supports) | set(self.criticizes)
        counts = self.supports if side == "supports" else self.criticizes
        chosen = [s for s in states if self.side(s) == side]
        return sorted(chosen, key=lambda s: (-counts[s], state_name(s), s))


def build_camps(actions: Sequence[Row], states: Mapping[str, Sequence[StateRow]]) -> list[Camp]:
    """Camps of every target named by an action, the target with most actions first."""
    camps: dict[str, Camp] = {}
    for action in actions:
        target = action["target"]
        if not target:
            continue
        camp = camps.setdefault(target, Camp(target))
        camp.actions.append(action["key"])
        camp.stances[action["stance"] or "unknown"] += 1
        sides: dict[str, set[str]] = defaultdict(set)
        for row in states.get(action["key"], ()):
            side = side_on_target(action["stance"], row.position)
            if side and row.iso3 != target:
                sides[side].add(row.iso3)
        for iso3 in sides["supports"]:
            camp.supports[iso3] += 1
        for iso3 in sides["criticizes"]:
            camp.criticizes[iso3] += 1
    return sorted(camps.values(), key=lambda c: (-len(c.actions), c.target))


def voice_camp(affiliation: str | None, targets: Iterable[str], camps: Mapping[str, Camp]) -> str:
    """The camp a quoted speaker's state is in, about the targets its document reports on."""
    iso3 = (affiliation or "").upper()
    if iso3 not in _names():
        return "no state" if not iso3 else "organisation"
    sides = set()
    for target in targets:
        if iso3 == target:
            return "target"
        camp = camps.get(target)
        side = camp.side(iso3) if camp else None
        if side:
            sides.add(side)
    if len(sides) == 1:
        return {"supports": "supporters", "criticizes": "critics", "both": "both sides"}[
            sides.pop()
        ]
    return "both sides" if sides else "not in a camp"
