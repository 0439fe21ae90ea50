"""Safe reading of untrusted files: regular-file checks, size caps, gzip caps, bytes → text.

Every helper returns either its result or a `Reject`; none raises for bad input. Order of checks
when reading a file: stat (missing, loop, not a regular file) → open without blocking (a FIFO
swapped in after the stat cannot hang us) → fstat again → size from stat → capped read (stat can
lie: /proc files report size 0) → decode.
"""

from __future__ import annotations

import codecs
import gzip
import os
import stat
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import AnyStr, BinaryIO

import charset_normalizer

from blocwatch.errors import RejectReason
from blocwatch.model import Reject

# Git's binary heuristic: a NUL byte in the first 8 KB means "not text".
BINARY_SNIFF_BYTES = 8192
# Control bytes (other than tab, newlines, form feed, escape) above this share of the sniffed
# prefix also mean binary: real text in a single-byte encoding has almost none.
BINARY_CONTROL_SHARE = 0.1
# Chunk size for draining over-long lines and streams without holding them.
READ_CHUNK = 1024 * 1024

# The CLI options that raise each limit (the CLI sets the decompressed cap from --max-file-mb).
MAX_FILE_FLAG = "--max-file-mb"
MAX_RECORD_FLAG = "--max-record-mb"
MAX_DECOMPRESSED_FLAG = "--max-file-mb"

_TEXT_CONTROLS = frozenset(b"\t\n\r\f\x1b")
_CONTROL_BYTES = bytes(b for b in range(32) if b not in _TEXT_CONTROLS) + b"\x7f"
# Longest BOM first: the UTF-32 LE BOM starts with the UTF-16 LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Browsers (WHATWG Encoding) read these labels as windows-1252; pages that declare them mean it.
_DECLARED_AS_CP1252 = frozenset({"latin_1", "iso8859_1", "ascii"})
# On short texts charset-normalizer cannot tell single-byte Latin code pages apart (it says cp1250
# or DOS cp857 for French and German, its "coherence" score is noise at that length); windows-1252
# is by far the most common of them in web news, so it wins whenever it is as clean as the best.
_PREFERRED_ON_TIE = "cp1252"


@dataclass(frozen=True)
class Decoded:
    """Text decoded from bytes and the encoding that decoded it."""

    text: str
    encoding: str


def too_large(source: str, size: int, limit: int, flag: str, exact: bool = True) -> Reject:
    """A TOO_LARGE reject whose detail says how to raise the limit."""
    shown = f"{size:,}" if exact else f"more than {limit:,}"
    return Reject(
        source, RejectReason.TOO_LARGE, f"{shown} bytes > limit {limit:,} (raise with {flag})"
    )


def os_error(source: str, error: OSError) -> Reject:
    """An UNREADABLE reject carrying the operating system's own message."""
    return Reject(source, RejectReason.UNREADABLE, str(error))


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def check_regular(path: str, source: str) -> os.stat_result | Reject:
    """Stat `path` (following symlinks) and accept only regular files, without opening them."""
    try:
        info = os.stat(path)
    except OSError as error:
        return os_error(source, error)
    if not stat.S_ISREG(info.st_mode):
        return Reject(source, RejectReason.UNREADABLE, f"{_kind(info.st_mode)}: not read")
    return info


def open_regular(path: str, source: str) -> tuple[BinaryIO, int] | Reject:
    """Open a regular file for binary reading; returns the handle and its stat size.

    O_NONBLOCK makes the open itself safe even if a FIFO replaced the file after `check_regular`;
    the fstat afterwards is the check that counts.
    """
    checked = check_regular(path, source)
    if isinstance(checked, Reject):
        return checked
    flags = os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC
    try:
        fd = os.open(path, flags)
    except OSError as error:
        return os_error(source, error)
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        return Reject(source, RejectReason.UNREADABLE, f"{_kind(info.st_mode)}: not read")
    os.set_blocking(fd, True)
    return os.fdopen(fd, "rb"), info.st_size


def read_capped(path: str, source: str, limit: int, flag: str = MAX_FILE_FLAG) -> bytes | Reject:
    """Whole content of a regular file of at most `limit` bytes (checked by stat and by reading)."""
    opened = open_regular(path, source)
    if isinstance(opened, Reject):
        return opened
    handle, size = opened
    with handle:
        if size > limit:
            return too_large(source, size, limit, flag)
        try:
            data = handle.read(limit + 1)
        except OSError as error:
            return os_error(source, error)
    if len(data) > limit:
        return too_large(source, len(data), limit, flag, exact=False)
    return data


def gunzip_capped(handle: BinaryIO, source: str, limit: int) -> bytes | Reject:
    """Decompress a whole gzip stream, refusing more than `limit` bytes out (gzip bombs)."""
    try:
        with gzip.GzipFile(fileobj=handle) as unzipped:
            data = unzipped.read(limit + 1)
    except EOFError as error:
        return Reject(source, RejectReason.TRUNCATED, f"gzip stream ends early: {error}")
    except (OSError, zlib.error) as error:
        return Reject(source, RejectReason.UNREADABLE, f"not a valid gzip file: {error}")
    if len(data) > limit:
        return too_large(source, len(data), limit, MAX_DECOMPRESSED_FLAG, exact=False)
    return data


def bounded_lines(
    read_line: Callable[[int], AnyStr], limit: int
) -> Iterator[tuple[int, AnyStr | None]]:
    """Lines of a stream as (1-based number, line), or (number, None) for a line over `limit`
    (bytes, or characters for a text stream); an over-long line is skipped in chunks, so no line
    is ever held whole."""
    number = 0
    while True:
        line = read_line(limit + 1)
        if not line:
            return
        number += 1
        if len(line) <= limit or (len(line) == limit + 1 and _ends_line(line)):
            yield number, line
            continue
        while not _ends_line(line):
            line = read_line(READ_CHUNK)
            if not line:
                break
        yield number, None


def _ends_line(line: str | bytes) -> bool:
    return line.endswith("\n") if isinstance(line, str) else line.endswith(b"\n")


def looks_binary(data: bytes) -> bool:
    """NUL bytes, or many control bytes, near the start: not text (BOM-less UTF-16 included)."""
    head = data[:BINARY_SNIFF_BYTES]
    if b"\x00" in head:
        return True
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    return bool(head) and controls / len(head) > BINARY_CONTROL_SHARE


def _codec_name(label: str) -> str | None:
    try:
        return codecs.lookup(label.strip()).name.replace("-", "_")
    except LookupError:
        return None


def _declared_codec(label: str | None) -> str | None:
    if not label:
        return None
    name = _codec_name(label)
    if name in _DECLARED_AS_CP1252:
        return _PREFERRED_ON_TIE
    return name


def _detect(data: bytes) -> str | None:
    """charset-normalizer's guess, minus BOM-less UTF-16/32 (only ever right with NULs, which
    `looks_binary` has already refused) and with windows-1252 winning any tie on chaos."""
    results = [
        match
        for match in charset_normalizer.from_bytes(data)
        if not match.encoding.startswith(("utf_16", "utf_32"))
    ]
    if not results:
        return None
    best = results[0]
    for match in results:
        if match.encoding == _PREFERRED_ON_TIE and match.chaos <= best.chaos:
            return _PREFERRED_ON_TIE
    return str(best.encoding)


def decode_bytes(data: bytes, source: str, declared: str | None = None) -> Decoded | Reject:
    """Bytes → text: BOM, else strict UTF-8, else a declared charset (HTTP header, <meta>) that
    decodes cleanly, else charset-normalizer. Empty, binary and undecodable input are rejects."""
    bom = next((name for mark, name in _BOMS if data.startswith(mark)), None)
    if bom is None:
        if not data.strip():
            return Reject(source, RejectReason.EMPTY, "no text (empty or only whitespace)")
        if looks_binary(data):
            return Reject(source, RejectReason.BINARY, "binary content (NUL or control bytes)")
    decoded = _decode_first(data, (bom,) if bom else ("utf_8", _declared_codec(declared)))
    if decoded is None and bom is None:
        decoded = _decode_first(data, (_detect(data),))
    if decoded is None:
        tried = bom or "utf-8, declared charset and detection"
        return Reject(source, RejectReason.UNDECODABLE, f"no text encoding fits ({tried})")
    if not decoded.text.strip():
        return Reject(source, RejectReason.EMPTY, "no text (empty or only whitespace)")
    return decoded


def _decode_first(data: bytes, candidates: tuple[str | None, ...]) -> Decoded | None:
    """The first candidate codec that decodes `data` strictly."""
    for name in candidates:
        if name is None:
            continue
        try:
            return Decoded(data.decode(name), name.replace("_", "-"))
        except (UnicodeDecodeError, LookupError):
            continue
    return None
