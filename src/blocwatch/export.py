"""Export the store's tables to CSV, JSON or Parquet: one file per table, named after it.

Exported: every data table (documents … claims), the reconciled and reference tables and the
`action_timeline` view, with exactly the columns of docs/schema.md. The audit log (`runs`) and
the FTS shadow tables are not data and stay out.

Choices, so that a file means the same in every format:
- BLOB columns (only `documents.minhash`) are written as lowercase hex text, as `data_dump`
  does: lossless, and readable by tools that have no binary type (CSV, JSON).
- JSON columns (`sources`, `side_a`, …) stay JSON text, as stored; they are not nested.
- NULL is an empty field in CSV, `null` in JSON, a null in Parquet.
- Parquet types come from the declared SQLite types (INTEGER → int64, REAL → float64,
  TEXT and BLOB → string); a view column without a declared type is TEXT.
Rows are read and written in chunks of EXPORT_CHUNK_ROWS, so memory stays bounded however large
the store. Each file is written under a temporary name and renamed when complete.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, TextIO

import sqlite_utils

from blocwatch.errors import BlocwatchError
from blocwatch.export_formats import ExportFormat
from blocwatch.store.schema import DATA_TABLES, RECONCILED_TABLES, REFERENCE_TABLES, open_store

VIEWS = ("action_timeline",)
EXPORTED = tuple(dict.fromkeys((*DATA_TABLES, *RECONCILED_TABLES, *REFERENCE_TABLES, *VIEWS)))
# Rows per read and per Parquet row group: documents rows carry whole article texts (tens of
# kB each), so 1,000 rows keep a chunk in the tens of MB while amortising per-call overhead.
EXPORT_CHUNK_ROWS = 1_000

# Declared SQLite type → Arrow type name; anything else (TEXT, BLOB as hex, untyped) is a string.
_ARROW_TYPES = {"INTEGER": "int64", "REAL": "float64"}
_PARTIAL_SUFFIX = ".partial"


def export_tables(db_path: str | Path, fmt: ExportFormat | str, out_dir: Path) -> list[Path]:
    """Write every exported table of the store to `out_dir/<table>.<fmt>`; return the paths.

    `out_dir` is created when missing; a path that exists and is not a directory is refused.
    Files of the same names are replaced, other files are left alone.
    """
    fmt = ExportFormat(fmt)
    if out_dir.exists() and not out_dir.is_dir():
        raise BlocwatchError(f"{out_dir} exists and is not a directory; choose another --out")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise BlocwatchError(f"cannot create {out_dir}: {error}") from error
    db = open_store(db_path, create=False)
    try:
        return [_export_one(db, table, fmt, out_dir) for table in EXPORTED]
    finally:
        db.close()


def column_types(db: sqlite_utils.Database, table: str) -> list[tuple[str, str]]:
    """(name, declared SQLite type) of a table's or view's columns; untyped columns are TEXT."""
    return [
        (name, (declared or "TEXT").split()[0].upper())
        for _cid, name, declared, *_rest in db.execute(f'PRAGMA table_info("{table}")')
    ]


def _chunks(db: sqlite_utils.Database, table: str, columns: Sequence[str]) -> Iterator[list[Any]]:
    """The rows of `table` in chunks (BLOBs as hex), in rowid or key order for stable files."""
    quoted = ", ".join(f'"{c}"' for c in columns)
    cursor = db.conn.execute(f'SELECT {quoted} FROM "{table}"{_order_by(db, table)}')
    while rows := cursor.fetchmany(EXPORT_CHUNK_ROWS):
        yield [tuple(v.hex() if isinstance(v, bytes) else v for v in row) for row in rows]


def _order_by(db: sqlite_utils.Database, table: str) -> str:
    if table in VIEWS:
        return ' ORDER BY "action_key", "report_id"'
    keys = db.table(table).pks
    return " ORDER BY " + ", ".join(f'"{k}"' for k in keys)


def _export_one(db: sqlite_utils.Database, table: str, fmt: ExportFormat, out_dir: Path) -> Path:
    columns = column_types(db, table)
    path = out_dir / f"{table}.{fmt.value}"
    partial = path.with_name(path.name + _PARTIAL_SUFFIX)
    chunks = _chunks(db, table, [name for name, _ in columns])
    try:
        if fmt is ExportFormat.PARQUET:
            _write_parquet(partial, columns, chunks)
        else:
            writer = _write_csv if fmt is ExportFormat.CSV else _write_json
            with partial.open("w", encoding="utf-8", newline="") as handle:
                writer(handle, [name for name, _ in columns], chunks)
        os.replace(partial, path)
    except OSError as error:
        raise BlocwatchError(f"cannot write {path}: {error}") from error
    finally:
        partial.unlink(missing_ok=True)  # only left when something failed
    return path


def _write_csv(handle: TextIO, columns: list[str], chunks: Iterator[list[Any]]) -> None:
    writer = csv.writer(handle)
    writer.writerow(columns)
    for chunk in chunks:
        writer.writerows(chunk)


def _write_json(handle: TextIO, columns: list[str], chunks: Iterator[list[Any]]) -> None:
    """A JSON array of objects, one per line, written as it is read."""
    handle.write("[")
    separator = "\n"
    for chunk in chunks:
        for row in chunk:
            handle.write(separator)
            handle.write(json.dumps(dict(zip(columns, row, strict=True)), ensure_ascii=False))
            separator = ",\n"
    handle.write("\n]\n")


def _write_parquet(path: Path, columns: list[tuple[str, str]], chunks: Iterator[list[Any]]) -> None:
    # Imported here: pyarrow takes a noticeable time to load, and only Parquet needs it.
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema(
        [(name, pa.type_for_alias(_ARROW_TYPES.get(kind, "string"))) for name, kind in columns]
    )
    with pq.ParquetWriter(path, schema) as writer:
        for rows in chunks:
            arrays = [
                pa.array([row[i] for row in rows], type=field.type)
                for i, field in enumerate(schema)
            ]
            writer.write_batch(pa.RecordBatch.from_arrays(arrays, schema=schema))
