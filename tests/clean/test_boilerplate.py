"""strip_boilerplate: synthetic clutter, the pattern file, and a measurement on the seeds."""

from __future__ import annotations

import re

import pytest

from blocwatch.clean.boilerplate import (
    load_patterns,
    looks_like_credit,
    parse_patterns,
    strip_boilerplate,
)
from blocwatch.clean.normalize import normalise

from .conftest import Gold

BODY = [
    "Ten states signed a joint letter to the council on Monday, officials said.",
    "The letter asks the government to let independent observers visit the region.",
    "A spokesperson for the ministry rejected the letter as interference in its affairs.",
    "Diplomats said more states were expected to add their names later in the week.",
]


def _strip(text: str) -> str:
    return strip_boilerplate(normalise(text)[0]).text


def test_leading_clutter_fragments_are_cut_and_the_rest_of_the_line_kept() -> None:
    text = "A headline\n\n0 Comment(s)Print E-mail Example Wire, March 3, 2021\n\n" + BODY[0]
    assert _strip(text) == f"A headline\n\nExample Wire, March 3, 2021\n\n{BODY[0]}"


def test_comment_form_tail_goes_but_a_prose_paragraph_after_it_stays() -> None:
    tail = [
        "Leave a Reply",
        "Your email address will not be published. Required fields are marked *",
        "  • Your Comment",
        "  • Name *",
        "Post Comment",
        "This closing paragraph is real prose that follows the form on some sites.",
    ]
    clean = _strip("\n\n".join(BODY + tail))
    assert clean == "\n\n".join([*BODY, tail[-1]])


def test_tail_trigger_in_the_first_half_does_not_start_a_tail() -> None:
    lines = [BODY[0], "Leave a reply", "Short line", *BODY[1:], *BODY]
    clean = _strip("\n".join(lines))
    assert "Short line" in clean and "Leave a reply" not in clean


def test_related_heading_takes_its_headline_links_until_prose() -> None:
    lines = [
        BODY[0],
        "Read more:",
        "",
        "Another headline about the council vote",
        "Yet another headline",
        BODY[1],
        "Subheading",
        BODY[2],
    ]
    clean = _strip("\n".join(lines))
    assert clean == "\n".join([BODY[0], "", BODY[1], "Subheading", BODY[2]])


def test_inline_related_link_goes_alone() -> None:
    lines = [BODY[0], "Read more: Some other story of the week", "Subheading", BODY[1]]
    assert _strip("\n".join(lines)) == "\n".join([BODY[0], "Subheading", BODY[1]])


def test_share_follow_and_promo_lines() -> None:
    clutter = [
        "Share this article",
        "Follow Example Daily on Twitter and Facebook to join the conversation.",
        "Example App Download",
        "Credit : Example Photo Agency",
        "Other reports by Jane Roe",
        "Sign up to receive our latest news!",
        "By submitting this form, I agree to the terms.",
        "We use cookies to improve your experience on our website.",
    ]
    clean = _strip("\n".join([BODY[0], *clutter[:4], BODY[1], BODY[2], *clutter[4:]]))
    assert clean == "\n".join(BODY[:3])


@pytest.mark.parametrize(
    "sentence",
    [
        "More reports from the region suggest that ten states signed the letter this week.",
        "Public comments will be reviewed by the council before the vote next month.",
        "Follow-up talks on X and other platforms were discussed by the envoys in Geneva.",
        "Apple app download figures were not part of the debate at the council.",
        "Leave a reply to the letter was the advice of the ambassador, who spoke at length.",
        "Credit: the ministry said the envoys had done most of the work on the letter itself.",
        "Related: the council also discussed a second letter signed by twelve states that day.",
    ],
)
def test_body_sentences_that_start_like_clutter_survive(sentence: str) -> None:
    text = "\n\n".join([BODY[0], sentence, *BODY[1:], sentence])
    assert _strip(text).count(sentence) == 2


def test_inline_teaser_and_podcast_promo_are_cut_from_a_body_line() -> None:
    line = (
        f"{BODY[0]} :: Some teaser headline here :: Listen to the Daily Show podcast on "
        f"Apple Podcasts, Spotify {BODY[1]}"
    )
    assert _strip(line) == f"{BODY[0]} {BODY[1]}"


def test_wire_end_marker_is_cut() -> None:
    assert _strip(f'{BODY[0]}\n"We will go on," he said. Enditem') == (
        f'{BODY[0]}\n"We will go on," he said.'
    )


def test_trailing_outlet_credit_is_removed_and_returned() -> None:
    stripped = strip_boilerplate("\n\n".join([*BODY, "Example Valley Times"]))
    assert stripped.credit == "Example Valley Times"
    assert stripped.text == "\n\n".join(BODY)


@pytest.mark.parametrize(
    ("line", "credit"),
    [
        ("Times of Example Land", True),
        ("The Example Gazette", True),
        ("XNA", True),
        ("Jane Roe", False),  # a person, not a publication
        ("Example Times reported the story.", False),
        ("Updated 2021", False),
        ("Translation: Jane", False),
        ("the example news", False),
    ],
)
def test_looks_like_credit(line: str, credit: bool) -> None:
    assert looks_like_credit(line) is credit


def test_stripped_text_maps_onto_the_normalised_text() -> None:
    normalised = normalise(
        "Headline\n\n0 Comment(s)Print E-mail Wire, May 1, 2020\n\n"
        + "\n\n".join(BODY)
        + "\n\nLeave a Reply\nYour Comment"
    )[0]
    stripped = strip_boilerplate(normalised)
    for position, char in enumerate(stripped.text):
        origin = stripped.offsets.to_original(position)
        if char not in " \n":
            assert normalised[origin] == char
    start = stripped.text.index("Wire")
    span = stripped.offsets.span_to_original(start, start + len("Wire, May 1, 2020"))
    assert normalised[span[0] : span[1]] == "Wire, May 1, 2020"


def test_never_returns_empty_for_clutter_only_text() -> None:
    assert strip_boilerplate("Leave a Reply").text == "Leave a Reply"
    assert strip_boilerplate("").text == ""


def test_pattern_file_loads_with_every_section() -> None:
    patterns = load_patterns()
    assert patterns.tail and patterns.block and patterns.inline
    assert set(patterns.tail) <= set(patterns.line)


def test_pattern_file_errors_name_the_line() -> None:
    with pytest.raises(ValueError, match=":1: pattern before any"):
        parse_patterns("orphan")
    with pytest.raises(ValueError, match=":3: bad regex"):
        parse_patterns("# comment\n[line]\n(unclosed")


# --- measured on the seeds -------------------------------------------------------------------

# Page chrome in each seed (web furniture, not article text) that must be gone after cleaning.
SEED_CLUTTER = {
    "000": ["Credit :"],
    "001": ["Times of Central Asia"],  # the trailing outlet credit line
    "002": [
        "Comment(s)",
        "Print E-mail",
        "Adjust font size",
        "Follow China.org.cn",
        "App Download",
        "Bookmark and Share",
        "Go to Forum",
        "No comments.",
        "Add your comments",
        "User Name Required",
        "Your Comment",
        "Enter the words you see",
        "off-topic comments may be removed",
        "Send your stories",
        "Enditem",
    ],
    "003": ["Other reports by", "Discuss This Article"],
    "004": [
        "Leave a Reply",
        "Your email address will not be published",
        "Required fields are marked",
        "podcast on Apple Podcasts",
    ],
}
# Share of a seed's non-clutter sentences that must survive (the brief's floor).
MIN_KEPT_SHARE = 0.9
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?\"'])\s+")


def _canon(text: str) -> str:
    return " ".join(normalise(text)[0].split())


def test_seed_clutter_is_gone(seeds: dict[str, str]) -> None:
    for key, fragments in SEED_CLUTTER.items():
        clean = _strip(seeds[key])
        last_line = clean.rsplit("\n", 1)[-1]
        for fragment in fragments:
            if key == "001":  # the outlet name may be quoted in the body, not as a last line
                assert last_line != fragment
            else:
                assert fragment not in clean, (key, fragment)


def test_seed_body_sentences_are_kept(seeds: dict[str, str]) -> None:
    for key, text in seeds.items():
        clean = _canon(_strip(text))
        fragments = SEED_CLUTTER.get(key, [])
        sentences = [
            sentence
            for line in normalise(text)[0].split("\n")
            if line and not any(fragment in line for fragment in fragments)
            for sentence in _SENTENCE_SPLIT.split(line)
        ]
        kept = sum(_canon(sentence) in clean for sentence in sentences)
        assert kept >= MIN_KEPT_SHARE * len(sentences), (key, kept, len(sentences))


def test_gold_evidence_and_speakers_survive_cleaning(gold: list[Gold]) -> None:
    """Seeds and both devsets: whatever gold quotes from the text is still in the clean text."""
    lost = []
    checked = 0
    for item in gold:
        before = _canon(item.text)
        after = _canon(_strip(item.text))
        evidence = [e for action in item.data["joint_actions"] for e in action["evidence"]]
        names = [speaker["name"] for speaker in item.data["speakers"]]
        for needle in map(_canon, evidence + names):
            if needle in before:  # a gold name may be a transliteration absent from the text
                checked += 1
                if needle not in after:
                    lost.append((item.name, needle[:80]))
    assert checked > 100
    assert lost == []
