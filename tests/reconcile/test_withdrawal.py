"""The extractor's "withdrawn" role, on sentences written for these tests (no news text)."""

from __future__ import annotations

import pytest

from blocwatch.extract.roles import assign_roles, withdraws
from blocwatch.nlp.cues import find_cues
from blocwatch.nlp.states import find_states


def _withdrawn(text: str) -> set[str]:
    states = find_states(text)
    return {s.iso3 for s in states if s.iso3 and withdraws(text, s, states)}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Qatar has withdrawn its signature from the letter on Xinjiang.", {"QAT"}),
        ("Last week Portugal withdrew its name from the joint statement.", {"PRT"}),
        ("Kenya, Ghana and Togo later pulled out of the joint statement.", {"KEN", "GHA", "TGO"}),
        ("Chile took its name off the letter after protests at home.", {"CHL"}),
        ("Peru has since withdrawn from the July letter to the council.", {"PER"}),
        ("Uruguay retiró su firma de la carta.", {"URY"}),
        ("Le Maroc a retiré sa signature de la lettre.", {"MAR"}),
    ],
)
def test_withdrawal_cues_find_the_state(text: str, expected: set[str]) -> None:
    assert _withdrawn(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Troops, not names: the motion asks a state to withdraw from a place.
        (
            "The text demands that Russia halt its offensive in Ukraine and withdraw its troops.",
            set(),
        ),
        # Leaving a body is not withdrawing from an action.
        ("Nicaragua announced its withdrawal from the Human Rights Council.", set()),
        # Only the state right before the cue withdrew, not the one before the relative clause.
        ("Norway, which signed the letter, praised Qatar, which withdrew its signature.", {"QAT"}),
        ("Norway signed the letter; Qatar withdrew its signature.", {"QAT"}),
        # A negated withdrawal.
        ("Qatar has not withdrawn its signature from the letter.", set()),
    ],
)
def test_other_sentences_are_not_withdrawals(text: str, expected: set[str]) -> None:
    assert _withdrawn(text) == expected


def test_assign_roles_keeps_the_signature_and_adds_withdrawn() -> None:
    text = "Qatar has withdrawn its signature from a letter that 37 states signed."
    states = find_states(text)
    cues = {category: find_cues(text, category, "en") for category in ("negation", "lead")}
    roles = assign_roles(text, 0, states, cues, None, vote=False, target=None)
    assert [(role, state.iso3) for role, state in roles] == [
        ("signatory", "QAT"),
        ("withdrawn", "QAT"),
    ]
