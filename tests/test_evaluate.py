"""Scoring against gold: perfect on itself, each perturbation lowers exactly its own metric."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from blocwatch.evaluate import (
    FIELDS,
    GoldDocument,
    GoldFormatError,
    check_against_baseline,
    evaluate_directory,
    load_gold,
    match_actions,
    score,
)
from blocwatch.evaluate_render import render, summary_line
from blocwatch.model import Article, DocumentFacts, Evidence, JointActionReport, StateRef
from blocwatch.settings import Options

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CORPORA = ("eval/seeds_gold", "devset", "devset2")
BASELINE = json.loads((ROOT / "tests" / "eval_baseline.json").read_text())


def action(**fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "kind": "joint_statement",
        "forum": "UNHRC",
        "date": "2024-05-03",
        "stance": "criticize",
        "target": "RUR",
        "issue": "other: Ruritania",
        "count": 12,
        "count_qualifier": "exact",
        "lead": "FRE",
        "signatories_named": ["FRE", "SYL"],
        "evidence": ["Freedonia read a joint statement for twelve states on Ruritania today."],
    }
    base.update(fields)
    return base


def gold_doc(doc_id: str, *actions: dict[str, Any]) -> GoldDocument:
    return GoldDocument(doc_id, Path(f"{doc_id}.json"), {"id": doc_id, "joint_actions": [*actions]})


VOTE = action(
    kind="vote",
    count=30,
    lead=None,
    signatories_named=["SYL"],
    vote_tally={"yes": 30, "no": 5, "abstain": 9},
    outcome="adopted",
    voted_against_named=["OST"],
    abstained_named=["GRA"],
    evidence=["The assembly voted 30 to 5 with 9 abstentions on the Ruritania text."],
)
QUIET = action(  # no count, lead or signatories: only its evidence can find it
    kind="individual_statements",
    count=None,
    count_qualifier=None,
    lead=None,
    signatories_named=[],
    stance="support",
    evidence=["Several delegations later spoke in support of the government of Ruritania."],
)
GOLD = [
    gold_doc("doc-a", action(), VOTE),
    gold_doc("doc-b", QUIET, action(count=40, lead="SYL", signatories_named=["SYL", "GRA"])),
    gold_doc("doc-negative"),
]


def self_predictions(gold: list[GoldDocument]) -> list[tuple[GoldDocument, dict[str, Any]]]:
    return [(doc, copy.deepcopy(doc.data)) for doc in gold]


def assert_perfect(report_json: dict[str, Any]) -> None:
    for group in ("actions", "signatories", "vote_roles"):
        metrics = report_json[group]
        assert (metrics["precision"], metrics["recall"], metrics["f1"]) == (1.0, 1.0, 1.0), group
    for name, field in report_json["fields"].items():
        assert field["accuracy"] in (1.0, None), name
    negatives = report_json["hard_negatives"]
    assert negatives["clean"] == negatives["total"]
    assert not any(report_json["misses"].values())


def test_gold_against_itself_is_perfect() -> None:
    report = score(self_predictions(GOLD)).to_json()
    assert_perfect(report)
    assert report["actions"]["correct"] == 4
    assert report["fields"]["vote_tally"]["total"] == 1  # vote fields judged on votes only
    assert report["hard_negatives"] == {"total": 1, "clean": 1}


@pytest.mark.parametrize("corpus", CORPORA)
def test_real_gold_against_itself_is_perfect(corpus: str) -> None:
    if not (SHARED / corpus).is_dir():
        pytest.skip(f"../shared/{corpus} is not present")
    gold = load_gold(SHARED / corpus)
    assert gold, f"no gold file read from {corpus}"
    report = score(self_predictions(gold)).to_json()
    assert_perfect(report)
    assert report["actions"]["correct"] == sum(len(doc.joint_actions) for doc in gold)
    # The pinned floors can all be met and name metrics the report has (no typo hides a check).
    entry = next(e for e in BASELINE["corpora"].values() if e["path"] == corpus)
    assert check_against_baseline(report, entry) == []


def perturbed(change: Any) -> dict[str, Any]:
    """Score GOLD against predictions where `change(predictions)` edited a copy."""
    pairs = self_predictions(GOLD)
    change({doc.id: prediction for doc, prediction in pairs})
    return score(pairs).to_json()


def test_dropping_an_action_lowers_recall_only() -> None:
    report = perturbed(lambda p: p["doc-b"]["joint_actions"].pop(0))  # QUIET
    assert report["actions"]["recall"] == 0.75 and report["actions"]["precision"] == 1.0
    assert all(field["accuracy"] in (1.0, None) for field in report["fields"].values())
    assert [miss["id"] for miss in report["misses"]["unmatched_gold"]] == ["doc-b"]
    assert report["signatories"]["f1"] == 1.0


def test_a_wrong_count_lowers_count_accuracy_only() -> None:
    report = perturbed(lambda p: p["doc-a"]["joint_actions"][0].update(count=13))
    assert report["actions"]["f1"] == 1.0  # still matched, through lead and signatories
    assert report["fields"]["count"] == {"correct": 3, "total": 4, "accuracy": 0.75}
    others = [f["accuracy"] for name, f in report["fields"].items() if name != "count"]
    assert all(value in (1.0, None) for value in others)
    (diff,) = report["misses"]["field_diffs"]
    assert (diff["field"], diff["gold"], diff["predicted"]) == ("count", 12, 13)


def test_a_fake_signatory_lowers_signatory_precision_only() -> None:
    report = perturbed(lambda p: p["doc-a"]["joint_actions"][0]["signatories_named"].append("XYZ"))
    assert report["signatories"]["precision"] < 1.0
    assert report["signatories"]["recall"] == 1.0
    assert report["actions"]["f1"] == 1.0
    row = next(row for row in report["per_document"] if row["id"] == "doc-a")
    assert row["extra_signatories"] == ["criticize:XYZ"] and row["missing_signatories"] == []


def test_a_flipped_stance_is_no_match() -> None:
    report = perturbed(lambda p: p["doc-a"]["joint_actions"][0].update(stance="support"))
    assert report["actions"]["correct"] == 3
    assert report["actions"]["precision"] == 0.75 and report["actions"]["recall"] == 0.75
    assert len(report["misses"]["unmatched_predicted"]) == 1


def test_a_wrong_vote_role_lowers_vote_role_scores() -> None:
    report = perturbed(lambda p: p["doc-a"]["joint_actions"][1].update(abstained_named=[]))
    assert report["vote_roles"]["recall"] == 0.5 and report["vote_roles"]["precision"] == 1.0
    assert report["signatories"]["f1"] == 1.0


def test_a_prediction_on_a_hard_negative_is_a_false_positive() -> None:
    report = perturbed(lambda p: p["doc-negative"]["joint_actions"].append(action()))
    assert report["hard_negatives"] == {"total": 1, "clean": 0}
    assert report["actions"]["recall"] == 1.0 and report["actions"]["precision"] < 1.0


def test_evidence_alone_finds_only_actions_without_anchors() -> None:
    unrelated = dict(QUIET, evidence=["The weather in Geneva was fine for the whole session."])
    assert match_actions([QUIET], [unrelated]) == []
    assert match_actions([QUIET], [dict(QUIET, kind="joint_statement")]) == [(0, 0)]
    # An action with a count is not found through shared evidence when the count differs.
    wrong = action(count=99, lead=None, signatories_named=[])
    assert match_actions([action()], [wrong]) == []


def test_matching_is_one_to_one() -> None:
    gold = [action(), action(kind="letter")]
    assert match_actions(gold, [action()]) == [(0, 0)]  # the better-agreeing gold action
    assert match_actions([action()], [action(kind="letter"), action()]) == [(0, 1)]
    pairs = match_actions(gold, [action(), action(), action()])
    assert len(pairs) == 2 and len({j for _, j in pairs}) == 2


def test_matching_prefers_more_pairs_over_more_agreement() -> None:
    # g0-p0 agree on everything, but g1 can only take p0: two weak pairs beat one perfect one
    # (a greedy match by agreement would leave g1 out).
    g0 = p0 = action()
    unlike = {"kind": "letter", "count_qualifier": None, "date": None, "forum": None, "lead": None}
    g1 = action(**unlike, count=99, issue="Tibet", signatories_named=["SYL"])
    p1 = action(**unlike, count=None, issue="Tibet", signatories_named=["FRE", "AAA", "BBB"])
    assert sorted(match_actions([g0, g1], [p0, p1])) == [(0, 1), (1, 0)]


def test_load_gold_skips_non_documents(tmp_path: Path) -> None:
    (tmp_path / "b.json").write_text(json.dumps({"id": "bee", "text": "x", "joint_actions": []}))
    (tmp_path / "a.txt.json").write_text(json.dumps({"text": "y", "joint_actions": [action()]}))
    (tmp_path / "events.json").write_text(json.dumps([{"key": "2019-x"}]))
    (tmp_path / "INDEX.md").write_text("| id |\n")
    gold = load_gold(tmp_path)
    assert [(doc.id, doc.path.name) for doc in gold] == [("a", "a.txt.json"), ("bee", "b.json")]
    (tmp_path / "c.json").write_text("{not json")
    with pytest.raises(GoldFormatError, match=r"c\.json"):
        load_gold(tmp_path)


# Synthetic article text written for this test.
ARTICLE = "GENEVA - Freedonia read a joint statement for 12 states on Ruritania. Sylvania joined."


def test_evaluate_directory_reads_gold_as_input(tmp_path: Path) -> None:
    gold = {"id": "syn-1", "url": "https://example.org/x", "text": ARTICLE}
    gold["joint_actions"] = [action(signatories_named=["FRE", "SYL"])]
    (tmp_path / "syn-1.json").write_text(json.dumps(gold))
    (tmp_path / "empty.json").write_text(json.dumps({"id": "e", "text": " ", "joint_actions": []}))
    seen: list[Article] = []

    def process(article: Article) -> DocumentFacts:
        seen.append(article)
        where = ARTICLE.index("Sylvania")
        refs = tuple(
            StateRef(iso3, "signatory", Evidence(where, where + 8, "Sylvania", "signatory"))
            for iso3 in ("FRE", "SYL")
        )
        fields = {k: v for k, v in action().items() if k not in ("signatories_named", "evidence")}
        return DocumentFacts(article, (JointActionReport(index=0, states=refs, **fields),))

    report = evaluate_directory(tmp_path, process, Options())
    assert [article.external_id for article in seen] == ["syn-1"]
    assert seen[0].text == ARTICLE  # the original text, as `blocwatch run` would keep it
    result = report.to_json()
    assert result["documents"] == 2
    assert result["actions"]["f1"] == 1.0 and result["signatories"]["f1"] == 1.0
    assert len(result["input_errors"]) == 1 and "empty.json" in result["input_errors"][0]


def test_check_against_baseline() -> None:
    report = perturbed(lambda p: p["doc-a"]["joint_actions"][0].update(count=13))
    floors = {"actions.f1": 1.0, "fields.count.accuracy": 0.9, "fields.vote_tally.accuracy": 1.0}
    assert check_against_baseline(report, {"floors": floors}) == [
        "fields.count.accuracy: 0.7500 < floor 0.9000"
    ]
    assert check_against_baseline(report, {"floors": floors}, tolerance=0.15) == []
    assert check_against_baseline(report, {"floors": {"actions.f2": 0.0}}) == [
        "actions.f2: missing from the report < floor 0.0000"
    ]
    unmeasured = score([(GOLD[2], GOLD[2].data)]).to_json()  # no pair: accuracies not measured
    assert check_against_baseline(unmeasured, {"floors": {"fields.kind.accuracy": 0.0}}) == []
    assert check_against_baseline(unmeasured, {"floors": {"fields.kind.accuracy": 0.5}}) != []


def test_baseline_floors_name_metrics_the_report_has() -> None:
    report = score(self_predictions(GOLD)).to_json()
    for name, entry in BASELINE["corpora"].items():
        floors = {key: 0.0 for key in entry["floors"]}
        assert check_against_baseline(report, {"floors": floors}) == [], name


def test_render_ends_with_the_compact_summary() -> None:
    markup = action(count=99, evidence=["[/] closes nothing [bold]"])  # news text is not markup
    report = score(
        [(doc, {"joint_actions": [markup] if doc.id == "doc-a" else []}) for doc in GOLD]
    )
    console = Console(record=True, width=100)
    render(report, console, show_misses=True)
    lines = console.export_text().rstrip("\n").splitlines()
    assert lines[-1] == summary_line(report)
    assert lines[-1].startswith("actions P=1.00 R=0.25 F1=0.40 | signatories P=")
    assert lines[-1].endswith("| count acc=0.00 | docs=3")
    text = "\n".join(lines)
    assert "missed gold actions" in text and "doc-b" in text and "wrong fields" in text
    assert "[/] closes nothing [bold]" not in text  # matched: the evidence is not listed...
    fake = score([(GOLD[2], {"joint_actions": [markup]})])
    console = Console(record=True, width=200)
    render(fake, console, show_misses=True)
    assert "[/] closes nothing [bold]" in console.export_text()  # ...a false positive's is
    quiet = Console(record=True, width=100)
    render(report, quiet, show_misses=False)
    assert "missed gold actions" not in quiet.export_text()


def test_to_json_has_stable_keys() -> None:
    report = score(self_predictions(GOLD)).to_json()
    assert list(report) == [
        "documents",
        "actions",
        "fields",
        "signatories",
        "vote_roles",
        "hard_negatives",
        "per_document",
        "misses",
        "input_errors",
        "speakers",
    ]
    assert list(report["fields"]) == [*FIELDS, "vote_tally", "outcome"]
    assert json.loads(json.dumps(report)) == report
