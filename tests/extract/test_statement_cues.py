"""A statement states sign or join is a joint statement; one a government issues is not."""

from __future__ import annotations

import pytest
from spacy.language import Language

from blocwatch.nlp.build import build_blank_nlp
from blocwatch.pipeline import process
from tests.store.helpers import make_article


@pytest.fixture(scope="module")
def nlp() -> Language:
    return build_blank_nlp()


def _actions(text: str, nlp: Language, language: str = "en") -> list[tuple[str, int | None]]:
    article = make_article("s.txt", text, language=language)
    return [(action.kind, action.count) for action in process(article, nlp).joint_actions]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("49 states have joined a statement at the Human Rights Council on prisons.", 49),
        ("Forty countries signed the statement at the UN on Tuesday.", 40),
        ("68 states have put their names to a statement at the Third Committee.", 68),
        ("France, Germany and Italy endorsed the statement on Myanmar at the Assembly.", None),
    ],
)
def test_states_signing_or_joining_a_statement(
    text: str, expected: int | None, nlp: Language
) -> None:
    assert _actions(text, nlp) == [("joint_statement", expected)]


@pytest.mark.parametrize(
    "text",
    [
        "The foreign ministry of France issued a statement on Tuesday about the storm.",
        "In a statement, Germany and France said the talks would continue.",
        "Japan backed the statement by its prime minister on the budget.",
    ],
)
def test_a_statement_one_government_makes_is_not_joint(text: str, nlp: Language) -> None:
    assert _actions(text, nlp) == []


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Quarante pays ont signé une déclaration au Conseil des droits de l'homme.", "fr"),
        ("Quarenta países assinaram uma declaração no Conselho de Direitos Humanos.", "pt"),
        ("Apatnapung bansa ang lumagda sa isang pahayag sa Human Rights Council.", "fil"),
        ("40 ríki undirrituðu sameiginlega yfirlýsingu í mannréttindaráðinu.", "is"),
    ],
)
def test_the_same_in_other_languages(text: str, language: str, nlp: Language) -> None:
    assert _actions(text, nlp, language) == [("joint_statement", 40)]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Le ministère français a publié une déclaration mardi.", "fr"),
        ("O ministério emitiu uma declaração na terça-feira.", "pt"),
    ],
)
def test_a_ministry_statement_in_other_languages(text: str, language: str, nlp: Language) -> None:
    assert _actions(text, nlp, language) == []
