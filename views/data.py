"""Cached loading and scoring, shared by every page.

The active dataset is the shipped one, or what the user uploaded in this session. Heavy results are
cached per (dataset, Method), so moving a widget that does not change the Method recomputes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st

from i18n import _
from indicators.catalogue import (
    Catalogue,
    country_names,
    data_dir,
    load_catalogue,
    load_countries,
    load_values,
    read_table,
)
from indicators.names import picker_labels
from present.errors import said
from scoring.alternatives import Variations
from scoring.method import Method
from scoring.pipeline import Prepared, Scorecard, build_scorecard, prepare
from scoring.schemas import ContractError, empty_published_indices, validate_published_indices
from scoring.sensitivity import DEFAULT_VARIATIONS
from scoring.uncertainty import monte_carlo
from views import state

SHIPPED = "shipped"
UNCERTAINTY_DRAWS = 1000
WEIGHT_NOISE = 0.25


@dataclass(frozen=True)
class Dataset:
    catalogue: Catalogue
    countries: pd.DataFrame
    values: pd.DataFrame
    token: str = SHIPPED  # identifies the data in cache keys: "shipped" or a hash of the upload

    @property
    def names(self) -> pd.Series:
        return country_names(self.countries)

    @property
    def picker_labels(self) -> dict[str, str]:
        """iso3 -> a country picker's label: the name, and the names people type that it lacks."""
        return picker_labels(self.names)

    @property
    def dimension_names(self) -> dict[str, str]:
        return self.catalogue.dimension_names()

    @property
    def side_names(self) -> dict[str, str]:
        """Reach and appeal by name ({} for a framework without sides)."""
        return self.catalogue.side_names()

    @property
    def id_names(self) -> dict[str, str]:
        """Every id an engine message may quote (country, indicator, dimension, side) -> its name
        in the run's language, for ``present.errors.said``."""
        return (
            self.catalogue.indicator_names()
            | self.dimension_names
            | self.side_names
            | self.names.to_dict()
        )


@st.cache_resource(show_spinner="Loading and validating the shipped data…")
def _shipped(folder: str) -> Dataset:
    # cache_resource: one validated copy per server process, never mutated by pages.
    catalogue = load_catalogue()
    countries = load_countries(Path(folder))
    return Dataset(catalogue, countries, load_values(catalogue, countries, Path(folder)))


def shipped_dataset() -> Dataset:
    """The shipped tables (data/, or $SCORECARD_DATA_DIR), validated; raises if they are broken."""
    return _shipped(str(data_dir()))


def broken_data_message(table: str, problem: str) -> str:
    """What is wrong with a shipped table and how to put it right, for the page."""
    return _(
        "{table} in `{folder}` {problem} Restore the shipped tables (`git checkout data/`) or "
        "rebuild them (`python -m indicators.build --sources <folder>`), then reload the page."
    ).format(table=table, folder=data_dir(), problem=problem)


def dataset_or_stop() -> Dataset:
    """The active dataset, or a readable error on the page (never a traceback) and a stop."""
    uploaded = st.session_state.get("uploaded_dataset")
    if uploaded is not None:
        return uploaded
    try:
        return shipped_dataset()
    except ContractError as error:
        st.error(
            broken_data_message(
                _("The shipped data"), _("failed validation ({error}).").format(error=error)
            )
        )
        st.dataframe(error.failures.astype(str), hide_index=True)
    except (OSError, ValueError) as error:
        st.error(
            broken_data_message(
                _("The shipped data"), _("could not be read: {error}.").format(error=error)
            )
        )
    st.stop()


@st.cache_resource(max_entries=8)
def _prepared(token: str, _data: Dataset) -> Prepared:
    return prepare(_data.values, _data.catalogue, countries=_data.countries)


@st.cache_resource(max_entries=64)
def _scorecard(token: str, method_key: str, _data: Dataset, _method: Method) -> Scorecard:
    return build_scorecard(_prepared(token, _data), method=_method, countries=_data.countries)


@st.cache_resource(max_entries=32)
def _uncertainty(
    token: str, method_key: str, draws: int, variations: Variations, _data: Dataset, _method: Method
) -> pd.DataFrame:
    scorecard = _scorecard(token, method_key, _data, _method)
    return monte_carlo(
        scorecard, draws=draws, weight_noise=WEIGHT_NOISE, variations=variations, seed=0
    )


def scorecard(data: Dataset, method: Method | None = None) -> Scorecard:
    """The scorecard for `method` (the current one by default); raises ValueError if impossible."""
    method = method or state.method()
    return _scorecard(data.token, method.to_json(), data, method)


def scorecard_or_stop(data: Dataset, method: Method | None = None) -> Scorecard:
    """The scorecard, or the reason it cannot be computed as a warning, and a stop."""
    try:
        return scorecard(data, method)
    except ValueError as error:
        st.warning(
            _(
                "These settings cannot be scored: {error}. Change them or reset to the defaults."
            ).format(error=said(error, data.id_names))
        )
        st.stop()


@st.cache_resource(max_entries=32)
def _alphas(token: str, method_key: str, _data: Dataset, _method: Method) -> pd.DataFrame:
    from scoring.audit import cronbach_by_dimension

    return cronbach_by_dimension(_scorecard(token, method_key, _data, _method))


def alphas(data: Dataset, method: Method | None = None) -> pd.DataFrame:
    """Cronbach's alpha per dimension (``scoring.audit.cronbach_by_dimension``), cached per Method."""
    method = method or state.method()
    return _alphas(data.token, method.to_json(), data, method)


def uncertainty(
    data: Dataset,
    method: Method | None = None,
    draws: int = UNCERTAINTY_DRAWS,
    variations: Variations | None = None,
) -> pd.DataFrame:
    """Monte Carlo rank and score intervals (±25 % noise on every weight, and the data and
    method choices of `variations`), cached per Method."""
    method = method or state.method()
    variations = variations or Variations()
    return _uncertainty(data.token, method.to_json(), draws, variations, data, method)


# ---- robustness analyses (Robustness page), cached per (dataset, Method)
SENSITIVITY_SAMPLES = 1000


@st.cache_resource(max_entries=32)
def _leave_one_out(token: str, method_key: str, _data: Dataset, _method: Method) -> pd.DataFrame:
    from scoring.sensitivity import leave_one_out as remove_each

    return remove_each(_scorecard(token, method_key, _data, _method))


def leave_one_out(data: Dataset, method: Method | None = None) -> pd.DataFrame:
    """Mean and max |rank change| with each weighted indicator and dimension removed."""
    method = method or state.method()
    return _leave_one_out(data.token, method.to_json(), data, method)


@st.cache_resource(max_entries=16)
def _sensitivity(
    token: str,
    method_key: str,
    country: str | None,
    variations: Variations,
    _data: Dataset,
    _method: Method,
) -> pd.DataFrame:
    from scoring.sensitivity import variance_sensitivity

    return variance_sensitivity(
        _scorecard(token, method_key, _data, _method),
        country=country,
        n=SENSITIVITY_SAMPLES,
        weight_noise=WEIGHT_NOISE,
        variations=variations,
        seed=0,
    )


def sensitivity(
    data: Dataset,
    country: str | None,
    variations: Variations = DEFAULT_VARIATIONS,
    method: Method | None = None,
) -> pd.DataFrame:
    """First-order and total variance-based indices (dimension weights ±25 % and the choices of
    `variations`) for `country`'s rank and the mean rank shift."""
    method = method or state.method()
    return _sensitivity(data.token, method.to_json(), country, variations, data, method)


# ---- validity (Validity page): published index results and the comparison with them
PUBLISHED_FILE = "published_indices.csv"
VALIDITY_DRAWS = 2000


def published_path() -> Path:
    """Where the published index results are read: the data folder's published_indices.csv."""
    return data_dir() / PUBLISHED_FILE


def _published_key() -> tuple[str, int | None]:
    path = published_path()
    try:
        return str(path), path.stat().st_mtime_ns
    except FileNotFoundError:
        return str(path), None


@st.cache_resource(max_entries=4, show_spinner=False)
def _published(path: str, modified: int | None) -> pd.DataFrame:
    # Keyed by the file's modification time: a rebuilt table is read again.
    if modified is None:
        return empty_published_indices()
    return validate_published_indices(read_table(Path(path)))


def published_indices() -> pd.DataFrame:
    """The published index results (index, edition, iso3, rank, score, source_url), validated
    and cached; an empty table with those columns when the file is absent. Raises ContractError
    (the failing cells) or OSError/ValueError when it is there but broken. Do not mutate."""
    return _published(*_published_key())


@st.cache_resource(max_entries=16)
def _external_validity(
    token: str, method_key: str, published_key: tuple, draws: int, _data: Dataset, _method: Method
) -> pd.DataFrame:
    from scoring.validity import external_validity as compare

    scores = _scorecard(token, method_key, _data, _method).results
    return compare(scores, _published(*published_key), draws=draws, seed=0)


def external_validity(
    data: Dataset, method: Method | None = None, draws: int = VALIDITY_DRAWS
) -> pd.DataFrame:
    """Spearman of our scores with each published index edition, 90 % bootstrap intervals
    (``scoring.validity.external_validity``, seed 0), cached per (dataset, Method, file)."""
    method = method or state.method()
    return _external_validity(data.token, method.to_json(), _published_key(), draws, data, method)


@st.cache_resource
def groups() -> dict[str, dict]:
    """Country groups (indicators/groups.yaml), read once per server process; do not mutate."""
    from indicators.countries import load_groups

    return load_groups()


def warm_up() -> None:
    """Fill the shared caches the first page reads (the shipped dataset and its default scorecard)
    and load plotly's figure machinery by building the landing chart once."""
    from present.rankings import ranking_figure, ranking_rows

    data = shipped_dataset()
    groups()
    default = scorecard(data, Method())
    alphas(data, Method())
    ranking_figure(default, data.catalogue, data.countries, ranking_rows(default.results, 30, None))
