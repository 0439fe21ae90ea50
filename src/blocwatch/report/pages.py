"""What each page shows, as plain data for its template (no HTML is built here).

`load` reads the store once; the `*_context` functions shape one page each. Links are paths
relative to the report folder ("actions/<slug>.html"); templates prefix them with `root`.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlite_utils

from blocwatch.report import charts, queries
from blocwatch.report.camps import (
    ACTION_CATEGORIES,
    POSITION_LABELS,
    POSITION_ORDER,
    TARGET_CATEGORIES,
    Camp,
    action_category,
    build_camps,
    state_name,
)
from blocwatch.report.queries import CheckRow, ContradictionRow, Row, StateRow
from blocwatch.report.safe import anchor, slugify
from blocwatch.report.worldmap import MapLayer, MapOption, hover_line, map_figure

# The overview map's dropdown lists every target, then actions by date up to this many options:
# a longer menu stops being usable, and every action page has its own map anyway.
MAP_MAX_OPTIONS = 80
MAP_HEIGHT_PX = 460
ACTION_MAP_HEIGHT_PX = 380
# Contradictions listed on the overview (all of them are on the action pages).
INDEX_CONTRADICTIONS = 40


@dataclass
class Data:
    """Everything read from the store, with the path of every page."""

    counts: dict[str, int]
    documents: list[Row]  # those holding a fact: each gets a page
    outlet_documents: dict[str, int]  # every document, per outlet
    duplicates: list[Row]  # copies of `documents`
    actions: list[Row]
    reports: dict[str, list[Row]]
    states: dict[str, list[StateRow]]
    contradictions: list[ContradictionRow]
    timeline: dict[str, list[Row]]
    checks: list[CheckRow]
    camps: list[Camp]
    action_path: dict[str, str] = field(default_factory=dict)
    doc_path: dict[str, str] = field(default_factory=dict)


def _paths(folder: str, keys: Sequence[str]) -> dict[str, str]:
    """Unique page paths for keys (a slug collision gets a counter, in key order)."""
    paths: dict[str, str] = {}
    taken: set[str] = set()
    for key in sorted(keys):
        slug, n = slugify(key), 2
        while slug in taken:
            slug, n = f"{slugify(key)}-{n}", n + 1
        taken.add(slug)
        paths[key] = f"{folder}/{slug}.html"
    return paths


def load(db: sqlite_utils.Database) -> Data:
    actions = queries.actions(db)
    states = queries.action_states(db)
    documents = queries.documents(db)
    return Data(
        counts=queries.table_counts(db),
        documents=documents,
        outlet_documents=queries.outlet_documents(db),
        duplicates=queries.duplicates(db),
        actions=actions,
        reports=queries.action_reports(db),
        states=states,
        contradictions=queries.contradictions(db),
        timeline=queries.timeline(db),
        checks=queries.reference_checks(db),
        camps=build_camps(actions, states),
        action_path=_paths("actions", [a["key"] for a in actions]),
        doc_path=_paths("docs", [d["id"] for d in documents]),
    )


def report_link(data: Data, doc_id: str, report_id: str | None) -> str | None:
    """The document page of a source, at the sentence of its report when there is one."""
    path = data.doc_path.get(doc_id)
    if path is None:
        return None
    return f"{path}#{anchor(report_id)}" if report_id else path


def _outlets(sources: Sequence[queries.Cited]) -> list[str]:
    return sorted({s.outlet for s in sources if s.outlet})


def action_map(action: Row, states: Sequence[StateRow]) -> MapOption:
    """One action: each named state coloured by its position (all sources together)."""
    layers = {c: MapLayer(c, label, colour) for c, label, colour in ACTION_CATEGORIES}
    target = action["target"]
    if target:
        layers["target"].states.append(target)
        layers["target"].hover.append(hover_line(target, "target of the action", []))
    by_state: dict[str, list[StateRow]] = defaultdict(list)
    for row in states:
        by_state[row.iso3].append(row)
    for iso3, rows in sorted(by_state.items()):
        if iso3 == target:
            continue
        layer = layers[action_category(r.position for r in rows)]
        what = ", ".join(POSITION_LABELS.get(r.position, r.position) for r in rows)
        layer.states.append(iso3)
        layer.hover.append(hover_line(iso3, what, _outlets([s for r in rows for s in r.sources])))
    title = f"{action['label']} ({action['first_date'] or 'undated'})"
    return MapOption(title=title, layers=list(layers.values()))


def target_map(camp: Camp) -> MapOption:
    """One target: its supporters and critics over every action about it."""
    layers = {c: MapLayer(c, label, colour) for c, label, colour in TARGET_CATEGORIES}
    layers["target"].states.append(camp.target)
    layers["target"].hover.append(hover_line(camp.target, "the target", []))
    for iso3 in sorted(set(camp.supports) | set(camp.criticizes)):
        side = camp.side(iso3)
        if side is None or iso3 == camp.target:
            continue
        what = (
            f"backed {camp.supports[iso3]} and criticised in {camp.criticizes[iso3]} "
            f"of {len(camp.actions)} actions"
        )
        layers[side].states.append(iso3)
        layers[side].hover.append(hover_line(iso3, what, []))
    title = f"{state_name(camp.target)}: camps over {len(camp.actions)} actions"
    return MapOption(title=title, layers=list(layers.values()))


def index_context(data: Data) -> dict[str, Any]:
    """The overview: timeline, map (targets first, then actions), camps, actions, disputes."""
    links = data.action_path
    options = [target_map(c) for c in data.camps]
    options += [action_map(a, data.states.get(a["key"], ())) for a in data.actions]
    options = options[:MAP_MAX_OPTIONS]
    timeline = charts.overview_timeline(data.actions, links)
    world = map_figure(options, MAP_HEIGHT_PX) if options else None
    by_kind = Counter(c.kind for c in data.contradictions)
    verdicts = Counter(c.verdict for c in data.checks)
    named = {r.iso3 for rows in data.states.values() for r in rows}
    return {
        "timeline_json": charts.figure_json(timeline) if timeline else None,
        "map_json": charts.figure_json(world) if world else None,
        "map_not_drawn": sorted({s for o in options for s in o.not_drawn()}),
        "camps": data.camps,
        "actions": data.actions,
        "undated": [a for a in data.actions if not a["first_date"]],
        "contradictions": data.contradictions[:INDEX_CONTRADICTIONS],
        "contradictions_total": len(data.contradictions),
        "contradictions_by_kind": sorted(by_kind.items()),
        "verdicts": sorted(verdicts.items()),
        "unmatched": [c for c in data.checks if c.action_key is None],
        "outlets": len([o for o in data.outlet_documents if o]),
        "states_named": len(named),
        "counts": data.counts,
    }


def action_context(data: Data, action: Row) -> dict[str, Any]:
    """One action: facts, count timeline, map and table of positions, disputes, evidence."""
    key = action["key"]
    states = data.states.get(key, [])
    reports = data.reports.get(key, [])
    report_links = {
        r["report_id"]: report_link(data, r["doc_id"], r["report_id"]) or "" for r in reports
    }
    rows = data.timeline.get(key, [])
    counts = charts.count_timeline(rows, {k: "../" + v for k, v in report_links.items() if v})
    option = action_map(action, states)
    world = map_figure([option], ACTION_MAP_HEIGHT_PX)
    order = {p: i for i, p in enumerate(POSITION_ORDER)}
    # A state's rows stay together (signed, then withdrew), placed by its first position.
    first: dict[str, int] = {}
    for row in states:
        first[row.iso3] = min(first.get(row.iso3, 99), order.get(row.position, 99))
    return {
        "action": action,
        "issues": queries.as_list(action["issues"]),
        "dates": queries.as_list(action["dates"]),
        "leads": queries.as_list(action["leads"]),
        "counts_json": charts.figure_json(counts) if counts else None,
        "timeline": rows,
        "map_json": charts.figure_json(world),
        "map_not_drawn": option.not_drawn(),
        "states": sorted(
            states,
            key=lambda s: (first[s.iso3], state_name(s.iso3), s.iso3, order.get(s.position, 99)),
        ),
        "contradictions": [
            c for c in data.contradictions if key in (c.action_key, c.other_action_key)
        ],
        "reports": reports,
        "checks": [c for c in data.checks if c.action_key == key],
    }


def sources_context(data: Data) -> dict[str, Any]:
    """Every document holding a fact, with the number of reports and the actions it feeds; then
    their copies; and how many documents were read in all."""
    reports_per_doc: Counter[str] = Counter()
    actions_of: dict[str, list[str]] = defaultdict(list)
    for key, rows in sorted(data.reports.items()):
        for row in rows:
            reports_per_doc[row["doc_id"]] += 1
            if key not in actions_of[row["doc_id"]]:
                actions_of[row["doc_id"]].append(key)
    return {
        "documents": data.documents,
        "documents_read": data.counts.get("documents", 0),
        "duplicates_read": data.counts.get("duplicates", 0),
        "duplicates": data.duplicates,
        "reports_per_doc": reports_per_doc,
        "actions_of": actions_of,
    }
