"""Screenshots of a rendered report (the overview and one action page), for reviewing its look.

    python -m blocwatch.report.shots REPORT_DIR SHOTS_DIR

Drives the system Chromium through Python playwright (never downloads a browser). Used by
`make report-shots`; not part of the pipeline. Prints the path of every PNG written, and the
console errors and non-file requests of each page (there should be none).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-dev-shm-usage",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
VIEWPORT_WIDTH, VIEWPORT_HEIGHT = 1280, 900  # a common laptop screen
# Charts are drawn after load; wait for each chart div to be drawn, at most this long.
DRAW_TIMEOUT_MS = 20_000


def _shoot(page: object, url: str, path: Path) -> list[str]:
    """Open `url`, wait for its charts, save a full-page PNG; returns the problems seen."""
    from playwright.sync_api import Page

    assert isinstance(page, Page)
    problems: list[str] = []
    page.on(
        "console",
        lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None,
    )
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on(
        "request",
        lambda r: problems.append(f"request: {r.url}") if not r.url.startswith("file:") else None,
    )
    page.goto(url)
    charts = page.locator("div.chart").count()
    if charts:
        page.wait_for_function(
            "n => document.querySelectorAll('div.chart[data-drawn]').length >= n",
            arg=charts,
            timeout=DRAW_TIMEOUT_MS,
        )
    page.screenshot(path=str(path), full_page=True)
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("report", type=Path, help="a folder written by `blocwatch report`")
    parser.add_argument("shots", type=Path, help="folder for the PNG files")
    args = parser.parse_args(argv)
    index = args.report / "index.html"
    actions = sorted((args.report / "actions").glob("*.html"))
    if not index.is_file():
        print(f"no report at {args.report} (index.html missing)", file=sys.stderr)
        return 1
    if not CHROMIUM.exists():
        print(f"{CHROMIUM} is missing: apt-get install chromium", file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright

    args.shots.mkdir(parents=True, exist_ok=True)
    # The action page with most states named shows the most (map, table, timeline).
    biggest = max(actions, key=lambda p: p.stat().st_size) if actions else None
    targets = [("overview", index)] + ([("action", biggest)] if biggest else [])
    status = 0
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        for name, page_path in targets:
            page = browser.new_page(viewport={"width": VIEWPORT_WIDTH, "height": VIEWPORT_HEIGHT})
            out = args.shots / f"{name}.png"
            problems = _shoot(page, page_path.resolve().as_uri(), out)
            print(out)
            for problem in problems:
                print(f"  {name}: {problem}", file=sys.stderr)
                status = 1
            page.close()
        browser.close()
    return status


if __name__ == "__main__":
    sys.exit(main())
