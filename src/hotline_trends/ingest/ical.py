"""Reader 7: an iCalendar file (.ics) → events, via the icalendar library.

input → output: VEVENTs → one event per occurrence with inclusive dates, city and state from LOCATION.

- All-day events: DTEND is exclusive in iCalendar, so the last day is DTEND - 1 day.
- Timed events keep the date written in their own time zone (TZID, with or without a VTIMEZONE block).
  UTC times ("...Z") become dates in ``--timezone``, else the calendar's X-WR-TIMEZONE, else UTC; the
  choice is reported.
- Yearly RRULEs are expanded within ``expand_from``..``expand_to`` (EXDATEs removed, RECURRENCE-ID
  overrides used); other frequencies keep their first date and are reported.
- CATEGORIES: the first value is the event's type (``event_type``, as an id: "Street festival" ->
  ``street-festival``; events of one type are pooled together) and, as a code, its ``category``.
- An event whose LOCATION names no U.S. state is kept with an empty state and a ``flag``, and listed in
  ``detected['unresolved']`` so the user can assign it (``hotline-trends events assign ID --state TX``).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from hotline_trends.errors import InputRejected, Problem, UserError
from hotline_trends.ingest.base import Incoming, NotThisFormat, rows_incoming
from hotline_trends.ingest.grid import TEXT, file_kind
from hotline_trends.ingest.location import parse_location
from hotline_trends.ingest.sniff import sniff_text

FORMAT = "ical"
DEFAULT_RANGE = (date(2007, 1, 1), date(2030, 12, 31))  # the years the bundled data and events cover
COLUMNS = ["event_id", "name", "category", "start_date", "end_date", "city", "state", "venue"]
COLUMNS += ["date_basis", "location", "flag", "event_type"]


def _day(value: date | datetime, zone: ZoneInfo | None) -> tuple[date, bool]:
    """The calendar date of a DTSTART/DTEND value, and whether it was a UTC time that was converted."""
    if isinstance(value, datetime):
        if value.tzinfo is not None and value.utcoffset() == timedelta(0) and str(value.tzinfo) in ("UTC", "Z"):
            return (value.astimezone(zone).date(), True) if zone else (value.date(), True)
        return value.date(), False
    return value, False


def _zone(name: str | None, file_name: str) -> ZoneInfo | None:
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise UserError(f"{file_name}: time zone {name!r} is unknown; use an IANA name like America/Chicago") from None


def _slug(text: str) -> str:
    """'Fiesta Señora, San Antonio' -> 'fiesta-senora-san-antonio' (accents dropped, ASCII only)."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60].strip("-") or "event"


def _event_lines(text: str) -> list[int]:
    return [i for i, line in enumerate(text.splitlines(), start=1) if line.strip().upper() == "BEGIN:VEVENT"]


def _occurrences(event, start: date, first: date, last: date, overridden: set[date]) -> tuple[list[date], bool]:
    """Start dates of the occurrences within [first, last]; False when the rule is not yearly (not expanded)."""
    rule = event.get("RRULE")
    if rule is None:
        return [start], True
    if [str(f).upper() for f in rule.get("FREQ", [])] != ["YEARLY"]:
        return [start], False
    from dateutil.rrule import rrulestr

    text = re.sub(r"(UNTIL=\d{8}(?:T\d{6})?)Z", r"\1", rule.to_ical().decode())
    dates = {
        d.date()
        for d in rrulestr(text, dtstart=datetime.combine(start, datetime.min.time())).between(
            datetime.combine(first, datetime.min.time()), datetime.combine(last, datetime.min.time()), inc=True
        )
    }
    excluded = set()
    for exdate in event.get("EXDATE", []) if isinstance(event.get("EXDATE"), list) else [event.get("EXDATE")]:
        if exdate is not None:
            excluded |= {d.dt.date() if isinstance(d.dt, datetime) else d.dt for d in exdate.dts}
    return sorted(dates - excluded - overridden), True


def read_ical(
    path: Path,
    *,
    expand_from: date | None = None,
    expand_to: date | None = None,
    timezone: str | None = None,
) -> Incoming:
    """Events from an iCalendar file; see the module docstring for dates, recurrences and places.

    Raises:
        NotThisFormat: the file does not start with BEGIN:VCALENDAR.
        InputRejected: an event lacks DTSTART or has a value the library could not read (by line).
    """
    import icalendar

    if file_kind(path) != TEXT or not sniff_text(path).sample.lstrip("\ufeff \r\n\t").upper().startswith(
        "BEGIN:VCALENDAR"
    ):
        raise NotThisFormat("does not start with BEGIN:VCALENDAR")
    sniff = sniff_text(path)
    raw = path.read_bytes()
    text = raw.decode(sniff.encoding, errors="replace")
    try:
        calendar = icalendar.Calendar.from_ical(text)
    except ValueError as exc:
        raise UserError(f"{path.name}: the calendar could not be read ({exc}); export it again as .ics") from None
    first, last = expand_from or DEFAULT_RANGE[0], expand_to or DEFAULT_RANGE[1]
    zone_name = timezone or (str(calendar.get("X-WR-TIMEZONE")) if calendar.get("X-WR-TIMEZONE") else None)
    zone = _zone(zone_name, path.name)
    events, lines = list(calendar.walk("VEVENT")), _event_lines(text)
    overrides: dict[str, set[date]] = {}
    for event in events:
        if event.get("RECURRENCE-ID") is not None:
            overrides.setdefault(str(event.get("UID", "")), set()).add(_day(event.get("RECURRENCE-ID").dt, zone)[0])
    rows, problems, unresolved, not_expanded, used_ids = [], [], [], [], set()
    utc_seen = False
    for index, event in enumerate(events):
        line = lines[index] if index < len(lines) else 0
        errors = [f"{name}: {why}" for name, why in getattr(event, "errors", [])]
        if event.get("DTSTART") is None or errors:
            why = "; ".join(errors) or "DTSTART is missing"
            problems.append(Problem(f"the event cannot be read ({why}); every VEVENT needs a valid DTSTART", line))
            continue
        start, utc_start = _day(event.get("DTSTART").dt, zone)
        end = _end(event, start, zone)
        utc_seen |= utc_start
        name = str(event.get("SUMMARY", "")).strip()
        uid = str(event.get("UID", ""))
        skip = set() if event.get("RECURRENCE-ID") is not None else overrides.get(uid, set())
        starts, expanded = _occurrences(event, start, first, last, skip)
        if not expanded:
            not_expanded.append(name or uid)
        place = parse_location(str(event.get("LOCATION", "")))
        categories = event.get("CATEGORIES")
        category, kind = _category(categories), _type_text(categories)
        for begin in starts:
            event_id = _unique(f"{_slug(name)}-{begin.isoformat()}", used_ids)
            flag = ""
            if place.state is None:
                flag = f"state not known from LOCATION {str(event.get('LOCATION', '')).strip()!r}; assign one"
                unresolved.append(
                    {"event_id": event_id, "name": name, "location": str(event.get("LOCATION", "")), "line": line}
                )
            values = [event_id, name, category, begin.isoformat(), (begin + (end - start)).isoformat()]
            values += [
                place.city,
                place.state or "",
                place.venue,
                "stated",
                str(event.get("LOCATION", "")).strip(),
                flag,
                kind,
            ]
            rows.append((line, dict(zip(COLUMNS, values, strict=True))))
    if problems:
        raise InputRejected(path.name, problems, bad_rows=len(problems), rows_read=len(events))
    if not rows:
        raise UserError(f"{path.name}: the calendar has no events in {first}..{last}; nothing to add")
    detected = {
        "format": FORMAT,
        "table": "events",
        "encoding": sniff.label,
        "calendar": str(calendar.get("X-WR-CALNAME", "")) or None,
        "vevents": len(events),
        "events": len(rows),
        "expanded_range": f"{first.isoformat()}..{last.isoformat()}",
        "not_expanded": not_expanded,
        "utc_times": (f"converted to dates in {zone_name}" if zone else "kept as UTC dates") if utc_seen else None,
        "unresolved": unresolved,
    }
    return rows_incoming(path, table="events", reader=FORMAT, detected=detected, rows=rows, columns=COLUMNS)


def _end(event, start: date, zone: ZoneInfo | None) -> date:
    """The inclusive last day: all-day DTEND is exclusive; a timed event ending at midnight ends the day before."""
    raw = event.get("DTEND")
    if raw is None and event.get("DURATION") is not None:
        value = event.get("DTSTART").dt + event.get("DURATION").dt
    elif raw is None:
        return start
    else:
        value = raw.dt
    day, _ = _day(value, zone)
    if not isinstance(value, datetime) or (value.time() == datetime.min.time() and day > start):
        day -= timedelta(days=1)
    return day  # an end before the start stays visible: the store rejects it with the event's line


def _category(categories) -> str:
    if categories is None:
        return ""
    first = categories[0] if isinstance(categories, list) else categories
    names = [str(c) for c in getattr(first, "cats", [first])]
    return re.sub(r"[^a-z0-9]+", "_", names[0].lower()).strip("_") if names else ""


def _type_text(categories) -> str:
    """The first CATEGORIES value as a type id ('Street festival' -> 'street-festival'): the user's event type."""
    if categories is None:
        return ""
    first = categories[0] if isinstance(categories, list) else categories
    names = [str(c).strip() for c in getattr(first, "cats", [first])]
    return _slug(names[0]) if names and names[0] else ""


def _unique(event_id: str, used: set[str]) -> str:
    candidate, n = event_id, 2
    while candidate in used:
        candidate, n = f"{event_id}-{n}", n + 1
    used.add(candidate)
    return candidate
