"""Ingest throughput and peak memory on generated news, measured side by side in one run.

Generates a 2,000-document corpus per input format with bench/make_corpus.py (deterministic, no
downloads), then runs `blocwatch ingest` on each in a fresh process and prints docs/s, the ratio
to the plain-text run, and the child's peak RSS. Run with `make bench` or
`python bench/ingest_throughput.py --n 2000`.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
BLOCWATCH = Path(sys.executable).with_name("blocwatch")


def _peak_rss_mib_of_children() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def _generate(n: int, formats: str, out: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            str(HERE / "make_corpus.py"),
            "--n",
            str(n),
            "--out",
            str(out),
            "--formats",
            formats,
            "--relevant-share",
            "0.05",
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )


def _ingest(corpus: Path, db: Path) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of one `blocwatch ingest` process."""
    started = time.perf_counter()
    subprocess.run(
        [str(BLOCWATCH), "ingest", str(corpus), "--db", str(db), "--quiet"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    seconds = time.perf_counter() - started
    # RUSAGE_CHILDREN reports the largest child so far: run the biggest-memory case last or read
    # it per run from a fresh interpreter. We measure each run in its own wrapper process.
    return seconds, _peak_rss_mib_of_children()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=2000, help="documents per corpus")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="blocwatch-bench-") as tmp:
        for formats in ("txt", "jsonl", "html", "txt,html,jsonl"):
            corpus = Path(tmp) / formats.replace(",", "-")
            _generate(args.n, formats, corpus)
            db = Path(tmp) / f"{corpus.name}.db"
            # A wrapper process per run so each peak RSS is that run's own.
            probe = subprocess.run(
                [sys.executable, __file__, "--probe", str(corpus), str(db)],
                check=True,
                capture_output=True,
                text=True,
            )
            seconds, rss = (float(x) for x in probe.stdout.split())
            rows.append((formats, args.n / seconds, seconds, rss))
    base = rows[0][1]
    print(f"ingest of {args.n} generated documents per corpus; {os.cpu_count()} cores")
    print(f"{'formats':<16}{'docs/s':>10}{'vs txt':>9}{'seconds':>10}{'peak RSS MiB':>15}")
    for formats, rate, seconds, rss in rows:
        print(f"{formats:<16}{rate:>10.1f}{rate / base:>8.2f}x{seconds:>10.1f}{rss:>15.0f}")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--probe":
        wall, peak = _ingest(Path(sys.argv[2]), Path(sys.argv[3]))
        print(wall, peak)
    else:
        main()
