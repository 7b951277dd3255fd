"""The language switch: English or Russian, kept in the session and in the URL (`lang=ru`), and
told to the browser (the page's `lang` attribute, which screen readers and translators read)."""

from __future__ import annotations

import streamlit as st

import i18n
from i18n import _

KEY = "lang"  # the session's language and the URL entry alike (views.state writes the URL)
SWITCH = "language_switch"


def current() -> str:
    """The session's language: the link's at first, then the switch's."""
    if KEY not in st.session_state:
        asked = str(st.query_params.get(KEY, i18n.DEFAULT))
        st.session_state[KEY] = asked if asked in i18n.LANGUAGES else i18n.DEFAULT
    return st.session_state[KEY]


def _switched() -> None:
    st.session_state[KEY] = st.session_state[SWITCH]


def draw() -> None:
    """The switch at the top of the sidebar, and the page's `lang` attribute."""
    code = current()
    st.sidebar.segmented_control(
        "Language · Язык",
        list(i18n.LANGUAGES),
        default=code,
        format_func=i18n.LANGUAGES.get,
        key=SWITCH,
        on_change=_switched,
        required=True,
    )
    tell_the_browser(code)


def tell_the_browser(code: str) -> None:
    """The page's `lang` attribute, and the languages the browser formats numbers in: Streamlit's
    grid writes "localized" and percentage cells with ``Intl`` in ``navigator.languages``, which
    would otherwise be the reader's browser's, not the app's (present.tables.grid)."""
    tag = i18n.LOCALES[code].replace("_", "-")
    st.html(
        "<script>"
        f"document.documentElement.lang = {code!r};"
        "Object.defineProperty(Navigator.prototype, 'languages', "
        f"{{get: () => [{tag!r}, {code!r}], configurable: true}});"
        "</script>",
        unsafe_allow_javascript=True,
    )


def tabs(labels: list[str], key: str, **options):
    """`st.tabs` with translated labels. The open tab is kept as its shown label, so one opened
    in another language (or named in English by a link or a test) is mapped to this one's."""
    shown = [_(label) for label in labels]
    chosen = st.session_state.get(key)
    if chosen is not None and chosen not in shown:
        for english, label in zip(labels, shown, strict=True):
            if chosen in {
                english,
                *(i18n.translations(c).gettext(english) for c in i18n.LANGUAGES),
            }:
                st.session_state[key] = label
                break
    return st.tabs(shown, key=key, **options)
