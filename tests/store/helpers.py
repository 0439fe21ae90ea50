"""Synthetic documents and batches for store tests (our own words, never news text)."""

from __future__ import annotations

import hashlib
import random
import sqlite3
from collections.abc import Sequence
from pathlib import Path

from blocwatch.errors import RejectReason
from blocwatch.model import Article, Duplicate, OffsetMap, Reject
from blocwatch.store import DATA_TABLES

# fmt: off
WORDS = (
    "delegation", "letter", "council", "states", "signed", "joint", "statement", "geneva",
    "session", "members", "ambassador", "vote", "motion", "abstained", "support", "criticize",
    "region", "policy", "human", "rights", "spokesperson", "said", "thirty", "fifty",
    "nations", "group", "behalf", "delivered", "committee", "third",
)
# fmt: on

Batch = tuple[list[tuple[Article, bytes, str]], list[Duplicate], list[Reject]]


def make_article(source: str, text: str, **metadata: str | None) -> Article:
    """An Article whose clean text is its text (identity offset map)."""
    doc_id = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return Article(
        id=doc_id,
        source=source,
        input_format="txt",
        text=text,
        clean_text=text,
        offsets=OffsetMap.identity(len(text)),
        **metadata,
    )


def entry(article: Article) -> tuple[Article, bytes, str]:
    """(article, minhash bytes, exact hash) as write_batch takes them."""
    signature = hashlib.sha256(article.clean_text.encode("utf-8", "surrogatepass")).digest() * 8
    return (
        article,
        signature,
        hashlib.sha256(article.clean_text.encode("utf-8", "surrogatepass")).hexdigest(),
    )


def synthetic_text(rng: random.Random, words: int) -> str:
    sentences = []
    while words > 0:
        n = min(words, rng.randint(6, 18))
        sentences.append(" ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + ".")
        words -= n
    return " ".join(sentences)


def make_batches(count: int, per_batch: int, seed: int = 7, words: int = 80) -> list[Batch]:
    """Deterministic batches: per batch `per_batch` new documents, a duplicate of a document of
    an earlier batch, and a reject. Every source appears once, as in one real run."""
    rng = random.Random(seed)
    batches: list[Batch] = []
    stored: list[str] = []
    for b in range(count):
        documents = [
            entry(
                make_article(
                    f"in/{b:04d}-{i:03d}.txt",
                    f"{b}.{i} " + synthetic_text(rng, words),
                    title=f"Report {b}.{i}",
                    outlet=rng.choice(["A", "B", None]),
                )
            )
            for i in range(per_batch)
        ]
        duplicates = []
        if stored:
            duplicates.append(
                Duplicate(f"copies/{b:04d}.txt", "txt", rng.choice(stored), "near", 0.9)
            )
        rejects = [Reject(f"bad/{b:04d}.bin", RejectReason.BINARY, f"{b} NUL bytes")]
        stored.extend(article.id for article, _, _ in documents)
        batches.append((documents, duplicates, rejects))
    return batches


def dump(db: sqlite3.Connection | Path, tables: Sequence[str] = DATA_TABLES) -> list[str]:
    """iterdump() lines (CREATE and INSERT) of `tables` only: the data, not the audit log."""
    connection = sqlite3.connect(db) if isinstance(db, Path) else db
    prefixes = tuple(f'INSERT INTO "{t}" ' for t in tables) + tuple(
        f"CREATE TABLE {t} " for t in tables
    )
    lines = [line for line in connection.iterdump() if line.startswith(prefixes)]
    if isinstance(db, Path):
        connection.close()
    return lines
