"""HTML pages → main text and metadata via trafilatura (also used for JSON `html`, WARC, feeds).

Stages: decode bytes (BOM, UTF-8, <meta charset>, detection) → parse with lxml (trafilatura's
loader) → refuse trees deeper than `max_nesting_depth` (libxml2 silently cuts a document at depth
256, so a deeper page would lose text without a word) → trafilatura main text + metadata.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import lxml.etree
import lxml.html
import trafilatura
from trafilatura.settings import set_date_params
from trafilatura.utils import load_html

from blocwatch.errors import RejectReason
from blocwatch.ingest.dates import iso_date
from blocwatch.ingest.files import decode_bytes
from blocwatch.model import RawDocument, Reject
from blocwatch.settings import Options

# Where browsers look for <meta charset>: the first 1024 bytes (HTML spec); we allow a little more
# for pages with long <head> comments.
META_CHARSET_SCAN_BYTES = 4096
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.IGNORECASE)
# trafilatura's keyword arguments. Balanced mode (not favor_precision): precision mode drops short
# paragraphs such as one-line quotes, which are exactly what we extract. Comments and tables are
# reader chatter or layout, not the report. Dates only from markup or the URL (extensive search
# reads dates out of the body text, which the metadata stage does with its own provenance).
_TRAFILATURA_ARGS: dict[str, Any] = {
    "with_metadata": True,
    "include_comments": False,
    "include_tables": False,
    "favor_precision": False,
}
# Fewer words than this is a menu, a cookie notice or an error page that trafilatura's fallback
# extractors still return text for, not a news report (the shortest wire briefs run ~40 words).
MIN_MAIN_TEXT_WORDS = 20
# Block-level tags after which fragment text gets a line break (feed summaries).
_BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "br",
        "li",
        "ul",
        "ol",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "pre",
        "tr",
        "table",
        "section",
        "article",
        "header",
        "footer",
        "figure",
        "figcaption",
        "dd",
        "dt",
    ]
)
_SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "iframe", "object"})


@dataclass(frozen=True)
class Extracted:
    """What trafilatura found in one page."""

    text: str
    title: str | None
    published: str | None
    outlet: str | None
    url: str | None


def declared_charset(data: bytes) -> str | None:
    """The charset a page declares in <meta>, if any (only a hint: it must also decode cleanly)."""
    match = _META_CHARSET.search(data[:META_CHARSET_SCAN_BYTES])
    return match.group(1).decode("ascii") if match else None


def tree_depth(root: lxml.etree._Element, limit: int) -> int:
    """Depth of an element tree, counted iteratively; stops early once past `limit`."""
    deepest = 0
    stack = [(root, 1)]
    while stack:
        element, depth = stack.pop()
        if depth > deepest:
            deepest = depth
            if deepest > limit:
                return deepest
        stack.extend((child, depth + 1) for child in element)
    return deepest


def extract_html(
    html: str, source: str, options: Options, url: str | None = None
) -> Extracted | Reject:
    """Main text and metadata of one HTML page, or NO_MAIN_TEXT / TOO_DEEP."""
    # trafilatura refuses a bare fragment ("<div>…</div>" alone) as dubious; wrapped, it is a page.
    tree = load_html(html)
    if tree is None:
        tree = load_html(f"<html><body>{html}</body></html>")
    if tree is None:
        return Reject(source, RejectReason.NO_MAIN_TEXT, "not parseable as an HTML page")
    depth = tree_depth(tree, options.max_nesting_depth)
    if depth > options.max_nesting_depth:
        return Reject(
            source,
            RejectReason.TOO_DEEP,
            f"HTML nested deeper than {options.max_nesting_depth} elements",
        )
    document = trafilatura.bare_extraction(
        tree, url=url, date_extraction_params=set_date_params(False), **_TRAFILATURA_ARGS
    )
    text = getattr(document, "text", None) if document is not None else None
    words = len(text.split()) if isinstance(text, str) else 0
    if not isinstance(text, str) or words < MIN_MAIN_TEXT_WORDS:
        detail = f"no article text found in the page ({words} words < {MIN_MAIN_TEXT_WORDS})"
        return Reject(source, RejectReason.NO_MAIN_TEXT, detail)
    return Extracted(
        text=text,
        title=_clean(getattr(document, "title", None)),
        published=iso_date(getattr(document, "date", None)),
        outlet=_clean(getattr(document, "sitename", None)),
        url=_clean(getattr(document, "url", None)) or url,
    )


def html_document(
    html: str,
    source: str,
    options: Options,
    *,
    input_format: str,
    external_id: str | None,
    url: str | None = None,
    encoding: str | None = None,
    fetched: str | None = None,
) -> RawDocument | Reject:
    """One HTML page as a RawDocument (shared by the .html, JSON `html` and WARC readers)."""
    extracted = extract_html(html, source, options, url=url)
    if isinstance(extracted, Reject):
        return extracted
    return RawDocument(
        source=source,
        input_format=input_format,
        text=extracted.text,
        external_id=external_id,
        url=extracted.url,
        title=extracted.title,
        outlet=extracted.outlet,
        published=extracted.published,
        encoding=encoding,
        fetched=fetched,
    )


def read_html(
    source: str, data: bytes, stem: str, options: Options
) -> Iterator[RawDocument | Reject]:
    """One .html file → one document (or one reject)."""
    decoded = decode_bytes(data, source, declared=declared_charset(data))
    if isinstance(decoded, Reject):
        yield decoded
        return
    yield html_document(
        decoded.text,
        source,
        options,
        input_format="html",
        external_id=stem,
        encoding=decoded.encoding,
    )


def fragment_text(fragment: str) -> str:
    """Plain text of an HTML fragment (a feed summary): text nodes in order, a line break after
    block elements, scripts and styles dropped. Iterative, so nesting cannot exhaust the stack."""
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return ""
    parts: list[str] = []
    # Each stack entry is an element to open, or a string to emit after its children.
    stack: list[lxml.etree._Element | str] = [root]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            parts.append(item)
            continue
        tag = item.tag if isinstance(item.tag, str) else ""
        if tag in _SKIP_TAGS:
            stack.append(item.tail or "")
            continue
        closing = ("\n" if tag in _BLOCK_TAGS else "") + (item.tail or "")
        if item is not root:
            stack.append(closing)
        stack.extend(reversed(list(item)))
        if isinstance(item.tag, str) and item.text:
            stack.append(item.text)
    lines = (" ".join(line.split()) for line in "".join(parts).splitlines())
    return "\n".join(line for line in lines if line)


def _clean(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    return value or None
