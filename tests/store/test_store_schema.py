"""Opening a store: migrations, pragmas, refusing files that are not ours, column formats."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from blocwatch.errors import StoreError
from blocwatch.model import OffsetMap
from blocwatch.store import (
    LATEST_SCHEMA_VERSION,
    offsets_from_json,
    offsets_to_json,
    open_store,
    schema_version,
)
from blocwatch.store.schema import APPLICATION_ID, MIGRATION_NAMES


def test_new_store_is_migrated_with_wal_and_foreign_keys(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "dir" / "x.db"
    db = open_store(path)
    assert path.is_file()
    assert schema_version(db) == LATEST_SCHEMA_VERSION == len(MIGRATION_NAMES)
    assert db.journal_mode == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert {"documents", "duplicates", "rejects", "runs", "quotes", "claims"} <= set(
        db.table_names()
    )
    assert db["documents"].detect_fts() == "documents_fts"
    assert db["quotes"].detect_fts() == "quotes_fts"
    db.close()


def test_reopening_applies_nothing(tmp_path: Path) -> None:
    path = tmp_path / "x.db"
    open_store(path).close()
    before = list(sqlite3.connect(path).iterdump())
    db = open_store(path)
    assert schema_version(db) == LATEST_SCHEMA_VERSION
    names = [r["name"] for r in db.query("SELECT name FROM _sqlite_migrations")]
    assert names == list(MIGRATION_NAMES)
    db.close()
    assert list(sqlite3.connect(path).iterdump()) == before


def test_in_memory_store_works() -> None:
    db = open_store(":memory:")
    assert schema_version(db) == LATEST_SCHEMA_VERSION


def test_not_a_sqlite_file_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("these are my notes, not a database\n")
    with pytest.raises(StoreError, match="not a SQLite database"):
        open_store(path)
    assert path.read_text() == "these are my notes, not a database\n"


def test_corrupt_sqlite_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "broken.db"
    path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 200)
    with pytest.raises(StoreError, match="restore it from a backup"):
        open_store(path)


def test_another_apps_database_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE recipes (name TEXT)")
    connection.commit()
    connection.close()
    with pytest.raises(StoreError, match="another application"):
        open_store(path)
    tables = sqlite3.connect(path).execute("SELECT name FROM sqlite_master").fetchall()
    assert tables == [("recipes",)]


def test_foreign_application_id_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA application_id = 1234")
    connection.commit()
    connection.close()
    with pytest.raises(StoreError, match="belongs to another application"):
        open_store(path)


def test_database_from_a_newer_blocwatch_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.db"
    db = open_store(path)
    db["_sqlite_migrations"].insert(
        {"migration_set": "blocwatch", "name": "m999_future", "applied_at": "later"}
    )
    db.close()
    with pytest.raises(StoreError, match="newer blocwatch"):
        open_store(path)


def test_directory_and_missing_file_errors_say_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="is a directory"):
        open_store(tmp_path)
    with pytest.raises(StoreError, match="blocwatch ingest"):
        open_store(tmp_path / "missing.db", create=False)
    assert not (tmp_path / "missing.db").exists()


def test_empty_file_becomes_a_store(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    path.touch()
    assert schema_version(open_store(path)) == LATEST_SCHEMA_VERSION


def test_offsets_round_trip_compactly() -> None:
    offsets = OffsetMap(starts=(0, 5, 9), origins=(0, 7, 20), clean_length=12, original_length=24)
    encoded = offsets_to_json(offsets)
    assert encoded == '{"s":[0,5,9],"o":[0,7,20],"cl":12,"ol":24}'
    assert offsets_from_json(encoded) == offsets
    assert offsets_from_json(offsets_to_json(OffsetMap.identity(0))) == OffsetMap.identity(0)


@pytest.mark.parametrize(
    "value",
    [
        "[]",
        '{"s":[0],"o":[0],"cl":1}',
        '{"s":[0,1],"o":[0],"cl":2,"ol":2}',
        '{"s":["0"],"o":[0],"cl":1,"ol":1}',
        '{"s":[true],"o":[0],"cl":1,"ol":1}',
        '{"s":[0],"o":[0],"cl":1.5,"ol":1}',
    ],
)
def test_malformed_offsets_are_refused(value: str) -> None:
    with pytest.raises(ValueError, match="offsets"):
        offsets_from_json(value)
