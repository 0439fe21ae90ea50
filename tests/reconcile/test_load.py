"""read_report_rows: the store's reports, states and evidence as ReportRows."""

from __future__ import annotations

from pathlib import Path

from blocwatch.reconcile.actions import FieldSpan, NamedState
from blocwatch.reconcile.load import read_report_rows
from blocwatch.store import open_store, replace_document_facts, write_batch
from tests.store.helpers import entry, make_article

# Our own sentences (never news text).
TEXT = (
    "Twenty-two European countries signed a letter on Monday. "
    "Norway, Chile and Japan signed it; Peru later withdrew its signature. "
    "In the vote, Mali voted against and Fiji abstained."
)


def _span(part: str) -> dict[str, int]:
    start = TEXT.index(part)
    return {"start": start, "end": start + len(part)}


def test_rows_carry_states_roles_spans_and_count_text(tmp_path: Path) -> None:
    db = open_store(tmp_path / "load.db")
    article = make_article(
        "in/a.txt", TEXT, outlet="Example Post", published="2019-07-10", language="en"
    )
    write_batch(db, [entry(article)], [], [])
    first, second, third = (s + "." for s in TEXT.rstrip(".").split(". "))
    doc = article.id
    replace_document_facts(
        db,
        doc,
        {
            "joint_action_reports": [
                {
                    "ordinal": 0,
                    "kind": "letter",
                    "count": 22,
                    "date": "2019-07-08",
                    "date_text": "on Monday",
                    "date_method": "weekday_before_anchor",
                    "stance": "criticize",
                    "target": "CHN",
                    **_span(first),
                },
                {
                    "ordinal": 1,
                    "kind": "vote",
                    "vote_yes": 30,
                    "vote_no": 1,
                    "vote_abstain": 1,
                    "outcome": "adopted",
                    "update_of": f"{doc}:r0",
                    **_span(third),
                },
            ],
            "report_states": [
                {"report_id": f"{doc}:r0", "iso3": iso3, "role": role, **_span(name)}
                for iso3, role, name in (
                    ("PER", "withdrawn", "Peru"),
                    ("NOR", "signatory", "Norway"),
                    ("CHL", "signatory", "Chile"),
                    ("JPN", "signatory", "Japan"),
                    ("PER", "signatory", "Peru"),
                )
            ]
            + [
                {"report_id": f"{doc}:r1", "iso3": "MLI", "role": "voted_against", **_span("Mali")},
                {"report_id": f"{doc}:r1", "iso3": "FJI", "role": "abstained", **_span("Fiji")},
            ],
            "report_evidence": [
                {
                    "report_id": f"{doc}:r0",
                    "field": "count",
                    **_span("Twenty-two European countries"),
                },
                {"report_id": f"{doc}:r0", "field": "action", **_span(second)},
            ],
        },
    )
    letter, vote = read_report_rows(db)
    db.close()
    assert (letter.report_id, letter.outlet, letter.published) == (
        f"{doc}:r0",
        "Example Post",
        "2019-07-10",
    )
    assert letter.signatories == ("CHL", "JPN", "NOR", "PER")
    assert letter.withdrawn == ("PER",)
    assert letter.named[0] == NamedState("NOR", "signatory", *_span("Norway").values())
    assert [n.iso3 for n in letter.named] == ["NOR", "CHL", "JPN", "PER", "PER"]  # text order
    assert letter.count_text == "Twenty-two European countries"
    assert (letter.count_start, letter.count_end) == tuple(
        _span("Twenty-two European countries").values()
    )
    assert letter.span("action") == FieldSpan("action", *_span(second).values(), second)
    assert (letter.start, letter.end, letter.sentence) == (*_span(first).values(), first)
    assert (letter.date_text, letter.date_method, letter.language) == (
        "on Monday",
        "weekday_before_anchor",
        "en",
    )
    assert (vote.against, vote.abstaining, vote.signatories) == (("MLI",), ("FJI",), ())
    assert (vote.vote_yes, vote.vote_no, vote.vote_abstain, vote.outcome) == (30, 1, 1, "adopted")
    assert vote.update_of == letter.report_id
