"""Cost of blocwatch's recognisers and extractor on top of spaCy, measured side by side.

Generates N news-like documents (bench/make_corpus.py, deterministic, 5 % relevant), cleans them
once, then times on the same documents in one process:
  A. en_core_web_sm alone (the model's own components, as blocwatch loads it),
  B. the full blocwatch pipeline: the same model + our components + joint-action extraction.
Prints docs/s of each and the overhead of B over A. Run: `python bench/nlp_overhead.py --n 2000`.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from make_corpus import main as make_corpus  # noqa: E402

from blocwatch.clean import prepare  # noqa: E402
from blocwatch.ingest import read_inputs  # noqa: E402
from blocwatch.model import Article  # noqa: E402
from blocwatch.nlp.build import EXCLUDED, build_nlp  # noqa: E402
from blocwatch.pipeline import process_many  # noqa: E402
from blocwatch.settings import Options  # noqa: E402


def _articles(n: int, directory: Path, options: Options) -> list[Article]:
    make_corpus(
        ["--n", str(n), "--out", str(directory), "--formats", "jsonl", "--relevant-share", "0.05"]
    )
    items = read_inputs([str(directory)], options)
    return [prepare(item, options) for item in items if not hasattr(item, "reason")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--batch-size", type=int, default=32)
    args = parser.parse_args()
    options = Options()
    with tempfile.TemporaryDirectory(prefix="blocwatch-bench-") as tmp:
        articles = _articles(args.n, Path(tmp) / "corpus", options)
    import spacy

    plain = spacy.load(options.spacy_model, exclude=list(EXCLUDED))
    full = build_nlp(options)
    texts = [a.clean_text for a in articles]
    words = sum(len(t.split()) for t in texts)
    plain.pipe(texts[:50])  # warm-up both
    list(process_many(articles[:50], full))

    started = time.perf_counter()
    for _ in plain.pipe(texts, batch_size=args.batch_size):
        pass
    spacy_seconds = time.perf_counter() - started

    started = time.perf_counter()
    actions = sum(len(f.joint_actions) for f in process_many(articles, full, args.batch_size))
    full_seconds = time.perf_counter() - started

    n = len(articles)
    result = {
        "documents": n,
        "words_per_document": round(words / n),
        "spacy_docs_per_s": round(n / spacy_seconds, 1),
        "full_docs_per_s": round(n / full_seconds, 1),
        "overhead_percent": round(100 * (full_seconds / spacy_seconds - 1), 1),
        "joint_actions_found": actions,
    }
    print(f"{n} documents, {result['words_per_document']} words each, batch {args.batch_size}")
    print(f"{'pipeline':<34}{'docs/s':>10}{'seconds':>10}")
    print(f"{'spaCy en_core_web_sm alone':<34}{n / spacy_seconds:>10.1f}{spacy_seconds:>10.1f}")
    print(f"{'blocwatch (spaCy + ours)':<34}{n / full_seconds:>10.1f}{full_seconds:>10.1f}")
    print(f"overhead of our components + extractor: {result['overhead_percent']:+.1f} %")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
