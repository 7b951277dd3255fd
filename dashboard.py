"""Soft Power Scorecard: the pages and the shared sidebar (app.py serves this script)."""

import streamlit as st

st.set_page_config(page_title="Soft Power Scorecard", page_icon="🧭", layout="wide")

page = st.navigation(
    [
        st.Page("views/rankings.py", title="Rankings", icon=":material/leaderboard:", default=True),
        st.Page("views/country.py", title="Country scorecard", icon=":material/flag:"),
        st.Page("views/compare.py", title="Compare countries", icon=":material/compare_arrows:"),
        st.Page("views/method.py", title="Weights and method", icon=":material/tune:"),
        st.Page("views/robustness.py", title="Robustness", icon=":material/query_stats:"),
        st.Page("views/validity.py", title="Validity", icon=":material/fact_check:"),
        st.Page("views/methodology.py", title="Methodology", icon=":material/school:"),
        st.Page("views/sources.py", title="Indicators and sources", icon=":material/menu_book:"),
        st.Page("views/upload.py", title="Bring your own data", icon=":material/upload_file:"),
        st.Page("views/actor.py", title="Actor view", icon=":material/public:"),
        st.Page("views/scenarios.py", title="Scenarios", icon=":material/bookmarks:"),
    ]
)
# Every page's title, drawn before the data libraries are imported: on a fresh server it shows
# while app.py's warm-up is still loading them.
st.title(page.title)

from scoring import limits  # noqa: E402 (after the title, see above)
from scoring.pipeline import check_references  # noqa: E402
from views import sidebar, state  # noqa: E402
from views.data import dataset_or_stop  # noqa: E402
from views.text import md  # noqa: E402

try:
    limits.current()
except ValueError as error:  # a malformed SCORECARD_MAX_* variable: say which, on every page
    st.error(f"The server's limits are misconfigured: {md(error)}. Fix it and restart the app.")
    st.stop()
data = dataset_or_stop()
state.initialise(
    data.catalogue.framework(),
    list(data.dimension_names),
    set(data.countries["iso3"]),
    check=lambda method: check_references(method, data.countries),
)
sidebar.draw(data)
state.show_notices()
page.run()
state.write_url()
