"""Soft Power Scorecard: compare countries' soft power on real, cited indicators."""

import streamlit as st

st.set_page_config(page_title="Soft Power Scorecard", page_icon="🧭", layout="wide")

page = st.navigation(
    [st.Page("views/indicator_tables.py", title="Indicators by dimension", icon="📋", default=True)]
)
page.run()
