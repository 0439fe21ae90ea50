"""Shared fixtures: where ../shared is, and helpers to compare stores."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"

# Tables whose rows are an audit log of runs, not data: excluded from "same DB" comparisons.
LOG_TABLES = ("runs", "_sqlite_migrations")


@pytest.fixture
def shared() -> Path:
    """The shared data directory (gold sets, seeds); tests needing it skip cleanly when absent."""
    if not (SHARED / "devset").is_dir():
        pytest.skip("../shared is not present")
    return SHARED


def data_dump(db_path: Path) -> list[str]:
    """Every data row of every table, in a stable order (the audit log excluded)."""
    connection = sqlite3.connect(db_path)
    try:
        tables = [
            row[0]
            for row in connection.execute(
                "select name from sqlite_master where type = 'table' order by name"
            )
        ]
        lines: list[str] = []
        for table in tables:
            if table in LOG_TABLES or table.startswith("sqlite_") or "_fts" in table:
                continue
            rows = connection.execute(f'select * from "{table}"').fetchall()
            lines.extend(f"{table}: {row!r}" for row in sorted(rows, key=repr))
        return lines
    finally:
        connection.close()
