"""A user's official record of joint actions (`--reference FILE`), checked against the news.

The file (CSV or JSON; format in docs/reference.md) lists actions as the user knows them: date,
forum, stance, target, lead, count and the states that signed. Each entry is matched to at most
one canonical action (target, stance and forum compatible, date within LETTER_WINDOW_DAYS, and
at least one piece of evidence: the count, the lead or shared states), then compared field by
field: the news agrees, differs (with what it says and who says it), or does not report it.
States the news puts on the action's side that the reference does not list differ too.

Bad input is the user's to fix: every problem raises ReferenceFileError naming the file, the row
and the column. The file is read with a size cap, like every input.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from blocwatch.errors import BlocwatchError
from blocwatch.nlp.counts import MAX_COUNT
from blocwatch.nlp.state_aliases import tracked_states
from blocwatch.reconcile.actions import (
    APPROX_TOLERANCE,
    APPROXIMATE,
    LETTER_WINDOW_DAYS,
    MIN_JACCARD,
    MIN_SHARED_SIGNATORIES,
    CanonicalAction,
)
from blocwatch.reconcile.blocs import action_positions, source_ref
from blocwatch.reconcile.records import ReferenceCheck, ReferenceEntry, SourceRef, StatePosition
from blocwatch.reconcile.rows import parse_date

# A reference list is a few hundred rows; 5 MB is far beyond any real one and small enough to
# read whole. The read stops at the cap + 1 byte, so a lying or growing file cannot exhaust memory.
MAX_REFERENCE_BYTES = 5 * 1024 * 1024
COLUMNS = ("key", "date", "forum", "stance", "target", "lead", "count", "states", "source")
FORUMS = ("UNHRC", "UNGA-C3", "UNGA", "UNSC", "other")
STANCES = ("support", "criticize")
# A CSV `states` cell: "CAN;FRA;DEU" or "CAN, FRA, DEU".
_STATE_SPLIT = re.compile(r"\s*[;,]\s*")
_ISO3 = re.compile(r"^[A-Z]{3}$")
_DATE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")
# Positions that put a state on the action's own side (what a reference's `states` lists).
_SIDE = frozenset({"lead", "signed", "voted_for"})


class ReferenceFileError(BlocwatchError):
    """The reference file cannot be read, or one of its rows is not valid."""


def load_reference(path: Path) -> list[ReferenceEntry]:
    """Read and validate a reference file (.csv or .json)."""
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".json"):
        raise ReferenceFileError(f"{path}: a reference file must end in .csv or .json")
    text = _read_capped(path)
    if suffix == ".json":
        return parse_reference_json(text, str(path))
    return parse_reference_csv(text, str(path))


def _read_capped(path: Path) -> str:
    if not path.is_file():
        raise ReferenceFileError(f"{path}: no such file (or not a regular file)")
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_REFERENCE_BYTES + 1)
    except OSError as error:
        raise ReferenceFileError(f"{path}: cannot read: {error}") from error
    if len(data) > MAX_REFERENCE_BYTES:
        raise ReferenceFileError(
            f"{path}: larger than {MAX_REFERENCE_BYTES // (1024 * 1024)} MB; "
            "a reference list should be a few hundred rows"
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ReferenceFileError(f"{path}: not UTF-8 text ({error.reason})") from error


def parse_reference_csv(text: str, file: str = "<reference>") -> list[ReferenceEntry]:
    """Entries of a CSV with a header row (columns in any order; only `key` is required)."""
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = reader.fieldnames or []
    unknown = [c for c in header if c.strip() not in COLUMNS]
    if unknown or "key" not in [c.strip() for c in header]:
        raise ReferenceFileError(
            f"{file}: row 1 (header): "
            + (f"unknown column {unknown[0]!r}; " if unknown else "no 'key' column; ")
            + f"columns are {', '.join(COLUMNS)}"
        )
    rows = []
    for number, raw in enumerate(reader, 1):
        if None in raw:
            raise ReferenceFileError(f"{file}: row {number}: more cells than header columns")
        cells: dict[str, Any] = {k.strip(): (v or "").strip() for k, v in raw.items()}
        states = cells.get("states", "")
        cells["states"] = [s for s in _STATE_SPLIT.split(states) if s] if states else []
        rows.append(cells)
    return _entries(rows, file)


def parse_reference_json(text: str, file: str = "<reference>") -> list[ReferenceEntry]:
    """Entries of a JSON list of objects with the CSV's columns (`states` a list of ISO3)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ReferenceFileError(
            f"{file}: not valid JSON (line {error.lineno}: {error.msg})"
        ) from error
    if not isinstance(data, list):
        raise ReferenceFileError(f"{file}: expected a JSON list of objects, got {_kind(data)}")
    for number, item in enumerate(data, 1):
        if not isinstance(item, dict):
            raise ReferenceFileError(f"{file}: row {number}: expected an object, got {_kind(item)}")
        unknown = sorted(set(item) - set(COLUMNS))
        if unknown:
            raise ReferenceFileError(
                f"{file}: row {number}, column {unknown[0]!r}: unknown column; "
                f"columns are {', '.join(COLUMNS)}"
            )
    return _entries(data, file)


def _kind(value: object) -> str:
    return type(value).__name__ if value is not None else "null"


def _entries(rows: Sequence[dict[str, Any]], file: str) -> list[ReferenceEntry]:
    entries: list[ReferenceEntry] = []
    seen: set[str] = set()
    for number, row in enumerate(rows, 1):
        entry = _entry(row, _Where(file, number))
        if entry.key in seen:
            raise ReferenceFileError(f"{file}: row {number}, column 'key': duplicate {entry.key!r}")
        seen.add(entry.key)
        entries.append(entry)
    return entries


class _Where:
    """Where a value came from, for error messages."""

    def __init__(self, file: str, row: int) -> None:
        self.file, self.row = file, row

    def error(self, column: str, problem: str) -> ReferenceFileError:
        return ReferenceFileError(f"{self.file}: row {self.row}, column {column!r}: {problem}")


def _text(row: dict[str, Any], column: str, where: _Where) -> str | None:
    value = row.get(column)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise where.error(column, f"expected text, got {_kind(value)}")
    return value.strip() or None


def _iso3(value: str, column: str, where: _Where) -> str:
    code = value.strip().upper()
    if not _ISO3.match(code) or code not in tracked_states():
        raise where.error(column, f"{value!r} is not the ISO3 code of a UN member or observer")
    return code


def _entry(row: dict[str, Any], where: _Where) -> ReferenceEntry:
    key = _text(row, "key", where)
    if key is None:
        raise where.error("key", "missing (every entry needs a key of its own)")
    when = _text(row, "date", where)
    day, year, _ = parse_date(when)
    valid = year is not None and (day is not None or len(when or "") <= len("YYYY-MM"))
    if when is not None and not (_DATE.match(when) and valid):
        raise where.error("date", f"{when!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    forum = _text(row, "forum", where)
    if forum is not None and forum not in FORUMS:
        raise where.error("forum", f"{forum!r} is not one of {', '.join(FORUMS)}")
    stance = _text(row, "stance", where)
    if stance is not None and stance not in STANCES:
        raise where.error("stance", f"{stance!r} is not one of {', '.join(STANCES)}")
    target, lead = _text(row, "target", where), _text(row, "lead", where)
    states = row.get("states") or []
    if not isinstance(states, list) or not all(isinstance(s, str) for s in states):
        raise where.error("states", "expected a list of ISO3 codes")
    codes = [_iso3(s, "states", where) for s in states]
    return ReferenceEntry(
        key=key,
        date=when,
        forum=forum,
        stance=stance,
        target=_iso3(target, "target", where) if target else None,
        lead=_iso3(lead, "lead", where) if lead else None,
        count=_count(row.get("count"), where),
        states=tuple(dict.fromkeys(codes)),
        source=_text(row, "source", where),
    )


def _count(value: object, where: _Where) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise where.error("count", f"expected a whole number, got {_kind(value)}")
    text = str(value).strip()
    if not text.isdigit() or not 1 <= int(text) <= MAX_COUNT:
        raise where.error("count", f"{value!r} is not a whole number from 1 to {MAX_COUNT}")
    return int(text)


# ---------------------------------------------------------------- checking


def check_reference(
    entries: Sequence[ReferenceEntry], actions: Sequence[CanonicalAction]
) -> list[ReferenceCheck]:
    """Each entry compared with its canonical action, field by field; sorted by key, field."""
    positions = {a.key: action_positions(a) for a in actions}
    checks: list[ReferenceCheck] = []
    for entry in entries:
        action = match_action(entry, actions, positions)
        if action is None:
            checks.append(
                ReferenceCheck(entry.key, None, "action", _describe(entry), None, "unmatched", ())
            )
        else:
            checks += _compare(entry, action, positions[action.key])
    return sorted(checks, key=lambda c: (c.reference_key, c.field))


def _describe(entry: ReferenceEntry) -> str:
    parts = (entry.date, entry.forum, entry.stance, entry.target, entry.lead, entry.count)
    return " ".join(str(p) for p in parts if p is not None) or entry.key


def _compatible(a: str | None, b: str | None) -> bool:
    return a is None or b is None or a == b


def _day_gap(entry: ReferenceEntry, action: CanonicalAction) -> int | None:
    """Days between the entry's date and the action's nearest date: 0 when a month or year
    contains it; None when they cannot be the same action; -1 when either is undated."""
    day, year, month = parse_date(entry.date)
    parsed = [parse_date(d) for d in action.dates]
    if year is None or not parsed:
        return -1
    if day is not None:
        days = [d for d, _, _ in parsed if d is not None]
        if days:
            gap = min(abs((d - day).days) for d in days)
            return gap if gap <= LETTER_WINDOW_DAYS else None
        ok = any(y == year and (m is None or m == month) for _, y, m in parsed)
        return 0 if ok else None
    ok = any(y == year and (month is None or m is None or m == month) for _, y, m in parsed)
    return 0 if ok else None


def _evidence(entry: ReferenceEntry, action: CanonicalAction, named: set[str]) -> int:
    """How many of count, lead and states say the entry is this action."""
    counts = [c for _, c, _, _ in action.timeline if c is not None]
    count_ok = entry.count is not None and bool(_agreeing_counts(entry.count, action))
    if entry.count is not None and counts and not count_ok:
        count_ok = min(counts) <= entry.count <= max(counts)  # a letter's count on its way up
    shared = len(set(entry.states) & named)
    union = len(set(entry.states) | named)
    states_ok = shared >= MIN_SHARED_SIGNATORIES or (union > 0 and shared / union >= MIN_JACCARD)
    return sum((count_ok, entry.lead is not None and entry.lead in action.leads, states_ok))


def _agreeing_counts(reference: int, action: CanonicalAction) -> set[str]:
    """Report ids whose count is the reference's, or a rounded telling of it ("nearly 40")."""
    return {
        report_id
        for _, count, qualifier, report_id in action.timeline
        if count is not None
        and (
            count == reference
            or (
                qualifier in APPROXIMATE
                and abs(count - reference) <= APPROX_TOLERANCE * max(count, reference)
            )
        )
    }


def match_action(
    entry: ReferenceEntry,
    actions: Sequence[CanonicalAction],
    positions: dict[str, list[StatePosition]],
) -> CanonicalAction | None:
    """The canonical action this entry records: compatible hard fields, at least one piece of
    evidence; the most evidence, then the nearest date, then the most reports wins."""
    best: tuple[int, int, int, str] | None = None
    chosen = None
    for action in actions:
        if not (
            _compatible(entry.target, action.target)
            and _compatible(entry.stance, action.stance)
            and _compatible(entry.forum, action.forum)
        ):
            continue
        gap = _day_gap(entry, action)
        if gap is None:
            continue
        named = {p.iso3 for p in positions.get(action.key, []) if p.position in _SIDE}
        evidence = _evidence(entry, action, named)
        if evidence == 0:
            continue
        score = (-evidence, gap if gap >= 0 else LETTER_WINDOW_DAYS + 1, -len(action.reports))
        rank = (*score, action.key)
        if best is None or rank < best:
            best, chosen = rank, action
    return chosen


def _compare(
    entry: ReferenceEntry, action: CanonicalAction, positions: Sequence[StatePosition]
) -> list[ReferenceCheck]:
    checks = []
    if entry.count is not None:
        checks.append(_count_check(entry, action))
    for field, value in (("lead", entry.lead), ("date", entry.date), ("forum", entry.forum)):
        if value is not None:
            checks.append(_value_check(entry, action, field, value))
    return checks + _state_checks(entry, action, positions)


def _check(
    entry: ReferenceEntry,
    action: CanonicalAction,
    field: str,
    values: tuple[str | None, str | None],
    verdict: str,
    sources: Sequence[SourceRef] = (),
) -> ReferenceCheck:
    return ReferenceCheck(
        entry.key, action.key, field, values[0], values[1], verdict, tuple(sources)
    )


def _count_check(entry: ReferenceEntry, action: CanonicalAction) -> ReferenceCheck:
    assert entry.count is not None
    reference = str(entry.count)
    counted = [r for r in action.reports if r.count is not None]
    if not counted:
        return _check(entry, action, "count", (reference, None), "not_reported")
    agreeing = _agreeing_counts(entry.count, action)
    chosen = [r for r in counted if r.report_id in agreeing] or counted
    sources = [source_ref(r, str(r.count), r.count_start, r.count_end) for r in chosen]
    reported = ", ".join(str(c) for c in sorted({r.count for r in chosen if r.count is not None}))
    verdict = "agrees" if agreeing else "differs"
    return _check(entry, action, "count", (reference, reported), verdict, sources)


def _reported(action: CanonicalAction, field: str) -> list[tuple[str, SourceRef]]:
    """(value, source) of every report stating the field, cited at its evidence span."""
    out = []
    for r in action.reports:
        value = {"lead": r.lead, "date": r.date, "forum": r.forum}[field]
        if value is None:
            continue
        span = r.span(field)
        ref = source_ref(r, value, span.start, span.end) if span else source_ref(r, value)
        out.append((value, ref))
    return out


def _dates_agree(reference: str, reported: str) -> bool:
    """Same day, or one is a month or year that contains the other."""
    short, long = sorted((reference, reported), key=len)
    return long.startswith(short)


def _value_check(
    entry: ReferenceEntry, action: CanonicalAction, field: str, reference: str
) -> ReferenceCheck:
    reported = _reported(action, field)
    if not reported:
        return _check(entry, action, field, (reference, None), "not_reported")
    same = _dates_agree if field == "date" else str.__eq__
    agreeing = [(v, s) for v, s in reported if same(reference, v)]
    chosen = agreeing or reported
    values = ", ".join(sorted({v for v, _ in chosen}))
    verdict = "agrees" if agreeing else "differs"
    return _check(entry, action, field, (reference, values), verdict, [s for _, s in chosen])


def _state_checks(
    entry: ReferenceEntry, action: CanonicalAction, positions: Sequence[StatePosition]
) -> list[ReferenceCheck]:
    """Each listed state as the news places it, then the states the news adds to the side."""
    held: dict[str, list[StatePosition]] = {}
    for p in positions:
        held.setdefault(p.iso3, []).append(p)
    checks = []
    for iso3 in entry.states:
        mine = held.get(iso3, [])
        kinds = sorted({p.position for p in mine})
        sources = [s for p in mine for s in p.sources]
        if not mine:
            verdict = "not_reported"
        elif set(kinds) <= _SIDE:
            verdict = "agrees"
        else:
            verdict = "differs"  # voted against, abstained, or withdrew
        reported = ", ".join(kinds) or None
        checks.append(
            _check(entry, action, f"state:{iso3}", ("listed", reported), verdict, sources)
        )
    if not entry.states:
        return checks
    for iso3, mine in sorted(held.items()):
        held_kinds = {p.position for p in mine}
        if iso3 in entry.states or not held_kinds & _SIDE or "withdrew" in held_kinds:
            continue
        sources = [s for p in mine if p.position in _SIDE for s in p.sources]
        reported = ", ".join(sorted(held_kinds & _SIDE))
        checks.append(_check(entry, action, f"state:{iso3}", (None, reported), "differs", sources))
    return checks
