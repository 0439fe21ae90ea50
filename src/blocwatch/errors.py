"""Errors and reject reasons.

A reject is not an exception: a reader that cannot use an input yields a `Reject` with one of these
reasons and the run goes on. Exceptions are for the user's own mistakes (a bad option, a DB that
cannot be opened), and their messages say what to do next.
"""

from __future__ import annotations

from enum import StrEnum


class RejectReason(StrEnum):
    """Why an input item did not become a document. Stored as text in `rejects.reason`."""

    EMPTY = "empty"  # no bytes, or only whitespace after decoding
    BINARY = "binary"  # bytes that are not text in any encoding we can detect
    UNDECODABLE = "undecodable"  # looks like text, but no encoding decodes it
    TOO_LARGE = "too_large"  # over Options.max_file_bytes / max_record_bytes
    UNREADABLE = "unreadable"  # missing, permission denied, not a regular file, I/O error
    MALFORMED_JSON = "malformed_json"  # a JSON file or JSONL line that does not parse
    MALFORMED_XML = "malformed_xml"  # an RSS/Atom file that does not parse, or declares a DTD
    MISSING_TEXT = "missing_text"  # a JSON object without a usable `text` or `html`
    NO_MAIN_TEXT = "no_main_text"  # HTML in which no article text was found
    TRUNCATED = "truncated"  # a compressed stream or WARC that ends early
    NOT_HTML = "not_html"  # a WARC response whose payload is not an HTML page
    TOO_DEEP = "too_deep"  # nesting beyond what we parse without risking the stack
    UNSUPPORTED = "unsupported"  # a file type blocwatch has no reader for
    NO_TEXT_LEFT = "no_text_left"  # nothing but web clutter remained after cleaning
    INTERNAL_ERROR = "internal_error"  # a blocwatch bug hit by this item; the run went on


class BlocwatchError(Exception):
    """Base class for errors reported to the user (the CLI prints the message, exits 1)."""


class NothingReadError(BlocwatchError):
    """No input path produced anything at all (every path missing or every item rejected)."""


class StoreError(BlocwatchError):
    """The database cannot be opened or is not a blocwatch database."""
