"""U.S. choropleth of one value per state; states without a value are drawn so they cannot pass for a low one.

Plotly draws ``locationmode="USA-states"`` from the topojson ``usa_110m.json``; the page passes its local
copy (``static/``) as ``topojsonURL`` and the PNG export reads the same file, so maps need no network.

Two choices keep the map honest when read at a glance:

- "no value" is white with a dark outline and a × on the state (a legend entry says what it means), while
  the lightest value colour is a clear blue: missing never looks like a low value.
- one outlier (DC per 100,000 residents) would push every other state into the lightest colours, so the
  colour scale stops at the 95th percentile of the states' values when the highest lies well above it;
  states above are drawn in the darkest colour, the colour bar says "≥ cap", and ``ColourScale.sentence``
  says so under the map. Hovers always show the true value.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from hotline_trends.charts import palette
from hotline_trends.charts.base import hover_fields, plain

MAP_HEIGHT = 500
CAP_PERCENTILE = 95
# Cap only when the highest value is this many times the percentile: a scale that ends a little above the
# percentile is already readable, and an uncapped scale is simpler to read.
OUTLIER_FACTOR = 1.25
NO_VALUE = "no value (missing, not zero)"
NO_VALUE_LINE = "#4d4d4d"


@dataclass(frozen=True)
class ColourScale:
    """Where the colours stop: ``top`` is the highest value or the cap; ``above`` names the capped states."""

    top: float
    capped: bool
    above: tuple[str, ...] = ()

    def sentence(self, *, unit: str) -> str:
        """The scale in words for the note under the map ('' when it simply runs from 0 to the highest)."""
        if not self.capped:
            return ""
        who = ", ".join(self.above)
        return (
            f"colour scale capped at the {CAP_PERCENTILE}th percentile of the states' values ({_number(self.top)} "
            f"{unit}) so one outlier cannot wash out the rest; {who} above it, drawn as ≥ {_number(self.top)} "
            "(hover for the value)"
        )


def _number(value: float) -> str:
    return f"{value:,.0f}" if value >= 100 else f"{value:,.2f}".rstrip("0").rstrip(".")


def colour_scale(values: pd.Series, names: Mapping[str, str] | None = None) -> ColourScale:
    """The top of the colour scale for ``values`` (indexed by region code), capped against one outlier.

    Example:
        >>> colour_scale(pd.Series({"A": 1.0, "B": 2.0, "C": 3.0})).capped
        False
        >>> scale = colour_scale(pd.Series([1.0] * 20 + [2.0, 40.0], index=[f"S{i}" for i in range(22)]))
        >>> scale.capped, scale.above
        (True, ('S21', 'S20'))
    """
    finite = values.dropna().astype(float)
    if finite.empty:
        return ColourScale(top=1.0, capped=False)
    highest = float(finite.max())
    cap = float(np.percentile(finite.to_numpy(), CAP_PERCENTILE))
    if cap <= 0 or highest <= cap * OUTLIER_FACTOR:
        return ColourScale(top=highest if highest > 0 else 1.0, capped=False)
    above = finite.loc[finite > cap].sort_values(ascending=False)
    labels = tuple((names or {}).get(code, code) for code in above.index)
    return ColourScale(top=cap, capped=True, above=labels)


def _ticks(scale: ColourScale) -> dict[str, object]:
    values = np.linspace(0, scale.top, 5)
    text = [_number(v) for v in values]
    if scale.capped:
        text[-1] = f"≥ {text[-1]}"
    return {"tickvals": values.tolist(), "ticktext": text}


def state_map(
    values: pd.DataFrame,
    *,
    states: Mapping[str, str],
    column: str,
    colorbar_title: str,
    hover: Mapping[str, str],
) -> tuple[go.Figure, ColourScale]:
    """Shade each state by ``values[column]``; states in ``states`` without a value are marked "no value".

    Args:
        values: one row per region with a value (``region`` plus ``column`` and the ``hover`` columns).
            Regions plotly cannot place in the U.S. map (territories, 'US') are ignored here; the ranking
            table lists them.
        states: code -> name of every state the map should show (the 50 states and DC).
        column: the column to shade by (a count or a rate).
        colorbar_title: what the colour means, with its unit.
        hover: column -> label, shown on hover for states with a value.

    Returns:
        A figure (without title or source line: ``charts.base.finish`` adds them) and its colour scale.
    """
    shown = values.loc[values["region"].isin(list(states)) & values[column].notna()].copy()
    shown["name"] = shown["region"].map(states)
    scale = colour_scale(shown.set_index("region")[column], states)
    custom, template = hover_fields(shown, {"name": "state", **hover})
    figure = go.Figure()
    figure.add_trace(
        go.Choropleth(
            name="value",
            locations=shown["region"].tolist(),
            z=shown[column].astype(float).tolist(),
            locationmode="USA-states",
            colorscale=palette.SEQUENTIAL,
            zmin=0,
            zmax=scale.top,
            marker_line_color="white",
            marker_line_width=0.8,
            customdata=custom,
            hovertemplate=template,
            showlegend=False,
            colorbar={
                "title": {"text": plain(colorbar_title), "side": "right"},
                "thickness": 14,
                "len": 0.8,
                **_ticks(scale),
            },
        )
    )
    missing = sorted(set(states) - set(shown["region"]))
    if missing:
        _add_missing(figure, missing, states)
    figure.update_geos(scope="usa", showlakes=False, bgcolor="rgba(0,0,0,0)")
    figure.update_layout(geo={"projection": {"type": "albers usa"}}, dragmode=False)
    return figure, scale


def _add_missing(figure: go.Figure, missing: list[str], states: Mapping[str, str]) -> None:
    """White states with a dark outline, and a × on each (the legend entry): never a shade of the scale."""
    custom = [[plain(states[code])] for code in missing]
    figure.add_trace(
        go.Choropleth(
            name=NO_VALUE,
            locations=missing,
            z=[0] * len(missing),
            locationmode="USA-states",
            colorscale=[[0, palette.NO_VALUE], [1, palette.NO_VALUE]],
            showscale=False,
            showlegend=False,
            marker_line_color=NO_VALUE_LINE,
            marker_line_width=1.6,
            customdata=custom,
            hovertemplate=f"%{{customdata[0]}}: {NO_VALUE}<extra></extra>",
        )
    )
    figure.add_trace(
        go.Scattergeo(
            name=NO_VALUE,
            locations=missing,
            locationmode="USA-states",
            mode="markers",
            marker={"symbol": "x-thin", "size": 11, "line": {"width": 2, "color": NO_VALUE_LINE}},
            customdata=custom,
            hovertemplate=f"%{{customdata[0]}}: {NO_VALUE}<extra></extra>",
            showlegend=True,
        )
    )
