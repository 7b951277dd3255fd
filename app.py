"""Soft Power Scorecard: compare countries' soft power on real, cited indicators."""

import streamlit as st

from views import sidebar, state
from views.data import dataset_or_stop

st.set_page_config(page_title="Soft Power Scorecard", page_icon="🧭", layout="wide")

data = dataset_or_stop()
state.initialise(
    data.catalogue.framework(), list(data.dimension_names), set(data.countries["iso3"])
)
sidebar.draw(data)

page = st.navigation(
    [
        st.Page("views/rankings.py", title="Rankings", icon="🏆", default=True),
        st.Page("views/country.py", title="Country scorecard", icon="🔎"),
        st.Page("views/compare.py", title="Compare", icon="⚖️"),
        st.Page("views/method.py", title="Weights and method", icon="🎚️"),
        st.Page("views/robustness.py", title="Robustness", icon="🎯"),
        st.Page("views/sources.py", title="Indicators and sources", icon="📚"),
        st.Page("views/upload.py", title="Bring your own data", icon="📤"),
        st.Page("views/actor.py", title="Actor view", icon="🌐"),
    ]
)
state.show_notices()
page.run()
state.write_url()
