"""The three questions, from store frames: one event, a pooled event type, what an N-day event could show.

``analyse(region=...)`` analyses a chosen place (a state, or an agency 'ori:...') instead of the event's own;
``places_with_series`` lists the agencies a series exists for, to offer as such a choice.

The CLI and the dashboard load frames with ``hotline_trends.store.read`` and call these; nothing here
touches the disk. Mistakes a user can fix (an unknown event, dataset, metric or region) raise
``UserError`` with what exists; too little data is an ``insufficient data`` result, never an exception.

Example (with frames from ``store.read``)::

    result = analyse(observations=obs, events=ev, agencies=ag, event_id="super-bowl-2013",
                     dataset="nhth", metric="cases")
    result.verdict, result.reason
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from hotline_trends.analysis import agencypanel
from hotline_trends.analysis.describe import dataset_caveats
from hotline_trends.analysis.event import analyse_event, insufficient
from hotline_trends.analysis.eventplan import Insufficient, Settings
from hotline_trends.analysis.eventtypes import exact_type, match_type, pick_events, with_types
from hotline_trends.analysis.inputs import SeriesParts, check_series, event_row, population_offset, prepare
from hotline_trends.analysis.ownpanel import agency_label, own_panel, series_places
from hotline_trends.analysis.panel import kinds_of, panel_from_regions
from hotline_trends.analysis.power import PowerResult, power
from hotline_trends.analysis.results import EventResult, StudyResult
from hotline_trends.analysis.study import run_study
from hotline_trends.analysis.verdict import frequency_word
from hotline_trends.analysis.windows import DAYS_AROUND
from hotline_trends.errors import UserError


def analyse(
    *,
    observations: pd.DataFrame,
    events: pd.DataFrame,
    agencies: pd.DataFrame,
    event_id: str,
    dataset: str,
    metric: str,
    population: pd.DataFrame | None = None,
    region: str | None = None,
    level: str = "state",
    controls: tuple[str, ...] | None = None,
    days_before: int = DAYS_AROUND,
    days_after: int = DAYS_AROUND,
    settings: Settings | None = None,
    parts: SeriesParts | None = None,
) -> EventResult:
    """One event on one series (``event`` in the CLI). ``population`` given: per-100,000 rates.

    ``parts`` (a ``SeriesParts`` of these frames, dataset and metric) lets many calls share the panels.
    """
    check_series(observations, dataset=dataset, metric=metric)
    _check_region(observations, agencies, region=region, dataset=dataset)
    row = event_row(events, event_id)
    prepared = prepare(
        observations, agencies, events, row, dataset=dataset, metric=metric, region=region, level=level,
        days_before=days_before, days_after=days_after, controls=controls, parts=parts,
    )  # fmt: skip
    if prepared.panel is None:
        found = insufficient(Insufficient(prepared.spec, None, prepared.reason or "no series"))
        # no panel to name the series: the request does, with what such counts measure
        found.dataset, found.metric = dataset, metric
        found.caveats = list(dict.fromkeys([*dataset_caveats(dataset, metric), *found.caveats]))
        return found
    if controls:
        unknown = [c for c in controls if c not in prepared.panel.regions]
        if unknown:
            raise UserError(
                f"unknown control region(s) {', '.join(unknown)} for this series; it has: "
                f"{', '.join(r for r in prepared.panel.regions if not r.startswith('place:'))}"
            )
    offset, pop_sources = None, []
    if population is not None:
        offset, pop_sources = population_offset(prepared.panel, population)
    return analyse_event(
        prepared.panel, prepared.spec, settings=settings, offset=offset, extra_sources=tuple(pop_sources)
    )


def study(
    *,
    observations: pd.DataFrame,
    events: pd.DataFrame,
    agencies: pd.DataFrame,
    dataset: str,
    metric: str,
    name: str | None = None,
    event_type: str | None = None,
    event_ids: Sequence[str] | None = None,
    population: pd.DataFrame | None = None,
    level: str = "state",
    days_before: int = DAYS_AROUND,
    days_after: int = DAYS_AROUND,
    settings: Settings | None = None,
    parts: SeriesParts | None = None,
) -> StudyResult:
    """Events pooled (``study`` in the CLI): every instance of a type, or the events listed.

    Give exactly one of ``name`` (a type by id or label text, matched loosely), ``event_type`` (a type id
    exactly, e.g. a user's own 'marathon') or ``event_ids`` (any events, pooled as one group).
    ``parts`` as in :func:`analyse`.
    """
    check_series(observations, dataset=dataset, metric=metric)
    kind, label, instances = _instances(events, name=name, event_type=event_type, event_ids=event_ids)
    items, offsets, pop_sources, panels = [], {}, set(), {}
    if parts is None:  # built once for every instance
        parts = SeriesParts(observations, agencies, dataset=dataset, metric=metric)
    for _, row in instances.iterrows():
        prepared = prepare(
            observations, agencies, events, row, dataset=dataset, metric=metric, level=level,
            days_before=days_before, days_after=days_after, parts=parts,
        )  # fmt: skip
        panel = prepared.panel
        if panel is not None:  # events on the same series share one panel object, so their fits batch together
            key = (panel.level, panel.kind, tuple(panel.periods["period_start"]), tuple(panel.regions))
            panel = panels.setdefault(key, panel)
            if population is not None and id(panel) not in offsets:
                offsets[id(panel)], used = population_offset(panel, population)
                pop_sources.update(used)
        items.append((panel, prepared.spec, prepared.reason))
    return run_study(
        items, event_type=kind, label=label, dataset=dataset, metric=metric,
        settings=settings, offsets=offsets, extra_sources=tuple(sorted(pop_sources)),
    )  # fmt: skip


def places_with_series(
    *, observations: pd.DataFrame, agencies: pd.DataFrame, dataset: str, metric: str, state: str | None = None
) -> pd.DataFrame:
    """The police agencies with a series of this dataset and metric (in ``state`` if given): the places a
    page can offer for ``analyse(region=...)`` when an event's city has none.

    Columns: region ('ori:...'), label, state, county, kind (finest period kind), first, last, periods.

    Example (with frames from ``store.read``)::

        places_with_series(observations=obs, agencies=ag, dataset="police_incidents", metric="prostitution")
        # one row: ori:CA03801, San Francisco Police Department (CA03801), CA, SAN FRANCISCO, day, ...
    """
    check_series(observations, dataset=dataset, metric=metric)
    rows = observations.loc[((observations["dataset"] == dataset) & (observations["metric"] == metric)).to_numpy()]
    return series_places(rows, agencies, state=state)


SELECTION = "selection"  # the event_type of a study of listed events of more than one type


def _instances(
    events: pd.DataFrame, *, name: str | None, event_type: str | None, event_ids: Sequence[str] | None
) -> tuple[str, str, pd.DataFrame]:
    """(type id, label, event rows) of a study request; UserError when it names nothing or too much."""
    given = [k for k, v in (("name", name), ("event_type", event_type), ("event_ids", event_ids)) if v is not None]
    if len(given) != 1:
        raise UserError("name the events to pool one way: by type name, by exact type id, or by listing their ids")
    typed = with_types(events)
    if event_ids is not None:
        ids = pick_events(events, event_ids)
        rows = typed.set_index("event_id", drop=False).loc[ids]
        kinds = rows["event_type"].unique()
        if len(kinds) == 1:
            return str(kinds[0]), str(rows["type_label"].iloc[0]), rows
        return SELECTION, f"{len(ids)} selected events ({len(kinds)} types)", rows
    kind = exact_type(events, event_type) if event_type is not None else match_type(events, str(name))
    rows = typed[typed["event_type"] == kind]
    return kind, str(rows["type_label"].iloc[0]), rows


def detectability(
    *,
    observations: pd.DataFrame,
    agencies: pd.DataFrame,
    region: str,
    dataset: str,
    metric: str,
    days: int,
    effect: float = 0.25,
    kinds: tuple[str, ...] | None = None,
) -> PowerResult:
    """The smallest change an N-day event could show on one series (``power`` in the CLI).

    ``kinds`` keeps only periods of those kinds (the Event page asks ``("month", "week", "day")``: what finer
    data would allow). The region is checked against every row, so a state without such periods gets an
    ``insufficient data`` result saying so, not an error.

    Example (with frames from ``store.read``)::

        detectability(observations=obs, agencies=ag, region="CA", dataset="fbi_ucr_ht",
                      metric="actual_total", days=7, kinds=("month", "week", "day")).reason
        # 'insufficient data: no monthly, weekly or daily fbi_ucr_ht actual_total values for CA: ...'
    """
    check_series(observations, dataset=dataset, metric=metric)
    # Any place the store knows is a fair question; a series without it answers "insufficient data".
    _check_region(observations, agencies, region=region, dataset=None)
    if days < 1:
        raise UserError(f"--days must be 1 or more, not {days}")
    if kinds is not None:
        rows = observations[(observations["dataset"] == dataset) & (observations["metric"] == metric)]
        observations = rows[kinds_of(rows).isin(kinds).to_numpy()] if not rows.empty else rows
    panel = panel_from_regions(observations, dataset=dataset, metric=metric)
    missing = None
    if region.startswith("ori:") or panel is None or region not in panel.regions:
        rows = agencypanel.agency_rows(observations, dataset=dataset, metric=metric)
        members = [region] if region.startswith("ori:") else agencypanel.state_members(agencies, region)
        reported = rows[rows["region"].isin(members)] if not rows.empty else rows
        periods = agencypanel.stretch(rows, reported["period_start"].max()) if not reported.empty else None
        panel = None
        if periods is None and region.startswith("ori:"):  # an agency's own series of another period kind
            mine = observations.loc[
                ((observations["dataset"] == dataset) & (observations["metric"] == metric)).to_numpy()
            ]
            panel = own_panel(mine, host=region, members=[region], label=agency_label(agencies, region),
                              agencies=agencies, dataset=dataset, metric=metric)  # fmt: skip
            if panel is not None:
                return power(panel, region=region, days=days, effect=effect)
        if periods is not None:
            panel = agencypanel.panel_from_agencies(
                rows, places={region: members}, periods=periods, dataset=dataset, metric=metric
            )
            if not np.isfinite(panel.values[0]).any():
                missing = f"not one agency reported every month ({panel.place_notes[region]})"
        elif not members:
            missing = f"the agencies table lists no police agency of {region}"
        else:
            missing = f"none of its {len(members)} police agencies has a monthly value"
    if panel is None or missing:
        words = _either([frequency_word(k) for k in dict.fromkeys(kinds or ())])
        what = " ".join(w for w in (words, dataset, metric) if w)
        return PowerResult(
            region, dataset, metric, None, days, None,
            f"insufficient data: no {what} values for {region}" + (f": {missing}." if missing else "."),
        )  # fmt: skip
    return power(panel, region=region, days=days, effect=effect)


def _either(words: list[str]) -> str:
    """'monthly, weekly or daily'."""
    return " or ".join([", ".join(words[:-1]), words[-1]] if len(words) > 1 else words)


def _check_region(
    observations: pd.DataFrame, agencies: pd.DataFrame, *, region: str | None, dataset: str | None
) -> None:
    """UserError unless ``region`` is an agency, a region of ``dataset`` (of any dataset if None) or a state
    with agencies."""
    if region is None:
        return
    if region.startswith("ori:"):
        if region[4:] not in set(agencies["ori"]):
            raise UserError(
                f"unknown agency {region!r}; agencies are 'ori:' + a 7-character ORI (see the agencies table)"
            )
        return
    rows = observations if dataset is None else observations.loc[observations["dataset"] == dataset]
    if not ((rows["region"] == region).any() or (agencies["state"] == region).any()):
        known = set(rows["region"].unique()) | set(agencies["state"].unique())
        states = sorted(r for r in known if not str(r).startswith("ori:"))
        where = f" for {dataset}" if dataset else ""
        raise UserError(f"unknown region {region!r}{where}; use a USPS code such as {', '.join(states[:12])}, ...")
