"""The alias table: every way of writing a tracked state, tokenised once per process.

Aliases come from three sources, in falling priority (a higher one wins on the same words):
1. `patterns/states_extra.tsv`: what the libraries lack (short forms, capitals, inflected and
   colloquial foreign names, blockers such as "South China Sea"), each with its source.
2. English names from pycountry (name, official_name, common_name) and country_converter
   (name_short, name_official) for the states we track (UN members, the observers VAT and PSE,
   TWN, XKX). coco's regexes are not used for matching: they are whole-string patterns with
   `^`, `.*` and look-aheads written for table cells, not running text; a test uses them to
   cross-check our English aliases instead.
3. Names in es/fr/pt/ar/is/fil from the iso-codes gettext catalogues pycountry ships.
Demonyms from the data file come last: a lowercase adjective ("india", Spanish feminine of
"indio") never takes the place of a name ("India").

Data and text go through the same `fold` (NFKC, accents and harakat stripped, casefolded,
Arabic letter variants folded) for the lookup, so neither needs to be normalised as a whole and
offsets stay those of the text given; `spelling` (accents kept) then checks that the text spells
a known alias, so Icelandic "Ísland" and "Spán" never fire on English "Island" and "Span".
"""

from __future__ import annotations

import csv
import gettext
import importlib.util
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from itertools import pairwise
from pathlib import Path

import pycountry

FORMS = frozenset(
    {"name", "short", "abbreviation", "demonym", "capital", "translated", "region", "block"}
)
FLAGS = frozenset({"person", "us_state", "actor", "low", "first"})
# Longest gap (in characters) between two words of one alias: "Taiwan, China" needs 2.
MAX_GAP = 3
# Clitic letters (and harakat on them) an Arabic token may carry before an alias: وبـ, فلل.
ARABIC_CLITIC_ROOM = 4

_PACKAGE = "blocwatch.nlp"
_EXTRA_FILE = "states_extra.tsv"
_COCO_FILE = "country_data.tsv"  # shipped inside the country_converter package
# Catalogue language -> the language code we report (Tagalog catalogues serve Filipino).
_CATALOGUES = {"es": "es", "fr": "fr", "pt": "pt", "pt_BR": "pt", "ar": "ar", "is": "is"}
_CATALOGUES |= {"fil": "fil", "tl": "fil"}
# States tracked beyond coco's UN members: observers, and two entities news treats as actors.
_EXTRA_STATES = {"VAT", "PSE", "TWN", "XKX"}

TOKEN = re.compile(r"[\w\u0300-\u036f\u064b-\u065f\u0670]+")
_GAP_SPACE = re.compile(r"[\s\-\u2010-\u2015\u00ad]+")
_APOSTROPHES = str.maketrans(dict.fromkeys("\u2019\u2018\u02bc`\u00b4\u2032", "'"))
# Arabic letter folding applied after harakat are stripped: the spellings web text mixes.
# ة→ه, ى→ي, Persian ی→ي and ک→ك; tatweel ـ dropped.
_ARABIC_FOLD = str.maketrans("\u0629\u0649\u06cc\u06a9", "\u0647\u064a\u064a\u0643", "\u0640")
# A catalogue name "Head, Tail" is read as "Tail Head" when Tail ends in one of these.
_INVERSION_PARTICLES = frozenset({"of", "the", "de", "del", "da", "do", "des", "du", "ng"})


@dataclass(frozen=True)
class Alias:
    """One way of writing a state (or a blocker), pre-tokenised for matching."""

    words: tuple[str, ...]  # as in the source, NFKC
    keys: tuple[str, ...]  # folded words
    gaps: tuple[str, ...]  # normalised separators between words
    candidates: tuple[str, ...]  # ISO3 codes; () for blockers and regions
    form: str
    lang: str
    flags: frozenset[str]
    source: str
    langs: frozenset[str] = frozenset()  # every language this spelling belongs to (filtering)


@lru_cache(maxsize=1 << 16)
def fold(word: str) -> str:
    """The matching key of one word: NFKC, no accents or harakat, casefolded, Arabic folded."""
    if word.isascii():
        return word.casefold()
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", word))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFKC", bare.translate(_ARABIC_FOLD)).casefold()


def norm_gap(gap: str) -> str:
    return _GAP_SPACE.sub(" ", gap.translate(_APOSTROPHES))


def is_arabic(word: str) -> bool:
    return "\u0600" <= word[0] <= "\u06ff"


def make_alias(
    text: str, candidates: tuple[str, ...], form: str, lang: str, flags: frozenset[str], source: str
) -> Alias | None:
    """Tokenise an alias the way texts are tokenised; None when it has no word."""
    text = unicodedata.normalize("NFKC", text.strip())
    matches = list(TOKEN.finditer(text))
    if not matches:
        return None
    words = tuple(m.group() for m in matches)
    gaps = tuple(norm_gap(text[a.end() : b.start()]) for a, b in pairwise(matches))
    if text[matches[-1].end() :] == ".":  # "U.S.": the final dot is kept as a last gap
        gaps += (".",)
    keys = tuple(fold(w) for w in words)
    return Alias(words, keys, gaps, candidates, form, lang, flags, source, frozenset({lang}))


def spelling(words: Sequence[str]) -> str:
    """Words as spelled, accents kept: NFKC, casefolded (Arabic still fully folded).

    `fold` forgets Latin accents so that one lookup finds "Rússia" and "Russia"; `spelling`
    is what then tells them apart, so that Icelandic "Ísland" never matches English "Island".
    """
    return " ".join(
        fold(w)
        if w[:1] and "\u0600" <= w[0] <= "\u06ff"
        else unicodedata.normalize("NFKC", w).casefold()
        for w in words
    )


def tracked_states() -> frozenset[str]:
    """ISO3 codes we report: UN members per country_converter, plus `_EXTRA_STATES`."""
    return frozenset({row["ISO3"] for row in _coco_rows() if row["UNmember"]} | _EXTRA_STATES)


@lru_cache(maxsize=1)
def _coco_rows() -> list[dict[str, str]]:
    """country_converter's own table, read as plain TSV.

    Not through `CountryConverter()`: that imports pandas (a second of start-up in every
    worker) and breaks under pandas 3, which reads Namibia's ISO2 "NA" as missing.
    """
    spec = importlib.util.find_spec("country_converter")  # locates without importing it
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(
            "country_converter is not installed: pip install country_converter"
        )
    path = Path(next(iter(spec.submodule_search_locations))) / _COCO_FILE
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def _read_extra() -> Iterator[tuple[str, str, str, str, str, str]]:
    """Rows of the data file: iso3, lang, form, alias, flags, source (comments skipped)."""
    path = resources.files(_PACKAGE).joinpath("patterns", _EXTRA_FILE)
    for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if len(cells) != 6:
            raise ValueError(f"{_EXTRA_FILE}:{number}: expected 6 tab-separated cells: {line!r}")
        yield (cells[0], cells[1], cells[2], cells[3], cells[4], cells[5])


def _uninvert(name: str) -> list[str]:
    """ "Korea, Republic of" -> ["Republic of Korea"]; parentheses split; no comma head alone.

    The head of a comma name is not used by itself: "Congo, The Democratic Republic of the"
    must not make "Congo" mean COD.
    """
    names: list[str] = []
    for part in re.split(r"\s*[()]\s*", name):
        part = part.strip()
        if not part:
            continue
        pieces = re.split(r"\s*[,،]\s*", part, maxsplit=1)
        if len(pieces) == 1:
            names.append(part)
            continue
        head, tail = pieces
        if tail.endswith("'"):  # "République islamique d'" + "Iran"
            names.append(tail + head)
        elif tail.split()[-1].lower() in _INVERSION_PARTICLES:
            names.append(f"{tail} {head}")
        elif fold(head) in fold(tail):  # Arabic "كوريا، جمهورية كوريا": the tail is whole
            names.append(tail)
    return [re.sub(r"^(?:(?:The|the|Ang)\s+|L')", "", n) for n in names]


def _library_names() -> Iterator[tuple[str, str, str, str]]:
    """(iso3, lang, form, text) for every tracked state from pycountry, coco and catalogues."""
    states = tracked_states()
    catalogues = {
        code: gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[code])
        for code in _CATALOGUES
    }
    for country in pycountry.countries:
        iso3 = country.alpha_3
        if iso3 not in states:
            continue
        fields = [("name", country.name)]
        fields.append(("name", getattr(country, "official_name", "") or ""))
        fields.append(("short", getattr(country, "common_name", "") or ""))
        for form, english in fields:
            if not english:
                continue
            for text in _uninvert(english):
                yield iso3, "en", form, text
            for code, catalogue in catalogues.items():
                translated = catalogue.gettext(english)
                if translated != english:  # an untranslated msgid is English, not this language
                    for text in _uninvert(translated):
                        yield iso3, _CATALOGUES[code], "translated", text
    for row in _coco_rows():
        if row["ISO3"] in states:
            yield row["ISO3"], "en", "short", row["name_short"]
            yield row["ISO3"], "en", "name", row["name_official"]


def _non_state_names() -> Iterator[str]:
    """Territories and former states: blockers, so "American Samoa" is not Samoa."""
    states = tracked_states()
    for country in pycountry.countries:
        if country.alpha_3 not in states:
            for attr in ("name", "official_name", "common_name"):
                yield from _uninvert(getattr(country, attr, "") or "")
    for row in _coco_rows():
        if row["ISO3"] not in states:
            yield row["name_short"]


@dataclass(frozen=True)
class AliasTable:
    """All aliases, indexed by first key; each list longest first."""

    by_first: dict[str, tuple[Alias, ...]]
    conflicts: tuple[str, ...]  # lower-priority aliases dropped for naming another state
    # Spelling (see `spelling`) -> its language: "Rússia" is pt, though its slot is "Russia".
    spellings: dict[str, str]
    # Longest alias word plus room for Arabic clitics: a longer token starts no alias, so the
    # matcher skips it before folding (and a hostile text of huge tokens never fills the cache).
    longest_word: int

    def language_of(self, alias: Alias, words: Sequence[str]) -> str:
        """The language of the words an alias matched (English wins a shared spelling)."""
        return self.spellings.get(spelling(words), alias.lang)

    def spelling_fits(self, alias: Alias, words: Sequence[str]) -> bool:
        """Whether the text spells the alias right: as some alias of this slot, accents
        included, or without any accent where the slot has an English name ("Cote d'Ivoire")."""
        if all(w.isascii() for w in words) and all(w.isascii() for w in alias.words):
            return True
        if is_arabic(alias.words[0]):  # `fold` is Arabic's spelling: no accents to compare
            return True
        written = spelling(words)
        if written in self.spellings:
            return True
        return "en" in alias.langs and written == " ".join(fold(w) for w in words)

    def __len__(self) -> int:
        return sum(len(group) for group in self.by_first.values())


_Slot = tuple[tuple[str, ...], tuple[str, ...]]
_LIBRARY_SOURCES = frozenset({"pycountry/coco", "iso-codes catalogue via pycountry"})


def _data_aliases(states: frozenset[str]) -> tuple[list[Alias], set[_Slot]]:
    """Aliases from the data file, and the slots its `drop` rows take from the libraries."""
    aliases: list[Alias] = []
    dropped: set[_Slot] = set()
    for iso3, lang, form, text, flag_cell, source in _read_extra():
        flags = frozenset(f for f in flag_cell.split(",") if f)
        codes = tuple(c for c in iso3.split("|") if c and c != "-")
        if form not in FORMS | {"drop"} or not flags <= FLAGS or not set(codes) <= states:
            raise ValueError(f"{_EXTRA_FILE}: bad row {iso3!r} {form!r} {text!r} {flag_cell!r}")
        variants = [text]
        if lang == "ar" and " " in text:  # scraped Arabic often loses the space: الولاياتالمتحدة
            variants.append(text.replace(" ", ""))
        for variant in variants:
            alias = make_alias(variant, codes, form, lang, flags, source)
            if alias is not None and form == "drop":
                dropped.add((alias.keys, alias.gaps))
            elif alias is not None:
                aliases.append(alias)
    return aliases, dropped


def _library_aliases() -> Iterator[Alias]:
    for iso3, lang, form, text in _library_names():
        source = "iso-codes catalogue via pycountry" if lang != "en" else "pycountry/coco"
        text = text[:1].upper() + text[1:]  # "état plurinational de Bolivie" starts a name
        variants = [text]
        if lang == "en" and " of the " in text:  # "Democratic Republic of Congo" is common
            variants.append(text.replace(" of the ", " of "))
        if lang == "ar" and " " in text:
            variants.append(text.replace(" ", ""))
        for variant in variants:
            alias = make_alias(variant, (iso3,), form, lang, frozenset(), source)
            if alias is not None:
                yield alias


@lru_cache(maxsize=1)
def alias_table() -> AliasTable:
    """Build (once per process) the table: data names, library names, data demonyms, blockers.

    The first alias to take a slot (the same folded words and separators) keeps it. A conflict
    (a later alias naming other states) is recorded unless the data file deliberately
    overrides a library name; tests keep the list empty.
    """
    states = tracked_states()
    chosen: dict[_Slot, Alias] = {}
    conflicts: list[str] = []
    data, dropped = _data_aliases(states)

    spellings: dict[str, str] = {}

    def add(alias: Alias) -> None:
        slot = (alias.keys, alias.gaps)
        old = chosen.get(slot)
        if slot in dropped:
            return
        if old is None or old.candidates == alias.candidates:
            written = spelling(alias.words)
            if written not in spellings or alias.lang == "en":
                spellings[written] = alias.lang
        if old is None:
            chosen[slot] = alias
        elif old.candidates == alias.candidates:
            chosen[slot] = replace(old, langs=old.langs | alias.langs)
        elif old.candidates != alias.candidates and alias.form != "block":
            overridden = old.source not in _LIBRARY_SOURCES and alias.source in _LIBRARY_SOURCES
            if not overridden:
                words = " ".join(alias.words)
                conflicts.append(f"{words} {alias.candidates} lost to {old.candidates}")

    for alias in data:
        if alias.form != "demonym":
            add(alias)
    for alias in _library_aliases():
        add(alias)
    for alias in data:
        if alias.form == "demonym":
            add(alias)
    for text in _non_state_names():
        blocker = make_alias(text, (), "block", "en", frozenset(), "pycountry/coco non-state")
        if blocker is not None:
            add(blocker)
    groups: dict[str, list[Alias]] = {}
    for alias in chosen.values():
        groups.setdefault(alias.keys[0], []).append(alias)
    by_first = {
        key: tuple(sorted(group, key=lambda a: (-len(a.keys), -len(a.gaps))))
        for key, group in groups.items()
    }
    longest = max(len(word) for alias in chosen.values() for word in alias.words)
    return AliasTable(by_first, tuple(conflicts), spellings, longest + ARABIC_CLITIC_ROOM)
