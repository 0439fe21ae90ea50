"""WARC reader: HTML responses only, positions as sources, caps, truncation."""

from __future__ import annotations

from pathlib import Path

import pytest

from blocwatch.errors import RejectReason
from blocwatch.model import RawDocument, Reject
from blocwatch.settings import Options

from .helpers import ARTICLE_HTML, PARAGRAPHS, docs, read_all, rejects, write_warc

PAGE = ARTICLE_HTML.encode("utf-8")
RECORDS = [
    ("request", "https://news.example.org/river-letter", b"", ""),
    ("response", "https://news.example.org/river-letter", PAGE, "text/html; charset=utf-8"),
    (
        "response",
        "https://news.example.org/logo.png",
        b"\x89PNG\r\n\x1a\n" + b"\x00" * 32,
        "image/png",
    ),
    ("response", "https://news.example.org/again", PAGE, "application/xhtml+xml"),
]


@pytest.mark.parametrize("gzipped", [False, True])
def test_warc_html_responses(tmp_path: Path, gzipped: bool) -> None:
    path = tmp_path / ("crawl.warc.gz" if gzipped else "crawl.warc")
    write_warc(path, RECORDS, gzip=gzipped)
    out = read_all([path])
    # Record 0 is warcinfo, 1 the request: neither is an item.
    assert [item.source for item in out] == [f"{path}#{n}" for n in (2, 3, 4)]
    page, image, again = out
    assert isinstance(page, RawDocument)
    assert all(paragraph in page.text for paragraph in PARAGRAPHS)
    assert page.input_format == "warc" and page.external_id == "crawl#2"
    assert page.url == "https://news.example.org/2021/06/22/river-letter"  # canonical link
    assert page.published == "2021-06-22"
    assert page.fetched is not None and page.fetched[:2] == "20" and "T" in page.fetched
    assert isinstance(image, Reject) and image.reason is RejectReason.NOT_HTML
    assert "image/png" in image.detail
    assert isinstance(again, RawDocument)


def test_warc_record_over_cap_and_error_status(tmp_path: Path) -> None:
    path = tmp_path / "big.warc"
    write_warc(path, [RECORDS[1]], gzip=False)
    out = read_all([path], Options(max_record_bytes=1000))
    assert len(out) == 1 and isinstance(out[0], Reject) and out[0].reason is RejectReason.TOO_LARGE
    missing = tmp_path / "missing.warc"
    write_warc(missing, [RECORDS[1]], gzip=False, status="404 Not Found")
    out = read_all([missing])
    assert len(out) == 1 and isinstance(out[0], Reject) and "404" in out[0].detail


@pytest.mark.parametrize("gzipped", [False, True])
def test_truncated_warc_keeps_records_read(tmp_path: Path, gzipped: bool) -> None:
    path = tmp_path / ("cut.warc.gz" if gzipped else "cut.warc")
    write_warc(path, [RECORDS[1], RECORDS[1], RECORDS[1]], gzip=gzipped)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 400])
    out = read_all([path])
    assert len(docs(out)) == 2
    assert len(rejects(out)) == 1 and out[-1] == rejects(out)[0]
    assert out[-1].reason is RejectReason.TRUNCATED and out[-1].source == str(path)


def test_warc_without_responses_and_not_a_warc(tmp_path: Path) -> None:
    info_only = tmp_path / "info.warc"
    write_warc(info_only, [], gzip=False)
    garbage = tmp_path / "garbage.warc"
    garbage.write_bytes(b"this is not an archive\n" * 10)
    reasons = [item.reason for item in read_all([info_only, garbage]) if isinstance(item, Reject)]
    assert reasons == [RejectReason.EMPTY, RejectReason.UNSUPPORTED]
