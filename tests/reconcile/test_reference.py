"""A user's reference list: parsing with clear errors, and checks against canonical actions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from blocwatch.errors import BlocwatchError
from blocwatch.reconcile import reference
from blocwatch.reconcile.actions import cluster_reports
from blocwatch.reconcile.records import ReferenceCheck, ReferenceEntry
from blocwatch.reconcile.reference import (
    ReferenceFileError,
    check_reference,
    load_reference,
    parse_reference_csv,
    parse_reference_json,
)
from tests.conftest import ROOT

from .helpers import row

CSV = (
    "key,date,forum,stance,target,lead,count,states,source\n"
    "letter-a,2019-07-12,UNHRC,support,CHN,,50,PAK;SAU;egy,our notes\n"
    'letter-b,2019-07,UNHRC,criticize,CHN,,,"JPN, FRA",\n'
)


def test_csv_and_json_give_the_same_entries(tmp_path: Path) -> None:
    from_csv = parse_reference_csv(CSV)
    as_json = [
        {
            "key": "letter-a",
            "date": "2019-07-12",
            "forum": "UNHRC",
            "stance": "support",
            "target": "CHN",
            "count": 50,
            "states": ["PAK", "SAU", "egy"],
            "source": "our notes",
        },
        {
            "key": "letter-b",
            "date": "2019-07",
            "forum": "UNHRC",
            "stance": "criticize",
            "target": "CHN",
            "states": ["JPN", "FRA"],
        },
    ]
    assert parse_reference_json(json.dumps(as_json)) == from_csv
    assert from_csv[0] == ReferenceEntry(
        "letter-a",
        "2019-07-12",
        "UNHRC",
        "support",
        "CHN",
        None,
        50,
        ("PAK", "SAU", "EGY"),
        "our notes",
    )
    assert from_csv[1].states == ("JPN", "FRA") and from_csv[1].count is None
    path = tmp_path / "ref.csv"
    path.write_text(CSV, encoding="utf-8")
    assert load_reference(path) == from_csv


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("key,colour\nx,red\n", "row 1 (header): unknown column 'colour'"),
        ("date\n2019\n", "no 'key' column"),
        ("key,date\nx,2019-13-01\n", "row 1, column 'date': '2019-13-01' is not YYYY"),
        ("key,date\nx,12 July 2019\n", "column 'date'"),
        ("key,states\nx,PAK;XYZ\n", "row 1, column 'states': 'XYZ' is not the ISO3 code"),
        ("key,target\nx,China\n", "column 'target'"),
        ("key,count\nx,fifty\n", "row 1, column 'count': 'fifty' is not a whole number"),
        ("key,count\nx,0\n", "column 'count'"),
        ("key,forum\nx,Geneva\n", "column 'forum': 'Geneva' is not one of UNHRC"),
        ("key,stance\nx,neutral\n", "column 'stance'"),
        ("key\na\na\n", "row 2, column 'key': duplicate 'a'"),
        ("key,date\n,2019\n", "row 1, column 'key': missing"),
        ("key\nx,extra\n", "row 1: more cells than header columns"),
    ],
)
def test_bad_csv_rows_name_file_row_and_column(text: str, message: str) -> None:
    with pytest.raises(ReferenceFileError) as caught:
        parse_reference_csv(text, "ref.csv")
    assert str(caught.value).startswith("ref.csv:")
    assert message in str(caught.value)
    assert isinstance(caught.value, BlocwatchError)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"key": "x"}', "expected a JSON list of objects, got dict"),
        ('["x"]', "row 1: expected an object, got str"),
        ('[{"key": "x", "colour": 1}]', "row 1, column 'colour': unknown column"),
        ('[{"key": "x", "states": "PAK"}]', "column 'states': expected a list"),
        ('[{"key": "x", "count": true}]', "column 'count': expected a whole number"),
        ('[{"key": 5}]', "column 'key': expected text, got int"),
        ("[{", "not valid JSON (line 1"),
    ],
)
def test_bad_json_names_the_problem(text: str, message: str) -> None:
    with pytest.raises(ReferenceFileError, match=r"^ref\.json: ") as caught:
        parse_reference_json(text, "ref.json")
    assert message in str(caught.value)


def test_file_checks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ReferenceFileError, match=r"must end in \.csv or \.json"):
        load_reference(tmp_path / "ref.txt")
    with pytest.raises(ReferenceFileError, match="no such file"):
        load_reference(tmp_path / "missing.csv")
    big = tmp_path / "big.csv"
    big.write_text(CSV, encoding="utf-8")
    monkeypatch.setattr(reference, "MAX_REFERENCE_BYTES", 20)
    with pytest.raises(ReferenceFileError, match="larger than"):
        load_reference(big)
    monkeypatch.undo()
    latin = tmp_path / "latin.csv"
    latin.write_bytes("key,source\nx,caf\xe9\n".encode("latin-1"))
    with pytest.raises(ReferenceFileError, match="not UTF-8"):
        load_reference(latin)


LETTER_37 = row(
    "n1:r0",
    published="2019-07-13",
    date="2019-07-12",
    count=37,
    states=[("PAK", "signatory"), ("SAU", "signatory"), ("RUS", "signatory")],
)
LETTER_50 = row("n2:r0", published="2019-07-27", date="2019-07-26", count=50)
RIVAL_22 = row(
    "n3:r0",
    published="2019-07-10",
    date="2019-07-08",
    stance="criticize",
    count=22,
    states=[("JPN", "signatory"), ("FRA", "signatory"), ("QAT", "abstained")],
)
ACTIONS = cluster_reports([LETTER_37, LETTER_50, RIVAL_22])


def _by_field(checks: list[ReferenceCheck], key: str) -> dict[str, ReferenceCheck]:
    return {c.field: c for c in checks if c.reference_key == key}


def test_an_entry_is_compared_field_by_field() -> None:
    [entry] = parse_reference_csv(
        "key,date,forum,stance,target,lead,count,states\n"
        "a,2019-07-12,UNHRC,support,CHN,CUB,50,PAK;SAU;EGY\n"
    )
    checks = _by_field(check_reference([entry], ACTIONS), "a")
    assert {c.action_key for c in checks.values()} == {"2019-07-12-UNHRC-support-CHN-letter"}
    assert checks["count"].verdict == "agrees"
    assert [s.report_id for s in checks["count"].sources] == ["n2:r0"]
    assert (checks["lead"].verdict, checks["lead"].reported_value) == ("not_reported", None)
    assert checks["date"].verdict == "agrees" and checks["forum"].verdict == "agrees"
    assert checks["state:PAK"].verdict == "agrees"
    assert [s.report_id for s in checks["state:PAK"].sources] == ["n1:r0"]
    assert checks["state:EGY"].verdict == "not_reported"
    # Named by the news on the letter's side, absent from the reference.
    extra = checks["state:RUS"]
    assert (extra.verdict, extra.reference_value, extra.reported_value) == (
        "differs",
        None,
        "signed",
    )


def test_differences_carry_what_the_news_says_and_who_says_it() -> None:
    [entry] = parse_reference_json(
        json.dumps(
            [
                {
                    "key": "b",
                    "date": "2019-07-09",
                    "stance": "criticize",
                    "target": "CHN",
                    "count": 23,
                    "states": ["JPN", "QAT"],
                }
            ]
        )
    )
    checks = _by_field(check_reference([entry], ACTIONS), "b")
    assert checks["count"].verdict == "differs"
    assert (checks["count"].reported_value, checks["count"].sources[0].report_id) == ("22", "n3:r0")
    assert (checks["date"].verdict, checks["date"].reported_value) == ("differs", "2019-07-08")
    assert (checks["state:QAT"].verdict, checks["state:QAT"].reported_value) == (
        "differs",
        "abstained",
    )
    assert checks["state:FRA"].verdict == "differs"  # the reference leaves France out
    assert "forum" not in checks  # the reference gives none: nothing to compare


def test_unmatched_entries_get_one_check() -> None:
    entries = parse_reference_csv(
        "key,date,stance,target,count\n"
        "old,2016-03-10,criticize,CHN,12\n"  # another year
        "nothing,2019-07-12,support,CHN,\n"  # no evidence at all
        "other,2019-07-12,support,RUS,37\n"  # another target
    )
    checks = check_reference(entries, ACTIONS)
    assert [(c.reference_key, c.field, c.verdict, c.action_key) for c in checks] == [
        ("nothing", "action", "unmatched", None),
        ("old", "action", "unmatched", None),
        ("other", "action", "unmatched", None),
    ]
    assert checks[1].reference_value == "2016-03-10 criticize CHN 12"


def test_the_documented_example_is_valid_in_both_formats() -> None:
    text = (ROOT / "docs" / "reference.md").read_text(encoding="utf-8")
    csv_block = text.split("```csv\n")[1].split("```")[0]
    json_block = text.split("```json\n")[1].split("```")[0]
    entries = parse_reference_csv(csv_block, "docs/reference.md")
    assert parse_reference_json(json_block, "docs/reference.md") == entries
    assert [e.key for e in entries] == ["demo-letter", "demo-vote"]
