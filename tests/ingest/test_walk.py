"""Paths → files: walking, globs, sniffing, stdin, and paths that cannot be read."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest

from blocwatch.errors import RejectReason
from blocwatch.model import RawDocument, Reject
from blocwatch.settings import Options

from .helpers import ARTICLE_HTML, ARTICLE_TEXT, docs, only, read_all, rejects

RSS = "<rss><channel><title>T</title><item><description>Body</description></item></channel></rss>"


def _tree(root: Path) -> None:
    (root / "b").mkdir(parents=True)
    (root / "a.txt").write_text("Alpha headline\n\nAlpha body.\n")
    (root / "b" / "c.txt").write_text("Gamma body text.\n")
    (root / "b" / "notes.md").write_text("not an article format")
    (root / "d.json").write_text(json.dumps({"text": "delta"}))
    (root / ".git").mkdir()
    (root / ".git" / "e.txt").write_text("hidden dir")
    (root / ".hidden.txt").write_text("hidden file")


def test_directory_walk_is_sorted_and_skips_hidden_and_unknown(tmp_path: Path) -> None:
    _tree(tmp_path)
    out = read_all([tmp_path])
    assert [item.source for item in out] == [
        str(tmp_path / "a.txt"),
        str(tmp_path / "b" / "c.txt"),
        str(tmp_path / "d.json"),
    ]
    assert all(isinstance(item, RawDocument) for item in out)
    assert read_all([tmp_path]) == out  # deterministic


def test_symlink_loop_directory_terminates(tmp_path: Path) -> None:
    _tree(tmp_path)
    os.symlink(tmp_path, tmp_path / "b" / "loop")
    out = read_all([tmp_path])
    assert len(docs(out)) == 3
    (link,) = rejects(out)
    assert link.source == str(tmp_path / "b" / "loop")
    assert link.reason is RejectReason.UNREADABLE


def test_self_referencing_symlink_and_missing_path(tmp_path: Path) -> None:
    loop = tmp_path / "self.txt"
    os.symlink(loop, loop)
    out = read_all([loop, tmp_path / "missing.txt"])
    assert [item.reason for item in rejects(out)] == [RejectReason.UNREADABLE] * 2
    assert "symbolic links" in rejects(out)[0].detail
    assert out[1].source == str(tmp_path / "missing.txt")
    # Inside a walk, the looping link has a known suffix and is reported too.
    assert [item.source for item in read_all([tmp_path])] == [str(loop)]


def test_fifo_is_not_opened(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    (tmp_path / "real.txt").write_text("Real body text.\n")
    named = only(read_all([fifo]))
    assert isinstance(named, Reject) and "FIFO" in named.detail
    walked = read_all([tmp_path])
    assert [type(item).__name__ for item in walked] == ["Reject", "RawDocument"]


def test_walk_depth_limit(tmp_path: Path) -> None:
    deep = tmp_path / "one" / "two" / "three"
    deep.mkdir(parents=True)
    (tmp_path / "one" / "ok.txt").write_text("Shallow body.\n")
    (deep / "far.txt").write_text("Deep body.\n")
    out = read_all([tmp_path], Options(max_walk_depth=2))
    assert [item.source for item in docs(out)] == [str(tmp_path / "one" / "ok.txt")]
    (limit,) = rejects(out)
    assert limit.reason is RejectReason.TOO_DEEP and limit.source == str(deep)


def test_globs(tmp_path: Path) -> None:
    _tree(tmp_path)
    out = read_all([str(tmp_path / "**" / "*.txt")])
    assert [item.source for item in out] == [str(tmp_path / "a.txt"), str(tmp_path / "b" / "c.txt")]
    none = only(read_all([str(tmp_path / "*.nothing")]))
    assert isinstance(none, Reject) and none.reason is RejectReason.UNREADABLE


def test_unknown_suffix_named_explicitly_is_sniffed(tmp_path: Path) -> None:
    samples = {
        "page": (ARTICLE_HTML, "html"),
        "feed": (RSS, "rss"),
        "object": (json.dumps({"text": "json body"}), "json"),
        "lines": (json.dumps({"text": "one"}) + "\n" + json.dumps({"text": "two"}) + "\n", "jsonl"),
        "plain": (ARTICLE_TEXT, "txt"),
    }
    for name, (content, _) in samples.items():
        (tmp_path / name).write_text(content)
    formats = [item.input_format for item in docs(read_all([tmp_path / n for n in samples]))]
    assert formats == ["html", "rss", "json", "jsonl", "jsonl", "txt"]
    assert read_all([tmp_path]) == []  # inside a walk, unknown suffixes are not read


def test_stdin_jsonl_text_and_bytes() -> None:
    body = (
        json.dumps({"id": "s1", "text": "from stdin"})
        + "\nnot json\n\n"
        + json.dumps({"text": "x"})
    )
    out = read_all(["-"], stdin=io.StringIO(body))
    assert [item.source for item in out] == ["<stdin>:1", "<stdin>:2", "<stdin>:4"]
    assert isinstance(out[1], Reject) and out[1].reason is RejectReason.MALFORMED_JSON
    last = out[2]
    assert isinstance(last, RawDocument) and last.external_id == "stdin:4"
    wrapped = io.TextIOWrapper(io.BytesIO(("\ufeff" + body).encode("utf-8")), encoding="utf-8")
    assert read_all(["-"], stdin=wrapped) == [
        item if isinstance(item, Reject) else _with_encoding(item) for item in out
    ]


def _with_encoding(doc: RawDocument) -> RawDocument:
    from dataclasses import replace

    return replace(doc, encoding="utf-8-sig" if doc.source.endswith(":1") else "utf-8")


def test_stdin_absent(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", None)
    item = only(read_all(["-"]))
    assert isinstance(item, Reject) and item.source == "<stdin>"


def test_reader_bug_costs_one_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a.txt").write_text("Alpha body.\n")
    (tmp_path / "b.html").write_text("<html><body><p>x</p></body></html>")
    (tmp_path / "c.txt").write_text("Gamma body.\n")

    def broken(*_args: object) -> None:
        raise RuntimeError("simulated reader bug")

    monkeypatch.setattr("blocwatch.ingest.read.read_html", broken)
    out = read_all([tmp_path])
    assert [type(item).__name__ for item in out] == ["RawDocument", "Reject", "RawDocument"]
    assert isinstance(out[1], Reject) and out[1].reason is RejectReason.INTERNAL_ERROR
    assert "simulated reader bug" in out[1].detail
