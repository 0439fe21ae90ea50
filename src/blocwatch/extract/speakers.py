"""Who each report of speech names as speaking, and the `Speaker` records of a document.

`SpeakerResolver` reads the frames (attribution.py) in text order and gives each a `Voice`:
1. A pronoun ("he said") is the nearest person before it whose gender fits, subjects of the
   same or an earlier sentence first (at most MAX_PRONOUN_SENTENCES back); an unnamed speaker
   there ("a diplomat said") also answers, and stays unnamed. "It adds" is the last body that
   spoke.
2. A person named in the phrase: one person per name (names.py merges "Geng" into "Geng Shuang").
3. A definite role with no name ("said the envoy", "the Netherlands ambassador noted") is the
   nearest person before it whose role has the same noun (or a synonym) and, if the phrase names
   a state, the same affiliation; otherwise an unnamed speaker, never listed.
4. A body or a document ("the statement said", "the Chinese Mission to the UNOG said", "China
   says", "Amnesty International described") is an institution speaker.
5. Groups ("diplomats said", "UN experts say") and anything else are unnamed.
Only people and institutions that some frame names become `Speaker`s; the fullest name form is
the name, the first role found next to any of its forms the role.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from blocwatch.clean.metadata import agencies
from blocwatch.extract.attribution import Frame
from blocwatch.extract.names import NameIndex, normalise
from blocwatch.extract.report import EvidenceWriter
from blocwatch.extract.speaker_roles import Role, RoleReader
from blocwatch.extract.speech_lexicon import Lexicon, bare
from blocwatch.extract.surface import QuotedRegions, Sentences
from blocwatch.model import Speaker
from blocwatch.nlp.state_aliases import fold
from blocwatch.nlp.states import StateMention

# How many sentences back a pronoun looks for its person ("he said" three sentences later).
MAX_PRONOUN_SENTENCES = 5
# A state this sure names a body ("China says"); capitals need the reporting-verb reading.
STATE_CONFIDENCE = 0.5
_INDEFINITE = frozenset("a an one another some any".split())
_PLURAL_TAGS = frozenset({"NNS", "NNPS"})
# Words between a name and its verb: "Geng also said", "Akram has urged".
_BETWEEN = frozenset("also again then has have had will would later".split())
# A word before a capital that makes it a thing or a place, not a person: "the Voice",
# "in Geneva".
_NOT_BEFORE_NAMES = frozenset("the a an in at to of from on for".split())
_GENDERED = {"mr": "m", "mr.": "m", "sir": "m", "mrs": "f", "mrs.": "f", "ms": "f", "ms.": "f"}


@dataclass(frozen=True)
class Voice:
    """Who a frame names: a person (key into NameIndex), an institution, or nobody by name."""

    kind: str  # person | institution | unnamed
    key: int | str | None = None
    human: bool = False  # an unnamed single person ("a diplomat"): a pronoun may refer to it


@dataclass
class _Institution:
    key: str
    start: int  # token range of its fullest written form
    end: int
    affiliation: str | None
    words: tuple[str, ...] = ()
    head: str = ""  # the head noun, folded: "mission" in "Chinese Mission in Geneva"


@dataclass
class _Record:
    """What the document says about one voice: first frame, quoted directly or not."""

    voice: Voice
    first: int  # token index of the first frame naming it
    quoted: bool = False
    frames: list[Frame] = field(default_factory=list)


class SpeakerResolver:
    """Resolves the frames of one Doc to voices, then builds its `Speaker` records."""

    def __init__(
        self,
        doc: Doc,
        lex: Lexicon,
        states: Sequence[StateMention],
        frames: Sequence[Frame],
        quoted: QuotedRegions,
        sentences: Sentences,
    ) -> None:
        self.doc = doc
        self.lex = lex
        self.quoted = quoted
        self.names = NameIndex(doc, lex, states, sentences)
        self.roles = RoleReader(doc, lex, states, sentences)
        self._states = {m.start: m for m in states}
        self.sentences = sentences
        self._institutions: dict[str, _Institution] = {}
        self._records: dict[tuple[str, int | str | None], _Record] = {}
        self._subjects: list[tuple[int, Voice]] = []  # (token, voice) of resolved frames
        self._role_cache: dict[int, Role | None] = {}
        self._collect_names(frames)

    # ------------------------------------------------------------ names

    def _collect_names(self, frames: Sequence[Frame]) -> None:
        """People: PERSON entities and names in speaker phrases first, then capitalised runs
        elsewhere that repeat a known name (a surname alone, a misspelling)."""
        doc = self.doc
        for entity in doc.ents:
            if entity.label_ == "PERSON" and not self.quoted.contains(entity.start_char):
                for start, end in self.names.runs(entity.start, entity.end):
                    if end - start > 1:
                        self.names.add(start, end)
        for token in doc:
            # "Mr Ole Dahl", "Ms Carla Ruiz": a courtesy title before capitals names a person.
            if token.lower_ in self.lex.honorifics and token.text[:1].isupper():
                following = token.i + 1
                if following < len(doc) and doc[following].text == ".":
                    following += 1  # "Mr . Dahl" when the tokenizer splits the dot off
                for run in self.names.runs(following, min(len(doc), following + 4), strict=False):
                    if run[0] == following and not self.quoted.contains(doc[run[0]].idx):
                        self.names.add(*run)
                    break
        singles: list[tuple[int, int]] = []
        for frame in frames:
            best = self._name_in_phrase(frame)
            if best is None:
                continue
            if best[1] - best[0] > 1:
                self.names.add(*best)
            else:
                singles.append(best)
        for start, end in singles:
            if self.names.find(start, end) is not None or self._lone_name(start, frames):
                self.names.add(start, end)
        for start, end in self.names.runs(0, len(doc)):
            if not self.quoted.contains(doc[start].idx) and self.names.find(start, end) is not None:
                self.names.add(start, end)
        for person in self.names.people:
            for start, _ in person.mentions:
                gender = _GENDERED.get(doc[start - 1].lower_) if start else None
                person.gender = person.gender or gender

    def _name_in_phrase(self, frame: Frame) -> tuple[int, int] | None:
        """The best name-like run in a frame's speaker phrase: a PERSON entity first, then a
        run of several words, then the run nearest the phrase head."""
        if frame.speaker is None:
            return None
        start, end = frame.speaker
        head = frame.head if frame.head is not None else end - 1
        best: tuple[int, int] | None = None
        best_score: tuple[int, int, int] | None = None
        for run in self.names.runs(start, end, strict=False):
            person = any(self.doc[i].ent_type_ == "PERSON" for i in range(*run))
            if not self._attached(run, head, end, frame.governor):
                continue
            distance = 0 if run[0] <= head < run[1] else min(abs(head - run[0]), abs(head - run[1]))
            score = (int(person), int(run[1] - run[0] > 1), -distance)
            if best_score is None or score > best_score:
                best, best_score = run, score
        return best

    def _attached(self, run: tuple[int, int], head: int, end: int, cue: int) -> bool:
        """A name the recogniser did not label is taken only as the phrase's head or its
        appositive ("The governor of Xinjiang, Shohrat Zakir"), never from inside a
        complement ("the statement, submitted ... in New York")."""
        if run[0] <= head < run[1]:
            return True
        between = self.doc[run[1] : cue]
        adjacent = run[1] <= cue and all(t.tag_ == "RB" or t.lower_ in _BETWEEN for t in between)
        if adjacent and self.roles.title_start(run[0]) is not None:
            return True  # "UN special rapporteur on ... Agnes Callamard said" (misparsed)
        if not self.doc.has_annotation("DEP"):
            return True  # a surface phrase is already tight: its names are its speakers
        return any(
            token.dep_ == "appos" and token.head.i == head for token in self.doc[run[0] : run[1]]
        )

    def _lone_name(self, index: int, frames: Sequence[Frame]) -> bool:
        """A one-word name that no longer form explains ("Trump said"): the head of a speaker
        phrase, a proper noun, no article before it, not a state, place or organisation."""
        token = self.doc[index]
        if not any(frame.head == index for frame in frames):
            return False
        if token.ent_type_ == "PERSON":
            return True
        following = self.doc[index + 1 : index + 3]
        if len(following) == 2 and following[0].text == "," and following[1].lower_ == "who":
            return True  # "Trump, who met Xi on Friday, said": a person, whatever the label
        if not self.doc.has_annotation("TAG"):
            # Untagged, a capital may just open the sentence ("While ..."): only a word right
            # next to its verb counts ("Trump asegura").
            next_to_verb = any(
                frame.head == index and abs(frame.cue[0] - index) == 1 for frame in frames
            )
            before = self.doc[index - 1].lower_ if index else ""
            return next_to_verb and not token.is_stop and before not in _NOT_BEFORE_NAMES
        if token.ent_type_ in ("GPE", "LOC", "NORP", "ORG") or self.names.is_state_token(token):
            return False
        if token.tag_ and token.tag_ != "NNP":
            return False
        return not index or self.doc[index - 1].lower_ not in _NOT_BEFORE_NAMES

    # ------------------------------------------------------------ resolution

    def resolve(self, frame: Frame) -> Voice:
        """The voice a frame names; frames must come in text order (pronouns look back)."""
        voice = self._resolve(frame)
        if frame.speaker is not None and (voice.kind == "person" or voice.human):
            self._subjects.append((frame.speaker[0], voice))
        if voice.kind in ("person", "institution"):
            record = self._records.get((voice.kind, voice.key))
            if record is None:
                record = _Record(voice, frame.cue[0])
                self._records[(voice.kind, voice.key)] = record
            record.frames.append(frame)
        return voice

    def _resolve(self, frame: Frame) -> Voice:
        if frame.speaker is None:
            return Voice("unnamed")
        start, end = frame.speaker
        head = self.doc[frame.head if frame.head is not None else end - 1]
        word = head.lower_
        if word in self.lex.pronouns and end - start <= 2:
            return self._antecedent(head.i, self.lex.pronouns[word])
        if word in self.lex.institution_pronouns and end - start <= 2:
            return self._last_institution(head.i)
        named = self._person_in(start, end, head.i, frame.governor)
        if named is not None:
            return Voice("person", named)
        body = self._body_name(head, start, end)
        if (head.tag_ in _PLURAL_TAGS and not body) or word in self.lex.groups:
            return Voice("unnamed")
        if bare(head.text) in self.lex.roles:
            return self._anaphor(start, end, head)
        if word in self.lex.institutions or body:
            return self._institution(start, end, head)
        return Voice("unnamed")

    def _person_in(self, start: int, end: int, head: int, cue: int) -> int | None:
        """A known person named as the phrase's head or its appositive (not "the letter,
        addressed to ... Michelle Bachelet")."""
        best: tuple[int, int] | None = None
        for person in self.names.people:
            for s, e in person.mentions:
                inside = start <= s and e <= end and (best is None or s < best[0])
                if inside and self._attached((s, e), head, end, cue):
                    best = (s, person.key)
        return best[1] if best else None

    def _antecedent(self, index: int, gender: str) -> Voice:
        """The person a he/she refers to (see the module docstring, rule 1)."""
        sentence = self.sentences.index(index)
        counted = 0
        for back in range(sentence, -1, -1):
            low, high = self.sentences.ranges[back]
            high = min(high, index)
            if all(self.quoted.contains(t.idx) for t in self.doc[low:high] if not t.is_space):
                continue  # a sentence inside a quotation is the speaker's, not a new scene
            counted += 1
            if counted > MAX_PRONOUN_SENTENCES:
                break
            subjects = [v for t, v in reversed(self._subjects) if low <= t < high]
            mentions = [
                Voice("person", key)
                for s, _, key in reversed(self.names.mentions_before(high))
                if s >= low and not self.quoted.contains(self.doc[s].idx)
            ]
            for voice in subjects + mentions:
                if voice.kind != "person":
                    return voice  # an unnamed person spoke last: "he" is that person
                person = self.names.people[int(voice.key or 0)]
                if person.gender in (None, gender):
                    person.gender = gender
                    return voice
        return Voice("unnamed", human=True)

    def _last_institution(self, index: int) -> Voice:
        best: _Record | None = None
        for record in self._records.values():
            last = record.frames[-1].cue[0]
            later = best is None or last > best.frames[-1].cue[0]
            if record.voice.kind == "institution" and last < index and later:
                best = record
        return best.voice if best else Voice("unnamed")

    def _anaphor(self, start: int, end: int, head: Token) -> Voice:
        """ "the envoy", "The Netherlands ambassador": the nearest person with that role."""
        first = self.doc[start].lower_
        if first in _INDEFINITE or first in self.lex.indefinites:
            return Voice("unnamed", human=True)
        word = bare(head.text)
        group = self.lex.anaphors.get(word)
        nouns = (
            {n for n, g in self.lex.anaphors.items() if g == group} if group is not None else set()
        )
        nouns.add(word)
        state = self.roles.affiliation_in(self.doc[start].idx, head.idx + len(head))
        best: tuple[int, int] | None = None
        for s, _, key in self.names.mentions_before(start):
            role = self.role_of(key)
            if role is None or not nouns & {bare(w) for w in role.text.split()}:
                continue
            if state is not None and role.affiliation != state:
                continue
            if best is None or s > best[0]:
                best = (s, key)
        return Voice("person", best[1]) if best else Voice("unnamed", human=True)

    def _body_name(self, head: Token, start: int, end: int) -> bool:
        """A state, an ORG entity, a news agency or a known organisation as the phrase head."""
        words = [t.text for t in self.doc[start:end] if t.lower_ not in ("the", "a", "an")]
        phrase = fold(" ".join(words))
        if head.ent_type_ == "ORG" or fold(head.text) in self.lex.orgs or phrase in self.lex.orgs:
            return True
        if phrase in agencies() or fold(head.text) in agencies():
            return True
        mention = self._mention_at(head)
        return mention is not None and (
            mention.confidence >= STATE_CONFIDENCE or mention.form == "capital"
        )

    def _mention_at(self, token: Token) -> StateMention | None:
        for mention in self._states.values():
            if mention.start <= token.idx < mention.end:
                return mention
        return None

    def _institution(self, start: int, end: int, head: Token) -> Voice:
        doc = self.doc
        while start < head.i and doc[start].lower_ in ("the", "a", "an", "its", "their"):
            start += 1
        stop = head.i + 1
        # "the Chinese Mission to the UNOG": a capitalised complement belongs to the name.
        while (
            stop + 1 < end
            and doc[stop].lower_ in ("to", "of", "in", "at")
            and (doc[stop + 1].text[:1].isupper() or doc[stop + 1].lower_ == "the")
        ):
            stop += 2
            while stop < end and doc[stop].text[:1].isupper():
                stop += 1
        mention = self._mention_at(head)
        affiliation = (
            mention.iso3 if mention is not None and mention.iso3 else None
        ) or self.roles.affiliation_in(doc[start].idx, doc[stop - 1].idx + len(doc[stop - 1]))
        words = normalise(doc[start:stop].text)
        key = f"state:{mention.iso3}" if mention is not None and mention.iso3 else " ".join(words)
        noun = fold(head.text)
        for known in self._institutions.values():
            if known.head == noun and (
                set(words) <= set(known.words) or set(known.words) <= set(words)
            ):
                if len(words) > len(known.words):
                    known.start, known.end, known.words = start, stop, words
                return Voice("institution", known.key)
        if key not in self._institutions:
            self._institutions[key] = _Institution(key, start, stop, affiliation, words, noun)
        return Voice("institution", key)

    # ------------------------------------------------------------ roles

    def role_of(self, key: int) -> Role | None:
        """The first role written next to any form of a person's name."""
        if key not in self._role_cache:
            role = None
            for start, end in self.names.people[key].mentions:
                role = self.roles.role_at(start, end)
                if role is not None:
                    break
            self._role_cache[key] = role
        return self._role_cache[key]

    def _affiliation(self, key: int, role: Role | None) -> str | None:
        """From the role; else an organisation right after a name ("X of the Y Network");
        else a state named in the sentence of one of the person's frames, outside what is
        reported ("spokesman Geng Shuang told a briefing in Beijing")."""
        if role is not None and role.affiliation:
            return role.affiliation
        for start, end in self.names.people[key].mentions:
            found = self.roles.affiliation_after(end) or self.roles.affiliation_before(start)
            if found:
                return found
        record = self._records.get(("person", key))
        for frame in record.frames if record else ():
            found = self.roles.place_near(frame, self.quoted)
            if found:
                return found
        return None

    # ------------------------------------------------------------ output

    def mark_quoted(self, voice: Voice) -> None:
        record = self._records.get((voice.kind, voice.key))
        if record is not None:
            record.quoted = True

    def quoted_institutions(self, nouns: frozenset[str]) -> bool:
        """Whether a body or document whose name ends in one of `nouns` is quoted directly."""
        return any(
            record.quoted
            and record.voice.kind == "institution"
            and self._institutions[str(record.voice.key)].head in nouns
            for record in self._records.values()
        )

    def speakers(self, evidence: EvidenceWriter) -> tuple[tuple[Speaker, ...], dict[Voice, int]]:
        """The Speaker records, in order of the first frame naming each, and their indices."""
        doc = self.doc
        ordered = sorted(self._records.values(), key=lambda r: r.first)
        speakers: list[Speaker] = []
        index: dict[Voice, int] = {}
        for number, record in enumerate(ordered):
            voice = record.voice
            if voice.kind == "person":
                key = int(voice.key or 0)
                name, (start, end) = self.names.name_text(key)
                role = self.role_of(key)
                speaker = Speaker(
                    index=number,
                    name=name,
                    evidence=evidence(
                        doc[start].idx, doc[end - 1].idx + len(doc[end - 1]), "speaker"
                    ),
                    role=role.text if role else None,
                    affiliation=self._affiliation(key, role),
                    posting=role.posting if role else None,
                    quoted=record.quoted,
                    kind="person",
                )
            else:
                body = self._institutions[str(voice.key)]
                last = doc[body.end - 1]
                speaker = Speaker(
                    index=number,
                    name=doc[body.start : body.end].text,
                    evidence=evidence(doc[body.start].idx, last.idx + len(last), "speaker"),
                    affiliation=body.affiliation,
                    quoted=record.quoted,
                    kind="institution",
                )
            speakers.append(speaker)
            index[voice] = number
        return tuple(speakers), index
