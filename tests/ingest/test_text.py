"""Plain-text reader: decoding, titles, the seed corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

from blocwatch.errors import RejectReason
from blocwatch.ingest.text import guess_title
from blocwatch.model import RawDocument, Reject

from .helpers import ARTICLE_TEXT, ARTICLE_TITLE, SHARED, docs, only, read_all

SEEDS = SHARED / "corpus" / "seeds"


def test_text_file_keeps_text_and_finds_title(tmp_path: Path) -> None:
    path = tmp_path / "river-letter.txt"
    path.write_text(ARTICLE_TEXT, encoding="utf-8")
    doc = only(read_all([path]))
    assert isinstance(doc, RawDocument)
    assert doc.text == ARTICLE_TEXT  # title stays in the text, nothing trimmed
    assert doc.title == ARTICLE_TITLE
    assert doc.source == str(path)
    assert doc.external_id == "river-letter"
    assert doc.input_format == "txt"
    assert doc.encoding == "utf-8"


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("Envoys back U.S. plan\n\nBody text here.", "Envoys back U.S. plan"),
        ("Envoys back the U.S.\n\nBody.", "Envoys back the U.S."),
        ("Why did twelve states sign?\n\nBody.", "Why did twelve states sign?"),
        ("\n\n  Leading blank lines are fine  \n\nBody.", "Leading blank lines are fine"),
        ("A first paragraph that is an ordinary sentence.\n\nBody.", None),
        ('"We ask only for facts," an envoy said\n\nBody.', None),
        ("“Quoted opening” headline\n\nBody.", None),
        ("Only one line, no body", None),
        (" ".join(["word"] * 31) + "\n\nBody.", None),
        ("x" * 201 + "\n\nBody.", None),
        # A headline run into its standfirst: the headline part only.
        (
            "Twelve states sign river letter at council The letter asks for a survey.\n\nBody.",
            "Twelve states sign river letter at council",
        ),
        # A proper name after a preposition is not such a boundary.
        ("Envoys from twelve states gathered at The Hague to sign it.\n\nBody.", None),
    ],
)
def test_title_rule(text: str, title: str | None) -> None:
    assert guess_title(text) == title


def test_latin1_and_cp1252_decode(tmp_path: Path) -> None:
    text = "Talks in Genève ended on Tuesday; the délégués left the café by noon.\n"
    for encoding in ("latin-1", "cp1252"):
        path = tmp_path / f"{encoding}.txt"
        path.write_bytes(text.encode(encoding))
        doc = only(read_all([path]))
        assert isinstance(doc, RawDocument)
        assert doc.text == text
        assert doc.encoding == "cp1252"


def test_utf16_with_bom(tmp_path: Path) -> None:
    text = "Genève: twelve states sign a letter\n\nBody of the report.\n"
    path = tmp_path / "wide.txt"
    path.write_bytes(text.encode("utf-16"))
    doc = only(read_all([path]))
    assert isinstance(doc, RawDocument)
    assert doc.text == text
    assert doc.encoding == "utf-16"


def test_utf8_bom_is_not_part_of_text(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbfHeadline here\n\nBody.\n")
    doc = only(read_all([path]))
    assert isinstance(doc, RawDocument)
    assert doc.text.startswith("Headline")
    assert doc.title == "Headline here"


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        (b"", RejectReason.EMPTY),
        (b" \n\t\r\n  ", RejectReason.EMPTY),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64 + bytes(range(256)), RejectReason.BINARY),
        (bytes(range(1, 9)) * 200, RejectReason.BINARY),
        (b"\xef\xbb\xbf   \n", RejectReason.EMPTY),
        (b"\xff\xfe" + b"\x00\xd8", RejectReason.UNDECODABLE),  # UTF-16 BOM, lone surrogate
    ],
)
def test_bad_text_files_reject(tmp_path: Path, payload: bytes, reason: RejectReason) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(payload)
    item = only(read_all([path]))
    assert isinstance(item, Reject)
    assert item.reason is reason
    assert item.source == str(path)


def test_seed_titles_are_their_first_lines() -> None:
    if not SEEDS.is_dir():
        pytest.skip("../shared/corpus/seeds is not present")
    paths = sorted(SEEDS.glob("*.txt"))
    assert len(paths) == 5
    found = docs(read_all(paths))
    assert len(found) == 5
    for path, doc in zip(paths, found, strict=True):
        first_line = path.read_text(encoding="utf-8").splitlines()[0].strip()
        assert doc.text == path.read_text(encoding="utf-8")
        assert doc.title is not None, path.name
        if first_line.endswith("."):
            # A headline glued to its standfirst: the headline part, a proper prefix.
            assert first_line.startswith(doc.title)
            assert len(doc.title.split()) >= 4
            assert len(doc.title) < len(first_line)
        else:
            assert doc.title == first_line
