"""The report in a real browser: charts drawn, hostile text inert, nothing fetched.

Drives Debian's Chromium (/usr/bin/chromium) through Python playwright; never downloads a
browser. Without Chromium the tests skip, unless BLOCWATCH_REQUIRE_BROWSER=1 (CI), where a
missing browser is a failure.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from blocwatch.report import render_report
from blocwatch.report.shots import CHROMIUM, CHROMIUM_ARGS
from blocwatch.store import open_store
from tests.report.conftest import HOSTILE_KEY, SUPPORT_KEY, build_store

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# Every flag the hostile payloads would set if any of them ran.
FLAGS = (
    "__pwned",
    "__pwned2",
    "__pwned3",
    "__pwned_title",
    "__pwned_outlet",
    "__pwned_label",
    "__pwned_url",
)
DRAW_TIMEOUT_MS = 20_000


def _need_browser() -> None:
    required = os.environ.get("BLOCWATCH_REQUIRE_BROWSER") == "1"
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is not installed (apt-get install chromium)"
        if required:
            pytest.fail(f"BLOCWATCH_REQUIRE_BROWSER=1 but {message}")
        pytest.skip(message)


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("browser")
    db = open_store(":memory:")
    try:
        build_store(db)
        render_report(db, folder / "report")
    finally:
        db.close()
    return folder / "report"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    _need_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class _Visit:
    """One page opened in a fresh tab, with every request and error it caused."""

    def __init__(self, browser: Any, path: Path) -> None:
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page = browser.new_page()
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.goto(path.resolve().as_uri())
        charts = self.page.locator("div.chart").count()
        if charts:
            self.page.wait_for_function(
                "n => document.querySelectorAll('div.chart[data-drawn]').length >= n",
                arg=charts,
                timeout=DRAW_TIMEOUT_MS,
            )

    def check_clean(self) -> None:
        """Nothing ran that we did not write, nothing left the disk, nothing failed."""
        for flag in FLAGS:
            assert self.page.evaluate(f"typeof window.{flag}") == "undefined", flag
        assert [u for u in self.requests if not u.startswith("file://")] == []
        assert self.errors == []

    def close(self) -> None:
        self.page.close()


def _action_page(report: Path, key: str) -> Path:
    prefix = "".join(c if c.isalnum() else "-" for c in key.lower()).strip("-")
    prefix = "-".join(part for part in prefix.split("-") if part)
    return next(p for p in (report / "actions").glob("*.html") if p.name.startswith(prefix))


def test_overview_draws_timeline_and_map_offline(browser: Any, report: Path) -> None:
    visit = _Visit(browser, report / "index.html")
    page = visit.page
    assert page.evaluate("document.getElementById('timeline').data.length > 0")
    assert page.evaluate("document.getElementById('worldmap').data.length > 0")
    paths = page.evaluate("document.querySelectorAll('#worldmap path.choroplethlocation').length")
    assert paths > 150, "the country outlines were not drawn"
    # The hostile action's hover label shows the markup as text and runs nothing.
    shown = page.evaluate(
        """() => {
        const gd = document.getElementById('timeline');
        for (let c = 0; c < gd.data.length; c++) {
          const i = gd.data[c].text.findIndex(t => t.includes('__pwned_label'));
          if (i >= 0) { Plotly.Fx.hover(gd, [{curveNumber: c, pointNumber: i}]); break; }
        }
        const label = document.querySelector('#timeline .hovertext');
        return label ? label.textContent : '';
    }"""
    )
    assert "<script>window.__pwned_label = 1</script>" in shown
    visit.check_clean()
    visit.close()


def test_timeline_click_opens_the_action(browser: Any, report: Path) -> None:
    visit = _Visit(browser, report / "index.html")
    link = visit.page.evaluate(
        """() => {
        const gd = document.getElementById('timeline');
        const point = {customdata: gd.data[0].customdata[0]};
        gd.emit('plotly_click', {points: [point]});
        return point.customdata;
    }"""
    )
    visit.page.wait_for_url(f"**/{link}")
    assert visit.page.locator("h1").inner_text()
    visit.check_clean()
    visit.close()


def test_action_page_lists_its_sources(browser: Any, report: Path) -> None:
    visit = _Visit(browser, _action_page(report, SUPPORT_KEY))
    page = visit.page
    text = page.inner_text("main")
    for source in ("Geneva Wire, 2019-07-12", "Coastline Daily, 2019-07-27"):
        assert source in text
    assert "Pakistan" in text and "withdrew" in text
    assert page.evaluate("document.getElementById('counts').data.length > 0")
    assert page.evaluate("document.querySelectorAll('#worldmap path.choroplethlocation').length")
    visit.check_clean()
    visit.close()


def test_hostile_pages_show_the_markup_as_text(browser: Any, report: Path) -> None:
    evil_doc = next(p for p in (report / "docs").glob("*.html") if "__pwned2" in p.read_text())
    pages = [
        evil_doc,
        _action_page(report, HOSTILE_KEY),
        _action_page(report, SUPPORT_KEY),
        report / "outlets.html",
        report / "people.html",
        report / "sources.html",
    ]
    for path in pages:
        visit = _Visit(browser, path)
        visit.page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
        body = visit.page.inner_text("body")
        assert "<script>" in body, path.name
        assert visit.page.locator("img").count() == 0, path.name
        visit.page.hover("body")
        visit.check_clean()
        visit.close()
    visit = _Visit(browser, evil_doc)
    text = visit.page.inner_text(".doctext")
    assert (
        '</script><script>window.__pwned2 = 1</script><img src=x onerror="window.__pwned3 = 1">'
        in text
    )
    assert visit.page.title().startswith("<script>window.__pwned_title = 1</script>")
    visit.check_clean()
    visit.close()
