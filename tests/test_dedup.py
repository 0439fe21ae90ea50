"""Deduper: exact copies, near copies (syndicated, other header) and clearly different texts."""

from __future__ import annotations

import random

from blocwatch.clean.dedup import Deduper, Verdict, shingles
from blocwatch.model import Article, OffsetMap
from blocwatch.settings import Options

WORDS = (
    "council envoy letter statement vote member states human rights session "
    "delegation minister spokesman policy region support criticism signed "
    "majority resolution committee ambassador called urged welcomed "
    "rejected access experts report measures concern"
).split()


def _text(seed: int, n_words: int = 300) -> str:
    rng = random.Random(seed)
    return " ".join(rng.choice(WORDS) for _ in range(n_words)) + "."


def _article(doc_id: str, source: str, text: str) -> Article:
    return Article(
        id=doc_id,
        source=source,
        input_format="txt",
        text=text,
        clean_text=text,
        offsets=OffsetMap.identity(len(text)),
    )


class _Store:
    """Stands in for the store: keeps the text of every document the deduper accepts."""

    def __init__(self, options: Options | None = None) -> None:
        self.texts: dict[str, str] = {}
        self.deduper = Deduper(options or Options(), self.texts.get)

    def judge(self, doc_id: str, source: str, text: str) -> Verdict:
        verdict = self.deduper.judge(_article(doc_id, source, text))
        if verdict.duplicate is None and not verdict.seen_before:
            self.texts[doc_id] = text
        return verdict


def test_shingles_short_text_is_one_shingle() -> None:
    assert shingles("Two words", 5) == [b"two words"]
    assert shingles("", 5) == []
    assert len(shingles(_text(1, 20), 5)) == 16


def test_new_then_exact_copy_then_same_source_again() -> None:
    store = _Store()
    body = _text(1)
    first = store.judge("a" * 16, "one.txt", body)
    assert first.duplicate is None and not first.seen_before
    copy = store.judge("a" * 16, "two.txt", body)
    assert copy.duplicate is not None
    assert (copy.duplicate.method, copy.duplicate.duplicate_of, copy.duplicate.similarity) == (
        "exact",
        "a" * 16,
        1.0,
    )
    again = store.judge("a" * 16, "one.txt", body)
    assert again.seen_before and again.duplicate is None
    assert len(store.deduper) == 1


def test_syndicated_copy_with_other_header_is_near_duplicate() -> None:
    store = _Store()
    body = _text(2)
    store.judge("b" * 16, "wire.txt", body)
    syndicated = "Reprinted by The Other Ledger. Share this. " + body + " Follow us for more news."
    verdict = store.judge("c" * 16, "ledger.txt", syndicated)
    assert verdict.duplicate is not None
    assert verdict.duplicate.method == "near"
    assert verdict.duplicate.duplicate_of == "b" * 16
    assert 0.8 <= verdict.duplicate.similarity < 1.0


def test_copy_just_above_threshold_is_found_despite_minhash_noise() -> None:
    """About 0.84 exact Jaccard: a 64-permutation estimate alone misses some of these."""
    found = 0
    for seed in range(20):
        store = _Store()
        words = _text(500 + seed, 400).split()
        store.judge("f" * 16, "orig.txt", " ".join(words))
        edited = list(words)
        for i in range(0, len(edited), 45):  # one changed word every 45: ~0.8-0.85 Jaccard
            edited[i] = "changed"
        verdict = store.judge("0" * 16, "copy.txt", " ".join(edited))
        exact = len(set(shingles(" ".join(words), 5)) & set(shingles(" ".join(edited), 5))) / len(
            set(shingles(" ".join(words), 5)) | set(shingles(" ".join(edited), 5))
        )
        if exact >= 0.8:
            assert verdict.duplicate is not None, (seed, exact)
            assert verdict.duplicate.similarity == round(exact, 4)
            found += 1
        else:
            assert verdict.duplicate is None, (seed, exact)
    assert found >= 10


def test_different_reports_stay_separate() -> None:
    store = _Store()
    for i in range(20):
        verdict = store.judge(f"{i:016d}", f"{i}.txt", _text(100 + i))
        assert verdict.duplicate is None
    assert len(store.deduper) == 20


def test_seeded_deduper_decides_like_one_that_saw_the_documents() -> None:
    """A re-run seeds from stored signatures and must reach the same verdicts."""
    live = _Store()
    stored = live.judge("d" * 16, "orig.txt", _text(3))
    seeded = _Store()
    seeded.texts["d" * 16] = _text(3)
    seeded.deduper.remember("d" * 16, "orig.txt", stored.signature)
    near = "Header line. " + _text(3)
    a = live.judge("e" * 16, "copy.txt", near)
    b = seeded.judge("e" * 16, "copy.txt", near)
    assert a.duplicate == b.duplicate and a.duplicate is not None
