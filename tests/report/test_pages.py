"""The report's pages, rendered from a small store built row by row (tests/report/conftest.py)."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from blocwatch.model import Duplicate
from blocwatch.report import ReportError, render_report
from blocwatch.report.render import MARKER
from blocwatch.report.safe import anchor
from blocwatch.store import open_store
from blocwatch.store.write import write_batch
from tests.report.conftest import (
    CRITICISE_KEY,
    HOSTILE_KEY,
    SUPPORT_KEY,
    build_store,
)
from tests.store.helpers import entry, make_article

JSON_BLOCK = re.compile(
    r'<script type="application/json" data-chart="([^"]+)">(.*?)</script>', re.S
)


class _Links(HTMLParser):
    """Every href/src and every id of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.scripts: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name in ("href", "src"):
            if values.get(name):
                self.links.append(str(values[name]))
        if values.get("id"):
            self.ids.add(str(values["id"]))
        if tag == "script":
            self.scripts.append(values)


def _parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text("utf-8"))
    return parser


def _pages(report: Path) -> list[Path]:
    return sorted(report.rglob("*.html"))


def _action_page(report: Path, key_prefix: str) -> Path:
    slug = re.sub(r"[^a-z0-9]+", "-", key_prefix.lower())
    matches = [p for p in (report / "actions").glob("*.html") if p.name.startswith(slug)]
    assert len(matches) == 1, matches
    return matches[0]


def test_every_page_is_written(report_dir: Path) -> None:
    assert (report_dir / "index.html").is_file()
    for name in ("outlets.html", "people.html", "sources.html"):
        assert (report_dir / name).is_file()
    assert len(list((report_dir / "actions").glob("*.html"))) == 3
    assert len(list((report_dir / "docs").glob("*.html"))) == 4
    for asset in ("plotly.min.js", "world.js", "geo-shim.js", "report.css", "report.js"):
        assert (report_dir / "assets" / asset).stat().st_size > 0


def test_every_link_and_anchor_resolves(report_dir: Path) -> None:
    """Relative links point at files of the report and at ids that exist on those pages."""
    parsed = {page: _parse(page) for page in _pages(report_dir)}
    checked = 0
    for page, links in parsed.items():
        for link in links.links:
            parts = urlsplit(link)
            if parts.scheme:
                assert parts.scheme in ("http", "https"), (page, link)
                continue
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            assert target.is_file(), (page, link)
            assert report_dir.resolve() in target.parents, (page, link)
            if parts.fragment and target.suffix == ".html":
                assert parts.fragment in parsed[target].ids, (page, link)
            checked += 1
    assert checked > 50


def test_same_store_renders_to_the_same_bytes(store_path: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "one", tmp_path / "two"
    render_report(store_path, first)
    render_report(store_path, second)
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    for name in files:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_hostile_text_is_escaped_everywhere(report_dir: Path) -> None:
    for page in _pages(report_dir):
        html = page.read_text("utf-8")
        for raw in ("<script>window", "<img src=x", "<b onmouseover", 'href="javascript:'):
            assert raw not in html, (page.name, raw)
        scripts = _parse(page).scripts
        # Only our own scripts: JSON blocks and files from assets/, never inline code.
        for attrs in scripts:
            assert attrs.get("type") == "application/json" or str(attrs.get("src", "")).endswith(
                ".js"
            ), (page.name, attrs)
    evil_docs = [p for p in (report_dir / "docs").glob("*.html") if "__pwned2" in p.read_text()]
    assert evil_docs, "the hostile document page lost its text"
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in evil_docs[0].read_text()


def test_hostile_key_gives_a_safe_file_name(report_dir: Path) -> None:
    names = [p.name for p in (report_dir / "actions").iterdir()]
    hostile = [n for n in names if n.startswith("etc-x-passwd-")]
    assert len(hostile) == 1 and re.fullmatch(r"[a-z0-9-]+\.html", hostile[0])
    assert not any(p.name.startswith(".") for p in report_dir.rglob("*.html"))


def test_chart_json_is_valid_and_cannot_close_its_script(report_dir: Path) -> None:
    blocks = 0
    for page in _pages(report_dir):
        for chart_id, text in JSON_BLOCK.findall(page.read_text("utf-8")):
            assert "<" not in text and ">" not in text, (page.name, chart_id)
            figure = json.loads(text)
            assert figure["data"], (page.name, chart_id)
            blocks += 1
    assert blocks >= 1 + 1 + 3 * 2  # timeline, map, and per action a map and a count chart


def _figure(page: Path, chart_id: str) -> dict[str, object]:
    blocks = dict(JSON_BLOCK.findall(page.read_text("utf-8")))
    figure: dict[str, object] = json.loads(blocks[chart_id])
    return figure


def test_overview_timeline_and_map(report_dir: Path) -> None:
    index = report_dir / "index.html"
    timeline = _figure(index, "timeline")
    points = [x for trace in timeline["data"] for x in trace["x"]]  # type: ignore[attr-defined]
    assert sorted(points) == ["2019-07-08", "2019-07-12", "2019-07-20"]
    links = [c for trace in timeline["data"] for c in trace["customdata"]]  # type: ignore[attr-defined]
    assert all((report_dir / link).is_file() for link in links)
    world = _figure(index, "worldmap")
    traces = world["data"]
    assert all(t["type"] == "choropleth" for t in traces)  # type: ignore[attr-defined]
    assert "geojson" not in json.dumps(traces), "polygons belong in assets/world.js, once"
    buttons = world["layout"]["updatemenus"][0]["buttons"]  # type: ignore[index]
    assert buttons[0]["label"] == "China: camps over 3 actions"
    assert len(buttons) == 1 + 3  # the target's camps, then each action


def test_overview_camps_count_supporters_and_critics(report_dir: Path) -> None:
    html = (report_dir / "index.html").read_text("utf-8")
    camp = html[html.index('<div class="camp">') :]
    # PAK (lead), EGY and SRB back CHN; QAT withdrew (no side); FRA and JPN criticise.
    supporters = re.search(r'supporters</div>\s*<div class="n">(\d+)</div>', camp)
    critics = re.search(r'critics</div>\s*<div class="n">(\d+)</div>', camp)
    assert supporters and supporters.group(1) == "3"
    assert critics and critics.group(1) == "2"
    assert 'France <span class="iso">2×</span>' in camp


def test_action_page_lists_states_sources_and_contradictions(report_dir: Path) -> None:
    page = _action_page(report_dir, SUPPORT_KEY)
    html = page.read_text("utf-8")
    for expected in (
        "Pakistan",
        '<span class="badge lead">lead</span>',
        '<span class="badge withdrew">withdrew</span>',
        "Geneva Wire, 2019-07-12",
        "Coastline Daily, 2019-07-27",
        "Sources give 37 and 50 states.",
        "Ambassadors from 37 countries signed a letter backing China",
        '<span class="badge agrees">agrees</span>',
        "only_candidate",
    ):
        assert expected in html, expected
    # Every state named here is on the map (Serbia too), so no "not drawn" note.
    assert "Serbia" in html and "Named but not drawn" not in html
    counts = _figure(page, "counts")
    dots = [y for trace in counts["data"][1:] for y in trace["y"]]  # type: ignore[index]
    assert sorted(dots) == [37, 50]
    other = _action_page(report_dir, CRITICISE_KEY).read_text("utf-8")
    assert "Japan" in other and "Pakistan" not in other


def test_flagged_action_shows_its_reason_escaped(report_dir: Path) -> None:
    html = _action_page(report_dir, "etc-x-passwd").read_text("utf-8")
    assert "Check this action." in html
    assert "joined alone &lt;script&gt;" in html


def test_evidence_links_point_at_highlighted_sentences(report_dir: Path, store_path: Path) -> None:
    db = open_store(store_path, create=False)
    try:
        report_id, doc_id = db.execute(
            "SELECT report_id, doc_id FROM action_reports WHERE action_key = ?", [CRITICISE_KEY]
        ).fetchone()
    finally:
        db.close()
    html = _action_page(report_dir, CRITICISE_KEY).read_text("utf-8")
    link = re.search(rf'href="\.\./(docs/[a-z0-9-]+\.html)#{anchor(report_id)}"', html)
    assert link, "no link to the sentence of the report"
    doc = (report_dir / link.group(1)).read_text("utf-8")
    assert doc_id in doc
    sentence = re.search(rf'<span class="hl-report [^"]*" id="{anchor(report_id)}"', doc)
    assert sentence, "the report's sentence is not highlighted with its anchor"


def test_outlets_page_counts_voices_by_camp(report_dir: Path) -> None:
    html = (report_dir / "outlets.html").read_text("utf-8")
    rows = {
        m.group(1): m.group(2)
        for m in re.finditer(
            r"<tr><td>([^<]+)</td><td class=\"num\">\d*</td>(.*?)</tr>", html, re.S
        )
    }
    cells = lambda outlet: re.findall(r'<td class="num">(\d*)</td>', rows[outlet])  # noqa: E731
    # Columns: target, supporters, critics, both sides, not in a camp, organisation, no state,
    # unattributed. Geneva Wire quotes the PAK envoy (a supporter) and the FRA ambassador (a
    # critic).
    assert cells("Geneva Wire")[:3] == ["", "1", "1"]
    evil = next(k for k in rows if "Evil" in k)
    assert cells(evil)[0] == "1"  # the CHN spokesperson: the target's own voice
    assert "&lt;b onmouseover" in evil


def test_people_page_lists_speakers_and_quotes(report_dir: Path) -> None:
    html = (report_dir / "people.html").read_text("utf-8")
    assert "Munir Example" in html and "We stand with our partners." in html
    assert "Jean Sample" in html


def test_sources_page_links_only_web_urls(report_dir: Path) -> None:
    html = (report_dir / "sources.html").read_text("utf-8")
    assert '<a href="https://example.org/geneva/37" rel="noopener noreferrer nofollow">' in html
    assert "javascript:window.__pwned_url=1" in html  # shown as text
    assert 'href="javascript' not in html


def test_refuses_a_folder_it_did_not_write(store_path: Path, tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "notes.txt").write_text("keep me")
    with pytest.raises(ReportError, match="not a blocwatch report folder"):
        render_report(store_path, folder)
    assert (folder / "notes.txt").read_text() == "keep me"
    file = tmp_path / "file"
    file.write_text("x")
    with pytest.raises(ReportError, match="is a file"):
        render_report(store_path, file)


def test_rerender_removes_stale_pages(report_dir: Path, store_path: Path) -> None:
    stale = report_dir / "actions" / "gone-00000000.html"
    stale.write_text("old")
    assert (report_dir / MARKER).is_file()
    render_report(store_path, report_dir)
    assert not stale.exists()
    assert len(list((report_dir / "actions").glob("*.html"))) == 3


def test_empty_store_renders(tmp_path: Path) -> None:
    db = open_store(":memory:")
    try:
        index = render_report(db, tmp_path / "empty")
    finally:
        db.close()
    html = index.read_text("utf-8")
    assert "No canonical actions in this database" in html
    assert 'data-chart="timeline"' not in html


def test_open_database_is_left_open(tmp_path: Path) -> None:
    db = open_store(":memory:")
    build_store(db)
    render_report(db, tmp_path / "r")
    assert db.execute("SELECT COUNT(*) FROM actions").fetchone()[0] == 3
    db.close()


def test_malformed_sources_json_does_not_break_the_report(store_path: Path, tmp_path: Path) -> None:
    db = open_store(store_path, create=False)
    try:
        with db.conn:
            db.execute("UPDATE action_states SET sources = '{not json' WHERE iso3 = 'PAK'")
            db.execute("UPDATE contradictions SET side_a = '[1, {\"x\": 2}]'")
    finally:
        db.close()
    render_report(store_path, tmp_path / "r")
    html = _action_page(tmp_path / "r", SUPPORT_KEY).read_text("utf-8")
    assert "Pakistan" in html


def test_missing_database_is_an_error(tmp_path: Path) -> None:
    from blocwatch.errors import StoreError

    with pytest.raises(StoreError):
        render_report(tmp_path / "none.db", tmp_path / "r")
    assert not (tmp_path / "none.db").exists()


def test_hostile_action_key_cannot_escape(report_dir: Path) -> None:
    assert not any(".." in str(p.relative_to(report_dir)) for p in report_dir.rglob("*"))
    assert HOSTILE_KEY not in {p.stem for p in report_dir.rglob("*.html")}


def test_documents_without_evidence_get_no_page(store_path: Path, tmp_path: Path) -> None:
    """A crawl is mostly documents with nothing to show: they are counted, never paged, and
    neither are their copies; the documents and copies that hold evidence all are."""
    db = open_store(store_path)
    try:
        quiet = make_article("in/quiet.txt", "The harbour reopened after the storm.", outlet="Port")
        write_batch(db, [entry(quiet)], [], [])
        copy = Duplicate("in/quiet-copy.txt", "text", quiet.id, "exact", 1.0, outlet="Port Echo")
        write_batch(db, [], [copy], [])
    finally:
        db.close()
    out = render_report(store_path, tmp_path / "report").parent
    assert len(list((out / "docs").glob("*.html"))) == 4
    assert not any(quiet.id[:8] in p.name for p in (out / "docs").iterdir())
    sources = (out / "sources.html").read_text("utf-8")
    assert "The other 1 of the 5 documents read had nothing to show" in sources
    assert "nor do their 1 copies" in sources and "Port Echo" not in sources
    overview = (out / "index.html").read_text("utf-8")
    assert '<div class="n">5</div><div class="what">documents' in overview
    assert "Port" in (out / "outlets.html").read_text("utf-8")
