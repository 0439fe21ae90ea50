"""The SQLite store: one file, WAL, foreign keys, FTS5; idempotent writes; documented schema.

`open_store` opens (and migrates) a database; `write_batch` writes one batch of documents,
duplicates and rejects in one transaction; `replace_document_facts` swaps a document's facts;
`begin_run`/`end_run` keep the audit log. Tables and columns: docs/schema.md.
"""

from blocwatch.store.facts import fact_rows
from blocwatch.store.queries import (
    StoredSignature,
    article_from_row,
    clean_text_of,
    data_dump,
    documents_to_extract,
    get_article,
    integrity_problems,
    iter_articles,
    iter_document_signatures,
    iter_signatures,
    known_source_outcomes,
    search_documents,
    span_problems,
    stats,
    table_counts,
)
from blocwatch.store.schema import (
    DATA_TABLES,
    FACT_TABLES,
    LATEST_SCHEMA_VERSION,
    SPAN_TEXT_COLUMN,
    offsets_from_json,
    offsets_to_json,
    open_store,
    rebuild_fts,
    schema_version,
)
from blocwatch.store.write import (
    BatchResult,
    begin_run,
    document_row,
    end_run,
    fact_id,
    replace_document_facts,
    storable,
    write_batch,
    write_extractions,
)

__all__ = [
    "DATA_TABLES",
    "FACT_TABLES",
    "LATEST_SCHEMA_VERSION",
    "SPAN_TEXT_COLUMN",
    "BatchResult",
    "StoredSignature",
    "article_from_row",
    "begin_run",
    "clean_text_of",
    "data_dump",
    "document_row",
    "documents_to_extract",
    "end_run",
    "fact_id",
    "fact_rows",
    "get_article",
    "integrity_problems",
    "iter_articles",
    "iter_document_signatures",
    "iter_signatures",
    "known_source_outcomes",
    "offsets_from_json",
    "offsets_to_json",
    "open_store",
    "rebuild_fts",
    "replace_document_facts",
    "schema_version",
    "search_documents",
    "span_problems",
    "stats",
    "storable",
    "table_counts",
    "write_batch",
    "write_extractions",
]
