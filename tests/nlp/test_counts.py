"""Counts of states and vote tallies: synthetic cases, negatives, gold recall, property tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from blocwatch.nlp.counts import CountMention, find_counts
from blocwatch.nlp.tallies import find_tallies

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"


def _one(text: str, language: str = "en") -> CountMention:
    found = [m for m in find_counts(text, language) if m.relation not in ("body_size", "of_total")]
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("text", "language", "value", "qualifier", "relation"),
    [
        ("Envoys from 37 countries wrote to the council.", "en", 37, "exact", None),
        ("A letter signed by 50 ambassadors.", "en", 50, "exact", None),
        ("Nearly two dozen countries objected.", "en", 24, "nearly", None),
        ("More than 30 countries spoke.", "en", 30, "more_than", None),
        ("It drew over 40 states.", "en", 40, "more_than", None),
        ("At least 20 governments agreed.", "en", 20, "at_least", None),
        ("Some 50 nations took part.", "en", 50, "about", None),
        ("Around 12 delegations left.", "en", 12, "about", None),
        ("Dozens of countries joined.", "en", None, "dozens", None),
        ("Several states abstained.", "en", None, None, None),
        ("Mali spoke on behalf of 54 countries.", "en", 54, "exact", "on_behalf_of"),
        ("Peru spoke on behalf of a group of 26 countries.", "en", 26, "exact", "on_behalf_of"),
        ("Chad, along with 45 other countries, backed it.", "en", 46, "exact", "along_with"),
        ("Laos, joined by 36 other countries, spoke.", "en", 37, "exact", "along_with"),
        ("Fiji, Peru and 47 other nations signed.", "en", 47, "exact", "and_others"),
        ("Later another 13 countries signed.", "en", 13, "exact", "increment"),
        ("The text has 37 signatories.", "en", 37, "exact", None),
        ("It named 24 member states.", "en", 24, "exact", None),
        ("There were 20 co-sponsors.", "en", 20, "exact", None),
        ("It was a 43-nation statement.", "en", 43, "exact", None),
        ("Thirteen out of 19 countries agreed.", "en", 13, "exact", "out_of"),
        ("It was backed by one hundred and forty-one states.", "en", 141, "exact", None),
        ("Half a dozen states walked out.", "en", 6, "exact", None),
        ("Twenty countries or more signed.", "en", 20, "more_than", None),
        ("Fewer than 20 countries signed.", "en", None, None, None),
        ("Lo firmaron 59 países.", "es", 59, "exact", None),
        ("Más de 30 países lo firmaron.", "es", 30, "more_than", None),
        ("Habló en nombre de 54 países.", "es", 54, "exact", "on_behalf_of"),
        ("Junto con otros 45 países.", "es", 46, "exact", "along_with"),
        ("Los siete países lo pidieron.", "es", 7, "exact", None),
        ("Una treintena de países.", "es", 30, "about", None),
        ("Treinta y dos países votaron.", "es", 32, "exact", None),
        ("Assinaram 50 países.", "pt", 50, "exact", None),
        ("Mais de 30 países assinaram.", "pt", 30, "more_than", None),
        ("Falou em nome de 54 países.", "pt", 54, "exact", "on_behalf_of"),
        ("Il a parlé au nom de 44 pays.", "fr", 44, "exact", "on_behalf_of"),
        ("Une vingtaine de pays.", "fr", 20, "about", None),
        ("Quatre-vingt-dix-sept pays.", "fr", 97, "exact", None),
        ("Ang embahador ng 37 bansa.", "fil", 37, "exact", None),
        ("Mahigit 30 bansa ang pumirma.", "fil", 30, "more_than", None),
        ("Nagsalita sa ngalan ng 37 na bansa.", "fil", 37, "exact", "on_behalf_of"),
        ("Dalawampu't dalawang bansa.", "fil", 22, "exact", None),
        ("ألقت كوبا بيانا نيابة عن 64 دولة", "ar", 64, "exact", "on_behalf_of"),
        ("ألقت كوبا بيانا نيابة عن ٦٤ دولة", "ar", 64, "exact", "on_behalf_of"),
        ("وقعت أكثر من 30 دولة", "ar", 30, "more_than", None),
        ("وقعت ثلاث وعشرون دولة", "ar", 23, "exact", None),
        ("وقعت عشرات الدول", "ar", None, "dozens", None),
        ("تحدث نيابة عن الدول ال 53 ،", "ar", 53, "exact", "on_behalf_of"),
        ("مع 45 دولة أخرى", "ar", 46, "exact", "along_with"),
        ("Hann talaði fyrir hönd 36 ríkja.", "is", 36, "exact", "on_behalf_of"),
    ],
)
def test_counts(
    text: str, language: str, value: int | None, qualifier: str | None, relation: str | None
) -> None:
    found = _one(text, language)
    assert (found.value, found.qualifier, found.relation) == (value, qualifier, relation)
    assert text[found.start : found.end] == found.text


def test_region_and_noun() -> None:
    found = _one("Earlier, 22 European and American countries wrote.")
    assert (found.region, found.noun, found.value) == ("European and American", "countries", 22)
    vague = _one("A number of African ambassadors took part.")
    assert (vague.value, vague.region, vague.noun) == (None, "African", "ambassadors")


@pytest.mark.parametrize(
    ("text", "language", "value", "region"),
    [
        ("Fulltrúar 22 vestrænna ríkja skrifuðu undir.", "is", 22, "vestrænna"),
        ("22 evrópsk og amerísk ríki skrifuðu undir.", "is", 22, "evrópsk og amerísk"),
        # Filipino: the noun takes the ligature before its adjective, which the label reads
        ("Lumagda ang 22 bansang Kanluranin sa liham.", "fil", 22, None),
    ],
)
def test_modifiers_in_icelandic_and_the_filipino_ligature(
    text: str, language: str, value: int, region: str | None
) -> None:
    (found,) = find_counts(text, language)
    assert (found.value, found.region) == (value, region)


def test_part_and_total() -> None:
    found = find_counts("It passed with 141 of the assembly's 193 members.", "en")
    assert [(m.value, m.relation) for m in found] == [(141, "out_of"), (193, "body_size")]
    found = find_counts("Only 13 out of 19 countries spoke for it.", "en")
    assert [(m.value, m.relation) for m in found] == [(13, "out_of"), (19, "of_total")]


@pytest.mark.parametrize(
    "text",
    [
        "The 47-member council met.",
        "The 193-member General Assembly voted.",
        "The 15-member UN Security Council met.",
        "All 47 members of the Human Rights Council.",
        "The council's 47 members voted.",
        "The 47 Council members voted.",
    ],
)
def test_body_sizes_are_not_actor_counts(text: str) -> None:
    found = find_counts(text, "en")
    assert found and all(m.relation == "body_size" for m in found)


@pytest.mark.parametrize(
    "text",
    [
        "In 2016 and 2019 the states met.",
        "At its 46th session the council met.",
        "The 46th session of 47 states",  # "46th" is an ordinal; 47 states is a count
        "At least 1 million Uighurs are held.",
        "It recalled resolution 19/2 and resolution 62/51 on 12 states.",
        "The Secretary-General invoked Article 99 of the Charter.",
        "الدورة الـ46 لمجلس حقوق الإنسان",
        "Some 40% of countries, $50 million for 3,000 countries.",
        "The Group of 77 countries and G20 countries met.",
        "About 200 members of parliament signed.",
        "The 47-member council met in 2019.",
    ],
)
def test_no_state_counts(text: str) -> None:
    found = [m for m in find_counts(text, "en") if m.relation != "body_size"]
    assert [m.value for m in found] in ([], [47], [12])
    assert all(m.value in (47, 12) for m in found)


def test_arabic_session_number_is_not_a_count() -> None:
    assert find_counts("خلال الدورة الـ46 الجارية", "ar") == []


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("It passed by 25 votes to 6, with 16 abstentions.", "en", (25, 6, 16)),
        ("It got 93 in favour, 24 against and 58 abstentions.", "en", (93, 24, 58)),
        ("It passed 120-14-45 on Friday.", "en", (120, 14, 45)),
        ("It was adopted by a vote of 18-14-15.", "en", (18, 14, 15)),
        ("With 25 votes in favour of the text, six against, and 16 abstentions.", "en",
         (25, 6, 16)),
        ("93 voted in favor of it as proposed while 24 voted against and 58 abstained.", "en",
         (93, 24, 58)),
        ("Obtuvo 120 votos a favor, 14 en contra y 45 abstenciones.", "es", (120, 14, 45)),
        ("Obtuvo 120 votos a favor, 45 abstenciones y 14 votos en contra.", "es", (120, 14, 45)),
        ("Adoptée avec 158 voix pour, neuf contre et treize abstentions.", "fr", (158, 9, 13)),
        ("Adoptée par 159 voix pour.", "fr", (159, None, None)),
        ("Aprovada com 120 votos a favor, 14 contra e 45 abstenções.", "pt", (120, 14, 45)),
        ("اعتمد بأغلبية 25 صوتا مقابل 6 وامتناع 16", "ar", (25, 6, 16)),
        ("18 bansa ang bumotong pabor kabilang ang Peru, Fiji, Spain, Italy at Mexico. "
         "Labing-apat naman ang kontra. Habang 15 ang nag-abstain.", "fil", (18, 14, 15)),
    ],
)  # fmt: skip
def test_tallies(text: str, language: str, expected: tuple[int | None, ...]) -> None:
    tallies = find_tallies(text, language)
    assert [(t.yes, t.no, t.abstain) for t in tallies] == [expected]
    assert all(text[t.start : t.end] == t.text for t in tallies)


@pytest.mark.parametrize(
    "text",
    [
        "The meeting ran from 10-12 July.",
        "Pages 12-15 cover it.",
        "22 countries for the first time.",
        "Report 2019-07-12 lists 3 items.",
    ],
)
def test_not_tallies(text: str) -> None:
    assert find_tallies(text, "en") == []


# --- gold: every stated count must be found ------------------------------------------------


def _gold() -> list[tuple[str, str, str | None, dict[str, Any]]]:
    """(name, text, language, gold) for seeds, devset and devset2."""
    if not (SHARED / "devset").is_dir() or not (SHARED / "eval" / "seeds_gold").is_dir():
        pytest.skip("../shared is not present")
    items = []
    for path in sorted((SHARED / "eval" / "seeds_gold").glob("*.json")):
        data = json.loads(path.read_text("utf-8"))
        seed = SHARED / "corpus" / "seeds" / data["url"]
        text = seed.read_text("utf-8") if seed.is_file() else data["text"]
        items.append((path.name, text, data.get("language"), data))
    for folder in ("devset", "devset2"):
        for path in sorted((SHARED / folder).glob("*.json")):
            data = json.loads(path.read_text("utf-8"))
            items.append((f"{folder}/{path.name}", data["text"], data.get("language"), data))
    return items


def _readings(text: str, language: str | None) -> set[tuple[int | None, str | None]]:
    """What the recognisers read as (count, qualifier): counts, and the yes of tallies."""
    found = {(m.value, m.qualifier) for m in find_counts(text, language)}
    return found | {(t.yes, "exact") for t in find_tallies(text, language)}


# Measured: 43 of 43 gold counts (seeds, devset, devset2), from the evidence and from the full
# text. One (tashkent, 50) is never written: the text says "another 13 countries" after the 37,
# so it is found as 37 plus an "increment" mention of 13, which is what the extractor will add.
COUNT_FLOOR = 43


def test_gold_counts() -> None:
    hits, total, misses = 0, 0, []
    for name, text, language, data in _gold():
        actions = data["joint_actions"]
        for index, action in enumerate(actions):
            if action.get("count") is None:
                continue
            total += 1
            want = (action["count"], action.get("count_qualifier"))
            evidence = " ".join(action["evidence"])
            found = want in _readings(evidence, language) and want in _readings(text, language)
            if not found and action.get("update_of") is not None:
                earlier = actions[action["update_of"]]["count"]
                found = any(
                    m.relation == "increment" and m.value == want[0] - earlier
                    for m in find_counts(evidence, language)
                )
            hits += found
            if not found:
                misses.append((name, index, want))
    assert total >= COUNT_FLOOR
    assert hits >= COUNT_FLOOR, misses


# Measured 6 of 7 gold tallies. The miss (theworldinsider) writes its "no" as "Four countries ...
# joined Russia in voting against": 4 + 1, an inference left to the extractor.
TALLY_FLOOR = 6


def test_gold_tallies() -> None:
    hits = total = 0
    for _, text, language, data in _gold():
        for action in data["joint_actions"]:
            tally = action.get("vote_tally")
            if not tally:
                continue
            total += 1
            want = (tally["yes"], tally["no"], tally["abstain"])
            hits += want in {(t.yes, t.no, t.abstain) for t in find_tallies(text, language)}
    assert total >= TALLY_FLOOR
    assert hits >= TALLY_FLOOR


# --- properties ------------------------------------------------------------------------------

_PIECES = st.sampled_from(
    [" ", "on behalf of ", "more than ", "37", "٦٤", " countries", " دولة", "-member ",
     " council", "two dozen", "-", ",", " and ", "other ", "votes to ", " in favour", " against",
     "abstentions", "18-14-15", "\n\n", "ال ", "الدول", "another ", " of the ", "out of "]
)  # fmt: skip
_TEXTS = st.one_of(st.text(max_size=300), st.lists(_PIECES, max_size=40).map("".join))


@settings(max_examples=300, deadline=None)
@given(text=_TEXTS, language=st.sampled_from([None, "en", "es", "pt", "fr", "fil", "ar", "is"]))
def test_spans_lie_inside_the_text(text: str, language: str | None) -> None:
    for mention in find_counts(text, language):
        assert 0 <= mention.start < mention.end <= len(text)
        assert text[mention.start : mention.end] == mention.text
        assert mention.value is None or mention.value >= 2
    for tally in find_tallies(text, language):
        assert 0 <= tally.start < tally.end <= len(text)
        assert text[tally.start : tally.end] == tally.text


def test_dotted_capital_i_matches_like_i() -> None:
    # re's IGNORECASE matches "İ" to "i": the table lookup must agree, not raise.
    assert [m.value for m in find_counts("FİVE countries and fıve states", "en")] == [5, 5]
