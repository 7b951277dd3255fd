"""Soft Power Scorecard server: `streamlit run app.py` serves the dashboard (dashboard.py).

At start-up a background thread imports the data libraries and loads, validates and scores the
shipped data, so the first visitor's page draws from warm caches instead of paying for them.
"""

import logging
import threading
from contextlib import asynccontextmanager

import streamlit as st

WARM_UP_THREAD = "warm-up"


@asynccontextmanager
async def warm_caches(_app):
    # A thread, not an await: the server answers at once and the warm-up runs beside it.
    threading.Thread(target=_warm_up, name=WARM_UP_THREAD, daemon=True).start()
    yield


def _warm_up() -> None:
    # Streamlit inspects the whole call stack at the first element a process draws (to warn when it
    # is not run by `streamlit run`); on the first page's deep stack that took 0.1-0.2 s.
    st.empty()
    from views.data import warm_up

    try:
        warm_up()
    except Exception:  # the first page loads the data itself and shows what is wrong
        logging.getLogger(__name__).warning("Warm-up failed", exc_info=True)


# The cached loaders' spinners warn when they run outside a page; here that is expected.
logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").addFilter(
    lambda record: threading.current_thread().name != WARM_UP_THREAD
)

app = st.App("dashboard.py", lifespan=warm_caches)
