"""Every mention of a state in a text, as an ISO3 code with the span it was read from.

Why a matcher of our own: extractors need *all* state mentions (names, short forms,
abbreviations, demonyms, capitals used for governments, names in seven languages) with exact
character offsets and a confidence, and spaCy's NER neither knows ISO codes nor Arabic prefixes.

Aliases are built by `state_aliases` (data file, pycountry, country_converter, the
iso-codes catalogues).

Matching, in the order a text meets it:
1. Tokens are runs of word characters (plus combining marks, so decomposed accents and Arabic
   harakat stay inside their word); offsets are those of the text given, never of a copy.
2. A token's key is NFKC + accents/harakat stripped + casefold (+ Arabic letter folding), the
   same function the aliases went through. Arabic clitics (و ف ب ل ك, and لل for ل+ال) are
   stripped from a first token that is not itself an alias.
3. Aliases are indexed by their first key; the longest alias whose later keys, separators
   (space = hyphen, straight = curly apostrophe) and letter case fit wins, and matching resumes
   after it (leftmost-longest, so "Niger" never fires inside "Nigeria", nor "China" inside
   "South China Sea"). Case: abbreviations exactly as listed ("US", never "us"); a name's
   capitalised word must be capitalised in the text ("Turkey", not the bird "turkey").
4. Context rules (see `_resolve`) set the confidence: a capital is a metonym after a reporting
   verb but a place after "in"; "American" is the USA only before an actor noun; "Jordan"
   before a capitalised surname is a person; "Georgia" after "Atlanta," is the US state.
Blockers (outlets, seas, territories) match like aliases but are never reported.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from blocwatch.nlp.state_aliases import (
    MAX_GAP,
    TOKEN,
    Alias,
    AliasTable,
    alias_table,
    fold,
    is_arabic,
    norm_gap,
)

# --- confidences: what a consumer can threshold on (>= 0.5 means "treat as a state actor") ---
CONF_NAME = 1.0  # a full, short or translated name: unambiguous
CONF_ABBREVIATION = 0.95  # "US", "DPRK": exact case already required
CONF_DEMONYM_ACTOR = 0.9  # "Chinese ambassador": the adjective names a state actor
CONF_DEMONYM = 0.7  # "Chinese characteristics": a state, not necessarily acting
CONF_CAPITAL_ACTOR = 0.75  # "Beijing said", "Moscow's": the usual metonym
CONF_CAPITAL = 0.5  # a capital with no cue either way
CONF_CAPITAL_PLACE = 0.25  # "in Beijing": a place, rarely the government
CONF_AMBIGUOUS = 0.5  # several candidates ("Korea", "Congolese"), or flagged `low` in the data
CONF_UNLIKELY = 0.2  # person or US-state reading ("Michael Jordan", "Atlanta, Georgia")
CONF_CAPS_CONTEXT = 0.4  # an abbreviation inside an all-caps run: "US" may be the pronoun

_ARABIC_CONJ = "\u0648\u0641"  # و ف
_ARABIC_PREP = "\u0628\u0644\u0643"  # ب ل ك
# Arabic remainders shorter than this after stripping a clitic are never aliases: avoids "ب"+2.
MIN_ARABIC_STEM = 3


@dataclass(frozen=True)
class StateMention:
    """One mention of a state: where it is, what it says, and how sure we are."""

    start: int  # character offsets into the text given
    end: int
    text: str  # as written
    iso3: str | None  # None when ambiguous or a region
    form: str  # name | short | abbreviation | demonym | capital | translated | region
    lang: str  # language of the alias matched
    confidence: float
    candidates: tuple[str, ...] = ()


# ------------------------------------------------------------------ matching

_MARKS = "\u0300-\u036f\u064b-\u065f\u0670"
# The next word within MAX_GAP separator characters: group 1 is the gap, group 2 the word.
_NEXT = re.compile(rf"([^\w{_MARKS}]{{0,{MAX_GAP}}})([\w{_MARKS}]+)")
# How far back the context rules look for the previous words.
CONTEXT_WINDOW = 48


def _folded(words: str) -> frozenset[str]:
    return frozenset(fold(word) for word in words.split())


# Context word lists (folded). Actor nouns make a demonym an actor: "Chinese ambassador",
# "el embajador chino", "l'ambassadeur palestinien", "الحكومة المصرية".
_ACTOR_NOUNS = _folded(
    """ambassador ambassadors diplomat diplomats delegation delegations delegate delegates envoy
    envoys representative representatives mission missions government governments authorities
    official officials president prime minister ministers ministry foreign side administration
    leader leaders leadership counterpart counterparts embassy consulate spokesperson spokesman
    spokeswoman military troops forces army navy lawmakers parliament congress regime
    negotiators prosecutors crown king emir permanent deputy secretary state
    gobierno embajador embajadora canciller cancilleria presidente presidenta ministro ministra
    delegacion delegado representante mision regimen ejercito autoridades lado
    gouvernement ambassadeur ambassadrice ministre delegue representant representante homologue
    collegue armee autorites cote diplomate chef
    governo embaixador embaixadora delegacao missao exercito diplomata chanceler
    الحكومة السفير السفيرة المندوب الوفد الرئيس وزير وزيرة وزارة الخارجية السلطات البعثة الجانب
    الممثل المتحدث الجيش النظام"""
)
# "American countries", "Latin American states": a region, not the USA.
_REGION_NOUNS = _folded("countries nations states continent region regions hemisphere peoples")
# A capital after these is a place ("talks in Beijing"), not a government.
_LOCATIVES = _folded(
    """in at to from near via visit visited visiting outside around toward towards into across
    arrived left en desde hacia vers depuis em para في من إلى"""
)
# A capital before these speaks for its government: "Beijing said", "Moscow has rejected".
_REPORTING = _folded(
    """said says say has have had will would is was wants warned urged rejected denied insists
    insisted accused called condemned announced responded claims claimed opposed supported
    welcomed blamed vowed demanded refused criticised criticized protested"""
)
# Words that may stand next to a person-prone name without making it a person's name.
_STRUCTURAL = _folded(
    """the and but in for with from to by as while both including unlike like neighbouring
    neighboring only even also meanwhile then when if although since of king queen kingdom
    hashemite president prime foreign government minister ambassador delegation embassy
    mission republic state"""
)
_US_BEFORE = re.compile(
    r"(?:(?:Atlanta|Savannah|Augusta|Macon|Athens|Columbus|Marietta|Alpharetta|Decatur),\s*"
    r"|\b(?:U\.?S\.?|US|American|the)\s+state\s+of\s+|\bstate\s+of\s+)$"
)
_US_AFTER = re.compile(
    r"\s*(?:Governor|Gov\.|governor|Senate|senator|Senator|Republicans?|Democrats?|Tech|"
    r"Bulldogs|legislature|Legislature|,\s*(?:USA|U\.S\.|US)\b)"
)


def _clitic_stems(word: str) -> Iterator[tuple[int, str]]:
    """(characters stripped, stem) for an Arabic word with leading clitics: وب+مصر, لل+صين."""
    position = 0
    if word[0] in _ARABIC_CONJ:
        position = _skip_marks(word, 1)
        yield position, word[position:]
    if position < len(word) and word[position] in _ARABIC_PREP:
        letter = word[position]
        position = _skip_marks(word, position + 1)
        rest = word[position:]
        yield position, rest
        if letter == "\u0644" and rest.startswith("\u0644"):  # لل = ل + ال with alif elided
            yield position, "\u0627" + rest


def _skip_marks(word: str, position: int) -> int:
    while position < len(word) and unicodedata.combining(word[position]):
        position += 1
    return position


def _first_keys(word: str) -> Iterator[tuple[int, str]]:
    yield 0, fold(word)
    if is_arabic(word):
        for stripped, stem in _clitic_stems(word):
            if len(stem) >= MIN_ARABIC_STEM:
                yield stripped, fold(stem)


def _case_fits(alias: Alias, index: int, word: str) -> bool:
    """Abbreviations exactly as listed; a capitalised alias word must be capitalised here."""
    expected = alias.words[index]
    if alias.form == "abbreviation":
        return word == expected
    return not expected[:1].isupper() or word[:1].isupper()


def _match_rest(
    alias: Alias, text: str, position: int, following: list[tuple[str, str, str, int]]
) -> int | None:
    """End of the alias in `text` when its later words follow `position`, else None.

    `following` caches (gap, word, key, end) of the words after the first one, shared by all
    the aliases tried at one position ("China Daily", "China Sea", ... all read the same words).
    """
    for index in range(1, len(alias.keys)):
        if len(following) < index:
            found = _NEXT.match(text, following[-1][3] if following else position)
            if found is None:
                return None
            word = found.group(2)
            following.append((found.group(1), word, fold(word), found.end()))
        gap, word, key, position = following[index - 1]
        wanted = alias.gaps[index - 1]
        if key != alias.keys[index] or (gap != wanted and norm_gap(gap) != wanted):
            return None
        if not _case_fits(alias, index, word):
            return None
    if len(alias.gaps) == len(alias.keys) and text.startswith(".", position):
        position += 1  # "U.S." keeps its final dot
    return position


def _match_at(
    table: AliasTable, text: str, token: re.Match[str], allowed: frozenset[str] | None
) -> tuple[Alias, int, int, list[str]] | None:
    """The longest alias starting at `token`: (alias, start, end, the words matched)."""
    word = token.group()
    following: list[tuple[str, str, str, int]] = []
    for stripped, key in _first_keys(word):
        for alias in table.by_first.get(key, ()):
            if allowed is not None and alias.form != "block" and not alias.langs & allowed:
                continue
            if len(alias.keys) > 1:  # cheap reject on the second word before anything else
                if not following:
                    found = _NEXT.match(text, token.end())
                    if found is None:
                        continue
                    second = found.group(2)
                    following.append((found.group(1), second, fold(second), found.end()))
                if following[0][2] != alias.keys[1]:
                    continue
            if not _case_fits(alias, 0, word[stripped:]):
                continue
            end = _match_rest(alias, text, token.end(), following)
            if end is None:
                continue
            words = [word[stripped:], *(f[1] for f in following[: len(alias.keys) - 1])]
            if table.spelling_fits(alias, words):
                return alias, token.start() + stripped, end, words
    return None


def find_states(text: str, languages: Sequence[str] | None = None) -> list[StateMention]:
    """Every state mention in `text`, left to right, non-overlapping (longest alias wins).

    `languages` limits the aliases to those languages (None: all; English names are common in
    every language's news, so callers usually pass ["en", <the article's language>]).
    """
    table = alias_table()
    allowed = None if languages is None else frozenset(languages)
    mentions: list[StateMention] = []
    by_first, longest = table.by_first, table.longest_word
    resume = 0
    for token in TOKEN.finditer(text):
        word = token.group()
        # Hot path: most words start no alias; one cached fold and one dict lookup settle them.
        if len(word) > longest or (
            fold(word) not in by_first and not "\u0600" <= word[0] <= "\u06ff"
        ):
            continue
        if token.start() < resume:
            continue
        hit = _match_at(table, text, token, allowed)
        if hit is None:
            continue
        alias, start, end, words = hit
        resume = end
        if alias.form != "block":
            mention = _resolve(table, alias, text, (start, end, token.start()), words)
            if mention is not None:
                mentions.append(mention)
    return mentions


# ------------------------------------------------------------------ context rules


def _words_before(text: str, start: int) -> list[str]:
    """Up to two words right before `start`, joined to it by spaces only (same phrase).

    String splitting, not an end-anchored regex: `re.search(...$)` retries at every position
    of the window and cost a fifth of the matcher's time.
    """
    window = text[max(0, start - CONTEXT_WINDOW) : start]
    rest = window.rstrip(" ")
    words: list[str] = []
    while len(rest) < len(window) and len(words) < 2:
        window, _, chunk = rest.rpartition(" ")
        tokens = TOKEN.findall(chunk)
        if not tokens or not chunk.endswith(tokens[-1]):
            break  # punctuation before the space: another phrase
        words.insert(0, tokens[-1])
        if len(tokens) > 1:
            break  # "l'ambassadeur": the word is the last token, and nothing before it counts
        window += " " if window else ""  # the separator rpartition consumed
        rest = window.rstrip(" ")
    return words


def _resolve(
    table: AliasTable, alias: Alias, text: str, offsets: tuple[int, int, int], words: list[str]
) -> StateMention | None:
    """Turn a matched alias into a mention, reading the words around it for the confidence.

    `offsets` are the mention's start and end and the start of its first word (before an
    Arabic clitic); `words` are the words matched, as written.
    """
    start, end, word_start = offsets
    flags, form, candidates = alias.flags, alias.form, alias.candidates
    after = _NEXT.match(text, end)
    next_gap, next_word = (after.group(1), after.group(2)) if after else ("", "")
    needs_before = form in ("abbreviation", "demonym", "capital") or "person" in flags
    before = _words_before(text, word_start) if needs_before else []
    prev_word = before[-1] if before else ""
    iso3 = candidates[0] if len(candidates) == 1 or "first" in flags else None
    confidence = {
        "abbreviation": CONF_ABBREVIATION,
        "demonym": CONF_DEMONYM,
        "capital": CONF_CAPITAL,
        "region": CONF_AMBIGUOUS,
    }.get(form, CONF_NAME)
    # Ambiguous or flagged aliases stay at or below CONF_AMBIGUOUS whatever the context says.
    ceiling = CONF_AMBIGUOUS if "low" in flags or len(candidates) > 1 else CONF_NAME
    if form == "abbreviation":
        if text.startswith("$", end):  # "US$ 5 million" is a currency
            return None
        if prev_word.isupper() and next_word.isupper() and min(len(prev_word), len(next_word)) > 1:
            confidence = CONF_CAPS_CONTEXT  # "LET US KNOW": the pronoun in a shouted headline
    elif form == "demonym":
        # English puts the adjective first ("Chinese ambassador"); es/fr/pt/ar after the noun.
        neighbours = [next_word] if next_gap.isspace() else []
        if alias.lang != "en":
            neighbours += before
        actor = {fold(word) for word in neighbours} & _ACTOR_NOUNS
        if actor:
            confidence = max(confidence, CONF_DEMONYM_ACTOR)
        elif "actor" in flags:
            if fold(next_word) in _REGION_NOUNS:
                form, iso3, confidence = "region", None, CONF_AMBIGUOUS
            elif alias.lang != "en":
                return None  # "en español": a language name, not Spain
            else:
                iso3, confidence = None, CONF_UNLIKELY  # "American" as in the continent
    elif form == "capital":
        clitic = text[word_start:start]
        if (norm_gap(next_gap) == "'" and next_word == "s") or fold(next_word) in _REPORTING:
            confidence = CONF_CAPITAL_ACTOR  # "Beijing's affairs", "Moscow has rejected"
        elif fold(prev_word) in _LOCATIVES or any(c in clitic for c in "\u0628\u0644"):
            confidence = CONF_CAPITAL_PLACE  # "in Beijing", Arabic ببكين "in Beijing"
    if "person" in flags and _looks_like_person(prev_word, next_gap, next_word):
        confidence = CONF_UNLIKELY
    if "us_state" in flags and (
        _US_BEFORE.search(text, max(0, start - CONTEXT_WINDOW), start) or _US_AFTER.match(text, end)
    ):
        confidence = CONF_UNLIKELY
    if form == "region":
        iso3, candidates = None, ()
    confidence = min(confidence, ceiling)
    written = text[start:end]
    lang = table.language_of(alias, words)
    if lang != "en" and form in ("name", "short"):
        form = "translated"  # "Canadá" shares the slot of English "Canada"
    elif lang == "en" and form == "translated":
        form = "name"  # "Mexico" shares the slot of Spanish "México"
    return StateMention(start, end, written, iso3, form, lang, confidence, candidates)


def _looks_like_person(prev_word: str, next_gap: str, next_word: str) -> bool:
    """ "Michael Jordan", "Jordan Henderson": a capitalised neighbour joined by spaces only."""
    if next_gap == " " and next_word[:1].isupper() and fold(next_word) not in _STRUCTURAL:
        return True
    return prev_word[:1].isupper() and fold(prev_word) not in _STRUCTURAL
