"""Quality gate: metadata read from URL and text only, scored against the gold files.

The gold `published`, `outlet` and `language` are withheld from the input (only the gold `url`
is passed, as a reader would), so this measures what the clean stage finds by itself on the
seeds, devset and devset2. Floors are the scores measured when the stage was written; a drop
fails the test, and raising a floor is a change of its own (trafilatura's eval gate convention).
"""

from __future__ import annotations

import re
import unicodedata

from blocwatch.clean import prepare
from blocwatch.model import Article, RawDocument
from blocwatch.settings import Options

from .conftest import Gold

# Measured: 38 of 38 items (5 seeds, 17 devset, 16 devset2), counting a correct "no date" too.
PUBLISHED_FLOOR = 38
# Measured 37 of 38: the one miss is an Icelandic page whose body is an English statement
# (detected "en" on the whole text; gold "is").
LANGUAGE_FLOOR = 37
# Outlet names are free text in gold ("Xinhua (via China.org.cn)"): scored loosely, see below.
# Measured 37 of 38: gold "Stjórnarráð Íslands" vs our host fallback "stjornarradid.is".
OUTLET_FLOOR = 37


def _prepare(item: Gold) -> Article:
    raw = RawDocument(
        source=item.name, input_format="json", text=item.text, url=item.data.get("url")
    )
    return prepare(raw, Options())


def _squash(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).casefold()
    return re.sub(r"[\W_]+", "", folded)


def outlet_matches(ours: str | None, gold: str | None) -> bool:
    """Loose match: one name contains the other, or a host's name part appears in gold."""
    if ours is None or gold is None:
        return ours is gold
    ours_squashed, gold_squashed = _squash(ours), _squash(gold)
    gold_main = _squash(gold.split("(")[0])
    if ours_squashed in gold_squashed or (gold_main and gold_main in ours_squashed):
        return True
    labels = ours.casefold().split(".")
    if len(labels) >= 2:  # a host: compare its longest label ("colombogazette" in .com)
        return _squash(max(labels, key=len)) in gold_squashed
    return False


def test_outlet_matches_is_loose_but_not_blind() -> None:
    assert outlet_matches("Xinhua", "Xinhua (via China.org.cn)")
    assert outlet_matches("colombogazette.com", "Colombo Gazette")
    assert outlet_matches("tctelevision.com", "TC Televisión (Ecuador)")
    assert outlet_matches(None, None)
    assert not outlet_matches("Reuters", "Colombo Gazette")
    assert not outlet_matches(None, "CGTN")


def test_published_outlet_language_floors(gold: list[Gold]) -> None:
    published = language = outlet = 0
    misses = []
    for item in gold:
        article = _prepare(item)
        if article.published == item.data["published"]:
            published += 1
        else:
            misses.append(("published", item.name, article.published, item.data["published"]))
        if article.language == item.data["language"]:
            language += 1
        else:
            misses.append(("language", item.name, article.language, item.data["language"]))
        if outlet_matches(article.outlet, item.data["outlet"]):
            outlet += 1
        else:
            misses.append(("outlet", item.name, article.outlet, item.data["outlet"]))
    print(f"\npublished {published}/{len(gold)}  language {language}/{len(gold)}  ", end="")
    print(f"outlet {outlet}/{len(gold)}  misses: {misses}")
    assert published >= PUBLISHED_FLOOR, misses
    assert language >= LANGUAGE_FLOOR, misses
    assert outlet >= OUTLET_FLOOR, misses


def test_seed_expectations(gold: list[Gold]) -> None:
    """The brief's named seed facts: 002 and 003 dates, 001 credit and dateline."""
    by_name = {item.name[:3]: _prepare(item) for item in gold if item.name[:3].isdigit()}
    assert (by_name["002"].published, by_name["002"].published_source) == (
        "2019-10-30",
        "dateline",
    )
    assert (by_name["002"].dateline_place, by_name["002"].agency) == ("UNITED NATIONS", "Xinhua")
    assert (by_name["003"].published, by_name["003"].published_source) == ("2019-07-13", "text")
    assert (by_name["001"].outlet, by_name["001"].outlet_source) == (
        "Times of Central Asia",
        "credit",
    )
    assert (by_name["001"].dateline_place, by_name["001"].agency) == ("BISHKEK", "TCA")
    assert by_name["001"].published is None  # no year anywhere in the text
