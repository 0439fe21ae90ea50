"""Parquet written by the Spark runner's tasks (runners/parquet_parts.py), in plain Python: one
file per table and task, typed like the SQLite table, visible only once complete, and a folder
`blocwatch load` accepts."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from blocwatch.errors import RejectReason
from blocwatch.model import Reject
from blocwatch.runners import parquet_parts
from blocwatch.runners.load import parquet_files
from blocwatch.runners.parquet_parts import (
    SUCCESS_MARKER,
    OutputError,
    arrow_schema,
    arrow_uri,
    finish_output,
    output_filesystem,
    prepare_output,
    write_part,
)
from blocwatch.runners.spark_tasks import OUTPUT_TABLES, Tagged, reject_row, table_columns


def _reject(n: int, reason: RejectReason = RejectReason.MALFORMED_JSON) -> Tagged:
    return reject_row(Reject(f"in.jsonl:{n}", reason, f"line {n} is not JSON"))


def _extraction(n: int, extractor: str) -> Tagged:
    return "extractions", (f"doc{n:04d}", extractor, 0)


def test_a_task_writes_one_typed_file_per_table_and_counts_its_rows(tmp_path: Path) -> None:
    out = str(tmp_path / "out")
    prepare_output(out)
    rows = [
        _reject(1),
        _reject(2, RejectReason.MISSING_TEXT),
        _extraction(1, "v1"),
        _extraction(2, "v1:prefiltered"),
    ]
    (counts,) = list(write_part(3, iter(rows), out))
    assert counts == {
        "rejects:malformed_json": 1,
        "rejects:missing_text": 1,
        "extractions": 1,
        "extractions:prefiltered": 1,
    }
    for table in ("rejects", "extractions"):
        assert os.listdir(tmp_path / "out" / table) == ["part-00003.parquet"]
        written = pq.read_table(tmp_path / "out" / table / "part-00003.parquet")
        assert written.schema == arrow_schema(table_columns()[table])
    read = pq.read_table(tmp_path / "out" / "rejects" / "part-00003.parquet").to_pylist()
    assert [r["source"] for r in read] == ["in.jsonl:1", "in.jsonl:2"]
    assert os.listdir(tmp_path / "out" / "documents") == []  # no row, no file


def test_rows_are_flushed_in_groups_and_keep_their_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parquet_parts, "GROUP_ROWS", 3)
    out = str(tmp_path / "out")
    prepare_output(out)
    list(write_part(0, (_reject(n) for n in range(10)), out))
    file = pq.ParquetFile(tmp_path / "out" / "rejects" / "part-00000.parquet")
    assert file.metadata.num_row_groups == 4
    assert [r["source"] for r in file.read().to_pylist()] == [f"in.jsonl:{n}" for n in range(10)]


def test_a_failing_task_leaves_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parquet_parts, "GROUP_ROWS", 1)  # the file is open when the task fails
    out = str(tmp_path / "out")
    prepare_output(out)

    def rows() -> Iterator[Tagged]:
        yield _reject(1)
        raise RuntimeError("the worker died")

    with pytest.raises(RuntimeError, match="the worker died"):
        list(write_part(0, rows(), out))
    assert os.listdir(tmp_path / "out" / "rejects") == []


def test_finished_output_has_every_table_and_loads(tmp_path: Path) -> None:
    out = str(tmp_path / "out")
    (tmp_path / "out" / "rejects").mkdir(parents=True)
    (tmp_path / "out" / "rejects" / "part-00009.parquet").write_text("an older run")
    prepare_output(out)  # a new run replaces an old one
    counts = next(write_part(0, iter([_reject(1)]), out))
    finish_output(out, {"rejects": sum(counts.values())})
    for table in OUTPUT_TABLES:
        assert (tmp_path / "out" / table / SUCCESS_MARKER).is_file()
    files = parquet_files(tmp_path / "out")
    assert [f.name for f in files["rejects"]] == ["part-00000.parquet"]
    (empty,) = files["documents"]
    assert pq.read_table(empty).num_rows == 0
    assert pq.read_schema(empty) == arrow_schema(table_columns()["documents"])


def test_output_uris() -> None:
    assert arrow_uri("s3a://bucket/runs/x") == "s3://bucket/runs/x"
    assert arrow_uri("hdfs://nn:8020/x") == "hdfs://nn:8020/x"
    assert arrow_uri("out/x") == os.path.join(os.getcwd(), "out/x")
    with pytest.raises(OutputError, match="cannot write to nosuch://"):
        output_filesystem("nosuch://bucket/x")
