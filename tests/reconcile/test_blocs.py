"""Positions, alignments and the co-signature network, on reports built in code."""

from __future__ import annotations

from blocwatch.reconcile import reconcile
from blocwatch.reconcile.actions import cluster_reports
from blocwatch.reconcile.blocs import alignments, cosignatures, state_positions

from .helpers import row

SUPPORT = row(
    "s1:r0",
    published="2019-07-13",
    date="2019-07-12",
    count=37,
    states=[("PAK", "lead"), ("PAK", "signatory"), ("SAU", "signatory"), ("QAT", "signatory")],
)
SUPPORT_AGAIN = row(
    "s2:r0",
    published="2019-08-23",
    date="2019-07-12",
    count=37,
    states=[("QAT", "signatory"), ("QAT", "withdrawn"), ("EGY", "signatory")],
)
CRITICAL = row(
    "c1:r0",
    published="2019-07-10",
    date="2019-07-08",
    stance="criticize",
    count=22,
    states=[("JPN", "signatory"), ("FRA", "signatory")],
)
# A motion criticising RUS: yes votes back the motion, no votes back RUS.
VOTE = row(
    "v1:r0",
    kind="vote",
    forum="UNGA",
    date="2022-03-02",
    stance="criticize",
    target="RUS",
    issue="other",
    count=141,
    states=[
        ("FRA", "signatory"),
        ("JPN", "signatory"),
        ("BLR", "voted_against"),
        ("SYR", "voted_against"),
        ("IND", "abstained"),
    ],
)
ROWS = [SUPPORT, SUPPORT_AGAIN, CRITICAL, VOTE]
LETTER = "2019-07-12-UNHRC-support-CHN-letter"
RIVAL = "2019-07-08-UNHRC-criticize-CHN-letter"
MOTION = "2022-03-02-UNGA-criticize-RUS-vote"


def test_positions_per_state_with_their_sources() -> None:
    positions = state_positions(cluster_reports(ROWS))
    by = {(p.action_key, p.iso3, p.position): p for p in positions}
    assert [s.report_id for s in by[(LETTER, "QAT", "signed")].sources] == ["s1:r0", "s2:r0"]
    assert [s.report_id for s in by[(LETTER, "QAT", "withdrew")].sources] == ["s2:r0"]
    assert (LETTER, "PAK", "lead") in by and (LETTER, "PAK", "signed") in by
    # In a vote, signatories are the yes votes.
    assert {(p.iso3, p.position) for p in positions if p.action_key == MOTION} == {
        ("FRA", "voted_for"),
        ("JPN", "voted_for"),
        ("BLR", "voted_against"),
        ("SYR", "voted_against"),
        ("IND", "abstained"),
    }
    source = by[(MOTION, "BLR", "voted_against")].sources[0]
    assert (source.value, source.start, source.end) == ("voted_against", 120, 125)
    keys = [(p.action_key, p.iso3, p.position) for p in positions]
    assert keys == sorted(keys)


def test_net_alignment_follows_the_direction_of_each_action() -> None:
    actions = cluster_reports(ROWS)
    found = {(a.iso3, a.target, a.issue): a for a in alignments(actions, state_positions(actions))}
    assert (found[("PAK", "CHN", "Xinjiang")].supports, found[("PAK", "CHN", "Xinjiang")].net) == (
        1,
        1,
    )
    assert found[("JPN", "CHN", "Xinjiang")].net == -1
    # Voting for a motion criticising RUS criticises RUS; voting against it backs RUS.
    assert found[("FRA", "RUS", "other")].criticizes == 1
    assert found[("BLR", "RUS", "other")].supports == 1
    # Abstaining and withdrawing count for neither side.
    assert ("IND", "RUS", "other") not in found
    assert ("QAT", "CHN", "Xinjiang") not in found
    assert found[("EGY", "CHN", "Xinjiang")].actions == (LETTER,)


def test_cosignature_pairs_are_states_in_the_same_camp() -> None:
    actions = cluster_reports(ROWS)
    pairs = {
        (c.iso3_a, c.iso3_b): c.actions for c in cosignatures(actions, state_positions(actions))
    }
    assert pairs[("FRA", "JPN")] == (RIVAL, MOTION)  # together twice
    assert pairs[("BLR", "SYR")] == (MOTION,)  # the no camp is a camp too
    assert ("BLR", "FRA") not in pairs  # opposite camps
    assert ("EGY", "QAT") not in pairs  # Qatar withdrew
    assert ("EGY", "PAK") in pairs and ("EGY", "SAU") in pairs
    assert all(a < b for a, b in pairs)
    assert list(pairs) == sorted(pairs)


def test_reconcile_fills_every_part() -> None:
    result = reconcile(ROWS)
    assert [a.key for a in result.actions] == [RIVAL, LETTER, MOTION]
    assert set(result.joined_by) == {r.report_id for r in ROWS}
    assert result.positions and result.alignments and result.cosignatures
    assert [c.kind for c in result.contradictions] == ["withdrawal"]
