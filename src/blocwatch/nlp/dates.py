"""Date expressions in running text, resolved against an anchor date (publication or dateline).

Why our own tables and not dateparser on free text: dateparser reads a bare ordinal as a month
and guesses relative dates against today; here every candidate is found by a regex over month,
weekday and relative-word tables (`patterns/*.tsv`, seven languages) and resolved by explicit
rules, so each value says how it was obtained (`method`) and how fine it is (`granularity`).

Candidates, longest first when they overlap ("Friday, July 12, 2019" beats "Friday"):
1. absolute: ISO "2019-07-12", "12 July 2019", "July 12, 2019", "01-Jul-2020", "7. mars 2019",
   "12 de julio de 2019", "13 مارس 2021", "July 2019" (month), "in 2016" (year; the caller decides
   whether a year alone is a date: the schema says it is not for an action).
2. year from the anchor: "July 12", "Oct. 30", "5 مارس", "in July": the anchor's year, or the year
   before when that would put the date more than FUTURE_GRACE_DAYS after the anchor.
3. relative to the anchor: "today", "yesterday", weekdays (the most recent such day on or before
   the anchor; "last Friday" strictly before, "next Friday" after), "on the 12th" (the anchor's
   month, or the month before when that day is after the anchor), "this week" / "last week"
   (the month, when the whole week lies in one month; else no value), "last month".
4. "as of July 26": the date the count stood at; method "as_of".
Without an anchor, kinds 2 and 3 come back with value None and method "unresolved".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

from blocwatch.clean.dates import valid_date

PATTERNS = Path(__file__).parent / "patterns"
LANGUAGES = ("en", "es", "pt", "fr", "fil", "ar", "is")
LANGUAGE_ALIASES = {"tl": "fil"}
# A date without a year may lie a little ahead of the anchor (a session announced for next month);
# further ahead it is last year's ("12 December" read in a January article).
FUTURE_GRACE_DAYS = 92
# Characters before a date read for an "as of".
AS_OF_WINDOW = 20


@dataclass(frozen=True)
class DateMention:
    """A date expression as written and what it resolves to (None when it cannot be resolved)."""

    start: int
    end: int
    text: str
    value: str | None  # YYYY-MM-DD, YYYY-MM or YYYY
    granularity: str  # day | month | year | none
    method: str  # absolute | absolute_year_from_anchor | weekday_before_anchor | ... | unresolved


def _rows(name: str) -> list[list[str]]:
    lines = (PATTERNS / name).read_text("utf-8").splitlines()
    return [line.split("\t") for line in lines if line.strip() and not line.startswith("#")]


def _key(phrase: str) -> str:
    # re's IGNORECASE lets "İ" and "ı" match "i", but casefold() keeps them apart.
    return " ".join(phrase.split()).casefold().replace("i\u0307", "i").replace("ı", "i")


def _alt(phrases: Iterable[str], case_sensitive: Iterable[str] = ()) -> str:
    def one(p: str) -> str:
        return r"\s+".join(re.escape(part) for part in p.split())

    parts = [one(p) for p in sorted(set(phrases), key=lambda p: (-len(p), p))]
    parts += [f"(?-i:{one(p)})" for p in sorted(set(case_sensitive), key=lambda p: (-len(p), p))]
    return "|".join(parts) or r"(?!x)x"


@dataclass(frozen=True)
class _Lexicon:
    months: dict[str, int]
    weekdays: dict[str, int]
    roles: dict[str, str]  # relative phrase key -> role (whole expressions only)
    patterns: tuple[tuple[str, re.Pattern[str]], ...]  # (kind, pattern), kind names a resolver
    as_of: re.Pattern[str]


def _languages(language: str | None) -> tuple[str, ...]:
    if language is None:
        return LANGUAGES
    code = re.split(r"[-_]", language.strip().lower())[0]
    code = LANGUAGE_ALIASES.get(code, code)
    return ("en", code) if code in LANGUAGES and code != "en" else ("en",)


@lru_cache(maxsize=16)
def _lexicon(languages: tuple[str, ...]) -> _Lexicon:
    months: dict[str, int] = {}
    full: list[str] = []
    abbr: list[str] = []
    cs: list[str] = []
    for lang, name, month, kind in _rows("month_names.tsv"):
        if lang in languages:
            months.setdefault(_key(name), int(month))
            {"full": full, "abbr": abbr, "cs": cs}[kind].append(
                name if kind == "cs" else _key(name)
            )
    weekdays: dict[str, int] = {}
    wd_plain: list[str] = []
    wd_cs: list[str] = []
    for lang, name, weekday, kind in _rows("weekday_names.tsv"):
        if lang in languages:
            weekdays.setdefault(_key(name), int(weekday))
            (wd_cs if kind == "cs" else wd_plain).append(name if kind == "cs" else _key(name))
    by_role: dict[str, list[str]] = {}
    roles: dict[str, str] = {}
    for lang, phrase, role in _rows("relative_dates.tsv"):
        if lang in languages:
            by_role.setdefault(role, []).append(_key(phrase))
            roles.setdefault(_key(phrase), role)

    def r(*names: str) -> str:
        return _alt(p for name in names for p in by_role.get(name, ()))

    one_month = rf"(?:{_alt(full, cs)}|(?:{_alt(abbr)})\.?)"
    month = rf"(?P<month>{one_month})(?:\s*/\s*{one_month}|\s*\({one_month}\))?"
    month_full = rf"(?P<month>{_alt(full, cs)})"
    weekday = rf"(?:{_alt(wd_plain, wd_cs)})"
    day = r"(?:ika-)?(?P<day>[0-3]?\d)(?:st|nd|rd|th|er|º|°|\.)?"  # "7. mars", "1er juillet"
    day_after = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?(?!\d)"  # "July 12th", never "Oct. 30."
    year = r"(?P<year>(?:19|20)\d\d)(?!\d)"
    prefix = rf"(?:{weekday}\s*,?\s+)?"
    relative = (
        "today",
        "yesterday",
        "day_before_yesterday",
        "this_week",
        "last_week",
        "this_month",
        "last_month",
    )
    specs = {
        "iso": r"(?<![\d\-/])(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})(?![\d\-])",
        "numeric": r"(?<![\d/.])(?P<a>\d{1,2})(?P<sep>[./])(?P<b>\d{1,2})(?P=sep)(?P<year>\d{4})"
        r"(?![\d/]|\.\d)",
        "dmy": rf"(?<![\w./]){prefix}{day}\s*(?:[-/]\s*|\s+)?(?:de\s+|of\s+|ng\s+)?{month}"
        rf"(?:(?:\s*[-/,]\s*|\s+)(?:de\s+|del\s+)?{year})?(?!\w)",
        "mdy": rf"(?<!\w){prefix}{month}\s+{day_after}(?:\s*,?\s*{year})?(?!\w|-)",
        "month_year": rf"(?<!\w){month}\s*,?\s+(?:de\s+|del\s+|of\s+)?{year}",
        "month_prep": rf"(?<!\w)(?:{r('month_prep')})\s+(?:the\s+month\s+of\s+|el\s+mes\s+de\s+)?"
        rf"(?P<span>{month_full})(?!\w)",
        "year_prep": rf"(?<![\w])(?:{r('year_prep')})\s+(?P<span>{year})",
        "weekday": rf"(?<!\w)(?:(?P<pre>{r('weekday_last', 'weekday_next', 'weekday_this')})\s+)?"
        rf"(?:يوم\s+)?(?P<weekday>{weekday})(?:\s+(?P<post>"
        rf"{r('weekday_last_after', 'weekday_next_after')}))?(?!\w)",
        "relative": rf"(?<!\w)(?P<rel>{r(*relative)})(?!\w)",
        "ordinal_day": r"(?<!\w)on\s+(?P<span>the\s+(?P<day>[0-3]?\d)(?:st|nd|rd|th))(?!\w)"
        # "on the 12th" is a day unless a noun follows that the ordinal ranks ("the 12th floor").
        r"(?!\s+(?:floor|anniversary|session|century|round|time|place|day|amendment|edition|"
        r"meeting|summit|congress|plenum|grade|birthday|hole|minute|lap|stage|of\s+(?!this\b|the\s+month)))"
        r"|(?<!\w)el\s+(?P<span2>día\s+(?P<day2>[0-3]?\d))(?!\d|\s+de\s)",
    }
    flags = re.IGNORECASE
    return _Lexicon(
        months=months,
        weekdays=weekdays,
        roles=roles,
        patterns=tuple((kind, re.compile(p, flags)) for kind, p in specs.items()),
        as_of=re.compile(rf"(?<!\w)(?:{r('as_of')})\s+\Z", flags),
    )


def _near_anchor(month: int, day: int, anchor: date) -> date | None:
    """The date with this month and day closest before the anchor (allowing a little future)."""
    for year in (anchor.year, anchor.year - 1):
        found = valid_date(year, month, day)
        if found is not None and found <= anchor + timedelta(days=FUTURE_GRACE_DAYS):
            return found
    return None


def _week_month(first: date, last: date) -> str | None:
    """A week as a month value: only when the whole week lies in one month."""
    return f"{first:%Y-%m}" if (first.year, first.month) == (last.year, last.month) else None


@dataclass(frozen=True)
class _Resolved:
    value: str | None
    granularity: str
    method: str


_UNRESOLVED = _Resolved(None, "none", "unresolved")


def _day(found: date | None, method: str) -> _Resolved:
    return _Resolved(found.isoformat(), "day", method) if found else _UNRESOLVED


def _resolve(kind: str, m: re.Match[str], lex: _Lexicon, anchor: date | None) -> _Resolved:
    groups = m.groupdict()
    if kind == "iso":
        return _day(valid_date(int(m["year"]), int(m["month"]), int(m["day"])), "absolute")
    if kind == "numeric":
        a, b = int(m["a"]), int(m["b"])
        if a <= 12 and b <= 12 and a != b and m["sep"] == "/":
            return _Resolved(None, "none", "ambiguous")  # 05/03/2021: May 3 or 5 March?
        day, month = (a, b) if b <= 12 else (b, a)  # dotted dates are day first everywhere
        return _day(valid_date(int(m["year"]), month, day), "absolute")
    if kind in ("dmy", "mdy", "month_year", "month_prep"):
        month = lex.months[_key(m["month"].rstrip("."))]
        if groups.get("year") and groups.get("day"):
            return _day(valid_date(int(m["year"]), month, int(m["day"])), "absolute")
        if groups.get("year"):
            ok = valid_date(int(m["year"]), month, 1) is not None
            return (
                _Resolved(f"{int(m['year']):04d}-{month:02d}", "month", "absolute")
                if ok
                else _UNRESOLVED
            )
        if anchor is None:
            return _UNRESOLVED
        if groups.get("day"):
            return _day(_near_anchor(month, int(m["day"]), anchor), "absolute_year_from_anchor")
        first = _near_anchor(month, 1, anchor)
        return (
            _Resolved(f"{first:%Y-%m}", "month", "absolute_year_from_anchor")
            if first
            else _UNRESOLVED
        )
    if kind == "year_prep":
        return _Resolved(m["year"], "year", "absolute")
    if anchor is None:
        return _UNRESOLVED
    if kind == "weekday":
        return _weekday(m, lex, anchor)
    if kind == "ordinal_day":
        day = int(m["day"] or m["day2"])
        found = valid_date(anchor.year, anchor.month, day)
        if found is None or found > anchor:
            previous = anchor.replace(day=1) - timedelta(days=1)
            found = valid_date(previous.year, previous.month, day)
        return _day(found, "ordinal_day_of_anchor_month")
    return _relative(lex.roles[_key(m["rel"])], anchor)


def _weekday(m: re.Match[str], lex: _Lexicon, anchor: date) -> _Resolved:
    wanted = lex.weekdays[_key(m["weekday"])]
    role = lex.roles.get(_key(m["pre"] or m["post"] or ""), "")
    back = (anchor.weekday() - wanted) % 7
    if role.startswith("weekday_next"):
        return _day(
            anchor + timedelta(days=(wanted - anchor.weekday()) % 7 or 7), "weekday_after_anchor"
        )
    if role.startswith("weekday_last"):
        return _day(anchor - timedelta(days=back or 7), "weekday_strictly_before_anchor")
    return _day(anchor - timedelta(days=back), "weekday_before_anchor")


def _relative(role: str, anchor: date) -> _Resolved:
    if role in ("today", "yesterday", "day_before_yesterday"):
        back = ("today", "yesterday", "day_before_yesterday").index(role)
        return _day(anchor - timedelta(days=back), role)
    monday = anchor - timedelta(days=anchor.weekday())
    if role == "this_week":
        value = _week_month(monday, anchor)
    elif role == "last_week":
        value = _week_month(monday - timedelta(days=7), monday - timedelta(days=1))
    elif role == "this_month":
        value = f"{anchor:%Y-%m}"
    else:  # last_month
        value = f"{anchor.replace(day=1) - timedelta(days=1):%Y-%m}"
    return _Resolved(value, "month" if value else "none", role)


def _candidates(text: str, lex: _Lexicon) -> Iterator[tuple[str, re.Match[str], int, int]]:
    for kind, pattern in lex.patterns:
        for m in pattern.finditer(text):
            groups = m.groupdict()
            span = next((n for n in ("span", "span2") if groups.get(n)), None)
            start, end = m.span(span) if span else m.span()
            yield kind, m, start, end


def find_dates(text: str, anchor: date | None, language: str | None = None) -> list[DateMention]:
    """Every date expression in `text`, resolved against `anchor` (see the module docstring)."""
    lex = _lexicon(_languages(language))
    found = sorted(_candidates(text, lex), key=lambda c: (c[2] - c[3], c[2]))
    taken: list[tuple[int, int]] = []
    mentions: list[DateMention] = []
    for kind, m, start, end in found:
        if any(start < t_end and t_start < end for t_start, t_end in taken):
            continue
        taken.append((start, end))
        resolved = _resolve(kind, m, lex, anchor)
        method = resolved.method
        as_of = lex.as_of.search(text, max(0, start - AS_OF_WINDOW), start)
        if as_of is not None and resolved.value is not None:
            start, method = as_of.start(), "as_of"
        mentions.append(
            DateMention(start, end, text[start:end], resolved.value, resolved.granularity, method)
        )
    return sorted(mentions, key=lambda d: (d.start, d.end))
