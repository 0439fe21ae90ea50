"""`read_inputs`: command-line paths → a stream of RawDocument | Reject, one reader per format.

Stages: walk.py turns paths into files (or rejects) → each file goes to its reader by suffix
(or by sniffing its first bytes when named explicitly with an unknown suffix) → the reader
yields one item per article. Whole-file formats (txt, html, json, feeds) are read with the
file-size cap; JSONL and WARC stream with a per-record cap; .gz files decompress with a cap.
"""

from __future__ import annotations

import gzip
import io
import logging
import sys
import zlib
from collections.abc import Iterator, Sequence
from typing import BinaryIO, TextIO

from blocwatch.errors import RejectReason
from blocwatch.ingest.feed import read_feed
from blocwatch.ingest.files import (
    MAX_DECOMPRESSED_FLAG,
    bounded_lines,
    gunzip_capped,
    open_regular,
    os_error,
    read_capped,
    too_large,
)
from blocwatch.ingest.html import read_html
from blocwatch.ingest.jsonl import Line, read_json, read_jsonl
from blocwatch.ingest.text import read_text
from blocwatch.ingest.walk import STDIN, STDIN_SOURCE, InputFile, iter_input_files
from blocwatch.ingest.warc import read_warc
from blocwatch.model import RawDocument, Reject
from blocwatch.settings import Options

LOGGER = logging.getLogger(__name__)

# How much of an unknown file is looked at to guess its format.
SNIFF_CHARS = 4096
_FEED_MARKS = ("<rss", "<feed", "<rdf:rdf")
_HTML_MARKS = ("<html", "<body", "<!doctype html")


def read_inputs(
    paths: Sequence[str], options: Options, stdin: TextIO | None = None
) -> Iterator[RawDocument | Reject]:
    """Every article in `paths` as a RawDocument, every unusable input as a Reject; never raises
    for bad input. "-" reads JSONL from `stdin` (default sys.stdin)."""
    for found in iter_input_files(paths, options):
        if isinstance(found, Reject):
            yield found
        elif found.path == STDIN:
            stream = stdin if stdin is not None else sys.stdin
            if stream is None:  # a process started without standard input
                yield Reject(STDIN_SOURCE, RejectReason.UNREADABLE, "no standard input to read")
            else:
                yield from _read_stdin(stream, options)
        else:
            try:
                yield from _read_file(found, options)
            except Exception as error:  # a reader bug must cost one file, not the run
                LOGGER.exception("reader failed on %s", found.source)
                detail = f"reader failed: {type(error).__name__}: {error}"
                yield Reject(found.source, RejectReason.INTERNAL_ERROR, detail)


def _read_file(found: InputFile, options: Options) -> Iterator[RawDocument | Reject]:
    if found.kind == "warc":
        yield from read_warc(found.path, found.source, found.stem, options)
        return
    if found.kind == "jsonl":
        yield from _read_jsonl_file(found, options)
        return
    data = _whole_file(found, options)
    if isinstance(data, Reject):
        yield data
        return
    kind = found.kind or sniff_format(data)
    if kind == "text":
        yield from read_text(found.source, data, found.stem)
    elif kind == "html":
        yield from read_html(found.source, data, found.stem, options)
    elif kind == "json":
        yield from read_json(found.source, data, found.stem, options)
    elif kind == "jsonl":
        lines = bounded_lines(io.BytesIO(data).readline, options.max_record_bytes)
        yield from read_jsonl(found.source, lines, found.stem, options)
    elif kind == "warc":
        yield Reject(found.source, RejectReason.UNSUPPORTED, "WARC file: name it .warc or .warc.gz")
    else:
        yield from read_feed(found.source, data, found.stem, options)


def _whole_file(found: InputFile, options: Options) -> bytes | Reject:
    """A whole-file input as bytes: capped read, or capped decompression for .gz."""
    if not found.gzipped:
        return read_capped(found.path, found.source, options.max_file_bytes)
    opened = open_regular(found.path, found.source)
    if isinstance(opened, Reject):
        return opened
    handle, _size = opened
    with handle:
        return gunzip_capped(handle, found.source, options.max_decompressed_bytes)


def sniff_format(data: bytes) -> str:
    """Reader kind for a file with an unknown suffix, from its first bytes."""
    if data.startswith(b"WARC/"):
        return "warc"
    head = data[:SNIFF_CHARS].decode("utf-8", "ignore").lstrip("\ufeff \t\r\n").lower()
    if head.startswith("<"):
        if any(mark in head for mark in _FEED_MARKS):
            return "feed"
        if any(mark in head for mark in _HTML_MARKS):
            return "html"
    if head.startswith("["):
        return "json"
    if head.startswith("{"):
        first, _, rest = head.partition("\n")
        return "jsonl" if first.rstrip().endswith("}") and rest.strip().startswith("{") else "json"
    return "text"


def _read_jsonl_file(found: InputFile, options: Options) -> Iterator[RawDocument | Reject]:
    """Stream a .jsonl (or .jsonl.gz) file line by line; never loads it whole."""
    opened = open_regular(found.path, found.source)
    if isinstance(opened, Reject):
        yield opened
        return
    handle, _size = opened
    with handle:
        stream: BinaryIO | gzip.GzipFile = (
            gzip.GzipFile(fileobj=handle) if found.gzipped else handle
        )
        lines = _guarded_lines(stream, found, options)
        yield from read_jsonl(found.source, lines, found.stem, options)


def _guarded_lines(
    stream: BinaryIO | gzip.GzipFile, found: InputFile, options: Options
) -> Iterator[Line]:
    """Numbered lines; a read error, a cut gzip stream or the decompressed cap ends the file
    with one reject after the lines already read."""
    total = 0
    lines = bounded_lines(stream.readline, options.max_record_bytes)
    while True:
        try:
            numbered = next(lines, None)
        except EOFError as error:
            yield (
                0,
                Reject(found.source, RejectReason.TRUNCATED, f"gzip stream ends early: {error}"),
            )
            return
        except (gzip.BadGzipFile, zlib.error) as error:
            detail = f"not a valid gzip file: {error}"
            yield 0, Reject(found.source, RejectReason.UNREADABLE, detail)
            return
        except OSError as error:
            yield 0, os_error(found.source, error)
            return
        if numbered is None:
            return
        number, line = numbered
        total += len(line) if line is not None else options.max_record_bytes
        if found.gzipped and total > options.max_decompressed_bytes:
            limit = options.max_decompressed_bytes
            yield number, too_large(found.source, total, limit, MAX_DECOMPRESSED_FLAG, exact=False)
            return
        yield number, line


def _read_stdin(stdin: TextIO, options: Options) -> Iterator[RawDocument | Reject]:
    """JSONL on standard input: bytes when the stream has them (decoded per line), else text."""
    buffer = getattr(stdin, "buffer", None)
    lines: Iterator[Line]
    if buffer is not None:
        lines = bounded_lines(buffer.readline, options.max_record_bytes)
    else:
        lines = bounded_lines(stdin.readline, options.max_record_bytes)
    yield from read_jsonl(STDIN_SOURCE, lines, "stdin", options)
