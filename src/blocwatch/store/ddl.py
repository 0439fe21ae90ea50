"""The schema's tables as data: the statements of every shipped migration.

A statement here is never edited once it has shipped: the schema changes only by a new migration
in store/schema.py with new statements below. Every table and column is documented in
docs/schema.md (a test keeps the two in step).
"""

from __future__ import annotations

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
# Tables derived by `reconcile` from all documents' reports. They are rebuilt as a whole (one
# transaction) after every extraction, so they never mix two states of the corpus.
RECONCILED_TABLES = (
    "actions",
    "action_reports",
    "action_states",
    "contradictions",
    "alignments",
    "cosignatures",
)
# Filled from `--reference FILE`; kept (and checked again at every reconcile) until replaced.
REFERENCE_TABLES = ("reference_entries", "reference_checks")
# Tables whose content must be identical after re-running the same input. `runs` (an audit log
# with timestamps) and sqlite-utils' `_sqlite_migrations` are deliberately not in it. The
# reconciled tables are data too: ids from content, no times, rebuilt deterministically.
DATA_TABLES = DOCUMENT_TABLES + FACT_TABLES + RECONCILED_TABLES + REFERENCE_TABLES
FTS_TABLES = {"documents": ("title", "text"), "quotes": ("text",)}

_SPAN = """
  start INTEGER NOT NULL CHECK (start >= 0),
  "end" INTEGER NOT NULL CHECK ("end" >= start)"""
_DOC_FK = "doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE"
# References between facts of one document are checked at commit, so the rows of a
# document may be inserted in any order inside `replace_document_facts`.
_DEFERRED = "DEFERRABLE INITIALLY DEFERRED"

INITIAL_DDL = (
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

RECONCILE_DDL = (
    """CREATE TABLE actions (
  key TEXT PRIMARY KEY,
  label TEXT NOT NULL,
  kind TEXT NOT NULL,
  forum TEXT,
  stance TEXT,
  target TEXT,
  issues TEXT,
  first_date TEXT,
  dates TEXT,
  leads TEXT,
  count_low INTEGER,
  count_high INTEGER,
  latest_count INTEGER,
  reports INTEGER NOT NULL,
  documents INTEGER NOT NULL,
  outlets INTEGER NOT NULL,
  named_states INTEGER NOT NULL,
  contradictions INTEGER NOT NULL,
  flagged INTEGER NOT NULL CHECK (flagged IN (0, 1)),
  flag_reason TEXT
) STRICT""",
    "CREATE INDEX idx_actions_target ON actions(target, stance)",
    "CREATE INDEX idx_actions_first_date ON actions(first_date)",
    """CREATE TABLE action_reports (
  report_id TEXT PRIMARY KEY REFERENCES joint_action_reports(id) ON DELETE CASCADE,
  action_key TEXT NOT NULL REFERENCES actions(key) ON DELETE CASCADE,
  doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  joined_by TEXT NOT NULL
) STRICT""",
    "CREATE INDEX idx_action_reports_action_key ON action_reports(action_key)",
    "CREATE INDEX idx_action_reports_doc_id ON action_reports(doc_id)",
    """CREATE TABLE action_states (
  action_key TEXT NOT NULL REFERENCES actions(key) ON DELETE CASCADE,
  iso3 TEXT NOT NULL,
  position TEXT NOT NULL CHECK (position IN
    ('lead', 'signed', 'voted_for', 'voted_against', 'abstained', 'withdrew')),
  reports INTEGER NOT NULL,
  documents INTEGER NOT NULL,
  outlets TEXT,
  sources TEXT NOT NULL,
  PRIMARY KEY (action_key, iso3, position)
) STRICT""",
    "CREATE INDEX idx_action_states_iso3 ON action_states(iso3)",
    """CREATE TABLE contradictions (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN
    ('count', 'date', 'lead', 'forum', 'both_sides', 'group_label', 'withdrawal')),
  action_key TEXT NOT NULL REFERENCES actions(key) ON DELETE CASCADE,
  other_action_key TEXT REFERENCES actions(key) ON DELETE CASCADE,
  subject TEXT NOT NULL,
  summary TEXT NOT NULL,
  side_a TEXT NOT NULL,
  side_b TEXT NOT NULL
) STRICT""",
    "CREATE INDEX idx_contradictions_action_key ON contradictions(action_key)",
    """CREATE TABLE alignments (
  iso3 TEXT NOT NULL,
  target TEXT NOT NULL,
  issue TEXT NOT NULL DEFAULT '',
  supports INTEGER NOT NULL,
  criticizes INTEGER NOT NULL,
  net INTEGER NOT NULL,
  actions TEXT NOT NULL,
  PRIMARY KEY (iso3, target, issue)
) STRICT""",
    """CREATE TABLE cosignatures (
  iso3_a TEXT NOT NULL,
  iso3_b TEXT NOT NULL CHECK (iso3_a < iso3_b),
  shared INTEGER NOT NULL,
  actions TEXT NOT NULL,
  PRIMARY KEY (iso3_a, iso3_b)
) STRICT""",
    """CREATE TABLE reference_entries (
  key TEXT PRIMARY KEY,
  date TEXT,
  forum TEXT,
  stance TEXT,
  target TEXT,
  lead TEXT,
  count INTEGER,
  states TEXT NOT NULL,
  source TEXT,
  file TEXT NOT NULL
) STRICT""",
    """CREATE TABLE reference_checks (
  id TEXT PRIMARY KEY,
  reference_key TEXT NOT NULL REFERENCES reference_entries(key) ON DELETE CASCADE,
  action_key TEXT REFERENCES actions(key) ON DELETE SET NULL,
  field TEXT NOT NULL,
  reference_value TEXT,
  reported_value TEXT,
  verdict TEXT NOT NULL CHECK (verdict IN ('agrees', 'differs', 'not_reported', 'unmatched')),
  sources TEXT NOT NULL
) STRICT""",
    "CREATE INDEX idx_reference_checks_reference_key ON reference_checks(reference_key)",
    # The count timeline of every canonical action: one row per report that gives a count.
    """CREATE VIEW action_timeline AS
SELECT ar.action_key, r.id AS report_id, r.doc_id, d.outlet, d.published,
  COALESCE(r.date, d.published) AS "when", r.count, r.count_qualifier, r.start, r."end", r.sentence
FROM action_reports ar
JOIN joint_action_reports r ON r.id = ar.report_id
JOIN documents d ON d.id = r.doc_id
WHERE r.count IS NOT NULL""",
)
