"""The sample corpus in examples/ and the benchmark corpus generator stay consistent.

The samples are the demo input and the extractor's first unit-test material, so a broken file,
a gold field outside the schema (../shared/eval/SCHEMA.md) or an evidence string that is not in
the text would silently weaken every test built on them.
"""

from __future__ import annotations

import importlib.util
import itertools
import json
import re
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import defusedxml.ElementTree as SafeET
import lxml.html
import pycountry
import pytest
import trafilatura

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "corpus"
GOLD_DIR = ROOT / "examples" / "gold"
NEAR_DUPLICATE = ("geneva-wire-2019-07-12", "coastline-daily-2019-07-13")
NEAR_DUPLICATE_MIN = 0.8  # Options.near_duplicate_threshold: the copy must be caught
DISTINCT_MAX = 0.5  # different reports of one event stay below this (settings.py)

TOP_FIELDS = ["id", "url", "outlet", "published", "language", "text", "joint_actions",
              "speakers", "notes"]  # fmt: skip
ACTION_FIELDS = {"kind", "forum", "date", "stance", "target", "issue", "count",
                 "count_qualifier", "lead", "signatories_named", "evidence"}  # fmt: skip
VOTE_FIELDS = {"vote_tally", "outcome", "voted_against_named", "abstained_named"}
KINDS = {"letter", "joint_statement", "vote", "individual_statements"}
FORUMS = {"UNHRC", "UNGA-C3", "UNGA", "UNSC", "other", None}
STANCES = {"support", "criticize"}
QUALIFIERS = {"exact", "more_than", "nearly", "about", "at_least", "dozens", None}
OUTCOMES = {"adopted", "rejected", None}
ISSUES = ["Xinjiang", "Hong Kong", "Tibet"]  # the schema's fixed order for comma lists
DATE_RE = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")


def shingles(text: str, width: int = 5) -> set[tuple[str, ...]]:
    words = [w.casefold() for w in re.findall(r"\w+", text)]
    return {tuple(words[i : i + width]) for i in range(len(words) - width + 1)}


def jaccard(a: str, b: str) -> float:
    sa, sb = shingles(a), shingles(b)
    return len(sa & sb) / len(sa | sb)


def load_gold() -> dict[str, dict[str, Any]]:
    return {
        p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(GOLD_DIR.glob("*.json"))
    }


GOLD = load_gold()


def jsonl_records() -> list[dict[str, Any]]:
    lines = (EXAMPLES / "wire-digest.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def rss_items() -> list[Any]:
    root = SafeET.parse(EXAMPLES / "steppe-review-feed.xml", forbid_dtd=True).getroot()
    return list(root.iter("item"))


def description_text(item: Any) -> str:
    return str(lxml.html.fromstring(item.findtext("description")).text_content())


# --------------------------------------------------------------------------- sample files


def test_formats_are_all_present() -> None:
    suffixes = sorted(p.suffix for p in EXAMPLES.iterdir() if p.is_file() and p.suffix != ".md")
    assert suffixes.count(".txt") >= 3
    assert suffixes.count(".html") == 2
    assert suffixes.count(".jsonl") == 1 and suffixes.count(".xml") == 1
    assert "not real articles" in (ROOT / "examples" / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.txt")), ids=lambda p: p.name)
def test_txt_has_headline_and_plausible_length(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    headline = text.splitlines()[0]
    assert headline.strip() and len(headline.split()) <= 20
    assert 150 <= len(text.split()) <= 400


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.html")), ids=lambda p: p.name)
def test_html_is_a_full_page(path: Path) -> None:
    page = lxml.html.fromstring(path.read_bytes())
    for tag in ("nav", "header", "footer", "article"):
        assert page.findall(f".//{tag}"), f"{path.name} has no <{tag}>"
    assert page.xpath("//meta[@property='og:site_name']/@content")
    assert page.xpath("//meta[@property='article:published_time']/@content")
    assert page.xpath("//link[@rel='canonical']/@href")
    assert page.xpath("//*[contains(@class, 'share')]"), "no share bar"


def test_jsonl_records_have_the_reader_keys() -> None:
    records = jsonl_records()
    assert 2 <= len(records) <= 3
    keys = {"id", "url", "title", "outlet", "published", "language", "text"}
    for record in records:
        assert set(record) == keys
        assert 150 <= len(record["text"].split()) <= 400


def test_rss_is_well_formed_without_dtd_and_carries_html() -> None:
    root = SafeET.parse(EXAMPLES / "steppe-review-feed.xml", forbid_dtd=True).getroot()
    assert root.tag == "rss" and root.get("version") == "2.0"
    items = rss_items()
    assert 1 <= len(items) <= 2
    for item in items:
        assert "<p>" in item.findtext("description")
        assert 150 <= len(description_text(item).split()) <= 400


def test_urls_use_reserved_domains_only() -> None:
    allowed = re.compile(r"(^|\.)(example\.(org|com|net)|[a-z0-9-]+\.test)$")
    for path in EXAMPLES.rglob("*"):
        if not path.is_file():
            continue
        text = re.sub(r'xmlns(:\w+)?="[^"]*"', "", path.read_text(encoding="utf-8"))
        for host in re.findall(r"https?://([^/\s\"'<>]+)", text):
            assert allowed.search(host), f"{path.name}: {host}"


# --------------------------------------------------------------------------- gold files


def expected_texts() -> dict[str, str]:
    """What each sample's text is when a reader retrieves it (see examples/README.md)."""
    out = {p.stem: p.read_text(encoding="utf-8") for p in EXAMPLES.glob("*.txt")}
    for path in EXAMPLES.glob("*.html"):
        out[path.stem] = trafilatura.extract(path.read_text(encoding="utf-8")) or ""
    out |= {r["id"]: r["text"] for r in jsonl_records()}
    out |= {item.findtext("guid"): description_text(item) for item in rss_items()}
    return out


def test_every_sample_has_gold_and_the_same_text() -> None:
    texts = expected_texts()
    assert set(texts) == set(GOLD)
    for gid, text in texts.items():
        assert GOLD[gid]["text"] == text, gid


def test_readers_retrieve_the_gold_texts() -> None:
    """The ingest readers give exactly the gold text, so gold spans line up with stored spans."""
    from blocwatch.ingest.read import read_inputs
    from blocwatch.model import RawDocument
    from blocwatch.settings import Options

    samples = [str(p) for p in sorted(EXAMPLES.iterdir()) if p.is_file() and p.suffix != ".md"]
    docs = [d for d in read_inputs(samples, Options()) if isinstance(d, RawDocument)]
    assert {d.external_id: d.text for d in docs} == {g: GOLD[g]["text"] for g in GOLD}


def test_gold_metadata_matches_the_source() -> None:
    for record in jsonl_records():
        gold = GOLD[record["id"]]
        assert (gold["url"], gold["outlet"], gold["published"]) == (
            record["url"], record["outlet"], record["published"])  # fmt: skip
    for item in rss_items():
        assert GOLD[item.findtext("guid")]["url"] == item.findtext("link")
    for path in EXAMPLES.glob("*.html"):
        page = lxml.html.fromstring(path.read_bytes())
        assert GOLD[path.stem]["url"] == page.xpath("//link[@rel='canonical']/@href")[0]
        assert (
            GOLD[path.stem]["outlet"] == page.xpath("//meta[@property='og:site_name']/@content")[0]
        )
    for path in EXAMPLES.glob("*.txt"):
        assert GOLD[path.stem]["url"] == path.name


def is_iso3(code: object) -> bool:
    return isinstance(code, str) and pycountry.countries.get(alpha_3=code) is not None


def valid_date(value: object) -> bool:
    return value is None or (isinstance(value, str) and bool(DATE_RE.match(value)))


def check_action(action: dict[str, Any], index: int, text: str) -> None:
    vote = action["kind"] == "vote"
    assert set(action) - {"update_of"} == ACTION_FIELDS | (VOTE_FIELDS if vote else set())
    assert action["kind"] in KINDS and action["forum"] in FORUMS
    assert action["stance"] in STANCES and is_iso3(action["target"])
    assert valid_date(action["date"])
    issue = action["issue"]
    if issue is not None and not issue.startswith("other: "):
        parts = issue.split(", ")
        assert parts == [i for i in ISSUES if i in parts], issue
    assert action["count_qualifier"] in QUALIFIERS
    assert (action["count"] is None) == (action["count_qualifier"] is None)
    assert action["count"] is None or (isinstance(action["count"], int) and action["count"] > 0)
    assert action["lead"] is None or is_iso3(action["lead"])
    names = action["signatories_named"]
    assert all(map(is_iso3, names)) and len(set(names)) == len(names)
    assert action["evidence"], "an action without evidence"
    for sentence in action["evidence"]:
        assert sentence in text, sentence[:60]
    if "update_of" in action:
        assert isinstance(action["update_of"], int) and 0 <= action["update_of"] < index
    if vote:
        tally = action["vote_tally"]
        assert tally is None or set(tally) == {"yes", "no", "abstain"}
        assert action["outcome"] in OUTCOMES
        assert all(map(is_iso3, action["voted_against_named"] + action["abstained_named"]))


@pytest.mark.parametrize("gid", sorted(GOLD))
def test_gold_follows_the_schema(gid: str) -> None:
    gold = GOLD[gid]
    assert list(gold) == TOP_FIELDS
    assert gold["id"] == gid and gold["language"] == "en"
    assert isinstance(gold["url"], str) and isinstance(gold["notes"], str) and gold["notes"]
    assert gold["outlet"] is None or isinstance(gold["outlet"], str)
    assert valid_date(gold["published"])
    for index, action in enumerate(gold["joint_actions"]):
        check_action(action, index, gold["text"])
        if "update_of" in action:
            earlier = gold["joint_actions"][action["update_of"]]
            assert (earlier["kind"], earlier["stance"]) == (action["kind"], action["stance"])
    for speaker in gold["speakers"]:
        assert set(speaker) == {"name", "role", "affiliation", "quoted"}
        assert isinstance(speaker["quoted"], bool)
        assert speaker["name"] in gold["text"], speaker["name"]


def test_corpus_has_the_promised_hard_cases() -> None:
    """The hard cases the samples exist for: growth, negatives, other targets, name variants."""
    actions = [a for g in GOLD.values() for a in g["joint_actions"]]
    assert any("update_of" in a for a in actions)
    assert [g for g in GOLD.values() if not g["joint_actions"]], "no hard negative"
    assert any(a["target"] != "CHN" for a in actions)
    assert {a["kind"] for a in actions} == KINDS
    speakers = {s["name"] for g in GOLD.values() for s in g["speakers"]}
    assert {"Gen Shuang", "Geng Shuang"} <= speakers
    assert any("Japan" in g["text"] and "22 Western countries" in g["text"] for g in GOLD.values())


def test_near_duplicate_pair_and_distinct_others() -> None:
    for a, b in itertools.combinations(sorted(GOLD), 2):
        similarity = jaccard(GOLD[a]["text"], GOLD[b]["text"])
        if {a, b} == set(NEAR_DUPLICATE):
            assert similarity >= NEAR_DUPLICATE_MIN
        else:
            assert similarity < DISTINCT_MAX, (a, b, similarity)


# --------------------------------------------------------------------------- bench corpus


@pytest.fixture(scope="module")
def make_corpus() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_corpus", ROOT / "bench" / "make_corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_corpus"] = module  # dataclasses resolve annotations through sys.modules
    spec.loader.exec_module(module)
    return module


def read_tree(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def corpus_texts(root: Path) -> list[str]:
    texts = [json.loads(line)["text"] for line in (root / "articles.jsonl").open(encoding="utf-8")]
    texts += [p.read_text(encoding="utf-8") for p in sorted((root / "txt").glob("*.txt"))]
    for path in sorted((root / "html").glob("*.html")):
        texts.append(str(lxml.html.fromstring(path.read_bytes()).text_content()))
    return texts


def test_make_corpus_is_deterministic(make_corpus: ModuleType, tmp_path: Path) -> None:
    args = ["--n", "50", "--relevant-share", "0.2", "--seed", "3"]
    assert make_corpus.main([*args, "--out", str(tmp_path / "a")]) == 0
    assert make_corpus.main([*args, "--out", str(tmp_path / "b")]) == 0
    first = read_tree(tmp_path / "a")
    assert first == read_tree(tmp_path / "b")
    make_corpus.main(["--n", "50", "--relevant-share", "0.2", "--seed", "4", "--out",
                      str(tmp_path / "c")])  # fmt: skip
    assert read_tree(tmp_path / "c") != first, "the seed has no effect"
    manifest = json.loads(first["manifest.json"])
    assert sum(manifest["written"].values()) == 50 and len(manifest["relevant_ids"]) == 10
    texts = corpus_texts(tmp_path / "a")
    assert len(texts) == 50
    for a, b in itertools.combinations(texts, 2):
        assert jaccard(a, b) < DISTINCT_MAX


def test_make_corpus_formats_and_gold(make_corpus: ModuleType, tmp_path: Path) -> None:
    out = tmp_path / "only-txt"
    make_corpus.main(["--n", "30", "--out", str(out), "--formats", "txt", "--from-gold",
                      str(GOLD_DIR)])  # fmt: skip
    files = list((out / "txt").glob("*.txt"))
    assert len(files) == 30 and not (out / "articles.jsonl").exists()
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert len(manifest["gold_ids"]) == len(GOLD)
    written = "\n".join(p.read_text(encoding="utf-8") for p in files)
    assert all(g["text"] in written for g in GOLD.values())
