"""prepare: the whole clean stage, and its offsets into the original text."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from blocwatch.clean import prepare
from blocwatch.model import RawDocument
from blocwatch.settings import Options

ORIGINAL = (
    "\ufeffStates \u201cback\u201d the letter\r\n\r\n"
    "0 Comment(s)Print E-mail Reuters, March\u00a03, 2021\r\n\r\n\r\n"
    "LAKETOWN, March 2 (Reuters) \u2014 Ten states\u2019 envoys signed a joint\u200b letter "
    "to the council on Tuesday, officials said.\r\n\r\n"
    "The   letter asks the government to let independent observers visit the region.\r\n\r\n"
    "Leave a Reply\r\n"
    "Your email address will not be published. Required fields are marked *\r\n"
)


def _raw(text: str, **fields: str) -> RawDocument:
    return RawDocument(source="in/a.txt", input_format="txt", text=text, **fields)


def test_prepare_cleans_strips_and_reads_metadata() -> None:
    article = prepare(_raw(ORIGINAL, title="Given title", external_id="a"), Options())
    assert article.clean_text == (
        'States "back" the letter\n\n'
        "Reuters, March 3, 2021\n\n"
        "LAKETOWN, March 2 (Reuters) \u2014 Ten states' envoys signed a joint letter "
        "to the council on Tuesday, officials said.\n\n"
        "The letter asks the government to let independent observers visit the region."
    )
    assert article.text == ORIGINAL
    assert (article.published, article.published_source) == ("2021-03-02", "dateline")
    assert (article.dateline_place, article.agency) == ("LAKETOWN", "Reuters")
    assert (article.outlet, article.outlet_source) == ("Reuters", "credit")
    assert (article.language, article.language_source) == ("en", "detected")
    assert (article.title, article.external_id, article.source) == ("Given title", "a", "in/a.txt")
    assert len(article.id) == 16


def test_prepare_offsets_point_into_the_original() -> None:
    article = prepare(_raw(ORIGINAL), Options())
    clean, offsets = article.clean_text, article.offsets
    for needle in ("officials said", "LAKETOWN", "independent observers visit the region"):
        start = clean.index(needle)
        a, b = offsets.span_to_original(start, start + len(needle))
        assert ORIGINAL[a:b] == needle
    start = clean.index("states'")
    a, b = offsets.span_to_original(start, start + len("states'"))
    assert ORIGINAL[a:b] == "states\u2019"
    start = clean.index("joint letter")
    a, b = offsets.span_to_original(start, start + len("joint letter"))
    assert ORIGINAL[a:b] == "joint\u200b letter"  # the span covers the dropped character


def test_same_text_in_other_typography_gets_the_same_id() -> None:
    plain = ORIGINAL.replace("\u201c", '"').replace("\u201d", '"').replace("\r\n", "\n")
    assert prepare(_raw(plain), Options()).id == prepare(_raw(ORIGINAL), Options()).id
    other = ORIGINAL.replace("Ten states", "Eleven states")
    assert prepare(_raw(other), Options()).id != prepare(_raw(ORIGINAL), Options()).id


def test_metadata_fields_from_the_input_win() -> None:
    raw = _raw(ORIGINAL, published="2021-03-05", outlet="Given", language="fr", encoding="utf-8")
    article = prepare(raw, Options())
    assert (article.published, article.published_source) == ("2021-03-05", "metadata")
    assert (article.outlet, article.outlet_source) == ("Given", "metadata")
    assert (article.language, article.language_source) == ("fr", "metadata")
    assert article.encoding == "utf-8"


def test_empty_text() -> None:
    article = prepare(_raw(""), Options())
    assert article.clean_text == "" and article.offsets.clean_length == 0
    assert article.language is None and article.published is None


_LINES = st.sampled_from(
    [
        "Ten states signed a joint letter to the council, officials said.",
        "The ministry rejected the letter.",
        "Leave a Reply",
        "0 Comment(s)Print E-mail",
        "Share this",
        "Read more:",
        "Example Valley Times",
        "Follow Example Daily on Twitter",
        "",
    ]
)
_NOISE = st.sampled_from(["", " ", "\u00a0", "\u200b", "\t", "\u2019", "\u201c", "\r"])


@given(st.lists(st.tuples(_LINES, _NOISE), max_size=14))
def test_every_clean_letter_maps_to_the_same_letter_of_the_original(
    parts: list[tuple[str, str]],
) -> None:
    original = "\n".join(noise + line + noise for line, noise in parts)
    article = prepare(_raw(original), Options())
    previous = -1
    for position, char in enumerate(article.clean_text):
        origin = article.offsets.to_original(position)
        assert previous <= origin < len(original)
        previous = origin
        if char.isascii() and char.isalnum():
            assert original[origin] == char
