"""Every figure names its source and processing, has a title and units on its axes, and carries the data
behind it with source_id and reliability; text from files never reaches plotly as markup."""

from __future__ import annotations

import pandas as pd
import pytest

from hotline_trends.analysis import api
from hotline_trends.analysis.breaks import breaks_for
from hotline_trends.analysis.rollup import rollup
from hotline_trends.charts import Chart, palette
from hotline_trends.charts.base import annotation_text as note_with_breaks
from hotline_trends.charts.coverage_chart import coverage_chart
from hotline_trends.charts.event import controls_chart, expected_chart, placebo_chart
from hotline_trends.charts.overview import map_chart, ranking
from hotline_trends.charts.region import series_chart
from hotline_trends.charts.rollup_chart import rollup_chart, with_reliability
from hotline_trends.charts.selection import Selection, left_out, year_values
from hotline_trends.charts.study import events_chart, profile_chart
from hotline_trends.charts.trend import national_chart
from hotline_trends.coverage import cell_sources
from hotline_trends.places import states_and_dc
from hotline_trends.store import read

UNIT_WORDS = (
    "count",
    "per ",
    "year",
    "month",
    "USPS",
    "date",
    "agencies",
    "ratio",
    "standard-normal",
    "region",
    "placebo",
    "event",
)


@pytest.fixture(scope="module")
def frames(bundled_store) -> dict[str, pd.DataFrame]:
    return {
        "cases": read.observations(bundled_store, dataset="nhth", metric="cases"),
        "police": read.observations(bundled_store, dataset="fbi_ucr_ht"),
        "population": read.table(bundled_store, "population"),
        "regions": read.table(bundled_store, "regions"),
        "agencies": read.table(bundled_store, "agencies"),
        "sources": read.sources(bundled_store),
        "events": read.events(bundled_store),
        "event_table": read.table(bundled_store, "events"),
        "coverage": read.coverage(bundled_store, dataset="nhth", metric="cases"),
    }


def _all_charts(frames: dict[str, pd.DataFrame]) -> dict[str, Chart]:
    states = states_and_dc(frames["regions"])
    sources, population = frames["sources"], frames["population"]
    charts = {}
    for per_100k in (False, True):
        selection = Selection(dataset="nhth", metric="cases", year=2016, per_100k=per_100k)
        values = year_values(frames["cases"], population, year=2016)
        charts[f"map-{per_100k}"] = map_chart(values, selection=selection, states=states, sources=sources)
        charts[f"trend-{per_100k}"] = national_chart(
            frames["cases"], population, selection=selection, states=set(states), sources=sources
        )
    cells = cell_sources(frames["cases"], frames["agencies"])
    charts["coverage"] = coverage_chart(frames["coverage"], cells, dataset="nhth", metric="cases", sources=sources)
    fl = frames["cases"].loc[frames["cases"]["region"] == "FL"]
    events = frames["events"].loc[frames["events"]["state"] == "FL"]
    brk = breaks_for(dataset="nhth", metric="cases", start=fl["period_start"].min(), end=fl["period_end"].max())
    charts["series"] = series_chart(
        fl, place="Florida", dataset="nhth", events=events, breaks=brk, sources=sources, slug="fl"
    )
    agency_rows = frames["police"].loc[frames["police"]["region"].str.startswith("ori:TX")]
    rolled = rollup(agency_rows, frames["agencies"], level="state")
    kept = with_reliability(rolled.loc[rolled["region"] == "TX"], agency_rows)
    charts["rollup"] = rollup_chart(
        kept,
        place="Texas",
        processing=rolled.attrs["processing"],
        events=events.iloc[0:0],
        breaks=[],
        sources=sources,
        slug="tx",
    )
    charts.update(_event_charts(frames))
    return charts


def _event_charts(frames: dict[str, pd.DataFrame]) -> dict[str, Chart]:
    common = {"observations": frames["cases"], "events": frames["event_table"], "agencies": frames["agencies"]}
    result = api.analyse(**common, event_id="super-bowl-2013", dataset="nhth", metric="cases")
    study = api.study(**common, name="Super Bowl", dataset="nhth", metric="cases")
    sources, host = frames["sources"], frames["cases"].loc[frames["cases"]["region"] == "LA"]
    return {
        "event": expected_chart(result, rows=host, sources=sources),
        "controls": controls_chart(result, sources=sources),
        "placebos": placebo_chart(result, sources=sources),
        "profile": profile_chart(study, sources=sources),
        "study-events": events_chart(study, sources=sources),
    }


def annotation_text(figure, name: str = "source") -> str:
    """The note as one line: it is wrapped with <br> to fit the narrowest chart."""
    return note_with_breaks(figure, name).replace("<br>", " ")


def test_every_figure_has_a_title_units_and_a_source_line(frames):
    for name, chart in _all_charts(frames).items():
        figure = chart.figure
        assert figure.layout.title.text, name
        note = annotation_text(figure, "source")
        assert note.startswith("Source: ") and "Processing: " in note, name
        if chart.geo:
            titles = [t.colorbar.title.text for t in figure.data if getattr(t, "showscale", True) is not False]
        else:
            titles = [figure.layout.xaxis.title.text, figure.layout.yaxis.title.text]
        assert titles and all(t and any(w in t for w in UNIT_WORDS) for t in titles), (name, titles)
        assert {"source_id", "reliability"} <= set(chart.data.columns), name
        assert chart.sources and set(chart.sources) <= set(frames["sources"]["source_id"]), name
        assert chart.processing and chart.slug and chart.method, name


def test_rates_name_the_census_vintages_and_their_source(frames):
    charts = _all_charts(frames)
    for name in ("map-True", "trend-True"):
        note = annotation_text(charts[name].figure)
        assert "per 100,000 residents" in note and "vintage" in note, name
        assert "U.S. Census Bureau" in note, name
    assert "vintage 2019 for 2016" in charts["map-True"].processing


def test_hotline_figures_carry_the_polaris_statement(frames):
    charts = _all_charts(frames)
    for name in ("map-False", "trend-False", "series", "event", "profile", "study-events"):
        assert "is not a comprehensive report on the" in annotation_text(charts[name].figure), name
    assert "comprehensive report" not in annotation_text(charts["rollup"].figure)


def test_the_map_shades_every_state_with_a_value_and_marks_the_rest_as_no_value(frames):
    states = states_and_dc(frames["regions"])
    selection = Selection(dataset="nhth", metric="cases", year=2018)
    values = year_values(frames["cases"], frames["population"], year=2018)
    figure = map_chart(values, selection=selection, states=states, sources=frames["sources"]).figure
    shaded, missing, marks = figure.data
    with_value = set(values.loc[values["region"].isin(list(states)), "region"])
    assert set(shaded.locations) == with_value
    assert set(missing.locations) == set(marks.locations) == set(states) - with_value
    # "no value" is white with a dark outline and a × in the legend, never a colour of the value scale
    assert missing.colorscale[0][1] == palette.NO_VALUE not in palette.SEQUENTIAL
    assert missing.marker.line.color == "#4d4d4d" and missing.showlegend is False
    assert marks.name == "no value (missing, not zero)" and marks.showlegend and marks.marker.symbol == "x-thin"
    assert not shaded.showlegend
    florida = list(shaded.locations).index("FL")
    assert shaded.z[florida] == 767  # the annual value; the Jan-Jun 367 is left out and said so
    partial = left_out(frames["cases"], year=2018)
    assert 367 in set(partial.loc[partial["region"] == "FL", "value"])


def _contrast(a: str, b: str) -> float:
    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted([luminance(a), luminance(b)], reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_lightest_value_colour_stands_apart_from_no_value():
    assert _contrast(palette.SEQUENTIAL[0], palette.NO_VALUE) > 1.3


def test_one_outlier_cannot_flatten_the_colour_scale(frames):
    """Per 100,000 residents, DC's rate is several times any state's: the scale stops at the 95th percentile,
    the colour bar says "≥ cap" and the note under the map says which states lie above it."""
    states = states_and_dc(frames["regions"])
    selection = Selection(dataset="nhth", metric="cases", year=2016, per_100k=True)
    values = year_values(frames["cases"], frames["population"], year=2016)
    chart = map_chart(values, selection=selection, states=states, sources=frames["sources"])
    shaded = chart.figure.data[0]
    rates = values.loc[values["region"].isin(list(states))].set_index("region")["rate_per_100k"].dropna()
    assert rates["DC"] == rates.max()
    cap = rates.quantile(0.95)
    assert shaded.zmax == pytest.approx(cap)
    assert shaded.colorbar.ticktext[-1].startswith("≥ ")
    assert list(shaded.z) == pytest.approx(list(rates.loc[list(shaded.locations)]))  # true values, hover too
    note = annotation_text(chart.figure)
    assert "capped at the 95th percentile" in note and "District of Columbia" in note
    # below the cap, states now spread over the scale instead of sitting in its lightest tenth
    below = rates.loc[rates <= cap]
    assert (below / cap).median() > 0.2 and (below / rates.max()).median() < (below / cap).median()


def test_a_scale_without_an_outlier_runs_to_the_highest_value(frames):
    states = states_and_dc(frames["regions"])
    selection = Selection(dataset="nhth", metric="cases", year=2016)
    values = year_values(frames["cases"], frames["population"], year=2016)
    counts = values.loc[values["region"].isin(list(states))].set_index("region")["value"]
    chart = map_chart(values, selection=selection, states=states, sources=frames["sources"])
    shaded = chart.figure.data[0]
    capped = counts.max() > 1.25 * counts.quantile(0.95)
    assert (shaded.zmax < counts.max()) == capped
    assert ("capped at the 95th percentile" in annotation_text(chart.figure)) == capped
    assert not shaded.colorbar.ticktext[-1].startswith("≥") or capped


def test_the_ranking_matches_the_map_values(frames):
    states = states_and_dc(frames["regions"])
    selection = Selection(dataset="nhth", metric="cases", year=2016)
    values = year_values(frames["cases"], frames["population"], year=2016)
    result = ranking(values, selection=selection, states=states)
    by_value = values.loc[values["region"].isin(list(states))].sort_values("value", ascending=False)
    assert result["region"].iloc[0] == by_value["region"].iloc[0]
    assert result.set_index("region").loc["FL", "rank_label"] == "3"
    assert {"source_id", "reliability", "rank_label", "name"} <= set(result.columns)


def test_half_years_are_drawn_hollow_and_named_not_comparable(frames):
    chart = _all_charts(frames)["series"]
    partial = [t for t in chart.figure.data if t.name and "not comparable" in t.name]
    assert partial, "the FL 2018 Jan-Jun value must be drawn apart from annual values"
    assert all(str(s).endswith("-open") for t in partial for s in t.marker.symbol)
    assert set(chart.data.loc[chart.data["period_kind"] == "half-year", "value"]) == {367}


def test_breaks_and_events_are_drawn_on_region_charts(frames):
    chart = _all_charts(frames)["series"]
    texts = [a.text for a in chart.figure.layout.annotations]
    assert any("calls → signals" in t for t in texts)
    dashed = [s for s in chart.figure.layout.shapes if s.line.dash == "dash"]
    assert dashed and dashed[0].line.color == palette.BREAK
    bands = [s for s in chart.figure.layout.shapes if s.fillcolor == palette.EVENT_BAND]
    fl_events = frames["events"].loc[frames["events"]["state"] == "FL"]
    assert len(bands) == len(fl_events)


def test_the_rollup_carries_how_many_agencies_reported(frames):
    chart = _all_charts(frames)["rollup"]
    assert chart.data["agencies_reporting"].gt(0).all()
    bars = [t for t in chart.figure.data if t.type == "bar"]
    assert bars and bars[0].name.startswith("agencies reporting")


def test_text_from_files_is_escaped_in_figures(frames):
    events = pd.DataFrame(
        {
            "name": ["<a href='https://e.vil'>Bowl</a>"],
            "start_date": pd.to_datetime(["2016-02-07"]),
            "end_date": pd.to_datetime(["2016-02-07"]),
            "city": ["<b>City</b>"],
            "state": ["FL"],
            "category": ["sports"],
            "source_id": ["x"],
        }
    )
    fl = frames["cases"].loc[frames["cases"]["region"] == "FL"]
    chart = series_chart(
        fl, place="<i>Florida</i>", dataset="nhth", events=events, breaks=[], sources=frames["sources"], slug="x"
    )
    texts = [chart.figure.layout.title.text, *(a.text for a in chart.figure.layout.annotations)]
    texts += [h for t in chart.figure.data if t.hovertext is not None for h in t.hovertext]
    joined = " ".join(texts)
    assert "<a href" not in joined and "<b>City" not in joined and "<i>Florida" not in joined
    assert "&lt;a href='https://e.vil'&gt;Bowl&lt;/a&gt;" in joined and "&lt;i&gt;Florida" in joined


def _cell(chart: Chart, region: str, year: str) -> str:
    heatmap = chart.figure.data[0]
    return heatmap.text[list(heatmap.y).index(region)][list(heatmap.x).index(year)]


def test_coverage_cells_keep_lowercase_for_part_years(frames, bundled_store):
    calls = read.observations(bundled_store, dataset="nhth", metric="calls")
    chart = coverage_chart(
        read.coverage(bundled_store, dataset="nhth", metric="calls"),
        cell_sources(calls, frames["agencies"]),
        dataset="nhth",
        metric="calls",
        sources=frames["sources"],
    )
    assert _cell(chart, "GA", "2017") == "m"  # Jan-Jun 2017 calls only
    cases = _all_charts(frames)["coverage"]
    # GA 2017 cases: a Jan-Jun value and (since the second shared pass) a full-year one, which counts.
    assert _cell(cases, "GA", "2017") == "M"
    assert list(cases.figure.data[0].y)[0] == "US"


def test_the_event_chart_draws_the_band_the_window_and_the_break(frames):
    result = _event_charts(frames)["event"]
    band, expected, observed = result.figure.data
    assert band.fill == "toself" and band.fillcolor == palette.EXPECTED_BAND
    assert expected.line.color == palette.EXPECTED and observed.line.color == palette.OBSERVED
    # the band runs over the periods with an expectation (2012-2016, before the 2017 break) and back
    assert len(band.y) == 2 * result.data["expected"].notna().sum() == 10
    assert max(observed.marker.size) > min(observed.marker.size)  # the window's year stands out
    shapes = [s for s in result.figure.layout.shapes if s.type == "rect"]
    assert len(shapes) == 1 and str(shapes[0].x0).startswith("2013-01-31")
    assert any(a.text.startswith("Hotline: calls") for a in result.figure.layout.annotations)


def test_placebo_and_control_charts_mark_the_event_and_host_in_their_colours(frames):
    charts = _event_charts(frames)
    controls = charts["controls"].figure
    assert controls.data[0].marker.color == palette.CONTROLS and controls.data[2].marker.color == palette.OBSERVED
    assert set(charts["controls"].data["role"]) == {"control", "host"}
    placebos = charts["placebos"].figure
    assert all(t.marker.color == palette.PLACEBO for t in placebos.data)
    assert len(charts["placebos"].data) == sum(len(t.x) for t in placebos.data)
