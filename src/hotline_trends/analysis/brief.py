"""The planner's briefing for one event, upcoming or past (``brief`` in the CLI, the Plan page).

It gathers, from store frames only: the host and every series the store holds for it
(``brief_series``), what each could detect for an event this long and what a daily count the planner
could keep would (``brief_power``), what past instances of the event's type showed (``api.study``), the
research (text the caller passes, with its citations), and what to collect (``brief_checklist``).

Example (with frames from ``store.read``)::

    b = briefing(observations=obs, events=ev, agencies=ag, sources=src, event_id="super-bowl-2027")
    b.series[0]["mde"], b.past.verdict
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

import pandas as pd

from hotline_trends.analysis import api
from hotline_trends.analysis.brief_checklist import checklist
from hotline_trends.analysis.brief_power import planner_curve, series_power
from hotline_trends.analysis.brief_series import host_places, host_series
from hotline_trends.analysis.eventtypes import with_types
from hotline_trends.analysis.inputs import event_row
from hotline_trends.analysis.results import StudyResult, jsonable
from hotline_trends.analysis.windows import DAYS_AROUND

EFFECT = 0.25
SOURCE_FIELDS = ["source_id", "publisher", "title", "location"]


@dataclass
class Briefing:
    event: dict
    event_type: str
    type_label: str
    upcoming: bool  # no stored series reaches the event's days yet
    window: dict
    host: dict
    series: list[dict]
    curve: list[dict]
    past: StudyResult | None
    past_note: str
    research: str
    checklist: list[dict]
    sources: list[dict] = field(default_factory=list)
    caveats: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        out = {f.name: jsonable(getattr(self, f.name)) for f in fields(self) if f.name != "past"}
        past = self.past.to_dict() if self.past is not None else None
        out["past"] = jsonable({k: v for k, v in past.items() if k != "details"}) if past else None
        return out


def briefing(
    *,
    observations: pd.DataFrame,
    events: pd.DataFrame,
    agencies: pd.DataFrame,
    sources: pd.DataFrame,
    event_id: str,
    research: str = "",
    study_dataset: str = "nhth",
    study_metric: str = "cases",
    days_before: int = DAYS_AROUND,
    days_after: int = DAYS_AROUND,
    effect: float = EFFECT,
    seed: int = 0,
) -> Briefing:
    """Everything a planner needs about ``event_id`` (see the module docstring). Unknown id: UserError."""
    row = event_row(events, event_id)
    start, end = pd.Timestamp(row["start_date"]), pd.Timestamp(row["end_date"])
    first, last = start - pd.Timedelta(days=days_before), end + pd.Timedelta(days=days_after)
    days = int((last - first).days) + 1
    state, city = (str(row[k]) if pd.notna(row[k]) else "" for k in ("state", "city"))
    inventory = host_series(observations, agencies, city=city, state=state) if state else []
    for item in inventory:
        found = series_power(observations, agencies, item, days=days, effect=effect)
        item.update({k: found[k] for k in ("mde", "mde_event_days", "power", "detectable", "reason")})
        item["tested"] = found["frequency"]  # the period kind the test used
    inventory.sort(key=lambda s: (s["mde"] is None, s["mde"] or 0.0))  # what could show most, first
    data_end = observations["period_end"].max() if not observations.empty else None
    past, note = _past(observations, events, agencies, row, study_dataset, study_metric, days_before, days_after)
    own = [str(row[k]) for k in ("source_id", "other_source_ids") if k in row and pd.notna(row[k])]
    used = {s.strip() for ids in own for s in ids.split(";") if s.strip()}  # the event's own date sources first
    used |= {s for item in inventory for s in item["sources"]} | set(past.sources if past else [])
    places = host_places(agencies, city=city, state=state) if state else {}
    police = [a["name"] for level in ("city", "county") for a in places.get(level, {}).get("agencies", [])]
    return Briefing(
        event=jsonable(row.drop(labels=["type_label"]).to_dict()),
        event_type=str(row["event_type"]),
        type_label=str(row["type_label"]),
        upcoming=bool(data_end is None or first > data_end),
        window={
            "start": first.date().isoformat(),
            "end": last.date().isoformat(),
            "days": days,
            "days_before": days_before,
            "days_after": days_after,
        },  # fmt: skip
        host={"state": state, "city": city, "venue": row.get("venue"), "places": places},
        series=inventory,
        curve=planner_curve(days=days, effect=effect, seed=seed),
        past=past,
        past_note=note,
        research=research,
        checklist=checklist(
            state=state or "the host state",
            city=city or "the host city",
            police=sorted(set(police)),
            start=first.date().isoformat(),
        ),  # fmt: skip
        sources=sources.loc[sources["source_id"].isin(used), SOURCE_FIELDS].to_dict("records"),
        caveats=_caveats(inventory, data_end, first),
    )


def _past(observations, events, agencies, row, dataset, metric, days_before, days_after):
    """The pooled study of the type's instances that began before this event, or None and why."""
    typed = with_types(events)
    earlier = typed[(typed["event_type"] == row["event_type"]) & (typed["start_date"] < row["start_date"])]
    what = f"{row['type_label']} before {str(row['start_date'])[:10]}"
    if earlier.empty:
        return None, f"no earlier {what} in the store's calendar to learn from"
    study = api.study(
        observations=observations, events=events, agencies=agencies, dataset=dataset, metric=metric,
        event_ids=list(earlier["event_id"]), days_before=days_before, days_after=days_after,
    )  # fmt: skip
    return (
        study,
        f"{len(earlier)} earlier {what.replace(' before', ' event(s) before')}, each tested on {dataset} {metric} and pooled",
    )


def _caveats(inventory: list[dict], data_end, first: pd.Timestamp) -> list[str]:
    out = [
        "Hotline counts measure help-seeking and police counts measure enforcement (a sting is a burst of "
        "arrests); neither measures how much trafficking occurs.",
        "Minimum detectable changes come from each series' own past; the series may change before the event "
        "(new reporting, a new records system), which the figures cannot foresee.",
        "The tip-line curve is simulated (seeded negative-binomial days with a weekday pattern): a planning "
        "guide, not a promise; real counts with holidays, bursts or trends need more.",
    ]
    if not inventory:
        out.append("The store holds no series for this host: every figure here is the simulated planning curve.")
    if data_end is not None and first > data_end:
        out.append(f"No stored series reaches the event yet (data end {data_end.date()}): the event is upcoming.")
    return out
