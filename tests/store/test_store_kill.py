"""A writer killed with SIGKILL mid-run leaves a sound DB, and re-running gives the clean result."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pytest

from blocwatch.settings import Options
from blocwatch.store import (
    begin_run,
    data_dump,
    integrity_problems,
    open_store,
    table_counts,
    write_batch,
)

from .helpers import dump, make_batches

ROOT = Path(__file__).resolve().parents[2]
# Enough batches that the child is still writing when killed after KILL_AFTER commits; each
# batch adds exactly PER_BATCH documents, so a partial batch would show in the count.
COUNT, PER_BATCH, KILL_AFTER = 150, 25, 4


@pytest.mark.slow
def test_killed_writer_then_rerun_equals_clean_run(tmp_path: Path) -> None:
    killed_path = tmp_path / "killed.db"
    child = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.store.writer_child",
            str(killed_path),
            str(COUNT),
            str(PER_BATCH),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    committed = -1
    while committed < KILL_AFTER:
        line = child.stdout.readline()
        assert line, (
            f"writer exited early: {child.wait()} {child.stderr.read() if child.stderr else ''}"
        )
        committed = int(line)
    child.send_signal(signal.SIGKILL)
    assert child.wait() == -signal.SIGKILL, "the writer finished before it could be killed"

    db = open_store(killed_path)
    assert integrity_problems(db) == []
    stored = table_counts(db)["documents"]
    print(f"killed after {stored // PER_BATCH} committed batches")
    assert stored >= (KILL_AFTER + 1) * PER_BATCH
    assert stored % PER_BATCH == 0, "a batch was half written"
    assert stored < COUNT * PER_BATCH

    run_id = begin_run(db, "rerun", [], Options())
    statuses = [row["status"] for row in db.query("SELECT status FROM runs ORDER BY id")]
    assert statuses == ["interrupted", "running"]
    batches = make_batches(COUNT, PER_BATCH)
    for batch in batches:
        write_batch(db, *batch)
    db.close()

    clean = open_store(tmp_path / "clean.db")
    for batch in batches:
        write_batch(clean, *batch)
    assert table_counts(clean)["documents"] == COUNT * PER_BATCH
    rerun = open_store(killed_path)
    assert list(data_dump(clean)) == list(data_dump(rerun))
    rerun.close()
    clean.close()
    assert dump(killed_path) == dump(tmp_path / "clean.db")
    assert run_id == 2
