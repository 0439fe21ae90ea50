"""A named person's role and affiliation, read from the words around the name.

Three places hold a role, tried in this order for each mention of the person:
1. An appositive after the name: "Chen Xu, Chinese ambassador to the United Nations Office at
   Geneva," / "Aigerim Sultanbekova, a volunteer who records ..." / "Farid Haddad, who researches
   ... at the Corniche Institute".
2. A title run before the name: "Chinese Foreign Ministry spokesperson Yan Shuang", "China's
   Ambassador to the UNOG Chen Xu", "the Ambassador and Permanent Representative of Canada to the
   United Nations in Geneva Leslie E. Norton".
3. An appositive before the name: "The governor of Xinjiang, Shohrat Zakir," / "his German
   counterpart, Christoph Heusgen".
A role must hold a role noun (lexicon `role`) or open with "who" and a present-tense verb
("who researches ...", not "who met Xi on Friday"). The affiliation is the state the role names
(a demonym, a possessive, "of Belarus"; a region such as Xinjiang stands for its state) unless an
organisation is named before it ("Human Rights Watch's China director"); failing a state, an
organisation (the lexicon's short names: "UN", "HRW"), an ORG entity or a capitalised run with
an organisation word ("Kalasag Rights Network"). A state after "to", "in" or "at" is where the
role is held ("ambassador to China"), not whom it speaks for. Without a role, an organisation
right after the name ("X of Human Rights Watch") or a possessive before it ("Amnesty
International's X"); last, `place_near`: the state the sentence places the speaker in.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from blocwatch.extract.attribution import Frame
from blocwatch.extract.speech_lexicon import Lexicon, bare
from blocwatch.extract.surface import QuotedRegions, Sentences
from blocwatch.nlp.state_aliases import fold
from blocwatch.nlp.states import StateMention

# Longest role phrase read on either side of a name, in tokens.
MAX_ROLE_TOKENS = 24
# A role noun must come this early in an appositive ("head of ...", "a volunteer who ...").
ROLE_NOUN_WITHIN = 8
# States at or above this confidence count inside a role ("Chinese ambassador": 0.9).
STATE_CONFIDENCE = 0.5
# Words that join the parts of a title ("Representative of Canada to the United Nations").
_CONNECTORS = frozenset("of to for on at in and".split())
# Before a state, these make it the posting, not the affiliation.
_POSTING_WORDS = frozenset("to in at".split())
_DETERMINERS = frozenset("the a an".split())
_STOPPERS = frozenset("his her its their this that these those our my your who which whose".split())
# A state named this surely counts as where a speaker speaks from ("in Beijing" is 0.25).
PLACE_CONFIDENCE = 0.25
# "told a daily news briefing in Beijing": the place follows the verb within this many characters.
PLACE_WINDOW_CHARS = 60
# A possessive organisation before a state is at least this long ("HRW's").
MIN_ORGANISATION_CHARS = 4
# Organisation names this short are acronyms, matched in capitals only ("UN", not "un").
SHORT_NAME = 4
# Where a role is held: Geneva (the UN Office there) or the UN in New York.
_POSTINGS = (
    (re.compile(r"\bUNOG\b|\bGeneva\b|Ginebra|Genève|Genebra"), "UNOG"),
    (re.compile(r"\bU\.?N\.?\b|United Nations|Naciones Unidas|Nations [Uu]nies|\bONU\b"), "UN"),
)


@dataclass(frozen=True)
class Role:
    """A role phrase (token range) and the affiliation read from it."""

    start: int
    end: int
    text: str
    affiliation: str | None
    posting: str | None


class RoleReader:
    """Reads roles and affiliations in one Doc."""

    def __init__(
        self, doc: Doc, lex: Lexicon, states: Sequence[StateMention], sentences: Sentences
    ) -> None:
        self.doc = doc
        self.text = doc.text  # Doc.text joins every token on each access: read it once
        self.sentences = sentences
        self.lex = lex
        self.states = [m for m in states if m.iso3]
        self._tagged = doc.has_annotation("TAG")
        # Short names (UN, EU) match in capitals on the text; longer ones folded.
        self._orgs = [
            (
                re.compile(rf"(?<![\w.]){re.escape(name)}(?!\w)", re.IGNORECASE)
                if len(name) <= SHORT_NAME
                else re.compile(rf"\b{re.escape(name)}\b"),
                name,
                short,
            )
            for name, short in sorted(lex.orgs.items(), key=lambda item: -len(item[0]))
        ]
        self._org_entities = [
            (e.start_char, e.end_char, e.text) for e in doc.ents if e.label_ == "ORG"
        ]
        self._connectors = _CONNECTORS | lex.connectors
        self._determiners = _DETERMINERS | lex.determiners

    # -- roles

    def role_at(self, start: int, end: int) -> Role | None:
        """The role written next to the name at tokens [start, end), if any."""
        for span in (self._after(end), self._before(start), self._before_comma(start, end)):
            if span is not None:
                return self._role(*span)
        return None

    def _role(self, start: int, end: int) -> Role:
        doc = self.doc
        while start < end and doc[start].lower_ in self._determiners:
            start += 1
        while end > start + 1 and (doc[end - 1].is_punct or doc[end - 1].is_space):
            end -= 1
        text = doc[start:end].text
        affiliation = self.affiliation_in(doc[start].idx, doc[end - 1].idx + len(doc[end - 1]))
        posting = next((name for pattern, name in _POSTINGS if pattern.search(text)), None)
        return Role(start, end, text, affiliation, posting)

    def _is_role(self, token: Token) -> bool:
        return bare(token.text) in self.lex.roles

    def _after(self, end: int) -> tuple[int, int] | None:
        """ "Name, <role>," or "Name (C), <role>"."""
        doc = self.doc
        i = end
        if i < len(doc) and doc[i].text == "(":
            close = next((j for j in range(i, min(len(doc), i + 5)) if doc[j].text == ")"), None)
            i = close + 1 if close is not None else i
        if i >= len(doc) or doc[i].text != ",":
            return None
        start = i + 1
        stop = start
        sentence_end = self.sentences.of(end - 1)[1]
        while stop < min(sentence_end, start + MAX_ROLE_TOKENS):
            token = doc[stop]
            if token.text in (",", ";", ":", "(", ")") or token.is_quote or token.is_space:
                break
            if token.text == "." and stop + 1 >= sentence_end:
                break
            stop += 1
        if stop <= start:
            return None
        if doc[start].lower_ == "who":
            # "who researches Gulf policy at ...": what someone does is a role; "who met Xi on
            # Friday" (a past event) is not.
            verb = doc[start + 1] if start + 1 < stop else None
            habitual = verb is not None and (
                verb.tag_ == "VBZ" if self._tagged else verb.lower_.endswith("s")
            )
            return (start, stop) if habitual else None
        for j in range(start, min(stop, start + ROLE_NOUN_WITHIN)):
            if self._is_role(doc[j]):
                return start, stop
            if self._tagged and doc[j].tag_ in ("VBD", "VBZ", "VBP", "MD"):
                return None  # "Zhang Jun, rejected ...": a verb, not an appositive
        return None

    def _before(self, start: int) -> tuple[int, int] | None:
        """A title run that ends where the name starts."""
        left = self.title_start(start)
        return (left, start) if left is not None else None

    def _before_comma(self, start: int, end: int) -> tuple[int, int] | None:
        """ "<role>, Name," : an appositive name after its role."""
        doc = self.doc
        if start < 2 or doc[start - 1].text != ",":
            return None
        if end < len(doc) and doc[end].text not in (",", ".", ")", ";") and not doc[end].is_space:
            return None
        left = self.title_start(start - 1)
        return (left, start - 1) if left is not None else None

    def title_start(self, start: int) -> int | None:
        """Start of the title run ending at token `start`, when it holds a role noun."""
        doc = self.doc
        floor = self.sentences.of(start - 1)[0] if start else 0
        j = start - 1
        has_role = False
        while j >= max(floor, start - MAX_ROLE_TOKENS):
            token = doc[j]
            word = token.lower_
            if token.text == ",":
                if has_role:
                    break
                j -= 1
                continue
            if word == "and":
                right = doc[j + 1] if j + 1 < start else None
                if right is None or not right.text[:1].isupper():
                    break
            elif word in self._determiners:
                if word in self.lex.indefinites or word in ("a", "an"):
                    break
                if j == floor or bare(doc[j - 1].text) not in self._connectors:
                    break
            elif not self._title_word(token):
                break
            has_role = has_role or self._is_role(token)
            j -= 1
        lowest = j + 1
        left = lowest
        while left < start and not self._title_head(doc[left]):
            left += 1
        if left >= start or not any(self._is_role(doc[k]) for k in range(left, start)):
            return None
        if self._is_role(doc[left]):
            # "The foreign minister": plain words right before the role noun qualify it.
            while left > lowest and self._modifier(doc[left - 1]):
                left -= 1
        return left

    def _modifier(self, token: Token) -> bool:
        """A plain word that qualifies a role noun after it ("foreign", "permanent")."""
        if not (token.is_alpha and token.text.islower()) or token.lower_ in self.lex.verbs:
            return False
        if self._tagged:
            return token.tag_ in ("JJ", "NN", "NNS", "VBN") and token.lower_ not in _STOPPERS
        return bare(token.text) not in self._connectors and not token.lower_.endswith("ing")

    def _title_word(self, token: Token) -> bool:
        word = token.lower_
        if word in _STOPPERS or token.is_quote or any(c.isdigit() for c in token.text):
            return False
        if token.text in ("'s", "-", "\u2019s"):
            return True
        if token.is_punct or token.is_space:
            return False
        if bare(token.text) in self._connectors or self._is_role(token):
            return True
        if self._tagged and token.tag_.startswith("VB") and not token.text[:1].isupper():
            return False
        return any(c.isalpha() for c in token.text)

    def _title_head(self, token: Token) -> bool:
        """A word a title can start with: capitalised, a role, or a state adjective."""
        if bare(token.text) in self._connectors or token.text in ("'s", "-"):
            return False
        return token.text[:1].isupper() or self._is_role(token)

    # -- affiliations

    def affiliation_in(self, start: int, end: int) -> str | None:
        """The state or organisation a role phrase (character range) speaks for: the one named
        first ("Human Rights Watch's China director" speaks for HRW, "China's representative to
        the UN" for China)."""
        text = self.text
        for mention in self.states:
            if start <= mention.start and mention.end <= end and self._counts(mention):
                organisation = self._organisation_before(start, mention.start)
                if organisation is not None:
                    return organisation
                return self.lex.regions.get(fold(mention.iso3 or ""), mention.iso3)
        phrase = text[start:end]
        folded = fold(phrase)
        for region, iso3 in self.lex.regions.items():
            if re.search(rf"\b{re.escape(region)}\b", folded):
                return iso3
        return self.organisation_in(start, end)

    def _organisation_before(self, start: int, end: int) -> str | None:
        """A non-state organisation named in [start, end) (a possessive before the state)."""
        if end - start < MIN_ORGANISATION_CHARS or "'s" not in self.text[start:end]:
            return None
        found = self.organisation_in(start, end)
        return found if found is not None and found != "UN" else None

    def affiliation_before(self, start: int) -> str | None:
        """ "Amnesty International's Agnes Callamard", "China's Zhang Jun": a possessive right
        before the name."""
        doc = self.doc
        if start < 2 or doc[start - 1].text not in ("'s", "\u2019s"):
            return None
        left = start - 2
        while left > 0 and doc[left - 1].text[:1].isupper() and doc[left - 1].is_alpha:
            left -= 1
        return self.affiliation_in(doc[left].idx, doc[start - 2].idx + len(doc[start - 2]))

    def _counts(self, mention: StateMention) -> bool:
        if mention.confidence < STATE_CONFIDENCE:
            return False
        before = self.text[max(0, mention.start - 12) : mention.start].split()
        return not (before and before[-1].lower() in _POSTING_WORDS)

    def organisation_in(self, start: int, end: int) -> str | None:
        """An organisation named in a character range: the lexicon's short name, an ORG
        entity, or a capitalised run with an organisation word."""
        phrase = self.text[start:end]
        folded = fold(phrase)
        for pattern, name, short in self._orgs:
            if len(name) <= SHORT_NAME:
                if pattern.search(phrase) and _upper_match(phrase, name):
                    return short
            elif pattern.search(folded):
                return short
        for entity_start, entity_end, text in self._org_entities:
            if start <= entity_start and entity_end <= end:
                return _strip_the(text)
        span = self.doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            return None
        run: list[str] = []
        for token in span:
            if token.text[:1].isupper() and token.is_alpha:
                run.append(token.text)
                continue
            if run and any(fold(w) in self.lex.org_words for w in run[1:] + run[-1:]):
                return " ".join(run)
            run = []
        if run and any(fold(w) in self.lex.org_words for w in run[-1:]):
            return " ".join(run)
        return None

    def affiliation_after(self, end: int) -> str | None:
        """ "Carmela Bautista-Reyes of the Kalasag Rights Network": an organisation right
        after the name."""
        doc = self.doc
        if end >= len(doc) or doc[end].lower_ not in ("of", "at", "from", "for"):
            return None
        stop = end + 1
        while stop < len(doc) and stop < end + 8 and not doc[stop].is_punct:
            stop += 1
        if stop <= end + 1:
            return None
        return self.organisation_in(doc[end + 1].idx, doc[stop - 1].idx + len(doc[stop - 1]))

    def place_near(self, frame: Frame, quoted: QuotedRegions) -> str | None:
        """A state or region named in the frame's sentence, outside quotations and what is
        reported: before the verb ("Speaking at ... Hong Kong's return ..., Carrie Lam said"),
        or after it only as the place of speaking ("told a briefing in Beijing")."""
        doc = self.doc
        low, high = frame.sentence
        sentence = (doc[low].idx, doc[high - 1].idx + len(doc[high - 1]))
        cue = doc[frame.cue[0]].idx
        reported = _clause_of(doc[frame.cue[0]])
        if frame.content is not None and frame.content[0] > frame.cue[0]:
            first, last = doc[frame.content[0]], doc[frame.content[1] - 1]
            reported = (min(reported[0] or first.idx, first.idx), last.idx + len(last))
        places = [
            (m.start, self.lex.regions.get(fold(m.iso3), m.iso3))
            for m in self.states
            if m.iso3 and m.confidence >= PLACE_CONFIDENCE
        ]
        text = self.text
        for region, iso3 in self.lex.regions.items():
            found = re.compile(rf"\b{re.escape(region)}\b", re.IGNORECASE).search(
                text, sentence[0], sentence[1]
            )
            places += [(found.start(), iso3)] if found else []
        best: tuple[int, str] | None = None
        for position, iso3 in places:
            if not sentence[0] <= position < sentence[1] or quoted.contains(position):
                continue
            if text[max(0, position - 3) : position] == "to ":
                continue  # "ambassador to China": where the role is held
            if position > cue:
                before = text[max(cue, position - 4) : position]
                if position - cue > PLACE_WINDOW_CHARS or not before.endswith(" in "):
                    continue
            elif reported[0] <= position < reported[1]:
                continue
            if best is None or abs(position - cue) < abs(best[0] - cue):
                best = (position, iso3)
        return best[1] if best else None


def _clause_of(verb: Token) -> tuple[int, int]:
    """Character range of what a verb reports (its clausal complement), if parsed."""
    if not verb.doc.has_annotation("DEP"):
        return (0, 0)  # no parse: walking children of an unparsed Doc is not safe
    for child in verb.children:
        if child.dep_ in ("ccomp", "xcomp") and child.i > verb.i:
            last = child.right_edge
            return child.left_edge.idx, last.idx + len(last)
    return (0, 0)


def _upper_match(phrase: str, name: str) -> bool:
    """Short names (UN, EU) count only in capitals: "un" is not the UN."""
    return name.upper() in phrase or not name.isalpha()


def _strip_the(text: str) -> str:
    return text[4:] if text.lower().startswith("the ") else text
