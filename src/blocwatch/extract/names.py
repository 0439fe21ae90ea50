"""People's names in a Doc: which capitalised words are a person's name, and which written forms
name the same person ("Geng Shuang" ... "Geng", "Michelle Bachelet" ... "Michele Bachelet").

spaCy's small English model often labels a foreign name as ORG or GPE ("Vadim Pisarevich",
"Shohrat Zakir"), so a name is read from capitalisation, with the entity label as one signal:
1. Runs: maximal stretches of capitalised words (initials "E.", particles "al-", "bin", "van"
   inside), cut after a role, an honorific or a state adjective ("Chief Executive | Carrie Lam",
   "Ukrainian President | Volodymyr Zelensky"), and dropped when they hold an organisation word,
   a state, a region, a news agency or an acronym ("Sky News", "Tajikistan", "UNOG").
2. Forms are compared folded (case, accents); two forms name one person when one's words are
   a subset of the other's, or when they have the same length, the same surname and first
   names within a small edit distance (a misspelling).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from rapidfuzz.distance import Levenshtein
from spacy.tokens import Doc, Token

from blocwatch.clean.metadata import agencies
from blocwatch.extract.speech_lexicon import Lexicon
from blocwatch.extract.surface import Sentences
from blocwatch.nlp.state_aliases import fold
from blocwatch.nlp.states import StateMention

# A name is at most this many words ("Leslie E. Norton", "Ahmed bin Ali al-Thani").
MAX_NAME_WORDS = 5
# Two spellings of one given name differ by at most this share of characters ("Michele").
MAX_SPELLING_DISTANCE = 0.25
# A state mention this sure is a state, never part of a name ("Riyad" Mansour is below it).
STATE_CONFIDENCE = 0.5
# A sentence with more capitals than this share of its letters is a shouted line, where
# every word looks like an acronym.
CAPITALS_SHARE = 0.8
# Lower-case words that may sit inside a name.
_PARTICLES = frozenset("al el bin ibn bint van von der de da dos du del la le di abu".split())
# Entity labels that make a capitalised run a place or a thing, not a person.
_NOT_PEOPLE = frozenset({"GPE", "LOC", "NORP", "FAC", "DATE", "TIME", "EVENT", "PRODUCT", "LAW"})
_CALENDAR = frozenset(
    """monday tuesday wednesday thursday friday saturday sunday january february march april
    may june july august september october november december today yesterday""".split()
)


def _person_edge(left: Token, right: Token) -> bool:
    """A PERSON entity starts or ends between two tokens ("Geneva | Leslie E. Norton")."""
    if right.ent_type_ == "PERSON" and right.ent_iob_ == "B":
        return True
    return left.ent_type_ == "PERSON" and right.ent_type_ != "PERSON"


def normalise(name: str) -> tuple[str, ...]:
    """A name's comparable words: folded, without "'s", initials and punctuation."""
    words: list[str] = []
    for raw in name.replace("'s", " ").replace("\u2019s", " ").split():
        word = fold(raw.strip(".,;:()[]\"'"))
        if len(word) > 1 or (word and not raw.endswith(".")):
            words.append(word)
    return tuple(w for w in words if w)


def same_person(a: Sequence[str], b: Sequence[str]) -> bool:
    """Whether two normalised names can name one person (see the module docstring)."""
    if not a or not b:
        return False
    if set(a) <= set(b) or set(b) <= set(a):
        return True
    if len(a) != len(b) or len(a) < 2 or a[-1] != b[-1]:
        return False
    return all(
        Levenshtein.normalized_distance(x, y) <= MAX_SPELLING_DISTANCE
        for x, y in zip(a[:-1], b[:-1], strict=True)
    )


@dataclass
class Person:
    """One person the document names, with every place a form of the name is written."""

    key: int
    mentions: list[tuple[int, int]] = field(default_factory=list)  # token ranges, text order
    forms: list[tuple[str, ...]] = field(default_factory=list)
    gender: str | None = None

    @property
    def fullest(self) -> tuple[int, int]:
        """The first place the longest form is written."""
        best = max(len(form) for form in self.forms)
        for mention, form in zip(self.mentions, self.forms, strict=True):
            if len(form) == best:
                return mention
        return self.mentions[0]


class NameIndex:
    """The people of one Doc and their name forms, built from PERSON entities and the names
    found in speaker phrases, then from other capitalised runs that match a known person."""

    def __init__(
        self, doc: Doc, lex: Lexicon, states: Sequence[StateMention], sentences: Sentences
    ) -> None:
        self.doc = doc
        self._sentences = sentences
        self._caps: dict[int, bool] = {}  # sentence number -> written in capitals
        self.lex = lex
        sure = [m for m in states if m.confidence >= STATE_CONFIDENCE]
        self._state_chars = {c for m in sure if m.form != "demonym" for c in range(m.start, m.end)}
        # A demonym starts a title ("Chinese Foreign Ministry"); after a given name it is a
        # surname ("Zbigniew Czech").
        self._demonym_starts = {m.start for m in sure if m.form == "demonym"}
        self.people: list[Person] = []
        self._by_token: dict[int, int] = {}  # first token of a mention -> person key

    # -- deciding what is a name

    def is_state_token(self, token: Token) -> bool:
        return token.idx in self._state_chars or token.idx in self._demonym_starts

    def _name_token(self, token: Token) -> bool:
        text = token.text
        if token.lower_ in _PARTICLES or text in ("-", "."):
            return True
        if len(text) == 2 and text[0].isupper() and text[1] == ".":
            return True  # an initial
        return text[:1].isupper() and any(c.isalpha() for c in text)

    def _breaks_name(self, token: Token, first: bool) -> bool:
        """A capitalised word that ends a name to its left: a role, title, organisation or state
        word (a demonym only at the start of a run), an acronym ("UN", not the initial "E.");
        "UN High Commissioner for Human Rights | Carla Ruiz"."""
        word = token.lower_.rstrip(".")
        letters = [c for c in token.text if c.isalpha()]
        return (
            word in self.lex.roles
            or (word.endswith("s") and word[:-1] in self.lex.roles)
            or token.lower_ in self.lex.honorifics
            or word in self.lex.honorifics
            or token.idx in self._state_chars
            or (first and token.idx in self._demonym_starts)
            or (len(letters) > 1 and token.text.isupper() and not self._all_caps_line(token))
            or (token.text[:1].isupper() and word in self.lex.org_words)
            or any(c.isdigit() for c in token.text)
        )

    def _all_caps_line(self, token: Token) -> bool:
        """Whether the token's sentence is written in capitals ("DELIVERED BY H.E. ...")."""
        number = self._sentences.index(token.i)
        if number not in self._caps:
            start, end = self._sentences.of(token.i)
            letters = [c for c in self.doc[start:end].text if c.isalpha()]
            upper = sum(c.isupper() for c in letters)
            self._caps[number] = bool(letters) and upper > CAPITALS_SHARE * len(letters)
        return self._caps[number]

    def runs(self, start: int, end: int, strict: bool = True) -> Iterator[tuple[int, int]]:
        """Name-like runs inside the token range [start, end). `strict`: a run the entity
        recogniser labels a place or a thing is not a name (off for speaker phrases, where
        "Shohrat Zakir, told" is a person whatever the label)."""
        doc = self.doc
        i = start
        while i < end:
            if not (self._name_token(doc[i]) and doc[i].text[:1].isupper()):
                i += 1
                continue
            j = i
            while j < end and self._name_token(doc[j]) and not doc[j].is_quote:
                if doc[j].text in ("-", ".") and (
                    j + 1 >= end or not doc[j + 1].text[:1].isupper()
                ):
                    break
                j += 1
            yield from self._cut(i, j, strict)
            i = max(j, i + 1)

    def _cut(self, start: int, end: int, strict: bool) -> Iterator[tuple[int, int]]:
        """Split a capitalised run at roles, titles and states; keep the parts that are names."""
        doc = self.doc
        part = start
        for k in range(start, end + 1):
            if k < end and k > part and _person_edge(doc[k - 1], doc[k]):
                if self._plausible(part, k, strict):
                    yield part, k
                part = k
            if k == end or self._breaks_name(doc[k], k == part):
                while part < k and (doc[part].lower_ in _PARTICLES or doc[part].text in ("-", ".")):
                    part += 1
                stop = k
                while stop > part and doc[stop - 1].text in ("-",):
                    stop -= 1
                if stop > part and self._plausible(part, stop, strict):
                    yield part, stop
                part = k + 1

    def _plausible(self, start: int, end: int, strict: bool) -> bool:
        doc = self.doc
        words = [t for t in doc[start:end] if t.is_alpha or "-" in t.text]
        if not words or len(words) > MAX_NAME_WORDS:
            return False
        text = doc[start:end].text
        folded = fold(text)
        if folded in self.lex.regions or folded in self.lex.orgs or folded in agencies():
            return False
        person = any(token.ent_type_ == "PERSON" for token in doc[start:end])
        if any(t.tag_ == "NNS" or t.lower_ in self.lex.groups for t in doc[start:end]):
            return False  # "Uighur Muslims": people, not a person
        for token in doc[start:end]:
            if token.text[:1].isupper() and token.lower_ in self.lex.org_words:
                return False
            if token.lower_ in _CALENDAR or token.idx in self._state_chars:
                return False
            if token.text[:1].isupper() and token.lower_ in self.lex.institutions:
                return False  # "The Delegation of Venezuela"
            if strict and not person and token.ent_type_ in _NOT_PEOPLE | {"ORG"}:
                return False
        return True

    # -- the people

    def add(self, start: int, end: int) -> int:
        """Record a name written at tokens [start, end); the key of the person it names."""
        if start in self._by_token:
            return self._by_token[start]
        form = normalise(self.doc[start:end].text)
        best: Person | None = None
        for person in self.people:
            later = best is None or person.mentions[-1][0] > best.mentions[-1][0]
            if later and any(same_person(form, other) for other in person.forms):
                best = person
        if best is None:
            best = Person(len(self.people))
            self.people.append(best)
        best.mentions.append((start, end))
        best.forms.append(form)
        order = sorted(range(len(best.mentions)), key=lambda n: best.mentions[n][0])
        best.mentions = [best.mentions[n] for n in order]
        best.forms = [best.forms[n] for n in order]
        self._by_token[start] = best.key
        return best.key

    def find(self, start: int, end: int) -> int | None:
        """The known person a name at [start, end) names, without recording it."""
        form = normalise(self.doc[start:end].text)
        for person in self.people:
            if any(same_person(form, other) for other in person.forms):
                return person.key
        return None

    def mentions_before(self, position: int) -> list[tuple[int, int, int]]:
        """(token start, token end, person key) of every mention starting before `position`."""
        return sorted((s, e, p.key) for p in self.people for s, e in p.mentions if s < position)

    def name_text(self, key: int) -> tuple[str, tuple[int, int]]:
        """The fullest form of a person's name and where it is written."""
        start, end = self.people[key].fullest
        return self.doc[start:end].text, (start, end)
