"""Methodology: what the scorecard measures and why, every indicator's rationale, and the formulas
of the Method in use, rendered from the catalogue (docs/methodology.md is the same text for the
default Method)."""

import streamlit as st

from exports.methodology import methodology_markdown
from i18n import _
from views import state
from views.data import dataset_or_stop
from views.text import md

data = dataset_or_stop()

st.caption(_("Rendered from the indicator catalogue; the formulas follow the sidebar's Method."))
document = methodology_markdown(data.catalogue, state.method(), text=md)
st.markdown(document.removeprefix("# {}\n".format(_("Methodology"))))
