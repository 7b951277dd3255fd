"""Soft Power Scorecard: the pages and the shared sidebar (app.py serves this script)."""

import streamlit as st

import i18n
from i18n import _
from views import language

# The language first: every text below, the page titles included, is drawn in it.
i18n.use(language.current())
st.set_page_config(page_title=_("Soft Power Scorecard"), page_icon="🧭", layout="wide")

page = st.navigation(
    [
        st.Page(
            "views/rankings.py", title=_("Rankings"), icon=":material/leaderboard:", default=True
        ),
        st.Page("views/country.py", title=_("Country scorecard"), icon=":material/flag:"),
        st.Page("views/compare.py", title=_("Compare countries"), icon=":material/compare_arrows:"),
        st.Page("views/method.py", title=_("Weights and method"), icon=":material/tune:"),
        st.Page("views/robustness.py", title=_("Robustness"), icon=":material/query_stats:"),
        st.Page("views/validity.py", title=_("Validity"), icon=":material/fact_check:"),
        st.Page("views/methodology.py", title=_("Methodology"), icon=":material/school:"),
        st.Page("views/sources.py", title=_("Indicators and sources"), icon=":material/menu_book:"),
        st.Page("views/upload.py", title=_("Bring your own data"), icon=":material/upload_file:"),
        st.Page("views/actor.py", title=_("Actor view"), icon=":material/public:"),
        st.Page("views/scenarios.py", title=_("Scenarios"), icon=":material/bookmarks:"),
    ]
)
# Every page's title, drawn before the data libraries are imported: on a fresh server it shows
# while app.py's warm-up is still loading them.
st.title(page.title)
language.draw()

from scoring import limits  # noqa: E402 (after the title, see above)
from scoring.pipeline import check_references  # noqa: E402
from views import sidebar, state  # noqa: E402
from views.data import dataset_or_stop  # noqa: E402
from views.text import md  # noqa: E402

try:
    limits.current()
except ValueError as error:  # a malformed SCORECARD_MAX_* variable: say which, on every page
    st.error(
        _("The server's limits are misconfigured: {error}. Fix it and restart the app.").format(
            error=md(error)
        )
    )
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
