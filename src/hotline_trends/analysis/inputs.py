"""From store frames to what an analysis needs: the event, its host, its window and the right panel.

For police data the finest series wins: agency months summed per place when the event falls in a stretch
of agency months (2013 or 2015 in the bundled data), else the published state-year rows. A city, county or
agency ('ori:') host uses its agencies' months when they have any, else their own series of any period kind
(``ownpanel``: a city police department's daily counts). A city or county with no series at all gets a
stand-in by the stated rule (``standin``), and the result says so. Every choice is returned with the words
that explain it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property

import numpy as np
import pandas as pd

from hotline_trends.analysis import agencypanel, ownpanel
from hotline_trends.analysis.eventplan import EventSpec
from hotline_trends.analysis.eventtypes import close_event_ids, event_type, type_slug, with_types
from hotline_trends.analysis.ownpanel import agency_label, series_places
from hotline_trends.analysis.panel import Panel, panel_from_regions
from hotline_trends.analysis.places import PlaceMatch, match_place
from hotline_trends.analysis.rates import PER, latest_vintage
from hotline_trends.analysis.standin import StandIn, find_stand_in
from hotline_trends.analysis.windows import DAYS_AROUND, coverage, make_window
from hotline_trends.errors import UserError

LEVELS = ("state", "county", "city")


@dataclass(frozen=True)
class Prepared:
    """A panel and spec ready to analyse, or the reason there is none (``panel`` None)."""

    spec: EventSpec
    panel: Panel | None
    reason: str | None = None


class SeriesParts:
    """What every event on one series shares, built once on first use: the agency months, each state's
    agencies, the published region rows as a panel and the agency panels per host and stretch.

    A study prepares all its events with one; a caller analysing many events of the same frames (the
    dashboard) may keep one per series. The panels it hands out are shared and must not be changed
    (``Panel.cache`` is designed to be shared).
    """

    def __init__(self, observations: pd.DataFrame, agencies: pd.DataFrame, *, dataset: str, metric: str) -> None:
        # only this series' rows are kept: everything below reads no others, and a kept copy stays small
        mine = (observations["dataset"] == dataset) & (observations["metric"] == metric)
        self.observations = observations.loc[mine.to_numpy()]
        self.agencies, self.dataset, self.metric = agencies, dataset, metric
        self._stretches: dict[pd.Timestamp, pd.DataFrame | None] = {}
        self._agency_panels: dict[tuple, Panel] = {}

    @cached_property
    def agency_rows(self) -> pd.DataFrame:
        return agencypanel.agency_rows(self.observations, dataset=self.dataset, metric=self.metric)

    @cached_property
    def series_regions(self) -> set[str]:
        """Every region with a row of this series (any period kind)."""
        return set(self.observations["region"].astype(str).unique())

    def own_panel(self, host: str, members: list[str], *, label: str) -> Panel | None:
        """The members' own series of any period kind beside every other agency's (``ownpanel``), kept."""
        key = ("own", host, tuple(members), label)
        if key not in self._agency_panels:
            self._agency_panels[key] = ownpanel.own_panel(
                self.observations, host=host, members=members, label=label, agencies=self.agencies,
                dataset=self.dataset, metric=self.metric,
            )  # fmt: skip
        return self._agency_panels[key]

    @cached_property
    def state_places(self) -> dict[str, list[str]]:
        return agencypanel.state_places(self.agencies)

    @cached_property
    def published(self) -> Panel | None:
        return panel_from_regions(self.observations, dataset=self.dataset, metric=self.metric)

    def stretch(self, around: pd.Timestamp) -> pd.DataFrame | None:
        """The agency months around a date (see ``agencypanel.stretch``); None without agency months."""
        month = pd.Timestamp(around).to_period("M").to_timestamp()
        if month not in self._stretches:
            rows = self.agency_rows
            self._stretches[month] = agencypanel.stretch(rows, month) if not rows.empty else None
        return self._stretches[month]

    def agency_panel(
        self, host: str, members: list[str], *, label: str, state: str | None, periods: pd.DataFrame
    ) -> Panel:
        """The host's agencies summed beside every state but the host's own, over ``periods``."""
        key = (host, tuple(members), label, state, periods["period_start"].iloc[0], len(periods))
        if key not in self._agency_panels:
            places = {k: v for k, v in self.state_places.items() if k != state}
            self._agency_panels[key] = agencypanel.panel_from_agencies(
                self.agency_rows, places={host: members, **places}, periods=periods, dataset=self.dataset,
                metric=self.metric, labels={host: label},
            )  # fmt: skip
        return self._agency_panels[key]


def event_row(events: pd.DataFrame, event_id: str) -> pd.Series:
    """The event with this id, or a UserError listing close ids."""
    found = events[events["event_id"] == event_id]
    if found.empty:
        close = close_event_ids(events, event_id)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise UserError(f"unknown event {event_id!r}{hint} List events with: hotline-trends events --name TEXT")
    return with_types(events).loc[found.index[0]]


def check_series(observations: pd.DataFrame, *, dataset: str, metric: str) -> None:
    """UserError unless the dataset and metric exist (saying which do)."""
    datasets = sorted(observations["dataset"].unique())
    if dataset not in datasets:
        raise UserError(f"unknown dataset {dataset!r}; the store has: {', '.join(datasets)}")
    metrics = sorted(observations.loc[observations["dataset"] == dataset, "metric"].unique())
    if metric not in metrics:
        raise UserError(f"dataset {dataset!r} has no metric {metric!r}; it has: {', '.join(metrics)}")


def make_spec(
    row: pd.Series,
    events: pd.DataFrame,
    *,
    host: str,
    host_label: str,
    days_before: int = DAYS_AROUND,
    days_after: int = DAYS_AROUND,
    place: PlaceMatch | None = None,
    controls: tuple[str, ...] | None = None,
    stand_in: StandIn | None = None,
) -> EventSpec:
    """The spec of an event row; other instances of its type in the same state are kept out of the baseline."""
    typed = with_types(events)
    written = row.get("event_type")
    kind = (type_slug(written) if isinstance(written, str) else "") or event_type(row["event_id"])
    same = typed[(typed["event_type"] == kind) & (typed["event_id"] != row["event_id"])]
    same = same[same["state"] == row["state"]]
    exclude = tuple(make_window(s, e, days_before=days_before, days_after=days_after)
                    for s, e in zip(same["start_date"], same["end_date"], strict=True))  # fmt: skip
    sources = [row["source_id"], *str(row.get("other_source_ids") or "").split(";")]
    return EventSpec(
        event_id=str(row["event_id"]),
        name=str(row["name"]),
        event_type=kind,
        type_label=str(row.get("type_label", kind)),
        start=pd.Timestamp(row["start_date"]),
        end=pd.Timestamp(row["end_date"]),
        host=host,
        host_label=host_label,
        window=make_window(row["start_date"], row["end_date"], days_before=days_before, days_after=days_after),
        city=None if pd.isna(row.get("city")) else str(row["city"]),
        state=None if pd.isna(row.get("state")) else str(row["state"]),
        exclude=exclude,
        controls=controls,
        source_ids=tuple(s.strip() for s in sources if isinstance(s, str) and s.strip() and s.strip() != "nan"),
        place=place,
        stand_in=stand_in,
    )


def prepare(
    observations: pd.DataFrame,
    agencies: pd.DataFrame,
    events: pd.DataFrame,
    row: pd.Series,
    *,
    dataset: str,
    metric: str,
    region: str | None = None,
    level: str = "state",
    days_before: int = DAYS_AROUND,
    days_after: int = DAYS_AROUND,
    controls: tuple[str, ...] | None = None,
    parts: SeriesParts | None = None,
) -> Prepared:
    """Choose the host and the panel for one event (see the module docstring).

    ``parts`` (of these frames, dataset and metric) shares the work between events of one series.
    """
    if parts is None:
        parts = SeriesParts(observations, agencies, dataset=dataset, metric=metric)
    elif (parts.dataset, parts.metric) != (dataset, metric):
        raise ValueError(f"parts of {parts.dataset} {parts.metric} given for {dataset} {metric}")
    if level not in LEVELS:
        raise UserError(f"unknown level {level!r}; use one of {', '.join(LEVELS)}")
    state = None if pd.isna(row.get("state")) else str(row["state"])
    place, members, stand = None, None, None
    if region and region.startswith("ori:"):
        host, label, state = region, agency_label(agencies, region), _agency_state(agencies, region)
        members = [region]
    elif region:
        host, label = region, region
        state = region
    elif level in ("city", "county"):
        place = match_place(agencies, city=str(row.get("city") or ""), state=state or "", level=level)
        host, label, members = f"place:{place.place}", place.place, place.regions
        if not parts.series_regions.intersection(members):  # the place has no series: offer a stand-in
            stand = find_stand_in(parts.observations, agencies, place=place, dataset=dataset, metric=metric)
            if stand.region is not None:
                host, label, members = stand.region, str(stand.label), [stand.region]
    else:
        if not state:
            raise UserError(f"event {row['event_id']!r} has no state; name a host with --region")
        host, label = state, state
    spec = make_spec(row, events, host=host, host_label=label, days_before=days_before, days_after=days_after,
                     place=place, controls=controls, stand_in=stand)  # fmt: skip
    if stand is not None and stand.region is None:
        return Prepared(spec, None, f"{stand.reason}; {place.rule}" if place is not None else stand.reason)
    rows = parts.agency_rows
    periods = parts.stretch(spec.start)
    own_months = members is not None and not rows.empty and rows["region"].isin(members).any()
    if periods is not None and (own_months or (members is None and state)):
        host_members = members if members is not None else parts.state_places.get(state, [])
        panel = parts.agency_panel(host, host_members, label=label, state=state, periods=periods)
        if members is not None or np.isfinite(panel.values[0]).any():
            return Prepared(spec, panel)
        # The state's agencies give no monthly series; published state-year rows may still cover the event.
        published = parts.published
        if published is not None and _covers(published, host, spec):
            note = f"No monthly agency series: {panel.place_notes[host]}; the state-year rows are used."
            return Prepared(spec, replace(published, notes=[*published.notes, note]))  # the shared one unchanged
        return Prepared(spec, panel)
    if own_months:
        years = sorted(rows["period_start"].dt.year.unique())
        have = f"agency months exist for {', '.join(map(str, years))}"
        return Prepared(spec, None, f"a sub-state host needs police-agency months around the event, and {have}")
    if members is not None:  # agencies' own series of any period kind (a city police department's days)
        panel = parts.own_panel(host, members, label=label)
        if panel is None:
            return Prepared(spec, None, f"no {dataset} {metric} values for {label}{_elsewhere(parts, agencies)}")
        return Prepared(spec, panel)
    panel = parts.published
    if panel is None:
        return Prepared(spec, None, f"no {dataset} {metric} values for states{_elsewhere(parts, agencies, state)}")
    return Prepared(spec, panel)


def _elsewhere(parts: SeriesParts, agencies: pd.DataFrame, state: str | None = None) -> str:
    """'; places with this series: ...' (in ``state`` first), so an empty answer says where data are."""
    found = series_places(parts.observations, agencies)
    if found.empty:
        return ""
    if state is not None and (found["state"] == state).any():
        found = found[found["state"] == state]
    named = ", ".join(
        f"{r.label} ({r.region}, {r.kind}ly)".replace("dayly", "daily") for r in found.head(10).itertuples()
    )
    more = f" and {len(found) - 10} more" if len(found) > 10 else ""
    return f"; places with this series: {named}{more} (analyse one with --region, or --level city)"


def _covers(panel: Panel, host: str, spec: EventSpec) -> bool:
    if host not in panel.regions:
        return False
    inside = coverage(panel.periods["period_start"], panel.periods["period_end"], spec.window)["in_window"].to_numpy()
    return bool(inside.any() and np.isfinite(panel.values[panel.index(host)][inside]).all())


def _agency_state(agencies: pd.DataFrame, region: str) -> str:
    found = agencies[agencies["ori"] == region[4:]]
    if found.empty:
        raise UserError(f"unknown agency {region!r}; agencies are 'ori:' + a 7-character ORI from the agencies table")
    return str(found["state"].iloc[0])


def population_offset(panel: Panel, population: pd.DataFrame) -> tuple[np.ndarray, list[str]]:
    """log(population / 100,000) per region and period (the period's starting year), and the source ids.

    Regions or years without an estimate get NaN (never an invented population).
    """
    if panel.level != "region":
        raise UserError(
            "per-100,000 rates need Census population, which exists for states, not for police-agency sums; "
            "drop --rates or ask for a state-year series"
        )
    pop = latest_vintage(population)
    lookup = pop.set_index(["region", "year"])["population"]
    years = panel.periods["period_start"].dt.year.to_numpy()
    offset = np.full(panel.values.shape, np.nan)
    for i, region in enumerate(panel.regions):
        values = lookup.reindex(pd.MultiIndex.from_arrays([[region] * len(years), years])).to_numpy(dtype=float)
        with np.errstate(divide="ignore"):
            offset[i] = np.log(values / PER)
    used = pop[pop["region"].isin(panel.regions)]["source_id"].unique().tolist()
    return offset, sorted(used)
