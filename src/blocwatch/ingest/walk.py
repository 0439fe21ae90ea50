"""Command-line paths → the input files to read, in a deterministic order.

A path may be "-" (JSONL on stdin), a file, a directory (walked depth-first in sorted name
order, hidden entries skipped, symlinked directories never followed, depth capped) or a glob
pattern (expanded sorted). Inside directories only files with a known suffix are read; a file
named on the command line is read whatever its suffix (its format is then sniffed).
"""

from __future__ import annotations

import glob
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from blocwatch.errors import RejectReason
from blocwatch.ingest.files import os_error
from blocwatch.model import Reject
from blocwatch.settings import Options

STDIN = "-"
STDIN_SOURCE = "<stdin>"

# Suffix → reader. Gzipped variants (".json.gz", ...) use the same reader; ".warc.gz" is
# per-record gzip that warcio reads itself.
SUFFIX_FORMATS: dict[str, str] = {
    ".txt": "text",
    ".text": "text",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".warc": "warc",
    ".rss": "feed",
    ".atom": "feed",
    ".xml": "feed",
}
GZIP_SUFFIX = ".gz"


@dataclass(frozen=True)
class InputFile:
    """One file to read. `kind` None: named on the command line with an unknown suffix (sniff)."""

    path: str
    source: str
    stem: str
    kind: str | None
    gzipped: bool = False


def format_of(name: str) -> tuple[str, bool, str] | None:
    """(reader kind, gzipped, stem) for a file name with a known suffix, else None."""
    lower = name.lower()
    gzipped = lower.endswith(GZIP_SUFFIX)
    base = lower[: -len(GZIP_SUFFIX)] if gzipped else lower
    suffix = os.path.splitext(base)[1]
    kind = SUFFIX_FORMATS.get(suffix)
    if kind is None:
        return None
    stem = name[: len(base) - len(suffix)]
    if kind == "warc" and gzipped:
        return kind, False, stem
    return kind, gzipped, stem


def iter_input_files(paths: Sequence[str], options: Options) -> Iterator[InputFile | Reject]:
    """Every input file named by `paths`, or a reject for a path that cannot be used."""
    for path in paths:
        if path == STDIN:
            yield InputFile(STDIN, STDIN_SOURCE, "stdin", "jsonl")
        elif not os.path.lexists(path) and glob.has_magic(path):
            matches = sorted(glob.glob(path, recursive=True))
            if not matches:
                yield Reject(path, RejectReason.UNREADABLE, "no file matches this pattern")
            for match in matches:
                yield from _named(match, options)
        else:
            yield from _named(path, options)


def _named(path: str, options: Options) -> Iterator[InputFile | Reject]:
    """A path given by the user: a directory is walked, anything else is a file to read."""
    if os.path.isdir(path):  # follows a symlink the user named; walks never follow them
        yield from _walk(path, options)
        return
    if not os.path.lexists(path):
        yield Reject(path, RejectReason.UNREADABLE, "no such file or directory")
        return
    known = format_of(os.path.basename(path))
    if known is None:
        stem = os.path.splitext(os.path.basename(path))[0]
        yield InputFile(path, path, stem, None)
        return
    kind, gzipped, stem = known
    yield InputFile(path, path, stem, kind, gzipped)


def _walk(root: str, options: Options) -> Iterator[InputFile | Reject]:
    """Depth-first, sorted by name, iterative (no recursion), symlinked directories not followed."""
    # Stack entries: (path, depth, is_directory); pushed in reverse so pops come out sorted.
    stack: list[tuple[str, int, bool]] = [(root, 0, True)]
    while stack:
        path, depth, is_directory = stack.pop()
        if not is_directory:
            yield from _walked_file(path)
            continue
        try:
            with os.scandir(path) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError as error:
            yield os_error(path, error)
            continue
        children: list[tuple[str, int, bool]] = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            if entry.is_symlink():
                if os.path.isdir(entry.path):
                    detail = "symbolic link to a directory: not followed"
                    yield Reject(entry.path, RejectReason.UNREADABLE, detail)
                    continue
                children.append((entry.path, depth + 1, False))
            elif entry.is_dir(follow_symlinks=False):
                if depth + 1 > options.max_walk_depth:
                    detail = f"deeper than the walk limit of {options.max_walk_depth} levels"
                    yield Reject(entry.path, RejectReason.TOO_DEEP, detail + ": not walked")
                    continue
                children.append((entry.path, depth + 1, True))
            else:
                children.append((entry.path, depth + 1, False))
        stack.extend(reversed(children))


def _walked_file(path: str) -> Iterator[InputFile | Reject]:
    """A file met while walking: read only with a known suffix (a broken link then rejects)."""
    known = format_of(os.path.basename(path))
    if known is None:
        return
    kind, gzipped, stem = known
    yield InputFile(path, path, stem, kind, gzipped)
