"""Datasette serves a store made by `blocwatch run` as is: tables and the timeline view as JSON."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from blocwatch.cli import app

ROOT = Path(__file__).resolve().parents[1]
datasette_app = pytest.importorskip("datasette.app")


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("datasette") / "demo.db"
    result = CliRunner().invoke(
        app, ["run", str(ROOT / "examples" / "corpus"), "--db", str(db), "-q"]
    )
    assert result.exit_code == 0, result.output
    return db


def get_json(db: Path, path: str) -> tuple[int, Any]:
    async def fetch() -> tuple[int, Any]:
        ds = datasette_app.Datasette([str(db)])
        response = await ds.client.get(path)
        return response.status_code, response.json()

    return asyncio.run(fetch())


def count(db: Path, table: str) -> int:
    connection = sqlite3.connect(db)
    try:
        return int(connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    finally:
        connection.close()


@pytest.mark.slow
def test_datasette_serves_the_actions_table(demo_db: Path) -> None:
    status, body = get_json(demo_db, f"/{demo_db.stem}/actions.json?_shape=array&_size=max")
    assert status == 200
    assert len(body) == count(demo_db, "actions") > 0
    first = body[0]
    assert {"key", "label", "count_low", "latest_count", "contradictions"} <= set(first)
    assert first["label"] and first["key"]


@pytest.mark.slow
def test_datasette_serves_the_timeline_view_and_a_sql_query(demo_db: Path) -> None:
    status, body = get_json(demo_db, f"/{demo_db.stem}/action_timeline.json?_shape=array")
    assert status == 200
    assert body and {"action_key", "when", "count", "sentence"} <= set(body[0])
    sql = "select+count(*)+as+n+from+action_states"
    status, body = get_json(demo_db, f"/{demo_db.stem}.json?sql={sql}&_shape=array")
    assert status == 200 and body == [{"n": count(demo_db, "action_states")}]
