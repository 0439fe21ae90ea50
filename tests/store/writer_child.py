"""Child process for the kill test: write batches forever-ish, print each committed batch number.

Run as `python -m tests.store.writer_child DB COUNT PER_BATCH` from the repository root.
"""

from __future__ import annotations

import sys

from blocwatch.settings import Options
from blocwatch.store import begin_run, open_store, write_batch
from tests.store.helpers import make_batches


def main(db_path: str, count: int, per_batch: int) -> None:
    db = open_store(db_path)
    begin_run(db, "kill-test", [db_path], Options())
    for number, batch in enumerate(make_batches(count, per_batch)):
        write_batch(db, *batch)
        print(number, flush=True)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))
