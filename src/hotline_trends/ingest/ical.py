"""Reader 7: an iCalendar file (.ics) → events, via the icalendar library.

input → output: VEVENTs → one event per occurrence with inclusive dates, city and state from LOCATION.

- All-day events: DTEND is exclusive in iCalendar, so the last day is DTEND - 1 day.
- Timed events keep the date written in their own time zone (TZID, with or without a VTIMEZONE block).
  UTC times ("...Z") become dates in ``--timezone``, else the calendar's X-WR-TIMEZONE, else UTC; the
  choice is reported.
- Repeating events (RRULE of any frequency, RDATE; EXDATE removed; UNTIL in UTC or local) are expanded by
  ``recurring-ical-events`` within ``expand_from``..``expand_to``; RECURRENCE-ID overrides are events of
  their own. The table holds days, so repeats on the same day (an hourly rule) are one event, reported.
- Bounded: a calendar over ``Limits.page_bytes`` or with more than ``Limits.calendar_events`` VEVENTs is
  refused before it is parsed, and a rule is counted lazily (up to the range's end) before it is expanded,
  so ``FREQ=SECONDLY`` without an end is a clear error within a second, not gigabytes. Dates outside
  1900-2100 are refused by line (they are typos, and the date arithmetic would overflow).
- CATEGORIES: the first value is the event's type (``event_type``, as an id: "Street festival" ->
  ``street-festival``; events of one type are pooled together) and, as a code, its ``category``.
- An event whose LOCATION names no U.S. state is kept with an empty state and a ``flag``, and listed in
  ``detected['unresolved']`` so the user can assign it (``hotline-trends events assign ID --state TX``).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from hotline_trends.errors import InputRejected, Problem, UserError
from hotline_trends.ingest.base import Incoming, NotThisFormat, rows_incoming
from hotline_trends.ingest.grid import TEXT, file_kind
from hotline_trends.ingest.html_text import check_page_size
from hotline_trends.ingest.limits import Limits, check_time, current
from hotline_trends.ingest.location import parse_location
from hotline_trends.ingest.sniff import sniff_text

FORMAT = "ical"
DEFAULT_RANGE = (date(2007, 1, 1), date(2030, 12, 31))  # the years the bundled data and events cover
COLUMNS = ["event_id", "name", "category", "start_date", "end_date", "city", "state", "venue"]
COLUMNS += ["date_basis", "location", "flag", "event_type"]
YEARS = (1900, 2100)  # dates outside are typos (a year 1 overflows date arithmetic)


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


def _check_dates(event) -> str | None:
    """Why the event's dates cannot be used (a year outside ``YEARS``), or None."""
    for prop in ("DTSTART", "DTEND", "RECURRENCE-ID"):
        value = event.get(prop)
        year = getattr(getattr(value, "dt", None), "year", None)
        if year is not None and not YEARS[0] <= year <= YEARS[1]:
            return (
                f"{prop} {value.dt.isoformat()} is outside the years {YEARS[0]}-{YEARS[1]} this tool reads; "
                "fix the date (a year written with too few digits?)"
            )
    return None


def _count_rule(event, first: date, last: date, limits: Limits, name: str, line: int) -> None:
    """Count the rule's dates lazily and raise past the limits, before anything is expanded.

    At most ``limits.occurrences`` dates in [first, last], and ten times that from DTSTART on (a rule is
    worked out from its start, so an hourly rule begun in 1990 costs as much before the range as in it).
    """
    from dateutil.rrule import rrulestr

    rules = event.get("RRULE")
    start = event.get("DTSTART").dt
    begin = start.replace(tzinfo=None) if isinstance(start, datetime) else datetime.combine(start, time())
    low, high = datetime.combine(first, time()), datetime.combine(last, time.max)
    for rule in rules if isinstance(rules, list) else [rules] if rules is not None else []:
        # Only a count is wanted here, so times are compared as written (UTC or local alike).
        text = re.sub(r"(UNTIL=\d{8}(?:T\d{6})?)Z", r"\1", rule.to_ical().decode())
        try:
            dates = iter(rrulestr(text, dtstart=begin, ignoretz=True))
        except (ValueError, TypeError) as exc:
            raise _RuleError(f"RRULE:{text} cannot be read ({exc}); fix or remove the rule") from None
        within = 0
        for n, when in enumerate(dates):
            if when > high:
                break
            within += when >= low
            if within > limits.occurrences or n >= 10 * limits.occurrences:
                over = within > limits.occurrences
                span = f"{limits.occurrences:,} times in {first}..{last}" if over else f"{n:,} times from its start"
                raise UserError(
                    f"{name} line {line}: the event's rule (RRULE:{text[:80]}) repeats more than {span}; a calendar "
                    "of events should repeat at most daily. Give the rule an UNTIL or COUNT"
                    + (", or pass --expand-from/--expand-to for a shorter range" if over else "")
                )
            if n % 1024 == 0:
                check_time(line)


class _RuleError(Exception):
    """An RRULE that cannot be read; becomes a problem on the event's line."""


def _occurrences(event, first: date, last: date, zone: ZoneInfo | None) -> list[tuple[date, date]]:
    """(first day, last day) of each occurrence of a repeating event that starts within [first, last]."""
    import icalendar
    import recurring_ical_events

    alone = icalendar.Calendar()
    alone.add_component(event)  # overrides (RECURRENCE-ID) are read as events of their own
    found = recurring_ical_events.of(alone).between(first, last + timedelta(days=1))
    spans = []
    for occurrence in found:
        begin, _ = _day(occurrence.get("DTSTART").dt, zone)
        if first <= begin <= last:
            spans.append((begin, _end(occurrence, begin, zone)))
    return sorted(spans)


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
    limits = current()
    check_page_size(path, limits, what="calendar")
    sniff = sniff_text(path)
    raw = path.read_bytes()
    blocks = raw.upper().count(b"BEGIN:VEVENT")
    if blocks > limits.calendar_events:
        raise UserError(
            f"{path.name}: the calendar holds {blocks:,} events; at most {limits.calendar_events:,} are read from one "
            "file. Export a shorter date range, or split the calendar"
        )
    text = raw.decode(sniff.encoding, errors="replace")
    try:
        calendar = icalendar.Calendar.from_ical(text)
    except (ValueError, OverflowError) as exc:
        raise UserError(f"{path.name}: the calendar could not be read ({exc}); export it again as .ics") from None
    first, last = expand_from or DEFAULT_RANGE[0], expand_to or DEFAULT_RANGE[1]
    zone_name = timezone or (str(calendar.get("X-WR-TIMEZONE")) if calendar.get("X-WR-TIMEZONE") else None)
    zone = _zone(zone_name, path.name)
    events, lines = list(calendar.walk("VEVENT")), _event_lines(text)
    overrides: dict[str, set[date]] = {}
    for event in events:
        if event.get("RECURRENCE-ID") is not None and _check_dates(event) is None:
            overrides.setdefault(str(event.get("UID", "")), set()).add(_day(event.get("RECURRENCE-ID").dt, zone)[0])
    rows, problems, unresolved, used_ids = [], [], [], set()
    utc_seen, repeats_merged = False, 0
    for index, event in enumerate(events):
        line = lines[index] if index < len(lines) else 0
        check_time(line)
        errors = [f"{name}: {why}" for name, why in getattr(event, "errors", [])]
        if event.get("DTSTART") is None or errors:
            why = "; ".join(errors) or "DTSTART is missing"
            problems.append(Problem(f"the event cannot be read ({why}); every VEVENT needs a valid DTSTART", line))
            continue
        if why := _check_dates(event):
            problems.append(Problem(why, line))
            continue
        start, utc_start = _day(event.get("DTSTART").dt, zone)
        end = _end(event, start, zone)
        utc_seen |= utc_start
        name = str(event.get("SUMMARY", "")).strip()
        uid = str(event.get("UID", ""))
        spans = [(start, end)]
        if event.get("RECURRENCE-ID") is None and (event.get("RRULE") is not None or event.get("RDATE") is not None):
            try:
                _count_rule(event, first, last, limits, path.name, line)
                spans = _occurrences(event, first, last, zone)
            except _RuleError as exc:
                problems.append(Problem(str(exc), line))
                continue
            except (ValueError, TypeError, OverflowError) as exc:
                problems.append(Problem(f"the event's repeats cannot be worked out ({exc}); fix its RRULE", line))
                continue
            skip = overrides.get(uid, set())
            by_day = {b: e for b, e in reversed(spans) if b not in skip}  # the first of each day's repeats
            repeats_merged += len(spans) - len({b for b, _ in spans})
            spans = sorted(by_day.items())
            if len(rows) + len(spans) > limits.occurrences:
                raise UserError(
                    f"{path.name} line {line}: the calendar gives more than {limits.occurrences:,} events in "
                    f"{first}..{last}; pass a shorter --expand-from/--expand-to range or split the calendar"
                )
        place = parse_location(str(event.get("LOCATION", "")))
        categories = event.get("CATEGORIES")
        category, kind = _category(categories), _type_text(categories)
        for begin, finish in spans:
            event_id = _unique(f"{_slug(name)}-{begin.isoformat()}", used_ids)
            flag = ""
            if place.state is None:
                flag = f"state not known from LOCATION {str(event.get('LOCATION', '')).strip()!r}; assign one"
                unresolved.append(
                    {"event_id": event_id, "name": name, "location": str(event.get("LOCATION", "")), "line": line}
                )
            values = [event_id, name, category, begin.isoformat(), finish.isoformat()]
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
        "repeats_merged": repeats_merged,
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
