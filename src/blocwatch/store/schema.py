"""The database file: opening it safely, the schema (as migrations), and column formats.

Opening, in order: refuse a path that is a directory or a file that is not SQLite; connect; turn
on WAL (readers such as Datasette never block the writer, and a killed writer leaves a consistent
file) and foreign keys; refuse a database that belongs to another application or to a newer
blocwatch; apply pending migrations, each in its own transaction.

The schema is only ever changed by adding a migration below, never by editing one that shipped.
Every table and column is documented in docs/schema.md (a test keeps the two in step).
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import sqlite_utils
from sqlite_utils.migrations import Migrations

from blocwatch.errors import StoreError
from blocwatch.model import OffsetMap

MIGRATION_SET = "blocwatch"
# PRAGMA application_id marks the file as ours ("Bloc" in ASCII), so another program's SQLite
# file is recognised even when it happens to use the same table names.
APPLICATION_ID = 0x426C6F63
# Milliseconds a writer waits for another connection's lock (a second run, a Datasette that is
# checkpointing) before failing. Batches commit in well under a second, so 10 s is generous.
BUSY_TIMEOUT_MS = 10_000
SQLITE_HEADER = b"SQLite format 3\x00"
# FTS5 tokenizer: Porter stemming over unicode61 with diacritics folded, so "signed" finds
# "signs" and "Türkiye" finds "Turkiye".
FTS_TOKENIZER = "porter unicode61 remove_diacritics 2"

DOCUMENT_TABLES = ("documents", "duplicates", "rejects", "extractions")
# Fact tables in insertion order: a table only references tables before it.
FACT_TABLES = (
    "joint_action_reports",
    "report_states",
    "report_evidence",
    "speakers",
    "quotes",
    "frame_uses",
    "claims",
)
# Tables whose content must be identical after re-running the same input. `runs` (an audit log
# with timestamps) and sqlite-utils' `_sqlite_migrations` are deliberately not in it.
DATA_TABLES = DOCUMENT_TABLES + FACT_TABLES
FTS_TABLES = {"documents": ("title", "text"), "quotes": ("text",)}

_SPAN = """
  start INTEGER NOT NULL CHECK (start >= 0),
  "end" INTEGER NOT NULL CHECK ("end" >= start)"""
_DOC_FK = "doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE"
# References between facts of one document are checked at commit, so the rows of a
# document may be inserted in any order inside `replace_document_facts`.
_DEFERRED = "DEFERRABLE INITIALLY DEFERRED"

_INITIAL_DDL = (
    """CREATE TABLE documents (
  id TEXT PRIMARY KEY,
  source TEXT NOT NULL,
  input_format TEXT NOT NULL,
  external_id TEXT,
  url TEXT,
  title TEXT,
  outlet TEXT,
  outlet_source TEXT NOT NULL,
  published TEXT,
  published_source TEXT NOT NULL,
  dateline_place TEXT,
  agency TEXT,
  language TEXT,
  language_source TEXT NOT NULL,
  encoding TEXT,
  fetched TEXT,
  text TEXT NOT NULL,
  clean_text TEXT NOT NULL,
  offsets TEXT NOT NULL,
  exact_hash TEXT NOT NULL,
  minhash BLOB NOT NULL,
  char_count INTEGER NOT NULL,
  word_count INTEGER NOT NULL
) STRICT""",
    "CREATE INDEX idx_documents_source ON documents(source)",
    "CREATE INDEX idx_documents_exact_hash ON documents(exact_hash)",
    "CREATE INDEX idx_documents_outlet ON documents(outlet)",
    "CREATE INDEX idx_documents_published ON documents(published)",
    """CREATE TABLE duplicates (
  source TEXT PRIMARY KEY,
  input_format TEXT NOT NULL,
  duplicate_of TEXT NOT NULL REFERENCES documents(id),
  method TEXT NOT NULL CHECK (method IN ('exact', 'near')),
  similarity REAL NOT NULL CHECK (similarity >= 0 AND similarity <= 1),
  external_id TEXT,
  url TEXT,
  title TEXT,
  outlet TEXT,
  published TEXT
) STRICT""",
    "CREATE INDEX idx_duplicates_duplicate_of ON duplicates(duplicate_of)",
    """CREATE TABLE rejects (
  source TEXT PRIMARY KEY,
  reason TEXT NOT NULL,
  detail TEXT NOT NULL
) STRICT""",
    "CREATE INDEX idx_rejects_reason ON rejects(reason)",
    """CREATE TABLE extractions (
  doc_id TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
  extractor TEXT NOT NULL,
  joint_actions INTEGER NOT NULL
) STRICT""",
    """CREATE TABLE runs (
  id INTEGER PRIMARY KEY,
  command TEXT NOT NULL,
  args TEXT NOT NULL,
  options TEXT NOT NULL,
  started_at TEXT NOT NULL,
  finished_at TEXT,
  status TEXT NOT NULL CHECK (status IN ('running', 'ok', 'failed', 'interrupted')),
  documents_new INTEGER NOT NULL DEFAULT 0,
  documents_seen INTEGER NOT NULL DEFAULT 0,
  documents_removed INTEGER NOT NULL DEFAULT 0,
  duplicates INTEGER NOT NULL DEFAULT 0,
  rejects INTEGER NOT NULL DEFAULT 0,
  other_counts TEXT,
  blocwatch_version TEXT NOT NULL,
  host TEXT NOT NULL,
  pid INTEGER NOT NULL
) STRICT""",
    f"""CREATE TABLE joint_action_reports (
  id TEXT PRIMARY KEY,
  {_DOC_FK},
  ordinal INTEGER NOT NULL,
  kind TEXT NOT NULL,
  forum TEXT,
  date TEXT,
  date_text TEXT,
  date_method TEXT,
  stance TEXT,
  target TEXT,
  issue TEXT,
  count INTEGER,
  count_qualifier TEXT,
  lead TEXT,
  update_of TEXT REFERENCES joint_action_reports(id) ON DELETE SET NULL {_DEFERRED},
  vote_yes INTEGER,
  vote_no INTEGER,
  vote_abstain INTEGER,
  outcome TEXT,{_SPAN},
  sentence TEXT NOT NULL
) STRICT""",
    f"""CREATE TABLE report_states (
  id TEXT PRIMARY KEY,
  report_id TEXT NOT NULL REFERENCES joint_action_reports(id) ON DELETE CASCADE {_DEFERRED},
  {_DOC_FK},
  iso3 TEXT NOT NULL,
  role TEXT NOT NULL,{_SPAN},
  name_as_written TEXT NOT NULL
) STRICT""",
    f"""CREATE TABLE report_evidence (
  id TEXT PRIMARY KEY,
  report_id TEXT NOT NULL REFERENCES joint_action_reports(id) ON DELETE CASCADE {_DEFERRED},
  {_DOC_FK},
  field TEXT NOT NULL,{_SPAN},
  text TEXT NOT NULL
) STRICT""",
    f"""CREATE TABLE speakers (
  id TEXT PRIMARY KEY,
  {_DOC_FK},
  name TEXT NOT NULL,
  role TEXT,
  affiliation TEXT,
  posting TEXT,
  kind TEXT NOT NULL DEFAULT 'person' CHECK (kind IN ('person', 'institution')),
  quoted INTEGER NOT NULL CHECK (quoted IN (0, 1)),{_SPAN},
  name_as_written TEXT NOT NULL
) STRICT""",
    f"""CREATE TABLE quotes (
  id TEXT PRIMARY KEY,
  {_DOC_FK},
  speaker_id TEXT REFERENCES speakers(id) ON DELETE SET NULL {_DEFERRED},
  kind TEXT NOT NULL CHECK (kind IN ('direct', 'indirect')),{_SPAN},
  text TEXT NOT NULL,
  attribution_start INTEGER CHECK (attribution_start >= 0),
  attribution_end INTEGER CHECK (attribution_end >= attribution_start)
) STRICT""",
    f"""CREATE TABLE frame_uses (
  id TEXT PRIMARY KEY,
  {_DOC_FK},
  frame TEXT NOT NULL,
  concept TEXT,
  voice TEXT NOT NULL CHECK (voice IN ('narration', 'quote', 'scare_quote')),
  speaker_id TEXT REFERENCES speakers(id) ON DELETE SET NULL {_DEFERRED},
  quote_id TEXT REFERENCES quotes(id) ON DELETE SET NULL {_DEFERRED},{_SPAN},
  term TEXT NOT NULL
) STRICT""",
    f"""CREATE TABLE claims (
  id TEXT PRIMARY KEY,
  {_DOC_FK},
  value REAL,
  value_text TEXT NOT NULL,
  what TEXT,
  claimant TEXT,
  speaker_id TEXT REFERENCES speakers(id) ON DELETE SET NULL {_DEFERRED},{_SPAN},
  sentence TEXT NOT NULL
) STRICT""",
    *(f"CREATE INDEX idx_{table}_doc_id ON {table}(doc_id)" for table in FACT_TABLES),
    "CREATE INDEX idx_report_states_report_id ON report_states(report_id)",
    "CREATE INDEX idx_report_states_iso3 ON report_states(iso3)",
    "CREATE INDEX idx_report_evidence_report_id ON report_evidence(report_id)",
    "CREATE INDEX idx_joint_action_reports_update_of ON joint_action_reports(update_of)",
    "CREATE INDEX idx_quotes_speaker_id ON quotes(speaker_id)",
    "CREATE INDEX idx_frame_uses_speaker_id ON frame_uses(speaker_id)",
    "CREATE INDEX idx_frame_uses_quote_id ON frame_uses(quote_id)",
    "CREATE INDEX idx_claims_speaker_id ON claims(speaker_id)",
)

# The column of each fact table that holds documents.text[start:end] verbatim.
SPAN_TEXT_COLUMN = {
    "joint_action_reports": "sentence",
    "report_states": "name_as_written",
    "report_evidence": "text",
    "speakers": "name_as_written",
    "quotes": "text",
    "frame_uses": "term",
    "claims": "sentence",
}

migrations = Migrations(MIGRATION_SET)


@migrations(name="m001_initial")
def _m001_initial(db: sqlite_utils.Database) -> None:
    """Documents, duplicates, rejects, runs, and the (still empty) fact tables with FTS5."""
    for statement in _INITIAL_DDL:
        db.execute(statement)
    for table, columns in FTS_TABLES.items():
        db.table(table).enable_fts(columns, create_triggers=True, tokenize=FTS_TOKENIZER)
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")


MIGRATION_NAMES = ("m001_initial",)
LATEST_SCHEMA_VERSION = len(MIGRATION_NAMES)


def open_store(path: str | Path, *, create: bool = True) -> sqlite_utils.Database:
    """Open (or create) a blocwatch database, upgraded to the latest schema.

    `create=False` is for read-only commands (`stats`, `report`): a missing file is then an error
    instead of a new empty database. Raises StoreError with what to do next.
    """
    in_memory = str(path) == ":memory:"
    file = Path(path)
    if not in_memory:
        _check_path(file, create)
    try:
        db = sqlite_utils.Database(":memory:" if in_memory else file, execute_plugins=False)
    except sqlite3.Error as error:
        raise StoreError(f"cannot open database {file}: {error}") from error
    try:
        _prepare(db, file)
    except sqlite3.DatabaseError as error:
        db.close()
        raise StoreError(
            f"{file} cannot be used as a blocwatch database ({error}): if it is read-only, "
            "make it writable; if it is damaged, restore it from a backup or point --db at a "
            "new file"
        ) from error
    except StoreError:
        db.close()
        raise
    return db


def _check_path(file: Path, create: bool) -> None:
    """Refuse directories and non-SQLite files before SQLite sees them (it would fail late)."""
    if file.is_dir():
        raise StoreError(
            f"{file} is a directory; --db needs a file path such as {file}/blocwatch.db"
        )
    if not file.exists():
        if not create:
            raise StoreError(f"no database at {file}; run `blocwatch ingest ... --db {file}` first")
        try:
            file.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StoreError(f"cannot create directory {file.parent}: {error}") from error
        return
    try:
        with file.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as error:
        raise StoreError(f"cannot read {file}: {error}") from error
    if header and header != SQLITE_HEADER:
        raise StoreError(
            f"{file} is not a SQLite database; choose another --db path (blocwatch will not "
            "overwrite it)"
        )


def _prepare(db: sqlite_utils.Database, file: Path) -> None:
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    db.execute("PRAGMA foreign_keys = ON")
    _check_owner(db, file)
    db.enable_wal()
    pending = migrations.pending(db)
    if pending:
        migrations.apply(db)


def _check_owner(db: sqlite_utils.Database, file: Path) -> None:
    """A database that is not ours, or is from a newer blocwatch, is never modified."""
    app_id = db.execute("PRAGMA application_id").fetchone()[0]
    if app_id not in (0, APPLICATION_ID):
        raise StoreError(
            f"{file} belongs to another application (application_id {app_id:#x}); "
            "use a new --db path for blocwatch"
        )
    applied = [m.name for m in migrations.applied(db)]
    unknown = [name for name in applied if name not in MIGRATION_NAMES]
    if unknown:
        raise StoreError(
            f"{file} was written by a newer blocwatch (schema steps {', '.join(unknown)}); "
            "upgrade blocwatch to read it"
        )
    others = set(db.table_names()) - {Migrations.migrations_table}
    if not applied and others:
        raise StoreError(
            f"{file} is a SQLite database of another application (tables: "
            f"{', '.join(sorted(others)[:5])}); use a new --db path for blocwatch"
        )


def schema_version(db: sqlite_utils.Database) -> int:
    """How many blocwatch migrations this database has had (LATEST_SCHEMA_VERSION when current)."""
    return len(migrations.applied(db))


def rebuild_fts(db: sqlite_utils.Database) -> None:
    """Rebuild the full-text indexes from their tables.

    The FTS5 indexes point at table rowids. SQLite keeps rowids through VACUUM in practice but
    does not promise it for tables without an INTEGER PRIMARY KEY, so after a VACUUM or a
    hand edit, run this (it is cheap next to an ingest).
    """
    with db.atomic():
        for table in FTS_TABLES:
            db.execute(f"INSERT INTO {table}_fts({table}_fts) VALUES ('rebuild')")


def offsets_to_json(offsets: OffsetMap) -> str:
    """Compact JSON of an OffsetMap's runs: {"s": starts, "o": origins, "cl": .., "ol": ..}."""
    payload = {
        "s": list(offsets.starts),
        "o": list(offsets.origins),
        "cl": offsets.clean_length,
        "ol": offsets.original_length,
    }
    return json.dumps(payload, separators=(",", ":"))


def offsets_from_json(value: str) -> OffsetMap:
    """Inverse of offsets_to_json; a malformed value (a hand-edited DB) raises ValueError."""
    payload: Any = json.loads(value)
    if not isinstance(payload, dict) or set(payload) != {"s", "o", "cl", "ol"}:
        raise ValueError(f"offsets must be an object with keys s, o, cl, ol: {value[:80]!r}")
    starts, origins = payload["s"], payload["o"]
    lengths = (payload["cl"], payload["ol"])
    if not (isinstance(starts, list) and isinstance(origins, list) and len(starts) == len(origins)):
        raise ValueError("offsets: s and o must be lists of the same length")
    if not all(_is_int(n) for n in (*starts, *origins, *lengths)):
        raise ValueError("offsets: every position must be an integer")
    return OffsetMap(
        starts=tuple(starts),
        origins=tuple(origins),
        clean_length=lengths[0],
        original_length=lengths[1],
    )


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
