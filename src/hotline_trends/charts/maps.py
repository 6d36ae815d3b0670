"""U.S. choropleth of one value per state; states without a value are drawn grey and said to be missing.

Plotly draws ``locationmode="USA-states"`` from the topojson ``usa_110m.json``; the page passes its local
copy (``static/``) as ``topojsonURL`` and the PNG export reads the same file, so maps need no network.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

from hotline_trends.charts import palette
from hotline_trends.charts.base import hover_fields, plain

MAP_HEIGHT = 500


def state_map(
    values: pd.DataFrame,
    *,
    states: Mapping[str, str],
    column: str,
    colorbar_title: str,
    hover: Mapping[str, str],
) -> go.Figure:
    """Shade each state by ``values[column]``; states in ``states`` without a value are grey.

    Args:
        values: one row per region with a value (``region`` plus ``column`` and the ``hover`` columns).
            Regions plotly cannot place in the U.S. map (territories, 'US') are ignored here; the ranking
            table lists them.
        states: code -> name of every state the map should show (the 50 states and DC).
        column: the column to shade by (a count or a rate).
        colorbar_title: what the colour means, with its unit.
        hover: column -> label, shown on hover for states with a value.

    Returns:
        A figure (without title or source line: ``charts.base.finish`` adds them).
    """
    shown = values.loc[values["region"].isin(list(states)) & values[column].notna()].copy()
    shown["name"] = shown["region"].map(states)
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
            marker_line_color="white",
            marker_line_width=0.8,
            customdata=custom,
            hovertemplate=template,
            colorbar={"title": {"text": plain(colorbar_title), "side": "right"}, "thickness": 14, "len": 0.8},
        )
    )
    missing = sorted(set(states) - set(shown["region"]))
    if missing:
        figure.add_trace(
            go.Choropleth(
                name="no value (missing, not zero)",
                locations=missing,
                z=[0] * len(missing),
                locationmode="USA-states",
                colorscale=[[0, palette.MISSING], [1, palette.MISSING]],
                showscale=False,
                showlegend=True,
                marker_line_color="white",
                marker_line_width=0.8,
                customdata=[[plain(states[code])] for code in missing],
                hovertemplate="%{customdata[0]}: no value (missing, not zero)<extra></extra>",
            )
        )
    figure.update_geos(scope="usa", showlakes=False, bgcolor="rgba(0,0,0,0)")
    figure.update_layout(geo={"projection": {"type": "albers usa"}}, dragmode=False)
    return figure
