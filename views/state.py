"""The view's state: one Method plus the chosen countries, kept in the session and mirrored in the
URL, so that a copied link reopens the same view.

Widgets never own the state (Streamlit forgets the widgets of pages not shown): each widget is
seeded from the state when it appears and writes back through its on_change callback.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import streamlit as st

from scoring.method import Method
from views.text import md

# The app's own URL keys, beside the Method's (scoring.method.QUERY_KEYS).
COUNTRY, COMPARE = "country", "compare"
DEFAULT_COUNTRY = "RUS"
DEFAULT_COMPARE = ("RUS", "CHN", "USA", "DEU", "TUR")
MAX_COMPARE = 6
ACTOR, DEFAULT_ACTOR = "actor", "RUS"  # Actor view (views/actor.py)
URL_EXTRA = "url_extra"  # further non-default URL entries a view keeps (views/explain.py)


@dataclass(frozen=True)
class LinkState:
    """What a link asks for, every part checked; `notices` says what was replaced by a default."""

    method: Method
    country: str
    compare: list[str]
    actor: str
    notices: list[str]


def parse_link(
    params: Mapping[str, str],
    framework,
    dimensions: list[str],
    known_iso3: set[str],
    check: Callable[[Method], object] | None = None,
) -> LinkState:
    """Read the URL's query parameters. Anything unusable (a bad Method, unknown ids or codes, an
    over-long list, or what `check(method)` refuses with a ValueError, such as peers or an
    imputation group the countries table does not have) falls back to the default with a notice;
    this never raises. A Method that is valid but finds too little data in its years is kept:
    the pages say so, and the Indicators and sources page still shows those years' values."""
    notices = []
    try:
        method = Method.from_query(params, framework, strict=False).check_names(
            framework["indicator"], dimensions
        )
        if check is not None:
            check(method)
    except ValueError as error:
        method = Method()
        notices.append(
            f"The link's scoring settings could not be used ({_shown(str(error), 300)}); "
            "showing the defaults."
        )
    country = str(params.get(COUNTRY, DEFAULT_COUNTRY))
    if country not in known_iso3:
        notices.append(
            f"Unknown country code '{_shown(country)}' in the link; showing {DEFAULT_COUNTRY}."
        )
        country = DEFAULT_COUNTRY
    compare = [c for c in str(params.get(COMPARE, ",".join(DEFAULT_COMPARE))).split(",") if c]
    unknown = [code for code in compare if code not in known_iso3]
    if unknown:
        shown = ", ".join(_shown(code) for code in unknown[:MAX_COMPARE])
        more = f" and {len(unknown) - MAX_COMPARE} more" if len(unknown) > MAX_COMPARE else ""
        notices.append(f"Left out unknown country codes from the comparison: {shown}{more}.")
    known = list(dict.fromkeys(code for code in compare if code in known_iso3))
    if len(known) > MAX_COMPARE:
        notices.append(
            f"The link compares {len(known)} countries; showing the first {MAX_COMPARE}."
        )
    actor = str(params.get(ACTOR, DEFAULT_ACTOR))
    if actor not in known_iso3:
        notices.append(
            f"Unknown actor code '{_shown(actor)}' in the link; showing {DEFAULT_ACTOR}."
        )
        actor = DEFAULT_ACTOR
    return LinkState(method, country, known[:MAX_COMPARE], actor, notices)


def _shown(text: str, width: int = 20) -> str:
    """A link's text as quoted in a notice: cut short, so a pasted essay stays one line."""
    return text if len(text) <= width else text[: width - 1] + "…"


def initialise(
    framework,
    dimensions: list[str],
    known_iso3: set[str],
    check: Callable[[Method], object] | None = None,
) -> None:
    """Read the URL once per session; a tampered or stale link, or one whose Method `check`
    refuses (see parse_link), falls back to defaults with a notice."""
    if "method" in st.session_state:
        return
    link = parse_link(st.query_params.to_dict(), framework, dimensions, known_iso3, check)
    st.session_state.link_params = st.query_params.to_dict()  # as opened, for views' own keys
    st.session_state.method = link.method
    st.session_state.country = link.country
    st.session_state.compare = link.compare
    st.session_state.actor = link.actor
    st.session_state.notices = link.notices


def method() -> Method:
    return st.session_state.method


def set_method(new: Method) -> None:
    st.session_state.method = new


def country() -> str:
    return st.session_state.country


def set_country(iso3: str) -> None:
    st.session_state.country = iso3


def compare() -> list[str]:
    return st.session_state.compare


def set_compare(codes: list[str]) -> None:
    st.session_state.compare = list(codes)[:MAX_COMPARE]


def actor() -> str:
    return st.session_state.get("actor", DEFAULT_ACTOR)


def set_actor(iso3: str) -> None:
    st.session_state.actor = iso3


def show_notices() -> None:
    for notice in st.session_state.pop("notices", []):
        st.warning(md(notice), icon="⚠️")  # notices can quote the URL


def write_url() -> None:
    """Mirror the state in the URL (only non-default entries, to keep links short)."""
    wanted = dict(method().to_query())
    if country() != DEFAULT_COUNTRY:
        wanted[COUNTRY] = country()
    if tuple(compare()) != DEFAULT_COMPARE:
        wanted[COMPARE] = ",".join(compare())
    if actor() != DEFAULT_ACTOR:
        wanted[ACTOR] = actor()
    wanted |= st.session_state.get(URL_EXTRA, {})
    current = {key: value for key, value in st.query_params.to_dict().items()}
    if current != wanted:
        st.query_params.from_dict(wanted)


# A widget showing the state gets the state's value as its default (`value=`, a selectbox's
# `index=`, a multiselect's `default=`), never only through st.session_state: the browser, when it
# mounts such a widget again, can fall back to the default and send it back as the user's choice.
# With Streamlit's defaults (a slider's minimum, the first option) that once scored Rankings with
# every weight 0 after two clicks on its tabs.


def shown(key: str, value: Any) -> str:
    """Key of a widget that shows the state's value on every run (the state is the truth)."""
    st.session_state[key] = value
    return key


# Forgetting widgets is not enough on its own: the browser still holds their old values and sends
# them with the next request, and Streamlit then calls the old callbacks. Each callback remembers
# how many resets it has seen, so a stale one is recognised and forgets its widgets again.
RESETS, FORGOTTEN = "widget_resets", "widget_prefixes_forgotten"


def resets() -> int:
    """How many times the widgets were forgotten in this session."""
    return st.session_state.get(RESETS, 0)


def _drop_widget_values(prefixes: tuple[str, ...]) -> None:
    for key in [k for k in st.session_state if isinstance(k, str) and k.startswith(prefixes)]:
        del st.session_state[key]


def forget_widgets(prefixes: tuple[str, ...]) -> None:
    """Drop widget values so that they are seeded again from the state (after a reset or preset)."""
    _drop_widget_values(prefixes)
    st.session_state[RESETS] = resets() + 1
    st.session_state[FORGOTTEN] = prefixes


def on_change(update: Callable[[], Method]) -> Callable[[], None]:
    """A widget callback that replaces the Method; an impossible choice becomes a warning."""
    resets_seen = resets()

    def callback() -> None:
        if resets() != resets_seen:  # a widget from before a reset
            _drop_widget_values(st.session_state.get(FORGOTTEN, ()))
            return
        try:
            set_method(update())
        except ValueError as error:
            st.session_state.notices = [*st.session_state.get("notices", []), str(error)]

    return callback
