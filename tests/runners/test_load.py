"""`blocwatch load` without a JVM: folders written here with pyarrow from the Spark runner's own
task functions (tests/runners/helpers.py), spaCy's blank pipeline for speed."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from spacy.language import Language
from typer.testing import CliRunner

from blocwatch import store
from blocwatch.cli import app
from blocwatch.extract import EXTRACTOR_VERSION
from blocwatch.nlp.build import build_blank_nlp
from blocwatch.runners.extraction import FAILED, PREFILTERED, extract_stored
from blocwatch.runners.load import LoadError, load_folder
from blocwatch.runners.local import ingest
from blocwatch.runners.spark_tasks import Tagged, table_columns
from blocwatch.settings import Options
from tests.runners.helpers import dump, make_inputs, query, tagged_rows, write_folder

OPTIONS = Options()
# Our own text about no joint action, with a quote: the prefilter skips it, a full read finds
# a speaker and a quote.
CALM_TEXT = (
    "Harbour officials said the ferry timetable would change in May.\n\n"
    '"We expect fewer delays," said Ana Ruiz, the port director.'
)


@pytest.fixture(scope="module")
def nlp() -> Language:
    return build_blank_nlp()


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return list(make_inputs(tmp_path_factory.mktemp("inputs")))


@pytest.fixture(scope="module")
def rows(inputs: list[Path], nlp: Language) -> list[Tagged]:
    return tagged_rows(inputs, OPTIONS, nlp)


@pytest.fixture
def folder(rows: list[Tagged], tmp_path: Path) -> Path:
    out = tmp_path / "out"
    write_folder(out, rows)
    return out


def column(table: str, name: str) -> int:
    return [c.name for c in table_columns()[table]].index(name)


def local_store(paths: list[Path], db: Path, nlp: Language) -> Path:
    ingest([str(p) for p in paths], db, OPTIONS)
    extract_stored(db, OPTIONS, nlp=nlp)
    return db


def test_load_gives_the_local_store_but_for_near_copies(
    folder: Path, inputs: list[Path], nlp: Language, tmp_path: Path
) -> None:
    loaded = tmp_path / "loaded.db"
    summary = load_folder(folder, loaded, OPTIONS)
    local = local_store(inputs, tmp_path / "local.db", nlp)
    near = {s for (s,) in query(local, "SELECT source FROM duplicates WHERE method = 'near'")}
    assert near
    local_only = [r for r in dump(local) if r not in dump(loaded)]
    assert {(r[0], r[1]) for r in local_only} == {("duplicates", s) for s in near}
    stored_near = query(
        loaded,
        f"SELECT source FROM documents WHERE source IN ({','.join('?' * len(near))})",
        tuple(near),
    )
    assert {s for (s,) in stored_near} == near
    assert summary.documents_new == query(loaded, "SELECT count(*) FROM documents")[0][0]
    assert summary.extracted == summary.documents_new
    assert summary.facts["joint_action_reports"] > 0


def test_small_batches_give_the_same_store(folder: Path, tmp_path: Path) -> None:
    load_folder(folder, tmp_path / "a.db", OPTIONS)
    load_folder(folder, tmp_path / "b.db", Options(batch_size=2))
    assert dump(tmp_path / "a.db") == dump(tmp_path / "b.db")


def test_loading_twice_changes_nothing(folder: Path, tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    load_folder(folder, db, OPTIONS)
    first = dump(db)
    again = load_folder(folder, db, OPTIONS)
    assert (again.documents_new, again.extracted) == (0, 0)
    assert again.documents_seen == query(db, "SELECT count(*) FROM documents")[0][0]
    assert dump(db) == first
    assert query(db, "SELECT command, status FROM runs") == [("load", "ok"), ("load", "ok")]


def test_a_text_stored_from_another_source_keeps_its_own_facts(
    folder: Path, rows: list[Tagged], nlp: Language, tmp_path: Path
) -> None:
    """The database holds one article's text from another file: that copy stays the document
    (with its facts, spans into its own text) and the folder's item becomes its duplicate."""
    doc_id, source, text = next(
        (v[0], v[1], v[column("documents", "text")]) for t, v in rows if t == "documents"
    )
    other = tmp_path / "other.jsonl"
    other.write_text(json.dumps({"id": "mine", "text": "  " + text}) + "\n")
    db = local_store([other], tmp_path / "x.db", nlp)
    before = [r for r in dump(db) if doc_id in json.dumps(r)]
    load_folder(folder, db, OPTIONS)
    assert query(db, "SELECT source FROM documents WHERE id = ?", (doc_id,)) == [(f"{other}:1",)]
    assert query(db, "SELECT duplicate_of, method FROM duplicates WHERE source = ?", (source,)) == [
        (doc_id, "exact")
    ]
    after = [r for r in dump(db) if doc_id in json.dumps(r) and r[0] != "duplicates"]
    assert after == [r for r in before if r[0] != "duplicates"]


def test_a_failed_extraction_never_replaces_stored_facts(
    rows: list[Tagged], inputs: list[Path], nlp: Language, tmp_path: Path
) -> None:
    db = local_store(inputs, tmp_path / "x.db", nlp)
    doc_id = next(v[0] for t, v in rows if t == "extractions" and v[2] > 0)
    failed = [
        (t, (doc_id, FAILED, 0)) if t == "extractions" and v[0] == doc_id else (t, v)
        for t, v in rows
        if not (t in store.FACT_TABLES and v[column(t, "doc_id")] == doc_id)
    ]
    out = tmp_path / "out"
    write_folder(out, failed)

    def extraction() -> list[list[Any]]:
        tables = ("extractions", *store.FACT_TABLES)
        return [r for r in dump(db) if r[0] in tables and doc_id in json.dumps(r)]

    before = extraction()
    assert len(before) > 2
    load_folder(out, db, OPTIONS)
    assert extraction() == before


def test_an_unfinished_or_foreign_folder_is_refused(folder: Path, tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    with pytest.raises(LoadError, match="not a folder"):
        load_folder(tmp_path / "missing", db, OPTIONS)
    (folder / "claims" / "_SUCCESS").unlink()
    with pytest.raises(LoadError, match="_SUCCESS"):
        load_folder(folder, db, OPTIONS)
    (folder / "claims" / "_SUCCESS").touch()
    quotes = folder / "quotes" / "part-00000.parquet"
    table = pq.read_table(quotes)
    extra = pa.array([None] * table.num_rows, pa.string())
    pq.write_table(table.append_column("extra", extra), quotes)
    with pytest.raises(LoadError, match="extra"):
        load_folder(folder, db, OPTIONS)
    assert not db.exists()  # the folder is checked before the database is opened


def test_a_duplicate_of_a_missing_document_is_refused(rows: list[Tagged], tmp_path: Path) -> None:
    target = next(v[column("duplicates", "duplicate_of")] for t, v in rows if t == "duplicates")
    out = tmp_path / "out"
    write_folder(out, [(t, v) for t, v in rows if not (t == "documents" and v[0] == target)])
    with pytest.raises(LoadError, match="incomplete"):
        load_folder(out, tmp_path / "x.db", OPTIONS)


def test_load_command(folder: Path, tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    result = CliRunner().invoke(app, ["load", str(folder), "--db", str(db), "--batch-size", "5"])
    assert result.exit_code == 0, result.output
    assert "new" in result.output
    shutil.rmtree(folder / "documents")
    result = CliRunner().invoke(app, ["load", str(folder), "--db", str(db)])
    assert result.exit_code == 1
    assert "_SUCCESS" in result.output


def test_a_full_extraction_replaces_a_prefiltered_one_never_the_reverse(
    inputs: list[Path], nlp: Language, tmp_path: Path
) -> None:
    calm = tmp_path / "calm.jsonl"
    calm.write_text(json.dumps({"id": "calm", "text": CALM_TEXT}) + "\n")
    paths = [*inputs, calm]
    prefiltered, full = tmp_path / "prefiltered", tmp_path / "full"
    write_folder(prefiltered, tagged_rows(paths, OPTIONS, nlp))
    write_folder(full, tagged_rows(paths, Options(prefilter=False), nlp))
    db = tmp_path / "x.db"

    def labels() -> set[str]:
        return {label for (label,) in query(db, "SELECT DISTINCT extractor FROM extractions")}

    load_folder(prefiltered, db, OPTIONS)
    assert labels() == {EXTRACTOR_VERSION, PREFILTERED}
    load_folder(full, db, OPTIONS)
    assert labels() == {EXTRACTOR_VERSION}
    with_all_facts = dump(db)
    load_folder(prefiltered, db, OPTIONS)
    assert dump(db) == with_all_facts
