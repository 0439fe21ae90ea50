"""Property tests: any text and metadata round-trip through the store byte for byte."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from blocwatch.model import Article, OffsetMap
from blocwatch.store import (
    get_article,
    iter_document_signatures,
    offsets_from_json,
    offsets_to_json,
    open_store,
    replace_document_facts,
    search_documents,
    span_problems,
    write_batch,
)

from .helpers import dump, make_article

# Any code point but lone surrogates (the store replaces those; tested separately). NUL,
# control characters, combining marks, astral planes and RTL text are all in.
unicode_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=300)
optional_text = st.none() | unicode_text


@st.composite
def offset_maps(draw: st.DrawFn) -> OffsetMap:
    clean_length = draw(st.integers(0, 10_000))
    original_length = draw(st.integers(0, 10_000))
    starts = sorted(draw(st.sets(st.integers(0, max(clean_length - 1, 0)), max_size=40)))
    origins = draw(st.lists(st.integers(0, 2**40), min_size=len(starts), max_size=len(starts)))
    return OffsetMap(tuple(starts), tuple(origins), clean_length, original_length)


@st.composite
def articles(draw: st.DrawFn) -> Article:
    return Article(
        id=draw(st.text("0123456789abcdef", min_size=1, max_size=16)),
        source=draw(unicode_text.filter(bool)),
        input_format=draw(st.sampled_from(["txt", "html", "json", "jsonl", "warc", "rss"])),
        text=draw(unicode_text),
        clean_text=draw(unicode_text),
        offsets=draw(offset_maps()),
        external_id=draw(optional_text),
        url=draw(optional_text),
        title=draw(optional_text),
        outlet=draw(optional_text),
        outlet_source=draw(unicode_text),
        published=draw(optional_text),
        published_source=draw(unicode_text),
        dateline_place=draw(optional_text),
        agency=draw(optional_text),
        language=draw(optional_text),
        language_source=draw(unicode_text),
        encoding=draw(optional_text),
    )


@given(offset_maps())
def test_offset_maps_round_trip(offsets: OffsetMap) -> None:
    assert offsets_from_json(offsets_to_json(offsets)) == offsets


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(articles(), st.binary(max_size=256), unicode_text),
        max_size=4,
        unique_by=(lambda e: e[0].id, lambda e: e[0].source),
    )
)
def test_documents_round_trip_byte_equal(entries: list[tuple[Article, bytes, str]]) -> None:
    db = open_store(":memory:")
    write_batch(db, entries, [], [])
    first = dump(db.conn)
    write_batch(db, entries, [], [])
    assert dump(db.conn) == first
    for article, _, _ in entries:
        assert get_article(db, article.id) == article
    stored = {s.doc_id: (s.source, s.exact_hash, s.minhash) for s in iter_document_signatures(db)}
    assert stored == {a.id: (a.source, h, m) for a, m, h in entries}
    for article, _, _ in entries:
        search_documents(db, article.text[:20])  # any text is a valid (quoted) query
    db.close()


_search_db = open_store(":memory:")


@given(unicode_text)
def test_any_query_is_safe_to_search(query: str) -> None:
    assert search_documents(_search_db, query) == []


@st.composite
def text_and_spans(draw: st.DrawFn) -> tuple[str, list[tuple[int, int]]]:
    text = draw(st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00")))
    bounds = st.integers(0, len(text))
    pairs = draw(st.lists(st.tuples(bounds, bounds), max_size=8))
    return text, [(min(a, b), max(a, b)) for a, b in pairs]


@settings(max_examples=40, deadline=None)
@given(text_and_spans())
def test_fact_spans_read_the_same_in_python_and_sql(
    case: tuple[str, list[tuple[int, int]]],
) -> None:
    text, spans = case
    db = open_store(":memory:")
    write_batch(db, [(make_article("in/a.txt", text), b"", "h")], [], [])
    doc_id = make_article("in/a.txt", text).id
    rows = [{"frame": "f", "voice": "narration", "start": a, "end": b} for a, b in spans]
    replace_document_facts(db, doc_id, {"frame_uses": rows})
    sql = (
        'SELECT f.term, substr(d.text, f.start + 1, f."end" - f.start) FROM frame_uses f '
        "JOIN documents d ON d.id = f.doc_id ORDER BY f.rowid"
    )
    stored = db.execute(sql).fetchall()
    assert [term for term, _ in stored] == [text[a:b] for a, b in spans]
    assert all(term == from_sql for term, from_sql in stored)
    assert span_problems(db) == []
    db.close()
