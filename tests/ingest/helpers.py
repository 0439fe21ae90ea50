"""Synthetic inputs for the ingest tests (our own short texts, never copied news)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from blocwatch.ingest import read_inputs
from blocwatch.model import RawDocument, Reject
from blocwatch.settings import Options

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"

PARAGRAPHS = (
    "GENEVA — Twelve states signed a joint letter on Tuesday asking the council to examine a "
    "dispute over the water of a shared river, according to diplomats familiar with the text.",
    "The letter, delivered by the delegation of Examplestan on behalf of the group, said an "
    "upstream dam had cut the river's flow by half during the dry season.",
    '"We ask only for the facts," one envoy told reporters after the session in Geneva.',
    "A spokesperson for the upstream state rejected the letter as an attempt to politicise a "
    "technical question and said talks on a water-sharing accord would resume next month.",
)
ARTICLE_TITLE = "Twelve states sign river letter"

ARTICLE_HTML = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{ARTICLE_TITLE} | Example Daily</title>
<meta property="og:site_name" content="Example Daily">
<meta property="og:title" content="{ARTICLE_TITLE}">
<link rel="canonical" href="https://news.example.org/2021/06/22/river-letter">
<meta property="article:published_time" content="2021-06-22T09:30:00Z">
</head><body>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li>
<li><a href="/sport">Sport</a></li><li><a href="/weather">Weather</a></li></ul></nav></header>
<main><article><h1>{ARTICLE_TITLE}</h1>
{"".join(f"<p>{p}</p>" for p in PARAGRAPHS)}
</article>
<aside><h2>Most read</h2><ul><li><a href="/a">Celebrity chef opens a bakery</a></li>
<li><a href="/b">Ten tips for a tidy garden</a></li></ul></aside></main>
<footer><p>Copyright 2021 Example Daily. All rights reserved.</p>
<a href="/privacy">Privacy policy</a> <a href="/cookies">Cookie settings</a></footer>
</body></html>
"""

ARTICLE_TEXT = ARTICLE_TITLE + "\n\n" + "\n\n".join(PARAGRAPHS) + "\n"


def read_all(
    paths: Sequence[str | Path], options: Options | None = None, stdin: TextIO | None = None
) -> list[RawDocument | Reject]:
    return list(read_inputs([str(p) for p in paths], options or Options(), stdin=stdin))


def docs(items: Sequence[RawDocument | Reject]) -> list[RawDocument]:
    return [item for item in items if isinstance(item, RawDocument)]


def rejects(items: Sequence[RawDocument | Reject]) -> list[Reject]:
    return [item for item in items if isinstance(item, Reject)]


def only(items: Sequence[RawDocument | Reject]) -> RawDocument | Reject:
    assert len(items) == 1, items
    return items[0]


def write_warc(
    path: Path, records: Sequence[tuple[str, str, bytes, str]], gzip: bool, status: str = "200 OK"
) -> None:
    """Write a WARC: a warcinfo record, then (rec_type, url, payload, content_type) records."""
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=gzip)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "tests"}))
        for rec_type, url, payload, content_type in records:
            if rec_type == "request":
                headers = StatusAndHeaders(
                    "GET / HTTP/1.1", [("Host", "example.org")], is_http_request=True
                )
            else:
                headers = StatusAndHeaders(
                    status, [("Content-Type", content_type)], protocol="HTTP/1.1"
                )
            record = writer.create_warc_record(
                url, rec_type, payload=io.BytesIO(payload), http_headers=headers
            )
            writer.write_record(record)
