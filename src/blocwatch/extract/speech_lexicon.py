"""The words of reported speech, read once from `nlp/patterns/speech_verbs.tsv`.

Reporting verbs, multiword cues ("according to"), role nouns, institution nouns, honorifics,
pronouns, regions and organisations are data so a new language or a new title is a row, not
code. Every lookup here is on casefolded whole tokens (or whole names for regions and
organisations), so a caller never matches "said" inside "Saidov".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

LEXICON_FILE = "speech_verbs.tsv"
# A document is read with its own language's rows plus these (English is quoted everywhere).
SHARED_LANGUAGES = ("en", "*")


@dataclass(frozen=True)
class Lexicon:
    """The rows of one set of languages, indexed for token lookups."""

    verbs: dict[str, str] = field(default_factory=dict)  # form -> any | statement
    cues: dict[tuple[str, ...], str] = field(default_factory=dict)  # words -> after | before
    speech_nouns: frozenset[str] = frozenset()
    roles: frozenset[str] = frozenset()
    anaphors: dict[str, int] = field(default_factory=dict)  # noun -> synonym group
    institutions: frozenset[str] = frozenset()
    org_words: frozenset[str] = frozenset()
    honorifics: frozenset[str] = frozenset()
    pronouns: dict[str, str] = field(default_factory=dict)  # pronoun -> m | f
    institution_pronouns: frozenset[str] = frozenset()
    groups: frozenset[str] = frozenset()
    regions: dict[str, str] = field(default_factory=dict)  # folded name -> ISO3
    orgs: dict[str, str] = field(default_factory=dict)  # folded name -> short name
    determiners: frozenset[str] = frozenset()
    indefinites: frozenset[str] = frozenset()
    between: frozenset[str] = frozenset()
    connectors: frozenset[str] = frozenset()

    @property
    def longest_cue(self) -> int:
        return max((len(words) for words in self.cues), default=0)


def _rows() -> list[tuple[str, str, str, str]]:
    text = resources.files("blocwatch.nlp.patterns").joinpath(LEXICON_FILE).read_text("utf-8")
    rows: list[tuple[str, str, str, str]] = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        fields = [f for f in line.split("\t") if not f.startswith("#")]
        if len(fields) < 3:
            raise ValueError(f"{LEXICON_FILE}: expected category, lang, words in {line!r}")
        rows.append((fields[0], fields[1], fields[2], fields[3] if len(fields) > 3 else ""))
    return rows


@lru_cache(maxsize=32)
def lexicon(language: str | None = None) -> Lexicon:
    """The lexicon for a document in `language` (None: every language)."""
    wanted = None if language is None else {language, *SHARED_LANGUAGES}
    verbs: dict[str, str] = {}
    cues: dict[tuple[str, ...], str] = {}
    sets: dict[str, set[str]] = {}
    anaphors: dict[str, int] = {}
    pronouns: dict[str, str] = {}
    regions: dict[str, str] = {}
    orgs: dict[str, str] = {}
    for group, (category, lang, words, value) in enumerate(_rows()):
        if wanted is not None and lang not in wanted:
            continue
        forms = words.casefold().split()
        if category == "verb":
            verbs.update(dict.fromkeys(forms, value or "any"))
        elif category == "cue":
            cues[tuple(forms)] = value
        elif category == "anaphor":
            anaphors.update(dict.fromkeys(forms, group))
        elif category == "pronoun":
            pronouns.update(dict.fromkeys(forms, value))
        elif category == "region":
            regions[" ".join(forms)] = value
        elif category == "org":
            orgs[" ".join(forms)] = value
        else:
            sets.setdefault(category, set()).update(forms)
    return Lexicon(
        verbs=verbs,
        cues=cues,
        speech_nouns=frozenset(sets.get("speech_noun", ())),
        roles=frozenset(sets.get("role", ())),
        anaphors=anaphors,
        institutions=frozenset(sets.get("institution", ())),
        org_words=frozenset(sets.get("org_word", ())),
        honorifics=frozenset(sets.get("honorific", ())),
        pronouns=pronouns,
        institution_pronouns=frozenset(sets.get("institution_pronoun", ())),
        groups=frozenset(sets.get("group", ())),
        regions=regions,
        orgs=orgs,
        determiners=frozenset(sets.get("determiner", ())),
        indefinites=frozenset(sets.get("indefinite", ())),
        between=frozenset(sets.get("between", ())),
        connectors=frozenset(sets.get("connector", ())),
    )


# French and Italian elide an article or a pronoun into the next word: "l'ambassadeur".
_ELISIONS = ("l'", "d'", "qu'", "j'", "s'", "n'", "c'", "m'", "t'", "l\u2019", "d\u2019")


def bare(word: str) -> str:
    """A lower-case word without an elided article: "l'ambassadeur" -> "ambassadeur"."""
    word = word.casefold()
    for prefix in _ELISIONS:
        if word.startswith(prefix) and len(word) > len(prefix) + 1:
            return word[len(prefix) :]
    return word
