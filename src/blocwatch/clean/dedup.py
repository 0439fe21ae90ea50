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
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from datasketch import MinHash, MinHashLSH

from blocwatch.model import Article, Duplicate
from blocwatch.settings import Options

_WORD = re.compile(r"\w+", re.UNICODE)
# Stored signatures are only comparable under the scheme that made them: pin it.
_SCHEME = "affine32"
# LSH candidates are looked up at the verdict threshold minus this margin, so that documents whose
# MinHash estimate falls a few standard errors low are still checked exactly.
_CANDIDATE_MARGIN = 0.2

TextLookup = Callable[[str], str | None]


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

    def __init__(self, options: Options, text_of: TextLookup) -> None:
        """`text_of(doc_id)` returns the clean text of a remembered document."""
        self._options = options
        self._text_of = text_of
        self._template = MinHash(num_perm=options.minhash_permutations, seed=1, scheme=_SCHEME)
        self._lsh = MinHashLSH(
            threshold=max(0.1, options.near_duplicate_threshold - _CANDIDATE_MARGIN),
            num_perm=options.minhash_permutations,
        )
        self._source_of: dict[str, str] = {}

    def __len__(self) -> int:
        return len(self._source_of)

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
        if doc_id in self._source_of:
            return
        values = np.frombuffer(signature, dtype="<u4").astype(np.uint64)
        sig = MinHash(
            num_perm=self._options.minhash_permutations,
            seed=1,
            hashvalues=values,
            permutations=self._template.permutations,
            scheme=_SCHEME,
        )
        self._source_of[doc_id] = source
        self._lsh.insert(doc_id, sig, check_duplication=False)

    def judge(self, article: Article) -> Verdict:
        """Decide, and remember the article when it is new. Deterministic for a given order."""
        sig = self.signature(article.clean_text)
        packed = sig.hashvalues.astype("<u4").tobytes()
        stored_source = self._source_of.get(article.id)
        if stored_source is not None:
            if stored_source == article.source:
                return Verdict(packed, None, seen_before=True)
            return Verdict(packed, _duplicate(article, article.id, "exact", 1.0), False)
        best = self._closest(sig, article.clean_text)
        if best is not None:
            doc_id, similarity = best
            return Verdict(packed, _duplicate(article, doc_id, "near", similarity), False)
        self.remember(article.id, article.source, packed)
        return Verdict(packed, None, seen_before=False)

    def _closest(self, sig: MinHash, text: str) -> tuple[str, float] | None:
        """The most similar stored document at or above the threshold; ties go to the smaller id."""
        threshold = self._options.near_duplicate_threshold
        candidates = self._lsh.query(sig)
        if not candidates:
            return None
        mine = set(shingles(text, self._options.shingle_words))
        scored = []
        for doc_id in candidates:
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
