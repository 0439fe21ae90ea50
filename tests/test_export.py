"""export_tables: every table in CSV, JSON and Parquet, with the columns of docs/schema.md."""

from __future__ import annotations

import csv
import json
import re
import sqlite3
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from blocwatch import export
from blocwatch.cli import app
from blocwatch.errors import BlocwatchError, RejectReason
from blocwatch.export import EXPORTED, ExportFormat, export_tables
from blocwatch.model import Duplicate, Reject
from blocwatch.reconcile.persist import write_reconciled
from blocwatch.store import DATA_TABLES, write_batch, write_extractions
from blocwatch.store.schema import RECONCILED_TABLES, REFERENCE_TABLES
from tests.reconcile.test_persist import make_store, reconciled, reference
from tests.store.helpers import entry, make_article
from tests.store.test_store_facts import TEXT, facts

ROOT = Path(__file__).resolve().parents[1]
SCHEMA_MD = ROOT / "docs" / "schema.md"
FORMATS = list(ExportFormat)


def documented_columns() -> dict[str, list[str]]:
    """{table or view: [columns]} from the `### name` / `### name (view)` sections."""
    tables: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in SCHEMA_MD.read_text().splitlines():
        if line.startswith("#"):
            heading = re.fullmatch(r"### `?(\w+)`?(?: \(view\))?", line)
            current = tables.setdefault(heading.group(1), []) if heading else None
            continue
        row = re.match(r"^\| `?(\w+)`? \| \w+", line)
        if current is not None and row and row.group(1) != "column":
            current.append(row.group(1))
    return tables


@pytest.fixture(scope="module")
def db_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store with at least one row in every exported table (our own sample texts)."""
    path = tmp_path_factory.mktemp("export") / "e.db"
    db = make_store(path)
    write_reconciled(db, reconciled(db), reference())
    article = make_article("in/c.txt", TEXT, outlet="Outlet C", published="2019-07-13")
    duplicate = Duplicate("in/c-copy.txt", "txt", article.id, "near", 0.875, title="Copy")
    reject = Reject("in/bad.bin", RejectReason.BINARY, "17 NUL bytes")
    write_batch(db, [entry(article)], [duplicate], [reject])
    rows = facts(article.id)
    start = TEXT.index("Envoy Lin")
    rows["report_states"] = [
        {
            "report_id": f"{article.id}:r0",
            "iso3": "CHN",
            "role": "signatory",
            "start": start,
            "end": start + len("Envoy"),
        }
    ]
    write_extractions(db, [(article.id, rows)], "test-extractor")
    db.close()
    return path


def sqlite_rows(path: Path, table: str) -> tuple[list[str], list[tuple[Any, ...]]]:
    connection = sqlite3.connect(path)
    try:
        cursor = connection.execute(f'SELECT * FROM "{table}"')
        columns = [d[0] for d in cursor.description]
        rows = [tuple(v.hex() if isinstance(v, bytes) else v for v in r) for r in cursor]
        return columns, sorted(rows, key=repr)
    finally:
        connection.close()


def test_every_exported_table_has_rows_in_the_sample(db_path: Path) -> None:
    assert set(EXPORTED) == {*DATA_TABLES, *RECONCILED_TABLES, *REFERENCE_TABLES, "action_timeline"}
    for table in EXPORTED:
        assert sqlite_rows(db_path, table)[1], f"{table} is empty: the test would prove little"


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_table_is_exported_with_documented_columns_and_all_rows(
    db_path: Path, tmp_path: Path, fmt: ExportFormat
) -> None:
    paths = export_tables(db_path, fmt, tmp_path / "out")
    assert sorted(p.name for p in paths) == sorted(f"{t}.{fmt.value}" for t in EXPORTED)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(p.name for p in paths)
    documented = documented_columns()
    for path in paths:
        table = path.name.removesuffix(f".{fmt.value}")
        columns, expected = sqlite_rows(db_path, table)
        got_columns, got = read_back(path, fmt)
        assert got_columns == documented[table] == columns, table
        if fmt is ExportFormat.CSV:  # CSV has no types: compare as text, NULL as ""
            expected = [tuple("" if v is None else str(v) for v in row) for row in expected]
        assert sorted(got, key=repr) == expected, table


def read_back(path: Path, fmt: ExportFormat) -> tuple[list[str], list[tuple[Any, ...]]]:
    if fmt is ExportFormat.CSV:
        with path.open(newline="", encoding="utf-8") as handle:
            header, *rows = list(csv.reader(handle))
        return header, [tuple(row) for row in rows]
    if fmt is ExportFormat.JSON:
        objects = json.loads(path.read_text(encoding="utf-8"))
        header = list(objects[0]) if objects else []
        return header, [tuple(o.values()) for o in objects]
    table = pq.read_table(path)
    return table.column_names, [tuple(row.values()) for row in table.to_pylist()]


def test_parquet_types_follow_the_sqlite_types(db_path: Path, tmp_path: Path) -> None:
    export_tables(db_path, "parquet", tmp_path)
    schema = pq.read_schema(tmp_path / "documents.parquet")
    assert str(schema.field("char_count").type) == "int64"
    assert str(schema.field("minhash").type) == "string"  # BLOB as hex
    assert str(pq.read_schema(tmp_path / "duplicates.parquet").field("similarity").type) == "double"
    timeline = pq.read_schema(tmp_path / "action_timeline.parquet")
    assert str(timeline.field("count").type) == "int64"
    assert str(timeline.field("when").type) == "string"  # an untyped view column is TEXT
    minhash = pq.read_table(tmp_path / "documents.parquet").column("minhash")[0].as_py()
    assert bytes.fromhex(minhash)  # hex text of the stored bytes


def test_small_chunks_give_the_same_files(
    db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    export_tables(db_path, "json", tmp_path / "big")
    export_tables(db_path, "parquet", tmp_path / "big")
    monkeypatch.setattr(export, "EXPORT_CHUNK_ROWS", 1)
    export_tables(db_path, "json", tmp_path / "small")
    export_tables(db_path, "parquet", tmp_path / "small")
    for name in ("documents.json", "actions.json", "action_timeline.json"):
        assert (tmp_path / "small" / name).read_bytes() == (tmp_path / "big" / name).read_bytes()
    small = pq.ParquetFile(tmp_path / "small" / "action_timeline.parquet")
    assert small.num_row_groups == small.metadata.num_rows > 1  # one row group per chunk
    assert small.read().equals(pq.read_table(tmp_path / "big" / "action_timeline.parquet"))


def test_export_refuses_a_file_as_out_dir_and_replaces_its_own_files(
    db_path: Path, tmp_path: Path
) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("keep me")
    with pytest.raises(BlocwatchError, match="not a directory"):
        export_tables(db_path, "csv", blocker)
    assert blocker.read_text() == "keep me"
    out = tmp_path / "out"
    out.mkdir()
    (out / "actions.csv").write_text("stale")
    (out / "notes.txt").write_text("mine")
    export_tables(db_path, "csv", out)
    assert (out / "actions.csv").read_text().startswith("key,label,")
    assert (out / "notes.txt").read_text() == "mine"
    assert not list(out.glob("*.partial"))


def test_export_of_a_missing_database_fails_and_creates_nothing(tmp_path: Path) -> None:
    with pytest.raises(BlocwatchError):
        export_tables(tmp_path / "none.db", "csv", tmp_path / "out")
    assert not (tmp_path / "none.db").exists()


def test_export_cli(db_path: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["export", "--db", str(db_path), "--format", "parquet", "--out", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    assert f"exported {len(EXPORTED)} tables as parquet" in result.output
    assert pq.read_table(tmp_path / "actions.parquet").num_rows == 2
    bad = CliRunner().invoke(
        app, ["export", "--db", str(db_path), "--format", "xlsx", "--out", str(tmp_path)]
    )
    assert bad.exit_code == 2
