"""HTML reader: main text through trafilatura, metadata, hostile pages."""

from __future__ import annotations

from pathlib import Path

from blocwatch.errors import RejectReason
from blocwatch.ingest.html import fragment_text
from blocwatch.model import RawDocument, Reject
from blocwatch.settings import Options

from .helpers import ARTICLE_HTML, ARTICLE_TITLE, PARAGRAPHS, only, read_all

CLUTTER = ("Most read", "Celebrity chef", "Privacy policy", "All rights reserved", "Weather")


def test_html_article_text_without_clutter(tmp_path: Path) -> None:
    path = tmp_path / "river-letter.html"
    path.write_text(ARTICLE_HTML, encoding="utf-8")
    doc = only(read_all([path]))
    assert isinstance(doc, RawDocument)
    for paragraph in PARAGRAPHS:
        assert paragraph in doc.text
    for clutter in CLUTTER:
        assert clutter not in doc.text
    assert doc.title == ARTICLE_TITLE
    assert doc.published == "2021-06-22"
    assert doc.outlet == "Example Daily"
    assert doc.url == "https://news.example.org/2021/06/22/river-letter"
    assert doc.external_id == "river-letter"
    assert doc.input_format == "html"


def test_date_in_body_text_is_not_metadata(tmp_path: Path) -> None:
    page = ARTICLE_HTML.replace(
        '<meta property="article:published_time" content="2021-06-22T09:30:00Z">', ""
    )
    page = page.replace(
        "https://news.example.org/2021/06/22/river-letter", "https://news.example.org/river"
    )
    page = page.replace("<h1>", "<p>Posted on 3 March 2020.</p><h1>")
    path = tmp_path / "no-date.htm"
    path.write_text(page, encoding="utf-8")
    doc = only(read_all([path]))
    assert isinstance(doc, RawDocument)
    assert doc.published is None


def test_declared_latin1_charset(tmp_path: Path) -> None:
    page = ARTICLE_HTML.replace('charset="utf-8"', 'charset="iso-8859-1"').replace(
        "GENEVA", "GENÈVE"
    )
    path = tmp_path / "latin.html"
    path.write_bytes(page.encode("latin-1", errors="replace"))
    doc = only(read_all([path]))
    assert isinstance(doc, RawDocument)
    assert "GENÈVE" in doc.text
    assert doc.encoding == "cp1252"


def test_page_without_article_text(tmp_path: Path) -> None:
    path = tmp_path / "nav.html"
    path.write_text("<html><body><nav><a href='/'>Home</a></nav></body></html>", encoding="utf-8")
    item = only(read_all([path]))
    assert isinstance(item, Reject)
    assert item.reason is RejectReason.NO_MAIN_TEXT


def test_100k_deep_html_is_refused(tmp_path: Path) -> None:
    depth = 100_000
    body = "<p>" + " ".join(PARAGRAPHS) + "</p>" + "<div>" * depth + "deep" + "</div>" * depth
    path = tmp_path / "deep.html"
    path.write_text(f"<html><body>{body}</body></html>", encoding="utf-8")
    item = only(read_all([path]))
    assert isinstance(item, Reject)
    assert item.reason is RejectReason.TOO_DEEP


def test_nesting_limit_follows_options(tmp_path: Path) -> None:
    body = "<div>" * 30 + "<p>" + " ".join(PARAGRAPHS) + "</p>" + "</div>" * 30
    path = tmp_path / "nested.html"
    path.write_text(f"<html><body>{body}</body></html>", encoding="utf-8")
    assert isinstance(only(read_all([path])), RawDocument)
    item = only(read_all([path], Options(max_nesting_depth=20)))
    assert isinstance(item, Reject)
    assert item.reason is RejectReason.TOO_DEEP


def test_fragment_text_blocks_and_scripts() -> None:
    fragment = (
        "<p>One <b>bold</b> line</p><script>alert(1)</script><ul><li>a</li><li>b</li></ul>tail"
    )
    assert fragment_text(fragment) == "One bold line\na\nb\ntail"
    assert fragment_text("") == ""
    deep = "<div>" * 5000 + "x" + "</div>" * 5000
    assert "x" in fragment_text(deep) or fragment_text(deep) == ""


def test_bare_fragment_file_is_read(tmp_path: Path) -> None:
    path = tmp_path / "fragment.html"
    path.write_text("<div>" + " ".join(PARAGRAPHS) + "</div>", encoding="utf-8")
    doc = only(read_all([path]))
    assert isinstance(doc, RawDocument)
    assert PARAGRAPHS[1] in doc.text
