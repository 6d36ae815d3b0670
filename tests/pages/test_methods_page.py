"""The Methods & caveats page: sections chosen in the URL, the registered breaks and the research cited."""

from __future__ import annotations

import pytest
from support import page_app, query_value

from hotline_trends.analysis.breaks import BREAKS

pytestmark = pytest.mark.app


def test_the_page_opens_on_what_hotline_data_are_and_are_not(store):
    app = page_app("methods")
    assert not app.exception
    assert [t.value for t in app.title] == ["Methods & caveats"]
    text = " ".join(m.value for m in app.markdown)
    assert "help-seeking" in text and "signals" in text
    assert any("is not a comprehensive report" in c.value for c in app.caption)


def test_choosing_a_section_shows_it_and_updates_the_url(store):
    app = page_app("methods")
    app.radio(key="param_section").set_value("research").run()
    text = " ".join(m.value for m in app.markdown)
    assert query_value(app, "section") == "research"
    assert "What's the Cost of a Rumour?" in text and "arXiv:1602.05048" in text
    assert "doi:10.1007/s12117-022-09472-z" in text and "33 public events" in text


def test_a_url_opens_the_breaks(store):
    app = page_app("methods", {"section": "breaks"})
    table = app.dataframe[0].value
    assert table["title"].tolist() == [b.title for b in BREAKS]
    assert table["documented in"].tolist() == [b.basis for b in BREAKS]


def test_the_analysis_section_states_the_stand_in_rule_and_the_daily_terms(store):
    app = page_app("methods", {"section": "analysis"})
    text = " ".join(m.value for m in app.markdown)
    assert "no metro-area table" in text and "the one agency with this series in the county" in text
    assert "federal-holiday effect" in text and "measure enforcement" in text
