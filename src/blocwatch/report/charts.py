"""The report's plotly charts, as figures the pages embed as JSON.

Pages load plotly.js once from assets/ and draw every `<script type="application/json"
data-chart=ID>` into the element ID (assets/report.js), so a page holds data, not code. Every
string that comes from an article goes through `safe.plot_text` first; `figure_json` escapes
the JSON for the <script> element.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import plotly.graph_objects as go
import plotly.io as pio

from blocwatch.report.camps import OTHER_STANCE_COLOUR, STANCE_COLOURS, state_name
from blocwatch.report.queries import Row
from blocwatch.report.safe import hover_sentence, plot_text, script_json

FONT = {"family": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", "size": 12}
# Marker area grows with the count (diameter with its square root): 9 px for an uncounted
# action, about 30 px for 40 states, capped so that a 150-state vote does not cover the lane.
MARKER_MIN_PX = 9
MARKER_PX_PER_SQRT = 3.3
MARKER_MAX_PX = 44
# Outlet colours on count timelines, in outlet-name order (Okabe-Ito, then greys).
OUTLET_COLOURS = (
    "#0072B2",
    "#D55E00",
    "#009E73",
    "#CC79A7",
    "#E69F00",
    "#56B4E9",
    "#000000",
    "#999999",
)
LANE_PX = 46
# "2019-07-12": a date to the day; shorter dates ("2019-07") are drawn as open circles.
DAY_CHARS = len("YYYY-MM-DD")
TIMELINE_MIN_PX = 260
STANCE_WORDS = {"support": "supporting", "criticize": "criticising"}


def figure_json(figure: go.Figure) -> str:
    """The figure as JSON that is safe inside a <script> element (same figure, same bytes)."""
    text = pio.to_json(figure, validate=True, pretty=False, engine="json")
    return script_json(str(text))


def _layout(figure: go.Figure, height: int) -> None:
    figure.update_layout(
        template="none",
        height=height,
        font=FONT,
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
        hoverlabel={"align": "left", "bgcolor": "#ffffff", "font": FONT},
        legend={"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"},
    )


def lane(action: Row) -> str:
    """The overview lane of an action: its stance towards its target."""
    target = state_name(action["target"]) or "no target"
    stance = STANCE_WORDS.get(action["stance"] or "")
    return f"{stance} {target}" if stance else f"on {target} (stance unread)"


def marker_px(count: int | None) -> float:
    if not count or count < 1:
        return MARKER_MIN_PX
    return min(MARKER_MAX_PX, MARKER_MIN_PX + MARKER_PX_PER_SQRT * math.sqrt(count))


def _stance(action: Row) -> str | None:
    return action["stance"] if action["stance"] in STANCE_COLOURS else None


def _action_hover(action: Row) -> str:
    facts = " · ".join(
        plot_text(v) for v in (action["kind"], action["forum"], action["first_date"]) if v
    )
    count = action["latest_count"]
    low, high = action["count_low"], action["count_high"]
    counted = f"latest count {count}" if count is not None else "no count reported"
    if low is not None and high is not None and low != high:
        counted += f" (reported {low}–{high})"
    sources = (
        f"{action['reports']} reports in {action['documents']} documents "
        f"from {action['outlets']} outlets"
    )
    return f"<b>{plot_text(action['label'])}</b><br>{facts}<br>{counted}<br>{sources}"


def overview_timeline(actions: Sequence[Row], links: Mapping[str, str]) -> go.Figure | None:
    """Dated actions on a time axis, one lane per (target, stance); None when none is dated."""
    dated = [a for a in actions if a["first_date"]]
    if not dated:
        return None
    # Plotly draws the first category at the bottom: reversed, targets read A to Z downwards.
    by_target = sorted({lane(a) for a in dated}, key=lambda name: (name.split(" ", 1)[-1], name))
    lanes = by_target[::-1]
    figure = go.Figure()
    for stance in ("criticize", "support", None):
        chosen = [a for a in dated if _stance(a) == stance]
        if not chosen:
            continue
        # The legend shows the first point's symbol: counted (filled) actions first.
        chosen.sort(key=lambda a: a["latest_count"] is None)
        figure.add_trace(
            go.Scatter(
                x=[a["first_date"] for a in chosen],
                y=[lane(a) for a in chosen],
                mode="markers",
                name=STANCE_WORDS.get(stance or "", "stance unread") + " the target",
                marker={
                    "size": [marker_px(a["latest_count"]) for a in chosen],
                    "color": STANCE_COLOURS.get(stance or "", OTHER_STANCE_COLOUR),
                    "opacity": 0.75,
                    "line": {"color": "#ffffff", "width": 1},
                    "symbol": [
                        "circle" if a["latest_count"] is not None else "circle-open" for a in chosen
                    ],
                },
                text=[_action_hover(a) for a in chosen],
                customdata=[links[a["key"]] for a in chosen],
                hovertemplate="%{text}<extra></extra>",
            )
        )
    _layout(figure, max(TIMELINE_MIN_PX, 90 + LANE_PX * len(lanes)))
    figure.update_layout(
        margin={"l": 170, "r": 20, "t": 40, "b": 40},
        xaxis={"type": "date", "gridcolor": "#ececec", "zeroline": False},
        yaxis={
            "type": "category",
            "categoryorder": "array",
            "categoryarray": lanes,
            "gridcolor": "#ececec",
            "automargin": True,
        },
    )
    return figure


def count_timeline(rows: Sequence[Row], links: Mapping[str, str]) -> go.Figure | None:
    """The counts each source gave for one action over time; None when no source gave one."""
    counted = [r for r in rows if r["count"] is not None and r["when"]]
    if not counted:
        return None
    figure = go.Figure()
    ordered = sorted(counted, key=lambda r: (r["when"], r["count"], r["report_id"]))
    figure.add_trace(
        go.Scatter(
            x=[r["when"] for r in ordered],
            y=[r["count"] for r in ordered],
            mode="lines",
            line={"color": "#b5b5b5", "width": 1.5, "dash": "dot"},
            hoverinfo="skip",
            showlegend=False,
        )
    )
    outlets = sorted({r["outlet"] or "" for r in counted})
    for index, outlet in enumerate(outlets):
        chosen = [r for r in ordered if (r["outlet"] or "") == outlet]
        figure.add_trace(
            go.Scatter(
                x=[r["when"] for r in chosen],
                y=[r["count"] for r in chosen],
                mode="markers",
                name=plot_text(outlet or "(outlet unknown)"),
                marker={
                    "size": 11,
                    "color": OUTLET_COLOURS[index % len(OUTLET_COLOURS)],
                    "symbol": [
                        "circle" if len(r["when"]) >= DAY_CHARS else "circle-open" for r in chosen
                    ],
                    "line": {"width": 2},
                },
                text=[_count_hover(r) for r in chosen],
                customdata=[links.get(r["report_id"], "") for r in chosen],
                hovertemplate="%{text}<extra></extra>",
            )
        )
    _layout(figure, 300)
    figure.update_layout(
        margin={"l": 50, "r": 20, "t": 40, "b": 40},
        xaxis={"type": "date", "gridcolor": "#ececec"},
        yaxis={"title": {"text": "states"}, "gridcolor": "#ececec", "rangemode": "tozero"},
    )
    return figure


def _count_hover(row: Row) -> str:
    qualifier = f" ({plot_text(row['count_qualifier'])})" if row["count_qualifier"] else ""
    head = f"<b>{row['count']}</b>{qualifier} — {plot_text(row['outlet'] or 'outlet unknown')}"
    when = plot_text(row["when"])
    if len(row["when"]) < DAY_CHARS:
        when += " (no day given)"
    published = f"published {plot_text(row['published'])}" if row["published"] else ""
    parts = (head, f"date {when}", published, hover_sentence(row["sentence"]))
    return "<br>".join(p for p in parts if p)
