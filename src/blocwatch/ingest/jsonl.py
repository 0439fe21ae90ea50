"""JSON articles: a .json file holds one object or a list of them; a .jsonl file one per line.

Keys: `text` or `html` (one required; `text` wins when both are there), optional `id`, `url`,
`title`, `outlet`, `published`, `language`; other keys are ignored, so annotated gold files read
as input. JSONL streams line by line with a per-line byte cap; a bad line rejects that line only.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from blocwatch.errors import RejectReason
from blocwatch.ingest.dates import iso_date
from blocwatch.ingest.files import MAX_RECORD_FLAG, decode_bytes, too_large
from blocwatch.ingest.html import html_document
from blocwatch.model import RawDocument, Reject
from blocwatch.settings import Options

# Language tags are short (BCP 47: "en", "pt-BR", "zh-Hant-TW"); anything longer is not one.
LANGUAGE_MAX_CHARS = 35
_STRING_KEYS = ("url", "title", "outlet")

# A numbered input line: bytes or text; None when it was over the per-line cap; a Reject when the
# stream itself broke there (the reader passes it on and the stream ends).
Line = tuple[int, bytes | str | Reject | None]


def read_json(
    source: str, data: bytes, stem: str, options: Options, input_format: str = "json"
) -> Iterator[RawDocument | Reject]:
    """A whole .json file: one article object, or a list whose items are `source#N`."""
    decoded = decode_bytes(data, source)
    if isinstance(decoded, Reject):
        yield decoded
        return
    parsed = parse_json(decoded.text, source)
    if isinstance(parsed, Reject):
        yield parsed
        return
    if not isinstance(parsed, list):
        yield article_from_json(
            parsed, source, stem, options, input_format=input_format, encoding=decoded.encoding
        )
        return
    if not parsed:
        yield Reject(source, RejectReason.EMPTY, "JSON list has no items")
    for index, item in enumerate(parsed):
        yield article_from_json(
            item,
            f"{source}#{index}",
            f"{stem}#{index}",
            options,
            input_format=input_format,
            encoding=decoded.encoding,
            depth_offset=1,
        )


def read_jsonl(
    source: str,
    lines: Iterable[Line],
    stem: str,
    options: Options,
    encoding: str | None = None,
) -> Iterator[RawDocument | Reject]:
    """Numbered lines (None: the line was over the byte cap) → one item per non-blank line.

    Byte lines are decoded one by one (their encoding is recorded); text lines (a text stdin)
    carry `encoding` as given."""
    seen_any = False
    for number, line in lines:
        item_source = f"{source}:{number}"
        if isinstance(line, Reject):
            seen_any = True
            yield line
            continue
        if line is None:
            seen_any = True
            limit = options.max_record_bytes
            yield too_large(item_source, limit + 1, limit, MAX_RECORD_FLAG, exact=False)
            continue
        if isinstance(line, bytes):
            decoded = decode_bytes(line, item_source)
            if isinstance(decoded, Reject):
                if decoded.reason is RejectReason.EMPTY:
                    continue  # blank line: not an item
                seen_any = True
                yield decoded
                continue
            text = decoded.text
            line_encoding: str | None = decoded.encoding
        else:
            text, line_encoding = line, encoding
        if not text.strip():
            continue
        seen_any = True
        parsed = parse_json(text, item_source)
        if isinstance(parsed, Reject):
            yield parsed
            continue
        yield article_from_json(
            parsed,
            item_source,
            f"{stem}:{number}",
            options,
            input_format="jsonl",
            encoding=line_encoding,
        )
    if not seen_any:
        yield Reject(source, RejectReason.EMPTY, "no JSON lines")


def parse_json(text: str, source: str) -> Any:
    """json.loads, with hostile input turned into rejects (the C parser raises RecursionError
    on very deep nesting instead of crashing, and ValueError on huge numbers)."""
    try:
        return json.loads(text)
    except RecursionError:
        return Reject(source, RejectReason.TOO_DEEP, "JSON nesting too deep to parse")
    except ValueError as error:
        return Reject(source, RejectReason.MALFORMED_JSON, f"invalid JSON: {error}")


def json_depth(value: Any, limit: int) -> int:
    """Nesting depth of parsed JSON, counted iteratively; stops early once past `limit`."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > deepest:
            deepest = depth
            if deepest > limit:
                return deepest
        if isinstance(item, dict):
            stack.extend((child, depth + 1) for child in item.values())
        elif isinstance(item, list):
            stack.extend((child, depth + 1) for child in item)
    return deepest


def article_from_json(
    item: Any,
    source: str,
    default_id: str,
    options: Options,
    *,
    input_format: str,
    encoding: str | None,
    depth_offset: int = 0,
) -> RawDocument | Reject:
    """One parsed JSON article → RawDocument, or MISSING_TEXT / TOO_DEEP."""
    if not isinstance(item, dict):
        found = type(item).__name__
        return Reject(source, RejectReason.MISSING_TEXT, f"item is a JSON {found}, not an object")
    if json_depth(item, options.max_nesting_depth) + depth_offset > options.max_nesting_depth:
        return Reject(
            source,
            RejectReason.TOO_DEEP,
            f"JSON nested deeper than {options.max_nesting_depth} levels",
        )
    external_id = _external_id(item.get("id")) or default_id
    fields = {key: _string(item.get(key)) for key in _STRING_KEYS}
    published = iso_date(item.get("published"))
    language = _language(item.get("language"))
    text, html = item.get("text"), item.get("html")
    if isinstance(text, str) and text.strip():
        return RawDocument(
            source=source,
            input_format=input_format,
            text=text,
            external_id=external_id,
            published=published,
            language=language,
            encoding=encoding,
            **fields,
        )
    if isinstance(html, str) and html.strip():
        page = html_document(
            html,
            source,
            options,
            input_format=input_format,
            external_id=external_id,
            url=fields["url"],
            encoding=encoding,
        )
        if isinstance(page, Reject):
            return page
        # The object's own keys are explicit metadata: they win over what the page says.
        return RawDocument(
            source=source,
            input_format=input_format,
            text=page.text,
            external_id=external_id,
            url=fields["url"] or page.url,
            title=fields["title"] or page.title,
            outlet=fields["outlet"] or page.outlet,
            published=published or page.published,
            language=language,
            encoding=encoding,
        )
    return Reject(source, RejectReason.MISSING_TEXT, "no non-empty string `text` or `html` key")


def _external_id(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return None
    return str(value).strip() or None


def _string(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    return value.strip() or None


def _language(value: Any) -> str | None:
    language = _string(value)
    if language is None or len(language) > LANGUAGE_MAX_CHARS:
        return None
    return language
