"""The pipeline end to end on a hand-worked 3-country example, stage by stage."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from scoring.aggregate import aggregate_levels
from scoring.method import Method
from scoring.pipeline import Prepared, build_scorecard, peer_ranks, prepare, select_year

# Three countries, three indicators, two dimensions, year 2020:
#            a (d1, +1)   b (d1, -1)   c (d2, +1)
#   FRA      4            5            6 (2021)
#   NAM      1            2            3
#   RUS      7            8            1
# min-max [0, 100] after direction:
#   a: (x - 1) / 6      -> FRA 50, NAM 0, RUS 100
#   b: flipped (8 - x)/6 -> FRA 50, NAM 100, RUS 0
#   c: (x - 1) / 5      -> FRA 100, NAM 40, RUS 0
# d1 = mean(a, b): FRA 50, NAM 50, RUS 50; d2 = c
# overall = mean(d1, d2): FRA 75, NAM 45, RUS 25 -> ranks 1, 2, 3
FRAMEWORK = pd.DataFrame(
    {
        "indicator": ["a", "b", "c"],
        "dimension": ["d1", "d1", "d2"],
        "direction": [1, -1, 1],
        "weight": [1.0, 1.0, 1.0],
    }
)
ROWS = [
    ("FRA", "a", 2020, 4.0),
    ("FRA", "b", 2020, 5.0),
    ("FRA", "c", 2021, 6.0),
    ("NAM", "a", 2020, 1.0),
    ("NAM", "b", 2020, 2.0),
    ("NAM", "c", 2020, 3.0),
    ("RUS", "a", 2020, 7.0),
    ("RUS", "b", 2020, 8.0),
    ("RUS", "c", 2020, 1.0),
]
COUNTRIES = pd.DataFrame(
    {
        "iso3": ["FRA", "NAM", "RUS", "DEU"],
        "name": ["France", "Namibia", "Russia", "Germany"],
        "region": ["Europe", "Africa", "Europe", "Europe"],
        "subregion": ["Western Europe", "Southern Africa", "Eastern Europe", "Western Europe"],
        "groups": ["EU;NATO", "", "EAEU;CIS", "EU;NATO"],
    }
)


def values(rows=ROWS) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=["iso3", "indicator", "year", "value"])
    df["year"] = df["year"].astype("int64")
    df["note"] = ""
    return df


def test_hand_worked_example():
    sc = build_scorecard(values(), FRAMEWORK, Method())
    res = sc.results
    assert list(res.columns) == ["d1", "d2", "overall", "rank", "coverage", "indicator_count"]
    assert list(res.index) == ["FRA", "NAM", "RUS"] and res.index.name == "iso3"
    np.testing.assert_allclose(res["d1"], [50, 50, 50])
    np.testing.assert_allclose(res["d2"], [100, 40, 0])
    np.testing.assert_allclose(res["overall"], [75, 45, 25])
    assert res["rank"].tolist() == [1, 2, 3]
    np.testing.assert_allclose(res["coverage"], [1, 1, 1])
    np.testing.assert_allclose(sc.normalised.loc["NAM"], [0, 100, 40])
    assert sc.years.loc["FRA", "c"] == 2021 and sc.years.loc["FRA", "a"] == 2020
    assert list(sc.raw.columns) == ["a", "b", "c"]
    assert sc.method == Method()


def test_every_stage_is_kept_with_the_same_labels():
    sc = build_scorecard(values(), FRAMEWORK, Method())
    for table in (sc.raw, sc.years, sc.imputed, sc.imputed_flags, sc.treated, sc.normalised):
        assert table.index.name == "iso3" and list(table.columns) == ["a", "b", "c"]
    assert list(sc.dimension_scores.columns) == ["d1", "d2"]
    assert not sc.imputed_flags.to_numpy().any()
    assert list(sc.treatment.columns) == ["indicator", "action", "detail"]
    assert sc.treatment["action"].eq("none").all()
    fw = sc.framework
    np.testing.assert_allclose(fw["weight"], [0.5, 0.5, 1.0])
    np.testing.assert_allclose(fw["dimension_weight"], [0.5, 0.5, 0.5])
    np.testing.assert_allclose(fw["effective_weight"], [0.25, 0.25, 0.5])
    assert list(sc.screened_out.columns) == ["iso3", "reason"] and sc.screened_out.empty


def test_prepared_data_give_the_same_scorecard():
    p = prepare(values(), FRAMEWORK)
    assert isinstance(p, Prepared) and p.cube.shape == (2, 3, 3)
    a = build_scorecard(p, method=Method()).results
    b = build_scorecard(values(), FRAMEWORK, Method()).results
    pd.testing.assert_frame_equal(a, b)


def test_a_catalogue_object_is_accepted_with_its_dimension_weights():
    class Catalogue:
        def framework(self):
            return FRAMEWORK

        def dimension_weights(self):
            return {"d1": 3.0, "d2": 1.0}

    sc = build_scorecard(values(), Catalogue(), Method())
    # overall = (3 * d1 + d2) / 4: FRA (150 + 100) / 4 = 62.5
    assert sc.results.loc["FRA", "overall"] == pytest.approx(62.5)


def test_select_one_year_or_the_latest_in_the_window():
    p = prepare(values(ROWS + [("NAM", "a", 2015, 9.0), ("NAM", "a", 2024, 0.5)]), FRAMEWORK)
    raw, years = select_year(p, Method(year=2020))
    assert np.isnan(raw[0, 2])  # FRA has c only in 2021
    raw, years = select_year(p, Method(year_window=(2010, 2021)))
    assert raw[1, 0] == 1.0 and years[1, 0] == 2020
    raw, years = select_year(p, Method())
    assert raw[1, 0] == 0.5 and years[1, 0] == 2024
    raw, years = select_year(p, Method(year_window=(2010, 2016)))
    assert raw[1, 0] == 9.0  # NAM's a: 2015, within the window
    # FRA has nothing up to 2016: each value is carried back from its earliest year (a, b 2020;
    # c 2021), never interpolated
    assert raw[0].tolist() == [4.0, 5.0, 6.0] and years[0].tolist() == [2020, 2020, 2021]


def test_values_measured_only_after_the_window_are_carried_back_and_flagged():
    # NAM's a: 2015 and 2024. Window to 2012: nothing up to 2012, so the earliest (2015) is
    # carried; up to 2016 the 2015 value is the latest and is not carried.
    p = prepare(values(ROWS + [("NAM", "a", 2015, 9.0), ("NAM", "a", 2024, 0.5)]), FRAMEWORK)
    early = build_scorecard(p, method=Method(year_window=(2010, 2012)))
    assert early.raw.loc["NAM", "a"] == 9.0 and early.years.loc["NAM", "a"] == 2015
    assert early.carried.loc["NAM"].tolist() == [True, True, True]
    assert early.carried.loc["FRA"].tolist() == [True, True, True]
    later = build_scorecard(p, method=Method(year_window=(2010, 2020)))
    assert later.carried.loc["NAM"].tolist() == [False, False, False]
    assert later.carried.loc["FRA"].tolist() == [False, False, True]  # c from 2021
    # an exact year stays exact: nothing carried, the cell is missing
    assert not build_scorecard(p, method=Method(year=2020)).carried.to_numpy().any()


def test_screened_out_countries_are_listed_with_a_reason():
    rows = ROWS + [("DEU", "a", 2020, 3.0)]  # DEU: a only -> coverage .25
    sc = build_scorecard(values(rows), FRAMEWORK, Method())
    assert sc.screened_out["iso3"].tolist() == ["DEU"]
    assert sc.screened_out["reason"].iloc[0] == "coverage 0.25 below the threshold 0.50"
    assert "DEU" not in sc.results.index and "DEU" in sc.raw.index
    assert sc.coverage["DEU"] == pytest.approx(0.25)
    sc = build_scorecard(
        values(rows),
        FRAMEWORK,
        Method(min_coverage=0.2, min_indicator_share=0, min_dimension_share=0),
    )
    assert sc.screened_out.empty and sc.results.loc["DEU", "coverage"] == pytest.approx(0.25)
    sc = build_scorecard(
        values(rows),
        FRAMEWORK,
        Method(
            min_coverage=0, min_indicator_share=0, min_dimension_share=0, min_dimension_coverage=0.5
        ),
    )
    assert sc.screened_out["reason"].iloc[0] == "dimension coverage below 0.50 in d2 (0.00)"


def test_no_country_left_is_an_error():
    with pytest.raises(ValueError, match="screening: no country has enough data"):
        build_scorecard(values(), FRAMEWORK, Method(year=1990))


def test_group_imputation_is_flagged():
    rows = [r for r in ROWS if not (r[0] == "FRA" and r[1] == "a")]
    m = Method(
        imputation="group_mean",
        impute_group="region",
        min_coverage=0,
        min_indicator_share=0,
        min_dimension_share=0,
    )
    sc = build_scorecard(values(rows), FRAMEWORK, m, COUNTRIES)
    assert sc.imputed.loc["FRA", "a"] == 7.0  # RUS is the only other European country with a
    assert sc.imputed_flags.loc["FRA", "a"] and sc.imputed_flags.to_numpy().sum() == 1
    assert np.isnan(sc.raw.loc["FRA", "a"])
    assert sc.results.loc["FRA", "coverage"] == pytest.approx(0.75)  # coverage before imputing
    sc = build_scorecard(values(rows), FRAMEWORK, m.with_(impute_group="EU"), COUNTRIES)
    assert np.isnan(sc.imputed.loc["FRA", "a"])  # no other EU member has a value
    with pytest.raises(ValueError, match="impute_group: unknown group 'XYZ'"):
        build_scorecard(values(rows), FRAMEWORK, m.with_(impute_group="XYZ"), COUNTRIES)
    with pytest.raises(ValueError, match="needs the countries table"):
        build_scorecard(values(rows), FRAMEWORK, m)


def test_latest_earlier_imputation_records_the_source_year():
    rows = [r for r in ROWS if r[:2] != ("NAM", "a")] + [("NAM", "a", 2012, 2.5)]
    m = Method(
        year=2020,
        imputation="latest_earlier",
        min_coverage=0,
        min_indicator_share=0,
        min_dimension_share=0,
    )
    sc = build_scorecard(values(rows), FRAMEWORK, m)
    assert sc.imputed.loc["NAM", "a"] == 2.5 and sc.imputed_years.loc["NAM", "a"] == 2012
    assert sc.imputed.loc["FRA", "c"] != sc.imputed.loc["FRA", "c"]  # 2021 is not earlier


def test_outlier_treatment_is_reported():
    rng = np.random.default_rng(0)
    iso = [f"C{chr(65 + i // 26)}{chr(65 + i % 26)}" for i in range(30)]
    rows = [
        (c, "a", 2020, float(v))
        for c, v in zip(iso, np.r_[np.arange(1.0, 29), 30, 100], strict=True)
    ]
    rows += [(c, "b", 2020, float(rng.uniform(0, 10))) for c in iso]
    rows += [(c, "c", 2020, float(rng.uniform(0, 10))) for c in iso]
    sc = build_scorecard(values(rows), FRAMEWORK, Method(outlier_treatment="jrc"))
    t = sc.treatment.set_index("indicator")
    assert t.loc["a", "action"] == "winsorised" and t.loc["b", "action"] == "none"
    assert sc.treated.loc["CBD", "a"] == 30.0 and sc.treated_flags.loc["CBD", "a"]


def test_weight_overrides_and_presets():
    m = Method(indicator_weights={"a": 3, "b": 1}, dimension_weights={"d2": 0})
    sc = build_scorecard(values(), FRAMEWORK, m)
    # d1 = .75 a + .25 b: FRA 50, NAM 25, RUS 75; d2 has weight 0 -> overall = d1
    np.testing.assert_allclose(sc.results["overall"], [50, 25, 75])
    assert sc.results["rank"].tolist() == [2, 3, 1]
    np.testing.assert_allclose(sc.results["d2"], [100, 40, 0])  # still shown
    sc = build_scorecard(values(), FRAMEWORK, Method(weight_preset="equal_indicator"))
    # d1 has 2 indicators, d2 one -> every indicator weighs 1/3
    np.testing.assert_allclose(sc.framework["effective_weight"], [1 / 3] * 3)
    sc = build_scorecard(values(), FRAMEWORK, Method(weight_preset="pca"))
    # d1's normalised a = (50, 0, 100) and b = (50, 100, 0) have r = -1: PC1 = (1, -1) / sqrt 2,
    # squared loadings .5 and .5; c, alone in d2, keeps its catalogue weight 1
    np.testing.assert_allclose(sc.framework["weight"], [0.5, 0.5, 1.0])


@pytest.mark.parametrize(
    "method, message",
    [
        (Method(indicator_weights={"a": 0, "b": 0}), "d1: all indicator weights are zero"),
        (Method(dimension_weights={"d1": 0, "d2": 0}), "dimension weights: all are zero"),
        (Method(indicator_weights={"zz": 1}), "indicator_weights: unknown indicator(s) zz"),
        (Method(dimension_weights={"d9": 1}), "dimension_weights: unknown dimension(s) d9"),
        (Method(indicator_aggregation="geometric"), "d1: geometric mean needs positive values"),
        (Method(dimension_aggregation="harmonic"), "overall: harmonic mean needs positive values"),
    ],
)
def test_impossible_methods_name_the_culprit(method, message):
    with pytest.raises(ValueError) as err:
        build_scorecard(values(), FRAMEWORK, method)
    assert message in str(err.value)


def test_constant_indicator_is_named():
    rows = [(c, i, y, 5.0 if i == "c" else v) for c, i, y, v in ROWS if (c, i) != ("FRA", "c")]
    rows.append(("FRA", "c", 2020, 5.0))
    with pytest.raises(ValueError, match="^c: every country has the same value, so min-max"):
        build_scorecard(values(rows), FRAMEWORK, Method())
    sc = build_scorecard(
        values(rows), FRAMEWORK, Method(dimension_weights={"d2": 0}, indicator_weights={"c": 0})
    )
    assert sc.results["rank"].notna().all()


def test_geometric_mean_works_on_a_positive_range():
    m = Method(
        normalisation_params={"low": 1},
        indicator_aggregation="geometric",
        dimension_aggregation="geometric",
    )
    sc = build_scorecard(values(), FRAMEWORK, m)
    # NAM: a = 1, b = 100 -> d1 = 10; c = 1 + .4 * 99 = 40.6 -> overall sqrt(10 * 40.6)
    assert sc.results.loc["NAM", "overall"] == pytest.approx(np.sqrt(10 * 40.6))


def test_copeland_and_other_normalisers_run():
    for m in [
        Method(indicator_aggregation="copeland", dimension_aggregation="copeland"),
        Method(normalisation="goalposts"),
        Method(normalisation="z_score"),
        Method(
            normalisation="percentile_rank", dimension_aggregation="generalised", dimension_power=2
        ),
        Method(normalisation="rank"),
        Method(normalisation="distance_to_frontier"),
    ]:
        sc = build_scorecard(values(), FRAMEWORK, m)
        assert sc.results["rank"].notna().all()


def test_peer_ranks_by_codes_and_groups():
    m = Method(peer_group=["NAM", "RUS"])
    sc = build_scorecard(values(), FRAMEWORK, m, COUNTRIES)
    assert sc.results["peer_rank"].tolist()[1:] == [1, 2] and pd.isna(
        sc.results["peer_rank"].iloc[0]
    )
    pr = peer_ranks(sc, ["Europe"])
    assert pr.to_dict() == {"FRA": 1, "RUS": 2}
    assert peer_ranks(sc, ["EAEU", "NAM"]).to_dict() == {"NAM": 1, "RUS": 2}
    with pytest.raises(ValueError, match="peer group: unknown country or group XYZ"):
        peer_ranks(sc, ["XYZ"])


def test_kernel_reproduces_the_scores():
    sc = build_scorecard(values(), FRAMEWORK, Method(indicator_weights={"a": 2}))
    k = sc.kernel
    D, overall = aggregate_levels(k.normalised, k.dim_of, k.indicator_weights, k.dimension_weights)
    np.testing.assert_allclose(overall, sc.results["overall"])
    assert list(k.iso3) == ["FRA", "NAM", "RUS"] and k.indicators == ("a", "b", "c")
    np.testing.assert_allclose(k.dimension_weights.sum(), 1.0)


# ---- sides (reach, appeal) and the count rule, worked by hand:
#            a (A, reach)  b (B, reach)  c (C, appeal)  d (C, appeal)
#   X        0             10            2              1
#   Y        5             0             4              3
#   Z        10            5             6              2
# min-max: a X 0 Y 50 Z 100; b X 100 Y 0 Z 50; c X 0 Y 50 Z 100; d X 0 Y 100 Z 50
# A = a, B = b, C = mean(c, d): X 0, Y 75, Z 75
# reach = mean(A, B): X 50, Y 25, Z 75; appeal = C: X 0, Y 75, Z 75
# equal sides (A .25, B .25, C .5): overall X 25, Y 50, Z 75
# no side weights (A, B, C a third each): X 33.33, Y 41.67, Z 75
# reach 3 : appeal 1 (A .375, B .375, C .25): X 37.5, Y 37.5, Z 75
SIDED = pd.DataFrame(
    {
        "indicator": ["a", "b", "c", "d"],
        "dimension": ["A", "B", "C", "C"],
        "side": ["reach", "reach", "appeal", "appeal"],
        "direction": [1, 1, 1, 1],
        "weight": [1.0, 1.0, 1.0, 1.0],
    }
)
SIDED_ROWS = [
    (iso3, indicator, 2020, value)
    for iso3, row in {"X": (0, 10, 2, 1), "Y": (5, 0, 4, 3), "Z": (10, 5, 6, 2)}.items()
    for indicator, value in zip("abcd", row, strict=True)
]


@pytest.mark.parametrize(
    ("side_weights", "overall"),
    [
        (None, {"X": 25.0, "Y": 50.0, "Z": 75.0}),  # the default: reach and appeal equal
        ({}, {"X": 100 / 3, "Y": 125 / 3, "Z": 75.0}),
        ({"reach": 3, "appeal": 1}, {"X": 37.5, "Y": 37.5, "Z": 75.0}),
    ],
)
def test_sides_hand_worked(side_weights, overall):
    method = Method() if side_weights is None else Method(side_weights=side_weights)
    sc = build_scorecard(values(SIDED_ROWS), SIDED, method)
    res = sc.results
    assert list(res.columns) == [
        *["A", "B", "C", "reach", "appeal", "overall", "rank", "coverage", "indicator_count"]
    ]
    assert res["reach"].to_dict() == pytest.approx({"X": 50.0, "Y": 25.0, "Z": 75.0})
    assert res["appeal"].to_dict() == pytest.approx({"X": 0.0, "Y": 75.0, "Z": 75.0})
    assert res["overall"].to_dict() == pytest.approx(overall)
    assert res["indicator_count"].tolist() == [4, 4, 4]


@pytest.mark.parametrize("aggregation", ["arithmetic", "geometric", "harmonic", "generalised"])
def test_overall_is_the_same_mean_of_the_sides(aggregation):
    """sum_s W_s M_s(D) = M(D) for quasi-arithmetic means, W_s the side's share of the weight."""
    method = Method(
        dimension_aggregation=aggregation,
        dimension_power=2.0,
        normalisation_params={"low": 1, "high": 100},
        side_weights={"reach": 2, "appeal": 1},
    )
    sc = build_scorecard(values(SIDED_ROWS), SIDED, method)
    reach, appeal = sc.results["reach"].to_numpy(), sc.results["appeal"].to_numpy()
    w_reach, w_appeal = 2 / 3, 1 / 3
    expected = {
        "arithmetic": w_reach * reach + w_appeal * appeal,
        "geometric": reach**w_reach * appeal**w_appeal,
        "harmonic": 1 / (w_reach / reach + w_appeal / appeal),
        "generalised": np.sqrt(w_reach * reach**2 + w_appeal * appeal**2),
    }[aggregation]
    np.testing.assert_allclose(sc.results["overall"].to_numpy(), expected, rtol=1e-12)


def test_count_rule_screens_countries_with_few_indicators_dimensions_or_a_missing_side():
    # W: a and c (2 of 4 indicators, 2 of 3 dimensions: three quarters of 3 needs 3)
    # V: a and b (no appeal side); U: a, b, c (3 of 4 indicators, 3 dimensions: kept)
    extra = [("W", "a", 2020, 5.0), ("W", "c", 2020, 4.0), ("V", "a", 2020, 5.0)]
    extra += [("V", "b", 2020, 5.0), ("U", "a", 2020, 5.0), ("U", "b", 2020, 5.0)]
    extra += [("U", "c", 2020, 4.0)]
    sc = build_scorecard(values(SIDED_ROWS + extra), SIDED, Method(min_coverage=0))
    reasons = dict(zip(sc.screened_out["iso3"], sc.screened_out["reason"], strict=True))
    assert reasons == {
        "V": "values in 2 of 3 dimensions (needs 3); no value on the appeal side",
        "W": "values in 2 of 3 dimensions (needs 3)",
    }
    assert sc.results.loc["U", "indicator_count"] == 3
    lenient = Method(min_coverage=0, min_dimension_share=0.5, min_indicator_share=0.75)
    reasons = build_scorecard(values(SIDED_ROWS + extra), SIDED, lenient).screened_out
    assert dict(zip(reasons["iso3"], reasons["reason"], strict=True)) == {
        "V": "values for 2 of 4 indicators (needs 3); no value on the appeal side",
        "W": "values for 2 of 4 indicators (needs 3)",
    }


def test_a_dimension_resting_on_one_indicator_is_flagged():
    rows = [r for r in SIDED_ROWS if r[:2] != ("X", "d")]
    sc = build_scorecard(values(rows), SIDED, Method())
    assert sc.dimension_counts.loc["X"].tolist() == [1, 1, 1]
    assert sc.single_indicator.loc["X"].tolist() == [True, True, True]
    assert sc.single_indicator.loc["Y"].tolist() == [True, True, False]


def test_side_errors_name_the_culprit():
    with pytest.raises(ValueError, match="side_weights: unknown side"):
        build_scorecard(values(SIDED_ROWS), SIDED, Method(side_weights={"charm": 1}))
    with pytest.raises(ValueError, match="every side with weighted dimensions has weight 0"):
        build_scorecard(values(SIDED_ROWS), SIDED, Method(side_weights={"reach": 0, "appeal": 0}))
    split = SIDED.assign(side=["reach", "reach", "appeal", "reach"])
    with pytest.raises(ValueError, match="dimension.s. C on more than one side"):
        prepare(values(SIDED_ROWS), split)


def test_log_transform_normalises_log_one_plus_x():
    # x = 0, e - 1, e^2 - 1 -> log(1 + x) = 0, 1, 2 -> min-max 0, 50, 100 (linear would be 0, 26.9, 100)
    framework = pd.DataFrame(
        {"indicator": ["a"], "dimension": ["A"], "direction": [1], "weight": [1.0]}
    ).assign(transform="log")
    rows = [("X", "a", 2020, 0.0), ("Y", "a", 2020, np.e - 1), ("Z", "a", 2020, np.e**2 - 1)]
    sc = build_scorecard(values(rows), framework, Method())
    assert sc.normalised["a"].tolist() == pytest.approx([0.0, 50.0, 100.0])
    assert sc.raw.loc["Y", "a"] == pytest.approx(np.e - 1)  # the raw value stays as published
    with pytest.raises(ValueError, match="unknown transform.s. sqrt"):
        prepare(values(rows), framework.assign(transform="sqrt"))


def test_a_published_scale_keeps_its_goalposts_under_the_default_min_max():
    # b published on [0, 10]: flipped, (10 - x) / 10 -> FRA 50, NAM 80, RUS 20 (not 50, 100, 0)
    # d1 = mean(a, b): FRA 50, NAM 40, RUS 60; d2 = c: 100, 40, 0; overall 75, 40, 30
    framework = FRAMEWORK.assign(
        goalpost_low=[np.nan, 0.0, np.nan], goalpost_high=[np.nan, 10.0, np.nan]
    )
    res = build_scorecard(values(), framework, Method()).results
    np.testing.assert_allclose(res["d1"], [50, 40, 60])
    np.testing.assert_allclose(res["overall"], [75, 40, 30])
    coinr = Method(normalisation_params={"goalposts": 0})  # COINr's min-max over the data
    np.testing.assert_allclose(
        build_scorecard(values(), framework, coinr).results["overall"], [75, 45, 25]
    )


def test_a_framework_with_one_side_scores_under_the_default_side_weights():
    appeal_only = SIDED[SIDED["side"] == "appeal"]
    rows = [r for r in SIDED_ROWS if r[1] in ("c", "d")]
    sc = build_scorecard(values(rows), appeal_only, Method())
    assert sc.results["appeal"].tolist() == pytest.approx([0.0, 75.0, 75.0])
    assert sc.results["overall"].tolist() == pytest.approx([0.0, 75.0, 75.0])
    with pytest.raises(ValueError, match="unknown side.s. reach"):
        build_scorecard(values(rows), appeal_only, Method(side_weights={"reach": 2, "appeal": 1}))


@pytest.mark.parametrize("weight_a, kept", [(0.5, True), (0.499, False)])
def test_coverage_at_the_threshold_is_enough_and_a_hair_below_is_not(weight_a, kept):
    # one dimension, a and b weighing weight_a and 1 - weight_a; X has only a, so its coverage
    # is weight_a against the default 0.5 (and it has 1 of 2 indicators, the count rule's half)
    framework = pd.DataFrame(
        {"indicator": ["a", "b"], "dimension": ["d1", "d1"], "direction": [1, 1],
         "weight": [weight_a, 1 - weight_a]}
    )  # fmt: skip
    rows = [("X", "a", 2020, 1.0), ("Y", "a", 2020, 2.0), ("Y", "b", 2020, 3.0),
            ("Z", "a", 2020, 3.0), ("Z", "b", 2020, 1.0)]  # fmt: skip
    sc = build_scorecard(values(rows), framework, Method())
    assert ("X" in sc.results.index) is kept
    assert ("X" in set(sc.screened_out["iso3"])) is not kept
