"""The HTML report: one folder of static pages that opens from disk, offline.

Layout of the folder: index.html, outlets.html, people.html, sources.html, actions/<slug>.html per
canonical action, docs/<slug>.html per document holding a fact (the rest of a crawl is only
counted), and assets/ (plotly.min.js, the world polygons,
the stylesheet and the small script that draws the charts), written once and shared by every page.
File names are sanitised slugs plus a hash, never article ids or titles.

Safety: Jinja2 autoescapes every page and no template marks article text `|safe`; the only
`|safe` values are figure JSON escaped by `charts.figure_json`. Each page also carries a Content
Security Policy that allows scripts from files only (no inline script, no network).

Determinism: the same database renders to the same bytes (ordered queries, no timestamps, fixed
div ids, fixed JSON key order).
"""

from __future__ import annotations

import logging
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
import plotly.offline
import sqlite_utils

from blocwatch import __version__
from blocwatch.errors import BlocwatchError
from blocwatch.report import pages, queries, voices
from blocwatch.report.camps import POSITION_LABELS, state_name
from blocwatch.report.highlight import KINDS, segments
from blocwatch.report.safe import anchor, web_url
from blocwatch.report.worldmap import GEO_SHIM_JS, world_js
from blocwatch.store import open_store

log = logging.getLogger(__name__)

# Written into the report folder: a directory with this file is ours to rewrite. A non-empty
# directory without it is refused, so that `--out ~` never deletes anyone's files.
MARKER = ".blocwatch-report"
TOP_PAGES = ("index.html", "outlets.html", "people.html", "sources.html")
PAGE_FOLDERS = ("actions", "docs")
STATIC_ASSETS = ("report.css", "report.js")
NAV = (
    ("index.html", "Overview"),
    ("outlets.html", "Outlets"),
    ("people.html", "People"),
    ("sources.html", "Sources"),
)


class ReportError(BlocwatchError):
    """The report folder cannot be written."""


def render_report(db: sqlite_utils.Database | Path | str, out_dir: Path) -> Path:
    """Write the report of a store into `out_dir`; returns the path of its index.html.

    `db` is an open database (left open) or the path of one (opened without creating it)."""
    out = Path(out_dir)
    _prepare(out)
    if isinstance(db, sqlite_utils.Database):
        return _render(db, out)
    database = open_store(db, create=False)
    try:
        return _render(database, out)
    finally:
        database.close()


def _prepare(out: Path) -> None:
    """Create the folder, or clear the pages a previous render wrote there."""
    if out.exists() and not out.is_dir():
        raise ReportError(f"{out} is a file; --out needs a directory for the report")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():
        raise ReportError(
            f"{out} is not empty and is not a blocwatch report folder; choose a new or empty "
            "--out directory (blocwatch will not delete files it did not write)"
        )
    try:
        out.mkdir(parents=True, exist_ok=True)
        for folder in PAGE_FOLDERS:
            for old in sorted((out / folder).glob("*.html")):
                old.unlink()
        (out / MARKER).write_text("written by blocwatch report; safe to delete\n", "utf-8")
    except OSError as error:
        raise ReportError(f"cannot write the report to {out}: {error}") from error


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("blocwatch.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["state"] = state_name
    env.filters["position"] = lambda p: POSITION_LABELS.get(p, p)
    env.globals.update(anchor=anchor, web_url=web_url, version=__version__, nav=NAV)
    return env


def _write(path: Path, text: str | bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8", errors="replace", newline="\n")
    except OSError as error:
        raise ReportError(f"cannot write {path}: {error}") from error


def _write_assets(out: Path) -> None:
    assets = out / "assets"
    _write(assets / "plotly.min.js", plotly.offline.get_plotlyjs())
    _write(assets / "geo-shim.js", GEO_SHIM_JS)
    _write(assets / "world.js", world_js())
    static = resources.files("blocwatch.report").joinpath("static")
    for name in STATIC_ASSETS:
        _write(assets / name, static.joinpath(name).read_bytes())


class _Pages:
    """Renders templates into the report folder with what every page needs."""

    def __init__(self, out: Path, data: pages.Data) -> None:
        self.out = out
        self.data = data
        self.env = _environment()

    def write(self, template: str, path: str, **context: Any) -> None:
        root = "../" * path.count("/")
        page = self.env.get_template(template).render(
            root=root,
            path=path,
            doc_path=self.data.doc_path,
            action_path=self.data.action_path,
            labels={a["key"]: a["label"] for a in self.data.actions},
            **context,
        )
        _write(self.out / path, page)


def _render(db: sqlite_utils.Database, out: Path) -> Path:
    data = pages.load(db)
    _write_assets(out)
    site = _Pages(out, data)
    site.write("index.html.j2", "index.html", active="index.html", **pages.index_context(data))
    for action in data.actions:
        path = data.action_path[action["key"]]
        site.write("action.html.j2", path, active="", **pages.action_context(data, action))
    site.write(
        "outlets.html.j2", "outlets.html", active="outlets.html", **voices.outlets_context(data, db)
    )
    site.write("people.html.j2", "people.html", active="people.html", **voices.people_context(db))
    site.write(
        "sources.html.j2", "sources.html", active="sources.html", **pages.sources_context(data)
    )
    for document in data.documents:
        doc_id = document["id"]
        text = queries.document_text(db, doc_id)
        site.write(
            "doc.html.j2",
            data.doc_path[doc_id],
            active="",
            document=document,
            segments=segments(text, queries.document_spans(db, doc_id)),
            kinds=KINDS,
            reports=queries.document_reports(db, doc_id),
        )
    log.info("report: %d actions, %d documents in %s", len(data.actions), len(data.documents), out)
    return out / "index.html"
