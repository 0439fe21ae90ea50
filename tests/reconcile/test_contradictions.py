"""Contradictions between sources, each kind on reports built in code."""

from __future__ import annotations

import random
from dataclasses import replace

from blocwatch.reconcile import reconcile
from blocwatch.reconcile.actions import LETTER_MAX_GROWTH, FieldSpan, ReportRow, cluster_reports
from blocwatch.reconcile.contradictions import find_contradictions
from blocwatch.reconcile.records import CONTRADICTION_KINDS, Contradiction, SourceRef

from .helpers import containing, count_span, row, with_states

JULY_37 = row("a1:r0", published="2019-07-13", date="2019-07-12", count=37)
JULY_50 = row("a2:r0", published="2019-07-27", date="2019-07-26", count=50)
RIVAL_22 = row(
    "a3:r0",
    published="2019-07-10",
    date="2019-07-08",
    stance="criticize",
    count=22,
    states=[("JPN", "signatory"), ("FRA", "signatory")],
)


def _found(rows: list[ReportRow], kind: str) -> list[Contradiction]:
    return [c for c in find_contradictions(cluster_reports(rows)) if c.kind == kind]


def _ids(refs: tuple[SourceRef, ...]) -> set[str]:
    return {ref.report_id for ref in refs}


def test_a_count_that_grew_with_a_later_date_is_not_a_contradiction() -> None:
    assert _found([JULY_37, JULY_50], "count") == []
    update = row("a4:r1", date=None, count=50, update_of="a4:r0")
    first = row("a4:r0", published="2019-07-30", date="2019-07-12", count=37)
    assert _found([first, update], "count") == []
    # A document linking 37 to 75 is not believed: more than LETTER_MAX_GROWTH.
    implausible = replace(update, count=int(37 * LETTER_MAX_GROWTH) + 1)
    assert len(_found([first, implausible], "count")) == 1


def test_different_counts_at_the_same_time_are_a_contradiction_with_both_sides() -> None:
    same_day_50 = replace(JULY_50, date="2019-07-12", **count_span("50 countries"))
    [found] = _found([JULY_37, same_day_50], "count")
    assert found.subject == "count"
    assert _ids(found.side_a) == {"a1:r0"} and _ids(found.side_b) == {"a2:r0"}
    assert [s.value for s in found.side_b] == ["50"]
    assert (found.side_b[0].start, found.side_b[0].end) == (40, 52)  # the count as written
    assert "37" in found.summary and "50" in found.summary


def test_rounded_counts_within_tolerance_agree() -> None:
    nearly_40 = replace(JULY_50, date="2019-07-12", count=40, count_qualifier="nearly")
    assert _found([JULY_37, nearly_40], "count") == []


def test_a_vote_count_never_grows() -> None:
    vote = row("v1:r0", kind="vote", forum="UNGA", date="2022-03-02", count=141, target="RUS")
    later = replace(vote, report_id="v2:r0", doc_id="v2", count=140)
    assert len(_found([vote, later], "count")) == 1


def test_day_dates_that_differ_are_a_contradiction_but_a_month_is_not() -> None:
    other_day = row(
        "b1:r0", published="2019-07-11", date="2019-07-10", stance="criticize", count=22
    )
    [found] = _found([RIVAL_22, other_day], "date")
    assert {s.value for s in found.side_a} == {"2019-07-08"}
    assert {s.value for s in found.side_b} == {"2019-07-10"}
    month = replace(other_day, date="2019-07")
    assert _found([RIVAL_22, month], "date") == []
    # A later date with a larger count of a letter is when the count grew.
    assert _found([JULY_37, JULY_50], "date") == []


def test_different_leads_and_forums_are_contradictions() -> None:
    belarus = row(
        "c1:r0",
        kind="joint_statement",
        forum="UNGA-C3",
        date="2019-10-29",
        count=54,
        lead="BLR",
        signatories=("BLR", "PAK", "RUS"),
    )
    cuba = replace(belarus, report_id="c2:r0", doc_id="c2", lead="CUB")
    [lead] = _found([belarus, cuba], "lead")
    assert {s.value for s in lead.side_a} == {"BLR"} and {s.value for s in lead.side_b} == {"CUB"}
    unstated = replace(
        JULY_37, report_id="c3:r0", doc_id="c3", forum=None, count=38, count_qualifier="about"
    )
    elsewhere = replace(
        JULY_37, report_id="c4:r0", doc_id="c4", forum="UNGA-C3", count=39, count_qualifier="about"
    )
    forums = _found([JULY_37, unstated, elsewhere], "forum")
    assert [(c.side_a[0].value, c.side_b[0].value) for c in forums] == [("UNGA-C3", "UNHRC")]


def test_a_state_on_both_overlapping_letters_is_named_with_both_actions() -> None:
    support = with_states(JULY_37, [("JPN", "signatory"), ("PAK", "signatory")])
    [found] = _found([support, RIVAL_22], "both_sides")
    assert found.subject == "JPN"
    assert {found.action_key, found.other_action_key} == {
        "2019-07-08-UNHRC-criticize-CHN-letter",
        "2019-07-12-UNHRC-support-CHN-letter",
    }
    assert _ids(found.side_a) | _ids(found.side_b) == {"a1:r0", "a3:r0"}
    # A year later the letters no longer overlap in time; another target is another matter.
    next_year = replace(support, date="2020-07-12", published="2020-07-13")
    assert _found([next_year, RIVAL_22], "both_sides") == []
    other_target = replace(support, target="RUS", issue=None)
    assert _found([other_target, RIVAL_22], "both_sides") == []


def test_a_state_voting_both_ways_in_one_vote() -> None:
    vote = row(
        "d1:r0",
        kind="vote",
        forum="UNGA",
        date="2022-03-02",
        stance="criticize",
        target="RUS",
        states=[("SRB", "signatory")],
    )
    against = replace(
        row(
            "d2:r0",
            kind="vote",
            forum="UNGA",
            stance="criticize",
            target="RUS",
            states=[("SRB", "voted_against")],
        ),
        date="2022-03-02",
        count=None,
    )
    actions = cluster_reports(
        [vote, replace(vote, report_id="d3:r0", doc_id="d3", count=141, vote_yes=141), against]
    )
    both = [c for c in find_contradictions(actions) if c.kind == "both_sides"]
    assert [(c.subject, c.other_action_key) for c in both] == [("SRB", None)]


def test_a_group_label_with_a_named_member_outside_it() -> None:
    labelled = row(
        "e1:r0",
        published="2019-07-12",
        stance="criticize",
        count=22,
        **count_span("22 European and American countries"),
    )
    [japan] = _found([RIVAL_22, labelled], "group_label")
    assert japan.subject == "JPN"  # France is European: no contradiction
    assert [s.value for s in japan.side_a] == ["22 European and American countries"]
    assert _ids(japan.side_b) == {"a3:r0"}
    hedged = replace(labelled, **count_span("22 mostly Western countries"))
    assert _found([RIVAL_22, hedged], "group_label") == []
    unknown = replace(labelled, **count_span("22 like-minded countries"))
    assert _found([RIVAL_22, unknown], "group_label") == []


def test_a_label_found_in_the_action_sentence_with_the_same_count() -> None:
    sentence = "Earlier, 22 Western countries wrote to the council."
    labelled = row(
        "e2:r0",
        published="2019-07-12",
        stance="criticize",
        count=22,
        spans=(FieldSpan("action", 200, 200 + len(sentence), sentence),),
    )
    [found] = _found([RIVAL_22, labelled], "group_label")
    assert (found.side_a[0].start, found.side_a[0].end) == (209, 229)


def test_withdrawal_named_by_one_source_against_signing_by_another() -> None:
    signed = with_states(JULY_37, [("QAT", "signatory"), ("SAU", "signatory")])
    withdrew = row(
        "f1:r0",
        published="2019-08-23",
        date="2019-07-12",
        count=37,
        states=[("QAT", "signatory"), ("QAT", "withdrawn")],
    )
    [found] = _found([signed, withdrew], "withdrawal")
    assert found.subject == "QAT"
    assert _ids(found.side_a) == {"a1:r0"} and _ids(found.side_b) == {"f1:r0"}
    # One source saying both (it signed, then withdrew) is not a contradiction between sources.
    assert _found([withdrew], "withdrawal") == []


def test_kinds_are_known_and_output_is_the_same_for_shuffled_input() -> None:
    rows = [
        JULY_37,
        JULY_50,
        RIVAL_22,
        with_states(replace(JULY_37, report_id="g1:r0", doc_id="g1"), [("JPN", "signatory")]),
        row(
            "g2:r0",
            published="2019-07-12",
            stance="criticize",
            count=22,
            **count_span("22 European countries"),
        ),
    ]
    expected = reconcile(rows)
    assert {c.kind for c in expected.contradictions} <= set(CONTRADICTION_KINDS)
    assert {c.kind for c in expected.contradictions} == {"both_sides", "group_label"}
    rng = random.Random(3)
    for _ in range(4):
        shuffled = rows[:]
        rng.shuffle(shuffled)
        assert reconcile(shuffled) == expected
    assert containing(expected.actions, "g2:r0").key == "2019-07-08-UNHRC-criticize-CHN-letter"


def test_group_labels_written_after_the_noun() -> None:
    """Spanish, Portuguese, French and Arabic put the label after the noun; only known label
    words are read there, and a hedge in the same clause voids the label."""
    labelled = row("e3:r0", published="2019-07-12", stance="criticize", count=22)
    written = [
        ("es", "22 países europeos y americanos"),
        ("pt", "22 países ocidentais"),
        ("fr", "22 pays occidentaux"),
        ("ar", "22 دولة أوروبية وأمريكية"),
        ("fil", "22 bansang Kanluranin"),
        ("is", "22 vestræn ríki"),  # before the noun, as in English
    ]
    for language, label in written:
        report = replace(labelled, language=language, **count_span(label + " firmaron"))
        [japan] = _found([RIVAL_22, report], "group_label")
        assert japan.subject == "JPN" and [s.value for s in japan.side_a] == [label]
    untestable = [
        ("es", "22 países firmaron la carta"),  # a verb, not a label
        ("es", "22 países occidentales en su mayoría firmaron"),  # hedged after the label
        ("fr", "22 pays majoritairement occidentaux"),  # hedged before it
        ("es", "22 países de la región"),  # not a label we can test
        ("en", "22 countries Western diplomats said"),  # English labels come before the noun
    ]
    for language, text in untestable:
        report = replace(labelled, language=language, **count_span(text))
        assert _found([RIVAL_22, report], "group_label") == [], text
