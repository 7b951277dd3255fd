"""The view's state: one Method plus the chosen countries, kept in the session and mirrored in the
URL, so that a copied link reopens the same view.

Widgets never own the state (Streamlit forgets the widgets of pages not shown): each widget is
seeded from the state when it appears and writes back through its on_change callback; see
`widget_key` for how a widget follows the state when the state changes without it.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import streamlit as st

import i18n
from i18n import _
from present.compare import DEFAULT_COMPARE
from present.errors import said
from scoring.alternatives import SWITCHES
from scoring.method import Method
from views import language
from views.text import md

# The app's own URL keys, beside the Method's (scoring.method.QUERY_KEYS).
COUNTRY, COMPARE = "country", "compare"
DEFAULT_COUNTRY = "RUS"
MAX_COMPARE = 6
ACTOR, DEFAULT_ACTOR = "actor", "RUS"  # Actor view (views/actor.py)
VARY = "vary"  # Robustness: what the rank intervals vary besides the weights (SWITCHES)
URL_EXTRA = "url_extra"  # further non-default URL entries a view keeps (views/explain.py)


@dataclass(frozen=True)
class LinkState:
    """What a link asks for, every part checked; `notices` says what was replaced by a default."""

    method: Method
    country: str
    compare: list[str]
    actor: str
    notices: list[str]
    vary: tuple[str, ...] = ()


def parse_link(
    params: Mapping[str, str],
    framework,
    dimensions: list[str],
    known_iso3: set[str],
    check: Callable[[Method], object] | None = None,
    names: Mapping[str, str] | None = None,
) -> LinkState:
    """Read the URL's query parameters. Anything unusable (a bad Method, unknown ids or codes, an
    over-long list, or what `check(method)` refuses with a ValueError, such as peers or an
    imputation group the countries table does not have) falls back to the default with a notice
    in the run's language (`names`: ids -> names for it); this never raises. A Method that is
    valid but finds too little data in its years is kept: the pages say so, and the Indicators
    and sources page still shows those years' values."""
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
            _(
                "The link's scoring settings could not be used ({error}); showing the defaults."
            ).format(error=_shown(said(error, names), 300))
        )
    country = str(params.get(COUNTRY, DEFAULT_COUNTRY))
    if country not in known_iso3:
        notices.append(
            _("Unknown country code '{code}' in the link; showing {default}.").format(
                code=_shown(country), default=DEFAULT_COUNTRY
            )
        )
        country = DEFAULT_COUNTRY
    compare = [c for c in str(params.get(COMPARE, ",".join(DEFAULT_COMPARE))).split(",") if c]
    unknown = [code for code in compare if code not in known_iso3]
    if unknown:
        shown = ", ".join(_shown(code) for code in unknown[:MAX_COMPARE])
        if len(unknown) > MAX_COMPARE:
            shown = _("{codes} and {count} more").format(
                codes=shown, count=len(unknown) - MAX_COMPARE
            )
        notices.append(
            _("Left out unknown country codes from the comparison: {codes}.").format(codes=shown)
        )
    known = list(dict.fromkeys(code for code in compare if code in known_iso3))
    if len(known) > MAX_COMPARE:
        notices.append(
            _("The link compares {count} countries; showing the first {shown}.").format(
                count=len(known), shown=MAX_COMPARE
            )
        )
    actor = str(params.get(ACTOR, DEFAULT_ACTOR))
    if actor not in known_iso3:
        notices.append(
            _("Unknown actor code '{code}' in the link; showing {default}.").format(
                code=_shown(actor), default=DEFAULT_ACTOR
            )
        )
        actor = DEFAULT_ACTOR
    asked = [v for v in str(params.get(VARY, "")).split(",") if v]
    if any(v not in SWITCHES for v in asked):
        notices.append(
            _("Left out unknown choices to vary from the link: '{choices}'.").format(
                choices=_shown(params[VARY])
            )
        )
    vary = tuple(v for v in SWITCHES if v in asked)
    return LinkState(method, country, known[:MAX_COMPARE], actor, notices, vary)


def _shown(text: str, width: int = 20) -> str:
    """A link's text as quoted in a notice: cut short, so a pasted essay stays one line."""
    return text if len(text) <= width else text[: width - 1] + "…"


def initialise(
    framework,
    dimensions: list[str],
    known_iso3: set[str],
    check: Callable[[Method], object] | None = None,
    names: Callable[[], Mapping[str, str]] | None = None,
) -> None:
    """Read the URL once per session; a tampered or stale link, or one whose Method `check`
    refuses (see parse_link), falls back to defaults with a notice (`names()`: ids -> names for
    it, asked only when the link is read)."""
    if "method" in st.session_state:
        return
    link = parse_link(
        st.query_params.to_dict(),
        framework,
        dimensions,
        known_iso3,
        check,
        names() if names else None,
    )
    st.session_state.link_params = st.query_params.to_dict()  # as opened, for views' own keys
    st.session_state.method = link.method
    st.session_state.country = link.country
    st.session_state.compare = link.compare
    st.session_state.actor = link.actor
    st.session_state.vary = link.vary
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


def vary() -> tuple[str, ...]:
    return st.session_state.get("vary", ())


def set_vary(switches) -> None:
    st.session_state.vary = tuple(v for v in SWITCHES if v in switches)


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
    if vary():
        wanted[VARY] = ",".join(vary())
    if language.current() != i18n.DEFAULT:
        wanted[language.KEY] = language.current()
    wanted |= st.session_state.get(URL_EXTRA, {})
    current = {key: value for key, value in st.query_params.to_dict().items()}
    if current != wanted:
        st.query_params.from_dict(wanted)


# ---- widgets that show the state: one mechanism
# A widget showing the state is keyed `widget_key(name, value)` and gets `value` as its default
# (`value=`, a selectbox's `index=`, a multiselect's `default=`); its callback reads
# `widget_value(name)` and writes the state. While widget and state agree the key stays. When the
# state moved on without the widget (a reset, a weight set, a loaded scenario, a refused choice)
# the widget gets a new key: it is drawn anew from the state, and what the browser still holds
# for the old key belongs to a widget that no longer exists, so no old callback runs.
# The state is never written into a widget through st.session_state as well: Streamlit warns
# about a default plus such a write, and the browser, when it mounts the widget again, can fall
# back to the default (with Streamlit's own, a slider's minimum, that once scored Rankings with
# every weight 0).
WIDGET_KEYS = "widget_keys"


def _agree(shown: Any, value: Any) -> bool:
    """Whether a widget's value is the state's (lists and tuples alike; numbers to 1e-12)."""
    if isinstance(shown, list | tuple) and isinstance(value, list | tuple):
        return list(shown) == list(value)
    numbers = (int, float)
    if isinstance(shown, numbers) and isinstance(value, numbers):
        return abs(float(shown) - float(value)) <= 1e-12
    return shown == value


def widget_key(name: str, value: Any) -> str:
    """Key of the widget `name` showing the state's `value`: a new one when the state moved on."""
    keys = st.session_state.setdefault(WIDGET_KEYS, {})
    key = keys.get(name, name)
    if key in st.session_state and not _agree(st.session_state[key], value):
        generation = int(key.rpartition("@")[2]) if "@" in key else 0
        key = keys[name] = f"{name}@{generation + 1}"
    return key


class WidgetGone(Exception):
    """A widget's change arrived after the widget was drawn again under a new key (an upload or
    a link moved the state on): the state it will be drawn from stands."""


def widget_value(name: str) -> Any:
    """The value of the widget `name` (in its callback: what the user chose)."""
    key = st.session_state.get(WIDGET_KEYS, {}).get(name, name)
    if key not in st.session_state:
        raise WidgetGone(key)
    return st.session_state[key]


def on_change(update: Callable[[], Method]) -> Callable[[], None]:
    """A widget callback that replaces the Method; an impossible choice becomes a warning (and
    the widget, no longer agreeing with the state, is drawn again from it)."""

    @callback
    def changed() -> None:
        try:
            set_method(update())
        except ValueError as error:
            st.session_state.notices = [*st.session_state.get("notices", []), said(error)]

    return changed


def callback(action: Callable[..., None]) -> Callable[..., None]:
    """A widget callback that does nothing when its widget's change came too late."""

    @functools.wraps(action)
    def run(*args, **kwargs) -> None:
        with contextlib.suppress(WidgetGone):
            action(*args, **kwargs)

    return run
