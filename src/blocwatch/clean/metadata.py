"""Publication date, dateline, outlet and language of an article, each with how it was found.

Precedence, strongest evidence first:
- published: metadata (the input's own field) > URL (/2019/10/30/, /n3/2021/0315/, /20191030/)
  > dateline ("UNITED NATIONS, Oct. 30 (Xinhua) --", its year from metadata, the URL or a date
  line) > a date line near the top ("July 13, 2019", "Xinhua, October 30, 2019"). Full dates
  only from URL and text (see dates.py); metadata is passed on as given.
- outlet: metadata > URL host (readable name from outlet_hosts.txt, else the host) > a credit
  (a trailing publication-name line, or an agency heading a date line) > the dateline agency.
- language: metadata > py3langid on the clean text (ISO 639-1, except Filipino: "fil").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources
from urllib.parse import urlsplit

from blocwatch.clean.dates import (
    DATE,
    LABELLED_DATE_PREFIX,
    date_from_url,
    date_line,
    find_date,
    header_lines,
)
from blocwatch.model import RawDocument

# Datelines open the body, after a title, a byline, a date line and maybe a photo caption.
DATELINE_LINES = 6
# A dateline sits in the first characters of its line; looking no further also keeps the
# place patterns cheap on a hostile megabyte-long line.
DATELINE_MAX_CHARS = 200
# Language identification on a prefix: a few thousand characters decide as well as the whole,
# and very long documents stay cheap.
LANGID_MAX_CHARS = 5000
# Below this many letters py3langid guesses; say nothing rather than guess.
LANGID_MIN_LETTERS = 20
# py3langid speaks ISO 639-1 ("tl"); the gold data and our users call Filipino "fil".
_LANGUAGE_CODES = {"tl": "fil"}

_PLACE_WORD = r"[A-Z][\w.'-]*"
# "UNITED NATIONS, Oct. 30 (Xinhua) --", "BISHKEK (TCA) —", "Geneva, 13 March 2021 (Xinhua) -"
_DATELINE_AGENCY = re.compile(
    rf"(?P<place>{_PLACE_WORD}(?:[ -]{_PLACE_WORD}){{0,3}})"
    r"(?:,\s*(?P<date>[^()\n]{3,30}?))?\s*\((?P<agency>[^()\n]{2,40})\)\s*(?:--|[—–-]|:)"
)
# "ISLAMABAD: ...", "GENEVA, July 12 - ...": an upper-case place with no agency.
_DATELINE_CAPS = re.compile(
    r"(?P<place>[A-Z][A-Z.'-]+(?: [A-Z][A-Z.'-]+){0,3})"
    r"(?:,\s*(?P<date>[^:()\n—–]{3,30}?))?\s*(?:--|[—–:]|-(?= ))\s"
)
# "جنيف 13 مارس 2021 (شينخوا)": Arabic place, day, month, year, agency.
_DATELINE_ARABIC = re.compile(
    r"(?P<place>[\u0600-\u06FF]+(?: [\u0600-\u06FF]+){0,2})\s+"
    r"(?P<date>\d{1,2}\s+[\u0600-\u06FF]+(?:\s+\d{4})?)\s*\((?P<agency>[^()\n]{2,30})\)"
)
# Upper-case words that open a line with a colon but are labels, not places.
_NOT_PLACES = frozenset((
    "UPDATE", "UPDATED", "BREAKING", "EXCLUSIVE", "WATCH", "OPINION", "ANALYSIS", "EDITORIAL",
    "PHOTO", "PHOTOS", "VIDEO", "NOTE", "FILE", "READ", "FACTBOX", "EXPLAINER", "LIVE",
    "COMMENTARY", "INTERVIEW", "CORRECTION", "SOURCE", "SOURCES", "STATEMENT", "REPORT",
    "TRANSCRIPT", "UN", "US", "UK", "EU",
))  # fmt: skip
# "By Jane Roe" before a date on a date line.
_BYLINE = re.compile(r"By\s+\S+(?:\s+\S+){0,4}", re.IGNORECASE)
_AGENCY_NAME = re.compile(r"[^\W\d_][\w .&'/-]{0,38}")


@dataclass(frozen=True)
class Dateline:
    """The place/agency/date opener of a wire story, as written."""

    place: str
    agency: str | None
    date_text: str | None  # as written, e.g. "Oct. 30"; its year may be missing


@dataclass(frozen=True)
class Metadata:
    """What `extract` found; the *_source fields say how (see Article)."""

    published: str | None
    published_source: str
    dateline_place: str | None
    agency: str | None
    outlet: str | None
    outlet_source: str
    language: str | None
    language_source: str


def _data_lines(name: str) -> list[str]:
    source = resources.files("blocwatch.clean").joinpath(name).read_text("utf-8")
    return [line for line in source.splitlines() if line.strip() and not line.startswith("#")]


@lru_cache(maxsize=1)
def agencies() -> dict[str, str]:
    """Casefolded spelling → canonical agency name."""
    table: dict[str, str] = {}
    for line in _data_lines("agencies.txt"):
        names = [name.strip() for name in line.split("|")]
        for name in names:
            table[name.casefold()] = names[0]
    return table


@lru_cache(maxsize=1)
def outlet_hosts() -> dict[str, str]:
    table: dict[str, str] = {}
    for line in _data_lines("outlet_hosts.txt"):
        host, _, name = line.partition("\t")
        table[host.strip().casefold()] = name.strip()
    return table


def outlet_from_url(url: str | None) -> str | None:
    """A readable outlet name for a URL's host; the host itself when we know no better."""
    if not url or not url.lower().startswith(("http://", "https://")):
        return None
    host = (urlsplit(url).hostname or "").casefold().rstrip(".")
    if not host:
        return None
    labels = host.split(".")
    known = outlet_hosts()
    for index in range(len(labels) - 1):
        name = known.get(".".join(labels[index:]))
        if name:
            return name
    while len(labels) > 2 and labels[0] in ("www", "m", "amp", "mobile"):
        labels = labels[1:]
    return ".".join(labels)


def normalise_agency(name: str) -> str | None:
    """The canonical spelling of an agency name; an unknown name as written if it looks like one."""
    name = name.strip()
    known = agencies().get(name.casefold())
    if known:
        return known
    return name if _AGENCY_NAME.fullmatch(name) and len(name.split()) <= 4 else None


def _match_dateline(line: str) -> Dateline | None:
    line = line[:DATELINE_MAX_CHARS]
    labelled = LABELLED_DATE_PREFIX.match(line)
    if labelled:
        line = line[labelled.end() :]
    for pattern in (_DATELINE_AGENCY, _DATELINE_ARABIC):
        match = pattern.match(line)
        if match and _dated(match.group("date")):
            agency = normalise_agency(match.group("agency"))
            if agency:
                return Dateline(match.group("place"), agency, match.group("date"))
    match = _DATELINE_CAPS.match(line)
    if (
        match
        and _dated(match.group("date"))
        and match.group("place") not in _NOT_PLACES
        and len(match.group("place")) > 2
    ):
        return Dateline(match.group("place"), None, match.group("date"))
    return None


def _dated(date_text: str | None) -> bool:
    """A dateline's date part, when present, has a day number: "Jane Roe, a diplomat (AFP) -"
    is a sentence, not a place and a date."""
    return date_text is None or any(char.isdigit() for char in date_text)


def find_dateline(text: str) -> Dateline | None:
    """The dateline opening the body, if one of the first lines carries one."""
    for line in header_lines(text)[:DATELINE_LINES]:
        found = _match_dateline(line)
        if found:
            return found
    return None


def _dateline_date(dateline: Dateline, year: int | None, language: str | None) -> date | None:
    """The dateline's date; a dateline without a year takes `year`, or gives nothing."""
    if not dateline.date_text:
        return None
    text = dateline.date_text.strip(" ,")
    if not re.search(r"\d{4}", text):
        if year is None:
            return None
        text = f"{text} {year}"
    found = find_date(text, language)
    return found[0] if found else None


def _header_dates(text: str, language: str | None) -> list[tuple[date, str]]:
    found = (date_line(line, language) for line in header_lines(text))
    return [item for item in found if item]


def _accepted_date_line(dates: list[tuple[date, str]]) -> tuple[date, str | None] | None:
    """The first date line that dates the page, with the agency credit heading it if any.

    A name before the date counts only as an agency ("Xinhua, October 30, 2019") or a byline
    ("By Jane Roe, 30 October 2019"): "Managua, 27 de febrero de 2025" heads a letter, and its
    date is the letter's, not the page's (its year still dates a year-less dateline).
    """
    for when, before in dates:
        if not before or _BYLINE.fullmatch(before):
            return when, None
        if before.casefold() in agencies():
            return when, normalise_agency(before)
    return None


def detect_language(text: str) -> str | None:
    """py3langid's guess on the start of the text; None for too little text to judge."""
    sample = text[:LANGID_MAX_CHARS]
    if sum(char.isalpha() for char in sample) < LANGID_MIN_LETTERS:
        return None
    import py3langid  # loads its model on first use (~0.5 s): only when needed

    code, _score = py3langid.classify(sample)
    return _LANGUAGE_CODES.get(str(code), str(code))


def _metadata_date(value: str | None) -> str | None:
    """The input's own date as YYYY-MM-DD or YYYY-MM, when it is one we can read."""
    if not value:
        return None
    value = value.strip()
    if re.fullmatch(r"\d{4}-\d{2}(?:-\d{2})?", value):
        return value
    match = DATE.search(value)
    if match:
        found = find_date(match.group(0))
        if found:
            return found[0].isoformat()
    return None


def _year(value: str | None) -> int | None:
    return int(value[:4]) if value and value[:4].isdigit() else None


def extract(raw: RawDocument, clean_text: str, credit: str | None) -> Metadata:
    """All metadata of one article; `credit` is the outlet credit line boilerplate removed."""
    language: str | None = raw.language
    language_source = "metadata"
    if not language:
        language = detect_language(clean_text)
        language_source = "detected" if language else "none"

    url_date, url_year = date_from_url(raw.url)
    dateline = find_dateline(clean_text)
    header_dates = _header_dates(clean_text, language)
    text_date = _accepted_date_line(header_dates)
    header_credit = text_date[1] if text_date else None

    published = _metadata_date(raw.published)
    published_source = "metadata" if published else "none"
    if published is None and url_date:
        published, published_source = url_date.isoformat(), "url"
    if published is None and dateline:
        header_year = header_dates[0][0].year if header_dates else None
        year = _year(raw.published) or url_year or header_year
        when = _dateline_date(dateline, year, language)
        if when:
            published, published_source = when.isoformat(), "dateline"
    if published is None and text_date:
        published, published_source = text_date[0].isoformat(), "text"

    outlet: str | None = raw.outlet
    outlet_source = "metadata" if outlet else "none"
    if outlet is None:
        for candidate, source in (
            (outlet_from_url(raw.url), "url"),
            (credit or header_credit, "credit"),
            (dateline.agency if dateline else None, "dateline"),
        ):
            if candidate:
                outlet, outlet_source = candidate, source
                break

    return Metadata(
        published=published,
        published_source=published_source,
        dateline_place=dateline.place if dateline else None,
        agency=(dateline.agency if dateline else None) or header_credit,
        outlet=outlet,
        outlet_source=outlet_source,
        language=language,
        language_source=language_source,
    )
