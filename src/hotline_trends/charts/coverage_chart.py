"""Which region-years have a value, shaded by the best reliability among them (a heatmap of the matrix)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from hotline_trends.charts import palette
from hotline_trends.charts.base import Chart, finish, source_line
from hotline_trends.coverage import coverage_matrix
from hotline_trends.vocabulary import dataset_label, metric_label

CODES = {"U": 0, "L": 1, "M": 2, "H": 3}
NAMES = ["unrated", "low", "medium", "high"]
LEGEND = (
    "Cell letter = best reliability of the values in that region-year: H high (official file, or two sources "
    "agree), M medium (one credible outlet), L low (aggregator or inferred year), U unrated (user data); "
    "lowercase = only part of the year (months, half-year); blank = no value (missing, not zero). "
    "Police-agency rows count in their state."
)


def _colorscale() -> list[list[object]]:
    """A stepped scale: code c (0..3, with zmin -0.5 and zmax 3.5) falls in the middle of its own flat band."""
    scale = []
    for code, name in enumerate(NAMES):
        scale += [[code / 4, palette.RELIABILITY[name]], [(code + 1) / 4, palette.RELIABILITY[name]]]
    return scale


def coverage_chart(
    rows: pd.DataFrame, cells: pd.DataFrame, *, dataset: str, metric: str, sources: pd.DataFrame
) -> Chart:
    """Heatmap of ``store.read.coverage`` rows; ``cells`` gives each region-year's source ids."""
    matrix = coverage_matrix(rows)
    order = sorted(matrix.index, key=lambda r: (r != "US", r))
    matrix = matrix.loc[order]
    codes = matrix.map(lambda cell: CODES.get(cell.upper()) if cell else None)
    figure = go.Figure(
        go.Heatmap(
            z=codes.astype("float").values,
            x=[str(c) for c in matrix.columns],
            y=list(matrix.index),
            text=matrix.values,
            texttemplate="%{text}",
            textfont={"size": 10},
            colorscale=_colorscale(),
            zmin=-0.5,
            zmax=3.5,
            showscale=False,
            xgap=2,
            ygap=2,
            hovertemplate="%{y} %{x}: %{text}<extra></extra>",
        )
    )
    figure.update_xaxes(title_text="year", side="top", type="category")
    figure.update_yaxes(title_text="region (USPS code)", autorange="reversed", type="category", tickfont={"size": 10})
    title = f"Coverage: {metric_label(metric)}"
    data = rows.merge(cells, on=["region", "year"], how="left")
    data = data[
        [
            c
            for c in [
                "region",
                "year",
                "dataset",
                "metric",
                "values",
                "reliability",
                "period_kinds",
                "agencies_reporting",
                "source_id",
            ]
            if c in data
        ]
    ]
    ids = tuple(sorted({s for cell in data["source_id"].dropna() for s in str(cell).split(";")}))
    finish(
        figure,
        title=title,
        source=source_line(ids, sources),
        processing=LEGEND,
        height=max(260, 16 * len(matrix) + 80),
    )
    figure.update_layout(margin={"t": 120})  # the year axis sits on top, under the title
    return Chart(
        figure=figure,
        data=data,
        slug=f"coverage-{dataset}-{metric}",
        title=title,
        sources=ids,
        processing=LEGEND,
        method=(
            f"Coverage matrix of {dataset_label(dataset)}: for each region and year, whether the store holds a "
            "value and its best reliability."
        ),
        parameters={"dataset": dataset, "metric": metric},
        caveats=("A blank cell means no value was published or collected, not zero.",),
    )
