"""The Spark runner on local[2]: its output, loaded into SQLite, is the local runner's store.

One SparkContext for the module. The inputs are examples/corpus as a JSONL file and a WARC file
(tests/runners/helpers.py), with an exact copy, a near copy and bad items added. The one
legitimate difference is the near copy: the local runner's deduper stores it as a `near`
duplicate, while Spark (exact duplicates only, docs/scale.md) keeps it as a document with facts.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from pyspark import SparkContext

from blocwatch import store
from blocwatch.runners import spark as spark_runner
from blocwatch.runners.extraction import extract_stored
from blocwatch.runners.load import load_folder
from blocwatch.runners.local import ingest
from blocwatch.runners.spark import SparkSummary, run_spark
from blocwatch.runners.spark_context import spark_context
from blocwatch.runners.spark_tasks import OUTPUT_TABLES, table_columns
from blocwatch.settings import Options
from tests.runners.helpers import EXACT_COPY_ID, NEAR_COPY_ID, dump, make_inputs, query

pytestmark = [
    pytest.mark.spark,
    pytest.mark.slow,
    pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas"),
]

OPTIONS = Options()


@pytest.fixture(scope="module")
def spark() -> Iterator[SparkContext]:
    context = spark_context("local[2]", driver_memory="1g", ui=False)
    context.setLogLevel("ERROR")
    yield context
    context.stop()


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    return [str(path) for path in make_inputs(tmp_path_factory.mktemp("inputs"))]


@pytest.fixture(scope="module")
def local_db(inputs: list[str], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """What `blocwatch run` stores (its ingest and extraction steps, called as functions)."""
    db = tmp_path_factory.mktemp("local") / "local.db"
    ingest(inputs, db, OPTIONS, command="run")
    assert extract_stored(db, OPTIONS).failed == 0
    return db


@pytest.fixture(scope="module")
def spark_run(
    spark: SparkContext, inputs: list[str], tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, SparkSummary]:
    out = tmp_path_factory.mktemp("spark") / "out"
    return out, run_spark(spark, inputs, str(out), OPTIONS, partitions=3)


@pytest.fixture(scope="module")
def loaded_db(
    spark_run: tuple[Path, SparkSummary], tmp_path_factory: pytest.TempPathFactory
) -> Path:
    db = tmp_path_factory.mktemp("loaded") / "loaded.db"
    load_folder(spark_run[0], db, OPTIONS)
    return db


def test_loaded_spark_output_is_the_local_store_but_for_near_copies(
    local_db: Path, loaded_db: Path
) -> None:
    local, loaded = dump(local_db), dump(loaded_db)
    tables = {row[0] for row in local}
    assert {"documents", "duplicates", "rejects", "extractions", *store.FACT_TABLES} <= tables
    near = query(local_db, "SELECT source FROM duplicates WHERE method = 'near'")
    assert len(near) >= 2  # ours (NEAR_COPY_ID) and one inside examples/corpus
    sources = sorted(source for (source,) in near)
    doc_ids = {
        doc_id
        for source in sources
        for (doc_id,) in query(loaded_db, f"SELECT id FROM documents WHERE source = '{source}'")
    }
    assert len(doc_ids) == len(sources)
    # Local: each near copy is a `near` duplicate; those rows are the only ones Spark lacks.
    local_only = [row for row in local if row not in loaded]
    assert sorted((r[0], r[1], r[4]) for r in local_only) == [
        ("duplicates", source, "near") for source in sources
    ]
    # Spark: each is a document with its extraction and facts; nothing else differs.
    spark_only = [row for row in loaded if row not in local]
    assert sorted(r[2] for r in spark_only if r[0] == "documents") == sources
    assert {r[1] for r in spark_only if r[0] == "extractions"} == doc_ids
    assert all(any(doc_id in json.dumps(row) for doc_id in doc_ids) for row in spark_only)
    assert NEAR_COPY_ID in {r[4] for r in spark_only if r[0] == "documents"}


def test_summary_counts_every_item_once(
    spark_run: tuple[Path, SparkSummary], loaded_db: Path
) -> None:
    _out, summary = spark_run
    assert summary.files == 2
    assert summary.reject_reasons == {"malformed_json": 1, "missing_text": 1, "not_html": 1}
    assert summary.failed_extractions == 0
    for table in OUTPUT_TABLES:
        (count,) = query(loaded_db, f"SELECT count(*) FROM {table}")[0]
        assert summary.rows[table] == count, table
    copies = query(loaded_db, "SELECT method, similarity, external_id FROM duplicates")
    assert copies == [("exact", 1.0, EXACT_COPY_ID)]


def test_output_folder_has_the_sqlite_columns(spark_run: tuple[Path, SparkSummary]) -> None:
    out, _summary = spark_run
    types = {"TEXT": "string", "INTEGER": "int64", "REAL": "double", "BLOB": "binary"}
    for table, columns in table_columns().items():
        files = sorted((out / table).glob("*.parquet"))
        assert files, table
        schema = pq.read_schema(files[0])
        assert [(f.name, str(f.type)) for f in schema] == [(c.name, types[c.type]) for c in columns]


def test_load_is_idempotent_and_merges_into_an_existing_store(
    spark_run: tuple[Path, SparkSummary], local_db: Path, loaded_db: Path, tmp_path: Path
) -> None:
    again = tmp_path / "again.db"
    shutil.copy(loaded_db, again)
    summary = load_folder(spark_run[0], again, OPTIONS)
    assert (summary.documents_new, summary.extracted) == (0, 0)
    assert dump(again) == dump(loaded_db)
    # Into the local runner's store: every document is kept once (same sources: "seen"), and each
    # source ends with the Spark reading, so the store is the one a fresh load gives.
    merged = tmp_path / "merged.db"
    shutil.copy(local_db, merged)
    summary = load_folder(spark_run[0], merged, OPTIONS)
    near = query(local_db, "SELECT count(*) FROM duplicates WHERE method = 'near'")[0][0]
    assert summary.documents_new == near  # near copies: duplicates in the local store
    assert dump(merged) == dump(loaded_db)


def test_empty_tables_and_bad_paths(spark: SparkContext, tmp_path: Path) -> None:
    """Documents without facts still give typed files for every table; a missing path, stdin
    and a bad line are rejects, never a failed job."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "calm.jsonl").write_text(
        json.dumps({"id": "calm", "text": "The weather stayed mild all week in the valley."})
        + "\n{broken\n"
    )
    (folder / "notes.md").write_text("not an input format: skipped inside a folder")
    out = tmp_path / "out"
    summary = run_spark(
        spark, [str(folder), str(tmp_path / "missing.jsonl"), "-"], str(out), OPTIONS
    )
    assert summary.files == 1
    assert summary.rows["documents"] == 1 and summary.rows["joint_action_reports"] == 0
    assert summary.prefiltered == 1  # nothing in it an action could be read from
    assert summary.reject_reasons == {"malformed_json": 1, "unreadable": 1, "unsupported": 1}
    for table in OUTPUT_TABLES:
        assert sorted((out / table).glob("*.parquet")), table
    db = tmp_path / "x.db"
    load_folder(out, db, OPTIONS)
    assert query(db, "SELECT source FROM documents") == [(str(folder / "calm.jsonl") + ":1",)]
    assert query(db, "SELECT count(*) FROM rejects") == [(3,)]


def test_odd_file_names_and_hidden_files(spark: SparkContext, tmp_path: Path) -> None:
    """Names with Hadoop's glob and separator characters are read (once, not their look-alikes);
    hidden names inside a folder are skipped, as Hadoop skips them; a hidden file named on the
    command line is a reject that says why, never lost."""
    folder = tmp_path / "in"
    (folder / ".cache").mkdir(parents=True)
    line = json.dumps({"id": "x", "text": "The council met on Tuesday to discuss the budget."})
    for name in ("a,b [1] {x}.jsonl", "a;b [1] {x}.jsonl", ".cache/c.jsonl", "_tmp.jsonl"):
        (folder / name).write_text(line.replace('"x"', json.dumps(name)) + "\n")
    hidden = tmp_path / "_named.jsonl"
    hidden.write_text(line + "\n")
    out = tmp_path / "out"
    summary = run_spark(spark, [str(folder), str(hidden)], str(out), OPTIONS)
    assert summary.files == 2 and summary.unread_files == 0
    assert summary.reject_reasons == {"unsupported": 1}
    db = tmp_path / "x.db"
    load_folder(out, db, OPTIONS)
    sources = query(db, "SELECT source FROM documents UNION SELECT source FROM duplicates")
    assert sorted(sources) == [
        (str(folder / "a,b [1] {x}.jsonl:1"),),
        (str(folder / "a;b [1] {x}.jsonl:1"),),
    ]
    (detail,) = query(db, "SELECT detail FROM rejects")[0]
    assert "rename" in detail


def test_a_listed_file_spark_does_not_read_is_a_reject(
    spark: SparkContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The safety net under `read_pattern`: a listed file no task got ends as a reject."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.jsonl").write_text(json.dumps({"text": "Rain fell on the coast again."}) + "\n")
    (folder / "notes.md").write_text("not an input")
    monkeypatch.setattr(
        spark_runner, "read_pattern", lambda uri: uri.replace("a.jsonl", "notes.md")
    )
    summary = run_spark(spark, [str(folder)], str(tmp_path / "out"), OPTIONS)
    assert (summary.files, summary.unread_files) == (1, 1)
    assert summary.rows["documents"] == 0 and summary.reject_reasons == {"unreadable": 1}
