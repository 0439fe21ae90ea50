"""How blocwatch's cost grows with corpus size, measured in one run on this machine.

For each size (default 1k, 10k, 100k documents, 1 % relevant, JSONL like a CC-NEWS export) the
corpus comes from bench/make_corpus.py, with the gold texts of ../shared mixed in when present
(read at run time into bench/data/, never committed). Then, side by side:

  prefilter      docs/s of the relevance prefilter alone (one core) and its pass rate
  nlp            en_core_web_sm alone vs the full blocwatch pipeline, docs/s and ratio
                 (bench/nlp_overhead.py on relevant-heavy documents, where the work is)
  end to end     `blocwatch run` (ingest + dedup + prefilter + extraction + reconcile) per size
                 in a fresh process: wall time, docs/s, peak RSS of the whole process tree,
                 and the time extrapolated to 150,000 articles
  spark          `blocwatch spark` on local[1] vs local[2] over the same corpus (bench/
                 spark_speedup.py): wall time and speed-up

Prints a Markdown table (the one in docs/performance.md) and one JSON line with every number.
Run with `make bench-scale` or `python bench/scale.py --sizes 1000,10000,100000`.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import psutil

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SHARED = REPO.parent / "shared"
BLOCWATCH = Path(sys.executable).with_name("blocwatch")
GOLD_DIRS = ("devset", "devset2", "eval/seeds_gold")
# Memory is sampled this often; a run's peak between two samples can be missed by a few MiB,
# which is noise next to the hundreds of MiB measured.
RSS_SAMPLE_SECONDS = 0.2
EXTRAPOLATE_TO = 150_000


@dataclass
class EndToEnd:
    documents: int
    seconds: float
    docs_per_s: float
    peak_rss_mib: float
    db_mib: float
    hours_for_150k: float


def corpus_for(n: int, share: float, work: Path) -> Path:
    """Generate (or reuse) a JSONL corpus of n documents."""
    out = work / f"mixed-{n}"
    manifest = out / "manifest.json"
    if manifest.exists():
        seen = json.loads(manifest.read_text(encoding="utf-8"))
        if seen.get("n") == n and seen.get("relevant_share") == share:
            return out
    gold = [str(SHARED / d) for d in GOLD_DIRS if (SHARED / d).is_dir()]
    command = [sys.executable, str(HERE / "make_corpus.py"), "--n", str(n), "--out", str(out)]
    command += ["--formats", "jsonl", "--relevant-share", str(share)]
    if gold:
        command += ["--from-gold", *gold]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return out


def tree_rss(process: psutil.Process) -> int:
    """Resident bytes of a process and all its children (spaCy workers, the JVM)."""
    total = 0
    for p in [process, *process.children(recursive=True)]:
        try:
            total += p.memory_info().rss
        except psutil.Error:
            continue
    return total


def timed(command: list[str]) -> tuple[float, float, str]:
    """Wall seconds, peak RSS (MiB) of the process tree, and stdout of one command."""
    with tempfile.TemporaryFile(mode="w+") as stdout:
        started = time.perf_counter()
        child = subprocess.Popen(command, stdout=stdout, stderr=subprocess.PIPE, text=True)
        watched = psutil.Process(child.pid)
        peak = 0
        while child.poll() is None:
            peak = max(peak, tree_rss(watched))
            time.sleep(RSS_SAMPLE_SECONDS)
        seconds = time.perf_counter() - started
        errors = child.stderr.read() if child.stderr else ""
        if child.returncode != 0:
            raise SystemExit(f"{' '.join(command)} failed ({child.returncode}):\n{errors}")
        stdout.seek(0)
        return seconds, peak / 2**20, stdout.read()


def end_to_end(corpus: Path, n: int, work: Path) -> EndToEnd:
    db = work / f"run-{n}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    seconds, peak, _ = timed([str(BLOCWATCH), "run", str(corpus), "--db", str(db), "--quiet"])
    return EndToEnd(
        documents=n,
        seconds=round(seconds, 1),
        docs_per_s=round(n / seconds, 1),
        peak_rss_mib=round(peak),
        db_mib=round(db.stat().st_size / 2**20, 1),
        hours_for_150k=round(seconds / n * EXTRAPOLATE_TO / 3600, 2),
    )


def last_json_line(text: str) -> dict[str, object]:
    for line in reversed(text.strip().splitlines()):
        if line.startswith("{"):
            parsed: dict[str, object] = json.loads(line)
            return parsed
    raise SystemExit(f"no JSON result line in:\n{text}")


def run_script(script: str, *args: str) -> dict[str, object]:
    _, _, out = timed([sys.executable, str(HERE / script), *args])
    return last_json_line(out)


def machine() -> str:
    memory = psutil.virtual_memory().total / 2**30
    cpu = platform.processor() or platform.machine()
    return (
        f"{os.cpu_count()} cores ({cpu}), {memory:.0f} GiB RAM, no GPU, Python "
        f"{platform.python_version()}, {platform.system()} {platform.release()}"
    )


def print_table(results: dict[str, object], runs: list[EndToEnd]) -> None:
    print(f"\nMachine: {results['machine']}\n")
    pre = results.get("prefilter")
    if isinstance(pre, dict):
        print(
            f"- prefilter: {pre.get('docs_per_s')} docs/s on one core, passes "
            f"{pre.get('pass_rate_percent')} % of the {pre.get('documents')} documents"
        )
    nlp = results.get("nlp")
    if isinstance(nlp, dict):
        print(
            f"- spaCy alone {nlp.get('spacy_docs_per_s')} docs/s, full pipeline "
            f"{nlp.get('full_docs_per_s')} docs/s ({nlp.get('overhead_percent')} % overhead)"
        )
    print("\n| documents | wall s | docs/s | peak RSS MiB | DB MiB | hours for 150k |")
    print("|---:|---:|---:|---:|---:|---:|")
    for r in runs:
        print(
            f"| {r.documents:,} | {r.seconds} | {r.docs_per_s} | {r.peak_rss_mib:.0f} | "
            f"{r.db_mib} | {r.hours_for_150k} |"
        )
    if len(runs) >= 2 and runs[-2].peak_rss_mib:
        ratio = runs[-1].peak_rss_mib / runs[-2].peak_rss_mib
        print(
            f"\npeak RSS at {runs[-1].documents:,} / at {runs[-2].documents:,} docs: {ratio:.2f}x"
        )
    spark = results.get("spark")
    if isinstance(spark, dict):
        print(
            f"- spark on {spark.get('documents')} docs: local[1] {spark.get('local1_seconds')} s, "
            f"local[2] {spark.get('local2_seconds')} s, speed-up {spark.get('speedup')}x"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--relevant-share", type=float, default=0.01)
    parser.add_argument("--work", type=Path, default=HERE / "data" / "scale")
    parser.add_argument("--nlp-n", type=int, default=1000, help="documents for spaCy vs full")
    parser.add_argument("--spark-n", type=int, default=10000, help="0 skips the Spark runs")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    args.work.mkdir(parents=True, exist_ok=True)
    results: dict[str, object] = {"machine": machine(), "relevant_share": args.relevant_share}

    mid = corpus_for(sizes[min(1, len(sizes) - 1)], args.relevant_share, args.work)
    results["prefilter"] = run_script("prefilter_speed.py", "--corpus", str(mid), "--json")
    results["nlp"] = run_script("nlp_overhead.py", "--n", str(args.nlp_n))
    runs = []
    for n in sizes:
        corpus = corpus_for(n, args.relevant_share, args.work)
        runs.append(end_to_end(corpus, n, args.work))
        print(f"end to end {n:,}: {asdict(runs[-1])}", file=sys.stderr)
    results["end_to_end"] = [asdict(r) for r in runs]
    if args.spark_n:
        corpus = corpus_for(args.spark_n, args.relevant_share, args.work)
        results["spark"] = run_script("spark_speedup.py", "--corpus", str(corpus), "--json")
    print_table(results, runs)
    print(json.dumps(results))


if __name__ == "__main__":
    main()
