"""Duplicate detection: exact (same fingerprint) and near (MinHash LSH over word shingles).

Why near-duplicates matter here: wire copy is syndicated. The same Xinhua or Reuters story appears
under several mastheads with a different header, footer or photo caption; counting it as several
independent reports would inflate how "many sources" say 37 or 50. A near-duplicate is stored once
and its copies are kept as `Duplicate` pointers with their own outlet and URL.

Two steps: MinHash LSH finds candidates cheaply (at a lower threshold than the verdict, since a
64-permutation estimate is off by ~0.05), then the exact shingle Jaccard with the candidate's text
decides. Candidates are rare, so fetching their text costs little and the verdict is exact.

The deduper itself is pure: the runner seeds it with the signatures already in the store and gives
it a way to fetch a stored text, so a re-run and a run after a kill make the same decisions as one
uninterrupted run.

What it remembers (ids, sources, LSH band keys) lives in an index: `MemoryIndex` (a dict, for
tests and small jobs) or `DiskIndex` (a private temporary SQLite file), which the local runner
uses so that memory does not grow with the corpus: at 100k documents the in-memory LSH alone
held ~300 MB. Both give the same candidates, so verdicts do not depend on the index.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Protocol

from datasketch import MinHash, MinHashLSH

from blocwatch.model import Article, Duplicate
from blocwatch.settings import Options

_WORD = re.compile(r"\w+", re.UNICODE)
# Stored signatures are only comparable under the scheme that made them: pin it.
_SCHEME = "affine32"
# LSH candidates are looked up at the verdict threshold minus this margin, so that documents whose
# MinHash estimate falls a few standard errors low are still checked exactly.
_CANDIDATE_MARGIN = 0.2

# SQLite page cache of a DiskIndex (KiB, as `PRAGMA cache_size` takes negative numbers): the
# only memory it holds; 16 MiB keeps the hot part of the band index cached.
DISK_INDEX_CACHE_KIB = 16 * 1024
# Documents a DiskIndex writes per statement while seeding: one executemany per chunk instead
# of one per document (seeding 100k stored documents takes seconds, not a minute).
DISK_INDEX_CHUNK = 5_000

TextLookup = Callable[[str], str | None]


class BandIndex(Protocol):
    """What the deduper remembers of each stored document: its source and LSH band keys."""

    def __len__(self) -> int: ...

    def source_of(self, doc_id: str) -> str | None: ...

    def add(self, items: Iterable[tuple[str, str, Sequence[int]]]) -> None:
        """(doc_id, source, band keys) of documents not remembered yet."""

    def candidates(self, keys: Sequence[int]) -> set[str]:
        """Ids of remembered documents sharing at least one band key."""


class MemoryIndex:
    """The index in dicts: fast, and grows with the corpus (~3 kB per document)."""

    def __init__(self) -> None:
        self._source_of: dict[str, str] = {}
        self._by_key: dict[int, list[str]] = {}

    def __len__(self) -> int:
        return len(self._source_of)

    def source_of(self, doc_id: str) -> str | None:
        return self._source_of.get(doc_id)

    def add(self, items: Iterable[tuple[str, str, Sequence[int]]]) -> None:
        for doc_id, source, keys in items:
            self._source_of[doc_id] = source
            for key in keys:
                self._by_key.setdefault(key, []).append(doc_id)

    def candidates(self, keys: Sequence[int]) -> set[str]:
        return {doc_id for key in keys for doc_id in self._by_key.get(key, ())}


class DiskIndex:
    """The index in a private temporary SQLite file (deleted on close): memory stays flat
    whatever the corpus size (SQLite's page cache is all it holds); one indexed query per
    judged document. Never committed: the file is scratch, rebuilt from the store's
    signatures by every run. The key index is built once seeding is over (a sort, much faster
    than growing it row by row) and kept up to date from then on."""

    def __init__(self) -> None:
        self._db = sqlite3.connect("")  # "" = a private on-disk temporary database
        self._db.execute(f"PRAGMA cache_size = -{DISK_INDEX_CACHE_KIB}")
        self._db.execute("PRAGMA journal_mode = OFF")
        self._db.execute("PRAGMA synchronous = OFF")
        self._db.execute(
            "CREATE TABLE docs (doc_id TEXT PRIMARY KEY, source TEXT NOT NULL) WITHOUT ROWID"
        )
        self._db.execute("CREATE TABLE bands (key INTEGER NOT NULL, doc_id TEXT NOT NULL)")
        self._indexed = False
        self._count = 0

    def __len__(self) -> int:
        return self._count

    def __enter__(self) -> DiskIndex:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()

    def source_of(self, doc_id: str) -> str | None:
        row = self._db.execute("SELECT source FROM docs WHERE doc_id = ?", [doc_id]).fetchone()
        return str(row[0]) if row else None

    def add(self, items: Iterable[tuple[str, str, Sequence[int]]]) -> None:
        stream = iter(items)
        while chunk := list(islice(stream, DISK_INDEX_CHUNK)):
            self._db.executemany(
                "INSERT INTO docs VALUES (?, ?)", [(doc_id, source) for doc_id, source, _ in chunk]
            )
            self._db.executemany(
                "INSERT INTO bands VALUES (?, ?)",
                [(key, doc_id) for doc_id, _, keys in chunk for key in keys],
            )
            self._count += len(chunk)

    def candidates(self, keys: Sequence[int]) -> set[str]:
        if not self._indexed:
            self._db.execute("CREATE INDEX bands_key ON bands (key)")
            self._indexed = True
        marks = ", ".join("?" for _ in keys)
        sql = f"SELECT DISTINCT doc_id FROM bands WHERE key IN ({marks})"
        return {str(doc_id) for (doc_id,) in self._db.execute(sql, list(keys))}


@dataclass(frozen=True)
class Verdict:
    """What the deduper decided for one article."""

    signature: bytes  # MinHash values (uint32, little-endian), stored with the document
    duplicate: Duplicate | None  # set when the article is a copy of a stored document
    seen_before: bool  # the same source with the same text is already stored (a re-run)


def shingles(text: str, width: int) -> list[bytes]:
    """Casefolded word n-grams; a text shorter than `width` words is one shingle."""
    words = [w.casefold() for w in _WORD.findall(text)]
    if len(words) <= width:
        return [" ".join(words).encode("utf-8")] if words else []
    return [" ".join(words[i : i + width]).encode("utf-8") for i in range(len(words) - width + 1)]


class Deduper:
    """Keeps what has been stored so far (ids, sources, signatures) and judges each new article."""

    def __init__(
        self, options: Options, text_of: TextLookup, index: BandIndex | None = None
    ) -> None:
        """`text_of(doc_id)` returns the clean text of a remembered document; `index` keeps
        what is remembered (a MemoryIndex when not given)."""
        self._options = options
        self._text_of = text_of
        self._template = MinHash(num_perm=options.minhash_permutations, seed=1, scheme=_SCHEME)
        # datasketch's choice of bands (b) and rows per band (r) for the candidate threshold
        lsh = MinHashLSH(
            threshold=max(0.1, options.near_duplicate_threshold - _CANDIDATE_MARGIN),
            num_perm=options.minhash_permutations,
        )
        self._bands: list[tuple[int, int]] = [(int(a), int(b)) for a, b in lsh.hashranges]
        self._index: BandIndex = index if index is not None else MemoryIndex()

    def __len__(self) -> int:
        return len(self._index)

    def band_keys(self, signature: bytes) -> list[int]:
        """One key per LSH band: documents sharing a key are candidates for each other. Keys
        are Python hashes, so they mean nothing outside this process (they are never stored);
        a collision only adds a candidate, which the exact Jaccard check rejects."""
        return [
            hash((band, signature[start * 4 : end * 4]))
            for band, (start, end) in enumerate(self._bands)
        ]

    def signature(self, text: str) -> MinHash:
        sig = MinHash(
            num_perm=self._options.minhash_permutations,
            seed=1,
            permutations=self._template.permutations,
            scheme=_SCHEME,
        )
        sig.update_batch(shingles(text, self._options.shingle_words))
        return sig

    def remember(self, doc_id: str, source: str, signature: bytes) -> None:
        """Add a stored document (from the store at start-up, or just accepted)."""
        if self._index.source_of(doc_id) is None:
            self._index.add([(doc_id, source, self.band_keys(signature))])

    def remember_stored(self, stored: Iterable[tuple[str, str, bytes]]) -> None:
        """Seed with (doc_id, source, signature) of stored documents (ids unique, as in the
        store): streamed into the index without a lookup each."""
        self._index.add((doc_id, source, self.band_keys(sig)) for doc_id, source, sig in stored)

    def judge(self, article: Article) -> Verdict:
        """Decide, and remember the article when it is new. Deterministic for a given order."""
        sig = self.signature(article.clean_text)
        packed = sig.hashvalues.astype("<u4").tobytes()
        stored_source = self._index.source_of(article.id)
        if stored_source is not None:
            if stored_source == article.source:
                return Verdict(packed, None, seen_before=True)
            return Verdict(packed, _duplicate(article, article.id, "exact", 1.0), False)
        keys = self.band_keys(packed)
        best = self._closest(keys, article.clean_text)
        if best is not None:
            doc_id, similarity = best
            return Verdict(packed, _duplicate(article, doc_id, "near", similarity), False)
        self._index.add([(article.id, article.source, keys)])
        return Verdict(packed, None, seen_before=False)

    def _closest(self, keys: Sequence[int], text: str) -> tuple[str, float] | None:
        """The most similar stored document at or above the threshold; ties go to the smaller id."""
        threshold = self._options.near_duplicate_threshold
        candidates = self._index.candidates(keys)
        if not candidates:
            return None
        mine = set(shingles(text, self._options.shingle_words))
        scored = []
        for doc_id in sorted(candidates):
            other = self._text_of(doc_id)
            if other is None:
                continue
            similarity = _jaccard(mine, set(shingles(other, self._options.shingle_words)))
            if similarity >= threshold:
                scored.append((-similarity, doc_id))
        if not scored:
            return None
        neg_similarity, doc_id = min(scored)
        return doc_id, round(-neg_similarity, 4)


def _jaccard(a: set[bytes], b: set[bytes]) -> float:
    union = len(a | b)
    return len(a & b) / union if union else 1.0


def _duplicate(article: Article, of: str, method: str, similarity: float) -> Duplicate:
    return Duplicate(
        source=article.source,
        input_format=article.input_format,
        duplicate_of=of,
        method=method,
        similarity=similarity,
        external_id=article.external_id,
        url=article.url,
        title=article.title,
        outlet=article.outlet,
        published=article.published,
    )
