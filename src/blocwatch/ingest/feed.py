"""RSS 2.0 / RSS 1.0 / Atom feeds → one document per entry (`path#N`, N counted from 0).

Parsed with defusedxml: a DTD, entity declarations or external references reject the whole file
(no billion-laughs expansion, no file or network access). Nesting deeper than
`max_nesting_depth` is refused while parsing. Elements are matched by local name, so namespace
prefixes do not matter; only direct children are read, never a recursive search.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from xml.etree.ElementTree import Element, ParseError, tostring

import defusedxml
import defusedxml.ElementTree as SafeET

from blocwatch.errors import RejectReason
from blocwatch.ingest.dates import iso_date, rfc822_date
from blocwatch.ingest.files import MAX_RECORD_FLAG, too_large
from blocwatch.ingest.html import extract_html, fragment_text
from blocwatch.model import RawDocument, Reject
from blocwatch.settings import Options

# trafilatura's own MIN_EXTRACTED_SIZE: below this it does not trust its extraction. Shorter
# feed bodies (summaries) are used as their plain text; longer ones (full articles in
# content:encoded) go through trafilatura to drop share links and "appeared first on" lines.
TRAFILATURA_MIN_CHARS = 250
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_XML_ENCODING = re.compile(rb"<\?xml[^>]*encoding\s*=\s*[\"']([A-Za-z0-9_.:-]+)")
_TAG = re.compile(r"<[A-Za-z/!][^>]*>")


def read_feed(
    source: str, data: bytes, stem: str, options: Options
) -> Iterator[RawDocument | Reject]:
    """A whole feed file → one item per entry, or one reject for the file."""
    root = parse_xml(data, source, options.max_nesting_depth)
    if isinstance(root, Reject):
        yield root
        return
    kind = _local(root.tag)
    channel = _child(root, "channel")
    if kind == "rss" and channel is not None:
        input_format, container, entries = "rss", channel, _children(channel, "item")
    elif kind == "RDF" and channel is not None:  # RSS 1.0: items are siblings of the channel
        input_format, container, entries = "rss", channel, _children(root, "item")
    elif kind == "feed":
        input_format, container, entries = "atom", root, _children(root, "entry")
    else:
        yield Reject(
            source, RejectReason.UNSUPPORTED, f"XML root <{kind}> is not an RSS or Atom feed"
        )
        return
    if not entries:
        yield Reject(source, RejectReason.EMPTY, f"{input_format} feed has no entries")
        return
    outlet = _text_of(_child(container, "title"))
    language = _text_of(_child(container, "language")) or root.get(_XML_LANG)
    encoding = _xml_encoding(data)
    for index, entry in enumerate(entries):
        yield _entry(
            entry,
            f"{source}#{index}",
            options,
            input_format=input_format,
            default_id=f"{stem}#{index}",
            outlet=outlet,
            language=language,
            encoding=encoding,
        )


def parse_xml(data: bytes, source: str, max_depth: int) -> Element | Reject:
    """Parse XML safely: no DTD or entities, depth capped while parsing (iterparse events)."""
    root: Element | None = None
    depth = 0
    try:
        for event, element in SafeET.iterparse(
            io.BytesIO(data),
            events=("start", "end"),
            forbid_dtd=True,
            forbid_entities=True,
            forbid_external=True,
        ):
            if event == "end":
                depth -= 1
                continue
            depth += 1
            root = element if root is None else root
            if depth > max_depth:
                return Reject(
                    source, RejectReason.TOO_DEEP, f"XML nested deeper than {max_depth} elements"
                )
    except defusedxml.DefusedXmlException as error:
        detail = f"refused: {error} (DTDs and entities are never resolved, e.g. billion laughs)"
        return Reject(source, RejectReason.MALFORMED_XML, detail)
    except ParseError as error:
        return Reject(source, RejectReason.MALFORMED_XML, f"not well-formed XML: {error}")
    if root is None:
        return Reject(source, RejectReason.MALFORMED_XML, "no XML element found")
    return root


def _entry(
    entry: Element,
    source: str,
    options: Options,
    *,
    input_format: str,
    default_id: str,
    outlet: str | None,
    language: str | None,
    encoding: str,
) -> RawDocument | Reject:
    # Full content first, the summary when the content is missing or empty.
    body = _body(_child(entry, "encoded", "content")) or _body(
        _child(entry, "description", "summary")
    )
    if not body.strip():
        detail = "feed entry has no content, summary or description"
        return Reject(source, RejectReason.MISSING_TEXT, detail)
    if len(body) > options.max_record_bytes:
        return too_large(source, len(body), options.max_record_bytes, MAX_RECORD_FLAG)
    url = _link(entry)
    text = _plain(body)
    if _TAG.search(body) and len(text) >= TRAFILATURA_MIN_CHARS:
        extracted = extract_html(f"<html><body>{body}</body></html>", source, options, url=url)
        if isinstance(extracted, Reject) and extracted.reason is RejectReason.TOO_DEEP:
            return extracted
        if not isinstance(extracted, Reject):
            text = extracted.text
    if not text.strip():
        return Reject(source, RejectReason.NO_MAIN_TEXT, "feed entry body has no text")
    if input_format == "rss":
        published = rfc822_date(_text_of(_child(entry, "pubDate"))) or iso_date(
            _text_of(_child(entry, "date"))
        )
        entry_id = _text_of(_child(entry, "guid"))
    else:
        published = iso_date(_text_of(_child(entry, "published"))) or iso_date(
            _text_of(_child(entry, "updated"))
        )
        entry_id = _text_of(_child(entry, "id"))
    title = _text_of(_child(entry, "title"))
    return RawDocument(
        source=source,
        input_format=input_format,
        text=text,
        external_id=entry_id or default_id,
        url=url,
        title=_plain(title) if title else None,
        outlet=outlet,
        published=published,
        language=entry.get(_XML_LANG) or language,
        encoding=encoding,
    )


def _body(element: Element | None) -> str:
    """An entry body as a string; Atom type="xhtml" content is markup, serialised back."""
    if element is None:
        return ""
    if element.get("type") == "xhtml" and len(element):
        body = "".join(tostring(child, encoding="unicode") for child in element)
    else:
        body = element.text or ""
    return body if body.strip() else ""


def _plain(value: str) -> str:
    """Plain text of a field that may hold HTML (escaped or CDATA, as feeds do)."""
    return fragment_text(value) if _TAG.search(value) else value.strip()


def _link(entry: Element) -> str | None:
    for child in entry:
        if _local(child.tag) != "link":
            continue
        href = child.get("href")
        if href is not None:  # Atom
            if child.get("rel", "alternate") == "alternate":
                return href.strip() or None
            continue
        if child.text and child.text.strip():
            return child.text.strip()
    guid = _child(entry, "guid")
    if guid is not None and guid.get("isPermaLink", "true") != "false":
        text = _text_of(guid)
        return text if text and text.startswith(("http://", "https://")) else None
    return None


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(parent: Element, name: str) -> list[Element]:
    return [child for child in parent if _local(child.tag) == name]


def _child(parent: Element, *names: str) -> Element | None:
    """The first direct child with one of `names` (earlier names preferred)."""
    for name in names:
        for child in parent:
            if _local(child.tag) == name:
                return child
    return None


def _text_of(element: Element | None) -> str | None:
    if element is None or element.text is None:
        return None
    return element.text.strip() or None


def _xml_encoding(data: bytes) -> str:
    match = _XML_ENCODING.search(data[:200])
    if match:
        return match.group(1).decode("ascii").lower()
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    return "utf-8"
