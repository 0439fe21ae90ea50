"""Hostile-input helpers: article text reaches the report as data, never as markup or paths.

Jinja2 autoescapes every page; these cover what autoescaping does not: text inside plotly
figures (plotly.js reads a few tags such as <b> and <a href> in labels), JSON inside <script>
elements, file names and link targets.
"""

from __future__ import annotations

import hashlib
import html
import re
from urllib.parse import urlsplit

# Characters kept from a key in a file name; the rest becomes "-". The hash keeps two keys
# that differ only in dropped characters apart.
_UNSAFE = re.compile(r"[^a-z0-9]+")
SLUG_MAX_CHARS = 60
SLUG_HASH_CHARS = 8
# Characters of a sentence shown in a chart's hover label (the page shows it in full).
HOVER_MAX_CHARS = 160
# Hover labels wrap at about this many characters so that they stay inside the chart.
HOVER_LINE_CHARS = 60


def slugify(key: str) -> str:
    """A file-name-safe, unique slug for a key: sanitised prefix + short hash of the raw key."""
    digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:SLUG_HASH_CHARS]
    prefix = _UNSAFE.sub("-", key.lower()).strip("-")[:SLUG_MAX_CHARS].strip("-")
    return f"{prefix}-{digest}" if prefix else digest


def anchor(key: str) -> str:
    """An HTML id for a key (report ids contain ':')."""
    return "r-" + slugify(key)


def plot_text(text: object) -> str:
    """Text for a plotly label: escaped, so that plotly.js shows tags literally."""
    return html.escape("" if text is None else str(text), quote=False)


def hover_sentence(text: str | None) -> str:
    """A sentence for a hover label: shortened, escaped, wrapped with <br> (our only markup)."""
    words = " ".join((text or "").split())
    if len(words) > HOVER_MAX_CHARS:
        words = words[: HOVER_MAX_CHARS - 1].rsplit(" ", 1)[0] + "…"
    lines: list[str] = []
    current = ""
    for word in words.split(" "):
        if current and len(current) + 1 + len(word) > HOVER_LINE_CHARS:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    if current:
        lines.append(current)
    return "<br>".join(plot_text(line) for line in lines)


def script_json(text: str) -> str:
    """JSON safe inside a <script> element: no "<", ">", "&" or line separators left raw.

    plotly's to_json already escapes "<" ">" "/"; this holds for any JSON we embed."""
    for raw, escaped in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(raw, escaped)
    return text


def web_url(url: str | None) -> str | None:
    """The URL when it is http(s) with a host (safe to link), else None (shown as text)."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:  # "http://[" and other unparseable values: not a link
        return None
    if parts.scheme.lower() in ("http", "https") and parts.netloc:
        return url.strip()
    return None
