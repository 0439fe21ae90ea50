"""Dates, datelines, outlet and language on synthetic lines (our own text, not articles)."""

from __future__ import annotations

from datetime import date

import pytest

from blocwatch.clean import metadata
from blocwatch.clean.dates import date_from_url, date_line, find_date
from blocwatch.clean.metadata import (
    Dateline,
    detect_language,
    extract,
    find_dateline,
    normalise_agency,
    outlet_from_url,
)
from blocwatch.model import RawDocument

BODY = "Ten states signed a joint letter to the council, officials said on Monday."


def _raw(text: str, **fields: str) -> RawDocument:
    return RawDocument(source="test", input_format="txt", text=text, **fields)


# --- URLs --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected", "year"),
    [
        ("https://example.com/2019/10/30/story.html", date(2019, 10, 30), 2019),
        ("https://example.com/news/2020-07-01/slug-abc/index.html", date(2020, 7, 1), 2020),
        ("http://example.cn/n3/2021/0315/c1-2.html", date(2021, 3, 15), 2021),
        ("https://example.com/a/20191030/b.html", date(2019, 10, 30), 2019),
        ("https://example.com/story_20180102.htm", date(2018, 1, 2), 2018),
        ("https://example.com/2020/12/slug.html", None, 2020),  # month only: year context
        ("https://example.com/story/2388127/slug", None, None),  # an id, not a date
        ("https://example.com/c9-20085081.html", None, None),  # 8 digits, month 50
        ("https://example.com/?p=49408", None, None),
        ("001_abc.txt", None, None),  # a file name is not a URL
        (None, None, None),
    ],
)
def test_date_from_url(url: str | None, expected: date | None, year: int | None) -> None:
    assert date_from_url(url) == (expected, year)


@pytest.mark.parametrize(
    ("url", "outlet"),
    [
        ("https://www.reuters.com/world/x", "Reuters"),
        ("http://arabic.people.com.cn/n3/2021/0315/x.html", "People's Daily Online"),
        ("https://www.china.org.cn/world/x.htm", "china.org.cn"),  # unknown host: the host
        ("https://m.example-news.com/x", "example-news.com"),
        ("https://example.co.uk/x", "example.co.uk"),
        ("file.txt", None),
    ],
)
def test_outlet_from_url(url: str, outlet: str | None) -> None:
    assert outlet_from_url(url) == outlet


# --- dates in text -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("July 13, 2019", None, date(2019, 7, 13)),
        ("13 July 2019", None, date(2019, 7, 13)),
        ("Sept. 3 2020", None, date(2020, 9, 3)),
        ("01-Jul-2020", None, date(2020, 7, 1)),
        ("2023-12-06", None, date(2023, 12, 6)),
        ("12.03.2021", None, date(2021, 3, 12)),  # dotted dates are day-first
        ("13/07/2019", None, date(2019, 7, 13)),
        ("07/13/2019", None, date(2019, 7, 13)),
        ("03/07/2019", None, None),  # ambiguous
        ("5 de marzo de 2020", "es", date(2020, 3, 5)),
        ("12 octobre 2021", "fr", date(2021, 10, 12)),
        ("2 mars 2018", "is", date(2018, 3, 2)),
        ("Hulyo 12, 2019", "fil", date(2019, 7, 12)),
        ("12 مارس 2021", "ar", date(2021, 3, 12)),
        ("February 30, 2020", None, None),
        ("Article 99, 2017", None, None),
        ("on the 12th", None, None),
    ],
)
def test_find_date(text: str, language: str | None, expected: date | None) -> None:
    found = find_date(text, language)
    assert (found[0] if found else None) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("July 13, 2019", (date(2019, 7, 13), "")),
        ("Updated 10:25, 01-Jul-2020", (date(2020, 7, 1), "")),
        ("Published: Monday, 5 October 2020 14:02 GMT", (date(2020, 10, 5), "")),
        ("date 2023-12-06 Some words follow on the same line", (date(2023, 12, 6), "")),
        ("4 May 2019 – Today, during the session, states spoke.", (date(2019, 5, 4), "")),
        ("Example Wire, October 30, 2019", (date(2019, 10, 30), "Example Wire")),
        ("Springfield, 27 de febrero de 2025", (date(2025, 2, 27), "Springfield")),
        (f"{BODY} It was May 3, 2019.", None),  # a body sentence is not a date line
        ("The meeting of July 13, 2019 was long", None),
    ],
)
def test_date_line(line: str, expected: tuple[date, str] | None) -> None:
    assert date_line(line, "en") == expected


# --- datelines ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("NORTH PORT, Oct. 30 (Xinhua) -- Body.", Dateline("NORTH PORT", "Xinhua", "Oct. 30")),
        ("GENEVA, July 12 (Reuters) - Body.", Dateline("GENEVA", "Reuters", "July 12")),
        ("LAKETOWN (TCA) — Body.", Dateline("LAKETOWN", "TCA", None)),
        ("Rivertown, 13 March 2021 (XINHUA) - Body.",
         Dateline("Rivertown", "Xinhua", "13 March 2021")),
        ("HILLSIDE: Body text here.", Dateline("HILLSIDE", None, None)),
        ("date 2020-01-02 HILLSIDE: Body.", Dateline("HILLSIDE", None, None)),
        ("جنيف 13 مارس 2021 (شينخوا) نص الخبر", Dateline("جنيف", "Xinhua", "13 مارس 2021")),
        ("Headline\n\nSOUTHPORT, May 2 (Example Press) -- Body.",
         Dateline("SOUTHPORT", "Example Press", "May 2")),
        ("UPDATE: states spoke.", None),
        ("Jane Roe, a diplomat (AFP) - said so.", None),
        ("HRC42: 20 States Issue Statement", None),
        ("Jane Roe (C), a diplomat, speaks. (Xinhua/Jo Doe)", None),
        (BODY, None),
    ],
)  # fmt: skip
def test_find_dateline(text: str, expected: Dateline | None) -> None:
    assert find_dateline(text) == expected


def test_agency_names_are_normalised_or_kept_as_written() -> None:
    assert normalise_agency("XINHUA") == "Xinhua"
    assert normalise_agency("Agence France-Presse") == "AFP"
    assert normalise_agency("Example Press") == "Example Press"
    assert normalise_agency("12345") is None


# --- extract: precedence -----------------------------------------------------------------------

HEADER = "A headline\n\nExample Wire, October 31, 2019\n\nNORTH PORT, Oct. 30 (Xinhua) -- " + BODY


def test_metadata_date_wins() -> None:
    meta = extract(
        _raw(HEADER, published="2019-11-01", url="https://x.org/2019/10/29/a"), HEADER, None
    )
    assert (meta.published, meta.published_source) == ("2019-11-01", "metadata")


def test_url_date_beats_dateline_and_text() -> None:
    meta = extract(_raw(HEADER, url="https://x.org/2019/10/29/a"), HEADER, None)
    assert (meta.published, meta.published_source) == ("2019-10-29", "url")


def test_dateline_takes_its_year_from_the_header_date_line() -> None:
    meta = extract(_raw(HEADER), HEADER, None)
    assert (meta.published, meta.published_source) == ("2019-10-30", "dateline")
    assert (meta.dateline_place, meta.agency) == ("NORTH PORT", "Xinhua")


def test_dateline_takes_its_year_from_a_month_only_url() -> None:
    text = "NORTH PORT, Dec. 1 (Reuters) -- " + BODY
    meta = extract(_raw(text, url="https://x.org/2020/12/slug"), text, None)
    assert (meta.published, meta.published_source) == ("2020-12-01", "dateline")


def test_dateline_without_any_year_gives_no_date_but_keeps_place_and_agency() -> None:
    text = "LAKETOWN (TCA) — " + BODY + " The letter was sent on July 12."
    meta = extract(_raw(text), text, None)
    assert (meta.published, meta.published_source) == (None, "none")
    assert (meta.dateline_place, meta.agency) == ("LAKETOWN", "TCA")


def test_text_date_line_when_nothing_else() -> None:
    text = f"A headline\n\nJane Roe\nJuly 13, 2019\n\n{BODY}"
    meta = extract(_raw(text), text, None)
    assert (meta.published, meta.published_source) == ("2019-07-13", "text")


def test_a_place_and_date_line_is_not_a_publication_date() -> None:
    text = f"Springfield, 27 February 2025\nDear President,\n{BODY}"
    assert extract(_raw(text), text, None).published is None


def test_outlet_precedence() -> None:
    text = HEADER
    with_url = _raw(text, url="https://www.example-daily.com/a")
    assert extract(_raw(text, outlet="Given Name"), text, "Credit Times").outlet == "Given Name"
    meta = extract(with_url, text, "Credit Times")
    assert (meta.outlet, meta.outlet_source) == ("example-daily.com", "url")
    meta = extract(_raw(text), text, "Credit Times")
    assert (meta.outlet, meta.outlet_source) == ("Credit Times", "credit")
    header_agency = "Headline\nReuters, May 5, 2020\n" + BODY
    meta = extract(_raw(header_agency), header_agency, None)
    assert (meta.outlet, meta.outlet_source, meta.agency) == ("Reuters", "credit", "Reuters")
    dateline_only = "LAKETOWN (TCA) — " + BODY
    meta = extract(_raw(dateline_only), dateline_only, None)
    assert (meta.outlet, meta.outlet_source) == ("TCA", "dateline")
    meta = extract(_raw(BODY), BODY, None)
    assert (meta.outlet, meta.outlet_source) == (None, "none")


# --- language ----------------------------------------------------------------------------------


def test_language_from_metadata_wins() -> None:
    meta = extract(_raw(BODY, language="fr"), BODY, None)
    assert (meta.language, meta.language_source) == ("fr", "metadata")


def test_language_detected_on_english() -> None:
    meta = extract(_raw(BODY), BODY, None)
    assert (meta.language, meta.language_source) == ("en", "detected")


def test_too_little_text_is_not_guessed() -> None:
    assert detect_language("Ok.") is None
    assert extract(_raw("1234"), "1234", None).language_source == "none"


def test_tagalog_code_becomes_fil(monkeypatch: pytest.MonkeyPatch) -> None:
    import py3langid

    monkeypatch.setattr(py3langid, "classify", lambda text: ("tl", -1.0))
    assert metadata.detect_language(BODY) == "fil"
