"""Reconcile on the real seeds + devset (read at run time from ../shared): the July 2019 letters
and the October 2019 Third Committee statements come out as one action each."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from blocwatch.cli import app
from blocwatch.reconcile import reconcile
from blocwatch.reconcile.actions import CanonicalAction
from blocwatch.reconcile.load import read_report_rows
from blocwatch.reconcile.records import CONTRADICTION_KINDS, Reconciled
from blocwatch.store import open_store
from tests.conftest import SHARED

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Reconciled, dict[str, str]]:
    """The reconciliation of seeds + devset, and each document id's source file name."""
    if not (SHARED / "devset").is_dir() or not (SHARED / "corpus" / "seeds").is_dir():
        pytest.skip("../shared is not present")
    db_path = tmp_path_factory.mktemp("corpus") / "corpus.db"
    inputs = [str(SHARED / "corpus" / "seeds"), str(SHARED / "devset")]
    result = CliRunner().invoke(app, ["run", *inputs, "--db", str(db_path), "-q"])
    assert result.exit_code == 0, result.output
    db = open_store(db_path)
    try:
        rows = read_report_rows(db)
        names = {
            row["id"]: Path(row["source"]).name
            for row in db.query("SELECT id, source FROM documents")
        }
    finally:
        db.close()
    return reconcile(rows), names


def _files(action: CanonicalAction, names: dict[str, str]) -> set[str]:
    return {names[r.doc_id].split("_")[0].split(".")[0] for r in action.reports}


def _matching(result: Reconciled, **fields: object) -> list[CanonicalAction]:
    return [
        a
        for a in result.actions
        if all(getattr(r, k) == v for r in a.reports for k, v in fields.items())
    ]


def test_the_8_july_letter_is_one_action_with_all_its_reports(
    corpus: tuple[Reconciled, dict[str, str]],
) -> None:
    result, names = corpus
    letters = _matching(result, kind="letter", stance="criticize", target="CHN", count=22)
    assert [a.key for a in letters] == ["2019-07-08-UNHRC-criticize-CHN-letter"]
    assert {"000", "003", "004", "japantimes-2019-07-11"} <= _files(letters[0], names)


def test_the_12_july_letter_is_one_action_growing_from_37_to_50(
    corpus: tuple[Reconciled, dict[str, str]],
) -> None:
    result, names = corpus
    support = [
        a
        for a in result.actions
        if a.kind == "letter" and a.stance == "support" and a.target == "CHN"
    ]
    assert [a.key for a in support] == ["2019-07-12-UNHRC-support-CHN-letter"]
    letter = support[0]
    # Seed 002's "In July, 50 countries" (a month, published in October) joined it.
    assert {"000", "001", "002", "tashkenttimes-2019-07", "cri-fil-2019-07-14"} <= _files(
        letter, names
    )
    dated = [(when, count) for when, count, _q, _r in letter.timeline if when and count]
    assert dated.index(("2019-07-12", 37)) < dated.index(("2019-07", 50))
    reports = {r.report_id: r for r in letter.reports}
    fifty = [reports[r] for _w, count, _q, r in letter.timeline if count == 50]
    assert len({r.doc_id for r in fifty}) >= 2  # 50 is said by several sources
    assert all(r.count_text for r in fifty)  # each cited at its count as written


def test_the_54_state_statement_is_one_action_and_individual_statements_apart(
    corpus: tuple[Reconciled, dict[str, str]],
) -> None:
    result, names = corpus
    belarus = _matching(result, kind="joint_statement", forum="UNGA-C3", count=54)
    assert [a.leads for a in belarus] == [("BLR",)]
    assert len(_files(belarus[0], names)) == 3
    individual = [
        a for a in result.actions if any(r.count_qualifier == "more_than" for r in a.reports)
    ]
    assert [a.kind for a in individual] == ["individual_statements"]
    assert individual[0].key != belarus[0].key


def test_historical_mentions_and_different_leads_stay_apart(
    corpus: tuple[Reconciled, dict[str, str]],
) -> None:
    result, _names = corpus
    [old] = _matching(result, count=12)
    assert len(old.reports) == 1 and old.key.startswith("undated-")
    same_day = [a for a in result.actions if a.key.startswith("2023-10-17-UNGA-C3-support")]
    leads = sorted(a.leads for a in same_day if a.kind == "joint_statement")
    assert leads == [("PAK",), ("VEN",)]


def test_every_report_is_accounted_for(corpus: tuple[Reconciled, dict[str, str]]) -> None:
    result, _names = corpus
    reports = {r.report_id for a in result.actions for r in a.reports}
    assert set(result.joined_by) == reports
    assert {c.kind for c in result.contradictions} <= set(CONTRADICTION_KINDS)
    assert set(result.flag_reasons) == {a.key for a in result.actions if a.flagged}
