"""Publication dates from URLs and from date lines near the top of a text.

Only full dates (year, month and day) count as a publication date: "/2020/12/" in a URL or a
"June 2019" line says when, roughly, but a relative date downstream ("on Tuesday") needs the
day. Partial dates still give the year that a dateline without one ("Oct. 30 (Xinhua)") needs.

Parsing is done on candidate substrings found by a regex, never on free text: English month
names with our own table (fast, no surprises), numeric forms by rule, and month names of other
languages ("7. mars 2019", "27 de febrero de 2025", "13 مارس 2021") with dateparser, restricted
to the article's language and required to give day, month and year.
"""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import urlsplit

import dateparser

# A year outside this range is an id or a count, not a news date (the UN was founded in 1945).
MIN_YEAR, MAX_YEAR = 1945, 2100
# Date lines are looked for in the first lines of the text (title, byline, date, dateline).
HEADER_LINES = 8
# A whole line that is a date (plus labels, a time or an agency) is short; body lines are not.
DATE_LINE_MAX_CHARS = 100

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_EN_MONTH = re.compile(
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?",
    re.IGNORECASE,
)
_WORD = r"[^\W\d_]{3,15}\.?"
DATE = re.compile(
    rf"""
    (?P<iso>(?<!\d)\d{{4}}-\d{{1,2}}-\d{{1,2}}(?!\d))
    | (?P<num>(?<!\d)\d{{1,2}}[./]\d{{1,2}}[./]\d{{4}}(?!\d))
    | (?P<dmy>(?<!\d)\d{{1,2}}\.?(?:\s*-\s*|\s+)(?:de\s+)?{_WORD}(?:\s*-\s*|,?\s+)(?:de\s+)?
              \d{{4}}(?!\d))
    | (?P<mdy>(?<!\w){_WORD}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}(?!\d))
    """,
    re.IGNORECASE | re.VERBOSE,
)
# What may surround a date on a date line: labels, weekdays, times, separators.
_LABEL = r"(?:last\s+)?(?:updated|published|posted|modified|date[d]?|publication\s+date|on|at|by)"
_WEEKDAY = r"(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|sday|nesday|rsday|urday)?\.?"
_TIME = r"\d{1,2}:\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?\s*(?:GMT|UTC|[A-Z]{2,4}|[+-]\d{2}:?\d{2})?"
_SEPARATORS = r"[\s,|:;()/\-–—]*"
_FILLER = re.compile(
    rf"{_SEPARATORS}(?:(?:{_LABEL}|{_WEEKDAY}|{_TIME})\b{_SEPARATORS})*", re.IGNORECASE
)
# "date 2023-12-06 <text>", "Published: 30 October 2019 <text>": a labelled date starting a line.
LABELLED_DATE_PREFIX = re.compile(
    rf"{_SEPARATORS}(?:{_LABEL})\s*:?\s*(?P<date>\d{{4}}-\d{{2}}(?:-\d{{2}})?)\s+", re.IGNORECASE
)
# "23 September 2019 – Today, during ...": a date opening a paragraph, set off by a dash.
_DASH_AFTER = re.compile(r"\s*(?:--|[—–-])\s")
_DATEPARSER_SETTINGS = {
    "PREFER_DAY_OF_MONTH": "first",
    "REQUIRE_PARTS": ["day", "month", "year"],
    "DATE_ORDER": "DMY",
}
# py3langid codes that dateparser spells differently.
_DATEPARSER_LANGUAGE = {"fil": "tl"}


def valid_date(year: int, month: int, day: int) -> date | None:
    """The date, or None when it does not exist or lies outside the years news can report."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _english_month(word: str) -> int | None:
    if not _EN_MONTH.fullmatch(word):
        return None
    return _MONTHS[word[:3].casefold()]


def _dateparser(text: str, language: str | None) -> date | None:
    """Month names of other languages. The article's language first; then any language,
    since a mixed page (an Icelandic header on an English statement) is detected as one."""
    parsed = None
    if language:
        code = _DATEPARSER_LANGUAGE.get(language, language)
        try:
            parsed = dateparser.parse(text, languages=[code], settings=_DATEPARSER_SETTINGS)
        except ValueError:  # a language dateparser does not know
            parsed = None
    if parsed is None:
        parsed = dateparser.parse(text, settings=_DATEPARSER_SETTINGS)
    return valid_date(parsed.year, parsed.month, parsed.day) if parsed else None


def parse_date(match: re.Match[str], language: str | None = None) -> date | None:
    """The date a `DATE` match stands for, or None when it is not a real date."""
    text = match.group(0)
    numbers = [int(n) for n in re.findall(r"\d+", text)]
    if match.group("iso"):
        return valid_date(*numbers)
    if match.group("num"):
        first, second, year = numbers
        if "." in text or first > 12:  # dotted dates are day-first; 13/07 can only be
            return valid_date(year, second, first)
        if second > 12:
            return valid_date(year, first, second)
        return None  # 03/07/2019: day-first or month-first, no way to tell
    words = re.findall(r"[^\W\d_]+\.?", text)
    month_words = [w for w in words if w.casefold() != "de"]
    month = _english_month(month_words[0]) if month_words else None
    if month is not None:
        day, year = (numbers[0], numbers[-1])
        return valid_date(year, month, day)
    return _dateparser(text, language)


def find_date(text: str, language: str | None = None) -> tuple[date, re.Match[str]] | None:
    """The first real date in `text`, with its match."""
    for match in DATE.finditer(text):
        found = parse_date(match, language)
        if found:
            return found, match
    return None


def date_from_url(url: str | None) -> tuple[date | None, int | None]:
    """(full date, year) read from a URL's path and query; either may be None."""
    if not url or not url.lower().startswith(("http://", "https://")):
        return None, None
    parts = urlsplit(url)
    path = f"{parts.path}?{parts.query}"
    for pattern in (
        r"(?<!\d)(\d{4})[/_-](\d{1,2})[/_-](\d{1,2})(?!\d)",  # /2019/10/30/, 2019-10-30
        r"/(\d{4})/(\d{2})(\d{2})/",  # /n3/2021/0315/
        r"(?<!\d)(\d{4})(\d{2})(\d{2})(?!\d)",  # /20191030/, _20191030.html
    ):
        for match in re.finditer(pattern, path):
            found = valid_date(*(int(g) for g in match.groups()))
            if found:
                return found, found.year
    year = re.search(r"/(\d{4})/(?:\d{1,2}/)?", path)
    if year and MIN_YEAR <= int(year.group(1)) <= MAX_YEAR:
        return None, int(year.group(1))
    return None, None


def header_lines(text: str) -> list[str]:
    """The first non-empty lines of a text, where titles, bylines, dates and datelines sit."""
    lines = []
    for line in text.split("\n"):
        if line.strip():
            lines.append(line.strip())
            if len(lines) == HEADER_LINES:
                break
    return lines


def date_line(line: str, language: str | None = None) -> tuple[date, str] | None:
    """A date that a header line carries as a date line, with the text before it.

    Accepted: a line that is only a date with labels/weekday/time ("July 13, 2019",
    "Updated 10:25, 01-Jul-2020"), a name then a date ("Xinhua, October 30, 2019": the name is
    returned for the caller to judge), a labelled date opening a line ("date 2023-12-06 ..."),
    and a date opening a paragraph before a dash ("23 September 2019 – Today, ...").
    """
    labelled = LABELLED_DATE_PREFIX.match(line)
    if labelled:
        found = find_date(labelled.group("date"), language)
        return (found[0], "") if found else None
    if len(line) > DATE_LINE_MAX_CHARS:  # a body paragraph: only a date opening it counts
        opening = DATE.match(line)
        when = parse_date(opening, language) if opening else None
        if opening and when and _DASH_AFTER.match(line, opening.end()):
            return when, ""
        return None
    found = find_date(line, language)
    if not found:
        return None
    when, match = found
    before, after = line[: match.start()], line[match.end() :]
    if match.start() == 0 and _DASH_AFTER.match(after):
        return when, ""
    if not _FILLER.fullmatch(after):
        return None
    if _FILLER.fullmatch(before):
        return when, ""
    return when, before.strip(" ,|:-–—")
