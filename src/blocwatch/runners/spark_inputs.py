"""Which files a Spark run reads, listed with Hadoop's FileSystem API in the driver's JVM.

Hadoop's API (through the py4j gateway the SparkContext already has) lists local paths and any
Hadoop URI (hdfs://, s3a://, ...) without a Spark job or the SQL engine, whose start-up alone
costs seconds. The listing fixes the input order (`blocwatch run`'s walk order), rejects what
cannot be read, and gives `read_pattern`s for `SparkContext.binaryFiles`.
"""

from __future__ import annotations

import glob
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from py4j.protocol import Py4JError, Py4JJavaError
from pyspark import SparkContext

from blocwatch.errors import RejectReason
from blocwatch.ingest.files import too_large
from blocwatch.ingest.walk import STDIN, format_of
from blocwatch.model import Reject
from blocwatch.runners.spark_tasks import source_of
from blocwatch.settings import MiB

# A file is one byte array in the JVM (at most 2 GiB) and again in the Python worker: files above
# 1 GiB are rejected with advice to split them (a crawl is usually many ~1 GiB WARC files anyway).
MAX_SPARK_FILE_BYTES = 1024 * MiB
SPARK_FILE_FLAG = "splitting the file (Spark reads one file whole in one task)"
# Hadoop's input formats skip names starting with these, as its listings of folders do.
HIDDEN_PREFIXES = (".", "_")
HIDDEN_DETAIL = "Hadoop input formats skip file names starting with '.' or '_': rename the file"
# Characters Hadoop reads as glob syntax or as a separator of input paths (a comma): in a read
# pattern each becomes `?`, which matches it; other files the pattern also matches are dropped by
# URI when read.
_PATTERN_CHARS = re.compile(r"[\\*?\[\]{},]")


@dataclass(frozen=True)
class ListedFile:
    """One input file Spark found, with its place in input order."""

    uri: str
    rank: int


class ListingError(Exception):
    """A path Hadoop cannot list: missing, unknown scheme, no permission..."""


def list_inputs(
    context: SparkContext, paths: Sequence[str]
) -> tuple[list[ListedFile], list[Reject]]:
    """Input files in the order `blocwatch run` reads them, and a reject per unusable path.

    Folders are listed recursively, skipping names below them that start with `.` or `_`.
    Inside a folder or a glob only known suffixes are read; a file named exactly is read
    whatever its suffix, its format sniffed, as the local runner does."""
    hadoop = _Hadoop(context)
    files: list[ListedFile] = []
    rejects: list[Reject] = []
    seen: set[str] = set()
    for path in paths:
        if path == STDIN:
            detail = "standard input cannot be read by Spark: save it to a .jsonl file"
            rejects.append(Reject(path, RejectReason.UNSUPPORTED, detail))
            continue
        try:
            listed = hadoop.files(path)
        except ListingError as error:
            rejects.append(Reject(path, RejectReason.UNREADABLE, str(error)))
            continue
        named = len(listed) == 1 and _is_named(path, listed[0][0])
        for uri, length in sorted(listed, key=lambda pair: _walk_order(pair[0])):
            name = uri.rsplit("/", 1)[-1]
            if uri in seen or not (named or format_of(name)):
                continue
            seen.add(uri)
            if name.startswith(HIDDEN_PREFIXES):
                rejects.append(Reject(source_of(uri), RejectReason.UNSUPPORTED, HIDDEN_DETAIL))
            elif length > MAX_SPARK_FILE_BYTES:
                limit = MAX_SPARK_FILE_BYTES
                rejects.append(too_large(source_of(uri), length, limit, SPARK_FILE_FLAG))
            else:
                files.append(ListedFile(uri, len(files)))
    return files, rejects


def read_pattern(uri: str) -> str:
    """A Hadoop input path that matches the file at `uri` (and may match a few others)."""
    return _PATTERN_CHARS.sub("?", uri)


class _Hadoop:
    """Hadoop's FileSystem API in the driver's JVM."""

    def __init__(self, context: SparkContext) -> None:
        gateway: Any = context
        self._jvm = gateway._jvm
        self._conf = gateway._jsc.hadoopConfiguration()

    def files(self, path: str) -> list[tuple[str, int]]:
        """(URI, length) of every file `path` names, matches (a glob) or holds (a folder)."""
        try:
            return self._files(path)
        except Py4JJavaError as error:
            message = error.java_exception.getMessage() or error.java_exception.toString()
            raise ListingError(str(message).splitlines()[0]) from None
        except Py4JError as error:  # a refused argument, before Java ran
            raise ListingError(str(error).splitlines()[0]) from None

    def _files(self, path: str) -> list[tuple[str, int]]:
        hadoop_path = self._jvm.org.apache.hadoop.fs.Path(path)
        filesystem = hadoop_path.getFileSystem(self._conf)
        matches = filesystem.globStatus(hadoop_path)
        if not matches:
            raise ListingError(f"Path does not exist: {path}")
        found: list[tuple[str, int]] = []
        for status in matches:
            if not status.isDirectory():
                found.append((str(status.getPath().toString()), int(status.getLen())))
                continue
            root = str(status.getPath().toString()).rstrip("/")
            listing = filesystem.listFiles(status.getPath(), True)
            while listing.hasNext():
                entry = listing.next()
                uri = str(entry.getPath().toString())
                below = uri[len(root) :].strip("/").split("/")
                if not any(part.startswith(HIDDEN_PREFIXES) for part in below):
                    found.append((uri, int(entry.getLen())))
        return found


def _is_named(path: str, uri: str) -> bool:
    """True when `path` names the file itself (not a directory or a pattern around it)."""
    if glob.has_magic(path):
        return False
    return uri.rsplit("/", 1)[-1] == path.rstrip("/").rsplit("/", 1)[-1]


def _walk_order(uri: str) -> tuple[str, ...]:
    """The local walk's order: depth-first, names sorted at each level."""
    return tuple(uri.split("/"))
