"""The relevance prefilter alone: docs/s on one core, what it lets through, recall on gold.

The corpus is bench/make_corpus.py output (generated here unless --corpus is given: 2,000
documents, 1 % relevant, 20 % "world" news naming states). Documents are read and cleaned as
`blocwatch run` does, then `prefilter.check` runs on every clean text; its speed is CPU time of
this process (one core, so other work on the machine does not skew it), best of --repeat passes.
Pass rates are per kind of document in the manifest (irrelevant local news, world news,
relevant, gold). Gold recall: every article of ../shared/devset, devset2, eval/seeds_gold (texts
in corpus/seeds) and examples/gold with at least one gold joint action must pass.

    python bench/prefilter_speed.py [--n 2000] [--world-share 0.2] [--corpus DIR] [--json]

The last line printed is one JSON object with every number (bench/scale.py reads it).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SHARED = REPO.parent / "shared"
sys.path.insert(0, str(HERE))

from make_corpus import main as make_corpus  # noqa: E402

from blocwatch.clean import prepare  # noqa: E402
from blocwatch.ingest import read_inputs  # noqa: E402
from blocwatch.model import Article, Reject  # noqa: E402
from blocwatch.nlp.prefilter import check  # noqa: E402
from blocwatch.settings import Options  # noqa: E402

# (gold JSON directory, where the texts the pipeline reads are)
GOLD_SETS = {
    "devset": (SHARED / "devset", SHARED / "devset"),
    "devset2": (SHARED / "devset2", SHARED / "devset2"),
    "seeds_gold": (SHARED / "eval" / "seeds_gold", SHARED / "corpus" / "seeds"),
    "examples": (REPO / "examples" / "gold", REPO / "examples" / "gold"),
}
WARM_UP = (
    "Russia and China signed a joint letter.\nIt was adopted 20-3 at the General Assembly; "
    "37 countries backed it."
)


def read_articles(source: Path) -> list[Article]:
    """Clean articles as `blocwatch run` stores them (rejects dropped)."""
    options = Options()
    return [
        prepare(item, options)
        for item in read_inputs([str(source)], options)
        if not isinstance(item, Reject)
    ]


def kind_of(article: Article, kinds: dict[str, str]) -> str:
    key = article.external_id or Path(article.source).stem
    return kinds.get(key, "irrelevant")


def gold_recall() -> dict[str, list[int]]:
    """Per gold set: [articles with an action that pass, articles with an action]."""
    recall: dict[str, list[int]] = {}
    for name, (gold_dir, texts) in GOLD_SETS.items():
        if not gold_dir.is_dir():
            continue
        actions: dict[str, int] = {}
        for path in gold_dir.glob("*.json"):
            gold = json.loads(path.read_text(encoding="utf-8"))
            count = len(gold.get("joint_actions") or [])
            actions[str(gold["id"])] = actions[path.name.removesuffix(".json")] = count
        passed = total = 0
        for article in read_articles(texts):
            key = article.external_id or Path(article.source).name
            if actions.get(key, actions.get(Path(article.source).name, 0)):
                total += 1
                verdict = check(article.clean_text, article.language)
                passed += verdict.passed
                if not verdict.passed:
                    print(f"MISSED {article.source}: {verdict.reason}", file=sys.stderr)
        recall[name] = [passed, total]
    return recall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, help="a make_corpus.py output directory")
    parser.add_argument("--n", type=int, default=2000, help="documents to generate")
    parser.add_argument("--world-share", type=float, default=0.2)
    parser.add_argument("--repeat", type=int, default=3, help="timed passes (best is kept)")
    parser.add_argument("--json", action="store_true", help="(accepted; JSON is always last)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="blocwatch-prefilter-") as tmp:
        corpus = args.corpus
        if corpus is None:
            corpus = Path(tmp) / "corpus"
            make_corpus(["--n", str(args.n), "--out", str(corpus), "--formats", "jsonl",
                         "--world-share", str(args.world_share)])  # fmt: skip
        manifest = json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))
        articles = read_articles(corpus)
    kinds = {i: "relevant" for i in manifest.get("relevant_ids", [])}
    kinds |= {i: "world" for i in manifest.get("world_ids", [])}
    kinds |= {i: "gold" for i in manifest.get("gold_ids", [])}
    pairs = [(a.clean_text, a.language) for a in articles]
    check(WARM_UP, "en")  # loads the tables and the state gazetteer once
    best = float("inf")
    for _ in range(args.repeat):
        started = time.process_time()
        verdicts = [check(text, language) for text, language in pairs]
        best = min(best, time.process_time() - started)
    seen: Counter[str] = Counter()
    passed: Counter[str] = Counter()
    for article, verdict in zip(articles, verdicts, strict=True):
        kind = kind_of(article, kinds)
        seen[kind] += 1
        passed[kind] += verdict.passed
    words = sum(len(text.split()) for text, _ in pairs) / max(1, len(pairs))
    result = {
        "documents": len(pairs),
        "words_per_doc": round(words),
        "docs_per_s": round(len(pairs) / best) if best > 0 else None,
        "pass_rate_percent": round(100 * sum(passed.values()) / max(1, len(pairs)), 1),
        "passed_by_kind": {k: [passed[k], seen[k]] for k in sorted(seen)},
        "gold_recall": gold_recall(),
    }
    print(f"{result['documents']} documents, {result['words_per_doc']} words each on average")
    print(f"prefilter: {result['docs_per_s']} docs/s on one core (CPU time, best of {args.repeat})")
    for kind, (ok, total) in result["passed_by_kind"].items():  # type: ignore[attr-defined]
        print(f"  {kind:<10} passed {ok:>5} / {total:<5} ({100 * ok / max(1, total):.1f} %)")
    for name, (ok, total) in result["gold_recall"].items():  # type: ignore[attr-defined]
        print(f"  gold recall {name:<10} {ok} / {total}")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
