"""'What this means' on the Event pages: the plain-words explanation of a verdict and the words behind it."""

from __future__ import annotations

import streamlit as st

from hotline_trends.analysis.explain import RESEARCH_LINK, Explanation
from hotline_trends.pages.common import loaded, topojson_url
from hotline_trends.pages.readable import says
from hotline_trends.places import region_names
from hotline_trends.safe_text import inert


def in_time_sentence(placebo: dict) -> str:
    """The event among the host's own windows: the placebo rank the verdict uses."""
    t = placebo.get("in_time") or {}
    if not t.get("n"):
        return "In-time placebos (what the verdict uses): the host has no other window of this length to compare with."
    if t.get("rank") is None:
        return f"In-time placebos (what the verdict uses): {t['n']} of {t['owner']} {t['unit']}, but the event could not be ranked."
    enough = (
        ""
        if t.get("enough")
        else f"; with {t['n']} windows even rank 1 cannot reach 0.05 (at least {t.get('needed', 19)} are needed)"
    )
    return (
        f"In-time placebos (what the verdict uses): among {t['owner']} {t['unit']} the event ranks {t['rank']} of "
        f"{t['of']}, empirical p = {t['p_value']:.3g}{enough}."
    )


def region_name(code: str) -> str:
    """A region's name from the store ('Louisiana' for LA), or its code when the store has no name."""
    return region_names(loaded("table", name="regions")).get(code, code)


def research_href() -> str:
    """The Methods page's research section, under any base path of the server."""
    return topojson_url().removesuffix("app/static/") + RESEARCH_LINK


def show_explanation(explanation: Explanation) -> None:
    """Why this verdict, what it does not mean, what would settle it, the research and a glossary."""
    st.subheader("What this means")
    if explanation.reconcile:
        st.info("**Why these numbers do not contradict the verdict.** " + says(explanation.reconcile))
    left, right = st.columns(2)
    with left:
        st.markdown("**Why this verdict**")
        for sentence in explanation.why:
            st.write(says(sentence))
        st.markdown("**What it does not mean**")
        for sentence in explanation.not_meaning:
            st.write(says(sentence))
    with right:
        st.markdown("**What would settle it**")
        for sentence in explanation.settle:
            st.write(says(sentence))
        st.markdown(
            f"What the research on big events found, and why a spike is so hard to show: "
            f"[Methods & caveats → Research on big events]({research_href()})."
        )
    with st.expander("The statistical words on this page, in one line each"):
        for term, meaning in explanation.terms.items():
            st.markdown(f"**{inert(term)}**: {inert(meaning)}")
