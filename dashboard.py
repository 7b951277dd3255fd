"""Soft Power Scorecard: the pages and the shared sidebar (app.py serves this script)."""

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
        st.Page("views/rankings.py", title="Rankings", icon=":material/leaderboard:", default=True),
        st.Page("views/country.py", title="Country scorecard", icon=":material/flag:"),
        st.Page("views/compare.py", title="Compare", icon=":material/compare_arrows:"),
        st.Page("views/method.py", title="Weights and method", icon=":material/tune:"),
        st.Page("views/robustness.py", title="Robustness", icon=":material/query_stats:"),
        st.Page("views/sources.py", title="Indicators and sources", icon=":material/menu_book:"),
        st.Page("views/upload.py", title="Bring your own data", icon=":material/upload_file:"),
        st.Page("views/actor.py", title="Actor view", icon=":material/public:"),
        st.Page("views/scenarios.py", title="Scenarios", icon=":material/bookmarks:"),
    ]
)
state.show_notices()
page.run()
state.write_url()
