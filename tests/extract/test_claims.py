"""Numeric claims: figures, what they count, who says so, what is not a claim, and the seeds."""

from __future__ import annotations

from pathlib import Path

import pytest

from blocwatch.clean import prepare
from blocwatch.extract.claims import extract_claims
from blocwatch.extract.signals import gather
from blocwatch.ingest import read_inputs
from blocwatch.model import Claim, RawDocument
from blocwatch.settings import Options

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT.parent / "shared" / "corpus" / "seeds"


def claims(text: str, language: str = "en") -> tuple[Claim, ...]:
    raw = RawDocument(source="t.txt", input_format="txt", text=text, language=language)
    doc = prepare(raw, Options())
    return extract_claims(doc, gather(doc.clean_text, doc.language, None))


def triples(found: tuple[Claim, ...]) -> list[tuple[float | None, str, str, str | None]]:
    return [(c.value, c.value_text, c.what, c.claimant) for c in found]


def test_estimate_with_qualifier_scale_and_claimant() -> None:
    found = claims(
        "The monitors said in May 2020 that an estimated 2 million farmers and other rural "
        "workers were being moved, the agency reported."
    )
    assert triples(found) == [
        (2e6, "an estimated 2 million", "farmers and other rural workers", "The monitors")
    ]
    assert found[0].evidence.field == "claim"


def test_number_words_and_coordinated_claimants() -> None:
    found = claims("Aid groups and doctors say around one million children are at risk.")
    assert triples(found) == [
        (1e6, "around one million", "children", "Aid groups and doctors"),
    ]
    found = claims("Officials closed the border and said twenty-two soldiers were hurt.")
    assert triples(found) == [(22.0, "twenty-two", "soldiers", "Officials")]


def test_according_to_and_trailing_attribution() -> None:
    found = claims("More than 4,500 homes were destroyed, according to the county's fire service.")
    assert triples(found) == [
        (4500.0, "More than 4,500", "homes", "the county's fire service"),
    ]
    found = claims("The floods displaced up to 30,000 families, a local official said.")
    assert triples(found) == [(30000.0, "up to 30,000", "families", "a local official")]


def test_a_duration_measures_its_clause() -> None:
    found = claims("The report stated that the valley has had no drought for seven years.")
    assert triples(found) == [
        (7.0, "seven years", "the valley has had no drought", "The report"),
    ]
    # A point in time is not a duration claim.
    assert claims("Seven years ago the valley flooded.") == ()


def test_money_percentages_and_vague_magnitudes() -> None:
    found = claims("The bank lent $1.5 billion in loans to the port, its annual report shows.")
    assert triples(found)[0][:3] == (1.5e9, "$1.5 billion", "loans")
    found = claims("Nearly 40 percent of the workers were women. Storms cost hundreds of lives.")
    assert triples(found) == [
        (40.0, "Nearly 40 percent", "the workers", None),
        (None, "hundreds", "lives", None),
    ]


def test_not_claims() -> None:
    text = (
        "In 2016, 37 countries signed the letter at the 41st session. "
        "Resolution 19/2 and Article 99 were cited on 12 July at 10:30. "
        "The Group of 77 backs the one country, two systems policy. "
        "The vote was 25 to 6. One of the envoys spoke three times."
    )
    assert claims(text) == ()


def test_noun_like_verbs_need_a_named_subject() -> None:
    # "reports" is a noun here: no claimant.
    found = claims("Based on credible reports, more than 900 people were detained.")
    assert triples(found) == [(900.0, "more than 900", "people", None)]
    found = claims("Amnesty International reports that 900 people were detained.")
    assert triples(found) == [(900.0, "900", "people", "Amnesty International")]


def test_other_languages_return_nothing() -> None:
    assert claims("Más de un millón de personas fueron detenidas.", language="es") == ()


def test_evidence_is_the_sentence_in_the_original_text() -> None:
    text = "Intro.\n\nLocal  experts say about 5,000   people fled \u201cthe town\u201d."
    raw = RawDocument(source="t.txt", input_format="txt", text=text, language="en")
    doc = prepare(raw, Options())
    found = extract_claims(doc, gather(doc.clean_text, doc.language, None))
    assert len(found) == 1
    evidence = found[0].evidence
    assert text[evidence.start : evidence.end] == evidence.text
    assert evidence.text.startswith("Local  experts") and evidence.text.endswith("\u201d.")
    assert found[0].claimant == "Local experts"


def _seed_claims() -> dict[str, tuple[Claim, ...]]:
    if not SEEDS.is_dir():
        pytest.skip("../shared/corpus/seeds is not present")
    options = Options()
    found: dict[str, tuple[Claim, ...]] = {}
    for raw in read_inputs([str(SEEDS)], options):
        assert isinstance(raw, RawDocument)
        doc = prepare(raw, options)
        signals = gather(doc.clean_text, doc.language, None)
        found[Path(raw.source).name[:3]] = extract_claims(doc, signals)
    return found


def test_seed_claims() -> None:
    found = _seed_claims()
    assert triples(found["000"]) == [
        (3.0, "three years", "Xinjiang has not had a terrorist attack", "The joint letter")
    ]
    assert triples(found["001"]) == [
        (
            1e6,
            "an estimated 1 million",
            "ethnic Uyghurs and other mostly Muslim indigenous people of Xinjiang",
            "The United Nations",
        )
    ]
    assert found["002"] == ()  # every number there counts states or is a date
    assert triples(found["003"]) == [
        (1e6, "around one million", "Uighur Muslims", "United Nations experts")
    ]
    assert triples(found["004"])[0] == (1e6, "around one million", "Uighur Muslims", "UN experts")
    for seed in found.values():
        for claim in seed:
            assert claim.value_text.split()[-1] in claim.evidence.text
