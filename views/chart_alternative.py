"""Under every chart: one sentence saying what it shows, and its data as a table on request, so
the chart can be read without seeing it (WCAG 1.1.1, text alternative)."""

from __future__ import annotations

import re

import plotly.graph_objects as go
import streamlit as st

from i18n import _
from present.chart_text import ChartText, describe
from views.text import md


def chart_alternative(fig: go.Figure, name: str, text: ChartText | None = None) -> None:
    """The sentence as a caption, the table in a collapsed expander built only once opened."""
    text = text or describe(fig)
    st.caption(md(text.sentence))
    key = "alt_" + (re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_") or "chart")
    panel = st.expander(_("Chart as a table"), key=key, on_change="rerun")
    if panel.open:
        with panel:
            st.dataframe(text.table, hide_index=True)


def show(fig: go.Figure, key: str, name: str | None = None, **options) -> None:
    """A chart drawn with its sentence as its accessible name, then the sentence and the table
    (its expander keyed by `name`, default `key`)."""
    text = describe(fig)
    st.plotly_chart(fig, key=key, alt=text.sentence, **options)
    chart_alternative(fig, name or key, text)
