"""The dashboard's colours, defined once so the same thing looks the same on every page and export.

Observed / expected / controls are reserved for event studies (the Event pages use them for the host
series, its expected band and the control regions); the overview and region pages use ``OBSERVED`` for the
published figures they show. Blue/orange/grey stay distinguishable with the common colour-vision
deficiencies.
"""

from __future__ import annotations

OBSERVED = "#1f5a99"  # what the source published
EXPECTED = "#6b6b6b"  # a model's expectation (line)
EXPECTED_BAND = "rgba(107, 107, 107, 0.22)"  # its prediction interval
CONTROLS = "#d9822b"  # control regions
PLACEBO = "#b8b8b8"  # placebo dates
DERIVED = "#7a7a7a"  # a sum or other figure computed here, not published as such
EVENT_BAND = "rgba(204, 102, 119, 0.20)"
EVENT_EDGE = "rgba(170, 51, 119, 0.75)"
BREAK = "#8c2d04"  # a registered break in how a series is measured
MISSING = "#e3e3e3"  # no value: missing, never zero
NO_VALUE = "#ffffff"  # a state without a value on the map (with a dark outline and a ×, see charts/maps.py)

# Best reliability of a region-year, shared by the coverage matrix (table and heatmap) and the data page.
RELIABILITY = {"high": "#1b7837", "medium": "#7fbf7b", "low": "#d9f0d3", "unrated": "#bdbdbd"}
RELIABILITY_SYMBOL = {"high": "circle", "medium": "diamond", "low": "triangle-up", "unrated": "x"}

# Sequential scale for counts and rates on the map: light = low, dark = high (never diverging: there is no
# meaningful midpoint for a count). The lightest stop is a clear blue, never near the white of "no value".
SEQUENTIAL = ["#c6dbef", "#85bcdb", "#4292c6", "#1f5a99", "#08306b"]

# Several series on one chart (the region page): observed blue first, then colours that are not the
# reserved expected grey or control orange.
SERIES = ["#1f5a99", "#2ca02c", "#9467bd", "#8c564b", "#17becf", "#bcbd22", "#e377c2", "#393b79"]

FONT = "Source Sans Pro, Helvetica, Arial, sans-serif"
