"""The tidy tables the store holds: their columns, natural keys and the rules every row must meet.

One ``TableSpec`` per table. Readers produce raw text columns named after a spec; the store casts them
with ``store.casts`` and checks the rules below, so every reader gets the same validation and the same
messages.

Example:
    >>> SPECS["observations"].key
    ('dataset', 'region', 'period_start', 'period_end', 'metric', 'source_id')
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["text", "id", "code", "region", "int", "date", "enum", "bool"]

RELIABILITY = ("high", "medium", "low")
DATASETS_BUNDLED = ("nhth", "fbi_ucr_ht")


@dataclass(frozen=True)
class Column:
    """One column: how its text is read (``kind``) and whether a row may leave it empty."""

    name: str
    kind: Kind = "text"
    required: bool = False
    choices: tuple[str, ...] = ()
    example: str = ""


@dataclass(frozen=True)
class Rule:
    """A check on typed rows. ``bad_sql`` is true for a bad row; ``message`` may use ``{value}`` (raw text)."""

    column: str
    bad_sql: str
    message: str


@dataclass(frozen=True)
class TableSpec:
    """A tidy table: columns, the natural key that identifies a row, and row rules beyond column types."""

    name: str
    row_label: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    rules: tuple[Rule, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)

    @property
    def content(self) -> tuple[str, ...]:
        """Columns outside the key: a change in any of them makes a new revision of the row."""
        return tuple(c.name for c in self.columns if c.name not in self.key)

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


# A region is known when it is in the regions table or is 'ori:' + a known agency.
KNOWN_REGION_SQL = "({col} IN (SELECT region FROM regions) OR {col} IN (SELECT 'ori:' || ori FROM agencies))"


def _unknown_region(col: str) -> str:
    return f"{col} IS NOT NULL AND NOT {KNOWN_REGION_SQL.format(col=col)}"


REGION_HINT = "use a USPS code like 'FL', 'US' for the nation or 'ori:<ORI>' for an agency, or add the region first"

SOURCES = TableSpec(
    name="sources",
    row_label="source",
    columns=(
        Column("source_id", "id", required=True, example="fbi_cde_ht_2013_2020"),
        Column("publisher"),
        Column("title"),
        Column("location"),
        Column("retrieved_via"),
        Column("terms"),
        Column("caveat"),
        Column("sha256"),
        Column("user_provided", "bool"),
    ),
    key=("source_id",),
)

REGIONS = TableSpec(
    name="regions",
    row_label="region",
    columns=(
        Column("region", "region", required=True, example="FL"),
        Column("name", required=True),
        Column("kind", required=True, example="state"),
        Column("source_id", "id", required=True),
    ),
    key=("region",),
)

AGENCIES = TableSpec(
    name="agencies",
    row_label="agency",
    columns=(
        Column("ori", "region", required=True, example="TX0570100"),
        Column("agency_name", required=True),
        Column("state", "region", required=True, example="TX"),
        Column("agency_type"),
        Column("county"),
        Column("population", "int"),
        Column("population_group"),
        Column("ori9"),
        Column("population_year", "int"),
        Column("population_group_code"),
        Column("source_id", "id", required=True),
    ),
    key=("ori",),
    rules=(
        Rule(
            "state",
            "state NOT IN (SELECT region FROM regions)",
            f"state {{value!r}} is not a known region; {REGION_HINT}",
        ),
        Rule(
            "population",
            "population < 0",
            "population {value} is negative; use a count of residents, 0 or more",
        ),
    ),
)

POPULATION = TableSpec(
    name="population",
    row_label="population estimate",
    columns=(
        Column("region", "region", required=True, example="FL"),
        Column("year", "int", required=True, example="2024"),
        Column("population", "int", required=True, example="23372215"),
        Column("vintage", "code", required=True, example="v2024"),
        Column("source_id", "id", required=True),
    ),
    key=("region", "year", "vintage"),
    rules=(
        Rule(
            "region",
            _unknown_region("region"),
            f"region {{value!r}} is not a known region code; {REGION_HINT}",
        ),
        Rule(
            "year",
            "year < 1900 OR year > 2100",
            "year {value} is out of range; use a four-digit year like 2024",
        ),
        Rule(
            "population",
            "population < 0",
            "population {value} is negative; use a count of residents, 0 or more",
        ),
    ),
)

EVENTS = TableSpec(
    name="events",
    row_label="event",
    columns=(
        Column("event_id", "id", required=True, example="super-bowl-2024"),
        Column("name", required=True),
        Column("category", "code", example="sports"),
        Column("start_date", "date", required=True, example="2024-02-11"),
        Column("end_date", "date", required=True, example="2024-02-11"),
        Column("city"),
        Column("state", "region", example="NV"),
        Column("venue"),
        Column("attendance", "int"),
        Column("attendance_kind", "enum", choices=("crowd", "expected_visitors")),
        Column("date_basis", "enum", choices=("stated", "rule")),
        Column("source_id", "id", required=True),
        Column("other_source_ids"),
        # From calendars: the LOCATION as written, and why the row needs a person (e.g. no state found).
        Column("location"),
        Column("flag"),
        # The user's own type, as written ("Marathon"); events of one type are pooled together. Empty: the
        # type is what comes before the year in event_id (super-bowl-2013 -> super-bowl).
        Column("event_type", example="marathon"),
    ),
    key=("event_id",),
    rules=(
        Rule(
            "end_date",
            "end_date < start_date",
            "end_date {value} is before start_date; end_date is the last day of the event (inclusive)",
        ),
        Rule(
            "state",
            "state IS NOT NULL AND state NOT IN (SELECT region FROM regions)",
            f"state {{value!r}} is not a known region code; {REGION_HINT}",
        ),
        Rule("attendance", "attendance < 0", "attendance {value} is negative; use a head count, 0 or more"),
        Rule(
            "event_type",
            "event_type IS NOT NULL AND NOT regexp_matches(event_type, '[A-Za-z0-9]')",
            "event_type {value!r} has no letters or digits; name the type, e.g. 'marathon' or 'Street festival'",
        ),
    ),
)

OBSERVATIONS = TableSpec(
    name="observations",
    row_label="observation",
    columns=(
        Column("dataset", "code", required=True, example="nhth"),
        Column("region", "region", required=True, example="FL"),
        Column("period_start", "date", required=True, example="2024-01-01"),
        Column("period_end", "date", required=True, example="2024-12-31"),
        Column("metric", "code", required=True, example="cases"),
        Column("value", "int", required=True, example="1733"),
        Column("source_id", "id", required=True, example="my_tipline_2024"),
        Column("reliability", "enum", choices=RELIABILITY),
        Column("note"),
    ),
    key=("dataset", "region", "period_start", "period_end", "metric", "source_id"),
    rules=(
        Rule(
            "region",
            _unknown_region("region"),
            f"region {{value!r}} is not a known region code; {REGION_HINT}",
        ),
        Rule(
            "period_end",
            "period_end < period_start",
            "period_end {value} is before period_start; periods are inclusive, e.g. 2024-01-01 to 2024-12-31",
        ),
        Rule("value", "value < 0", "value {value} is negative; counts are 0 or more"),
    ),
)

SPECS: dict[str, TableSpec] = {s.name: s for s in (SOURCES, REGIONS, AGENCIES, POPULATION, EVENTS, OBSERVATIONS)}
