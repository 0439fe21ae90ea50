"""A corpus of bad inputs: every file gives exactly one item, nothing crashes, hangs or is lost."""

from __future__ import annotations

import gzip
import json
import os
import signal
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

import pytest

from blocwatch.errors import RejectReason
from blocwatch.ingest.files import read_capped
from blocwatch.model import RawDocument, Reject
from blocwatch.settings import MiB, Options

from .helpers import ARTICLE_HTML, PARAGRAPHS, read_all
from .test_feed import BILLION_LAUGHS

# Generous: the whole corpus reads in about a second; this only turns a hang into a failure.
HANG_GUARD_SECONDS = 60


@pytest.fixture
def no_hang() -> Iterator[None]:
    def _fail(_signum: int, _frame: FrameType | None) -> None:
        raise TimeoutError("reading the hostile corpus hung")

    previous = signal.signal(signal.SIGALRM, _fail)
    signal.alarm(HANG_GUARD_SECONDS)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def _corpus(root: Path) -> dict[str, RejectReason | None]:
    """Write one file per hostile case; map file name → expected reason (None: a document)."""
    deep = 100_000
    article = json.dumps({"text": " ".join(PARAGRAPHS)})
    cut_gz = gzip.compress((article + "\n").encode() * 400)
    files: dict[str, tuple[bytes, RejectReason | None]] = {
        "empty.txt": (b"", RejectReason.EMPTY),
        "blank.html": (b"  \n\n ", RejectReason.EMPTY),
        "image.txt": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 500, RejectReason.BINARY),
        "latin1.txt": ("Genève talks end\n\nEnvoys left Genève.\n".encode("latin-1"), None),
        "utf16.txt": ("Genève talks end\n\nEnvoys left.\n".encode("utf-16"), None),
        "deep.json": (("[" * deep + "]" * deep).encode(), RejectReason.TOO_DEEP),
        "deep.html": (
            ("<html><body>" + "<div>" * deep + "x" + "</div>" * deep + "</body></html>").encode(),
            RejectReason.TOO_DEEP,
        ),
        "deep.atom": (
            ("<feed>" + "<a>" * deep + "</a>" * deep + "</feed>").encode(),
            RejectReason.TOO_DEEP,
        ),
        "laughs.rss": (BILLION_LAUGHS.encode(), RejectReason.MALFORMED_XML),
        "broken.json": (b'{"text": "unterminated', RejectReason.MALFORMED_JSON),
        "huge-number.json": (
            b'{"text": "x", "n": ' + b"9" * 50_000 + b"}",
            RejectReason.MALFORMED_JSON,
        ),
        "cut.json.gz": (cut_gz[: len(cut_gz) // 2], RejectReason.TRUNCATED),
        "notgzip.json.gz": (b"plain bytes, not gzip", RejectReason.UNREADABLE),
        "page.html": (ARTICLE_HTML.encode(), None),
        "not-an-object.json": (b"42", RejectReason.MISSING_TEXT),
        "no-text.json": (json.dumps({"title": "only a title"}).encode(), RejectReason.MISSING_TEXT),
        "controls.txt": (bytes(range(1, 32)) * 100, RejectReason.BINARY),
    }
    for name, (payload, _) in files.items():
        (root / name).write_bytes(payload)
    huge = root / "huge.txt"
    with huge.open("wb") as handle:
        handle.write(b"Some text at the start.\n")
        handle.truncate(50 * MiB)  # sparse: 50 MiB on paper, instant to create
    os.mkfifo(root / "fifo.jsonl")
    os.symlink(root / "loop.txt", root / "loop.txt")
    expected = {name: reason for name, (_, reason) in files.items()}
    expected |= {
        "huge.txt": RejectReason.TOO_LARGE,
        "fifo.jsonl": RejectReason.UNREADABLE,
        "loop.txt": RejectReason.UNREADABLE,
    }
    return expected


@pytest.mark.usefixtures("no_hang")
def test_every_hostile_file_gives_exactly_one_item(tmp_path: Path) -> None:
    expected = _corpus(tmp_path)
    out = read_all([tmp_path])
    assert sorted(item.source for item in out) == sorted(str(tmp_path / n) for n in expected)
    for item in out:
        want = expected[Path(item.source).name]
        if want is None:
            assert isinstance(item, RawDocument), item
        else:
            assert isinstance(item, Reject) and item.reason is want, item


def test_too_large_detail_says_how_to_raise(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    with path.open("wb") as handle:
        handle.truncate(50 * MiB)
    (item,) = read_all([path])
    assert isinstance(item, Reject)
    assert item.detail == "52,428,800 bytes > limit 33,554,432 (raise with --max-file-mb)"
    assert isinstance(read_all([path], Options(max_file_bytes=64 * MiB))[0], Reject)  # NULs: binary


def test_capped_read_when_stat_lies() -> None:
    proc_file = "/proc/self/status"  # stat size 0, real content ~1 KB
    if not os.path.exists(proc_file):
        pytest.skip("no /proc on this system")
    assert os.stat(proc_file).st_size < 100
    item = read_capped(proc_file, proc_file, limit=100)
    assert isinstance(item, Reject) and item.reason is RejectReason.TOO_LARGE
    assert "more than 100" in item.detail
    assert isinstance(read_capped(proc_file, proc_file, limit=MiB), bytes)


def test_latin1_survives(tmp_path: Path) -> None:
    path = tmp_path / "latin.txt"
    path.write_bytes("Envoys met in Genève\n\nThe talks in Genève ended.\n".encode("latin-1"))
    (doc,) = read_all([path])
    assert isinstance(doc, RawDocument) and doc.text.count("Genève") == 2
