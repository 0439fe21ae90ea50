"""JSON and JSONL readers: keys, ids, dates, bad lines, nesting, gzip, the gold devsets."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from blocwatch.errors import RejectReason
from blocwatch.model import RawDocument, Reject
from blocwatch.settings import Options

from .helpers import ARTICLE_HTML, PARAGRAPHS, SHARED, docs, only, read_all, rejects

TEXT = "\n\n".join(PARAGRAPHS)


def test_json_object_with_metadata(tmp_path: Path) -> None:
    path = tmp_path / "one.json"
    article = {
        "id": 42,
        "url": "https://example.org/a",
        "title": "River letter",
        "outlet": "Example Daily",
        "published": "2021-06-22T10:00:00+02:00",
        "language": "en",
        "text": TEXT,
        "unknown_key": {"ignored": True},
    }
    path.write_text(json.dumps(article), encoding="utf-8")
    doc = only(read_all([path]))
    assert isinstance(doc, RawDocument)
    assert doc.text == TEXT
    assert (doc.external_id, doc.url, doc.title, doc.outlet) == (
        "42",
        "https://example.org/a",
        "River letter",
        "Example Daily",
    )
    assert (doc.published, doc.language, doc.input_format) == ("2021-06-22", "en", "json")


@pytest.mark.parametrize(
    ("published", "expected"),
    [
        ("2021-06", "2021-06"),
        ("2021-06-22", "2021-06-22"),
        ("22 June 2021", None),
        (20210622, None),
    ],
)
def test_published_kept_only_when_iso(
    tmp_path: Path, published: object, expected: str | None
) -> None:
    path = tmp_path / "dated.json"
    path.write_text(json.dumps({"text": TEXT, "published": published}), encoding="utf-8")
    doc = only(read_all([path]))
    assert isinstance(doc, RawDocument)
    assert doc.published == expected


def test_json_list_items_and_ids(tmp_path: Path) -> None:
    path = tmp_path / "batch.json"
    items = [
        {"text": "first article"},
        {"id": "b", "text": "second"},
        "not an object",
        {"title": "t"},
    ]
    path.write_text(json.dumps(items), encoding="utf-8")
    out = read_all([path])
    assert [item.source for item in out] == [f"{path}#{n}" for n in range(4)]
    first, second, third, fourth = out
    assert isinstance(first, RawDocument) and first.external_id == "batch#0"
    assert isinstance(second, RawDocument) and second.external_id == "b"
    assert isinstance(third, Reject) and third.reason is RejectReason.MISSING_TEXT
    assert isinstance(fourth, Reject) and fourth.reason is RejectReason.MISSING_TEXT


def test_json_html_key_goes_through_trafilatura(tmp_path: Path) -> None:
    path = tmp_path / "page.json"
    path.write_text(json.dumps({"html": ARTICLE_HTML, "outlet": "Given Outlet"}), encoding="utf-8")
    doc = only(read_all([path]))
    assert isinstance(doc, RawDocument)
    assert PARAGRAPHS[0] in doc.text and "Privacy policy" not in doc.text
    assert doc.outlet == "Given Outlet"  # the object's own key wins over the page's
    assert doc.published == "2021-06-22"  # from the page, as the object has none


def test_jsonl_bad_lines_reject_alone(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    lines = [
        json.dumps({"id": "a", "text": "good one"}),
        '{"text": "broken',
        "",
        json.dumps(["a", "list"]),
        json.dumps({"text": "   "}),
        json.dumps({"text": "good two"}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = read_all([path])
    assert [item.source for item in out] == [f"{path}:{n}" for n in (1, 2, 4, 5, 6)]
    reasons = [item.reason if isinstance(item, Reject) else None for item in out]
    assert reasons == [
        None,
        RejectReason.MALFORMED_JSON,
        RejectReason.MISSING_TEXT,
        RejectReason.MISSING_TEXT,
        None,
    ]
    last = out[-1]
    assert isinstance(last, RawDocument) and last.external_id == "feed:6"
    assert last.input_format == "jsonl"


def test_jsonl_line_over_cap(tmp_path: Path) -> None:
    path = tmp_path / "big.ndjson"
    big = json.dumps({"text": "x" * 5000})
    path.write_text("\n".join([json.dumps({"text": "small"}), big, json.dumps({"text": "after"})]))
    out = read_all([path], Options(max_record_bytes=1000))
    assert [type(item).__name__ for item in out] == ["RawDocument", "Reject", "RawDocument"]
    assert isinstance(out[1], Reject) and out[1].reason is RejectReason.TOO_LARGE
    assert out[1].source == f"{path}:2"


def test_100k_deep_json_and_jsonl(tmp_path: Path) -> None:
    deep = "[" * 100_000 + "]" * 100_000
    whole = tmp_path / "deep.json"
    whole.write_text(deep)
    lines = tmp_path / "deep.jsonl"
    lines.write_text(json.dumps({"text": "ok"}) + "\n" + deep + "\n")
    out = read_all([whole, lines])
    assert [item.reason if isinstance(item, Reject) else "doc" for item in out] == [
        RejectReason.TOO_DEEP,
        "doc",
        RejectReason.TOO_DEEP,
    ]


def test_nesting_beyond_option_in_parseable_json(tmp_path: Path) -> None:
    nested: object = "leaf"
    for _ in range(250):
        nested = {"k": nested}
    path = tmp_path / "nested.json"
    path.write_text(json.dumps({"text": "fine", "extra": nested}))
    item = only(read_all([path]))
    assert isinstance(item, Reject) and item.reason is RejectReason.TOO_DEEP


def test_gzipped_json_and_jsonl(tmp_path: Path) -> None:
    single = tmp_path / "one.json.gz"
    single.write_bytes(gzip.compress(json.dumps({"text": TEXT}).encode()))
    lines = tmp_path / "many.jsonl.gz"
    body = "\n".join(json.dumps({"id": n, "text": f"article {n}"}) for n in range(5))
    lines.write_bytes(gzip.compress(body.encode()))
    out = read_all([single, lines])
    assert len(docs(out)) == 6 and not rejects(out)
    assert out[0].source == str(single) and out[1].source == f"{lines}:1"
    assert isinstance(out[0], RawDocument) and out[0].external_id == "one"


def test_truncated_jsonl_gz_keeps_lines_read(tmp_path: Path) -> None:
    body = "\n".join(json.dumps({"id": n, "text": f"article number {n} " * 50}) for n in range(200))
    data = gzip.compress(body.encode())
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(data[: len(data) * 2 // 3])
    out = read_all([path])
    assert docs(out), "lines before the cut are kept"
    assert len(rejects(out)) == 1 and out[-1] == rejects(out)[0]
    assert out[-1].reason is RejectReason.TRUNCATED and out[-1].source == str(path)


def test_truncated_json_gz_and_gzip_bomb(tmp_path: Path) -> None:
    data = gzip.compress(json.dumps({"text": "y" * 20_000}).encode())
    cut = tmp_path / "cut.json.gz"
    cut.write_bytes(data[:-30])
    bomb = tmp_path / "bomb.json.gz"
    bomb.write_bytes(data)
    item = only(read_all([cut]))
    assert isinstance(item, Reject) and item.reason is RejectReason.TRUNCATED
    item = only(read_all([bomb], Options(max_decompressed_bytes=10_000)))
    assert isinstance(item, Reject) and item.reason is RejectReason.TOO_LARGE
    assert "(raise with --max-file-mb)" in item.detail


@pytest.mark.parametrize(("folder", "count"), [("devset", 17), ("devset2", 16)])
def test_gold_devset_files_read_as_input(folder: str, count: int) -> None:
    directory = SHARED / folder
    if not directory.is_dir():
        pytest.skip(f"../shared/{folder} is not present")
    paths = sorted(directory.glob("*.json"))
    assert len(paths) == count
    out = read_all([directory])
    assert len(out) == count and not rejects(out)
    for path, doc in zip(paths, docs(out), strict=True):
        gold = json.loads(path.read_text(encoding="utf-8"))
        assert doc.source == str(path)
        assert doc.text == gold["text"]
        assert doc.external_id == gold["id"]
        assert (doc.url, doc.outlet, doc.language) == (
            gold["url"],
            gold["outlet"],
            gold["language"],
        )
        assert doc.published == gold["published"]
