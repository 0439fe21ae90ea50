"""Our extraction written in the gold annotation format (../shared/eval/SCHEMA.md).

One format for both sides means `blocwatch eval` compares like with like, and `extract --json-dir`
output can be diffed against a gold file by eye. File names come from ids that are not ours (a
JSON input's `id`): they are reduced to a safe slug so that no id can name a path. What makes two
entries of this format "the same action" or "the same field" is defined here too, next to the
format, and used by evaluate.py.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from blocwatch.model import Article, DocumentFacts, JointActionReport, Speaker

# A file name is at most 255 bytes on common file systems; 120 leaves room for the "-<article id>"
# suffix of a collision and ".json", and is still long enough to recognise any real id.
MAX_SLUG_CHARS = 120
# Anything outside this set becomes "-": no path separators, no shell or URL specials.
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
# Used only when neither the external id nor the article id leaves a usable character.
FALLBACK_STEM = "article"
SUFFIX = ".json"
# Eight identical consecutive words do not recur by chance in news prose, while shorter runs do
# ("at the UN Human Rights Council") across different actions of one article.
EVIDENCE_SHARED_WORDS = 8
# Containment proves a shared sentence only for a real fragment of one: "the letter" is in many.
MIN_CONTAINED_WORDS = 4
# Fields whose agreement decides between two candidate matches (stance and target are equal or
# unknown by then; signatories count through their Jaccard).
AGREEMENT_FIELDS = ("kind", "count", "count_qualifier", "date", "forum", "lead", "issue")


def to_gold_json(facts: DocumentFacts) -> dict[str, Any]:
    """`facts` as one gold-format document (keys in the schema's order, evidence as text)."""
    article = facts.article
    return {
        "id": article.external_id or article.id,
        "url": article.url or article.source,
        "outlet": article.outlet,
        "published": article.published,
        "language": article.language,
        "text": article.text,
        "joint_actions": [action_json(report) for report in facts.joint_actions],
        "speakers": speakers_to_gold(facts.speakers),
        "notes": "",
    }


def action_json(report: JointActionReport) -> dict[str, Any]:
    """One report as a gold `joint_actions` entry; vote fields only for votes, like gold."""
    entry: dict[str, Any] = {
        "kind": report.kind,
        "forum": report.forum,
        "date": report.date,
        "stance": report.stance,
        "target": report.target,
        "issue": report.issue,
        "count": report.count,
        "count_qualifier": report.count_qualifier,
        "lead": report.lead,
        # The extractor decides whether the lead is part of the group (a signatory StateRef).
        "signatories_named": report.named("signatory"),
        "evidence": _evidence_texts(report),
    }
    if report.update_of is not None:
        entry["update_of"] = report.update_of
    if report.kind == "vote":
        tally = (report.vote_yes, report.vote_no, report.vote_abstain)
        entry["vote_tally"] = (
            None
            if all(value is None for value in tally)
            else {"yes": tally[0], "no": tally[1], "abstain": tally[2]}
        )
        entry["outcome"] = report.outcome
        entry["voted_against_named"] = report.named("voted_against")
        entry["abstained_named"] = report.named("abstained")
    return entry


def _evidence_texts(report: JointActionReport) -> list[str]:
    """The sentences reporting the action; every span when none is marked `action`."""
    texts = [item.text for item in report.evidence if item.field == "action"]
    if not texts:
        texts = [item.text for item in report.evidence]
    return list(dict.fromkeys(texts))


def safe_slug(value: str | None) -> str:
    """`value` reduced to [A-Za-z0-9._-], at most MAX_SLUG_CHARS; may be "".

    No leading "." (hidden files, and "." / ".." would name a directory) and no leading "-" (a
    name a shell command would read as an option).
    """
    if not value:
        return ""
    return _UNSAFE.sub("-", value)[:MAX_SLUG_CHARS].lstrip(".-")


def output_filename(article: Article) -> str:
    """The `extract --json-dir` file name of `article`: its external id as a slug, else its id."""
    stem = safe_slug(article.external_id) or safe_slug(article.id) or FALLBACK_STEM
    return stem + SUFFIX


def unique_filenames(articles: Iterable[Article]) -> dict[str, str]:
    """article.id → file name, unique even on case-insensitive file systems.

    Articles whose names collide all get "-<article id>" appended, so a name does not depend on
    which of them came first; a collision that survives that (an id built to clash) gets a counter.
    """
    by_id = {article.id: article for article in articles}
    names = {doc_id: output_filename(article) for doc_id, article in by_id.items()}
    clashes = Counter(name.casefold() for name in names.values())
    for doc_id, name in names.items():
        if clashes[name.casefold()] > 1:
            names[doc_id] = _with_id(name, doc_id)
    taken: set[str] = set()
    for doc_id, name in names.items():
        candidate, number = name, 1
        while candidate.casefold() in taken:
            number += 1
            candidate = _with_id(name, str(number))
        taken.add(candidate.casefold())
        names[doc_id] = candidate
    return names


def _with_id(name: str, tag: str) -> str:
    """`name` with "-<tag>" before the suffix, the whole stem kept within MAX_SLUG_CHARS."""
    stem = name.removesuffix(SUFFIX)
    tag = safe_slug(tag) or FALLBACK_STEM
    room = MAX_SLUG_CHARS - len(tag) - 1
    return (stem[:room] + "-" + tag if room > 0 else tag) + SUFFIX


def gold_actions(document: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The `joint_actions` entries of a gold-format document that are objects (others ignored)."""
    actions = document.get("joint_actions")
    return [item for item in actions if isinstance(item, dict)] if isinstance(actions, list) else []


def names(value: Any) -> list[str]:
    """The strings of a JSON list (an ISO3 or evidence list), [] for anything else."""
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


# --- comparing two entries ---------------------------------------------------------------


def _issue_names(value: Any) -> frozenset[str]:
    if not isinstance(value, str):
        return frozenset()
    return frozenset(part.strip().casefold() for part in value.split(",") if part.strip())


def _tally(action: Mapping[str, Any]) -> tuple[Any, ...]:
    tally = action.get("vote_tally")
    tally = tally if isinstance(tally, dict) else {}
    return tuple(tally.get(key) for key in ("yes", "no", "abstain"))


def field_equal(name: str, gold: Mapping[str, Any], predicted: Mapping[str, Any]) -> bool:
    """Whether `predicted` got field `name` of `gold` right.

    `issue`: a gold "other: ..." accepts any prediction starting with "other" (the free text is
    not comparable), and "Xinjiang, Hong Kong" is a set of names. `vote_tally` compares all three.
    """
    if name == "vote_tally":
        return _tally(gold) == _tally(predicted)
    if name == "issue":
        gold_issue, our_issue = gold.get("issue"), predicted.get("issue")
        if isinstance(gold_issue, str) and gold_issue.casefold().startswith("other"):
            return isinstance(our_issue, str) and our_issue.casefold().startswith("other")
        if gold_issue is None or our_issue is None:
            return gold_issue is our_issue
        return _issue_names(gold_issue) == _issue_names(our_issue)
    return bool(gold.get(name) == predicted.get(name))


def _squash(text: str) -> str:
    return " ".join(text.casefold().split())


def _word_runs(text: str) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", text.casefold())
    width = EVIDENCE_SHARED_WORDS
    return {tuple(words[i : i + width]) for i in range(len(words) - width + 1)}


def evidence_overlaps(gold: Iterable[str], predicted: Iterable[str]) -> bool:
    """Some predicted and some gold sentence contain each other or share a run of words."""
    gold_texts = [_squash(text) for text in gold if text.strip()]
    our_texts = [_squash(text) for text in predicted if text.strip()]
    for ours in our_texts:
        for theirs in gold_texts:
            shorter, longer = sorted((ours, theirs), key=len)
            if len(shorter.split()) >= MIN_CONTAINED_WORDS and shorter in longer:
                return True
            if _word_runs(ours) & _word_runs(theirs):
                return True
    return False


def is_candidate(gold: Mapping[str, Any], predicted: Mapping[str, Any]) -> bool:
    """Whether `predicted` may stand for `gold` at all (rule 1 in evaluate.py's docstring)."""
    if gold.get("stance") is None or gold.get("stance") != predicted.get("stance"):
        return False
    anchors = [key for key in ("count", "lead") if gold.get(key) is not None]
    if any(gold[key] == predicted.get(key) for key in anchors):
        return True
    gold_names = set(names(gold.get("signatories_named")))
    if gold_names & set(names(predicted.get("signatories_named"))):
        return True
    if anchors or gold_names:
        return False
    return evidence_overlaps(names(gold.get("evidence")), names(predicted.get("evidence")))


def _jaccard(left: set[str], right: set[str]) -> float:
    return len(left & right) / len(left | right) if left | right else 1.0


def agreement(gold: Mapping[str, Any], predicted: Mapping[str, Any]) -> float:
    """Equal fields among AGREEMENT_FIELDS plus the Jaccard of the signatory sets."""
    equal = sum(field_equal(name, gold, predicted) for name in AGREEMENT_FIELDS)
    gold_names = set(names(gold.get("signatories_named")))
    return equal + _jaccard(gold_names, set(names(predicted.get("signatories_named"))))


def speakers_to_gold(speakers: Iterable[Speaker]) -> list[dict[str, Any]]:
    """Speakers in the gold schema: people only (gold lists no institutions)."""
    return [
        {"name": s.name, "role": s.role, "affiliation": s.affiliation, "quoted": s.quoted}
        for s in speakers
        if s.kind == "person"
    ]
