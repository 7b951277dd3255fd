"""Method: defaults, validation, and round trips through TOML, JSON and the URL query form."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scoring.aggregate import AGGREGATORS
from scoring.impute import IMPUTERS
from scoring.method import QUERY_KEYS, Method
from scoring.normalise import NORMALISERS
from scoring.treat import TREATMENTS
from scoring.weights import WEIGHT_PRESETS

FRAMEWORK = pd.DataFrame(
    {
        "indicator": ["rsf_press_freedom", "fh_free_media", "eiti_status_score"],
        "dimension": ["media_reach", "media_reach", "eiti_participation"],
        "direction": [1, 1, 1],
        "weight": [1.0, 1.0, 1.0],
    }
)


def test_defaults_are_the_catalogue_defaults():
    m = Method()
    assert m.year is None
    assert m.year_window == (2010, 2025)
    assert m.min_coverage == 0.5
    assert m.min_dimension_coverage == 0.0
    assert (m.imputation, m.outlier_treatment) == ("none", "none")
    assert m.normalisation == "min_max"
    assert m.normalisation_settings == {"low": 0.0, "high": 100.0, "goalposts": 1.0}
    assert (m.min_indicator_share, m.min_dimension_share) == (0.5, 0.75)
    assert m.side_weights == (("appeal", 1.0), ("reach", 1.0))
    assert (m.indicator_aggregation, m.dimension_aggregation) == ("arithmetic", "arithmetic")
    assert m.weight_preset == "catalogue"
    assert m.indicator_weights == () and m.dimension_weights == () and m.peer_group == ()


def test_method_is_hashable_and_equal_by_value():
    a = Method(indicator_weights={"b": 1, "a": 2})
    b = Method(indicator_weights=[("a", 2.0), ("b", 1.0)])
    assert a == b and hash(a) == hash(b)
    assert {a: 1}[b] == 1


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"year_window": (2020, 2010)}, "year_window: first year 2020 is after last year 2010"),
        ({"min_coverage": 1.5}, "min_coverage: must be between 0 and 1"),
        ({"min_dimension_coverage": -0.1}, "min_dimension_coverage: must be between 0 and 1"),
        ({"imputation": "magic"}, "imputation: unknown choice 'magic'"),
        ({"outlier_treatment": "trim"}, "outlier_treatment: unknown choice 'trim'"),
        ({"normalisation": "log"}, "normalisation: unknown choice 'log'"),
        ({"indicator_aggregation": "median"}, "indicator_aggregation: unknown choice 'median'"),
        ({"dimension_aggregation": "max"}, "dimension_aggregation: unknown choice 'max'"),
        ({"weight_preset": "benefit_of_the_doubt"}, "weight_preset: unknown choice"),
        ({"normalisation_params": {"lo": 1}}, "unknown parameter(s) lo"),
        ({"normalisation_params": {"low": 100, "high": 0}}, "low (100) must be below high (0)"),
        ({"normalisation": "z_score", "normalisation_params": {"sd": 0}}, "sd must be positive"),
        ({"indicator_weights": {"a": -1}}, "indicator_weights: negative weight a = -1"),
        ({"dimension_weights": {"d": float("nan")}}, "dimension_weights.d: expected a finite"),
        ({"indicator_power": "x"}, "indicator_power: expected a number"),
        ({"year": 2020.5}, "year: expected a whole number"),
        ({"year": True}, "year: expected a whole number"),
    ],
)
def test_bad_values_are_rejected_with_the_field_named(kwargs, message):
    with pytest.raises(ValueError) as err:
        Method(**kwargs)
    assert message in str(err.value)


def test_unknown_keys_are_rejected():
    with pytest.raises(ValueError, match="unknown key\\(s\\) colour, size"):
        Method.from_dict({"size": 1, "colour": "red"})
    with pytest.raises(ValueError, match="unknown key"):
        Method.from_toml("normalization = 'min_max'\n")
    with pytest.raises(ValueError, match="unknown query key\\(s\\) zzz"):
        Method.from_query({"zzz": "1"})


def test_unknown_query_keys_can_be_ignored_for_app_state():
    m = Method.from_query({"page": "map", "year": "2020"}, strict=False)
    assert m == Method(year=2020)


def test_unknown_indicators_and_dimensions_are_rejected_against_a_framework():
    with pytest.raises(ValueError, match="indicator_weights: unknown indicator\\(s\\) nope"):
        Method.from_dict({"indicator_weights": {"nope": 1}}, FRAMEWORK)
    with pytest.raises(ValueError, match="dimension_weights: unknown dimension\\(s\\) culture"):
        Method.from_toml("[dimension_weights]\nculture = 2\n", FRAMEWORK)
    ok = Method.from_query({"w": "rsf_press_freedom:2", "dw": "media_reach:0"}, FRAMEWORK)
    assert dict(ok.indicator_weights) == {"rsf_press_freedom": 2.0}


def test_bad_text_is_a_value_error():
    with pytest.raises(ValueError, match="not valid TOML"):
        Method.from_toml("year = = 3")
    with pytest.raises(ValueError, match="not valid JSON"):
        Method.from_json("{")
    with pytest.raises(ValueError, match="year_window: expected FIRST-LAST"):
        Method.from_query({"window": "2010"})
    with pytest.raises(ValueError, match="indicator_weights: expected name:number"):
        Method.from_query({"w": "a2"})


def test_query_holds_only_non_default_entries():
    assert Method().to_query() == {}
    m = Method(
        year_window=(2000, 2020),
        normalisation_params={"low": 1},
        dimension_weights={"media_reach": 2},
        peer_group=["RUS", "EAEU"],
    )
    assert m.to_query() == {
        "window": "2000-2020",
        "np": "low:1",
        "dw": "media_reach:2",
        "peers": "RUS,EAEU",
    }
    assert set(QUERY_KEYS.values()) == set(Method.__dataclass_fields__)


def test_toml_leaves_out_year_none_and_reads_a_hand_written_file():
    assert "year =" not in Method().to_toml()
    text = """
year = 2020
min_coverage = 0.25
normalisation = "min_max"
indicator_aggregation = "geometric"

[normalisation_params]
low = 1
high = 100

[indicator_weights]
rsf_press_freedom = 2
"""
    m = Method.from_toml(text, FRAMEWORK)
    assert m.year == 2020 and m.min_coverage == 0.25
    assert m.normalisation_settings == {"low": 1.0, "high": 100.0, "goalposts": 1.0}
    assert m.indicator_aggregation == "geometric"


# ---------------------------------------------------------------- round trips (hypothesis)
ids = st.from_regex(r"[a-z][a-z0-9_]{0,12}", fullmatch=True)
weights = st.floats(min_value=0, max_value=1e6, allow_nan=False, allow_infinity=False)
years = st.integers(min_value=1990, max_value=2030)  # scoring.limits.YEAR_RANGE


@st.composite
def methods(draw):
    norm = draw(st.sampled_from(sorted(NORMALISERS)))
    params = {}
    if norm == "min_max" and draw(st.booleans()):
        low = draw(st.floats(-100, 100, allow_nan=False))
        params = {"low": low, "high": low + draw(st.floats(0.5, 200, allow_nan=False))}
    elif norm == "z_score" and draw(st.booleans()):
        params = {"mean": draw(st.floats(-10, 10)), "sd": draw(st.floats(0.1, 20))}
    elif "scale" in NORMALISERS[norm].defaults and draw(st.booleans()):
        params = {"scale": draw(st.floats(0.5, 1000))}
    start = draw(years)
    return Method(
        year=draw(st.none() | years),
        year_window=(start, draw(st.integers(start, 2030))),
        min_coverage=draw(st.floats(0, 1)),
        min_dimension_coverage=draw(st.floats(0, 1)),
        imputation=draw(st.sampled_from(sorted(IMPUTERS))),
        impute_group=draw(st.sampled_from(["region", "subregion", "EU", "EAEU"])),
        outlier_treatment=draw(st.sampled_from(sorted(TREATMENTS))),
        normalisation=norm,
        normalisation_params=params,
        indicator_aggregation=draw(st.sampled_from(sorted(AGGREGATORS))),
        dimension_aggregation=draw(st.sampled_from(sorted(AGGREGATORS))),
        indicator_power=draw(st.floats(-5, 5, allow_nan=False)),
        dimension_power=draw(st.floats(-5, 5, allow_nan=False)),
        weight_preset=draw(st.sampled_from(sorted(WEIGHT_PRESETS))),
        indicator_weights=draw(st.dictionaries(ids, weights, max_size=5)),
        dimension_weights=draw(st.dictionaries(ids, weights, max_size=3)),
        peer_group=draw(st.lists(st.from_regex(r"[A-Z]{3,6}", fullmatch=True), max_size=4)),
    )


SETTINGS = settings(
    max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)


@SETTINGS
@given(methods())
def test_toml_round_trip(m):
    assert Method.from_toml(m.to_toml()) == m
    assert Method.from_toml(m.to_toml(only_changes=True)) == m


@SETTINGS
@given(methods())
def test_json_round_trip(m):
    assert Method.from_json(m.to_json()) == m
    assert Method.from_dict(json.loads(m.to_json(only_changes=True))) == m


@SETTINGS
@given(methods())
def test_query_round_trip(m):
    q = m.to_query()
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in q.items())
    assert Method.from_query(q) == m
