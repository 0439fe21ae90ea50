"""WARC archives (.warc, .warc.gz) → one document per HTML response record, streamed.

Items are numbered by their position among all records of the file (`path#N`, from 0), so a
record keeps its source whatever else the file holds. warcinfo, request, metadata, revisit and
resource records are not items and are skipped. Each payload is read with a cap; a record
that ends before its declared length, or a stream that stops parsing, ends the file with one
TRUNCATED reject after the records already read.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from blocwatch.errors import RejectReason
from blocwatch.ingest.files import (
    MAX_RECORD_FLAG,
    READ_CHUNK,
    decode_bytes,
    open_regular,
    too_large,
)
from blocwatch.ingest.html import declared_charset, html_document
from blocwatch.model import RawDocument, Reject
from blocwatch.settings import Options

_HTML_TYPES = ("text/html", "application/xhtml+xml")
# A payload without Content-Type is still taken as HTML when its start says so.
_SNIFF_BYTES = 1024
# Errors warcio and its decompressors raise on a cut or corrupt stream.
_STREAM_ERRORS = (ArchiveLoadFailed, EOFError, OSError, ValueError, zlib.error)


def read_warc(
    path: str, source: str, stem: str, options: Options
) -> Iterator[RawDocument | Reject]:
    """Stream a WARC file record by record (never loads it whole)."""
    opened = open_regular(path, source)
    if isinstance(opened, Reject):
        yield opened
        return
    handle, _size = opened
    with handle:
        yield from _records(handle, source, stem, options)


@dataclass(frozen=True)
class _Response:
    """What is kept of one response record once its block has been read."""

    url: str | None
    status: str | None
    content_type: str
    payload: bytes | None  # None: over the record cap
    fetched: str | None  # WARC-Date: when the page was crawled


def _records(
    handle: BinaryIO, source: str, stem: str, options: Options
) -> Iterator[RawDocument | Reject]:
    records = iter(ArchiveIterator(handle))
    index = -1
    items = 0
    while True:
        try:
            record = next(records, None)
            if record is None:
                break
            index += 1
            if record.format != "warc":  # warcio also parses ARC, and reads text as ARC lines
                detail = f"record {index} is not a WARC record (format {record.format})"
                yield Reject(source, RejectReason.UNSUPPORTED, detail)
                return
            response = _read_record(record, options.max_record_bytes)
        except _STREAM_ERRORS as error:
            if index < 0:
                yield Reject(source, RejectReason.UNSUPPORTED, f"not a readable WARC file: {error}")
            else:
                detail = f"WARC stream breaks at record {index}: {error}"
                yield Reject(source, RejectReason.TRUNCATED, detail)
            return
        if _cut_short(record):
            detail = f"WARC record {index} ends before its declared length"
            yield Reject(source, RejectReason.TRUNCATED, detail)
            return
        if response is not None:
            items += 1
            yield _item(response, f"{source}#{index}", f"{stem}#{index}", options)
    if items == 0:
        yield Reject(source, RejectReason.EMPTY, "no response records in the WARC file")


def _read_record(record: Any, limit: int) -> _Response | None:
    """Read one record to its end; a response's payload is kept (capped), others are skipped."""
    if record.rec_type != "response":
        _drain(record)
        return None
    http = record.http_headers
    status = http.get_statuscode() if http is not None else None
    content_type = (http.get_header("Content-Type") if http is not None else None) or ""
    payload = _read_capped(record.content_stream(), limit)
    _drain(record)
    url = record.rec_headers.get_header("WARC-Target-URI")
    fetched = record.rec_headers.get_header("WARC-Date")
    return _Response(url, status, content_type, payload, fetched)


def _item(
    response: _Response, source: str, default_id: str, options: Options
) -> RawDocument | Reject:
    if response.status is not None and not str(response.status).startswith("2"):
        return Reject(
            source, RejectReason.NO_MAIN_TEXT, f"HTTP status {response.status}, not a page"
        )
    if response.payload is None:
        limit = options.max_record_bytes
        return too_large(source, limit + 1, limit, MAX_RECORD_FLAG, exact=False)
    mime, _, params = response.content_type.partition(";")
    mime = mime.strip().lower()
    if mime not in _HTML_TYPES and (mime or not _sniff_html(response.payload)):
        shown = response.content_type or "missing"
        return Reject(source, RejectReason.NOT_HTML, f"Content-Type {shown}")
    declared = _param(params, "charset") or declared_charset(response.payload)
    decoded = decode_bytes(response.payload, source, declared=declared)
    if isinstance(decoded, Reject):
        return decoded
    return html_document(
        decoded.text,
        source,
        options,
        input_format="warc",
        external_id=default_id,
        url=response.url,
        encoding=decoded.encoding,
        fetched=response.fetched,
    )


def _read_capped(stream: Any, limit: int) -> bytes | None:
    """Up to `limit` bytes of a payload, or None if there are more (the rest is not read here)."""
    chunks: list[bytes] = []
    size = 0
    while size <= limit:
        chunk = stream.read(min(READ_CHUNK, limit + 1 - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return None if size > limit else b"".join(chunks)


def _drain(record: Any) -> None:
    """Read the rest of a record's raw block, in chunks, so its true length is known."""
    while record.raw_stream.read(READ_CHUNK):
        pass


def _cut_short(record: Any) -> bool:
    """True when the file ended before the record's declared Content-Length."""
    return bool(getattr(record.raw_stream, "limit", 0) > 0)


def _sniff_html(payload: bytes) -> bool:
    head = payload[:_SNIFF_BYTES].lower()
    return b"<html" in head or b"<!doctype html" in head


def _param(params: str, name: str) -> str | None:
    for part in params.split(";"):
        key, _, value = part.partition("=")
        if key.strip().lower() == name:
            return value.strip().strip("\"'") or None
    return None
