"""normalise: the clean text rules, and the offset map back to the original (property tests)."""

from __future__ import annotations

import string

from hypothesis import given, settings
from hypothesis import strategies as st

from blocwatch.clean.normalize import OffsetBuilder, compose, normalise, text_fingerprint
from blocwatch.model import OffsetMap


def assert_map_sound(original: str, clean: str, offsets: OffsetMap) -> None:
    """Every clean character maps into the original, in order."""
    assert offsets.clean_length == len(clean)
    assert offsets.original_length == len(original)
    previous = -1
    for position in range(len(clean)):
        origin = offsets.to_original(position)
        assert 0 <= origin < len(original)
        assert origin >= previous
        previous = origin


# --- specific cases ----------------------------------------------------------------------------


def test_curly_quotes_become_ascii_and_map_to_the_curly_originals() -> None:
    original = "“Yes,” she said. It’s ‘fine’ — «oui»."
    clean, offsets = normalise(original)
    assert clean == '"Yes," she said. It\'s \'fine\' — "oui".'
    assert original[offsets.to_original(clean.index("'s"))] == "’"
    assert original[offsets.to_original(0)] == "“"


def test_dashes_stay() -> None:
    assert normalise("PLACE (ABC) — one – two")[0] == "PLACE (ABC) — one – two"


def test_nbsp_tabs_and_space_runs_collapse() -> None:
    clean, offsets = normalise("a\u00a0\u00a0b\t\tc   d\u2003e")
    assert clean == "a b c d e"
    assert offsets.to_original(2) == 3  # "b" after two NBSPs


def test_crlf_cr_and_blank_line_runs() -> None:
    clean, _ = normalise("one\r\ntwo\rthree\r\n\r\n\r\n\r\nfour\u2029five")
    assert clean == "one\ntwo\nthree\n\nfour\n\nfive"


def test_trailing_and_leading_spaces_per_line_and_text_edges() -> None:
    assert normalise("\n\n  a  \n   b \t\n\n\n")[0] == "a\nb"


def test_whitespace_only_lines_are_blank_lines() -> None:
    assert normalise("a\n \t \n \nb")[0] == "a\n\nb"


def test_combining_accent_composes_and_maps_to_its_base() -> None:
    original = "Cafe\u0301 ok"
    clean, offsets = normalise(original)
    assert clean == "Café ok"
    assert offsets.to_original(3) == 3  # "é" stands for "e" + U+0301
    assert offsets.to_original(5) == 6  # "o" comes after the dropped extra character
    assert offsets.span_to_original(5, 7) == (6, 8)


def test_zero_width_soft_hyphen_bom_and_controls_are_dropped() -> None:
    original = "\ufeffZero\u200bwidth soft\u00adhyphen bidi\u200e\u202amarks ctrl\x00\x07z"
    clean, offsets = normalise(original)
    assert clean == "Zerowidth softhyphen bidimarks ctrlz"
    assert_map_sound(original, clean, offsets)
    assert original[offsets.to_original(0)] == "Z"


def test_orphan_combining_marks_are_dropped() -> None:
    assert normalise("\u0301a \u0301b\n\u0301c")[0] == "a b\nc"


def test_nfkc_expansion_maps_every_output_char_to_the_source_char() -> None:
    original = "x \ufb01ne y"  # "ﬁ" ligature
    clean, offsets = normalise(original)
    assert clean == "x fine y"
    assert offsets.to_original(2) == offsets.to_original(3) == 2
    assert offsets.to_original(4) == 3
    assert_map_sound(original, clean, offsets)


def test_fullwidth_letters_fold() -> None:
    assert normalise("ＡＢＣ １２")[0] == "ABC 12"


def test_ellipsis_and_non_breaking_hyphen() -> None:
    assert normalise("wait… non\u2011stop")[0] == "wait... non-stop"


def test_unchanged_ascii_is_one_run() -> None:
    clean, offsets = normalise("plain ascii text, nothing to do.")
    assert clean == "plain ascii text, nothing to do."
    assert offsets.starts == (0,) and offsets.origins == (0,)


def test_empty_and_whitespace_only() -> None:
    assert normalise("") == ("", OffsetMap((), (), 0, 0))
    clean, offsets = normalise(" \n\t\u200b ")
    assert clean == "" and offsets.clean_length == 0 and offsets.original_length == 5


# --- OffsetBuilder and compose -------------------------------------------------------------


def test_builder_compresses_contiguous_origins_into_runs() -> None:
    builder = OffsetBuilder(20)
    builder.add_slice("abcdefghij", 0, 3, 0)
    builder.add("d", 3)  # continues the run
    builder.add("x", 10)  # a jump opens a run
    builder.add("y", 10)  # a repeat opens a run too
    text, offsets = builder.build()
    assert text == "abcdxy"
    assert offsets.starts == (0, 4, 5)
    assert offsets.origins == (0, 10, 10)


def _random_map(draw: st.DrawFn, original_length: int) -> OffsetMap:
    """A monotone map from a random clean length into [0, original_length)."""
    origins = sorted(draw(st.lists(st.integers(0, original_length - 1), min_size=1, max_size=40)))
    builder = OffsetBuilder(original_length)
    for origin in origins:
        builder.add("x", origin)
    return builder.build()[1]


@st.composite
def _two_maps(draw: st.DrawFn) -> tuple[OffsetMap, OffsetMap]:
    inner = _random_map(draw, draw(st.integers(1, 60)))
    outer = _random_map(draw, inner.clean_length)
    return outer, inner


@given(_two_maps())
def test_compose_equals_pointwise_composition(maps: tuple[OffsetMap, OffsetMap]) -> None:
    outer, inner = maps
    composed = compose(outer, inner)
    assert composed.clean_length == outer.clean_length
    assert composed.original_length == inner.original_length
    for position in range(outer.clean_length):
        expected = inner.to_original(outer.to_original(position))
        assert composed.to_original(position) == expected


# --- property tests on normalise ---------------------------------------------------------------

_NOISE = st.sampled_from(
    [" ", "  ", "\t", "\n", "\r\n", "\r", "\n\n\n\n", "\u00a0", "\u200b", "\u00ad", "\ufeff",
     "\u2003", "\u2028", "\u2029", "\x00", "\u200e", "“", "”", "’", "‘", "«", "»", "—", "–",
     ". ", ", ", "(", ")", "\u0085"]
)  # fmt: skip


@st.composite
def _words_and_noise(draw: st.DrawFn) -> tuple[str, list[tuple[int, int]]]:
    """Text of ASCII words split by noise; returns it with each word's original span."""
    parts: list[str] = []
    words: list[tuple[int, int]] = []
    length = 0
    for _ in range(draw(st.integers(0, 12))):
        noise = "".join(draw(st.lists(_NOISE, min_size=1, max_size=3)))
        word = draw(st.text(string.ascii_letters + string.digits, min_size=1, max_size=8))
        parts += [noise, word]
        words.append((length + len(noise), length + len(noise) + len(word)))
        length += len(noise) + len(word)
    parts.append("".join(draw(st.lists(_NOISE, max_size=3))))
    return "".join(parts), words


@given(_words_and_noise())
def test_copied_words_map_back_to_exactly_their_original_spans(
    case: tuple[str, list[tuple[int, int]]],
) -> None:
    original, words = case
    clean, offsets = normalise(original)
    assert_map_sound(original, clean, offsets)
    letters = [i for i, char in enumerate(clean) if char.isascii() and char.isalnum()]
    expected = [position for start, end in words for position in range(start, end)]
    assert [offsets.to_original(i) for i in letters] == expected
    taken = 0
    for start, end in words:
        clean_start = letters[taken]
        taken += end - start
        clean_end = letters[taken - 1] + 1
        assert clean[clean_start:clean_end] == original[start:end]  # copied unchanged
        assert offsets.span_to_original(clean_start, clean_end) == (start, end)


@settings(max_examples=300)
@given(st.text())
def test_arbitrary_text_maps_soundly_and_is_idempotent(original: str) -> None:
    clean, offsets = normalise(original)
    assert_map_sound(original, clean, offsets)
    assert normalise(clean)[0] == clean
    assert "\r" not in clean and "\t" not in clean and "  " not in clean
    assert "\n\n\n" not in clean and " \n" not in clean and "\n " not in clean
    assert clean == clean.strip()


@given(st.text(alphabet=string.printable))
def test_ascii_spans_round_trip(original: str) -> None:
    clean, offsets = normalise(original)
    for start in range(len(clean)):
        end = start
        while end < len(clean) and clean[end] not in " \n":
            end += 1
        if end > start:
            a, b = offsets.span_to_original(start, end)
            assert original[a:b] == clean[start:end]


# --- fingerprint -------------------------------------------------------------------------------


def test_fingerprint_ignores_case_spacing_and_punctuation_style() -> None:
    one = text_fingerprint('Ten states signed the "letter" today.')
    two = text_fingerprint("ten  states signed the letter\n\ntoday")
    assert one == two
    assert len(one) == 16 and all(c in "0123456789abcdef" for c in one)


def test_fingerprint_tells_different_texts_apart() -> None:
    assert text_fingerprint("Ten states signed.") != text_fingerprint("Eleven states signed.")


def test_compose_with_empty_maps() -> None:
    empty = OffsetMap.identity(0)
    assert compose(empty, OffsetMap.identity(5)) == OffsetMap((), (), 0, 5)
    assert compose(empty, empty) == empty
