"""Reported speech in a processed Doc: which words report speech, who is named as speaking, and
what the report says.

`find_frames` reads every token once, outside quotations (a verb inside someone's words is
theirs, not the report's):
1. Cues: a reporting verb of the lexicon (tagged as a verb when the Doc has tags; "read",
   "delivered", "made" only with a speech noun as object), a multiword cue ("according to X",
   "X pointed out"), or a speech noun followed by "by" ("a statement by Germany").
2. Speaker phrase: the verb's subject in the parse, or the subject of the verb it depends on
   ("..., saying", "attended and delivered", "quoted a diplomat as saying"); without a parse or
   a subject, the noun phrase next to the cue on the surface ("Geng said", "said Geng").
3. Content: what the verb governs on its right ("said his government opposes ..."), or the
   clause on its left when the report comes last ("..., he added").
Names, roles and who the phrase stands for are read later (speakers.py); this module only finds
the frames.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Token

from blocwatch.extract.speech_lexicon import Lexicon, bare, lexicon
from blocwatch.extract.surface import (
    MAX_INVERTED_GAP,
    MAX_PHRASE_TOKENS,
    QuotedRegions,
    Sentences,
    is_mark,
    surface_after,
    surface_before,
    surface_name_before,
)

# Hops up the parse from a subject-less verb ("saying", "and delivered") to one with a subject.
MAX_CLIMB = 3
# Dependencies of a verb that carry what was said.
_CONTENT_DEPS = frozenset(
    "ccomp xcomp dobj dative prep advcl attr oprd npadvmod advmod acomp".split()
)
# Words before a verb form that make it a noun ("the claims", "his remarks"), for untagged text.
_NOUN_MARKERS = frozenset("the a an his her its their our my your these those this that".split())
# ... of which these say what was said (the others say where, when, how).
_CORE_DEPS = frozenset("ccomp xcomp dobj dative attr oprd".split())
_SUBJECT_DEPS = frozenset({"nsubj"})


@dataclass(frozen=True)
class Frame:
    """One report of speech. Ranges are token index ranges [start, end) in the Doc."""

    cue: tuple[int, int]  # the verb or the words of the cue
    speaker: tuple[int, int] | None  # the speaker phrase, as written
    head: int | None  # the phrase's head token (a name's last token, a pronoun, a noun)
    content: tuple[int, int] | None  # the reported words (indirect speech)
    sentence: tuple[int, int]
    kind: str  # verb | cue | statement | by | dash
    anchor: int | None = None  # the verb whose subject the speaker is (a climbed-to verb)

    @property
    def governor(self) -> int:
        """The token the speaker phrase hangs from: the anchor verb, else the cue."""
        return self.anchor if self.anchor is not None else self.cue[0]


def find_frames(doc: Doc, lex: Lexicon, quoted: QuotedRegions, sentences: Sentences) -> list[Frame]:
    """Every report of speech outside quotations, in text order."""
    parsed = doc.has_annotation("DEP")
    tagged = doc.has_annotation("TAG")
    frames: list[Frame] = []
    for start, end in sentences.ranges:
        sentence = (start, end)
        i = start
        while i < end:
            token = doc[i]
            if quoted.contains(token.idx) or token.is_punct or token.is_space:
                i += 1
                continue
            cue = _cue_at(doc, i, end, lex)
            if cue is not None:
                words, side = cue
                frames.append(_cue_frame(doc, (i, i + words), side, sentence, lex, quoted))
                i += words
                continue
            kind = _verb_kind(token, lex, tagged, parsed)
            if kind is not None:
                frames.append(_verb_frame(token, kind, sentence, lex, quoted, parsed))
            elif token.lower_ == "by" and i > start and _reports_by(doc[i - 1], lex):
                speaker = surface_after(doc, i, end, lex, quoted)
                if speaker is not None:
                    frames.append(
                        Frame((i - 1, i + 1), speaker[:2], speaker[2], None, sentence, "by")
                    )
            i += 1
    return frames


# ---------------------------------------------------------------- cues


def _cue_at(doc: Doc, i: int, end: int, lex: Lexicon) -> tuple[int, str] | None:
    """(number of words, side of the speaker) of a multiword cue starting at token i."""
    for size in range(min(lex.longest_cue, end - i), 0, -1):
        key = tuple(doc[j].lower_ for j in range(i, i + size))
        side = lex.cues.get(key)
        if side is not None:
            return size, side
    return None


def _verb_kind(token: Token, lex: Lexicon, tagged: bool, parsed: bool) -> str | None:
    kind = lex.verbs.get(token.lower_)
    if kind is None:
        return None
    if tagged and token.tag_ and not token.tag_.startswith("VB"):
        return None  # "thanks to", "calls for help" as a noun, "warning" signs
    if not tagged and not token.text.islower():
        return None  # untagged: "on behalf of a number of States" is not the verb "states"
    after_marker = token.i > 0 and token.doc[token.i - 1].lower_ in _NOUN_MARKERS
    if not tagged and after_marker and token.lower_ in lexicon("en").verbs:
        return None  # untagged: "the claims were false", "his remarks": English nouns
    if parsed and token.dep_ in ("amod", "compound"):
        return None
    if (
        token.i >= 2
        and token.doc[token.i - 1].text == "-"
        and token.doc[token.i - 2].lower_ == "so"
    ):
        return None  # "so-called"
    if parsed and any(child.dep_ in ("auxpass", "nsubjpass") for child in token.children):
        return None  # "people have been warned": the subject is told, not telling
    if parsed and token.tag_ == "VBN" and token.dep_ == "advcl":
        return None  # "Asked about the letter, Wang said": Wang was asked, then spoke
    if parsed and any(child.tag_ == "MD" for child in token.children):
        return None  # "residents can comment", "the board would ask": not a report
    if kind == "statement" and not _has_speech_object(token, lex, parsed):
        return None
    return kind


def _has_speech_object(token: Token, lex: Lexicon, parsed: bool) -> bool:
    """ "read the joint statement", "delivered the national statement", "made the comment"."""
    if parsed:
        return any(
            child.dep_ == "dobj" and child.lower_ in lex.speech_nouns for child in token.children
        )
    doc = token.doc
    for j in range(token.i + 1, min(len(doc), token.i + 6)):
        if doc[j].is_punct:
            return False
        if doc[j].lower_ in lex.speech_nouns:
            return True
    return False


def _reports_by(previous: Token, lex: Lexicon) -> bool:
    """ "statement by X", "delivered by X", "remarks by X"."""
    word = previous.lower_
    return word in lex.speech_nouns or lex.verbs.get(word) == "statement" or word == "delivered"


# ---------------------------------------------------------------- frames


def _verb_frame(
    token: Token,
    kind: str,
    sentence: tuple[int, int],
    lex: Lexicon,
    quoted: QuotedRegions,
    parsed: bool,
) -> Frame:
    doc = token.doc
    speaker: tuple[int, int, int] | None = None
    anchor: int | None = None
    if parsed:
        subject = _parse_subject(token)
        if subject is not None and not quoted.contains(subject.idx):
            speaker = _phrase_of(subject, quoted)
            anchor = subject.head.i if subject.dep_ in _SUBJECT_DEPS else None
    if speaker is None:
        speaker = surface_before(doc, token.i, sentence[0], lex, quoted) or surface_after(
            doc, token.i, sentence[1], lex, quoted, MAX_INVERTED_GAP
        )
    if speaker is None and not parsed:
        speaker = surface_name_before(doc, token.i, sentence[0], quoted)
    content = _parse_content(token, speaker) if parsed else None
    if content is None:
        content = _surface_content(doc, token.i + 1, sentence, speaker)
    frame_kind = "statement" if kind == "statement" else "verb"
    return Frame(
        (token.i, token.i + 1),
        speaker[:2] if speaker else None,
        speaker[2] if speaker else None,
        content,
        sentence,
        frame_kind,
        anchor,
    )


def _cue_frame(
    doc: Doc,
    cue: tuple[int, int],
    side: str,
    sentence: tuple[int, int],
    lex: Lexicon,
    quoted: QuotedRegions,
) -> Frame:
    """ "according to X" (speaker after, content the rest of the sentence), "X pointed out"."""
    start, end = sentence
    if side == "after":
        speaker = surface_after(doc, cue[1] - 1, end, lex, quoted, appositive=False)
        if speaker is None:
            return Frame(cue, None, None, None, sentence, "cue")
        if cue[0] - start <= 1:  # "According to X, ..." opens the sentence
            after = _skip_appositive(doc, speaker[1], end, lex)
            content: tuple[int, int] | None = _content(doc, after, end)
        else:
            content = _content(doc, start, cue[0])
        return Frame(cue, speaker[:2], speaker[2], content, sentence, "cue")
    token = doc[cue[0]]
    found = None
    if doc.has_annotation("DEP"):
        subject = _parse_subject(token)
        found = _phrase_of(subject, quoted) if subject is not None else None
    found = found or surface_before(doc, cue[0], start, lex, quoted)
    content = _surface_content(doc, cue[1], sentence, found)
    return Frame(
        cue, found[:2] if found else None, found[2] if found else None, content, sentence, "cue"
    )


def _skip_appositive(doc: Doc, i: int, end: int, lex: Lexicon) -> int:
    """Past ", a spokesman for the ministry," after a name: where the reported words start."""
    if i >= end or doc[i].text != ",":
        return i
    for j in range(i + 1, min(end, i + MAX_PHRASE_TOKENS)):
        if doc[j].text == ",":
            has_role = any(bare(doc[k].text) in lex.roles for k in range(i + 1, j))
            return j + 1 if has_role else i
    return i


def _parse_subject(token: Token) -> Token | None:
    """The subject of `token`, or of the verb it hangs from ("..., saying", "and delivered")."""
    current = token
    for _ in range(MAX_CLIMB + 1):
        for child in current.children:
            if child.dep_ in _SUBJECT_DEPS:
                return child
            if child.dep_ == "agent":
                objects = [c for c in child.children if c.dep_ == "pobj"]
                if objects:
                    return objects[0]
        # "Reuters quoted a diplomat as saying": the diplomat speaks.
        if current.dep_ == "pcomp" and current.head.lower_ == "as":
            objects = [c for c in current.head.head.children if c.dep_ == "dobj"]
            if objects:
                return objects[0]
        if current.dep_ in ("ROOT", "ccomp", "relcl") or current.head is current:
            return None
        current = current.head
    return None


def _phrase_of(head: Token, quoted: QuotedRegions) -> tuple[int, int, int]:
    """The subtree of a subject, cut to the stretch around its head that is outside quotes."""
    start, end = head.left_edge.i, head.right_edge.i + 1
    doc = head.doc
    left = head.i
    while left > start and not is_mark(doc[left - 1]) and not quoted.contains(doc[left - 1].idx):
        left -= 1
    right = head.i + 1
    while right < end and not is_mark(doc[right]) and not quoted.contains(doc[right].idx):
        right += 1
    while left < head.i and (doc[left].is_punct or doc[left].is_space):
        left += 1
    while right > head.i + 1 and (doc[right - 1].is_punct or doc[right - 1].is_space):
        right -= 1
    return left, right, head.i


def _parse_content(token: Token, speaker: tuple[int, int, int] | None) -> tuple[int, int] | None:
    """What the verb governs: its clause or object on the right, else a clause on its left."""
    doc = token.doc
    skip = range(speaker[0], speaker[1]) if speaker else range(0)
    right = [
        c
        for c in token.children
        if c.i > token.i and c.dep_ in _CONTENT_DEPS and c.i not in skip and not c.is_punct
    ]
    left = [c for c in token.children if c.i < token.i and c.dep_ == "ccomp"]
    if left and not any(c.dep_ in _CORE_DEPS for c in right):
        # "It does not bind anyone, the mayor conceded at a news conference": the clause
        # on the left is what was said; "at a news conference" is only where.
        return _content(doc, left[0].left_edge.i, left[0].right_edge.i + 1)
    clauses = [c for c in right if c.dep_ == "ccomp"]
    if clauses:
        right = [
            c for c in right if c.i >= clauses[0].i
        ]  # "told reporters that ...": not reporters
    if right:
        start = min(c.left_edge.i for c in right)
        end = max(c.right_edge.i for c in right) + 1
        return _content(doc, start, end)
    return None


def _surface_content(
    doc: Doc, after: int, sentence: tuple[int, int], speaker: tuple[int, int, int] | None
) -> tuple[int, int] | None:
    """Without a parse: the rest of the sentence after the cue (minus an inverted speaker), or
    the part before the speaker when the cue ends the sentence ("..., she said.")."""
    start, end = sentence
    if speaker is not None and speaker[0] >= after:
        after = speaker[1]
    content = _trimmed(doc, after, end)
    if content[1] > content[0] and not all(doc[j].is_punct for j in range(*content)):
        return content
    if speaker is not None and speaker[0] > start:
        before = _trimmed(doc, start, speaker[0])
        if before[1] > before[0]:
            return before
    return None


def _content(doc: Doc, start: int, end: int) -> tuple[int, int] | None:
    """A trimmed token range, or None when nothing is left."""
    trimmed = _trimmed(doc, start, end)
    return trimmed if trimmed[1] > trimmed[0] else None


def _trimmed(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """A token range without punctuation, spaces or that/: at its edges."""
    while start < end and (
        doc[start].is_punct or doc[start].is_space or doc[start].lower_ == "that"
    ):
        start += 1
    while end > start and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    return start, end
