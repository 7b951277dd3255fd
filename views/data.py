"""Cached loading of the shipped, validated tables, shared by every page."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from indicators.catalogue import Catalogue, load_catalogue, load_countries, load_values
from scoring.schemas import ContractError


@dataclass(frozen=True)
class Dataset:
    catalogue: Catalogue
    countries: pd.DataFrame
    values: pd.DataFrame


@st.cache_resource(show_spinner="Loading and validating the shipped data…")
def shipped_dataset() -> Dataset:
    # cache_resource: one validated copy per server process, never mutated by pages.
    catalogue = load_catalogue()
    countries = load_countries()
    return Dataset(catalogue, countries, load_values(catalogue, countries))


def dataset_or_stop() -> Dataset:
    """The dataset, or a readable error on the page (never a traceback) and a stop."""
    try:
        return shipped_dataset()
    except ContractError as error:
        st.error(f"The shipped data failed validation ({error}). Rebuild `data/` and restart.")
        st.dataframe(error.failures.astype(str), hide_index=True)
    except (OSError, ValueError) as error:
        st.error(f"The shipped data could not be read: {error}")
    st.stop()
