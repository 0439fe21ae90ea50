"""Inputs for the Spark runner and load tests: examples/corpus as one JSONL and one WARC file.

The examples are our own texts (never copied news). HTML pages go into the WARC with their
bytes as they are; every other item becomes a JSONL line with the fields the reader found. A few
items are added on purpose: an exact copy and a near copy of an article, and bad lines/records
that must end as rejects. `dump` and `query` read the stores both runners end in.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from spacy.language import Language

from blocwatch import store
from blocwatch.ingest import read_inputs
from blocwatch.model import RawDocument, Reject
from blocwatch.runners.spark_tasks import (
    Kept,
    Tagged,
    extract_partition,
    keep_first,
    read_file,
    reject_row,
    route,
    table_columns,
)
from blocwatch.settings import Options
from tests.ingest.helpers import write_warc

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "corpus"
NEAR_COPY_ID = "near-copy"
EXACT_COPY_ID = "exact-copy"
# Appended to an article to make a near copy: same story, one extra line (Jaccard stays > 0.8).
NEAR_COPY_TAIL = "\n\nThis story was updated with a comment from the mission."
JSON_FIELDS = ("url", "title", "outlet", "published", "language")


def _line(item: RawDocument, text: str, item_id: str | None = None) -> str:
    row = {"id": item_id or item.external_id, "text": text}
    row.update({key: getattr(item, key) for key in JSON_FIELDS if getattr(item, key)})
    return json.dumps(row, ensure_ascii=False)


def make_inputs(folder: Path) -> tuple[Path, Path]:
    """Write `examples.jsonl` and `examples.warc.gz` into `folder`; return their paths."""
    items = [i for i in read_inputs([str(EXAMPLES)], Options()) if isinstance(i, RawDocument)]
    pages = [i for i in items if i.input_format == "html"]
    others = [i for i in items if i.input_format != "html"]
    assert len(pages) >= 2 and len(others) >= 5, "examples/corpus changed: update this helper"
    first = others[0]
    lines = [_line(item, item.text) for item in others]
    lines += [
        _line(first, first.text, EXACT_COPY_ID),
        _line(first, first.text + NEAR_COPY_TAIL, NEAR_COPY_ID),
        "",  # a blank line is not an item
        '{"id": "broken", "text": "no closing brace"',
        json.dumps({"id": "no-text", "title": "a title but no text"}),
    ]
    jsonl = folder / "examples.jsonl"
    jsonl.write_text("\n".join(lines) + "\n", encoding="utf-8")
    records = [
        (
            "response",
            page.url or f"https://example.org/{page.external_id}",
            Path(page.source).read_bytes(),
            "text/html; charset=utf-8",
        )
        for page in pages
    ]
    records.append(("response", "https://example.org/logo.png", b"\x89PNG\r\n", "image/png"))
    warc = folder / "examples.warc.gz"
    write_warc(warc, records, gzip=True)
    return jsonl, warc


def tagged_rows(paths: list[Path], options: Options, nlp: Language) -> list[Tagged]:
    """What `blocwatch spark` computes for `paths`, run in this process without Spark: the
    same task functions, in input order, one partition."""
    routed = [
        route(keyed, options)
        for rank, path in enumerate(paths)
        for keyed in read_file(f"file:{path}", path.read_bytes(), rank, options)
    ]
    kept: dict[str, Kept] = {}
    for item in routed:
        if not isinstance(item, Reject):
            order, article = item
            new = Kept(order, article)
            kept[article.id] = keep_first(kept[article.id], new) if article.id in kept else new
    rows = list(extract_partition(kept.items(), options, nlp))
    return rows + [reject_row(item) for item in routed if isinstance(item, Reject)]


_ARROW_TYPES = {
    "TEXT": pa.string(),
    "INTEGER": pa.int64(),
    "REAL": pa.float64(),
    "BLOB": pa.binary(),
}


def write_folder(folder: Path, rows: list[Tagged], files_per_table: int = 2) -> None:
    """A Spark-like output folder: DIR/<table>/part-*.parquet and _SUCCESS, typed like Spark's."""
    for table, columns in table_columns().items():
        schema = pa.schema([pa.field(c.name, _ARROW_TYPES[c.type]) for c in columns])
        values = [v for t, v in rows if t == table]
        where = folder / table
        where.mkdir(parents=True)
        for part in range(files_per_table):
            chunk = values[part::files_per_table]
            data = {c.name: [row[i] for row in chunk] for i, c in enumerate(columns)}
            pq.write_table(pa.table(data, schema=schema), where / f"part-{part:05d}.parquet")
        (where / "_SUCCESS").touch()


def dump(db_path: Path) -> list[list[Any]]:
    """Every data row of a store, as `store.data_dump` lists them."""
    db = store.open_store(db_path, create=False)
    try:
        return [json.loads(line) for line in store.data_dump(db)]
    finally:
        db.close()


def query(db_path: Path, sql: str, args: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    db = store.open_store(db_path, create=False)
    try:
        return [tuple(row) for row in db.execute(sql, list(args)).fetchall()]
    finally:
        db.close()
