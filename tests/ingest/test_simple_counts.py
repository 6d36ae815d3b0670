"""A task force's own counts through the Data page's form: date,count (any count name) or date,region,count,
added in one all-or-nothing, idempotent ingest that Undo takes back whole, labelled as the user's in charts."""

from __future__ import annotations

import pandas as pd
import pytest
from support import assert_unchanged, snapshot

from hotline_trends.charts.base import series_name, source_line
from hotline_trends.errors import InputRejected, UserError
from hotline_trends.ingest.daily_counts import read_daily_counts
from hotline_trends.ingest.simple_counts import TEMPLATE, TEMPLATE_WITH_REGION, CountsForm, read_simple_counts
from hotline_trends.store import ingest
from hotline_trends.store.describe import describe_source
from hotline_trends.store.read import observations, query, sources
from hotline_trends.store.remove import remove_ingest

FORM = CountsForm(dataset="Houston tip line", metric="Tips", description="Houston HTRT tip log, 2024", region="TX")
EXPECTED = pd.DataFrame(
    {"period_start": ["2024-03-01", "2024-03-02", "2024-03-04"], "value": ["12", "9", "15"]}, dtype="str"
)


@pytest.mark.parametrize(
    "content",
    [
        b"date,count\n2024-03-01,12\n2024-03-02,9\n2024-03-03,\n2024-03-04,15\n",
        b"Date;Tips\r\n2024-03-04;15\r\n2024-03-01;12\r\n2024-03-02;9\r\n2024-03-03;\r\n",
        "\ufeffday\ttips received\n2024-03-01\t12\n2024-03-02\t9\n2024-03-04\t15\n".encode(),
    ],
    ids=["template", "semicolon-crlf-other-order", "bom-tab-any-count-name"],
)
def test_messy_variants_give_the_same_rows(content):
    _, counts = read_simple_counts(content, "tips.csv", form=FORM)
    result = counts.frame.sort_values("period_start").reset_index(drop=True)
    pd.testing.assert_frame_equal(result[["period_start", "value"]], EXPECTED)
    assert set(result["dataset"]) == {"houston_tip_line"} and set(result["metric"]) == {"tips"}
    assert set(result["region"]) == {"TX"} and (result["period_start"] == result["period_end"]).all()


def test_the_templates_read_as_they_say():
    assert len(read_simple_counts(TEMPLATE.encode(), "t.csv", form=FORM)[1].frame) == 3
    assert read_daily_counts(TEMPLATE.encode(), "t.csv")["count"].notna().sum() == 3  # the monitor reads it too
    by_region = read_simple_counts(TEMPLATE_WITH_REGION.encode(), "t.csv", form=FORM)[1].frame
    assert sorted(by_region["region"]) == ["LA", "TX", "TX"]


def test_a_region_column_takes_state_names_or_codes_and_one_line_per_day_and_state():
    content = b"date,state,tips\n2024-03-01,Texas,4\n2024-03-01,la,2\n2024-03-02,TX,5\n"
    frame = read_simple_counts(content, "t.csv", form=CountsForm("d", "m", "x"))[1].frame
    assert frame[["region", "value"]].values.tolist() == [["TX", "4"], ["LA", "2"], ["TX", "5"]]


BAD = {
    b"when,what,why\n2024-03-01,1,2\n": "the first line should name the columns, such as 'date,count'",
    b"date,count\n": "has the column names but no counts",
    b"": "is empty",
    b"date,count\n03/01/2024,1\n2024-03-02,-1\n2024-03-02,3\n": "3 bad rows of 3",
    b"date,region,count\n2024-03-01,Narnia,1\n": "'Narnia' is not a U.S. state",
    b"date,count\n2024-03-01,\n": "gives no count on any line",
}


@pytest.mark.parametrize("content", list(BAD), ids=range(len(BAD)))
def test_each_bad_file_says_what_is_wrong_in_plain_words(content):
    with pytest.raises(UserError) as problem:
        read_simple_counts(content, "t.csv", form=FORM)
    text = str(problem.value)
    assert BAD[content] in text
    assert "--" not in text and "hotline-trends" not in text  # no command line on the page


def test_every_bad_cell_is_listed_with_line_and_column():
    with pytest.raises(InputRejected) as problem:
        read_simple_counts(b"date,count\n03/01/2024,1\n2024-03-02,-1\n2024-03-02,3\n", "t.csv", form=FORM)
    found = [(p.line, p.column) for p in problem.value.problems]
    assert found == [(2, "date"), (3, "count"), (4, "date")]


@pytest.mark.parametrize(
    ("form", "words"),
    [
        (CountsForm("", "tips", "log", "TX"), "Give the dataset a name"),
        (CountsForm("d", " ", "log", "TX"), "Say what is counted"),
        (CountsForm("d", "tips", "", "TX"), "Describe the source"),
        (CountsForm("d", "tips", "log", None), "Choose the region"),
    ],
)
def test_an_incomplete_form_says_what_to_fill_in(form, words):
    with pytest.raises(UserError, match=words):
        read_simple_counts(TEMPLATE.encode(), "t.csv", form=form)


def test_adding_is_idempotent_keeps_history_and_undo_takes_it_all_back(store):
    before = snapshot(store)
    tables = read_simple_counts(TEMPLATE.encode(), "tips.csv", form=FORM)
    report = ingest(store, tables)
    rows = observations(store, dataset="houston_tip_line")
    assert len(rows) == 3 and set(rows["region"]) == {"TX"}
    assert ingest(store, read_simple_counts(TEMPLATE.encode(), "tips.csv", form=FORM)).ingest_id is None
    revised = TEMPLATE.replace("2024-03-02,9", "2024-03-02,10").encode()
    second = ingest(store, read_simple_counts(revised, "tips.csv", form=FORM))
    assert second.revised == 1
    history = query(store, "SELECT value FROM observations_v WHERE dataset = 'houston_tip_line' ORDER BY value")
    assert history["value"].tolist() == [9, 10, 12, 15]  # the old 9 is kept as a revision
    remove_ingest(store, second.ingest_id, confirm=True)
    remove_ingest(store, report.ingest_id, confirm=True)
    after = snapshot(store)
    removed = after.pop("ingests")
    assert removed["status"].tolist()[-2:] == ["removed", "removed"]  # the log keeps both, marked removed
    before.pop("ingests")
    assert_unchanged(before, after)


def test_a_rejected_file_changes_nothing(store):
    before = snapshot(store)
    with pytest.raises(UserError):
        ingest(store, read_simple_counts(b"date,count\n2024-03-01,x\n", "t.csv", form=FORM))
    assert_unchanged(before, snapshot(store))


def test_charts_name_the_series_as_the_users_upload_and_keep_a_description(store):
    tables = read_simple_counts(TEMPLATE.encode(), "tips.csv", form=FORM)
    ingest(store, tables)
    source_id = tables[0].frame["source_id"].iloc[0]
    known = sources(store)
    line = source_line([source_id], known)
    assert line == "Source: your upload: Houston HTRT tip log, 2024"
    assert "publisher not stated" not in line and "published" not in series_name(
        "observed (published)", [source_id], known
    )
    describe_source(store, source_id, {"publisher": "Houston HTRT", "location": "https://example.org/log"})
    assert source_line([source_id], sources(store)) == "Source: your upload: Houston HTRT tip log, 2024 (Houston HTRT)"
    # re-adding the same file keeps the description (columns the form cannot know are kept)
    assert ingest(store, read_simple_counts(TEMPLATE.encode(), "tips.csv", form=FORM)).ingest_id is None


def test_a_description_with_markup_reaches_plotly_inert():
    known = pd.DataFrame(
        {
            "source_id": ["s"],
            "publisher": [None],
            "title": ["<b>x</b>"],
            "retrieved_via": ["your upload (Data page form)"],
        }
    )
    assert series_name("observed", ["s"], known) == "your upload: &lt;b&gt;x&lt;/b&gt;"
