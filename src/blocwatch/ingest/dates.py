"""Publication dates from input metadata, kept only when they are unambiguous.

Readers take dates only from explicit metadata (JSON keys, feed fields, HTML markup). Anything
that is not ISO (or RFC 822 in RSS) is dropped, not guessed: the metadata stage looks elsewhere.
"""

from __future__ import annotations

import re
from datetime import date
from email.utils import parsedate_to_datetime

# YYYY-MM, YYYY-MM-DD, or an ISO datetime whose date part we keep (the time zone is not applied:
# the publisher's own calendar date is the one printed on the page).
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})(?:-(\d{2})(?:[T ]\d{2}:\d{2}\S*)?)?")


def iso_date(value: object) -> str | None:
    """'YYYY-MM-DD' or 'YYYY-MM' from an ISO date/datetime string, else None."""
    if not isinstance(value, str):
        return None
    match = _ISO_DATE.fullmatch(value.strip())
    if match is None:
        return None
    year, month, day = match.groups()
    try:
        date(int(year), int(month), int(day or 1))
    except ValueError:
        return None
    return f"{year}-{month}-{day}" if day else f"{year}-{month}"


def rfc822_date(value: str | None) -> str | None:
    """'YYYY-MM-DD' from an RSS pubDate (RFC 822), falling back to ISO; else None."""
    if not value:
        return None
    try:
        return parsedate_to_datetime(value.strip()).date().isoformat()
    except (TypeError, ValueError, IndexError, OverflowError):
        return iso_date(value)
