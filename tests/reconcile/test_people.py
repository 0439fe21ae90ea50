"""Name variants across documents: what merges, why, and what must never merge."""

from __future__ import annotations

import random

from blocwatch.reconcile.people import (
    Person,
    PersonMention,
    merge_people,
    name_tokens,
    roles_compatible,
)

SPOKESPERSON = "Foreign Ministry spokesperson"


def groups(people: list[Person]) -> list[list[str]]:
    return [sorted(f"{m.doc_id}:{m.name}" for m in p.mentions) for p in people]


def test_one_syllable_slip_with_same_role_and_affiliation_merges() -> None:
    people = merge_people(
        [
            PersonMention("d1", 0, "Yan Shuang", f"Chinese {SPOKESPERSON}", "CHN", None),
            PersonMention("d2", 0, "Geng Shuang", "spokesman (Chinese Foreign Ministry)", "CHN"),
            PersonMention("d3", 2, "Geng Shuang", "foreign ministry spokesman", "CHN", "2019-07"),
        ]
    )
    assert len(people) == 1
    person = people[0]
    assert person.canonical == "Geng Shuang"  # the spelling most documents use
    assert person.names == ["Yan Shuang", "Geng Shuang"]
    assert (
        "same role (foreign ministry spokesperson) and affiliation (CHN); names differ by one "
        "syllable (Yan/Geng): a transliteration or translation slip"
    ) in person.reason


def test_the_slip_rule_needs_role_and_affiliation_and_close_dates() -> None:
    base = PersonMention("d1", 0, "Yan Shuang", SPOKESPERSON, "CHN", "2019-07-12")
    for other in (
        PersonMention("d2", 0, "Geng Shuang", SPOKESPERSON, None, "2019-07-13"),  # no affiliation
        PersonMention("d2", 0, "Geng Shuang", None, "CHN", "2019-07-13"),  # no role
        PersonMention("d2", 0, "Geng Shuang", "ambassador to the UN", "CHN"),  # other post
        PersonMention("d2", 0, "Geng Shuang", SPOKESPERSON, "CHN", "2023-01-05"),  # years apart
        PersonMention("d2", 0, "Geng Shuang", f"deputy {SPOKESPERSON}", "CHN"),  # other rank
    ):
        assert len(merge_people([base, other])) == 2, other


def test_a_shared_surname_never_merges() -> None:
    people = merge_people(
        [
            PersonMention("d1", 0, "Zhang Jun", "permanent representative to the UN", "CHN"),
            PersonMention("d2", 0, "Zhang Ming", "ambassador to the EU", "CHN"),
            # Same role and affiliation, but the shared token is the surname: still two people.
            PersonMention("d3", 0, "Li Wei", SPOKESPERSON, "CHN", "2020-01-01"),
            PersonMention("d4", 0, "Li Qiang", SPOKESPERSON, "CHN", "2020-01-01"),
            # No role evidence at all.
            PersonMention("d5", 0, "Wang Fang", None, None),
            PersonMention("d6", 0, "Wang Lei", None, None),
        ]
    )
    assert len(people) == 6


def test_western_given_name_shared_is_not_a_slip() -> None:
    people = merge_people(
        [
            PersonMention("d1", 0, "John Kirby", "spokesperson", "USA", "2022-03"),
            PersonMention("d2", 0, "John Price", "spokesperson", "USA", "2022-03"),
        ]
    )
    assert len(people) == 2


def test_surname_only_joins_the_one_person_it_fits() -> None:
    people = merge_people(
        [
            PersonMention(
                "d1", 0, "Michelle Bachelet", "UN High Commissioner for Human Rights", "UN"
            ),
            PersonMention("d2", 3, "Bachelet", "High Commissioner", "UN", "2022-05"),
        ]
    )
    assert groups(people) == [["d1:Michelle Bachelet", "d2:Bachelet"]]
    assert people[0].canonical == "Michelle Bachelet"
    assert people[0].names == ["Michelle Bachelet", "Bachelet"]
    assert "'Bachelet' is part of 'Michelle Bachelet'" in people[0].reason


def test_surname_only_without_evidence_or_with_two_candidates_stays_apart() -> None:
    alone = merge_people(
        [
            PersonMention("d1", 0, "Michelle Bachelet", "High Commissioner", "UN"),
            PersonMention("d2", 0, "Bachelet", None, None),
        ]
    )
    assert len(alone) == 2
    ambiguous = merge_people(
        [
            PersonMention("d1", 0, "Zhang Jun", "permanent representative", "CHN"),
            PersonMention("d2", 0, "Zhang Ming", SPOKESPERSON, "CHN"),
            PersonMention("d3", 0, "Zhang", None, "CHN"),
        ]
    )
    assert len(ambiguous) == 3


def test_spelling_variants_merge_with_evidence() -> None:
    people = merge_people(
        [
            PersonMention("d1", 0, "Volodymyr Zelensky", "Ukrainian President", "UKR", "2022-04"),
            PersonMention("d2", 1, "Volodymyr Zelenskyy", "President of Ukraine", "UKR", "2022-03"),
            PersonMention("d3", 0, "Shohrat Zakir", "governor of Xinjiang", "CHN"),
            PersonMention("d4", 0, "Shohret Zakir", "Xinjiang governor", None),
            PersonMention("d5", 0, "Zhang Jin", "permanent representative", "CHN"),
        ]
    )
    assert groups(people) == [
        ["d1:Volodymyr Zelensky", "d2:Volodymyr Zelenskyy"],
        ["d3:Shohrat Zakir", "d4:Shohret Zakir"],
        ["d5:Zhang Jin"],
    ]
    assert "names spelt differently (Volodymyr Zelensky/Volodymyr Zelenskyy)" in people[0].reason


def test_same_name_merges_unless_affiliations_disagree() -> None:
    people = merge_people(
        [
            PersonMention(
                "d1", 0, "Zhang Jun", "China's permanent representative to the UN", "CHN"
            ),
            PersonMention("d2", 0, "ZHANG Jun", "China's UN Ambassador", "CHN", "2020-10"),
            PersonMention("d3", 0, "John Smith", "ambassador", "GBR"),
            PersonMention("d4", 0, "John Smith", "ambassador", "USA"),
            PersonMention("d5", 0, "John Smith", None, None),  # which one? left alone
        ]
    )
    assert groups(people) == [
        ["d1:Zhang Jun", "d2:ZHANG Jun"],
        ["d3:John Smith"],
        ["d4:John Smith"],
        ["d5:John Smith"],
    ]
    assert people[0].reason == "same name"
    assert people[0].names == ["Zhang Jun", "ZHANG Jun"]


def test_two_speakers_of_one_document_are_two_people() -> None:
    people = merge_people(
        [
            PersonMention("d1", 0, "Li Wei", SPOKESPERSON, "CHN"),
            PersonMention("d1", 1, "Li Wei", SPOKESPERSON, "CHN"),
        ]
    )
    assert len(people) == 2


def test_result_does_not_depend_on_input_order() -> None:
    mentions = [
        PersonMention("d1", 0, "Yan Shuang", SPOKESPERSON, "CHN"),
        PersonMention("d2", 0, "Geng Shuang", SPOKESPERSON, "CHN"),
        PersonMention("d3", 0, "Michelle Bachelet", "High Commissioner", "UN"),
        PersonMention("d4", 0, "Bachelet", "High Commissioner", "UN"),
        PersonMention("d5", 0, "Zhang Jun", "ambassador", "CHN"),
    ]
    expected = merge_people(mentions)
    shuffled = list(mentions)
    random.Random(7).shuffle(shuffled)
    assert merge_people(shuffled) == expected
    assert len({p.id for p in expected}) == len(expected)


def test_helpers() -> None:
    assert name_tokens("H.E. Leslie E. Norton") == ("leslie", "norton")
    assert name_tokens("Linda Thomas-Greenfield") == ("linda", "thomas", "greenfield")
    assert name_tokens("António Guterres") == ("antonio", "guterres")
    assert roles_compatible("spokesman", "Chinese Foreign Ministry spokesperson") is True
    assert roles_compatible("deputy permanent representative", "permanent representative") is False
    assert roles_compatible("Chinese", "ambassador") is None
    assert roles_compatible(None, "ambassador") is None
