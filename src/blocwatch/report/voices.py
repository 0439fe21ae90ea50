"""The outlets and people pages: who covers what, in whose words, quoting whom.

A quote's camp is its speaker's state's camp on the targets of the actions its document reports
(a document with no action is read against every target): the same ambassador is a "critic" in
a story about a letter criticising CHN and may be "not in a camp" in a story about RUS.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from typing import Any

import sqlite_utils

from blocwatch.reconcile.people import PersonMention, merge_people
from blocwatch.report import queries
from blocwatch.report.camps import voice_camp
from blocwatch.report.pages import Data
from blocwatch.report.queries import Row

# Quoted people listed per outlet, most quoted first.
VOICES_PER_OUTLET = 6
# Framing terms an outlet uses in its own words, listed per outlet (the rest are counted).
OWN_TERMS_SHOWN = 6
VOICE_CAMPS = (
    "target",
    "supporters",
    "critics",
    "both sides",
    "not in a camp",
    "organisation",
    "no state",
    "unattributed",
)
VOICES = ("narration", "quote", "scare_quote")
_SPEAKER_INDEX = re.compile(r":p(\d+)$")


def _doc_targets(data: Data) -> dict[str, set[str]]:
    targets: dict[str, set[str]] = defaultdict(set)
    by_key = {a["key"]: a for a in data.actions}
    for key, rows in data.reports.items():
        target = by_key[key]["target"] if key in by_key else None
        for row in rows:
            if target:
                targets[row["doc_id"]].add(target)
    return targets


def _coverage(data: Data) -> list[dict[str, Any]]:
    """Per action: each outlet reporting it and the distinct counts it gives, by outlet name."""
    rows = []
    for action in data.actions:
        cells: dict[str, list[int]] = {}
        for report in data.reports.get(action["key"], []):
            counts = cells.setdefault(report["outlet"] or "", [])
            if report["count"] is not None and report["count"] not in counts:
                counts.append(report["count"])
        rows.append({"key": action["key"], "outlets": sorted(cells.items())})
    return rows


def outlets_context(data: Data, db: sqlite_utils.Database) -> dict[str, Any]:
    """Per outlet: coverage and counts of each action, framing by voice, and whose voices."""
    outlet_docs = Counter(data.outlet_documents)
    outlets = sorted(outlet_docs, key=lambda o: (-outlet_docs[o], o))
    camps = {c.target: c for c in data.camps}
    targets = _doc_targets(data)
    voices: dict[str, Counter[str]] = defaultdict(Counter)
    people: dict[str, Counter[str]] = defaultdict(Counter)
    quote_counts: Counter[str] = Counter()
    for quote in queries.quotes(db):
        outlet = quote["outlet"]
        quote_counts[outlet] += 1
        if quote["speaker_id"] is None:
            voices[outlet]["unattributed"] += 1
            continue
        doc_targets = targets.get(quote["doc_id"]) or set(camps)
        voices[outlet][voice_camp(quote["affiliation"], sorted(doc_targets), camps)] += 1
        people[outlet][quote["name"]] += 1
    frame_counts: dict[str, Counter[tuple[str, str]]] = defaultdict(Counter)
    own_terms: dict[str, set[str]] = defaultdict(set)
    for row in queries.frame_uses(db):
        frame_counts[row["outlet"]][(row["frame"], row["voice"])] += row["n"]
        if row["voice"] == "narration":
            own_terms[row["outlet"]].update(queries.as_list(row["terms"]))
    frames = sorted({frame for counts in frame_counts.values() for frame, _ in counts})
    return {
        "outlets": outlets,
        "outlet_docs": outlet_docs,
        "coverage": _coverage(data),
        "frames": frames,
        "frame_voices": VOICES,
        "frame_counts": frame_counts,
        "own_terms": {o: sorted(terms, key=str.casefold) for o, terms in own_terms.items()},
        "own_terms_shown": OWN_TERMS_SHOWN,
        "voices": voices,
        "voice_camps": VOICE_CAMPS,
        "quote_counts": quote_counts,
        "people": {o: people[o].most_common(VOICES_PER_OUTLET) for o in outlets},
    }


def _mentions(speakers: list[Row]) -> list[tuple[PersonMention, str]]:
    """Person speakers as PersonMentions (speaker index from the id "<doc>:p<n>"), with ids."""
    mentions = []
    for position, row in enumerate(s for s in speakers if s["kind"] == "person"):
        match = _SPEAKER_INDEX.search(str(row["id"]))
        mention = PersonMention(
            doc_id=row["doc_id"],
            speaker_index=int(match.group(1)) if match else position,
            name=row["name"],
            role=row["role"],
            affiliation=row["affiliation"],
            date=row["published"],
        )
        mentions.append((mention, row["id"]))
    return mentions


def people_context(db: sqlite_utils.Database) -> dict[str, Any]:
    """People (spellings merged by reconcile.people) with their quotes; then institutions."""
    speakers = queries.speakers(db)
    by_id = {s["id"]: s for s in speakers}
    quotes_of: dict[str, list[Row]] = defaultdict(list)
    for quote in queries.quotes(db):
        if quote["speaker_id"]:
            quotes_of[quote["speaker_id"]].append(quote)
    pairs = _mentions(speakers)
    id_of = {(m.doc_id, m.speaker_index, m.name): speaker_id for m, speaker_id in pairs}
    people: list[dict[str, Any]] = []
    for person in merge_people([m for m, _ in pairs]):
        ids = list(
            dict.fromkeys(id_of[(m.doc_id, m.speaker_index, m.name)] for m in person.mentions)
        )
        rows = [by_id[i] for i in ids]
        said = sorted(
            (q for i in ids for q in quotes_of.get(i, [])),
            key=lambda q: (q["published"] or "", q["doc_id"], q["start"]),
        )
        people.append(
            {
                "person": person,
                "roles": sorted({r["role"] for r in rows if r["role"]}),
                "affiliations": sorted({r["affiliation"] for r in rows if r["affiliation"]}),
                "outlets": sorted({r["outlet"] for r in rows if r["outlet"]}),
                "documents": len({r["doc_id"] for r in rows}),
                "quotes": said,
            }
        )
    people.sort(key=lambda p: (-len(p["quotes"]), -p["documents"], p["person"].canonical))
    institutions: dict[str, set[str]] = defaultdict(set)
    quoted: Counter[str] = Counter()
    for row in speakers:
        if row["kind"] != "person":
            institutions[row["name"]].add(row["doc_id"])
            quoted[row["name"]] += len(quotes_of.get(row["id"], []))
    return {
        "people": people,
        "institutions": [
            {"name": name, "documents": len(docs), "quotes": quoted[name]}
            for name, docs in sorted(institutions.items())
        ],
    }
