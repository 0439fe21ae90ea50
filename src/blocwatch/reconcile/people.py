"""Name variants across documents: one person, several spellings.

Reports spell one speaker differently ("Zelensky"/"Zelenskyy"), shorten the name ("Bachelet" for
"Michelle Bachelet"), and machine translation swaps a syllable ("Yan Shuang" for the foreign
ministry spokesperson Geng Shuang). Merging on names alone would also merge different people who
share a surname, so every merge needs the name evidence *and* agreement of what the documents say
about the person, and records why it was made.

`merge_people` stages, each merging whole groups (a merge never joins two groups that conflict:
different known affiliations, or two different speakers of one document):
1. Same name after normalisation (case, accents, hyphens, honorifics, initials). Mentions with
   no affiliation join only when the name has at most one known affiliation.
2. Spelling variants: names whose tokens align with rapidfuzz ratio >= TOKEN_SIMILARITY each and
   NAME_SIMILARITY overall, with the same affiliation or a compatible role, and close dates.
3. Transliteration slips: two-token surname-first names with the same given name and a different
   one-syllable surname ("Yan Shuang"/"Geng Shuang"), only with the same role AND the same
   affiliation AND close dates. Two people who share a surname are never merged by this rule
   ("Zhang Jun"/"Zhang Ming"): the shared token must be the given name.
4. Short forms: a name whose tokens are part of a longer name ("Bachelet" in "Michelle Bachelet"),
   with the same affiliation or a compatible role, and only when exactly one person fits.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from itertools import combinations

from rapidfuzz import fuzz

from blocwatch.nlp.states import find_states

# Whole-name similarity (0-100) for a spelling variant: "Shohrat Zakir"/"Shohret Zakir" is 92,
# "Zhang Jun"/"Zhang Jin" is 89 but fails the per-token rule below.
NAME_SIMILARITY = 88
# Each aligned token must be this close: "jun"/"jin" (67) are different given names,
# "zelensky"/"zelenskyy" (94) one name spelt two ways.
TOKEN_SIMILARITY = 80
# Roles are compatible when one's words contain the other's or they share half of their words.
ROLE_MIN_JACCARD = 0.5
# A slip or a spelling variant is believed only for reports of the same period: about a year.
MAX_DATE_GAP_DAYS = 366
# Words before a name that are not part of it.
HONORIFICS = frozenset("mr mrs ms miss dr sir dame amb ambassador he hon prof madam".split())
# Role words that mean the same post.
ROLE_SYNONYMS = {
    "spokesman": "spokesperson",
    "spokeswoman": "spokesperson",
    "spokespeople": "spokesperson",
    "envoy": "ambassador",
    "representative": "ambassador",
}
# Multi-word role spellings folded first (order matters: longest first).
ROLE_PHRASES = (
    (r"\bunited nations office (?:at|in) geneva\b", "unog"),
    (r"\bministry of foreign affairs\b|\bforeign affairs ministry\b|\bmfa\b", "foreign ministry"),
    (r"\bhigh commissioner for human rights\b", "high commissioner"),
    (r"\bunited nations\b|\bu\.n\.", "un"),
    (r"\bsecretary-general\b", "secretary general"),
    (r"\bpermanent representative\b", "ambassador"),
)
ROLE_STOPWORDS = frozenset("the of to for at in and a an s on with its their his her".split())
# Rank words: a deputy ambassador and an ambassador are different posts.
RANK_MARKERS = frozenset("deputy vice assistant former acting under associate junior".split())
# One romanised Chinese syllable (pinyin): initial, vowels, final n/ng/r.
PINYIN_SYLLABLE = re.compile(
    r"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?(?:[aeiouv]|ü){1,3}(?:ng|n|r)?", re.IGNORECASE
)


@dataclass(frozen=True)
class PersonMention:
    """One document's speaker, as the speakers extractor recorded it."""

    doc_id: str
    speaker_index: int
    name: str
    role: str | None = None
    affiliation: str | None = None  # ISO3 or an organisation ("UN")
    date: str | None = None  # the document's date: YYYY-MM-DD, YYYY-MM or YYYY


@dataclass(frozen=True)
class Person:
    """One person across documents: every spelling, the canonical one, and why they were merged."""

    id: str
    names: list[str]
    canonical: str
    mentions: list[PersonMention]
    reason: str


@dataclass(frozen=True)
class _Facts:
    mention: PersonMention
    order: int
    tokens: tuple[str, ...]
    written: tuple[str, ...]  # the name's tokens as written, aligned with `tokens` when possible
    affiliation: str | None
    role: tuple[str, ...] | None  # normalised role words, in order
    rank: frozenset[str]
    day: date | None


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def name_tokens(name: str) -> tuple[str, ...]:
    """A name as comparable tokens: case and accents folded, hyphens split, apostrophes,
    honorifics and initials dropped ("H.E. Leslie E. Norton" -> leslie norton)."""
    folded = re.sub(r"['’]", "", _fold(name))
    tokens = [t for t in re.findall(r"\w+", folded) if t not in HONORIFICS]
    return tuple(t for t in tokens if len(t) > 1 or not t.isalpha())


@lru_cache(maxsize=4096)
def role_words(role: str) -> tuple[tuple[str, ...], frozenset[str]]:
    """(post words in order, rank words) of a role; the state it is for is dropped (the
    affiliation says it): "Chinese Foreign Ministry spokesperson" -> foreign ministry
    spokesperson."""
    kept, last = [], 0
    for state in find_states(role):
        kept.append(role[last : state.start])
        last = state.end
    text = _fold("".join([*kept, role[last:]]))
    for pattern, replacement in ROLE_PHRASES:
        text = re.sub(pattern, replacement, text)
    words = [ROLE_SYNONYMS.get(w, w) for w in re.findall(r"[a-z]+", text)]
    rank = frozenset(w for w in words if w in RANK_MARKERS)
    post = tuple(w for w in words if w not in ROLE_STOPWORDS and w not in RANK_MARKERS)
    return post, rank


def roles_compatible(a: str | None, b: str | None) -> bool | None:
    """True/False when both roles are known, None when either is missing or says nothing."""
    if not a or not b:
        return None
    (post_a, rank_a), (post_b, rank_b) = role_words(a), role_words(b)
    if not post_a or not post_b:
        return None
    if rank_a != rank_b:
        return False
    set_a, set_b = set(post_a), set(post_b)
    if set_a <= set_b or set_b <= set_a:
        return True
    return len(set_a & set_b) / len(set_a | set_b) >= ROLE_MIN_JACCARD


def _parse_date(text: str | None) -> date | None:
    match = re.fullmatch(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", (text or "").strip())
    if not match:
        return None
    year, month, day = match.groups()
    try:
        return date(int(year), int(month or 7), int(day or 1))
    except ValueError:
        return None


def _dates_close(a: date | None, b: date | None) -> bool:
    return a is None or b is None or a.year == b.year or abs((a - b).days) <= MAX_DATE_GAP_DAYS


def _facts(mention: PersonMention, order: int) -> _Facts:
    affiliation = re.sub(r"[.\s]", "", mention.affiliation).upper() if mention.affiliation else None
    role, rank = role_words(mention.role) if mention.role else ((), frozenset())
    written = tuple(
        w for w in re.findall(r"[\w'’]+", mention.name) if name_tokens(w) and len(w) > 1
    )
    return _Facts(
        mention=mention,
        order=order,
        tokens=name_tokens(mention.name),
        written=written,
        affiliation=affiliation or None,
        role=role or None,
        rank=rank,
        day=_parse_date(mention.date),
    )


class _Groups:
    """Union-find over mentions, keeping each group's members and merge reasons."""

    def __init__(self, facts: Sequence[_Facts]) -> None:
        self.facts = facts
        self.parent = list(range(len(facts)))
        self.members: dict[int, list[int]] = {i: [i] for i in range(len(facts))}
        self.reasons: dict[int, list[str]] = {i: [] for i in range(len(facts))}

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def conflict(self, a: int, b: int) -> bool:
        """Two groups that must stay apart: different known affiliations, or two different
        speakers of one document."""
        for i in self.members[self.find(a)]:
            for j in self.members[self.find(b)]:
                x, y = self.facts[i], self.facts[j]
                if x.affiliation and y.affiliation and x.affiliation != y.affiliation:
                    return True
                same_doc = x.mention.doc_id == y.mention.doc_id
                if same_doc and x.mention.speaker_index != y.mention.speaker_index:
                    return True
        return False

    def merge(self, a: int, b: int, reason: str) -> bool:
        root_a, root_b = self.find(a), self.find(b)
        if root_a == root_b or self.conflict(root_a, root_b):
            return False
        keep, gone = min(root_a, root_b), max(root_a, root_b)
        self.parent[gone] = keep
        self.members[keep] += self.members.pop(gone)
        merged = self.reasons[keep] + self.reasons.pop(gone)
        self.reasons[keep] = [*dict.fromkeys([*merged, reason])]
        return True


def _evidence(a: _Facts, b: _Facts) -> str | None:
    """What the two mentions agree on besides the name, or None (no evidence, or a clash)."""
    if not _dates_close(a.day, b.day):
        return None
    compatible = roles_compatible(a.mention.role, b.mention.role)
    if compatible is False:
        return None
    same_affiliation = a.affiliation is not None and a.affiliation == b.affiliation
    parts = []
    if compatible:
        parts.append(f"role ({' '.join(a.role or ())})")
    if same_affiliation:
        parts.append(f"affiliation ({a.affiliation})")
    return "same " + " and ".join(parts) if parts else None


def _spelling_variant(a: _Facts, b: _Facts) -> str | None:
    if len(a.tokens) != len(b.tokens) or a.tokens == b.tokens or not a.tokens:
        return None
    if any(fuzz.ratio(x, y) < TOKEN_SIMILARITY for x, y in zip(a.tokens, b.tokens, strict=True)):
        return None
    score = fuzz.ratio(" ".join(a.tokens), " ".join(b.tokens))
    evidence = _evidence(a, b)
    if score < NAME_SIMILARITY or evidence is None:
        return None
    return f"{evidence}; names spelt differently ({a.mention.name}/{b.mention.name})"


def _slip(a: _Facts, b: _Facts) -> str | None:
    if len(a.tokens) != 2 or len(b.tokens) != 2 or a.tokens[1] != b.tokens[1]:
        return None
    surname_a, surname_b = a.tokens[0], b.tokens[0]
    if surname_a == surname_b or not all(
        PINYIN_SYLLABLE.fullmatch(s) for s in (surname_a, surname_b)
    ):
        return None
    if not (a.affiliation and a.affiliation == b.affiliation and _dates_close(a.day, b.day)):
        return None
    if roles_compatible(a.mention.role, b.mention.role) is not True:
        return None
    written_a = a.written[0] if len(a.written) == 2 else surname_a
    written_b = b.written[0] if len(b.written) == 2 else surname_b
    return (
        f"same role ({' '.join(a.role or ())}) and affiliation ({a.affiliation}); names differ "
        f"by one syllable ({written_a}/{written_b}): a transliteration or translation slip"
    )


def _blocks(facts: Sequence[_Facts]) -> list[list[int]]:
    """Mentions that could be one person share a token or a token's first three letters."""
    keys: dict[str, list[int]] = {}
    for i, fact in enumerate(facts):
        for token in set(fact.tokens):
            for key in {f"t:{token}", f"p:{token[:3]}"}:
                keys.setdefault(key, []).append(i)
    return [ids for _, ids in sorted(keys.items()) if len(ids) > 1]


def _same_names(groups: _Groups) -> None:
    by_name: dict[tuple[str, ...], list[int]] = {}
    for i, fact in enumerate(groups.facts):
        if fact.tokens:
            by_name.setdefault(fact.tokens, []).append(i)
    for ids in by_name.values():
        known = {groups.facts[i].affiliation for i in ids} - {None}
        for first, other in combinations(ids, 2):
            x, y = groups.facts[first], groups.facts[other]
            if x.affiliation == y.affiliation or (len(known) <= 1):
                groups.merge(first, other, "same name")


def _variants(groups: _Groups) -> None:
    seen: set[tuple[int, int]] = set()
    for ids in _blocks(groups.facts):
        for i, j in combinations(ids, 2):
            if (i, j) in seen or groups.find(i) == groups.find(j):
                continue
            seen.add((i, j))
            x, y = groups.facts[i], groups.facts[j]
            reason = _spelling_variant(x, y) or _slip(x, y)
            if reason:
                groups.merge(i, j, reason)


def _short_forms(groups: _Groups) -> None:
    by_token: dict[str, list[int]] = {}
    for j, fact in enumerate(groups.facts):
        for token in set(fact.tokens):
            by_token.setdefault(token, []).append(j)
    for i, short in enumerate(groups.facts):
        root = groups.find(i)
        longest = max(len(groups.facts[m].tokens) for m in groups.members[root])
        if not short.tokens or len(short.tokens) < longest:
            continue
        targets: dict[int, tuple[int, str]] = {}
        for j in by_token[short.tokens[0]]:
            full = groups.facts[j]
            if groups.find(j) == root or not set(short.tokens) < set(full.tokens):
                continue
            evidence = _evidence(short, full)
            if evidence and not groups.conflict(i, j):
                targets.setdefault(groups.find(j), (j, evidence))
        if len(targets) == 1:
            j, evidence = next(iter(targets.values()))
            reason = (
                f"'{short.mention.name}' is part of '{groups.facts[j].mention.name}'; {evidence}"
            )
            groups.merge(i, j, reason)


def _person(groups: _Groups, ids: list[int], taken: set[str]) -> Person:
    facts = sorted((groups.facts[i] for i in ids), key=lambda f: f.order)
    spellings = Counter(f.mention.name for f in facts)
    names = list(dict.fromkeys(f.mention.name for f in facts))
    canonical = max(names, key=lambda n: (len(name_tokens(n)), spellings[n], -names.index(n)))
    affiliations = Counter(f.affiliation for f in facts if f.affiliation)
    affiliation = affiliations.most_common(1)[0][0] if affiliations else ""
    seed = f"{' '.join(name_tokens(canonical))}|{affiliation}"
    base = "p-" + hashlib.sha256(seed.encode("utf-8")).hexdigest()[:12]
    person_id, suffix = base, 2
    while person_id in taken:
        person_id, suffix = f"{base}-{suffix}", suffix + 1
    taken.add(person_id)
    reasons = groups.reasons[groups.find(ids[0])]
    return Person(
        id=person_id,
        names=names,
        canonical=canonical,
        mentions=[f.mention for f in facts],
        reason=" | ".join(reasons) if reasons else "single mention",
    )


def merge_people(mentions: Sequence[PersonMention]) -> list[Person]:
    """Group mentions of one person across documents (stages in the module docstring).

    Deterministic: the result depends on the mentions, not on their order. People come out in
    the order of their first mention (by document id, then speaker index)."""
    ordered = sorted(mentions, key=lambda m: (m.doc_id, m.speaker_index, m.name))
    groups = _Groups([_facts(m, order) for order, m in enumerate(ordered)])
    _same_names(groups)
    _variants(groups)
    _short_forms(groups)
    taken: set[str] = set()
    roots = sorted(groups.members, key=lambda r: min(groups.members[r]))
    return [_person(groups, groups.members[root], taken) for root in roots]
