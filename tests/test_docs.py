"""Docs stay honest: every CLI command and option, and every table column, is documented."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer.main

from blocwatch import store
from blocwatch.cli import app

ROOT = Path(__file__).resolve().parents[1]


def _commands() -> dict[str, typer.core.TyperCommand]:
    group = typer.main.get_command(app)
    commands = getattr(group, "commands", None)
    assert commands, "the CLI has no sub-commands"
    return dict(commands)


def _section(markdown: str, heading: str) -> str:
    match = re.search(rf"^## {re.escape(heading)}\n(.*?)(?=^## |\Z)", markdown, re.M | re.S)
    assert match, f"docs/cli.md has no section '## {heading}'"
    return match.group(1)


@pytest.mark.parametrize("name", sorted(_commands()))
def test_every_option_is_documented_in_cli_md(name: str) -> None:
    section = _section((ROOT / "docs" / "cli.md").read_text(), f"blocwatch {name}")
    for param in _commands()[name].params:
        if getattr(param, "param_type_name", "") == "option" and param.name != "help":
            for flag in param.opts:
                assert f"`{flag}`" in section, f"`{flag}` of `blocwatch {name}` is undocumented"


def test_every_command_is_in_readme() -> None:
    readme = (ROOT / "README.md").read_text()
    for name in _commands():
        assert f"blocwatch {name}" in readme, f"README does not mention `blocwatch {name}`"


def test_every_table_and_column_is_in_schema_md(tmp_path: Path) -> None:
    schema = (ROOT / "docs" / "schema.md").read_text()
    db = store.open_store(tmp_path / "x.db")
    try:
        for table in db.table_names():
            if table.startswith("_") or "_fts" in table:
                continue
            section = re.search(rf"^### `?{table}`?\n(.*?)(?=^#{{2,3}} |\Z)", schema, re.M | re.S)
            assert section, f"table {table} is not documented in docs/schema.md"
            for column in db[table].columns_dict:
                assert re.search(rf"^\| `?{column}`? \|", section.group(1), re.M), (
                    f"column {table}.{column} is not documented in docs/schema.md"
                )
    finally:
        db.close()
