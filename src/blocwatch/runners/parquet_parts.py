"""Parquet written by the Spark runner's Python workers themselves, one file per table and task.

Handing rows to the JVM to write them costs a pickled round trip per row, a cached DataFrame and
a Spark job per table; here each task streams its rows into pyarrow writers and returns only
its row counts, so writing scales with the workers. Files appear the way Spark's own writer
makes them: OUT/<table>/part-NNNNN.parquet, written under a hidden name and renamed when
complete (a retried or speculative task renames the same bytes over the same name), then a
`_SUCCESS` marker per table once the driver has every task's counts. Paths go through
`pyarrow.fs`, so OUT may be a local folder or a URI pyarrow opens (s3://, gs://, hdfs://...).
"""

from __future__ import annotations

import posixpath
import uuid
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa
import pyarrow.fs as pafs
import pyarrow.parquet as pq

from blocwatch.errors import BlocwatchError
from blocwatch.runners.spark_tasks import OUTPUT_TABLES, Column, Tagged, count_key, table_columns

SUCCESS_MARKER = "_SUCCESS"
# Rows buffered per table before they become a row group, and the text bytes that flush sooner:
# a task's memory stays a few row groups whatever the partition's size.
GROUP_ROWS = 5_000
GROUP_BYTES = 32 * 1024 * 1024
# Hadoop URI schemes pyarrow knows under another name.
_SCHEME_ALIASES = {"s3a": "s3", "s3n": "s3"}
_ARROW_TYPES: dict[str, pa.DataType] = {
    "TEXT": pa.string(),
    "INTEGER": pa.int64(),
    "REAL": pa.float64(),
    "BLOB": pa.binary(),
}


def arrow_schema(columns: Sequence[Column]) -> pa.Schema:
    """The Parquet schema of an output table, from its SQLite columns (NOT NULL kept)."""
    return pa.schema(
        [pa.field(c.name, _ARROW_TYPES[c.type], nullable=not c.not_null) for c in columns]
    )


def arrow_uri(out: str) -> str:
    """An --out folder as pyarrow names it: local paths absolute, Hadoop's s3a:// as s3://."""
    scheme, sep, rest = out.partition("://")
    if not sep:
        return posixpath.abspath(out)
    return f"{_SCHEME_ALIASES.get(scheme, scheme)}://{rest}"


class OutputError(BlocwatchError):
    """An --out folder pyarrow cannot write to."""


def output_filesystem(out: str) -> tuple[pafs.FileSystem, str]:
    """The filesystem and root path of an --out folder (a local path or a URI).

    OutputError when pyarrow cannot open that kind of URI: said before any work starts."""
    out = arrow_uri(out)
    if "://" not in out:
        return pafs.LocalFileSystem(), out
    try:
        filesystem, path = pafs.FileSystem.from_uri(out)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, OSError) as exc:
        raise OutputError(f"cannot write to {out}: {exc}") from exc
    return filesystem, path.rstrip("/")


@dataclass
class _TableBuffer:
    """One table's rows waiting to become a row group, and the writer they go to."""

    schema: pa.Schema
    rows: list[tuple[Any, ...]] = field(default_factory=list)
    size: int = 0
    writer: pq.ParquetWriter | None = None


class PartWriter:
    """Every table's file for one task, opened on its first row (no empty files per task)."""

    def __init__(self, filesystem: pafs.FileSystem, root: str, part: int) -> None:
        self._filesystem = filesystem
        self._root = root
        self._name = f"part-{part:05d}.parquet"
        self._hidden = f".{self._name}.{uuid.uuid4().hex}.tmp"
        self._buffers: dict[str, _TableBuffer] = {}

    def add(self, table: str, row: tuple[Any, ...]) -> None:
        buffer = self._buffers.get(table)
        if buffer is None:
            schema = arrow_schema(table_columns()[table])
            buffer = self._buffers[table] = _TableBuffer(schema)
        buffer.rows.append(row)
        buffer.size += sum(len(v) for v in row if isinstance(v, (str, bytes)))
        if len(buffer.rows) >= GROUP_ROWS or buffer.size >= GROUP_BYTES:
            self._flush(table, buffer)

    def close(self) -> None:
        """Flush every table and give each file its final name."""
        for table, buffer in self._buffers.items():
            self._flush(table, buffer)
            if buffer.writer is not None:
                buffer.writer.close()
                folder = posixpath.join(self._root, table)
                self._filesystem.move(
                    posixpath.join(folder, self._hidden), posixpath.join(folder, self._name)
                )

    def abort(self) -> None:
        """Close and delete the unfinished files of a failed task (the retry writes anew)."""
        for table, buffer in self._buffers.items():
            if buffer.writer is not None:
                buffer.writer.close()
                self._filesystem.delete_file(posixpath.join(self._root, table, self._hidden))

    def _flush(self, table: str, buffer: _TableBuffer) -> None:
        if not buffer.rows:
            return
        if buffer.writer is None:
            path = posixpath.join(self._root, table, self._hidden)
            buffer.writer = pq.ParquetWriter(path, buffer.schema, filesystem=self._filesystem)
        columns = list(zip(*buffer.rows, strict=True))
        arrays = [
            pa.array(values, type=column.type)
            for values, column in zip(columns, buffer.schema, strict=True)
        ]
        buffer.writer.write_batch(pa.RecordBatch.from_arrays(arrays, schema=buffer.schema))
        buffer.rows, buffer.size = [], 0


def write_part(part: int, rows: Iterable[Tagged], out: str) -> Iterator[dict[str, int]]:
    """Write one task's rows under `out`; yield its row count per count key (`count_key`)."""
    filesystem, root = output_filesystem(out)
    writer = PartWriter(filesystem, root, part)
    counts: Counter[str] = Counter()
    try:
        for tagged in rows:
            writer.add(*tagged)
            counts[count_key(tagged)] += 1
    except BaseException:
        writer.abort()
        raise
    writer.close()
    yield dict(counts)


def prepare_output(out: str) -> None:
    """Empty every table's folder under `out` (created if missing): a run overwrites a run."""
    filesystem, root = output_filesystem(out)
    for table in OUTPUT_TABLES:
        folder = posixpath.join(root, table)
        filesystem.create_dir(folder, recursive=True)
        filesystem.delete_dir_contents(folder)


def finish_output(out: str, rows: Mapping[str, int]) -> None:
    """After every task: a typed empty file for each table no task wrote, then the markers
    `blocwatch load` checks (a folder without one is a job that died half-way)."""
    filesystem, root = output_filesystem(out)
    columns = table_columns()
    for table in OUTPUT_TABLES:
        folder = posixpath.join(root, table)
        if not rows.get(table):
            empty = arrow_schema(columns[table]).empty_table()
            path = posixpath.join(folder, "part-empty.parquet")
            pq.write_table(empty, path, filesystem=filesystem)
        with filesystem.open_output_stream(posixpath.join(folder, SUCCESS_MARKER)):
            pass
