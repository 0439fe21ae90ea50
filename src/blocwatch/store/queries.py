"""Reads: articles back out, signatures for dedup seeding, counts and stats, search, checks.

Every read is ordered, so two identical databases give identical answers (and dumps).
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from collections.abc import Collection, Iterable, Iterator
from typing import Any, NamedTuple

import sqlite_utils

from blocwatch.model import Article
from blocwatch.store.schema import (
    DATA_TABLES,
    FACT_TABLES,
    FTS_TABLES,
    SPAN_TEXT_COLUMN,
    offsets_from_json,
    schema_version,
)

# How many rows each breakdown in `stats` shows: enough to see the shape of a corpus on one
# terminal screen; the rest is summed into "(other)".
STATS_TOP = 15
STATS_LAST_RUNS = 5
# Ids read per query by `documents_to_extract`: one short query per page, a few kB in memory.
TO_EXTRACT_PAGE = 500

# Every Article field is a documents column of the same name (offsets as JSON).
_ARTICLE_FIELDS = [f.name for f in dataclasses.fields(Article) if f.name != "offsets"]


class StoredSignature(NamedTuple):
    """What the deduper needs about a stored document."""

    doc_id: str
    source: str
    exact_hash: str
    minhash: bytes


def article_from_row(row: dict[str, Any]) -> Article:
    """Rebuild the Article a `documents` row was written from (inverse of document_row)."""
    return Article(
        offsets=offsets_from_json(row["offsets"]), **{k: row[k] for k in _ARTICLE_FIELDS}
    )


def get_article(db: sqlite_utils.Database, doc_id: str) -> Article | None:
    rows = list(db.query("SELECT * FROM documents WHERE id = ?", [doc_id]))
    return article_from_row(rows[0]) if rows else None


def clean_text_of(db: sqlite_utils.Database, doc_id: str) -> str | None:
    """The clean text of one stored document (the deduper's exact check of a near candidate)."""
    row = db.execute("SELECT clean_text FROM documents WHERE id = ?", [doc_id]).fetchone()
    return str(row[0]) if row else None


def documents_to_extract(
    db: sqlite_utils.Database, extractor: str | Collection[str], page: int = TO_EXTRACT_PAGE
) -> Iterator[str]:
    """Ids of documents not yet extracted by this extractor version (or by any of several
    markers that count as done), in insertion order. Streams: ids are read a page at a time
    by rowid (keyset), so memory does not grow with the store, and writing extractions while
    iterating is safe (a page is read whole before the caller sees it)."""
    done = [extractor] if isinstance(extractor, str) else sorted(extractor)
    marks = ", ".join("?" for _ in done)
    sql = (
        "SELECT d.rowid, d.id FROM documents d LEFT JOIN extractions e ON e.doc_id = d.id "
        f"WHERE d.rowid > ? AND (e.extractor IS NULL OR e.extractor NOT IN ({marks})) "
        "ORDER BY d.rowid LIMIT ?"
    )
    last = 0
    while rows := db.execute(sql, [last, *done, page]).fetchall():
        last = rows[-1][0]
        yield from (str(doc_id) for _, doc_id in rows)


def iter_articles(
    db: sqlite_utils.Database, doc_ids: Iterable[str] | None = None
) -> Iterator[Article]:
    """Stored articles in insertion order (all of them, or those of `doc_ids` that exist)."""
    if doc_ids is None:
        for row in db.query("SELECT * FROM documents ORDER BY rowid"):
            yield article_from_row(row)
        return
    for doc_id in doc_ids:
        article = get_article(db, doc_id)
        if article is not None:
            yield article


def iter_document_signatures(db: sqlite_utils.Database) -> Iterator[StoredSignature]:
    """Signatures in insertion order (first stored first), to seed the deduper."""
    sql = "SELECT id, source, exact_hash, minhash FROM documents ORDER BY rowid"
    for doc_id, source, exact_hash, minhash in db.execute(sql):
        yield StoredSignature(doc_id, source, exact_hash, bytes(minhash))


def iter_signatures(db: sqlite_utils.Database) -> Iterator[tuple[str, str, bytes]]:
    """(doc_id, source, minhash) in insertion order: what `Deduper.remember` takes."""
    for signature in iter_document_signatures(db):
        yield signature.doc_id, signature.source, signature.minhash


def known_source_outcomes(db: sqlite_utils.Database) -> dict[str, str]:
    """source -> 'document' | 'duplicate' | 'reject': the current outcome of each input read."""
    outcomes = {source: "document" for (source,) in db.execute("SELECT source FROM documents")}
    outcomes.update((s, "duplicate") for (s,) in db.execute("SELECT source FROM duplicates"))
    outcomes.update((s, "reject") for (s,) in db.execute("SELECT source FROM rejects"))
    return outcomes


def table_counts(db: sqlite_utils.Database) -> dict[str, int]:
    """Rows per table: every data table, then `runs`."""
    return {
        table: db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        for table in (*DATA_TABLES, "runs")
    }


def _breakdown(db: sqlite_utils.Database, table: str, column: str) -> dict[str, int]:
    sql = (
        f"SELECT coalesce({column}, '(none)') AS value, count(*) AS n FROM {table} "
        "GROUP BY value ORDER BY n DESC, value"
    )
    rows = list(db.execute(sql))
    shown = {str(value): n for value, n in rows[:STATS_TOP]}
    rest = sum(n for _, n in rows[STATS_TOP:])
    if rest:
        shown["(other)"] = rest
    return shown


def stats(db: sqlite_utils.Database) -> dict[str, Any]:
    """What `blocwatch stats` shows; JSON-serialisable."""
    published = db.execute(
        "SELECT min(published), max(published) FROM documents WHERE published IS NOT NULL"
    ).fetchone()
    words = db.execute("SELECT coalesce(sum(word_count), 0) FROM documents").fetchone()[0]
    runs = [
        {**row, "args": json.loads(row["args"])}
        for row in db.query(
            "SELECT id, command, args, status, started_at, finished_at, documents_new, "
            "documents_seen, documents_removed, duplicates, rejects FROM runs "
            f"ORDER BY id DESC LIMIT {STATS_LAST_RUNS}"
        )
    ]
    return {
        "schema_version": schema_version(db),
        "tables": table_counts(db),
        "words": words,
        "published_range": [published[0], published[1]],
        "documents_by_outlet": _breakdown(db, "documents", "outlet"),
        "documents_by_language": _breakdown(db, "documents", "language"),
        "documents_by_published_source": _breakdown(db, "documents", "published_source"),
        "documents_by_input_format": _breakdown(db, "documents", "input_format"),
        "duplicates_by_method": _breakdown(db, "duplicates", "method"),
        "rejects_by_reason": _breakdown(db, "rejects", "reason"),
        "last_runs": runs,
    }


def search_documents(
    db: sqlite_utils.Database, query: str, limit: int = 20
) -> list[dict[str, Any]]:
    """Full-text search over title and text, best first. The query is plain words, each
    matched as a phrase, so user input never reaches FTS5's query syntax."""
    phrases = fts_phrases(query)
    if not phrases:
        return []
    columns = ["id", "title", "outlet", "published", "source"]
    return list(db.table("documents").search(phrases, columns=columns, limit=limit))


def fts_phrases(query: str) -> str:
    """Each whitespace-separated word as a quoted FTS5 phrase (all must match); NUL, which
    ends a C string inside FTS5, is a separator. Empty when there is nothing to search."""
    words = query.replace("\x00", " ").split()
    return " ".join('"' + word.replace('"', '""') + '"' for word in words)


def data_dump(db: sqlite_utils.Database) -> Iterator[str]:
    """Every data-table row as one JSON line, tables in schema order, rows in primary-key order.

    Unlike iterdump(), independent of insertion order: two stores holding the same facts give
    the same dump however their batches were split.
    """
    for table in DATA_TABLES:
        key = db.table(table).pks[0]
        for row in db.execute(f"SELECT * FROM {table} ORDER BY {key}"):
            values = [v.hex() if isinstance(v, bytes) else v for v in row]
            yield json.dumps([table, *values], ensure_ascii=False)


def integrity_problems(db: sqlite_utils.Database) -> list[str]:
    """Empty when the file, the foreign keys, the FTS indexes and every fact span are sound."""
    problems = [
        f"integrity_check: {message}"
        for (message,) in db.execute("PRAGMA integrity_check")
        if message != "ok"
    ]
    problems += [
        f"foreign key: {table} rowid {rowid} -> {parent}"
        for table, rowid, parent, _ in db.execute("PRAGMA foreign_key_check")
    ]
    for table in FTS_TABLES:
        # FTS5's own check compares the index with the content table; it raises if they differ.
        try:
            db.execute(f"INSERT INTO {table}_fts({table}_fts, rank) VALUES ('integrity-check', 1)")
        except sqlite3.DatabaseError as error:
            problems.append(f"{table}_fts: {error}; run rebuild_fts()")
    problems += [f"span: {problem}" for problem in span_problems(db)]
    return problems


def span_problems(db: sqlite_utils.Database) -> list[str]:
    """Fact rows whose span text is not documents.text[start:end] (a hand edit, a bad import)."""
    problems = []
    for table in FACT_TABLES:
        column = SPAN_TEXT_COLUMN[table]
        sql = (
            f'SELECT f.id, f."{column}" AS said, f.start, f."end", d.text FROM {table} f '
            "JOIN documents d ON d.id = f.doc_id ORDER BY f.id"
        )
        for fact_id, said, start, end, text in db.execute(sql):
            if text[start:end] != said:
                problems.append(f"{table} {fact_id}: [{start}, {end}) does not read {said!r}")
    return problems


def frame_counts(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    """Framing terms per outlet, concept, frame and voice (what `blocwatch frames` shows)."""
    sql = (
        "SELECT coalesce(d.outlet, d.external_id, d.id) AS outlet, f.concept, f.frame, f.voice, "
        "count(*) AS uses FROM frame_uses f JOIN documents d ON d.id = f.doc_id "
        "GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4"
    )
    return list(db.query(sql))


def frame_counts_by_voice(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    """Framing terms per quoted speaker (name, affiliation) and frame."""
    sql = (
        "SELECT s.name, s.affiliation, f.concept, f.frame, count(*) AS uses "
        "FROM frame_uses f JOIN speakers s ON s.id = f.speaker_id "
        "GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4"
    )
    return list(db.query(sql))


def speaker_rows(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    """Every stored person speaker with the date of its document (for cross-document merging)."""
    sql = (
        "SELECT s.doc_id, s.id, s.name, s.role, s.affiliation, d.published "
        "FROM speakers s JOIN documents d ON d.id = s.doc_id WHERE s.kind = 'person' "
        "ORDER BY s.doc_id, s.id"
    )
    return list(db.query(sql))
