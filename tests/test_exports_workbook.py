"""The scorecard workbook: every sheet present, numbers equal to the scorecard's, the method
reloadable from its TOML, and only redistributable values handed out."""

from __future__ import annotations

import io

import numpy as np
import openpyxl
import pandas as pd
import pytest

from exports.workbook import scorecard_workbook
from scoring.method import Method
from tests.exports_helpers import FORMULA, hostile, shipped

SHEETS = ["README", "scores", "values", "method", "weights", "sources"]


@pytest.fixture(scope="module")
def book():
    data = shipped()
    raw = scorecard_workbook(data.sc, data.catalogue, data.values, data.countries)
    return raw, pd.read_excel(
        io.BytesIO(raw), sheet_name=None, keep_default_na=False, na_values=[""]
    )


def test_xlsx_with_every_sheet(book):
    raw, sheets = book
    assert raw[:4] == b"PK\x03\x04" and len(raw) > 50_000
    assert list(sheets) == SHEETS


def test_scores_match_the_scorecard(book):
    data = shipped()
    scores = book[1]["scores"].set_index("iso3")
    results = data.sc.results
    assert len(scores) == len(results)
    assert scores["rank"].is_monotonic_increasing
    np.testing.assert_allclose(scores["overall"], results.loc[scores.index, "overall"])
    assert scores.loc["RUS", "country"] == "Russian Federation"
    assert "Media reach" in scores.columns and "coverage" in scores.columns
    np.testing.assert_allclose(scores["Reach"], results.loc[scores.index, "reach"])
    np.testing.assert_allclose(scores["Appeal"], results.loc[scores.index, "appeal"])
    assert scores.loc["RUS", "indicator_count"] == results.at["RUS", "indicator_count"]


def test_values_leave_out_non_redistributable_sources(book):
    data = shipped()
    values = book[1]["values"]
    blocked = set(data.catalogue.with_sources().query("redistributable == False")["indicator"])
    assert blocked and not values["indicator"].isin(blocked).any()
    assert {"value", "normalised", "imputed", "treated", "year", "unit", "note"} <= set(values)
    row = values[(values["iso3"] == "RUS") & (values["indicator"] == "inbound_students")].iloc[0]
    k = list(data.sc.prepared.indicators).index("inbound_students")
    assert row["value"] == pytest.approx(data.sc.raw.loc["RUS"].iloc[k])
    assert row["normalised"] == pytest.approx(data.sc.normalised.loc["RUS"].iloc[k])
    readme = " ".join(book[1]["README"].fillna("").astype(str).to_numpy().ravel())
    assert "Press freedom score (RSF)" in readme and "Left out" in readme


def test_method_sheet_reloads_as_the_same_method(book):
    method = book[1]["method"]
    start = method.index[method["setting"].str.startswith("TOML", na=False)][0]
    toml = "\n".join(method["setting"].iloc[start + 1 :].fillna("").astype(str))
    assert Method.from_toml(toml) == shipped().sc.method
    settings = dict(zip(method["setting"], method["value"], strict=False))
    assert settings["normalisation"] == "min_max"


def test_weights_sum_to_one(book):
    weights = book[1]["weights"]
    indicators = weights[weights["level"] == "indicator"]
    dimensions = weights[weights["level"] == "dimension"]
    assert indicators["effective_weight"].sum() == pytest.approx(1.0)
    assert dimensions["weight"].sum() == pytest.approx(1.0)
    for _, group in indicators.groupby("dimension"):
        assert group["weight"].sum() == pytest.approx(1.0) or group["weight"].sum() == 0


def test_sources_carry_licence_and_redistribution(book):
    sources = book[1]["sources"]
    assert {"publisher", "title", "url", "licence", "edition", "redistributable"} <= set(sources)
    rsf = sources[sources["source"] == "rsf_wpfi_2025"].iloc[0]
    assert not rsf["redistributable"] and "rsf_press_freedom" in rsf["indicators"]


def test_a_country_name_cannot_become_a_formula():
    data = hostile()
    raw = scorecard_workbook(data.sc, data.catalogue, data.values, data.countries)
    workbook = openpyxl.load_workbook(io.BytesIO(raw))
    for sheet in workbook.worksheets:
        assert not [c for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    names = [c.value for c in workbook["scores"]["A"]]
    assert "'" + FORMULA in names


def test_a_different_method_is_recorded():
    base = shipped()
    method = Method(
        indicator_weights={"rsf_press_freedom": 3}, dimension_weights={"media_reach": 2}
    )
    from scoring.pipeline import build_scorecard

    sc = build_scorecard(base.values, base.catalogue, method, base.countries)
    sheets = pd.read_excel(
        io.BytesIO(scorecard_workbook(sc, base.catalogue, base.values, base.countries)),
        sheet_name=None,
    )
    weights = sheets["weights"].set_index("id")
    assert weights.loc["rsf_press_freedom", "method_override"] == 3
    assert weights.loc["media_reach", "method_override"] == 2
    # reach has half; media 2 of its 2 + 1 + 1
    assert weights.loc["media_reach", "weight"] == pytest.approx(0.5 * 2 / 4)
