"""Who said what: direct and indirect quotes and their speakers, with evidence in the original.

`extract_voices` stages, in the order they run:
1. Quotation marks are paired on the clean text (quote_marks.py).
2. Reports of speech are found outside quotations (attribution.py) and resolved to voices, in
   text order so that "he said" can look back (speakers.py).
3. Each top-level quotation gets the report that attributes it, first rule that applies:
   - a report right after it: `"…," X said` / `"…," said X` / `"…" he added` (only the speaker
     phrase, commas, dashes and adverbs in between);
   - a report before it in its sentence: `X said: "…"`, `X said that … "…"`; a short quotation
     (<= SCARE_QUOTE_MAX_WORDS) only when the parse puts it under the verb or the verb is right
     before it, so a scare quote in a sentence that also reports speech stays a scare quote;
   - a dash or a colon with a name: `"…" — X`, `X: "…"`;
   - the quotation it continues (a paragraph that opens with a mark while the last one was
     left open), the quotation before it in its paragraph, or, for a paragraph that opens with
     a quotation, the last report of the paragraph before.
   A short quotation with no report is a scare quote: not a Quote (framing.py reads those).
4. Reports not used for a quotation become indirect quotes of what they govern.
5. Speakers: every person or institution some report names; `quoted` when a quotation is theirs
   (a person who delivered a statement that is quoted directly counts as quoted).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence

from spacy.attrs import IDX
from spacy.tokens import Doc, Span

from blocwatch.extract.attribution import Frame, find_frames
from blocwatch.extract.quote_marks import QuoteSpan, pair_quotes, paragraphs, quoted_spans
from blocwatch.extract.report import EvidenceWriter
from blocwatch.extract.signals import Signals
from blocwatch.extract.speakers import SpeakerResolver, Voice
from blocwatch.extract.speech_lexicon import lexicon
from blocwatch.extract.surface import QuotedRegions, Sentences
from blocwatch.model import Article, Evidence, Quote, Speaker

__all__ = ["SCARE_QUOTE_MAX_WORDS", "extract_voices", "quoted_spans"]

# A quotation this short with no report of speech is a scare quote ("hopping mad").
SCARE_QUOTE_MAX_WORDS = 4
# Tokens between a closing mark and its report: `"…," Vadim Pisarevich, deputy permanent
# representative of Belarus to the UNOG, told` is 14.
MAX_TRAILING_GAP = 30
# Tokens between a reporting verb and the quotation it introduces (`saying: "`, `said the
# letter "…"`, `stressed that the U.S. statement is "…"`).
MAX_LEADING_GAP = 14
# ... for a short quotation the verb must be right before it (`described as "…"`).
MAX_SHORT_LEADING_GAP = 3
# Hops up the parse from a quotation to the verb that governs it.
MAX_ANCESTRY = 12
# Words that may stand between a quotation and its report: "he also said", "has added".
_GAP_WORDS = frozenset("also again then has have had later further".split())
_DASHES = frozenset({"\u2014", "\u2013", "-", "--"})
# Punctuation that joins a name to the quotation after it: `Wang Yi: "…"`.
_INTRODUCERS = _DASHES | {":"}
# The formula that opens a statement read at the UN: the page reproduces the statement itself.
_HONOUR = re.compile(
    r"\bI have the hono(?:u)?r to (?:the )?(?:deliver|read|make|present)\b[^.\n]{0,80}"
    r"\bstatement",
    re.IGNORECASE,
)
# Documents whose words are reported directly when quoted ("the joint statement noted, "…"").
_DOCUMENT_NOUNS = frozenset("statement declaration text".split())


def extract_voices(
    article: Article, doc: Doc, signals: Signals
) -> tuple[tuple[Speaker, ...], tuple[Quote, ...]]:
    """Speakers and quotes of one article (stages in the module docstring)."""
    if (signals.language or "en") != "en":
        doc = surface_doc(doc, signals.sentences)
    text = doc.text
    spans = pair_quotes(text)
    top = [s for s in spans if s.depth == 0]
    regions = QuotedRegions(
        [(s.open_at, s.close_at + 1 if s.close_at is not None else s.end) for s in top]
    )
    lex = lexicon(signals.language)
    sentences = Sentences(doc)
    frames = find_frames(doc, lex, regions, sentences)
    resolver = SpeakerResolver(doc, lex, signals.states, frames, regions, sentences)
    voices = {id(frame): resolver.resolve(frame) for frame in frames}
    linker = _Linker(doc, text, top, frames, voices, resolver)
    attributed = linker.link()
    evidence = EvidenceWriter(article)
    quotes: list[tuple[int, str, tuple[int, int], Voice, Frame | None]] = []
    used: set[int] = set()
    for span, (voice, frame) in zip(top, attributed, strict=True):
        if frame is not None:
            used.add(id(frame))
        if voice is None and _scare(text, span):
            continue
        voice = voice or Voice("unnamed")
        if voice.kind != "unnamed":
            resolver.mark_quoted(voice)
        quotes.append((span.start, "direct", (span.start, span.end), voice, frame))
    for frame in frames:
        if id(frame) in used or frame.content is None:
            continue
        if voices[id(frame)].kind == "unnamed" and _nested(frame, frames):
            continue  # "Falk said the board would ask ...": the board's asking is reported
        start, end = frame.content
        if end <= start:
            continue
        chars = (doc[start].idx, doc[end - 1].idx + len(doc[end - 1]))
        if regions.contains(chars[0]) or regions.contains(chars[1] - 1):
            continue  # starts or ends inside a quotation: the direct quote says it
        voice = voices[id(frame)]
        if any(
            q[1] == "indirect" and q[3] == voice and q[2][0] <= chars[0] and chars[1] <= q[2][1]
            for q in quotes
        ):
            continue  # "criticized … for writing …, blaming …": one report, not three
        quotes.append((chars[0], "indirect", chars, voice, frame))
    reproduced = _reproduced_statement(doc, text, frames, voices)
    if reproduced is not None:
        chars, voice, frame = reproduced
        resolver.mark_quoted(voice)
        quotes.append((chars[0], "direct", chars, voice, frame))
    _mark_readers(resolver, frames, voices)
    speakers, index = resolver.speakers(evidence)
    quotes.sort(key=lambda q: q[0])
    built = tuple(
        Quote(
            index=number,
            evidence=evidence(*chars, "quote"),
            kind=kind,
            speaker=index.get(voice),
            attribution=_attribution(doc, frame, evidence),
        )
        for number, (_, kind, chars, voice, frame) in enumerate(quotes)
    )
    return speakers, built


def surface_doc(doc: Doc, sentences: Sequence[tuple[int, int]]) -> Doc:
    """The Doc's tokens with the pipeline's sentences and PERSON entities, without the English
    model's tags and parse: on another language they mislead more than they help, and every
    step has a surface rule for a Doc without them."""
    starts = {start for start, _ in sentences}
    honorifics = lexicon(None).honorifics
    sent_starts: list[bool | int | None] = [
        token.i == 0 or (token.idx in starts and not _after_title(doc, token.i, honorifics))
        for token in doc
    ]
    bare_doc = Doc(
        doc.vocab,
        words=[token.text for token in doc],
        spaces=[bool(token.whitespace_) for token in doc],
        sent_starts=sent_starts,
    )
    bare_doc.set_ents(
        [Span(bare_doc, e.start, e.end, label="PERSON") for e in doc.ents if e.label_ == "PERSON"]
    )
    return bare_doc


def _after_title(doc: Doc, i: int, honorifics: frozenset[str]) -> bool:
    """A sentence split after "Sec." or "Dr." in "DFA Sec. Teodor Locsin" is no split."""
    previous = doc[i - 1].lower_
    if previous == "." and i >= 2:
        previous = doc[i - 2].lower_ + "."
    return previous in honorifics


def _attribution(doc: Doc, frame: Frame | None, evidence: EvidenceWriter) -> Evidence | None:
    if frame is None:
        return None
    low, high = frame.cue
    if frame.speaker is not None:
        low, high = min(low, frame.speaker[0]), max(high, frame.speaker[1])
    last = doc[high - 1]
    return evidence(doc[low].idx, last.idx + len(last), "attribution")


def _scare(text: str, span: QuoteSpan) -> bool:
    """A short quotation that is not a sentence of its own: a term held at a distance
    ("hopping mad"), unlike `"It is a mistake."`."""
    if span.word_count(text) > SCARE_QUOTE_MAX_WORDS:
        return False
    inner = text[span.start : span.end].rstrip(",")
    return not (inner[:1].isupper() and inner.endswith((".", "!", "?")))


def _nested(frame: Frame, frames: Sequence[Frame]) -> bool:
    """Whether a report sits inside what another report says."""
    cue = frame.cue[0]
    return any(
        other is not frame
        and other.content is not None
        and other.content[0] <= cue < other.content[1]
        for other in frames
    )


def _reproduced_statement(
    doc: Doc, text: str, frames: Sequence[Frame], voices: dict[int, Voice]
) -> tuple[tuple[int, int], Voice, Frame] | None:
    """A statement printed in full ("I have the honour to deliver this statement on behalf of
    ..." on a ministry page): the words of the person the page says delivered it, from the
    formula to the end of the text."""
    found = _HONOUR.search(text)
    if found is None:
        return None
    readers = [
        frame
        for frame in frames
        if frame.kind in ("statement", "by") and voices[id(frame)].kind == "person"
    ]
    if not readers:
        return None
    frame = min(readers, key=lambda f: abs(doc[f.cue[0]].idx - found.start()))
    end = len(text.rstrip())
    return (found.start(), end), voices[id(frame)], frame


def _mark_readers(
    resolver: SpeakerResolver, frames: Sequence[Frame], voices: dict[int, Voice]
) -> None:
    """A person who read or delivered a statement is quoted when the statement is."""
    quoted_documents = resolver.quoted_institutions(_DOCUMENT_NOUNS)
    if not quoted_documents:
        return
    for frame in frames:
        voice = voices[id(frame)]
        if frame.kind in ("statement", "by") and voice.kind == "person":
            resolver.mark_quoted(voice)


class _Linker:
    """Links each top-level quotation to the report that attributes it (stage 3)."""

    def __init__(
        self,
        doc: Doc,
        text: str,
        top: Sequence[QuoteSpan],
        frames: Sequence[Frame],
        voices: dict[int, Voice],
        resolver: SpeakerResolver,
    ) -> None:
        self.doc = doc
        self.text = text
        self.top = top
        self.frames = sorted(frames, key=lambda f: f.cue[0])
        self.voices = voices
        self.resolver = resolver
        self._starts = doc.to_array([IDX]).tolist() if len(doc) else []
        self._cues = [f.cue[0] for f in self.frames]
        self._paragraphs = paragraphs(text)

    def token_at(self, position: int) -> int:
        return max(0, bisect_right(self._starts, position) - 1)

    def link(self) -> list[tuple[Voice | None, Frame | None]]:
        links: list[tuple[Voice | None, Frame | None]] = []
        for number, span in enumerate(self.top):
            leading = self._leading(span, number)
            if leading is not None and self._introduces(leading, span):
                frame: Frame | None = leading
            else:
                frame = self._trailing(span) or leading or self._dash(span)
            voice = self.voices[id(frame)] if frame is not None else None
            if voice is None:
                voice = self._carried(number, links)
            links.append((voice, frame))
        # A quotation over several paragraphs is one speaker's: carry a late report back.
        for number in range(len(self.top) - 1, 0, -1):
            if self.top[number].continues and links[number][0] and not links[number - 1][0]:
                links[number - 1] = (links[number][0], links[number - 1][1])
        return links

    def _introduces(self, frame: Frame, span: QuoteSpan) -> bool:
        """`It adds: "…"`, `said the letter, "…"`: the report ends right at the mark."""
        between = self.text[self.doc[frame.cue[1] - 1].idx : span.open_at]
        if frame.speaker is not None and frame.speaker[1] > frame.cue[1]:
            last = self.doc[frame.speaker[1] - 1]
            between = self.text[last.idx + len(last) : span.open_at]
        return between.rstrip().endswith((":", ","))

    def _trailing(self, span: QuoteSpan) -> Frame | None:
        if span.close_at is None:
            return None
        rest = self.text[span.close_at + 1 : span.close_at + 3]
        if "\n" in rest:
            return None  # the paragraph ends with the quotation
        inner = self.text[span.start : span.end].rstrip()
        after = self.token_at(span.close_at) + 1
        # `"… ." The ministry said …` starts a new sentence; `"… ." he said` does not.
        ends_sentence = inner.endswith((".", "?", "!")) and not rest.startswith(",")
        if ends_sentence and (after >= len(self.doc) or not self.doc[after].text[:1].islower()):
            return None
        at = bisect_right(self._cues, after - 1)
        for frame in self.frames[at : at + 3]:
            cue = frame.cue[0]
            if cue - after > MAX_TRAILING_GAP:
                break
            if all(self._gap_token(i, frame) for i in range(after, cue)):
                return frame
        return None

    def _gap_token(self, i: int, frame: Frame) -> bool:
        token = self.doc[i]
        if frame.speaker is not None and frame.speaker[0] <= i < frame.speaker[1]:
            return True
        if token.is_space:
            return "\n" not in token.text
        if token.text in (",", ":") or token.text in _DASHES:
            return True
        if token.lower_ in _GAP_WORDS or token.tag_ == "RB":
            return True
        return token.is_quote and self.text[token.idx] in "\"'"

    def _leading(self, span: QuoteSpan, number: int) -> Frame | None:
        opening = self.token_at(span.open_at)
        previous_end = self.top[number - 1].end if number else -1
        short = _scare(self.text, span)
        at = bisect_right(self._cues, opening - 1)
        for frame in reversed(self.frames[max(0, at - 4) : at]):
            cue = frame.cue[1]
            if self.doc[frame.cue[0]].idx < previous_end:
                return None  # another quotation stands between the verb and this one
            if not self._same_sentence(frame, opening):
                return None
            gap = opening - cue
            if self._governs(frame, opening):
                return frame
            if short and gap <= MAX_SHORT_LEADING_GAP:
                return frame
            if not short and gap <= MAX_LEADING_GAP and not self._stop_between(cue, opening):
                return frame
        return None

    def _same_sentence(self, frame: Frame, opening: int) -> bool:
        low, high = frame.sentence
        if low <= opening < high:
            return True
        # `X said:` closing one line and the quotation opening the next.
        last = self.doc[high - 1]
        return high == opening and last.text == ":"

    def _stop_between(self, start: int, end: int) -> bool:
        return any(self.doc[i].text in (".", ";", "!", "?") for i in range(start, end))

    def _governs(self, frame: Frame, opening: int) -> bool:
        """Whether the reporting verb is an ancestor of the quotation's first word."""
        if not self.doc.has_annotation("DEP") or opening + 1 >= len(self.doc):
            return False
        token = self.doc[opening + 1]
        for _ in range(MAX_ANCESTRY):
            if token.i == frame.cue[0]:
                return True
            if token.head is token:
                return False
            token = token.head
        return False

    def _dash(self, span: QuoteSpan) -> Frame | None:
        """`"…" — Wang Yi` and `Wang Yi: "…"`: a name joined to the quote by punctuation."""
        doc = self.doc
        if span.close_at is not None:
            i = self.token_at(span.close_at) + 1
            while i < len(doc) and doc[i].text in (",", "."):
                i += 1
            if i < len(doc) and doc[i].text in _DASHES:
                frame = self._named_frame(i, i + 1, span)
                if frame is not None:
                    return frame
        opening = self.token_at(span.open_at)
        if opening >= 2 and doc[opening - 1].text in _INTRODUCERS:
            low = self.resolver.sentences.of(opening - 1)[0]
            return self._named_frame(opening - 1, low, span, before=True)
        return None

    def _named_frame(
        self, cue: int, edge: int, span: QuoteSpan, before: bool = False
    ) -> Frame | None:
        names = self.resolver.names
        if before:
            runs = list(names.runs(edge, cue, strict=False))
            run = runs[-1] if runs and runs[-1][1] == cue else None
        else:
            stop = edge
            while stop < len(self.doc) and not self.doc[stop].is_punct and stop - edge < 8:
                stop += 1
            runs = list(names.runs(edge, stop, strict=False))
            run = runs[0] if runs and runs[0][0] == edge else None
        if run is None or run[1] - run[0] < 2:
            return None
        names.add(*run)
        sentence = (run[0], max(run[1], cue + 1))
        frame = Frame((cue, cue + 1), run, run[1] - 1, None, sentence, "dash")
        self.voices[id(frame)] = self.resolver.resolve(frame)
        return frame

    def _carried(
        self, number: int, links: Sequence[tuple[Voice | None, Frame | None]]
    ) -> Voice | None:
        """A quotation with no report of its own: the one it continues, the one before it in
        its paragraph, or the last report of the previous paragraph when it opens one."""
        span = self.top[number]
        if _scare(self.text, span):
            return None
        if number and links[number - 1][0] is not None:
            previous = self.top[number - 1]
            if span.continues or self._paragraph(previous.open_at) == self._paragraph(span.open_at):
                return links[number - 1][0]
        paragraph = self._paragraph(span.open_at)
        if paragraph <= 0 or self._paragraphs[paragraph][0] != span.open_at:
            return None
        low, high = self._paragraphs[paragraph - 1]
        last: Voice | None = None
        for frame in self.frames:
            position = self.doc[frame.cue[0]].idx
            if low <= position < high and self.voices[id(frame)].kind != "unnamed":
                last = self.voices[id(frame)]
        return last

    def _paragraph(self, position: int) -> int:
        starts = [start for start, _ in self._paragraphs]
        return bisect_right(starts, position) - 1
