"""Speakers: name forms, roles and affiliations, pronouns, the lexicon file, and speaker scoring.
All texts are our own synthetic sentences; the blank pipeline unless marked slow."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import pytest

from blocwatch import pipeline
from blocwatch.clean import prepare
from blocwatch.evaluate_speakers import (
    match_speakers,
    role_matches,
    score_speakers,
    speakers_to_gold,
)
from blocwatch.extract.names import normalise, same_person
from blocwatch.extract.quotes import extract_voices
from blocwatch.extract.speech_lexicon import bare, lexicon
from blocwatch.model import Evidence, RawDocument, Speaker
from blocwatch.settings import Options


@lru_cache(maxsize=2)
def _nlp(model: bool) -> Any:
    from blocwatch.nlp.build import build_blank_nlp, build_nlp

    return build_nlp(Options()) if model else build_blank_nlp()


def speakers(text: str, model: bool = False, language: str = "en") -> list[Speaker]:
    nlp = _nlp(model)
    raw = RawDocument(source="test", input_format="txt", text=text, language=language)
    article = prepare(raw, Options())
    doc = nlp(pipeline.make_doc(article, nlp))
    found, _ = extract_voices(article, doc, pipeline.signals_from_doc(doc))
    return list(found)


def people(text: str, model: bool = False) -> list[tuple[str, str | None, str | None, bool]]:
    return [
        (s.name, s.role, s.affiliation, s.quoted)
        for s in speakers(text, model)
        if s.kind == "person"
    ]


# ------------------------------------------------------------------ names


def test_normalise_folds_case_accents_possessives_and_initials() -> None:
    assert normalise("Ant\u00f3nio Guterres's") == ("antonio", "guterres")
    assert normalise("Leslie E. Norton") == ("leslie", "norton")


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Geng Shuang", "Geng", True),
        ("Michelle Bachelet", "Michele Bachelet", True),
        ("Leslie E. Norton", "Leslie Norton", True),
        ("Geng Shuang", "Yan Shuang", False),
        ("Anna Berg", "Anna Lind", False),
    ],
)
def test_same_person(a: str, b: str, same: bool) -> None:
    assert same_person(normalise(a), normalise(b)) is same


def test_one_speaker_per_person_with_the_fullest_name() -> None:
    text = (
        '"We are ready," Berg said.\n\nForeign Minister Anna Berg arrived later. '
        '"We are still ready," Berg added.'
    )
    assert [(s[0], s[3]) for s in people(text)] == [("Anna Berg", True)]


# ------------------------------------------------------------------ roles and affiliations


@pytest.mark.parametrize(
    ("text", "name", "role", "affiliation"),
    [
        (
            "Vadim Orlov, deputy permanent representative of Belarus to the UNOG, said the "
            "letter was fair.",
            "Vadim Orlov",
            "deputy permanent representative of Belarus to the UNOG",
            "BLR",
        ),
        (
            "Jamshed Rahimov, head of Tajikistan's mission in Geneva, said the council must stay "
            "neutral.",
            "Jamshed Rahimov",
            "head of Tajikistan's mission in Geneva",
            "TJK",
        ),
        (
            "Chinese Foreign Ministry spokesperson Li Wen said the letter was false.",
            "Li Wen",
            "Chinese Foreign Ministry spokesperson",
            "CHN",
        ),
        (
            "The governor of Xinjiang, Adil Tursun, said the centres were schools.",
            "Adil Tursun",
            "governor of Xinjiang",
            "CHN",
        ),
        (
            "UN High Commissioner for Human Rights Carla Ruiz said access was limited.",
            "Carla Ruiz",
            "UN High Commissioner for Human Rights",
            "UN",
        ),
        (
            "Farid Nasser, who researches Gulf politics at the Corniche Institute, said the move "
            "was expected.",
            "Farid Nasser",
            "who researches Gulf politics at the Corniche Institute",
            "Corniche Institute",
        ),
        (
            "Sara Holm of Human Rights Watch said the letter mattered.",
            "Sara Holm",
            None,
            "HRW",
        ),
        (
            "Human Rights Watch's China director Sara Holm said the letter mattered.",
            "Sara Holm",
            "Human Rights Watch's China director",
            "HRW",
        ),
        (
            "Amnesty International's Sara Holm said the letter mattered.",
            "Sara Holm",
            None,
            "Amnesty International",
        ),
        (
            "The foreign minister, Ole Dahl, told reporters that the talks went well.",
            "Ole Dahl",
            "foreign minister",
            None,
        ),
    ],
)
def test_role_and_affiliation(text: str, name: str, role: str | None, affiliation: str) -> None:
    assert people(text) == [(name, role, affiliation, False)]


def test_a_state_after_to_is_a_posting_not_an_affiliation() -> None:
    found = speakers("Ole Dahl, ambassador to China, said the talks went well.")
    assert [(s.name, s.affiliation) for s in found] == [("Ole Dahl", None)]


def test_posting_is_read_from_the_role() -> None:
    found = speakers("Vadim Orlov, deputy representative of Belarus to the UNOG, said it was fair.")
    assert found[0].posting == "UNOG"


def test_a_body_with_a_place_is_not_a_person() -> None:
    found = speakers("In a statement, the Chinese Mission in Geneva said the claims were false.")
    assert [(s.name, s.kind, s.affiliation) for s in found] == [
        ("Chinese Mission in Geneva", "institution", "CHN")
    ]


def test_a_verb_before_a_title_is_not_part_of_the_role() -> None:
    found = speakers('"This is shameful," tweeted Senator Marco Rubio.')
    assert [(s.name, s.role, s.quoted) for s in found] == [("Marco Rubio", "Senator", True)]


def test_only_people_who_speak_are_speakers() -> None:
    text = "Talks with Carla Ruiz and Tom Hardy ended. Officials said the letter was sent."
    assert people(text) == []


# ------------------------------------------------------------------ the real model


@pytest.mark.slow
def test_pronoun_skips_a_person_of_the_other_gender() -> None:
    text = (
        "Mr Ole Dahl met Ms Carla Ruiz on Monday. Dahl said the meeting went well. "
        "She said the report would follow."
    )
    assert [s[0] for s in people(text, model=True)] == ["Ole Dahl", "Carla Ruiz"]


@pytest.mark.slow
def test_a_surname_the_recogniser_calls_an_organisation() -> None:
    found = people("Trump, who met Xi on Friday, said the deal was done.", model=True)
    assert found == [("Trump", None, None, False)]


@pytest.mark.slow
def test_told_reports_the_clause_not_the_listener() -> None:
    nlp = _nlp(True)
    text = (
        "Russian Foreign Minister Sergei Lavrov told reporters in Moscow that the vote was illegal."
    )
    raw = RawDocument(source="test", input_format="txt", text=text, language="en")
    article = prepare(raw, Options())
    doc = nlp(pipeline.make_doc(article, nlp))
    found, quotes = extract_voices(article, doc, pipeline.signals_from_doc(doc))
    assert [(s.name, s.affiliation) for s in found] == [("Sergei Lavrov", "RUS")]
    assert [q.evidence.text for q in quotes] == ["the vote was illegal"]


@pytest.mark.slow
def test_being_asked_is_not_speaking() -> None:
    found = speakers("Asked about the letter, Ole Dahl said it was a smear.", model=True)
    assert [s.name for s in found] == ["Ole Dahl"]


@pytest.mark.slow
def test_title_before_name_and_place_of_speaking() -> None:
    text = '"We lodged stern protests," spokesman Li Wen told a briefing in Beijing.'
    assert people(text, model=True) == [("Li Wen", "spokesman", "CHN", True)]


@pytest.mark.slow
def test_statement_by_a_person_makes_a_speaker() -> None:
    text = (
        "China's UN Ambassador Zhang Li refuted the statement by his German counterpart, "
        'Karl Brandt, and those "bent on provoking antagonism".'
    )
    found = people(text, model=True)
    assert [(name, affiliation, quoted) for name, _, affiliation, quoted in found] == [
        ("Zhang Li", "CHN", True),
        ("Karl Brandt", "DEU", False),
    ]


@pytest.mark.slow
def test_reader_of_a_quoted_statement_is_quoted() -> None:
    text = (
        "Ambassador Ana Costa of Portugal delivered the joint statement.\n\n"
        'The joint statement noted, "We urge all parties to allow access to the region."'
    )
    assert [(s[0], s[3]) for s in people(text, model=True)] == [("Ana Costa", True)]


# ------------------------------------------------------------------ lexicon


def test_lexicon_rows_are_well_formed() -> None:
    everything = lexicon(None)
    assert set(everything.verbs.values()) <= {"any", "statement"}
    assert set(everything.cues.values()) <= {"after", "before"}
    assert set(everything.pronouns.values()) <= {"m", "f"}
    assert all(len(iso3) == 3 and iso3.isupper() for iso3 in everything.regions.values())
    assert {"said", "told", "stressed", "refuted", "thanked"} <= set(lexicon("en").verbs)
    assert "déclaré" not in lexicon("en").verbs and "déclaré" in lexicon("fr").verbs


def test_bare_strips_elided_articles() -> None:
    assert bare("L'ambassadeur") == "ambassadeur"
    assert bare("d'") == "d'"


# ------------------------------------------------------------------ scoring


def _gold(*items: tuple[str, str | None, str | None, bool]) -> dict[str, Any]:
    return {
        "id": "x",
        "speakers": [{"name": n, "role": r, "affiliation": a, "quoted": q} for n, r, a, q in items],
    }


def test_speakers_match_by_name_subset_one_to_one() -> None:
    gold = [{"name": "Michelle Bachelet"}, {"name": "Geng Shuang"}]
    ours = [{"name": "Bachelet"}, {"name": "Geng"}, {"name": "Shuang"}]
    assert match_speakers(gold, ours) == [(0, 0), (1, 1)]


def test_role_overlap_is_loose() -> None:
    assert role_matches("spokesman (Chinese Foreign Ministry)", "spokesman")
    assert role_matches("city councillor", "councillors")
    assert not role_matches("mayor of Port Amsel", "governor of Xinjiang")
    assert role_matches(None, None) and not role_matches("mayor", None)


def test_score_speakers_counts_and_field_accuracy() -> None:
    gold = _gold(("Geng Shuang", "spokesman", "CHN", True), ("Chen Xu", "ambassador", "CHN", False))
    ours = _gold(
        ("Geng", "foreign ministry spokesman", "CHN", False), ("Lester Mason", None, None, False)
    )
    report = score_speakers([(gold, ours)])
    assert report["speakers"] == {
        "gold": 2,
        "predicted": 2,
        "matched": 1,
        "precision": 0.5,
        "recall": 0.5,
        "f1": 0.5,
    }
    assert report["role_accuracy"] == 1.0 and report["affiliation_accuracy"] == 1.0
    assert report["quoted_accuracy"] == 0.0
    assert report["documents"][0]["missing"] == ["Chen Xu"]
    assert report["documents"][0]["extra"] == ["Lester Mason"]


def test_score_speakers_without_speakers_is_perfect() -> None:
    assert score_speakers([({"speakers": []}, {"speakers": []})])["speakers"]["f1"] == 1.0


def test_speakers_to_gold_lists_people_only() -> None:
    evidence = Evidence(0, 1, "x", "speaker")
    found = [
        Speaker(0, "Anna Berg", evidence, role="minister", affiliation="NOR", quoted=True),
        Speaker(1, "ministry", evidence, kind="institution"),
    ]
    assert speakers_to_gold(found) == [
        {"name": "Anna Berg", "role": "minister", "affiliation": "NOR", "quoted": True}
    ]
