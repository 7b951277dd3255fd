"""Soft Power Scorecard: the pages and the shared sidebar (app.py serves this script)."""

from pathlib import Path

import streamlit as st

import i18n
from i18n import _
from views import language

# The language first: every text below, the page titles included, is drawn in it.
i18n.use(language.current())
st.set_page_config(page_title=_("Soft Power Scorecard"), page_icon="🧭", layout="wide")
st.html(Path(__file__).parent / "static" / "accessibility.css")  # contrast Streamlit's theme misses
# ?embed=true&chart=NAME: one chart alone for an <iframe> (views/embed.py); no sidebar, no navigation
embedded = st.query_params.get("chart") if st.context.is_embedded else None

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
    ],
    position="hidden" if embedded else "sidebar",
)
# Every page's title, drawn before the data libraries are imported: on a fresh server it shows
# while app.py's warm-up is still loading them.
if not embedded:
    st.title(page.title)
    language.draw()

from scoring import limits  # noqa: E402 (after the title, see above)
from scoring.pipeline import check_references  # noqa: E402
from views import cite, sidebar, state  # noqa: E402
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
    names=lambda: data.id_names,
)
if embedded:
    from views import embed

    embed.draw(data, embedded, page.url_path)
    st.stop()
sidebar.draw(data)
state.show_notices()
# Above the page, so that pages which end early (st.stop) have it too; it reads the URL the last
# run wrote, which is the state the reader sees.
cite.draw(data, page.title, page.url_path or "rankings")
page.run()
state.write_url()
