"""Pages a person can read: names, not codes; '–', never 'None' or 'nan'; the verdict explained in plain words;
controls that keep the nearest valid choice and say so. (The sweep runs the same wording check on every
event and event type: ``sweep.render``.)"""

from __future__ import annotations

import json

import pytest
from support import page_app, query_value
from words import codes, page_texts, wording_problems

from hotline_trends.store.read import table

pytestmark = pytest.mark.app

VIEWS = [
    ("event", {"event": "super-bowl-2007"}),  # insufficient data: blanks, not None
    ("overview", {"dataset": "fbi_ucr_ht", "metric": "actual_csa"}),  # a metric code with an underscore
]


@pytest.mark.parametrize(("page", "query"), VIEWS, ids=[f"{p}-{'-'.join(q.values())}" for p, q in VIEWS])
def test_pages_name_things_and_never_show_none(store, page, query):
    app = page_app(page, query)
    assert not app.exception
    assert wording_problems(page_texts(app), codes(table(store, "sources"))) == []


def test_super_bowl_xlvii_explains_why_strong_numbers_do_not_contradict_cannot_tell(store):
    app = page_app("event", {"event": "super-bowl-2013"})
    assert wording_problems(page_texts(app), codes(table(store, "sources"))) == []
    texts = " ".join(page_texts(app))
    assert "What this means" in [s.value for s in app.subheader]
    box = next(i.value for i in app.info if "do not contradict" in i.value)
    for words in ("p = 0.00033", "rank 1 of 55 among all placebos", "the year 2013 in Louisiana",
                  "(1.9%; at least 50% is needed)", "rank 1 of 5"):  # fmt: skip
        assert words in box, words
    assert "In-time placebos (what the verdict uses): among the host's own years the event ranks 1 of 5" in texts
    assert "methods?section=research" in texts
    assert "Benjamini" not in texts and "**mid-p**" in texts  # the event glossary, in its expander


def test_event_types_explain_the_pooled_verdict_and_rank_the_events_as_bars_with_their_own_png(store):
    app = page_app("event_types")  # every Super Bowl, most of them untested: blanks, not None
    assert not app.exception
    assert wording_problems(page_texts(app), codes(table(store, "sources"))) == []
    assert "What this means" in [s.value for s in app.subheader]
    charts = [json.loads(c.proto.spec) for c in app.get("plotly_chart")]
    ranking = next(c for c in charts if "events ranked by observed / expected" in c["layout"]["title"]["text"])
    bars = ranking["data"][0]
    assert bars["type"] == "bar" and len(bars["y"]) == 8  # the 8 Super Bowls that could be tested
    assert [y.split(".")[0] for y in bars["y"]] == [str(i) for i in range(1, 9)]
    ratios = [float(t.split(" ")[0]) for t in bars["text"]]  # '1.89 · cannot tell · q 0.0036'
    assert ratios == sorted(ratios, reverse=True)
    assert any(b.key == "types-2-png" for b in app.get("download_button"))
    reasons = next(t.value for t in app.table if "reason" in t.value.columns)["reason"]
    assert reasons.str.len().max() > 150 and not reasons.str.endswith("…").any()  # whole, in a table that wraps


def test_switching_the_metric_keeps_the_nearest_year_and_says_so(store):
    app = page_app("overview", {"dataset": "nhth", "metric": "cases", "year": "2012"})
    assert query_value(app, "year") == "2012"
    app.selectbox(key="param_metric").set_value("victims").run()  # victims: state values from 2017 on
    assert not app.exception
    nearest = min(int(y) for y in app.selectbox(key="param_year").options)
    assert nearest > 2012 and query_value(app, "year") == str(nearest)
    notes = [c.value for c in app.caption if "is not available for this choice" in c.value]
    assert notes == [f"Year: 2012 is not available for this choice, so it shows {nearest} (the nearest) instead."]
    app.selectbox(key="param_year").set_value(max(int(y) for y in app.selectbox(key="param_year").options)).run()
    assert not [c.value for c in app.caption if "is not available" in c.value]  # said once, not forever
