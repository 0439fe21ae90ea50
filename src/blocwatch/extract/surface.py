"""Speaker phrases read from the surface: the words next to a reporting verb, without a parse.

The parse finds a verb's subject in English; these rules are the fallback when it finds none and
the only reading of other languages (whose Doc has no tags or parse, see quotes.surface_doc):
- before the verb, skipping auxiliaries and adverbs ("Geng also said", "Danon a dénoncé"): the
  noun phrase that ends there, past an appositive between commas ("X, head of ..., said");
- after it ("said spokesman Geng Shuang", "according to X", "a statement by X"): the noun
  phrase that starts there, with a role's appositive ("his counterpart, Christoph Heusgen");
- as a last resort in an unparsed Doc, the nearest run of capitalised words before the verb.
Romance titles put adjectives after the role noun ("l'ambassadeur palestinien Riyad Mansour"),
so up to MAX_POSTPOSED lower-case words may follow a role noun inside a phrase.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence

from spacy.tokens import Doc, Token

from blocwatch.extract.speech_lexicon import Lexicon, bare

# A surface speaker phrase is at most this many tokens (a name with a long appositive role).
MAX_PHRASE_TOKENS = 24
# How far a surface search looks past the cue for an inverted subject ("said the envoy").
MAX_INVERTED_GAP = 2
# Words skipped between a subject and its verb on the surface (more per language in the
# lexicon's `between` rows): "Geng also said", "has urged".
_BETWEEN = frozenset("also again then has have had will would".split())
# Lower-case adverbs by their ending ("strongly", "fermement", "firmemente").
_ADVERB_ENDINGS = ("ly", "ment", "mente")
# At most this many adjectives after a Romance role noun ("ambassadeur américain adjoint").
MAX_POSTPOSED = 2
_CONNECTORS = frozenset("of to for on at in and".split())
# First- and second-person pronouns: the speaker inside a quotation, never a name.
_OTHER_PRONOUNS = frozenset("i we you they us them nous vous nosotros ellos".split())
_POSSESSIVES = frozenset("his her its their son sa ses su sus".split())
_DETERMINERS = frozenset("the a an this that these those".split())
_PRONOUN_TAGS = frozenset({"PRP"})


class QuotedRegions:
    """Character regions of top-level quotations, marks included, for fast membership tests."""

    def __init__(self, regions: Sequence[tuple[int, int]]) -> None:
        self._regions = sorted(regions)
        self._starts = [start for start, _ in self._regions]

    def contains(self, position: int) -> bool:
        index = bisect_right(self._starts, position) - 1
        return index >= 0 and position < self._regions[index][1]


class Sentences:
    """Token ranges of a Doc's sentences, with a fast lookup (spaCy's `Token.sent` walks the
    whole Doc on every call)."""

    def __init__(self, doc: Doc) -> None:
        if doc.has_annotation("SENT_START"):
            self.ranges = [(s.start, s.end) for s in doc.sents]
        else:
            self.ranges = [(0, len(doc))] if len(doc) else []
        self._starts = [start for start, _ in self.ranges]

    def index(self, i: int) -> int:
        """The number of the sentence holding token i."""
        return max(0, bisect_right(self._starts, i) - 1)

    def of(self, i: int) -> tuple[int, int]:
        """The token range of the sentence holding token i."""
        return self.ranges[self.index(i)] if self.ranges else (0, 0)


def is_mark(token: Token) -> bool:
    """A quotation mark token."""
    return token.text in ('"', "'") or token.is_quote


def skippable(token: Token, lex: Lexicon) -> bool:
    """An auxiliary or adverb between a subject and its verb ("also", "has", "a", "fermement")."""
    word = token.lower_
    if word in _BETWEEN or word in lex.between or token.tag_ == "RB":
        return True
    return token.is_alpha and token.text.islower() and word.endswith(_ADVERB_ENDINGS)


def speaker_word(token: Token, lex: Lexicon) -> bool:
    """A token that can end (head) a speaker phrase: a name, a pronoun, a role or body noun."""
    word = bare(token.text)
    if word in lex.pronouns or word in lex.institution_pronouns:
        return True
    if token.tag_ in _PRONOUN_TAGS or word in _OTHER_PRONOUNS:
        return token.tag_ in _PRONOUN_TAGS
    if word in lex.roles or word in lex.institutions or word in lex.groups:
        return True
    determiners = _DETERMINERS | lex.determiners
    return token.is_alpha and token.text[:1].isupper() and word not in determiners


def _title_joint(token: Token, lex: Lexicon) -> bool:
    """A lower-case word that may sit inside a title: a connector or a role noun."""
    word = bare(token.text)
    return word in _CONNECTORS or word in lex.connectors or word in lex.roles or token.text == "'s"


def surface_before(
    doc: Doc, i: int, start: int, lex: Lexicon, quoted: QuotedRegions
) -> tuple[int, int, int] | None:
    """The noun phrase that ends right before token i: "Geng said", "Jamshed Khamidov, head of
    Tajikistan's mission in Geneva, said"."""
    j = i - 1
    while j >= start and skippable(doc[j], lex):
        j -= 1
    if j < start or quoted.contains(doc[j].idx):
        return None
    end = j + 1
    if doc[j].text == ",":  # an appositive: the head is before the previous comma
        k = j - 1
        while k >= max(start, j - MAX_PHRASE_TOKENS) and doc[k].text != ",":
            k -= 1
        if k < start or doc[k].text != ",":
            return None
        j = k - 1
        end = i - 1
    if j < start or not speaker_word(doc[j], lex) or quoted.contains(doc[j].idx):
        return None
    head = j
    left = j
    determiners = _DETERMINERS | lex.determiners
    while left - 1 >= start and left > j - MAX_PHRASE_TOKENS:
        previous = doc[left - 1]
        if quoted.contains(previous.idx) or (
            previous.is_punct and previous.text not in ("-", "'s")
        ):
            break
        if bare(previous.text) in determiners or previous.lower_ in determiners:
            left -= 1
            break
        if (
            not (previous.is_alpha or previous.text in ("'s", "-", "."))
            and "'" not in previous.text
        ):
            break
        lower = previous.text[:1].islower() and not _title_joint(previous, lex)
        if lower and not _adjective_after_role(doc, left - 1, lex):
            break
        left -= 1
    connectors = _CONNECTORS | lex.connectors
    while left < head and bare(doc[left].text) in connectors:
        left += 1
    return left, end, _noun_head(doc, left, head, lex)


def _noun_head(doc: Doc, left: int, last: int, lex: Lexicon) -> int:
    """The head of a noun phrase with a complement: "Mission" in "the Chinese Mission in
    Geneva" (the last role or body noun before the first connector), else its last word."""
    connectors = _CONNECTORS | lex.connectors
    head = last
    for k in range(left, last + 1):
        word = bare(doc[k].text)
        if word in connectors:
            break
        if word in lex.roles or word in lex.institutions:
            head = k
    return head


def _adjective_after_role(doc: Doc, i: int, lex: Lexicon) -> bool:
    """ "l'ambassadeur palestinien", "embajador adjunto": Romance languages put adjectives
    after the role noun (at most MAX_POSTPOSED words)."""
    for k in range(max(0, i - MAX_POSTPOSED), i):
        if bare(doc[k].text) in lex.roles and all(
            doc[m].is_alpha and doc[m].text.islower() for m in range(k + 1, i + 1)
        ):
            return True
    return False


def surface_after(
    doc: Doc,
    i: int,
    end: int,
    lex: Lexicon,
    quoted: QuotedRegions,
    max_gap: int = MAX_INVERTED_GAP,
    appositive: bool = True,
) -> tuple[int, int, int] | None:
    """The noun phrase right after token i: "said spokesman Geng Shuang", "according to X",
    "statement by his German counterpart, Christoph Heusgen" (`appositive`: a comma may join
    a name to its role; not after "according to X," where the comma ends the cue)."""
    determiners = _DETERMINERS | lex.determiners
    start = i + 1
    while (
        start < end
        and start <= i + max_gap + 1
        and (
            doc[start].lower_ in determiners
            or doc[start].lower_ in lex.honorifics
            or skippable(doc[start], lex)
        )
    ):
        start += 1
    possessive = start < end and doc[start].lower_ in _POSSESSIVES
    if not possessive and (
        start >= end or quoted.contains(doc[start].idx) or not speaker_word(doc[start], lex)
    ):
        return None
    stop = start
    head = start
    while stop < end and stop < start + MAX_PHRASE_TOKENS:
        token = doc[stop]
        if quoted.contains(token.idx) or is_mark(token) or token.is_space or token.like_num:
            break
        if token.text == ",":
            following = doc[stop + 1] if stop + 1 < end else None
            if not appositive or following is None or not speaker_word(following, lex):
                break
        elif (token.is_punct and token.text != "-" and not _initial_dot(doc, stop, end)) or (
            token.text[:1].islower()
            and not _title_joint(token, lex)
            and token.lower_ not in _POSSESSIVES
            and not _adjective_after_role(doc, stop, lex)
        ):
            break
        if speaker_word(token, lex) and bare(token.text) not in _CONNECTORS | lex.connectors:
            head = stop
        stop += 1
    if stop == start:
        return None
    return start, stop, head


def _initial_dot(doc: Doc, i: int, end: int) -> bool:
    """The dot of an initial or a title split off by the tokenizer ("Sec . Teodor")."""
    return (
        doc[i].text == "."
        and i + 1 < end
        and doc[i + 1].text[:1].isupper()
        and (i > 0 and len(doc[i - 1].text) <= 3)
    )


def surface_name_before(
    doc: Doc, i: int, start: int, quoted: QuotedRegions
) -> tuple[int, int, int] | None:
    """Without a parse, the last run of two or more capitalised words before token i in its
    sentence: the subject of "L'ambassadeur américain adjoint Robert Wood a fermement opposé
    la résolution, affirmant ..."."""
    j = i - 1
    while j >= start:
        if quoted.contains(doc[j].idx):
            j -= 1
            continue
        if doc[j].is_alpha and doc[j].text[:1].isupper() and doc[j].text[1:].islower():
            k = j
            while (
                k - 1 >= start
                and doc[k - 1].is_alpha
                and doc[k - 1].text[:1].isupper()
                and not quoted.contains(doc[k - 1].idx)
            ):
                k -= 1
            if j - k >= 1:
                return k, j + 1, j
            j = k
        j -= 1
    return None
