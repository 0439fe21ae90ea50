"""Clustering joint-action reports into canonical actions (synthetic reports only)."""

from __future__ import annotations

import random
from dataclasses import replace

from blocwatch.reconcile.actions import (
    JOINED_BY,
    LETTER_MAX_GROWTH,
    CanonicalAction,
    ReportRow,
    cluster,
    cluster_reports,
)
from tests.reconcile.helpers import row


def _row(report_id: str, **fields: object) -> ReportRow:
    """A synthetic report; clustering never reads the outlet, so none is given by default."""
    return row(report_id, **{"outlet": None, **fields})


LETTER_37 = _row(
    "d1:r0",
    outlet="a.example",
    published="2019-07-12",
    date="2019-07-12",
    count=37,
    signatories=("SAU", "RUS", "PAK"),
)
LETTER_50 = _row(
    "d2:r0",
    outlet="b.example",
    published="2019-07-27",
    date="2019-07-26",
    count=50,
    signatories=("SAU", "EGY"),
)
LETTER_JULY = _row(
    "d3:r0", outlet="c.example", published="2019-08-02", forum=None, date="2019-07", count=50
)
CRITICAL_22 = _row(
    "d4:r0",
    outlet="a.example",
    published="2019-07-10",
    date="2019-07-08",
    stance="criticize",
    count=22,
    signatories=("GBR", "FRA", "DEU"),
)
BELARUS_54 = _row(
    "d5:r0",
    published="2019-10-30",
    kind="joint_statement",
    forum="UNGA-C3",
    date="2019-10-29",
    count=54,
    lead="BLR",
)
BELARUS_54_AGAIN = replace(BELARUS_54, report_id="d6:r0", doc_id="d6", published="2019-10-31")
INDIVIDUAL_30 = _row(
    "d5:r1",
    published="2019-10-30",
    kind="individual_statements",
    forum="UNGA-C3",
    date="2019-10-29",
    count=30,
    count_qualifier="more_than",
    lead="BLR",
)
STATEMENT_2016 = _row(
    "d7:r0", published="2019-11-01", kind="joint_statement", forum=None, date="2016", count=12
)

CORPUS = [
    LETTER_37,
    LETTER_50,
    LETTER_JULY,
    CRITICAL_22,
    BELARUS_54,
    BELARUS_54_AGAIN,
    INDIVIDUAL_30,
    STATEMENT_2016,
]


def _containing(actions: list[CanonicalAction], report_id: str) -> CanonicalAction:
    return next(a for a in actions if any(r.report_id == report_id for r in a.reports))


def _ids(action: CanonicalAction) -> set[str]:
    return {r.report_id for r in action.reports}


def test_growing_letter_from_two_outlets_and_undated_third_is_one_action() -> None:
    actions = cluster_reports(CORPUS)
    letter = _containing(actions, "d1:r0")
    assert _ids(letter) == {"d1:r0", "d2:r0", "d3:r0"}
    assert letter.key == "2019-07-12-UNHRC-support-CHN-letter"
    assert letter.flagged  # the July report joined only because nothing else fitted
    assert [t[1] for t in letter.timeline] == [37, 50, 50]
    assert letter.dates == ("2019-07", "2019-07-12", "2019-07-26")
    assert letter.signatories["SAU"] == ("d1:r0", "d2:r0")
    assert letter.signatories["EGY"] == ("d2:r0",)
    assert letter.issues == ("Xinjiang",)


def test_opposite_stance_letter_stays_separate() -> None:
    actions = cluster_reports(CORPUS)
    critical = _containing(actions, "d4:r0")
    assert _ids(critical) == {"d4:r0"}
    assert critical.stance == "criticize"
    assert not critical.flagged


def test_joint_statement_and_individual_statements_stay_apart() -> None:
    actions = cluster_reports(CORPUS)
    statement = _containing(actions, "d5:r0")
    assert _ids(statement) == {"d5:r0", "d6:r0"}
    assert statement.leads == ("BLR",)
    assert _ids(_containing(actions, "d5:r1")) == {"d5:r1"}


def test_report_from_another_year_stays_alone() -> None:
    actions = cluster_reports(CORPUS)
    old = _containing(actions, "d7:r0")
    assert _ids(old) == {"d7:r0"}
    assert not old.flagged
    assert old.key.startswith("undated-")
    assert len(actions) == 5


def test_ambiguous_undated_report_stays_alone_and_flagged() -> None:
    letter_2020 = _row("e1:r0", published="2020-06-30", date="2020-06-30", count=45, lead="CUB")
    vague = _row("e2:r0", published="2020-12-01", forum=None)
    actions = cluster_reports([LETTER_37, LETTER_50, letter_2020, vague])
    alone = _containing(actions, "e2:r0")
    assert _ids(alone) == {"e2:r0"}
    assert alone.flagged
    assert not _containing(actions, "e1:r0").flagged
    # Published before the 2020 letter, the same report has only one candidate left.
    early = replace(vague, published="2019-09-01")
    actions = cluster_reports([LETTER_37, LETTER_50, letter_2020, early])
    assert _ids(_containing(actions, "e2:r0")) == {"d1:r0", "d2:r0", "e2:r0"}


def test_letter_window_and_same_day_rules() -> None:
    late = replace(LETTER_50, date="2019-09-01", published="2019-09-02", signatories=())
    assert len(cluster_reports([LETTER_37, late])) == 2
    shrunk = replace(LETTER_50, count=20, signatories=())
    assert len(cluster_reports([LETTER_37, shrunk])) == 2
    next_day = replace(BELARUS_54_AGAIN, date="2019-10-30")
    assert len(cluster_reports([BELARUS_54, next_day])) == 2


def test_update_of_inside_one_document_joins() -> None:
    first = _row("f1:r0", published="2019-07-27", date="2019-07-12", count=37)
    later = _row("f1:r1", published="2019-07-27", date=None, count=50, update_of="f1:r0")
    other = _row("f2:r0", published="2019-07-20", date="2019-07-12", count=37, lead="PAK")
    actions = cluster_reports([first, later, other])
    assert len(actions) == 1
    assert _ids(actions[0]) == {"f1:r0", "f1:r1", "f2:r0"}


def test_same_output_for_shuffled_input() -> None:
    expected = cluster_reports(CORPUS)
    rng = random.Random(7)
    for _ in range(5):
        shuffled = CORPUS[:]
        rng.shuffle(shuffled)
        assert cluster_reports(shuffled) == expected


def test_hostile_dates_do_not_crash_or_join() -> None:
    bad = replace(LETTER_JULY, report_id="g1:r0", doc_id="g1", date="2019-13-45")
    actions = cluster_reports([LETTER_37, bad])
    assert _ids(_containing(actions, "g1:r0")) == {"g1:r0"}


def test_different_leads_veto_a_merge_even_through_a_leadless_report() -> None:
    pakistan = _row(
        "h1:r1",
        published="2023-10-18",
        kind="joint_statement",
        forum="UNGA-C3",
        date="2023-10-17",
        count=72,
        lead="PAK",
    )
    venezuela = replace(pakistan, report_id="h1:r2", count=19, lead="VEN")
    leadless = replace(pakistan, report_id="h2:r0", doc_id="h2", lead=None)
    actions = cluster_reports([pakistan, venezuela, leadless])
    assert _ids(_containing(actions, "h1:r1")) == {"h1:r1", "h2:r0"}
    assert _ids(_containing(actions, "h1:r2")) == {"h1:r2"}
    # Undated reports with different leads cannot both join one leadless action.
    anchor = replace(leadless, report_id="h3:r0", doc_id="h3", count=None, signatories=("RUS",))
    undated = [replace(r, date=None) for r in (pakistan, venezuela)]
    result = cluster([anchor, *[replace(r, count=None) for r in undated]])
    assert len(result.actions) == 3
    assert result.joined_by["h1:r1"] == result.joined_by["h1:r2"] == "alone"
    # Without the veto the same-day, same-forum signal alone would have merged them.
    no_leads = [replace(r, lead=None) for r in (pakistan, venezuela)]
    assert len(cluster_reports(no_leads)) == 1


def test_different_leads_merge_on_strong_evidence_and_keep_both_leads() -> None:
    belarus = replace(BELARUS_54, signatories=("BLR", "PAK", "RUS"))
    cuba = replace(BELARUS_54_AGAIN, lead="CUB", signatories=("CUB", "PAK", "RUS"))
    actions = cluster_reports([belarus, cuba])
    assert len(actions) == 1
    assert actions[0].leads == ("BLR", "CUB")
    # Different issues keep them apart whatever else agrees.
    hong_kong = replace(cuba, issue="Hong Kong")
    assert len(cluster_reports([belarus, hong_kong])) == 2


def test_month_dated_larger_count_joins_the_only_compatible_letter() -> None:
    july_50 = _row("k1:r3", published="2019-10-30", date="2019-07", count=50)
    result = cluster([LETTER_37, CRITICAL_22, july_50])
    letter = _containing(list(result.actions), "d1:r0")
    assert _ids(letter) == {"d1:r0", "k1:r3"}
    assert result.joined_by["k1:r3"] == "only_candidate"
    assert result.joined_by["d1:r0"] == "anchor"
    assert "no other action fitted" in result.flag_reasons[letter.key]
    # More than LETTER_MAX_GROWTH times the first count is another letter, not late signatures.
    too_big = replace(july_50, count=int(37 * LETTER_MAX_GROWTH) + 1)
    assert _ids(_containing(cluster_reports([LETTER_37, too_big]), "k1:r3")) == {"k1:r3"}
    # A growing vote makes no sense: the growth rule is for letters only.
    vote = replace(july_50, kind="vote")
    assert len(cluster_reports([replace(LETTER_37, kind="vote"), vote])) == 2


def test_undated_votes_with_the_same_full_tally_are_one_vote() -> None:
    vote = _row(
        "m1:r0",
        kind="vote",
        forum="UNGA",
        stance="criticize",
        target="RUS",
        count=141,
        vote_yes=141,
        vote_no=5,
        vote_abstain=35,
    )
    same = replace(vote, report_id="m2:r0", doc_id="m2")
    other = replace(vote, report_id="m3:r0", doc_id="m3", vote_abstain=34)
    result = cluster([vote, same, other])
    assert _ids(_containing(list(result.actions), "m1:r0")) == {"m1:r0", "m2:r0"}
    assert result.joined_by["m2:r0"] == "anchor"
    assert result.joined_by["m3:r0"] == "alone"


def test_joined_by_says_how_every_report_came_to_its_action() -> None:
    result = cluster(CORPUS)
    assert result.joined_by == {
        "d1:r0": "anchor",
        "d2:r0": "anchor",
        "d3:r0": "only_candidate",
        "d4:r0": "alone",
        "d5:r0": "anchor",
        "d6:r0": "anchor",
        "d5:r1": "alone",
        "d7:r0": "alone",
    }
    flagged = {a.key for a in result.actions if a.flagged}
    assert set(result.flag_reasons) == flagged
    assert all(how in JOINED_BY for how in result.joined_by.values())


def test_ambiguous_report_has_a_flag_reason_naming_its_candidates() -> None:
    letter_2020 = _row("e1:r0", published="2020-06-30", date="2020-06-30", count=45, lead="CUB")
    vague = _row("e2:r0", published="2020-12-01", forum=None)
    result = cluster([LETTER_37, LETTER_50, letter_2020, vague])
    alone = _containing(list(result.actions), "e2:r0")
    assert result.joined_by["e2:r0"] == "ambiguous"
    reason = result.flag_reasons[alone.key]
    assert "fits 2 actions" in reason and "2019-07-12-UNHRC-support-CHN-letter" in reason
