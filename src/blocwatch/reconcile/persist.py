"""The tables `reconcile` fills (migration m002): written as a whole, read back for the CLI.

The tables are rebuilt, never patched: one transaction deletes every reconciled row and inserts
the new ones, so a reader (Datasette, the report, an export) sees one state of the corpus or the
other, never a mix. Rows carry no time or run id, ids are derived from content and JSON columns
are written compactly with sorted keys, so reconciling the same reports twice leaves the tables
byte-identical.

This module takes the record shapes of `reconcile/records.py` (pure dataclasses, no logic); it is
the one place where the store knows about reconciliation.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from blocwatch.reconcile.actions import CanonicalAction
from blocwatch.reconcile.records import (
    Alignment,
    Contradiction,
    Cosignature,
    Reconciled,
    ReferenceCheck,
    ReferenceEntry,
    SourceRef,
    StatePosition,
)
from blocwatch.store.write import storable, write_transaction

# Ids of contradictions and reference checks: 16 hex chars of a sha1, as for document ids.
# 64 bits make an accidental collision among a corpus's few thousand rows negligible; a real
# one (two records with the same kind, action and subject) gets a sequence suffix instead.
ID_CHARS = 16
# Months in labels are English abbreviations, never the locale's: labels are data.
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
KIND_TITLES = {
    "letter": "Joint letter",
    "joint_statement": "Joint statement",
    "vote": "Vote",
    "individual_statements": "Statements",
}
STANCE_WORDS = {"support": "supporting", "criticize": "criticising"}
# The issue vocabulary's catch-all ("other") says nothing in a title; named issues are kept.
UNNAMED_ISSUE = "other"

# Column order of each table, as in schema.py (a test checks the two agree).
COLUMNS: dict[str, tuple[str, ...]] = {
    "actions": (
        "key",
        "label",
        "kind",
        "forum",
        "stance",
        "target",
        "issues",
        "first_date",
        "dates",
        "leads",
        "count_low",
        "count_high",
        "latest_count",
        "reports",
        "documents",
        "outlets",
        "named_states",
        "contradictions",
        "flagged",
        "flag_reason",
    ),
    "action_reports": ("report_id", "action_key", "doc_id", "joined_by"),
    "action_states": (
        "action_key",
        "iso3",
        "position",
        "reports",
        "documents",
        "outlets",
        "sources",
    ),
    "contradictions": (
        "id",
        "kind",
        "action_key",
        "other_action_key",
        "subject",
        "summary",
        "side_a",
        "side_b",
    ),
    "alignments": ("iso3", "target", "issue", "supports", "criticizes", "net", "actions"),
    "cosignatures": ("iso3_a", "iso3_b", "shared", "actions"),
    "reference_entries": (
        "key",
        "date",
        "forum",
        "stance",
        "target",
        "lead",
        "count",
        "states",
        "source",
        "file",
    ),
    "reference_checks": (
        "id",
        "reference_key",
        "action_key",
        "field",
        "reference_value",
        "reported_value",
        "verdict",
        "sources",
    ),
}
# Children before parents, so deleting never trips a foreign key (inserts go the other way).
DELETE_ORDER = (
    "reference_checks",
    "reference_entries",
    "contradictions",
    "action_states",
    "action_reports",
    "alignments",
    "cosignatures",
    "actions",
)


@dataclass(frozen=True)
class StoredReference:
    """A user's official record (`--reference FILE`) and how the news compares with it."""

    file: str
    entries: tuple[ReferenceEntry, ...]
    checks: tuple[ReferenceCheck, ...] = ()


def compact_json(value: Any) -> str:
    """The one JSON form of reconciled columns: compact, sorted keys, UTF-8 kept readable."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _sources_json(sources: Iterable[SourceRef]) -> str:
    return compact_json([dataclasses.asdict(source) for source in sources])


def _short_id(*parts: str | None) -> str:
    joined = "\x1f".join(part or "" for part in parts)
    return hashlib.sha1(joined.encode(), usedforsecurity=False).hexdigest()[:ID_CHARS]


def _unique(ids: Iterable[str]) -> list[str]:
    """The same ids, a repeated one suffixed with -2, -3 … in order (inputs are sorted first)."""
    seen: Counter[str] = Counter()
    out = []
    for base in ids:
        seen[base] += 1
        out.append(base if seen[base] == 1 else f"{base}-{seen[base]}")
    return out


def _when_key(when: str | None) -> str:
    """Sort key for a date: "2019-07" after every day of July (it may mean any of them)."""
    if when is None:
        return ""
    return when if len(when) >= len("YYYY-MM-DD") else when + "~"


def first_date(dates: Sequence[str]) -> str | None:
    """The earliest date, a day date before a month date of the same month."""
    return min(dates, key=_when_key) if dates else None


def readable_date(value: str | None) -> str:
    """ "2019-07-12" → "12 Jul 2019", "2019-07" → "Jul 2019"; other text is returned as is."""
    if not value:
        return "undated"
    parts = value.split("-")
    if not all(part.isdigit() for part in parts) or not 1 <= len(parts) <= 3:
        return value
    if len(parts) == 1:
        return parts[0]
    month = int(parts[1])
    if not 1 <= month <= len(MONTHS):
        return value
    head = f"{int(parts[2])} " if len(parts) == 3 else ""
    return f"{head}{MONTHS[month - 1]} {parts[0]}"


def action_label(action: CanonicalAction) -> str:
    """A readable title: "Joint letter at UNHRC supporting CHN (Xinjiang), 12 Jul 2019"."""
    words = [KIND_TITLES.get(action.kind, action.kind.replace("_", " ").capitalize())]
    if action.forum:
        words.append(f"at {action.forum}")
    if action.target:
        words.append(f"{STANCE_WORDS.get(action.stance or '', 'on')} {action.target}")
    issues = [issue for issue in action.issues if issue != UNNAMED_ISSUE]
    if issues:
        words.append(f"({', '.join(issues)})")
    return f"{' '.join(words)}, {readable_date(first_date(action.dates))}"


def _action_row(
    action: CanonicalAction,
    positions: Sequence[StatePosition],
    contradictions: int,
    flag_reason: str | None,
) -> dict[str, Any]:
    counts = [count for _when, count, _qualifier, _report in action.timeline if count is not None]
    named = set(action.signatories) | {position.iso3 for position in positions}
    return {
        "key": action.key,
        "label": action_label(action),
        "kind": action.kind,
        "forum": action.forum,
        "stance": action.stance,
        "target": action.target,
        "issues": compact_json(list(action.issues)),
        "first_date": first_date(action.dates),
        "dates": compact_json(list(action.dates)),
        "leads": compact_json(list(action.leads)),
        "count_low": min(counts) if counts else None,
        "count_high": max(counts) if counts else None,
        "latest_count": counts[-1] if counts else None,
        "reports": len(action.reports),
        "documents": len({report.doc_id for report in action.reports}),
        "outlets": len({report.outlet for report in action.reports if report.outlet}),
        "named_states": len(named),
        "contradictions": contradictions,
        "flagged": int(action.flagged),
        "flag_reason": flag_reason,
    }


def _position_row(position: StatePosition) -> dict[str, Any]:
    outlets = sorted({source.outlet for source in position.sources if source.outlet})
    return {
        "action_key": position.action_key,
        "iso3": position.iso3,
        "position": position.position,
        "reports": len({source.report_id for source in position.sources}),
        "documents": len({source.doc_id for source in position.sources}),
        "outlets": compact_json(outlets) if outlets else None,
        "sources": _sources_json(position.sources),
    }


def _contradiction_rows(contradictions: Sequence[Contradiction]) -> list[dict[str, Any]]:
    rows = sorted(
        (
            {
                "kind": c.kind,
                "action_key": c.action_key,
                "other_action_key": c.other_action_key,
                "subject": c.subject,
                "summary": c.summary,
                "side_a": _sources_json(c.side_a),
                "side_b": _sources_json(c.side_b),
            }
            for c in contradictions
        ),
        key=compact_json,
    )
    ids = _unique(
        _short_id(r["kind"], r["action_key"], r["other_action_key"], r["subject"]) for r in rows
    )
    return [{"id": id_, **row} for id_, row in zip(ids, rows, strict=True)]


def _alignment_row(alignment: Alignment) -> dict[str, Any]:
    return {
        "iso3": alignment.iso3,
        "target": alignment.target,
        "issue": alignment.issue or "",
        "supports": alignment.supports,
        "criticizes": alignment.criticizes,
        "net": alignment.net,
        "actions": compact_json(list(alignment.actions)),
    }


def _cosignature_row(pair: Cosignature) -> dict[str, Any]:
    return {
        "iso3_a": pair.iso3_a,
        "iso3_b": pair.iso3_b,
        "shared": len(pair.actions),
        "actions": compact_json(list(pair.actions)),
    }


def _entry_row(entry: ReferenceEntry, file: str) -> dict[str, Any]:
    row = dataclasses.asdict(entry)
    return {**row, "states": compact_json(list(entry.states)), "file": file}


def _check_rows(checks: Sequence[ReferenceCheck]) -> list[dict[str, Any]]:
    rows = sorted(
        (
            {
                "reference_key": c.reference_key,
                "action_key": c.action_key,
                "field": c.field,
                "reference_value": c.reference_value,
                "reported_value": c.reported_value,
                "verdict": c.verdict,
                "sources": _sources_json(c.sources),
            }
            for c in checks
        ),
        key=compact_json,
    )
    ids = _unique(_short_id(r["reference_key"], r["field"]) for r in rows)
    return [{"id": id_, **row} for id_, row in zip(ids, rows, strict=True)]


def reconciled_rows(
    reconciled: Reconciled, reference: StoredReference | None = None
) -> dict[str, list[dict[str, Any]]]:
    """Every row of the m002 tables for one reconciliation, table by table (pure)."""
    by_action: dict[str, list[StatePosition]] = {}
    for position in reconciled.positions:
        by_action.setdefault(position.action_key, []).append(position)
    disputes: Counter[str] = Counter()
    for c in reconciled.contradictions:
        disputes[c.action_key] += 1
        if c.other_action_key and c.other_action_key != c.action_key:
            disputes[c.other_action_key] += 1
    actions = sorted(reconciled.actions, key=lambda a: a.key)
    rows: dict[str, list[dict[str, Any]]] = {
        "actions": [
            _action_row(
                a, by_action.get(a.key, []), disputes[a.key], reconciled.flag_reasons.get(a.key)
            )
            for a in actions
        ],
        "action_reports": sorted(
            (
                {
                    "report_id": r.report_id,
                    "action_key": a.key,
                    "doc_id": r.doc_id,
                    "joined_by": _joined_by(reconciled, r.report_id),
                }
                for a in actions
                for r in a.reports
            ),
            key=lambda row: row["report_id"],
        ),
        "action_states": sorted(
            (_position_row(p) for p in reconciled.positions),
            key=lambda row: (row["action_key"], row["iso3"], row["position"]),
        ),
        "contradictions": _contradiction_rows(reconciled.contradictions),
        "alignments": sorted(
            (_alignment_row(a) for a in reconciled.alignments),
            key=lambda row: (row["iso3"], row["target"], row["issue"]),
        ),
        "cosignatures": sorted(
            (_cosignature_row(c) for c in reconciled.cosignatures),
            key=lambda row: (row["iso3_a"], row["iso3_b"]),
        ),
        "reference_entries": [],
        "reference_checks": [],
    }
    if reference is not None:
        rows["reference_entries"] = sorted(
            (_entry_row(entry, reference.file) for entry in reference.entries),
            key=lambda row: row["key"],
        )
        rows["reference_checks"] = _check_rows(reference.checks)
    return rows


def _joined_by(reconciled: Reconciled, report_id: str) -> str:
    how = reconciled.joined_by.get(report_id)
    if how is None:
        raise ValueError(f"reconcile gave no joined_by for report {report_id}")
    return how


def replace_reconciled(
    db: sqlite_utils.Database, reconciled: Reconciled, reference: StoredReference | None = None
) -> dict[str, int]:
    """Swap the reconciled tables' contents; the caller holds the transaction. Returns rows per
    table. Without `reference` the reference tables are emptied."""
    if not db.conn.in_transaction:
        raise RuntimeError("replace_reconciled() must run inside write_transaction()")
    rows = reconciled_rows(reconciled, reference)
    for table in DELETE_ORDER:
        db.execute(f"DELETE FROM {table}")
    for table in reversed(DELETE_ORDER):
        columns = COLUMNS[table]
        quoted = ", ".join(f'"{c}"' for c in columns)
        marks = ", ".join("?" for _ in columns)
        db.conn.executemany(
            f"INSERT INTO {table} ({quoted}) VALUES ({marks})",
            ([_storable(row[c]) for c in columns] for row in rows[table]),
        )
    return {table: len(rows[table]) for table in COLUMNS}


def write_reconciled(
    db: sqlite_utils.Database, reconciled: Reconciled, reference: StoredReference | None = None
) -> dict[str, int]:
    """`replace_reconciled` in its own transaction: all new rows, or (on any error) the old."""
    with write_transaction(db):
        return replace_reconciled(db, reconciled, reference)


def _storable(value: Any) -> Any:
    return storable(value) if isinstance(value, str) else value


def read_reference(db: sqlite_utils.Database) -> StoredReference | None:
    """The stored reference entries (checks left out: they are recomputed), or None."""
    rows = list(db.query("SELECT * FROM reference_entries ORDER BY key"))
    if not rows:
        return None
    entries = tuple(
        ReferenceEntry(
            key=row["key"],
            date=row["date"],
            forum=row["forum"],
            stance=row["stance"],
            target=row["target"],
            lead=row["lead"],
            count=row["count"],
            states=tuple(json.loads(row["states"])),
            source=row["source"],
        )
        for row in rows
    )
    return StoredReference(file=rows[0]["file"], entries=entries)


def stored_action_count(db: sqlite_utils.Database) -> int:
    """How many canonical actions are stored (0 before the first `reconcile`)."""
    return int(db.execute("SELECT count(*) FROM actions").fetchone()[0])


def action_summaries(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    """One row per stored action for `blocwatch actions`: counts over time from the timeline."""
    timeline: dict[str, list[tuple[str | None, int]]] = {}
    for row in db.query('SELECT action_key, "when", count, report_id FROM action_timeline'):
        timeline.setdefault(row["action_key"], []).append((row["when"], row["count"]))
    return [
        {
            "action": row["key"],
            "reports": row["reports"],
            "sources": row["documents"],
            "counts over time": " → ".join(
                f"{count}" + (f" ({when})" if when else "")
                for when, count in sorted(
                    timeline.get(row["key"], []), key=lambda t: (_when_key(t[0]), t[1])
                )
            ),
            "lead": ", ".join(json.loads(row["leads"])),
            "states named": row["named_states"],
            "contradictions": row["contradictions"],
            "flagged": "yes" if row["flagged"] else "",
        }
        for row in db.query("SELECT * FROM actions ORDER BY key")
    ]
