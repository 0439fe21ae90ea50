"""The heart: `process(article, nlp) -> DocumentFacts`, one pure function per document.

The local runner, the Spark runner and `blocwatch eval` all reach the extractors through `process`
(one document) or `process_many_safely` (a stream) and nothing else, so a fact found in one place
is found in all. `process_stream`, what the local runners call, wraps the latter with the
relevance prefilter (`nlp.prefilter`, a plain function the Spark runner can call too), spaCy's
memory freed after every chunk, and worker processes. Stages of one document:
1. make the Doc from the clean text and attach the article's context (date anchor, language);
2. run the spaCy pipeline (model + blocwatch recognisers, see nlp/build.py);
3. gather the recognisers' output per sentence (`extract.signals`);
4. extract joint actions (`extract.joint_actions`), voices (`extract.quotes`: speakers and
   quotes), framing terms with their voice (`extract.framing`) and numeric claims
   (`extract.claims`), all with evidence in original-text offsets.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date
from itertools import islice

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
from blocwatch.nlp import prefilter
from blocwatch.nlp.build import build_nlp, register_extensions
from blocwatch.settings import Options

# Articles read per chunk by `process_stream`: the prefilter runs over a chunk, the survivors go
# through nlp.pipe together, then spaCy frees the strings the chunk added (a memory zone).
# Large enough that nlp.pipe gets full batches when a few percent survive, small enough that a
# chunk of long articles stays in the tens of MB.
CHUNK_ARTICLES = 512
# Chunks queued per worker process: one being read, one waiting, so no worker idles while the
# parent writes; more would only hold articles in memory.
CHUNKS_PER_WORKER = 2


class DocumentTooLong(BlocwatchError):
    """A document longer than the NLP model reads in one piece."""


class ExtractionFailed(BlocwatchError):
    """The extractor failed on a document in a worker process (the error, as text)."""


@dataclass(frozen=True)
class Skipped:
    """The prefilter found no line an action could be read from: the document was not read."""

    reason: str


Outcome = DocumentFacts | Skipped | Exception


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


def passes_prefilter(article: Article) -> prefilter.Verdict:
    """The prefilter's verdict on an article's clean text (what `process_stream` skips on)."""
    return prefilter.check(article.clean_text, article.language)


def process_stream(
    articles: Iterable[Article], options: Options, nlp: Language | None = None
) -> Iterator[tuple[Article, Outcome]]:
    """Every article with its facts, `Skipped` (prefilter, when `options.prefilter`) or the
    exception the extractor raised, in input order. Memory stays flat: one chunk of articles
    is held at a time (per worker), and spaCy's string store is emptied after each chunk.
    With `options.n_process` > 1, chunks go to worker processes that load their own model."""
    chunks = _chunks(articles)
    if options.n_process > 1:
        yield from _in_workers(chunks, options)
        return
    model = nlp if nlp is not None else build_nlp(options)
    for chunk in chunks:
        yield from zip(chunk, _chunk_outcomes(chunk, model, options), strict=True)


def _chunks(articles: Iterable[Article]) -> Iterator[list[Article]]:
    stream = iter(articles)
    while chunk := list(islice(stream, CHUNK_ARTICLES)):
        yield chunk


def _chunk_outcomes(chunk: list[Article], nlp: Language, options: Options) -> list[Outcome]:
    """Outcomes of one chunk, in its order; the chunk's spaCy objects die with its memory zone."""
    outcomes: list[Outcome | None] = [None] * len(chunk)
    places: dict[int, deque[int]] = {}  # an article object may come twice: its places in order
    to_read = []
    for i, article in enumerate(chunk):
        # a text too long for the model is reported as such (split it), whatever its content
        judged = options.prefilter and len(article.clean_text) <= nlp.max_length
        verdict = passes_prefilter(article) if judged else None
        if verdict is None or verdict.passed:
            to_read.append(article)
            places.setdefault(id(article), deque()).append(i)
        else:
            outcomes[i] = Skipped(verdict.reason)
    with nlp.memory_zone():
        for article, outcome in process_many_safely(to_read, nlp, options.nlp_batch_size):
            outcomes[places[id(article)].popleft()] = outcome
    # process_many_safely yields every article once; the fallback only satisfies the types
    return [o if o is not None else ExtractionFailed("not read") for o in outcomes]


_WORKER: dict[str, Language] = {}  # the model of a worker process, loaded once


def _worker_start(options: Options) -> None:
    _WORKER["nlp"] = build_nlp(options)


def _worker_chunk(chunk: list[Article], options: Options) -> list[Outcome]:
    """A chunk's outcomes in a worker; exceptions travel back as text (any can be pickled)."""
    return [
        ExtractionFailed(f"{type(o).__name__}: {o}")
        if isinstance(o, Exception) and not isinstance(o, BlocwatchError)
        else o
        for o in _chunk_outcomes(chunk, _WORKER["nlp"], options)
    ]


def _in_workers(
    chunks: Iterator[list[Article]], options: Options
) -> Iterator[tuple[Article, Outcome]]:
    """Chunks read by `options.n_process` worker processes, results in input order. Workers are
    spawned, not forked: a fork would copy this process's open database and threads."""
    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(
        options.n_process, mp_context=context, initializer=_worker_start, initargs=(options,)
    )
    pending: deque[tuple[list[Article], Future[list[Outcome]]]] = deque()
    try:
        for chunk in chunks:
            pending.append((chunk, pool.submit(_worker_chunk, chunk, options)))
            if len(pending) >= CHUNKS_PER_WORKER * options.n_process:
                done, future = pending.popleft()
                yield from zip(done, future.result(), strict=True)
        while pending:
            done, future = pending.popleft()
            yield from zip(done, future.result(), strict=True)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
