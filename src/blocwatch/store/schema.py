"""The database file: opening it safely, the schema (as migrations), and column formats.

Opening, in order: refuse a path that is a directory or a file that is not SQLite; connect; turn
on WAL (readers such as Datasette never block the writer, and a killed writer leaves a consistent
file) and foreign keys; refuse a database that belongs to another application or to a newer
blocwatch; apply pending migrations, each in its own transaction.

The schema is only ever changed by adding a migration below (its statements in store/ddl.py),
never by editing one that shipped. Every table and column is documented in docs/schema.md (a test
keeps the two in step).
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import sqlite_utils
from sqlite_utils.migrations import Migrations

from blocwatch.errors import StoreError
from blocwatch.model import OffsetMap
from blocwatch.store.ddl import (
    DATA_TABLES,
    DOCUMENT_TABLES,
    FACT_TABLES,
    FTS_TABLES,
    INITIAL_DDL,
    RECONCILE_DDL,
    RECONCILED_TABLES,
    REFERENCE_TABLES,
    SPAN_TEXT_COLUMN,
)

MIGRATION_SET = "blocwatch"
# PRAGMA application_id marks the file as ours ("Bloc" in ASCII), so another program's SQLite
# file is recognised even when it happens to use the same table names.
APPLICATION_ID = 0x426C6F63
# Milliseconds a writer waits for another connection's lock (a second run, a Datasette that is
# checkpointing) before failing. Batches commit in well under a second, so 10 s is generous.
BUSY_TIMEOUT_MS = 10_000
SQLITE_HEADER = b"SQLite format 3\x00"
# FTS5 tokenizer: Porter stemming over unicode61 with diacritics folded, so "signed" finds
# "signs" and "Türkiye" finds "Turkiye".
FTS_TOKENIZER = "porter unicode61 remove_diacritics 2"

migrations = Migrations(MIGRATION_SET)


@migrations(name="m001_initial")
def _m001_initial(db: sqlite_utils.Database) -> None:
    """Documents, duplicates, rejects, runs, and the (still empty) fact tables with FTS5."""
    for statement in INITIAL_DDL:
        db.execute(statement)
    for table, columns in FTS_TABLES.items():
        db.table(table).enable_fts(columns, create_triggers=True, tokenize=FTS_TOKENIZER)
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")


@migrations(name="m002_reconciled")
def _m002_reconciled(db: sqlite_utils.Database) -> None:
    """Canonical actions, state positions, contradictions, blocs and reference checks."""
    for statement in RECONCILE_DDL:
        db.execute(statement)


MIGRATION_NAMES = ("m001_initial", "m002_reconciled")
LATEST_SCHEMA_VERSION = len(MIGRATION_NAMES)


def open_store(path: str | Path, *, create: bool = True) -> sqlite_utils.Database:
    """Open (or create) a blocwatch database, upgraded to the latest schema.

    `create=False` is for read-only commands (`stats`, `report`): a missing file is then an error
    instead of a new empty database. Raises StoreError with what to do next.
    """
    in_memory = str(path) == ":memory:"
    file = Path(path)
    if not in_memory:
        _check_path(file, create)
    try:
        db = sqlite_utils.Database(":memory:" if in_memory else file, execute_plugins=False)
    except sqlite3.Error as error:
        raise StoreError(f"cannot open database {file}: {error}") from error
    try:
        _prepare(db, file)
    except sqlite3.DatabaseError as error:
        db.close()
        raise StoreError(
            f"{file} cannot be used as a blocwatch database ({error}): if it is read-only, "
            "make it writable; if it is damaged, restore it from a backup or point --db at a "
            "new file"
        ) from error
    except StoreError:
        db.close()
        raise
    return db


def _check_path(file: Path, create: bool) -> None:
    """Refuse directories and non-SQLite files before SQLite sees them (it would fail late)."""
    if file.is_dir():
        raise StoreError(
            f"{file} is a directory; --db needs a file path such as {file}/blocwatch.db"
        )
    if not file.exists():
        if not create:
            raise StoreError(f"no database at {file}; run `blocwatch ingest ... --db {file}` first")
        try:
            file.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StoreError(f"cannot create directory {file.parent}: {error}") from error
        return
    try:
        with file.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as error:
        raise StoreError(f"cannot read {file}: {error}") from error
    if header and header != SQLITE_HEADER:
        raise StoreError(
            f"{file} is not a SQLite database; choose another --db path (blocwatch will not "
            "overwrite it)"
        )


def _prepare(db: sqlite_utils.Database, file: Path) -> None:
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    db.execute("PRAGMA foreign_keys = ON")
    _check_owner(db, file)
    db.enable_wal()
    pending = migrations.pending(db)
    if pending:
        migrations.apply(db)


def _check_owner(db: sqlite_utils.Database, file: Path) -> None:
    """A database that is not ours, or is from a newer blocwatch, is never modified."""
    app_id = db.execute("PRAGMA application_id").fetchone()[0]
    if app_id not in (0, APPLICATION_ID):
        raise StoreError(
            f"{file} belongs to another application (application_id {app_id:#x}); "
            "use a new --db path for blocwatch"
        )
    applied = [m.name for m in migrations.applied(db)]
    unknown = [name for name in applied if name not in MIGRATION_NAMES]
    if unknown:
        raise StoreError(
            f"{file} was written by a newer blocwatch (schema steps {', '.join(unknown)}); "
            "upgrade blocwatch to read it"
        )
    others = set(db.table_names()) - {Migrations.migrations_table}
    if not applied and others:
        raise StoreError(
            f"{file} is a SQLite database of another application (tables: "
            f"{', '.join(sorted(others)[:5])}); use a new --db path for blocwatch"
        )


def schema_version(db: sqlite_utils.Database) -> int:
    """How many blocwatch migrations this database has had (LATEST_SCHEMA_VERSION when current)."""
    return len(migrations.applied(db))


def rebuild_fts(db: sqlite_utils.Database) -> None:
    """Rebuild the full-text indexes from their tables.

    The FTS5 indexes point at table rowids. SQLite keeps rowids through VACUUM in practice but
    does not promise it for tables without an INTEGER PRIMARY KEY, so after a VACUUM or a
    hand edit, run this (it is cheap next to an ingest).
    """
    with db.atomic():
        for table in FTS_TABLES:
            db.execute(f"INSERT INTO {table}_fts({table}_fts) VALUES ('rebuild')")


def offsets_to_json(offsets: OffsetMap) -> str:
    """Compact JSON of an OffsetMap's runs: {"s": starts, "o": origins, "cl": .., "ol": ..}."""
    payload = {
        "s": list(offsets.starts),
        "o": list(offsets.origins),
        "cl": offsets.clean_length,
        "ol": offsets.original_length,
    }
    return json.dumps(payload, separators=(",", ":"))


def offsets_from_json(value: str) -> OffsetMap:
    """Inverse of offsets_to_json; a malformed value (a hand-edited DB) raises ValueError."""
    payload: Any = json.loads(value)
    if not isinstance(payload, dict) or set(payload) != {"s", "o", "cl", "ol"}:
        raise ValueError(f"offsets must be an object with keys s, o, cl, ol: {value[:80]!r}")
    starts, origins = payload["s"], payload["o"]
    lengths = (payload["cl"], payload["ol"])
    if not (isinstance(starts, list) and isinstance(origins, list) and len(starts) == len(origins)):
        raise ValueError("offsets: s and o must be lists of the same length")
    if not all(_is_int(n) for n in (*starts, *origins, *lengths)):
        raise ValueError("offsets: every position must be an integer")
    return OffsetMap(
        starts=tuple(starts),
        origins=tuple(origins),
        clean_length=lengths[0],
        original_length=lengths[1],
    )


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


__all__ = [
    "DATA_TABLES",
    "DOCUMENT_TABLES",
    "FACT_TABLES",
    "FTS_TABLES",
    "LATEST_SCHEMA_VERSION",
    "MIGRATION_NAMES",
    "RECONCILED_TABLES",
    "REFERENCE_TABLES",
    "SPAN_TEXT_COLUMN",
    "open_store",
    "rebuild_fts",
    "schema_version",
]
