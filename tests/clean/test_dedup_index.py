"""Where the deduper remembers documents: in memory or on disk, the verdicts are the same."""

from __future__ import annotations

import pytest

from blocwatch.clean.dedup import BandIndex, Deduper, DiskIndex, MemoryIndex, Verdict
from blocwatch.settings import Options
from tests.test_dedup import _article, _text


def _stream() -> list[tuple[str, str, str]]:
    """(id, source, text): originals, near copies with another header, exact copies, re-reads."""
    items = []
    for i in range(60):
        items.append((f"{i:016x}", f"orig-{i}.txt", _text(i)))
        if i % 3 == 0:
            copy = f"Reprinted by Ledger {i}. " + _text(i) + " Share this story."
            items.append((f"{1000 + i:016x}", f"copy-{i}.txt", copy))
        if i % 7 == 0:
            items.append((f"{i:016x}", f"mirror-{i}.txt", _text(i)))  # exact copy
            items.append((f"{i:016x}", f"orig-{i}.txt", _text(i)))  # the same file again
    return items


def _judge_all(index: BandIndex) -> list[Verdict]:
    texts: dict[str, str] = {}
    deduper = Deduper(Options(), texts.get, index)
    verdicts = []
    for doc_id, source, text in _stream():
        verdict = deduper.judge(_article(doc_id, source, text))
        if verdict.duplicate is None and not verdict.seen_before:
            texts[doc_id] = text
        verdicts.append(verdict)
    return verdicts


def test_disk_and_memory_indexes_give_the_same_verdicts() -> None:
    in_memory = _judge_all(MemoryIndex())
    with DiskIndex() as index:
        on_disk = _judge_all(index)
        assert len(index) == 60
    assert in_memory == on_disk
    methods = [v.duplicate.method for v in on_disk if v.duplicate is not None]
    assert methods.count("near") == 20
    assert methods.count("exact") == 9
    assert sum(v.seen_before for v in on_disk) == 9


@pytest.mark.parametrize("make_index", [MemoryIndex, DiskIndex])
def test_a_seeded_deduper_finds_copies_of_stored_documents(make_index: type[BandIndex]) -> None:
    """A run seeds the index from the store's signatures; copies of stored documents are found
    as in the run that stored them."""
    texts = {f"{i:016x}": _text(100 + i) for i in range(50)}
    first = Deduper(Options(), texts.get)
    stored = [
        (doc_id, f"{doc_id}.txt", first.judge(_article(doc_id, f"{doc_id}.txt", text)).signature)
        for doc_id, text in texts.items()
    ]
    index = make_index()
    seeded = Deduper(Options(), texts.get, index)
    seeded.remember_stored(iter(stored))
    assert len(seeded) == 50
    target = f"{7:016x}"
    near = seeded.judge(_article("f" * 16, "copy.txt", "Header. " + texts[target]))
    assert near.duplicate is not None and near.duplicate.duplicate_of == target
    again = seeded.judge(_article(target, f"{target}.txt", texts[target]))
    assert again.seen_before
    other = seeded.judge(_article("e" * 16, "new.txt", _text(999)))
    assert other.duplicate is None and not other.seen_before
    assert len(seeded) == 51


def test_band_keys_differ_by_band() -> None:
    """Equal values in two different bands are not a shared band."""
    deduper = Deduper(Options(), lambda _doc_id: None)
    same_values = bytes(4 * Options().minhash_permutations)
    keys = deduper.band_keys(same_values)
    assert len(set(keys)) == len(keys) > 1


def test_a_disk_index_holds_many_documents_and_finds_one() -> None:
    with DiskIndex() as index:
        index.add(
            (f"{i:016x}", f"{i}.txt", [i * 10 + band for band in range(10)]) for i in range(20_000)
        )
        assert len(index) == 20_000
        assert index.candidates([12_345 * 10 + 3, -1]) == {f"{12_345:016x}"}
        assert index.source_of(f"{42:016x}") == "42.txt"
        assert index.source_of("missing") is None
