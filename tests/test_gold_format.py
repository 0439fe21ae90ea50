"""Our output in the gold format, and file names that no id can turn into a path."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from blocwatch.evaluate import GoldDocument, score
from blocwatch.gold_format import (
    MAX_SLUG_CHARS,
    evidence_overlaps,
    field_equal,
    output_filename,
    to_gold_json,
    unique_filenames,
)
from blocwatch.model import (
    Article,
    DocumentFacts,
    Evidence,
    JointActionReport,
    OffsetMap,
    StateRef,
)

# Synthetic text, written for these tests.
TEXT = (
    "Freedonia, on behalf of 12 states, read a joint statement on Ruritania on 3 May 2024. "
    "Sylvania and Freedonia signed it. "
    "Later the assembly voted 30 to 5 with 9 abstentions; Osterlich voted against."
)


def make_article(
    text: str = TEXT,
    external_id: str | None = "fixture-1",
    doc_id: str = "0123456789abcdef",
    url: str | None = "https://example.org/a",
) -> Article:
    return Article(
        id=doc_id,
        source="fixture.json",
        input_format="json",
        text=text,
        clean_text=text,
        offsets=OffsetMap.identity(len(text)),
        external_id=external_id,
        url=url,
        outlet="Example Post",
        published="2024-05-04",
        language="en",
    )


def span(fragment: str, field: str = "action") -> Evidence:
    start = TEXT.index(fragment)
    return Evidence(start, start + len(fragment), fragment, field)


def state(iso3: str, role: str, fragment: str) -> StateRef:
    return StateRef(iso3, role, span(fragment, role))


STATEMENT = JointActionReport(
    index=0,
    kind="joint_statement",
    forum="UNHRC",
    date="2024-05-03",
    stance="criticize",
    target="RUR",
    issue="other: Ruritania",
    count=12,
    count_qualifier="exact",
    lead="FRE",
    states=(
        state("FRE", "lead", "Freedonia"),
        state("SYL", "signatory", "Sylvania"),
        state("FRE", "signatory", "Freedonia signed"),
    ),
    evidence=(
        span("Freedonia, on behalf of 12 states, read a joint statement on Ruritania"),
        span("12 states", "count"),
        span("Freedonia, on behalf of 12 states, read a joint statement on Ruritania"),
    ),
)
VOTE = JointActionReport(
    index=1,
    kind="vote",
    stance="criticize",
    target="RUR",
    count=30,
    vote_yes=30,
    vote_no=5,
    vote_abstain=9,
    outcome="adopted",
    update_of=0,
    states=(state("OST", "voted_against", "Osterlich"),),
    evidence=(span("voted 30 to 5 with 9 abstentions", "tally"),),
)


def test_to_gold_json_writes_every_schema_field() -> None:
    gold = to_gold_json(DocumentFacts(make_article(), (STATEMENT, VOTE)))
    assert gold["id"] == "fixture-1"
    assert gold["url"] == "https://example.org/a"
    assert (gold["outlet"], gold["published"], gold["language"]) == (
        "Example Post",
        "2024-05-04",
        "en",
    )
    assert gold["text"] == TEXT
    assert gold["speakers"] == [] and gold["notes"] == ""
    statement, vote = gold["joint_actions"]
    assert statement == {
        "kind": "joint_statement",
        "forum": "UNHRC",
        "date": "2024-05-03",
        "stance": "criticize",
        "target": "RUR",
        "issue": "other: Ruritania",
        "count": 12,
        "count_qualifier": "exact",
        "lead": "FRE",
        "signatories_named": ["SYL", "FRE"],  # the lead is in: the extractor named it a signatory
        "evidence": ["Freedonia, on behalf of 12 states, read a joint statement on Ruritania"],
    }
    assert vote["update_of"] == 0
    assert vote["vote_tally"] == {"yes": 30, "no": 5, "abstain": 9}
    assert vote["outcome"] == "adopted"
    assert vote["voted_against_named"] == ["OST"]
    assert vote["abstained_named"] == []
    assert vote["evidence"] == ["voted 30 to 5 with 9 abstentions"]  # fallback: no "action" span


def test_to_gold_json_round_trips_through_json_and_scores_perfectly() -> None:
    gold = to_gold_json(DocumentFacts(make_article(), (STATEMENT, VOTE)))
    reloaded = json.loads(json.dumps(gold))
    assert reloaded == gold
    report = score([(GoldDocument(gold["id"], Path("x.json"), reloaded), gold)])
    assert report.actions.f1 == 1.0
    assert report.signatories.f1 == 1.0 and report.vote_roles.f1 == 1.0
    assert report.accuracy("vote_tally") == 1.0


def test_fallbacks_and_vote_without_tally() -> None:
    bare_vote = JointActionReport(index=0, kind="vote", stance="support")
    gold = to_gold_json(DocumentFacts(make_article(external_id=None, url=None), (bare_vote,)))
    assert gold["id"] == "0123456789abcdef"
    assert gold["url"] == "fixture.json"
    action = gold["joint_actions"][0]
    assert action["vote_tally"] is None
    assert "update_of" not in action
    assert action["evidence"] == []


def test_field_equal_issue_rules() -> None:
    def same(gold: str | None, ours: str | None) -> bool:
        return field_equal("issue", {"issue": gold}, {"issue": ours})

    assert same("other: a crackdown", "other: something else")
    assert not same("other: a crackdown", "Xinjiang")
    assert same("Xinjiang, Hong Kong", "Hong Kong, Xinjiang")
    assert not same("Xinjiang, Hong Kong", "Xinjiang")
    assert same(None, None) and not same(None, "Tibet") and not same("Tibet", None)


def test_evidence_overlap_needs_a_real_fragment() -> None:
    sentence = "Ten states read a joint statement on the situation in Ruritania on Monday."
    assert evidence_overlaps([sentence], ["  ten STATES read a joint statement  "])
    assert evidence_overlaps(
        [sentence], ["As reported, states read a joint statement on the situation in Ruritania."]
    )
    assert not evidence_overlaps([sentence], ["joint statement"])  # too short to prove anything
    assert not evidence_overlaps([sentence], ["Osterlich voted against the resolution."])


def test_output_filename_examples() -> None:
    assert output_filename(make_article(external_id="devset-2019-07")) == "devset-2019-07.json"
    assert output_filename(make_article(external_id="../../etc/passwd")) == "etc-passwd.json"
    assert output_filename(make_article(external_id="..")) == "0123456789abcdef.json"
    assert output_filename(make_article(external_id="a\\b/c")) == "a-b-c.json"
    assert output_filename(make_article(external_id="x" * 500)) == "x" * MAX_SLUG_CHARS + ".json"
    assert output_filename(make_article(external_id="///", doc_id="...")) == "article.json"


# Never created: resolving a path below it is purely lexical, which is what is being checked.
OUT_DIR = Path("/nonexistent-blocwatch-out")


def _is_safe(name: str, directory: Path) -> bool:
    inside = (directory / name).resolve().parent == directory.resolve()
    return (
        "/" not in name
        and "\\" not in name
        and name not in (".", "..")
        and not name.startswith((".", "-"))
        and len(name) <= MAX_SLUG_CHARS + len(".json")
        and inside
    )


@settings(max_examples=300)
@given(external_id=st.one_of(st.none(), st.text()), doc_id=st.text())
def test_output_filename_never_escapes_the_directory(external_id: str | None, doc_id: str) -> None:
    name = output_filename(make_article(external_id=external_id, doc_id=doc_id))
    assert _is_safe(name, OUT_DIR), name


def test_unique_filenames_adds_the_article_id_to_every_clash() -> None:
    articles = [
        make_article(external_id="a/b", doc_id="1111111111111111"),
        make_article(external_id="a:b", doc_id="2222222222222222"),
        make_article(external_id="Doc", doc_id="3333333333333333"),
        make_article(external_id="doc", doc_id="4444444444444444"),
        make_article(external_id="solo", doc_id="5555555555555555"),
    ]
    names = unique_filenames(articles)
    assert names == {
        "1111111111111111": "a-b-1111111111111111.json",
        "2222222222222222": "a-b-2222222222222222.json",
        "3333333333333333": "Doc-3333333333333333.json",
        "4444444444444444": "doc-4444444444444444.json",
        "5555555555555555": "solo.json",
    }


@settings(max_examples=200)
@given(st.lists(st.tuples(st.one_of(st.none(), st.text(max_size=150)), st.text()), max_size=12))
def test_unique_filenames_are_unique_and_safe(items: list[tuple[str | None, str]]) -> None:
    articles = [make_article(external_id=ext, doc_id=doc_id) for ext, doc_id in items]
    names = unique_filenames(articles)
    assert set(names) == {doc_id for _, doc_id in items}
    folded = [name.casefold() for name in names.values()]
    assert len(folded) == len(set(folded))
    assert all(_is_safe(name, OUT_DIR) for name in names.values())
