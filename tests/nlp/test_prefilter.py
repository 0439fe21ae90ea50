"""Relevance prefilter: literals derived from regexes, the line rule, gold recall, languages."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from blocwatch.clean import prepare
from blocwatch.extract import mentions
from blocwatch.ingest import read_inputs
from blocwatch.model import Article, Reject
from blocwatch.nlp import cues, prefilter, tallies
from blocwatch.nlp.prefilter import check, passes, required_literals
from blocwatch.settings import Options

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
EXAMPLES_GOLD = ROOT / "examples" / "gold"
# Gold sets and where the texts the pipeline reads come from (the seeds' gold points at .txt).
GOLD_SETS = {
    "devset": (SHARED / "devset", SHARED / "devset"),
    "devset2": (SHARED / "devset2", SHARED / "devset2"),
    "seeds_gold": (SHARED / "eval" / "seeds_gold", SHARED / "corpus" / "seeds"),
    "examples": (EXAMPLES_GOLD, EXAMPLES_GOLD),
}


# ---------------------------------------------------------------- literals of a regex


@pytest.mark.parametrize(
    ("pattern", "literals"),
    [
        (r"co-?signed", {"co-signed", "cosigned"}),
        (r"wr(?:ote|itten) (?:jointly )?to", {"wrote to", "written to", "wrote jointly to"}),
        (r"(?:joint |open )?letters?", {"letter", "letters", "joint letter", "joint letters"}),
        (r"Konseho ng Karapatang Pantao", {"konseho ng karapatang pantao"}),
        (r"mannréttindaráð\w*", {"mannréttindaráð"}),
        (r"\d+-(?:nation|state) statement", {"-nation statement", "-state statement"}),
    ],
)
def test_required_literals_of_simple_patterns(pattern: str, literals: set[str]) -> None:
    found = required_literals(pattern)
    assert found is not None
    assert literals <= found
    assert all(any(lit in literal for lit in found) for literal in literals)


@pytest.mark.parametrize("pattern", [r"\w+", r"\d{1,3}", r"[A-Z]\w*", r"a?b?", r"x"])
def test_a_pattern_without_a_long_enough_literal_has_none(pattern: str) -> None:
    assert required_literals(pattern) is None


def test_every_cue_row_the_rule_reads_has_literals() -> None:
    """A row without one is still checked (its regex runs on every text), only slower."""
    assert prefilter._anchors().unanchored == []


@pytest.mark.parametrize("row", cues._rows(), ids=lambda r: f"{r.category}:{r.value}:{r.lang}")
def test_every_match_of_a_cue_row_contains_one_of_its_literals(row: cues._Row) -> None:
    literals = required_literals(row.pattern)
    if literals is None:
        pytest.skip("no literal: the row's regex runs on every document")

    @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.from_regex(re.compile(row.pattern, re.IGNORECASE), fullmatch=True))
    def contains(match: str) -> None:
        assert any(literal in match.lower() for literal in literals), (match, literals)

    contains()


def test_mirrored_constants_match_their_sources() -> None:
    """This stage may not import extract; the copies must stay the same as the originals."""
    assert prefilter.GROWTH_NUMBER.pattern == mentions._GROWTH_NUMBER.pattern
    assert tuple(tallies._VOTE_WORD.pattern.split("|")) == prefilter.VOTE_WORDS


# ---------------------------------------------------------------- the rule, on our own sentences

PASSING = [
    ("Thirty-seven countries signed a joint letter to the Human Rights Council.", "en"),
    ("Cuba, on behalf of a group of states, read out a statement in support of China.", "en"),
    ("The statement by Germany urged Beijing to close the camps.", "en"),
    ("The resolution was adopted by a vote of 93-24-58 in the General Assembly.", "en"),
    ("Russia vetoed the draft resolution.", "en"),
    ("Una declaración conjunta de 40 países respaldó a Venezuela.", "es"),
    ("Une lettre signée par 22 pays critique la Chine.", "fr"),
    ("وقعت 37 دولة على رسالة مشتركة إلى مجلس حقوق الإنسان", "ar"),
    ("Nagpadala ng liham ang 22 bansa sa Konseho ng Karapatang Pantao.", "fil"),
    ("Ísland las upp ávarp fyrir hönd 36 ríkja í mannréttindaráðinu.", "is"),
]


@pytest.mark.parametrize(("text", "language"), PASSING)
def test_reports_of_joint_actions_pass(text: str, language: str) -> None:
    verdict = check(text, language)
    assert verdict.passed, verdict.reason


FAILING = [
    # an action word, but nothing collective on its line
    "The club received an open letter from 12,000 supporters' families.\nRovers won 2-1.",
    # a council vote with a tally: no UN body, no state
    "Councillors voted 7-2 on Tuesday to approve the parking plan.",
    # states, but no action word
    "France beat Spain 3-1 in Paris; fans from Brazil and Japan watched.",
    # nothing at all
    "Rain is expected in the valley by Friday evening.",
    "",
]


@pytest.mark.parametrize("text", FAILING)
def test_unrelated_news_is_skipped(text: str) -> None:
    verdict = check(text, "en")
    assert not verdict.passed
    assert verdict.reason


def test_the_action_word_and_the_states_must_share_a_line() -> None:
    """A sentence never crosses a line break, so neither can an action."""
    apart = "A joint letter was published on Monday.\n\nChina and Russia held talks on trade."
    together = "A joint letter was published on Monday by China and Russia."
    assert not passes(apart, "en")
    assert passes(together, "en")
    assert check(together, "en").reason == "action word and state"


def test_a_tally_counts_in_a_document_that_names_a_un_body() -> None:
    tally = "The text was adopted 120-14-45."
    assert not passes(tally, "en")
    assert passes(f"The General Assembly met on Tuesday.\n{tally}", "en")


def test_a_veto_needs_a_un_body_in_the_document() -> None:
    veto = "The draft was vetoed on Friday."
    assert not passes(veto, "en")
    assert passes(f"{veto}\nThe Security Council had debated it for a week.", "en")


def test_letters_that_grow_in_lower_case_keep_offsets() -> None:
    """'İ' lowercases to two characters: lines must still be found where they are."""
    text = "İİİİ İstanbul notes.\nA joint letter was signed by 40 countries."
    assert passes(text, "en")


def test_the_language_does_not_hide_english_cues() -> None:
    """An English statement quoted on a Spanish page is still read (as the extractor does)."""
    assert passes("Según el texto: a joint letter signed by 40 countries.", "es")
    assert passes("A joint letter signed by 40 countries.", None)


# ---------------------------------------------------------------- recall on every gold set


def _articles(source: Path) -> Iterator[Article]:
    options = Options()
    for item in read_inputs([str(source)], options):
        if not isinstance(item, Reject):
            yield prepare(item, options)


def _gold_actions(gold_dir: Path) -> dict[str, int]:
    """Gold joint actions per article id (and per file stem, which the seeds' texts carry)."""
    counts: dict[str, int] = {}
    for path in sorted(gold_dir.glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        actions = len(gold.get("joint_actions") or [])
        counts[str(gold["id"])] = actions
        counts[path.name.removesuffix(".json")] = actions
    return counts


@pytest.mark.parametrize("name", sorted(GOLD_SETS))
def test_every_gold_article_with_an_action_passes(name: str) -> None:
    gold_dir, texts = GOLD_SETS[name]
    if not gold_dir.is_dir():
        pytest.skip(f"{gold_dir} is not present")
    actions = _gold_actions(gold_dir)
    checked = 0
    for article in _articles(texts):
        key = article.external_id or Path(article.source).name
        if key not in actions:
            key = Path(article.source).name
        assert key in actions, f"{article.source}: no gold file"
        if actions[key]:
            verdict = check(article.clean_text, article.language)
            assert verdict.passed, f"{article.source}: {verdict.reason}"
            checked += 1
    assert checked >= 5, f"only {checked} gold articles with actions in {name}"


@pytest.mark.slow
def test_every_document_the_extractor_finds_an_action_in_passes() -> None:
    """The stronger property: wherever the extractor reports an action, the prefilter lets the
    document through, so `--prefilter` never changes the joint actions of a run."""
    from blocwatch.nlp.build import build_nlp
    from blocwatch.pipeline import process_many

    sources = [ROOT / "examples" / "corpus"]
    sources += [p for p in (SHARED / "devset", SHARED / "devset2", SHARED / "corpus") if p.is_dir()]
    articles = [a for source in sources for a in _articles(source)]
    with_actions = 0
    for facts in process_many(articles, build_nlp(Options())):
        if facts.joint_actions:
            with_actions += 1
            verdict = check(facts.article.clean_text, facts.article.language)
            assert verdict.passed, f"{facts.article.source}: {verdict.reason}"
    assert with_actions >= 10
