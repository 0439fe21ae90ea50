"""The heart: `process(article, nlp) -> DocumentFacts`, one pure function per document.

The local runner, the Spark runner and `blocwatch eval` all call `process` or `process_many` and
nothing else, so a fact found in one place is found in all. Stages:
1. make the Doc from the clean text and attach the article's context (date anchor, language);
2. run the spaCy pipeline (model + blocwatch recognisers, see nlp/build.py);
3. gather the recognisers' output per sentence (`extract.signals`);
4. extract joint actions (`extract.joint_actions`), voices (`extract.quotes`: speakers and
   quotes), framing terms with their voice (`extract.framing`) and numeric claims
   (`extract.claims`), all with evidence in original-text offsets.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import date

from spacy.language import Language
from spacy.tokens import Doc

from blocwatch.errors import BlocwatchError
from blocwatch.extract.claims import extract_claims
from blocwatch.extract.framing import extract_frames
from blocwatch.extract.joint_actions import extract_joint_actions
from blocwatch.extract.quote_marks import quoted_spans
from blocwatch.extract.quotes import extract_voices
from blocwatch.extract.signals import Signals, split_sentences, trim_span
from blocwatch.model import Article, DocumentFacts, Quote
from blocwatch.nlp.build import register_extensions


class DocumentTooLong(BlocwatchError):
    """A document longer than the NLP model reads in one piece."""


def anchor_date(article: Article) -> date | None:
    """The date relative expressions resolve against: the publication date, when it has a day."""
    if article.published and len(article.published) == 10:
        try:
            return date.fromisoformat(article.published)
        except ValueError:
            return None
    return None


def make_doc(article: Article, nlp: Language) -> Doc:
    register_extensions()
    doc = nlp.make_doc(article.clean_text)
    doc._.anchor = anchor_date(article)
    doc._.language = article.language
    return doc


def signals_from_doc(doc: Doc) -> Signals:
    """The recognisers' results on a processed Doc, with sentences: the English parser's for
    English, punctuation and line breaks for other languages (the parser splits those badly)."""
    text = doc.text  # built from the tokens on every access: read it once
    if doc.has_annotation("SENT_START") and (doc._.language or "en") == "en":
        sentences = tuple(
            span
            for span in (trim_span(text, s.start_char, s.end_char) for s in doc.sents)
            if span[1] > span[0]
        )
    else:
        sentences = split_sentences(text)
    return Signals(
        text=text,
        language=doc._.language,
        anchor=doc._.anchor,
        sentences=sentences,
        states=tuple(doc._.state_mentions or ()),
        counts=tuple(doc._.count_mentions or ()),
        tallies=tuple(doc._.tallies or ()),
        dates=tuple(doc._.date_mentions or ()),
        cues={k: tuple(v) for k, v in (doc._.cues or {}).items()},
    )


def facts_from_doc(article: Article, doc: Doc) -> DocumentFacts:
    """Every extractor on one processed Doc; all spans are mapped to the original text."""
    signals = signals_from_doc(doc)
    speakers, quotes = extract_voices(article, doc, signals)
    frame_uses = extract_frames(
        article, signals, quoted_spans(signals.text), _quote_lookup(article, quotes)
    )
    return DocumentFacts(
        article=article,
        joint_actions=extract_joint_actions(article, signals),
        speakers=speakers,
        quotes=quotes,
        frame_uses=frame_uses,
        claims=extract_claims(article, signals),
    )


def _quote_lookup(
    article: Article, quotes: tuple[Quote, ...]
) -> Callable[[int], tuple[int | None, int | None]]:
    """(quote, speaker) holding a clean-text position: quotes carry original-text spans."""
    direct = [q for q in quotes if q.kind == "direct"]

    def quote_of(position: int) -> tuple[int | None, int | None]:
        original = article.offsets.to_original(position)
        for quote in direct:
            if quote.evidence.start <= original < quote.evidence.end:
                return quote.index, quote.speaker
        return None, None

    return quote_of


def process(article: Article, nlp: Language) -> DocumentFacts:
    """All facts of one article."""
    doc = nlp(make_doc(article, nlp))
    return facts_from_doc(article, doc)


def process_many(
    articles: Iterable[Article], nlp: Language, batch_size: int = 32, n_process: int = 1
) -> Iterator[DocumentFacts]:
    """`process` over a stream, batched through `nlp.pipe`; yields in input order, keeps nothing."""
    for _article, outcome in process_many_safely(articles, nlp, batch_size, n_process):
        if isinstance(outcome, Exception):
            raise outcome
        yield outcome


def process_many_safely(
    articles: Iterable[Article], nlp: Language, batch_size: int = 32, n_process: int = 1
) -> Iterator[tuple[Article, DocumentFacts | Exception]]:
    """Like `process_many`, but a document the extractor fails on yields its exception and the
    stream goes on (one bad document never stops a run). A text longer than the model accepts
    (`nlp.max_length`) yields a DocumentTooLong instead of stopping `nlp.pipe`."""
    too_long: list[Article] = []

    def pairs() -> Iterator[tuple[Doc, Article]]:
        for article in articles:
            if len(article.clean_text) > nlp.max_length:
                too_long.append(article)
            else:
                yield make_doc(article, nlp), article

    def refused() -> Iterator[tuple[Article, DocumentFacts | Exception]]:
        while too_long:
            article = too_long.pop(0)
            yield (
                article,
                DocumentTooLong(
                    f"{len(article.clean_text):,} characters is more than the NLP model reads "
                    f"({nlp.max_length:,}); split the document or raise the model's max_length"
                ),
            )

    for doc, article in nlp.pipe(
        pairs(), as_tuples=True, batch_size=batch_size, n_process=n_process
    ):
        yield from refused()
        try:
            yield article, facts_from_doc(article, doc)
        except Exception as exc:  # reported per document by the caller; the run goes on
            yield article, exc
    yield from refused()
