"""Speed-up of `blocwatch spark` from one core to two: local[1] vs local[2] on the same corpus.

Generates N news-like documents (bench/make_corpus.py, JSONL, deterministic), then runs the real
command `blocwatch spark CORPUS --out DIR --master M` in a fresh process per master, so each
time includes what a user waits for: JVM and context start, Python workers importing blocwatch
and loading spaCy, reading, cleaning, extraction and the Parquet writes. A tiny run of
`--fixed-docs` documents on each master estimates the fixed part of that time (what does not
shrink with more cores). Prints wall time, docs/s and the speed-up; the machine's load average
is printed too, since another process on the same cores skews both runs, and so is the CPU time
of the run's processes: CPU/wall is how many cores it actually had.

    python bench/spark_speedup.py --n 2000 [--masters 'local[1],local[2]'] [--no-prefilter]
        [--relevant-share 0.05] [--fixed-docs 20]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import multiprocessing
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import psutil  # noqa: E402
from make_corpus import main as make_corpus  # noqa: E402

# Documents of the tiny run that measures fixed costs: enough to start every worker and write
# every table, too few for extraction time to matter.
FIXED_DOCS = 20
# How often the CPU time of the run's processes is read: short next to a run, and the time a
# process spends after its last sample is lost (at most this much per process).
SAMPLE_SECONDS = 0.5
# Iterations of the calibration loop: about a second of one core, long enough to even out noise.
CALIBRATION_LOOPS = 20_000_000


def _corpus(n: int, directory: Path, relevant_share: float) -> Path:
    make_corpus(
        [
            "--n",
            str(n),
            "--out",
            str(directory),
            "--formats",
            "jsonl",
            "--relevant-share",
            str(relevant_share),
        ]
    )
    return directory / "articles.jsonl"


def _run(corpus: Path, out: Path, master: str, extra: list[str]) -> tuple[float, float]:
    """Wall seconds and CPU seconds (the process and every descendant: JVM, Python workers,
    sampled every SAMPLE_SECONDS) of one `blocwatch spark` process."""
    command = [sys.executable, "-m", "blocwatch", "spark", str(corpus), "--out", str(out)]
    started = time.perf_counter()
    process = psutil.Popen(
        [*command, "--master", master, *extra],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "PYSPARK_PYTHON": sys.executable},
    )
    cpu: dict[int, float] = {}
    while process.poll() is None:
        for member in [process, *process.children(recursive=True)]:
            with contextlib.suppress(psutil.Error):  # a worker that just ended
                times = member.cpu_times()
                cpu[member.pid] = times.user + times.system
        time.sleep(SAMPLE_SECONDS)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed with status {process.returncode}")
    return time.perf_counter() - started, sum(cpu.values())


def _burn(_: int) -> float:
    """A fixed piece of pure-Python CPU work; returns its wall seconds."""
    started = time.perf_counter()
    total = 0
    for i in range(CALIBRATION_LOOPS):
        total += i % 7
    return time.perf_counter() - started


def _ceiling(workers: int) -> float:
    """The speed-up `workers` perfectly parallel processes get on this machine right now (each
    does the same work at once, compared with one alone): what other processes leave us."""
    with multiprocessing.get_context("spawn").Pool(workers) as pool:
        alone = pool.apply(_burn, (0,))
        together = max(pool.map(_burn, range(workers), chunksize=1))
    return workers * alone / together


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--masters", default="local[1],local[2]")
    parser.add_argument("--relevant-share", type=float, default=0.05)
    parser.add_argument(
        "--no-prefilter",
        action="store_true",
        help="read every document with spaCy (the NLP-bound case; default: prefilter on)",
    )
    parser.add_argument("--fixed-docs", type=int, default=FIXED_DOCS)
    parser.add_argument(
        "--corpus", type=Path, help="an existing make_corpus.py folder (its articles.jsonl)"
    )
    parser.add_argument("--json", action="store_true", help="also print one JSON result line")
    args = parser.parse_args()
    masters = args.masters.split(",")
    with tempfile.TemporaryDirectory(prefix="blocwatch-spark-bench-") as tmp:
        root = Path(tmp)
        if args.corpus:
            corpus = args.corpus / "articles.jsonl"
            args.n = sum(1 for _ in corpus.open(encoding="utf-8"))
        else:
            corpus = _corpus(args.n, root / "corpus", args.relevant_share)
        tiny = _corpus(args.fixed_docs, root / "tiny", args.relevant_share)
        size = corpus.stat().st_size / 1e6
        mode = "every document read" if args.no_prefilter else "prefilter on"
        print(f"{args.n} documents, {size:.1f} MB JSONL, {mode}; cores: {os.cpu_count()}")
        print(f"machine now: 2 CPU-bound processes run {_ceiling(2):.2f}× one (2.00 = idle)")
        walls: dict[str, float] = {}
        fixed_parts: dict[str, float] = {}
        extra = ["--no-prefilter"] if args.no_prefilter else []
        for master in masters:
            load = os.getloadavg()[0]
            fixed, _cpu = _run(tiny, root / f"tiny-{master}", master, extra)
            wall, cpu = _run(corpus, root / f"out-{master}", master, extra)
            walls[master] = wall
            fixed_parts[master] = fixed
            print(
                f"{master:>10}: {wall:7.1f} s  {args.n / wall:6.1f} docs/s  "
                f"CPU {cpu:.0f} s ({cpu / wall:.2f} cores busy)  "
                f"fixed ~{fixed:.1f} s ({args.fixed_docs} docs), "
                f"{args.n / max(wall - fixed, 1e-9):.1f} docs/s without it  [load {load:.1f}]"
            )
        if len(masters) >= 2:
            first, last = walls[masters[0]], walls[masters[-1]]
            print(f"speed-up {masters[0]} → {masters[-1]}: {first / last:.2f}×")
            print(f"machine now: 2 CPU-bound processes run {_ceiling(2):.2f}× one (2.00 = idle)")
        if args.json and len(masters) >= 2:
            first, last = walls[masters[0]], walls[masters[-1]]
            result = {
                "documents": args.n,
                "local1_seconds": round(first, 1),
                "local2_seconds": round(last, 1),
                "speedup": round(first / last, 2),
                "fixed_seconds": {m: round(v, 1) for m, v in fixed_parts.items()},
            }
            print(json.dumps(result))


if __name__ == "__main__":
    main()
