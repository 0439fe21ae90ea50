"""docs/schema.md matches the schema exactly: every table, column and type; no stale entries."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from blocwatch.errors import RejectReason
from blocwatch.store import open_store

SCHEMA_MD = Path(__file__).resolve().parents[2] / "docs" / "schema.md"
ROW = re.compile(r"^\| `?(\w+)`? \| (\w+)[^|]*\| (.+) \|$")


def documented() -> dict[str, dict[str, str]]:
    """{table: {column: type}} from the `### table` sections' markdown tables."""
    tables: dict[str, dict[str, str]] = {}
    current: dict[str, str] | None = None
    for line in SCHEMA_MD.read_text().splitlines():
        if line.startswith("#"):
            heading = re.fullmatch(r"### `?(\w+)`?", line)
            current = tables.setdefault(heading.group(1), {}) if heading else None
        elif current is not None and (row := ROW.match(line)) and row.group(1) != "column":
            current[row.group(1)] = row.group(2)
    return tables


def actual(tmp_path: Path) -> dict[str, dict[str, str]]:
    db = open_store(tmp_path / "x.db")
    tables = {
        table: {c.name: c.type.split()[0] if c.type else "" for c in db[table].columns}
        for table in db.table_names()
        if "_fts" not in table
    }
    db.close()
    return tables


def test_every_table_and_column_is_documented_with_its_type(tmp_path: Path) -> None:
    docs, schema = documented(), actual(tmp_path)
    assert sorted(docs) == sorted(schema)
    for table, columns in schema.items():
        assert list(docs[table]) == list(columns), f"{table}: columns differ or are out of order"
        for column, kind in columns.items():
            if kind:  # sqlite-utils' own table declares some columns without a type
                assert docs[table][column] == kind, f"{table}.{column}: documented type"


def test_every_reject_reason_is_documented() -> None:
    reasons_row = next(
        line for line in SCHEMA_MD.read_text().splitlines() if line.startswith("| reason |")
    )
    for reason in RejectReason:
        assert str(reason) in reasons_row, f"reject reason {reason} is not in docs/schema.md"


@pytest.mark.parametrize("table", ["joint_action_reports", "quotes", "claims"])
def test_fact_tables_say_honestly_who_fills_them(table: str) -> None:
    section = SCHEMA_MD.read_text().split(f"### {table}\n")[1].split("###")[0]
    assert "Filled by:" in section
