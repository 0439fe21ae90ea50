"""The clean stage: one `RawDocument` in, one `Article` out.

`prepare` runs these stages in this order:

1. Normalise (normalize.py): NFKC per grapheme, straight quotes, format/control characters
   dropped, whitespace collapsed, at most one blank line in a row. Keeps an `OffsetMap` from the
   clean text back to `raw.text`, the text every stored span points into.
2. Strip web clutter (boilerplate.py, patterns in boilerplate_patterns.txt): comment forms,
   share bars, promos, related-article blocks, a trailing outlet credit line. Its map is
   composed with the first, so clean positions still map to the original.
3. Metadata (metadata.py, dates.py) on the clean text, the URL and the input's own fields:
   publication date, dateline place and agency, outlet, language, each with its source.
4. Title: the input's own title, if any (never guessed from the text).
5. Id: `text_fingerprint(clean_text)`, so the same text read from two files gets one id.

Every step is pure and works on one document; dedup across documents lives in dedup.py.
"""

from __future__ import annotations

import logging

from blocwatch.clean.boilerplate import Stripped, strip_boilerplate
from blocwatch.clean.metadata import extract
from blocwatch.clean.normalize import compose, normalise, text_fingerprint
from blocwatch.errors import RejectReason
from blocwatch.model import Article, RawDocument, Reject
from blocwatch.settings import Options

__all__ = [
    "Stripped",
    "compose",
    "normalise",
    "prepare",
    "prepare_or_reject",
    "strip_boilerplate",
    "text_fingerprint",
]

log = logging.getLogger(__name__)


def prepare(raw: RawDocument, options: Options) -> Article:
    """Clean one document and read its metadata (stages in the module docstring)."""
    del options  # no tunable of this stage is user-facing yet; kept for a stable signature
    normalised, to_raw = normalise(raw.text)
    stripped = strip_boilerplate(normalised)
    offsets = compose(stripped.offsets, to_raw)
    meta = extract(raw, stripped.text, stripped.credit)
    return Article(
        id=text_fingerprint(stripped.text),
        source=raw.source,
        input_format=raw.input_format,
        text=raw.text,
        clean_text=stripped.text,
        offsets=offsets,
        external_id=raw.external_id,
        url=raw.url,
        title=raw.title,
        outlet=meta.outlet,
        outlet_source=meta.outlet_source,
        published=meta.published,
        published_source=meta.published_source,
        dateline_place=meta.dateline_place,
        agency=meta.agency,
        language=meta.language,
        language_source=meta.language_source,
        encoding=raw.encoding,
        fetched=raw.fetched,
    )


def prepare_or_reject(raw: RawDocument, options: Options) -> Article | Reject:
    """`prepare`, or the reject every runner stores instead: a bug hit by one document rejects
    that document (`internal_error`, logged) and the run goes on; a text that was nothing but web
    clutter is `no_text_left`."""
    try:
        article = prepare(raw, options)
    except Exception as exc:  # one bad document is logged and rejected; the run goes on
        log.exception("cleaning failed for %s", raw.source)
        return Reject(raw.source, RejectReason.INTERNAL_ERROR, repr(exc))
    if not article.clean_text.strip():
        return Reject(raw.source, RejectReason.NO_TEXT_LEFT, "only web clutter found")
    return article
