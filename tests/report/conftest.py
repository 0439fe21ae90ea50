"""A small store for report tests, written row by row (our own words, never news text).

Three documents report a supporting letter (37, then 50 states), one a criticising letter, and
one is hostile: markup, a script and an event handler in its title, outlet, text, quote and the
label of an action, to check that none of it runs in the report.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlite_utils

from blocwatch.store import open_store
from blocwatch.store.write import fact_id, replace_document_facts, write_batch
from tests.store.helpers import entry, make_article

HOSTILE = (
    "<script>window.__pwned = 1</script>"
    "</script><script>window.__pwned2 = 1</script>"
    '<img src=x onerror="window.__pwned3 = 1">'
)
HOSTILE_TITLE = "<script>window.__pwned_title = 1</script> Crisis"
HOSTILE_OUTLET = '<b onmouseover="window.__pwned_outlet=1">Evil</b> Times'
HOSTILE_LABEL = "<script>window.__pwned_label = 1</script> letter"
HOSTILE_KEY = "../../etc/<x> passwd"
SUPPORT_KEY = "2019-07-12-UNHRC-support-CHN-letter"
CRITICISE_KEY = "2019-07-08-UNHRC-criticize-CHN-letter"

DOC_A = (
    "GENEVA, 12 July (Geneva Wire) - Ambassadors from 37 countries signed a letter backing "
    "China's policy in the region. Pakistan led the letter, and Egypt and Serbia signed it.\n\n"
    'Pakistan\'s envoy Munir Example said: "We stand with our partners." Critics called the '
    'centres "internment camps".'
)
DOC_B = (
    "By late July the letter backing China had 50 signatories, Coastline Daily counted. "
    "Qatar withdrew its name from the letter."
)
DOC_C = (
    "Twenty-two states, among them France and Japan, criticised China in a letter on 8 July. "
    "Ambassador Jean Sample of France said the centres were internment camps."
)
DOC_EVIL = (
    f"A letter of 12 states was reported. {HOSTILE} The count was 12.\n"
    f'Spokesperson Mal Ice said: "{HOSTILE}"'
)


def _span(text: str, part: str) -> dict[str, int]:
    start = text.index(part)
    return {"start": start, "end": start + len(part)}


def _source(doc_id: str, report: str, outlet: str, published: str, value: str) -> dict[str, Any]:
    return {
        "report_id": report,
        "doc_id": doc_id,
        "outlet": outlet,
        "published": published,
        "value": value,
        "start": 0,
        "end": 5,
    }


def _add_document(db: sqlite_utils.Database, name: str, text: str, **meta: str | None) -> str:
    article = make_article(f"in/{name}.txt", text, **meta)
    write_batch(db, [entry(article)], [], [])
    return article.id


def _report(text: str, sentence: str, **fields: Any) -> dict[str, Any]:
    return {"ordinal": 0, "kind": "letter", **fields, **_span(text, sentence)}


def build_store(db: sqlite_utils.Database) -> dict[str, str]:
    """Fill `db` (an open, empty store); returns the document ids by name."""
    a = _add_document(
        db,
        "a",
        DOC_A,
        outlet="Geneva Wire",
        published="2019-07-12",
        title="37 back China",
        url="https://example.org/geneva/37",
    )
    b = _add_document(db, "b", DOC_B, outlet="Coastline Daily", published="2019-07-27")
    c = _add_document(db, "c", DOC_C, outlet="Geneva Wire", published="2019-07-09", title="22")
    evil = _add_document(
        db,
        "evil",
        DOC_EVIL,
        outlet=HOSTILE_OUTLET,
        published="2019-07-20",
        title=HOSTILE_TITLE,
        url="javascript:window.__pwned_url=1",
    )
    first = DOC_A.split(". ")[0]
    replace_document_facts(
        db,
        a,
        {
            "joint_action_reports": [
                _report(
                    DOC_A,
                    first,
                    date="2019-07-12",
                    stance="support",
                    target="CHN",
                    count=37,
                    count_qualifier="exact",
                    forum="UNHRC",
                    lead="PAK",
                ),
            ],
            "report_states": [
                {
                    "report_id": fact_id(a, "joint_action_reports", 0),
                    "iso3": iso3,
                    "role": role,
                    **_span(DOC_A, name),
                }
                for iso3, role, name in (
                    ("PAK", "lead", "Pakistan"),
                    ("EGY", "signatory", "Egypt"),
                    ("SRB", "signatory", "Serbia"),
                )
            ],
            "speakers": [
                {
                    "name": "Munir Example",
                    "role": "envoy",
                    "affiliation": "PAK",
                    "quoted": 1,
                    **_span(DOC_A, "Munir Example"),
                }
            ],
            "quotes": [
                {
                    "speaker_id": fact_id(a, "speakers", 0),
                    "kind": "direct",
                    **_span(DOC_A, "We stand with our partners."),
                }
            ],
            "frame_uses": [
                {
                    "frame": "critical",
                    "concept": "facilities",
                    "voice": "scare_quote",
                    **_span(DOC_A, "internment camps"),
                }
            ],
        },
    )
    replace_document_facts(
        db,
        b,
        {
            "joint_action_reports": [
                _report(
                    DOC_B,
                    DOC_B.split(", ")[0],
                    date="2019-07",
                    stance="support",
                    target="CHN",
                    count=50,
                    count_qualifier="exact",
                ),
            ],
            "report_states": [
                {
                    "report_id": fact_id(b, "joint_action_reports", 0),
                    "iso3": "QAT",
                    "role": "withdrawn",
                    **_span(DOC_B, "Qatar"),
                }
            ],
        },
    )
    replace_document_facts(
        db,
        c,
        {
            "joint_action_reports": [
                _report(
                    DOC_C,
                    DOC_C.split(". ")[0],
                    date="2019-07-08",
                    stance="criticize",
                    target="CHN",
                    count=22,
                    forum="UNHRC",
                ),
            ],
            "speakers": [
                {
                    "name": "Jean Sample",
                    "role": "ambassador",
                    "affiliation": "FRA",
                    "quoted": 0,
                    **_span(DOC_C, "Jean Sample"),
                }
            ],
            "quotes": [
                {
                    "speaker_id": fact_id(c, "speakers", 0),
                    "kind": "indirect",
                    **_span(DOC_C, "the centres were internment camps"),
                }
            ],
            "frame_uses": [
                {
                    "frame": "critical",
                    "concept": "facilities",
                    "voice": "narration",
                    **_span(DOC_C, "internment camps"),
                }
            ],
        },
    )
    replace_document_facts(
        db,
        evil,
        {
            "joint_action_reports": [
                _report(
                    DOC_EVIL,
                    DOC_EVIL.split("\n")[0],
                    date="2019-07-20",
                    stance="criticize",
                    target="CHN",
                    count=12,
                ),
            ],
            "speakers": [
                {
                    "name": "Mal Ice",
                    "role": "spokesperson",
                    "affiliation": "CHN",
                    "quoted": 1,
                    **_span(DOC_EVIL, "Mal Ice"),
                }
            ],
            "quotes": [
                {
                    "speaker_id": fact_id(evil, "speakers", 0),
                    "kind": "direct",
                    **_span(DOC_EVIL, HOSTILE),
                }
            ],
        },
    )
    _reconciled(db, a, b, c, evil)
    return {"a": a, "b": b, "c": c, "evil": evil}


def _action(key: str, label: str, **fields: Any) -> dict[str, Any]:
    row = {
        "key": key,
        "label": label,
        "kind": "letter",
        "forum": "UNHRC",
        "stance": None,
        "target": "CHN",
        "issues": '["Xinjiang"]',
        "first_date": None,
        "dates": "[]",
        "leads": "[]",
        "count_low": None,
        "count_high": None,
        "latest_count": None,
        "reports": 1,
        "documents": 1,
        "outlets": 1,
        "named_states": 0,
        "contradictions": 0,
        "flagged": 0,
        "flag_reason": None,
    }
    return {**row, **fields}


def _reconciled(db: sqlite_utils.Database, a: str, b: str, c: str, evil: str) -> None:
    r = {
        name: fact_id(doc, "joint_action_reports", 0)
        for name, doc in (("a", a), ("b", b), ("c", c), ("evil", evil))
    }
    db["actions"].insert_all(
        [
            _action(
                SUPPORT_KEY,
                "Joint letter at UNHRC supporting CHN (Xinjiang), 12 Jul 2019",
                stance="support",
                first_date="2019-07-12",
                dates='["2019-07","2019-07-12"]',
                leads='["PAK"]',
                count_low=37,
                count_high=50,
                latest_count=50,
                reports=2,
                documents=2,
                outlets=2,
                named_states=4,
                contradictions=1,
            ),
            _action(
                CRITICISE_KEY,
                "Joint letter at UNHRC criticising CHN (Xinjiang), 8 Jul 2019",
                stance="criticize",
                first_date="2019-07-08",
                dates='["2019-07-08"]',
                count_low=22,
                count_high=22,
                latest_count=22,
                named_states=2,
            ),
            _action(
                HOSTILE_KEY,
                HOSTILE_LABEL,
                stance="criticize",
                first_date="2019-07-20",
                latest_count=12,
                count_low=12,
                count_high=12,
                flagged=1,
                flag_reason=f"joined alone {HOSTILE}",
            ),
        ]
    )
    db["action_reports"].insert_all(
        [
            {"report_id": r["a"], "action_key": SUPPORT_KEY, "doc_id": a, "joined_by": "anchor"},
            {
                "report_id": r["b"],
                "action_key": SUPPORT_KEY,
                "doc_id": b,
                "joined_by": "only_candidate",
            },
            {"report_id": r["c"], "action_key": CRITICISE_KEY, "doc_id": c, "joined_by": "alone"},
            {
                "report_id": r["evil"],
                "action_key": HOSTILE_KEY,
                "doc_id": evil,
                "joined_by": "alone",
            },
        ]
    )
    states = [
        (SUPPORT_KEY, "PAK", "lead", a, r["a"], "Geneva Wire", "2019-07-12"),
        (SUPPORT_KEY, "EGY", "signed", a, r["a"], "Geneva Wire", "2019-07-12"),
        (SUPPORT_KEY, "SRB", "signed", a, r["a"], "Geneva Wire", "2019-07-12"),
        (SUPPORT_KEY, "QAT", "withdrew", b, r["b"], "Coastline Daily", "2019-07-27"),
        (CRITICISE_KEY, "FRA", "signed", c, r["c"], "Geneva Wire", "2019-07-09"),
        (CRITICISE_KEY, "JPN", "signed", c, r["c"], "Geneva Wire", "2019-07-09"),
        (HOSTILE_KEY, "FRA", "signed", evil, r["evil"], HOSTILE_OUTLET, "2019-07-20"),
    ]
    db["action_states"].insert_all(
        [
            {
                "action_key": key,
                "iso3": iso3,
                "position": position,
                "reports": 1,
                "documents": 1,
                "outlets": json.dumps([outlet]),
                "sources": json.dumps([_source(doc, report, outlet, published, position)]),
            }
            for key, iso3, position, doc, report, outlet, published in states
        ]
    )
    db["contradictions"].insert(
        {
            "id": "c1",
            "kind": "count",
            "action_key": SUPPORT_KEY,
            "other_action_key": None,
            "subject": "count",
            "summary": f"Sources give 37 and 50 states. {HOSTILE}",
            "side_a": json.dumps([_source(a, r["a"], "Geneva Wire", "2019-07-12", "37")]),
            "side_b": json.dumps([_source(b, r["b"], "Coastline Daily", "2019-07-27", "50")]),
        }
    )
    db["reference_entries"].insert(
        {
            "key": "ref-1",
            "date": "2019-07-12",
            "forum": "UNHRC",
            "stance": "support",
            "target": "CHN",
            "lead": "PAK",
            "count": 50,
            "states": '["PAK"]',
            "source": "UN",
            "file": "ref.csv",
        }
    )
    db["reference_checks"].insert(
        {
            "id": "k1",
            "reference_key": "ref-1",
            "action_key": SUPPORT_KEY,
            "field": "count",
            "reference_value": "50",
            "reported_value": "50",
            "verdict": "agrees",
            "sources": json.dumps([_source(b, r["b"], "Coastline Daily", "2019-07-27", "50")]),
        }
    )


@pytest.fixture
def store_path(tmp_path: Path) -> Iterator[Path]:
    """A store file with the documents and reconciled rows above."""
    path = tmp_path / "report.db"
    db = open_store(path)
    try:
        build_store(db)
    finally:
        db.close()
    yield path


@pytest.fixture
def report_dir(store_path: Path, tmp_path: Path) -> Path:
    """The report of `store_path`, rendered once per test."""
    from blocwatch.report import render_report

    out = tmp_path / "report"
    render_report(store_path, out)
    return out
