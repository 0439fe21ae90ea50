"""Framing terms: lexicon, matching, voices, evidence, the per-outlet table, and the seed split."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from blocwatch.clean import prepare
from blocwatch.extract.framing import (
    CUE_CONCEPTS,
    extract_frames,
    find_terms,
    frame_table,
    frame_table_rows,
    lexicon_rows,
    scopes_of,
)
from blocwatch.extract.signals import gather
from blocwatch.ingest import read_inputs
from blocwatch.model import Article, Evidence, FrameUse, RawDocument
from blocwatch.settings import Options

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT.parent / "shared" / "corpus" / "seeds"


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """Inner spans of "..." pairs, paired within each line (the clean text has straight quotes)."""
    spans: list[tuple[int, int]] = []
    for line in re.finditer(r"[^\n]+", text):
        marks = [line.start() + i for i, c in enumerate(line.group()) if c == '"']
        spans.extend((a + 1, b) for a, b in zip(marks[0::2], marks[1::2], strict=False))
    return spans


def quote_index(spans: list[tuple[int, int]]) -> Callable[[int], tuple[int | None, int | None]]:
    """A stand-in for the quotes extractor: the quote is the span's index, speaker unknown."""

    def quote_of(position: int) -> tuple[int | None, int | None]:
        for index, (start, end) in enumerate(spans):
            if start <= position < end:
                return index, None
        return None, None

    return quote_of


def article(text: str, language: str = "en") -> Article:
    raw = RawDocument(source="t.txt", input_format="txt", text=text, language=language)
    return prepare(raw, Options())


def frames(text: str, language: str = "en") -> tuple[FrameUse, ...]:
    doc = article(text, language)
    spans = quoted_spans(doc.clean_text)
    signals = gather(doc.clean_text, doc.language, None)
    return extract_frames(doc, signals, spans, quote_index(spans))


def summary(uses: tuple[FrameUse, ...]) -> list[tuple[str, str, str, str]]:
    return [(u.term, u.concept, u.frame, u.voice) for u in uses]


# --- the lexicon ---------------------------------------------------------------------------------


def test_every_row_loads_and_says_where_it_comes_from() -> None:
    rows = lexicon_rows()
    assert len(rows) > 50
    for row in rows:
        assert row.note, f"row without a note: {row}"
        if row.concept in CUE_CONCEPTS:
            assert row.frame == "-", row
        else:
            assert row.frame in {"official", "critical"}, row
    scopes = {r.scope for r in rows if r.concept == "@scope"}
    assert {r.scope for r in rows} <= scopes | {"*"}, "a row names a scope with no @scope row"


def test_spelling_variants_and_longest_match() -> None:
    text = (
        "In Xinjiang: vocational training centers, vocational training centres, "
        "vocational skills education and training centres, counterterrorism, counter terrorism, "
        "de-radicalisation, deradicalization and vocational training."
    )
    terms = [(t.text, t.concept, t.frame) for t in find_terms(text, "en")]
    assert ("vocational training centers", "facilities", "official") in terms
    assert ("vocational training centres", "facilities", "official") in terms
    assert ("vocational skills education and training centres", "facilities", "official") in terms
    assert ("counterterrorism", "policy", "official") in terms
    assert ("counter terrorism", "policy", "official") in terms
    assert ("de-radicalisation", "policy", "official") in terms
    assert ("deradicalization", "policy", "official") in terms
    # The bare programme name is the policy, not a facility.
    assert terms[-1] == ("vocational training", "policy", "official")


def test_scoped_rows_need_their_issue() -> None:
    plain = "The club opened two training centres and a boarding school near the stadium."
    assert scopes_of(plain) == frozenset({"*"})
    assert find_terms(plain) == []
    issue = "Uyghur families say the training centres are far from home."
    assert "Xinjiang" in scopes_of(issue)
    assert [t.text for t in find_terms(issue)] == ["training centres"]


def test_other_issues_use_their_own_words() -> None:
    text = (
        "Moscow calls the war in Ukraine a special military operation; Kyiv calls it an invasion."
    )
    assert [(t.text, t.concept, t.frame) for t in find_terms(text)] == [
        ("special military operation", "war", "official"),
        ("invasion", "war", "critical"),
    ]
    # Without Ukraine in view "invasion" is not a frame of that war.
    assert find_terms("The invasion of privacy was criticised.") == []


def test_language_rows() -> None:
    spanish = "Rechazan la injerencia en los asuntos internos y el doble rasero."
    assert [t.text for t in find_terms(spanish, "es")] == [
        "injerencia en los asuntos internos",
        "doble rasero",
    ]
    # Spanish rows are not tried on an English text.
    assert find_terms("the doble rasero", "en") == []
    arabic = "ورفض التدخل في الشؤون الداخلية للصين"
    assert [t.text for t in find_terms(arabic, "ar")] == ["التدخل في الشؤون الداخلية"]


# --- voices --------------------------------------------------------------------------------------


def test_narration_quote_and_scare_quote() -> None:
    uses = frames(
        "Uighurs are held in internment camps, the report said. "
        'China says the facilities are "vocational training centres". '
        '"Some people call these vocational education and training centers prisons," '
        "an envoy said."
    )
    assert summary(uses) == [
        ("internment camps", "facilities", "critical", "narration"),
        ("vocational training centres", "facilities", "official", "scare_quote"),
        ("vocational education and training centers", "facilities", "official", "quote"),
        ("prisons", "facilities", "critical", "quote"),
    ]
    assert uses[0].quote is None and uses[1].quote == 0 and uses[2].quote == 1


def test_a_six_word_quotation_is_a_quote_not_a_scare_quote() -> None:
    uses = frames('In Xinjiang, the governor said the centres "were the same as boarding schools".')
    assert summary(uses) == [("boarding schools", "facilities", "official", "quote")]
    uses = frames('Xinjiang officials said the centres were "boarding schools".')
    assert summary(uses) == [("boarding schools", "facilities", "official", "scare_quote")]
    # Six words that are all the term: still the term in quotation marks.
    uses = frames('In Xinjiang, "vocational skills education and training centres".')
    assert [u.voice for u in uses] == ["scare_quote"]
    # Six words, five of them the term: a quotation.
    uses = frames('In Xinjiang, "all vocational education and training centres".')
    assert [u.voice for u in uses] == ["quote"]


def test_naming_and_distancing_cues() -> None:
    uses = frames(
        "Beijing denies abuse in the detention centres in Xinjiang and calls them training "
        "schools. Critics describe the so-called education and training centres as prisons."
    )
    assert summary(uses) == [
        ("detention centres", "facilities", "critical", "narration"),
        ("training schools", "facilities", "official", "quote"),
        ("education and training centres", "facilities", "official", "scare_quote"),
        ("prisons", "facilities", "critical", "narration"),
    ]


def test_nested_quotes_take_the_innermost() -> None:
    text = (
        'In Xinjiang, he said: "Critics call them internment camps, but these training centres '
        'are schools, not prisons at all, and never were." Detention camps remain.'
    )
    doc = article(text)
    outer = (text.index('"') + 1, text.rindex('"'))
    inner = (text.index("training centres"), text.index("training centres") + 16)
    signals = gather(doc.clean_text, "en", None)
    uses = extract_frames(doc, signals, [outer, inner], quote_index([inner, outer]))
    assert [(u.term, u.voice, u.quote) for u in uses] == [
        ("internment camps", "quote", 1),
        ("training centres", "scare_quote", 0),
        ("prisons", "quote", 1),
        ("Detention camps", "narration", None),
    ]


def test_a_cue_does_not_reach_into_the_next_sentence() -> None:
    uses = frames("Uyghur groups say that is what China calls them. Training centres opened.")
    assert summary(uses) == [("Training centres", "facilities", "official", "narration")]


def test_evidence_points_into_the_original_text() -> None:
    original = "Xinjiang:  China\u2019s   \u201cvocational  training centres\u201d are\tprisons."
    doc = article(original)
    spans = quoted_spans(doc.clean_text)
    uses = extract_frames(doc, gather(doc.clean_text, "en", None), spans, quote_index(spans))
    assert [u.voice for u in uses] == ["scare_quote", "narration"]
    first = uses[0].evidence
    assert first == Evidence(first.start, first.end, "vocational  training centres", "frame")
    assert original[first.start : first.end] == "vocational  training centres"
    assert uses[0].term == "vocational  training centres"
    assert original[uses[1].evidence.start : uses[1].evidence.end] == "prisons"


# --- the table -----------------------------------------------------------------------------------


def _use(concept: str, frame: str, voice: str) -> FrameUse:
    return FrameUse("t", concept, frame, voice, Evidence(0, 1, "t", "frame"))


def test_frame_table_counts_per_outlet_concept_frame_voice() -> None:
    rows = [
        ("B", _use("facilities", "critical", "narration")),
        ("A", _use("facilities", "official", "narration")),
        ("A", _use("facilities", "official", "narration")),
        ("A", _use("facilities", "critical", "quote")),
        ("A", _use("policy", "official", "scare_quote")),
    ]
    table = frame_table(rows)
    assert table == {
        "A": {
            "facilities": {"critical": {"quote": 1}, "official": {"narration": 2}},
            "policy": {"official": {"scare_quote": 1}},
        },
        "B": {"facilities": {"critical": {"narration": 1}}},
    }
    assert list(table) == ["A", "B"]
    assert frame_table_rows(table)[0] == ("A", "facilities", "critical", "quote", 1)
    assert len(frame_table_rows(table)) == 4
    assert frame_table([]) == {}


# --- the done-when on the seeds -------------------------------------------------------------------


def _seed_uses() -> dict[str, tuple[FrameUse, ...]]:
    if not SEEDS.is_dir():
        pytest.skip("../shared/corpus/seeds is not present")
    options = Options()
    found: dict[str, tuple[FrameUse, ...]] = {}
    for raw in read_inputs([str(SEEDS)], options):
        assert isinstance(raw, RawDocument)
        doc = prepare(raw, options)
        spans = quoted_spans(doc.clean_text)
        signals = gather(doc.clean_text, doc.language, None)
        found[Path(raw.source).name[:3]] = extract_frames(doc, signals, spans, quote_index(spans))
    return found


def _voices(uses: tuple[FrameUse, ...], frame: str, concepts: set[str]) -> list[str]:
    return [u.voice for u in uses if u.frame == frame and u.concept in concepts]


def test_seed_frame_table_separates_chinese_and_western_narration() -> None:
    uses = _seed_uses()
    subject = {"facilities", "policy"}
    for seed in ("001", "002"):  # Xinhua / TCA (from Xinhua)
        official = _voices(uses[seed], "official", subject)
        assert "narration" in official, (seed, official)
        assert "narration" not in _voices(uses[seed], "critical", subject), seed
    for seed in ("003", "004"):  # Sky / Reuters-derived
        critical_narrated = [
            u.term
            for u in uses[seed]
            if u.frame == "critical" and u.voice == "narration" and "detention" in u.term.lower()
        ]
        assert critical_narrated, seed
        official = _voices(uses[seed], "official", {"facilities"})
        assert official, seed
        assert set(official) <= {"quote", "scare_quote"}, (seed, official)
    # The machine-translated Chinese report (000) writes the official facility term itself.
    assert ("facilities", "official", "narration") in {
        (u.concept, u.frame, u.voice) for u in uses["000"]
    }
    table = frame_table((seed, use) for seed, found in uses.items() for use in found)
    assert table["004"]["facilities"]["official"] == {"quote": 1, "scare_quote": 1}
    assert table["003"]["facilities"]["critical"]["narration"] == 2
