"""The Spark runner's task functions, in plain Python (no JVM): reading, routing, exact
duplicates, rows, and one bad document never failing a partition."""

from __future__ import annotations

import dataclasses
import io
import json
from collections.abc import Iterable, Iterator
from functools import reduce
from itertools import permutations
from pathlib import Path

import pytest
from spacy.language import Language

from blocwatch import clean
from blocwatch.errors import RejectReason
from blocwatch.extract import EXTRACTOR_VERSION
from blocwatch.model import Article, RawDocument, Reject
from blocwatch.nlp.build import build_blank_nlp
from blocwatch.pipeline import Outcome
from blocwatch.runners import spark_tasks
from blocwatch.runners.extraction import FAILED
from blocwatch.runners.spark_tasks import (
    Column,
    Kept,
    as_tuple,
    extract_partition,
    keep_first,
    keyed,
    partition_rows,
    read_file,
    route,
    source_of,
    table_columns,
)
from blocwatch.settings import Options
from tests.ingest.helpers import ARTICLE_HTML, ARTICLE_TEXT, write_warc

OPTIONS = Options()


@pytest.fixture(scope="module")
def nlp() -> Language:
    return build_blank_nlp()


def test_sources_of_local_files_are_plain_paths() -> None:
    assert source_of("file:/data/in.jsonl") == "/data/in.jsonl"
    assert source_of("file:///data/a b.jsonl") == "/data/a b.jsonl"
    assert source_of("s3a://bucket/crawl/x.warc.gz") == "s3a://bucket/crawl/x.warc.gz"


def test_read_file_names_items_as_the_local_reader_does(tmp_path: Path) -> None:
    content = (
        json.dumps({"text": ARTICLE_TEXT}) + "\n\n" + "{broken\n" + json.dumps({"id": 7}) + "\n"
    ).encode()
    items = list(read_file("file:/data/wire.jsonl", content, 3, OPTIONS))
    assert [key for key, _item in items] == [(3, 0), (3, 1), (3, 2)]
    document, broken, no_text = (item for _key, item in items)
    assert isinstance(document, RawDocument)
    assert (document.source, document.external_id) == ("/data/wire.jsonl:1", "wire:1")
    assert isinstance(broken, Reject) and broken.source == "/data/wire.jsonl:3"
    assert broken.reason is RejectReason.MALFORMED_JSON
    assert isinstance(no_text, Reject) and no_text.reason is RejectReason.MISSING_TEXT
    assert all("blocwatch-spark-" not in json.dumps([i.source, str(i)]) for _k, i in items)


def test_read_file_reads_warc_records(tmp_path: Path) -> None:
    warc = tmp_path / "crawl.warc.gz"
    write_warc(
        warc,
        [
            ("response", "https://news.example.org/a", ARTICLE_HTML.encode(), "text/html"),
            ("response", "https://news.example.org/b.png", b"\x89PNG", "image/png"),
        ],
        gzip=True,
    )
    items = [
        item for _key, item in read_file("s3a://b/crawl.warc.gz", warc.read_bytes(), 0, OPTIONS)
    ]
    assert [item.source for item in items] == ["s3a://b/crawl.warc.gz#1", "s3a://b/crawl.warc.gz#2"]
    assert isinstance(items[0], RawDocument) and items[0].input_format == "warc"
    assert items[0].fetched is not None  # WARC-Date
    assert isinstance(items[1], Reject) and items[1].reason is RejectReason.NOT_HTML


def test_route_rejects_what_the_local_runner_rejects(monkeypatch: pytest.MonkeyPatch) -> None:
    real = clean.prepare

    def all_clutter(raw: RawDocument, options: Options) -> Article:
        return dataclasses.replace(real(raw, options), clean_text=" \n")

    monkeypatch.setattr(clean, "prepare", all_clutter)
    raw = RawDocument(source="s#1", input_format="jsonl", text=ARTICLE_TEXT)
    routed = route(((0, 0), raw), OPTIONS)
    assert isinstance(routed, Reject) and routed.reason is RejectReason.NO_TEXT_LEFT

    def broken(raw: RawDocument, options: Options) -> Article:
        raise RuntimeError("a cleaning bug")

    monkeypatch.setattr(clean, "prepare", broken)
    routed = route(((0, 1), RawDocument(source="s#2", input_format="jsonl", text="Hi.")), OPTIONS)
    assert isinstance(routed, Reject) and routed.reason is RejectReason.INTERNAL_ERROR
    assert "a cleaning bug" in routed.detail


def _articles(*sources: str) -> list[Kept]:
    raws = [RawDocument(source=s, input_format="jsonl", text=ARTICLE_TEXT) for s in sources]
    kept = []
    for rank, raw in enumerate(raws):
        routed = route(((rank, 0), raw), OPTIONS)
        assert not isinstance(routed, Reject)
        kept.append(Kept(*routed))
    return kept


def test_keep_first_keeps_the_earliest_whatever_the_reduce_order() -> None:
    items = _articles("a.jsonl:1", "b.jsonl:1", "c.jsonl:1")
    results = {
        (kept.article.source, tuple(sorted(c.source for c in kept.copies)))
        for order in permutations(items)
        for kept in [reduce(keep_first, order)]
    }
    assert results == {("a.jsonl:1", ("b.jsonl:1", "c.jsonl:1"))}
    copy = reduce(keep_first, items).copies[0]
    assert (copy.method, copy.similarity, copy.duplicate_of) == ("exact", 1.0, items[0].article.id)


def test_the_same_item_read_twice_is_one_document() -> None:
    first, again = _articles("a.jsonl:1", "a.jsonl:1")
    assert keep_first(again, first).copies == ()


def test_as_tuple_checks_types_like_a_strict_table() -> None:
    columns = (
        Column("id", "TEXT", True),
        Column("value", "REAL", False),
        Column("n", "INTEGER", False),
    )
    assert as_tuple({"id": "x\ud800", "value": 3}, columns) == ("x\ufffd", 3.0, None)
    for bad in ({"value": 1.0}, {"id": "x", "n": True}, {"id": "x", "n": "1"}, {"id": "x", "z": 1}):
        with pytest.raises(ValueError):
            as_tuple(bad, columns)


def _partition(items: list[Kept]) -> Iterator[tuple[str, Kept]]:
    return ((k.article.id, k) for k in items)


def test_extract_partition_rows_fit_every_table(nlp: Language) -> None:
    items = _articles("a.jsonl:1", "b.jsonl:1")
    kept = reduce(keep_first, items)
    rows = list(extract_partition(_partition([kept]), OPTIONS, nlp))
    tables = {table for table, _values in rows}
    assert {"documents", "duplicates", "extractions", "joint_action_reports"} <= tables
    columns = table_columns()
    assert all(len(values) == len(columns[table]) for table, values in rows)
    extraction = next(values for table, values in rows if table == "extractions")
    reports = sum(1 for table, _v in rows if table == "joint_action_reports")
    assert extraction == (kept.article.id, EXTRACTOR_VERSION, reports)


def test_one_bad_document_fails_only_its_extraction(
    nlp: Language, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failure inside nlp.pipe ends process_many_safely's stream: the chunk is redone one
    document at a time, the bad one is marked failed and the others keep their facts."""
    good = _articles("good.jsonl:1")[0]
    raw = RawDocument(source="bad.jsonl:1", input_format="jsonl", text="Poison pill. " * 3)
    routed = route(((1, 0), raw), OPTIONS)
    assert not isinstance(routed, Reject)
    bad = Kept(*routed)
    real = spark_tasks.process_stream

    def fragile(
        articles: Iterable[Article], options: Options, nlp: Language | None = None
    ) -> Iterator[tuple[Article, Outcome]]:
        listed = list(articles)
        if any("Poison" in a.clean_text for a in listed):
            raise RuntimeError("a spaCy component broke")
        return real(listed, options, nlp)

    monkeypatch.setattr(spark_tasks, "process_stream", fragile)
    rows = list(extract_partition(_partition([good, bad]), OPTIONS, nlp))
    extractions = {values[0]: values[1] for table, values in rows if table == "extractions"}
    assert extractions == {
        good.article.id: EXTRACTOR_VERSION,
        bad.article.id: FAILED,
    }
    documents = [values[0] for table, values in rows if table == "documents"]
    assert documents == [good.article.id, bad.article.id]
    assert any(table == "joint_action_reports" for table, _v in rows)


def test_read_file_has_the_local_caps() -> None:
    big = io.BytesIO()
    big.write(json.dumps({"text": "x" * 2000}).encode() + b"\n")
    small = Options(max_record_bytes=1000)
    ((_, item),) = list(read_file("file:/d/big.jsonl", big.getvalue(), 0, small))
    assert isinstance(item, Reject) and item.reason is RejectReason.TOO_LARGE
    assert item.source == "/d/big.jsonl:1"


def test_rejects_ride_the_shuffle_under_their_own_keys(nlp: Language) -> None:
    """After the shuffle a partition holds articles and rejects: the articles' rows come first,
    then one `rejects` row per reject; a reject never merges with an article."""
    article = _articles("a.jsonl:1")[0]
    reject = Reject("a.jsonl:2", RejectReason.MISSING_TEXT, "no text")
    items = [keyed(reject), keyed(((0, 0), article.article))]
    assert items[1] == (article.article.id, article)
    assert items[0][0] != article.article.id and keep_first(items[0][1], reject) is reject
    rows = list(partition_rows(iter(items), OPTIONS, nlp))
    tables = [table for table, _values in rows]
    assert tables[0] == "documents" and tables[-1] == "rejects"
    assert tables.count("rejects") == 1 and tables.count("documents") == 1
    assert rows[-1][1][:2] == ("a.jsonl:2", "missing_text")
