"""Every chart's text alternative: the table holds the data the chart draws, and the sentence names
its true highest and lowest values. Inputs are small frames; each expectation is worked out here
from the input (by hand in a comment, or with pandas), never read back from the figure."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

import i18n
from present import charts, explain_charts
from present.chart_text import decimals, describe, plain_text

NAMES = pd.Series({"GBR": "United Kingdom", "RUS": "Russia", "PRK": "North Korea"})
DIMENSIONS = {"media_reach": "Media reach", "eiti": "EITI participation"}


@pytest.fixture(autouse=True)
def english():
    i18n.use("en")
    yield
    i18n.use("en")


def test_stacked_bars_read_as_their_totals():
    contributions = pd.DataFrame(
        {"media_reach": [40.0, 20.0, 2.0], "eiti": [38.3, 32.0, 3.1]},
        index=["GBR", "RUS", "PRK"],
    )
    labels = ["1. United Kingdom", "2. Russia", "3. North Korea"]
    fig = charts.ranking_bars(contributions, labels, DIMENSIONS)
    text = describe(fig)
    expected = contributions.rename(columns=DIMENSIONS)
    expected["Total"] = contributions.sum(axis=1)  # 78.3, 52.0, 5.1
    table = text.table.set_index("Item")
    assert list(table.index) == labels
    np.testing.assert_allclose(table.to_numpy(dtype=float), expected.to_numpy(), atol=0.05)
    assert text.sentence == (
        "Bar chart “Overall score by dimension contribution”, 3 items: "
        "highest 1. United Kingdom (78.3), lowest 3. North Korea (5.1)."
    )


def test_radar_reads_one_column_per_country_without_the_closing_point():
    scores = pd.DataFrame({"media_reach": [80.0, 20.5], "eiti": [10.0, 60.0]}, index=["GBR", "RUS"])
    text = describe(charts.radar(scores, NAMES, DIMENSIONS, "Profiles"))
    table = text.table.set_index("Axis")
    # Rows: the two dimensions once each (the polygon repeats its first point to close it).
    assert list(table.index) == ["Media reach", "EITI participation"]
    assert table["United Kingdom"].tolist() == [80.0, 10.0]
    assert table["Russia"].tolist() == [20.5, 60.0]
    # Of the four values the highest is 80 (UK, media), the lowest 10 (UK, EITI).
    assert text.sentence == (
        "Radar chart “Profiles”, 2 items: highest United Kingdom, Media reach (80.0), "
        "lowest United Kingdom, EITI participation (10.0)."
    )


def test_grouped_bars_name_the_country_and_the_dimension():
    scores = pd.DataFrame({"media_reach": [35.0, 70.0], "eiti": [90.0, 5.0]}, index=["GBR", "RUS"])
    text = describe(charts.grouped_bars(scores, NAMES, DIMENSIONS, "Side by side"))
    assert text.table.set_index("Item").loc["EITI participation"].tolist() == [90, 5]
    assert "highest United Kingdom, EITI participation (90)" in text.sentence
    assert "lowest Russia, EITI participation (5)" in text.sentence


def test_scatter_lists_each_point_and_the_extremes_of_both_axes():
    results = pd.DataFrame(
        {"reach": [70.0, 30.0, 10.0], "appeal": [60.0, 20.0, 5.5]}, index=["GBR", "RUS", "PRK"]
    )
    text = describe(charts.reach_appeal(results, NAMES, labelled=["RUS"]))
    table = text.table.set_index("Label")
    assert list(table.index) == ["United Kingdom", "Russia", "North Korea"]
    assert table["Reach (0–100)"].tolist() == results["reach"].tolist()
    assert table["Appeal (0–100)"].tolist() == results["appeal"].tolist()
    assert text.sentence == (
        "Scatter plot “Reach against appeal”, 3 points: Appeal (0–100): highest United Kingdom "
        "(60.0), lowest North Korea (5.5); Reach (0–100): highest United Kingdom (70), "
        "lowest North Korea (10)."
    )


def test_rank_intervals_give_each_band_its_ends():
    table = pd.DataFrame(
        {
            "nominal_rank": [1, 2, 3],
            "median_rank": [1.0, 2.5, 3.0],
            "p05_rank": [1, 1, 2],
            "p95_rank": [2, 3, 3],
        },
        index=["GBR", "RUS", "PRK"],
    )
    text = describe(charts.rank_intervals(table, NAMES))
    shown = text.table.set_index("Item")
    assert shown["5–95 % interval: from"].tolist() == [1, 1, 2]
    assert shown["5–95 % interval: to"].tolist() == [2, 3, 3]
    assert shown["Median rank"].tolist() == [1.0, 2.5, 3.0]
    assert shown["Nominal rank"].tolist() == [1, 2, 3]
    # Over median and nominal ranks: the largest is North Korea's 3, the smallest the UK's 1.
    assert "highest North Korea, Median rank (3.00)" in text.sentence
    assert "lowest United Kingdom, Median rank (1.00)" in text.sentence


def test_rank_changes_keep_whole_numbers_whole():
    changes = pd.Series({"GBR": 2, "RUS": -3, "PRK": 0})
    text = describe(charts.rank_changes(changes, NAMES))
    column = "Places moved (up is positive)"
    assert dict(zip(text.table["Item"], text.table[column], strict=True)) == {
        "Russia": -3,
        "United Kingdom": 2,
        "North Korea": 0,
    }
    assert str(text.table[column].dtype) == "Int64"
    assert text.sentence.endswith("highest United Kingdom (2), lowest Russia (-3).")


def test_percentage_bars_read_as_percentages():
    weights = pd.DataFrame({"Effective": [0.3, 0.7], "Nominal": [0.5, 0.5]}, index=["a", "b"])
    text = describe(charts.grouped_hbars(weights, "Weights", "Weight", percent=True))
    assert text.table["Effective (%)"].tolist() == [30, 70]
    assert "highest b, Effective (70%)" in text.sentence
    assert "lowest a, Effective (30%)" in text.sentence


def test_correlation_heatmap_skips_the_diagonal():
    matrix = pd.DataFrame(
        [[1.0, 0.5, -0.2], [0.5, 1.0, 0.95], [-0.2, 0.95, 1.0]],
        index=["a", "b", "c"],
        columns=["a", "b", "c"],
    )
    text = describe(charts.correlation_heatmap(matrix, "Correlations"))
    np.testing.assert_array_equal(text.table.set_index("Row").to_numpy(), matrix.to_numpy())
    # Off the diagonal of ones: highest b × c 0.95, lowest a × c −0.20.
    assert text.sentence == (
        "Heat map “Correlations”, 3 × 3: highest b × c (0.95), lowest a × c (-0.20)."
    )


def test_coverage_grid_counts_filled_cells():
    present = pd.DataFrame({"x": [True, False], "y": [True, True]}, index=["GBR", "RUS"])
    text = describe(charts.coverage_grid(present, "Coverage"))
    assert text.sentence == "Heat map “Coverage”: 3 of 4 cells filled."


def test_lines_read_as_one_column_per_country_by_year():
    series = pd.DataFrame(
        {
            "iso3": ["RUS", "RUS", "GBR", "GBR"],
            "year": [2020, 2021, 2020, 2021],
            "value": [40.0, 42.5, 70.0, 69.0],
        }
    )
    text = describe(charts.trend(series, NAMES, "Trend", "Score"))
    expected = series.assign(name=series["iso3"].map(NAMES)).pivot(
        index="year", columns="name", values="value"
    )
    table = text.table.set_index("Year")
    assert table.index.tolist() == [2020, 2021]
    for country in ("Russia", "United Kingdom"):
        assert table[country].tolist() == expected[country].tolist()
    assert text.sentence == (
        "Line chart “Trend”, 2 series from 2020 to 2021: highest United Kingdom in 2020 (70.0), "
        "lowest Russia in 2020 (40.0)."
    )


def test_map_leaves_out_countries_without_a_value():
    scores = pd.Series({"GBR": 78.3, "RUS": 52.0, "PRK": 5.1, "FRA": np.nan})
    text = describe(charts.world_map(scores, NAMES, "Overall score"))
    assert dict(zip(text.table["Country"], text.table["Score"], strict=True)) == {
        "United Kingdom": 78.3,
        "Russia": 52.0,
        "North Korea": 5.1,
    }
    assert text.sentence == (
        "Map “Overall score”, 3 countries: highest United Kingdom (78.3), lowest North Korea (5.1)."
    )


def test_waterfall_walks_from_the_start_through_each_change_to_the_end():
    # 50.0 − 3.0 + 1.5 + 0.5 = 49.0
    split = SimpleNamespace(
        table=pd.DataFrame(
            {
                "item": ["eiti", "media", "visa"],
                "carried_from": [False] * 3,
                "carried_to": [False] * 3,
                "contribution": [-3.0, 1.5, 0.5],
            }
        ),
        label_from="Russia",
        label_to="China",
        score_from=50.0,
        score_to=49.0,
        level="overall",
    )
    labels = {"eiti": "EITI status", "media": "Media reach", "visa": "Visa-free travel"}
    text = describe(explain_charts.waterfall(split, labels, "Why they differ"))
    table = text.table
    assert table["Step"].tolist() == [
        "Russia: 50.0",
        "EITI status",
        "Media reach",
        "Visa-free travel",
        "China: 49.0",
    ]
    assert table["Value or change"].tolist() == [50.0, -3.0, 1.5, 0.5, 49.0]
    assert table["Running total"].tolist() == [50.0, 47.0, 48.5, 49.0, 49.0]
    assert text.sentence == (
        "Waterfall chart “Why they differ”, 3 steps from 50.0 to 49.0: "
        "highest Media reach (+1.5), lowest EITI status (-3.0)."
    )


def test_histogram_counts_every_value_and_names_the_range():
    values = pd.Series([1.0, 2.0, 3.0, 4.0, 10.5, np.nan])
    text = describe(charts.histogram(values, "Spread", "Score"))
    assert text.table["Countries"].sum() == 5  # the NaN is not drawn
    assert text.table["From"].iloc[0] == 1.0 and text.table["To"].iloc[-1] == 10.5
    # Sorted 1, 2, 3, 4, 10.5: the median is 3.
    assert text.sentence == "Histogram “Spread”, 5 values: from 1.0 to 10.5, median 3.0."


def test_a_chart_without_values_says_so():
    scores = pd.Series({"GBR": np.nan})
    assert describe(charts.world_map(scores, NAMES, "Empty")).sentence == (
        "Map “Empty”: no values to show."
    )
    assert describe(go.Figure()).sentence == "Chart: no values to show."


def test_russian_sentence_uses_russian_words_and_numbers():
    i18n.use("ru")
    scores = pd.Series({"GBR": 78.3, "RUS": 52.0})
    sentence = describe(charts.world_map(scores, NAMES, "Overall score")).sentence
    # Russian writes a decimal comma; "2 страны" is the paucal form of "country".
    assert "(78,3)" in sentence
    assert "2 страны" in sentence and "highest" not in sentence


@pytest.mark.parametrize(
    "values, expected",
    [([1, 2, 185], 0), ([83.64, 5.1], 1), ([0.95, -0.4], 2), ([0.004, 0.01], 3), ([], 0)],
)
def test_decimals_follow_the_size_of_the_numbers(values, expected):
    assert decimals(values) == expected


def test_plain_text_drops_plotly_markup():
    assert plain_text("C&amp;te<br>d&#x27;Ivoire") == "C&te d'Ivoire"
