"""Streaming extraction: prefilter, chunks, worker processes, resumable store extraction."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from pathlib import Path

import pytest
from spacy.language import Language

from blocwatch import pipeline, store
from blocwatch.model import Article, DocumentFacts, OffsetMap
from blocwatch.nlp.build import build_blank_nlp
from blocwatch.pipeline import DocumentTooLong, Skipped, process_stream
from blocwatch.runners.extraction import FAILED, PREFILTERED, extract_stored
from blocwatch.runners.local import ingest
from blocwatch.settings import Options

RELEVANT = (
    "Thirty-seven countries signed a joint letter to the Human Rights Council on {day} "
    "backing China's policy in Xinjiang."
)
IRRELEVANT = "Rovers beat Albion {day} to nil at the old ground; the crowd sang in the rain."
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _article(i: int, template: str) -> Article:
    text = f"Item {i}. " + template.format(day=DAYS[i % len(DAYS)])
    return Article(
        id=f"{i:016x}",
        source=f"{i}.txt",
        input_format="txt",
        text=text,
        clean_text=text,
        offsets=OffsetMap.identity(len(text)),
        language="en",
    )


def _mixed(n: int) -> list[Article]:
    return [_article(i, RELEVANT if i % 4 == 0 else IRRELEVANT) for i in range(n)]


@pytest.fixture(scope="module")
def blank() -> Language:
    return build_blank_nlp()


def test_stream_keeps_input_order_across_chunks_and_skips_unrelated_news(
    blank: Language, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pipeline, "CHUNK_ARTICLES", 3)
    articles = _mixed(11)
    out = list(process_stream(articles, Options(), blank))
    assert [a.id for a, _ in out] == [a.id for a in articles]
    for article, outcome in out:
        if int(article.id, 16) % 4 == 0:
            assert isinstance(outcome, DocumentFacts) and len(outcome.joint_actions) == 1
        else:
            assert isinstance(outcome, Skipped) and outcome.reason == "no action word"


def test_without_the_prefilter_every_article_is_read_and_actions_are_the_same(
    blank: Language,
) -> None:
    articles = _mixed(8)
    filtered = dict(process_stream(articles, Options(), blank))
    read_all = dict(process_stream(articles, Options(prefilter=False), blank))
    assert not any(isinstance(o, Skipped) for o in read_all.values())
    for article in articles:
        full = read_all[article]
        assert isinstance(full, DocumentFacts)
        kept = filtered[article]
        if isinstance(kept, Skipped):
            assert full.joint_actions == ()
        else:
            assert kept == full


def test_a_too_long_document_fails_in_its_place(blank: Language) -> None:
    articles = _mixed(5)
    long_one = dataclasses.replace(articles[2], clean_text=RELEVANT.format(day="x") * 40)
    articles[2] = long_one
    max_length = blank.max_length
    blank.max_length = len(long_one.clean_text) - 1
    try:
        out = list(process_stream(articles, Options(), blank))
    finally:
        blank.max_length = max_length
    assert [a.id for a, _ in out] == [a.id for a in articles]
    assert isinstance(out[2][1], DocumentTooLong)


# ---------------------------------------------------------------- extraction over the store


def _store(tmp_path: Path, n: int) -> Path:
    source = tmp_path / "in.jsonl"
    lines = [json.dumps({"id": a.id, "text": a.clean_text}) for a in _mixed(n)]
    source.write_text("\n".join(lines) + "\n")
    db = tmp_path / "x.db"
    ingest([str(source)], db, Options())
    return db


def _extractors(db: Path) -> dict[str, int]:
    connection = sqlite3.connect(db)
    try:
        rows = connection.execute("SELECT extractor, count(*) FROM extractions GROUP BY 1")
        return {str(extractor): int(count) for extractor, count in rows}
    finally:
        connection.close()


def test_skipped_documents_are_marked_and_not_checked_again(
    tmp_path: Path, blank: Language
) -> None:
    db = _store(tmp_path, 20)
    first = extract_stored(db, Options(batch_size=7), nlp=blank)
    assert (first.documents, first.prefiltered, first.joint_actions, first.failed) == (
        20,
        15,
        5,
        0,
    )
    extractors = _extractors(db)
    assert extractors[PREFILTERED] == 15 and PREFILTERED.endswith(":prefiltered")
    assert FAILED not in extractors
    again = extract_stored(db, Options(), nlp=blank)
    assert again.documents == 0
    everything = extract_stored(db, Options(prefilter=False), nlp=blank)
    assert (everything.documents, everything.prefiltered, everything.joint_actions) == (15, 0, 0)
    assert PREFILTERED not in _extractors(db)


def test_documents_to_extract_streams_by_page_while_extractions_are_written(
    tmp_path: Path,
) -> None:
    db_path = _store(tmp_path, 9)
    db = store.open_store(db_path)
    try:
        ordered = [row[0] for row in db.execute("SELECT id FROM documents ORDER BY rowid")]
        seen = []
        for doc_id in store.documents_to_extract(db, "v1", page=2):
            seen.append(doc_id)
            store.write_extractions(db, [(doc_id, {})], "v1")
        assert seen == ordered
        assert list(store.documents_to_extract(db, {"v1", "v2"}, page=2)) == []
        assert list(store.documents_to_extract(db, "v2", page=4)) == ordered
    finally:
        db.close()


@pytest.mark.slow
def test_worker_processes_give_the_same_outcomes() -> None:
    articles = _mixed(9)
    one = list(process_stream(articles, Options(), None))
    two = list(process_stream(articles, Options(n_process=2), None))
    assert [(a.id, o) for a, o in one] == [(a.id, o) for a, o in two]
    assert sum(isinstance(o, DocumentFacts) and o.joint_actions != () for _, o in two) == 3


@pytest.mark.slow
def test_extract_cli_reads_skipped_articles_only_without_the_prefilter(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from blocwatch.cli import app

    text = '"We will keep going," said Anna Holm, the chairwoman of Rovers, after the match.'
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"id": "club", "text": text}) + "\n")
    speakers = {}
    for flag in ("--prefilter", "--no-prefilter"):
        out = tmp_path / flag.strip("-")
        result = CliRunner().invoke(
            app, ["extract", str(source), "--json-dir", str(out), flag, "-q"]
        )
        assert result.exit_code == 0, result.output
        written = json.loads((out / "club.json").read_text())
        speakers[flag] = [s["name"] for s in written["speakers"]]
    assert speakers == {"--prefilter": [], "--no-prefilter": ["Anna Holm"]}
