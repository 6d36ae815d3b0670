"""The briefing's planning chart: the power to flag a rise, by average count a day and days of baseline."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from hotline_trends.charts import palette
from hotline_trends.charts.base import Chart, finish

SIMULATED = "simulated"


def power_curve_chart(curve: list[dict]) -> Chart:
    """One line per average count a day: power (y) against days of baseline (x), from ``planner_curve``."""
    data = pd.DataFrame(curve).assign(source_id=SIMULATED, reliability="simulated")
    first = curve[0]
    figure = go.Figure()
    for i, (mean, rows) in enumerate(data.groupby("mean_per_day", sort=True)):
        figure.add_trace(
            go.Scatter(
                x=rows["baseline_days"], y=rows["power"], mode="lines+markers", name=f"{mean:g} a day",
                line={"color": palette.SERIES[i % len(palette.SERIES)]},
                hovertemplate="%{x} days of baseline: %{y:.0%} power<extra>" + f"{mean:g} a day</extra>",
            )
        )  # fmt: skip
    figure.add_hline(y=0.8, line={"color": palette.EXPECTED, "dash": "dash"}, annotation_text="80% power")
    figure.update_xaxes(title_text="days of daily counts before the event (baseline)")
    figure.update_yaxes(title_text="power: chance the test flags the rise", tickformat=".0%", range=[0, 1])
    title = f"What a daily count could show: +{first['effect']:.0%} over {first['days']} days"
    processing = (
        f"simulated daily counts (seeded negative binomial, dispersion {first['dispersion']:g}, weekday pattern), "
        "each fitted and tested as a stored daily series is"
    )
    finish(figure, title=title, source="Source: simulation (no real data)", processing=processing, legend_right=True)
    return Chart(
        figure=figure, data=data, slug=f"plan-power-curve-{first['days']}d", title=title, sources=(),
        processing=processing, method="power of the model test on seeded simulated daily counts",
        parameters={"effect": first["effect"], "days": first["days"], "dispersion": first["dispersion"]},
        caveats=("Simulated: a planning guide, not a result; real counts with holidays, bursts or trends need more.",),
    )  # fmt: skip
