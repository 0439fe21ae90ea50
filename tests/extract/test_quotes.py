"""Quotes: pairing quotation marks, attributing quotations in every order, indirect speech, scare
quotes, unbalanced marks, and the evidence invariant. All texts are our own synthetic sentences.

Fast tests run on the blank pipeline (tokenizer, sentencizer and our recognisers: the surface
rules); tests marked slow run the real model (parse-dependent rules) and the seeds gold.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from blocwatch import pipeline
from blocwatch.clean import prepare
from blocwatch.extract.quote_marks import pair_quotes, paragraphs
from blocwatch.extract.quotes import extract_voices, quoted_spans
from blocwatch.model import Article, Quote, RawDocument, Speaker
from blocwatch.settings import Options
from tests.conftest import SHARED

Voices = tuple[Article, tuple[Speaker, ...], tuple[Quote, ...]]


@lru_cache(maxsize=1)
def _blank() -> Any:
    from blocwatch.nlp.build import build_blank_nlp

    return build_blank_nlp()


@lru_cache(maxsize=1)
def _model() -> Any:
    from blocwatch.nlp.build import build_nlp

    return build_nlp(Options())


def voices(text: str, nlp: Any = None, language: str = "en") -> Voices:
    nlp = nlp or _blank()
    raw = RawDocument(source="test", input_format="txt", text=text, language=language)
    article = prepare(raw, Options())
    doc = nlp(pipeline.make_doc(article, nlp))
    speakers, quotes = extract_voices(article, doc, pipeline.signals_from_doc(doc))
    return article, speakers, quotes


def speaker_of(quote: Quote, speakers: tuple[Speaker, ...]) -> str | None:
    return speakers[quote.speaker].name if quote.speaker is not None else None


def inner(text: str) -> list[str]:
    return [text[a:b] for a, b in quoted_spans(text)]


# ------------------------------------------------------------------ pairing marks


def test_double_marks_pair_and_nest() -> None:
    text = 'She said "a network of "re-education" camps exists" today.'
    assert inner(text) == ['a network of "re-education" camps exists', "re-education"]
    top = [s for s in pair_quotes(text) if s.depth == 0]
    assert len(top) == 1 and top[0].close_at == text.rindex('"')


def test_apostrophes_are_not_quotation_marks() -> None:
    text = "China's envoy read the countries' letter in the '90s and didn't sign."
    assert quoted_spans(text) == []


def test_single_marks_pair_around_a_term() -> None:
    text = "Beijing is 'hopping mad' at the letter, the council's members say."
    assert inner(text) == ["hopping mad"]


def test_single_marks_inside_a_double_quotation() -> None:
    text = "\"It upholds the 'one country, two systems' policy,\" he said."
    assert inner(text) == [
        "It upholds the 'one country, two systems' policy,",
        "one country, two systems",
    ]


def test_unbalanced_mark_closes_at_paragraph_end() -> None:
    text = 'He said "this will never end.\n\nThe next paragraph has no marks.'
    spans = pair_quotes(text)
    assert [text[s.start : s.end] for s in spans] == ["this will never end."]
    assert spans[0].close_at is None


def test_stray_closing_mark_is_skipped() -> None:
    assert quoted_spans('It ended there." Then nothing more happened.') == []


def test_quotation_continued_over_paragraphs() -> None:
    text = '"The first part is long,\n\n"and the second part," she said.'
    spans = pair_quotes(text)
    assert [s.continues for s in spans] == [False, True]
    assert spans[0].close_at is None and spans[1].close_at is not None


def test_hard_wrapped_line_is_one_paragraph() -> None:
    text = 'They want it "so it\ncannot block decisions." Next line.\nAnother one.'
    assert len(paragraphs(text)) == 2
    assert inner(text) == ["so it\ncannot block decisions."]


# ------------------------------------------------------------------ attribution orders

ORDERS = [
    ('"We will not accept this," said Foreign Minister Anna Berg.', "Anna Berg"),
    ('"We will not accept this," Anna Berg said.', "Anna Berg"),
    ('Anna Berg, Norway\'s foreign minister, said: "We will not accept this."', "Anna Berg"),
    ("'We are not afraid of anyone at all,' said Jane Doe, an activist.", "Jane Doe"),
    ('"The talks failed and nobody knows why" \u2014 Peter Olsen, Danish envoy.', "Peter Olsen"),
    ('Peter Olsen: "The talks failed and nobody knows why."', "Peter Olsen"),
    (
        "\u201cThe talks failed and nobody knows why,\u201d Peter Olsen told reporters.",
        "Peter Olsen",
    ),
    ("\u00abThe talks failed and nobody knows why\u00bb, said Peter Olsen.", "Peter Olsen"),
]


@pytest.mark.parametrize(("text", "name"), ORDERS)
def test_every_attribution_order(text: str, name: str) -> None:
    _, speakers, quotes = voices(text)
    direct = [q for q in quotes if q.kind == "direct"]
    assert len(direct) == 1
    assert speaker_of(direct[0], speakers) == name
    assert speakers[direct[0].speaker or 0].quoted
    assert direct[0].attribution is not None and name.split()[-1] in direct[0].attribution.text


def test_second_quotation_of_a_paragraph_keeps_its_speaker() -> None:
    _, speakers, quotes = voices(
        '"We will not accept this," Anna Berg told reporters. "It is a mistake."'
    )
    assert [speaker_of(q, speakers) for q in quotes] == ["Anna Berg", "Anna Berg"]


def test_quotation_over_two_paragraphs_has_one_speaker() -> None:
    text = '"The first part is long,\n\n"and the second part is longer," said John Smith.'
    _, speakers, quotes = voices(text)
    assert [speaker_of(q, speakers) for q in quotes] == ["John Smith", "John Smith"]


def test_unattributed_paragraph_quote_after_a_report() -> None:
    text = (
        'Mara Quist said: "We asked for a fair hearing."\n\n"We will keep asking until we get one."'
    )
    _, speakers, quotes = voices(text)
    assert [speaker_of(q, speakers) for q in quotes] == ["Mara Quist", "Mara Quist"]


def test_pronoun_resolves_to_the_last_named_speaker() -> None:
    text = (
        "Ambassador Karl Meyer of Austria stressed that dialogue remained possible. "
        'He added: "We will keep talking to everyone."'
    )
    _, speakers, quotes = voices(text)
    assert [s.name for s in speakers] == ["Karl Meyer"]
    assert speakers[0].affiliation == "AUT" and speakers[0].quoted
    assert [q.kind for q in quotes] == ["indirect", "direct"]
    assert {q.speaker for q in quotes} == {0}


def test_institutions_speak() -> None:
    text = (
        'The letter was signed by 20 states. "We call on all parties to stop the violence," '
        'the letter says. "The measures are lawful and necessary," the ministry said.'
    )
    _, speakers, quotes = voices(text)
    assert [(s.name, s.kind) for s in speakers] == [
        ("letter", "institution"),
        ("ministry", "institution"),
    ]
    assert [speaker_of(q, speakers) for q in quotes] == ["letter", "ministry"]


def test_anonymous_speaker_is_not_listed() -> None:
    _, speakers, quotes = voices('"It was a mistake from the very beginning," a diplomat said.')
    assert speakers == ()
    assert len(quotes) == 1 and quotes[0].speaker is None and quotes[0].kind == "direct"


def test_indirect_speech_is_a_quote_of_the_clause() -> None:
    _, speakers, quotes = voices("Tom Hardy said that the vote was unfair.")
    assert [(s.name, s.quoted) for s in speakers] == [("Tom Hardy", False)]
    assert [(q.kind, q.evidence.text) for q in quotes] == [("indirect", "the vote was unfair")]


def test_according_to() -> None:
    _, speakers, quotes = voices(
        "According to Peter Olsen, a spokesman for the ministry, the talks failed."
    )
    assert [(s.name, s.role) for s in speakers] == [("Peter Olsen", "spokesman for the ministry")]
    assert [(q.kind, q.evidence.text) for q in quotes] == [("indirect", "the talks failed")]


def test_scare_quotes_are_not_quotes() -> None:
    text = 'The so-called "training centres" remain closed, and critics call it "politicization".'
    _, _, quotes = voices(text)
    assert all(q.evidence.text != "training centres" for q in quotes)
    assert len(quoted_spans(text)) == 2


def test_verbs_inside_quotations_are_not_reports() -> None:
    _, speakers, _ = voices('"Even I said that they are schools," Vadim Petrov said.')
    assert [s.name for s in speakers] == ["Vadim Petrov"]


def test_a_sentence_after_a_closed_quote_is_not_its_report() -> None:
    text = 'It adds: "We call on China to act now."\nThe ministry said the letter was false.'
    _, speakers, quotes = voices(text)
    assert speaker_of(quotes[0], speakers) == "letter" or quotes[0].speaker is None


def test_unbalanced_marks_never_crash() -> None:
    for text in ['"', '""', "'", "\"'\"'", '"\n"\n"', 'He said "', '" he said', "x\u201d\u201c"]:
        voices(text)


# ------------------------------------------------------------------ evidence invariant


def _check_evidence(
    article: Article, speakers: tuple[Speaker, ...], quotes: tuple[Quote, ...]
) -> None:
    spans = [s.evidence for s in speakers] + [q.evidence for q in quotes]
    spans += [q.attribution for q in quotes if q.attribution is not None]
    for evidence in spans:
        assert 0 <= evidence.start <= evidence.end <= len(article.text)
        assert evidence.text == article.text[evidence.start : evidence.end]
    for quote in quotes:
        assert quote.speaker is None or 0 <= quote.speaker < len(speakers)


_PIECES = st.sampled_from(
    [
        '"',
        "'",
        "\u201c",
        "\u201d",
        "\u2018",
        "\u2019",
        "\u00ab",
        "\u00bb",
        ",",
        ".",
        ":",
        "\u2014",
        "\n",
        "\n\n",
        " ",
        "said",
        "told",
        "he",
        "she",
        "It adds",
        "Anna Berg",
        "Zhang",
        "the statement",
        "according to",
        "Mr",
        "E.",
        "of",
        "UN",
        "China's",
        "ambassador",
        "a diplomat",
        "by",
        "delivered",
        "\u00e9",
        "\u0627",
        "(",
        ")",
        "who",
        "in Beijing",
        "al-",
        "l'ambassadeur",
        "a d\u00e9clar\u00e9",
        "I have the honour to deliver this statement",
    ]
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_PIECES, max_size=40), st.text(max_size=40), st.sampled_from(["en", "fr"]))
def test_never_crashes_and_evidence_is_original_text(
    pieces: list[str], noise: str, language: str
) -> None:
    text = " ".join(pieces) + noise
    article, speakers, quotes = voices(text, language=language)
    _check_evidence(article, speakers, quotes)
    for start, end in quoted_spans(article.clean_text):
        assert 0 <= start <= end <= len(article.clean_text)


def test_evidence_maps_through_cleaning() -> None:
    text = "\u201cWe  will\u00a0not accept\u200b this,\u201d   said Foreign Minister Anna Berg."
    article, speakers, quotes = voices(text)
    _check_evidence(article, speakers, quotes)
    assert speakers[0].evidence.text == "Anna Berg"
    assert quotes[0].evidence.text.startswith("We")


# ------------------------------------------------------------------ the real model


def _model_voices(text: str) -> Voices:
    return voices(text, _model())


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "name", "quoted"),
    [
        (
            "Chinese Foreign Ministry spokesperson Li Wen criticized the 22 countries for writing "
            '"disregarding the truth" and stressed that the region is stable.',
            "Li Wen",
            True,
        ),
        (
            "At a briefing, China's Ambassador to the UNOG Wu Han also rebuked some nations, "
            'noting that China does not accept these "groundless accusations."',
            "Wu Han",
            True,
        ),
        (
            "Wu Han, Chinese ambassador to the United Nations Office at Geneva, thanked the "
            "37 countries.",
            "Wu Han",
            False,
        ),
    ],
)
def test_partial_quotes_and_inherited_subjects(text: str, name: str, quoted: bool) -> None:
    _, speakers, _ = _model_voices(text)
    people = [s for s in speakers if s.kind == "person"]
    assert [(s.name, s.affiliation, s.quoted) for s in people] == [(name, "CHN", quoted)]


@pytest.mark.slow
def test_definite_role_refers_back_to_its_person() -> None:
    text = (
        "Zhang Li, China's permanent representative to the UN, rejected the claims.\n\n"
        '"This is not about human rights at all," said the envoy.'
    )
    _, speakers, quotes = _model_voices(text)
    assert [(s.name, s.quoted) for s in speakers] == [("Zhang Li", True)]
    assert speaker_of(quotes[-1], speakers) == "Zhang Li"


@pytest.mark.slow
def test_a_name_inside_a_complement_is_not_the_speaker() -> None:
    text = (
        "The letter, addressed to UN High Commissioner for Human Rights Carla Ruiz, "
        "credits China with restoring order and says residents feel safer."
    )
    _, speakers, _ = _model_voices(text)
    assert [(s.name, s.kind) for s in speakers] == [("letter", "institution")]


def _seed_process() -> Callable[[Article], Any]:
    from blocwatch.model import DocumentFacts

    nlp = _model()

    def process(article: Article) -> DocumentFacts:
        doc = nlp(pipeline.make_doc(article, nlp))
        speakers, quotes = extract_voices(article, doc, pipeline.signals_from_doc(doc))
        return DocumentFacts(article=article, speakers=speakers, quotes=quotes)

    return process


@pytest.mark.slow
def test_seeds_gold_speakers_are_all_found() -> None:
    gold_dir = SHARED / "eval" / "seeds_gold"
    if not gold_dir.is_dir():
        pytest.skip("../shared is not present")
    from blocwatch.evaluate_speakers import evaluate_speakers_dir

    report = evaluate_speakers_dir(gold_dir, _seed_process())
    assert report["speakers"]["f1"] == 1.0, report["documents"]
