"""The Validity page, driven headless with AppTest: the external table's countries in common
counted here from the shipped files, its Spearman against scipy, the scatter and its labelled
outliers, alpha written out by hand, what the top and bottom rest on, and the page without (or
with a broken) published table."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from streamlit.testing.v1 import AppTest

from indicators.catalogue import DATA_DIR, DATA_DIR_VARIABLE, load_catalogue, load_countries
from indicators.catalogue import load_values as load_shipped_values
from scoring.method import Method
from scoring.pipeline import build_scorecard, prepare
from tests.app_driver import chart_figure

APP = "../dashboard.py"
PAGE = "views/validity.py"
PUBLISHED = DATA_DIR / "published_indices.csv"
SP30 = ("Portland Soft Power 30", 2018)


def open_page(tab: str | None = None, **query) -> AppTest:
    app = AppTest.from_file(APP, default_timeout=120)
    for key, value in query.items():
        app.query_params[key] = value
    app.run()
    if tab:
        app.session_state["validity_tab"] = tab
    app.switch_page(PAGE).run()
    assert not app.exception, app.exception
    return app


@pytest.fixture(scope="module")
def engine():
    catalogue = load_catalogue()
    countries = load_countries()
    prepared = prepare(load_shipped_values(catalogue, countries), catalogue, countries=countries)
    return lambda method: build_scorecard(prepared, method=method, countries=countries)


@pytest.fixture(scope="module")
def published() -> pd.DataFrame:
    # Read plainly (no contract), so the counts below do not lean on the code under test.
    return pd.read_csv(PUBLISHED, keep_default_na=False, na_values=[""])


def common_countries(published: pd.DataFrame, scored: pd.Index, index: str, edition: int):
    """The rule, worked out here: countries of the edition with a published rank or score and
    our score; when any of them lacks a score, the comparison is on the rank and needs one."""
    rows = published[(published["index"] == index) & (published["edition"] == edition)]
    rows = rows[rows["iso3"].isin(scored) & (rows["rank"].notna() | rows["score"].notna())]
    if rows["score"].notna().all():
        return rows, "score"
    return rows[rows["rank"].notna()], "rank"


def overall_rows(table: pd.DataFrame) -> pd.DataFrame:
    """The external table's rows for the overall score (reach and appeal have rows too)."""
    return table[table["Our measure"] == "Overall score"]


def test_the_page_opens_on_the_external_table_with_one_row_per_edition(published, engine):
    app = open_page()
    assert app.title[0].value == "Validity"
    assert [t.label for t in app.tabs][:3] == ["External", "Internal", "Face"]
    full = app.dataframe[0].value
    assert set(full["Our measure"]) == {"Overall score", "Reach", "Appeal"}
    table = overall_rows(full)
    editions = published[["index", "edition"]].drop_duplicates()
    assert len(table) == len(editions) and len(full) == 3 * len(editions)
    scored = engine(Method()).results.index
    for row in table.itertuples(index=False):
        rows, basis = common_countries(published, scored, row[0], row[1])
        assert row[3] == len(rows), (row[0], row[1])  # Countries in common
        assert row[7] == f"published {basis}"
        assert np.isnan(row[4]) == (len(rows) < 5)


def test_spearman_is_scipys_on_the_common_countries_and_follows_the_weights(published, engine):
    app = open_page(dw="media_reach:3")
    table = overall_rows(app.dataframe[0].value).set_index(["Published index", "Edition"])
    scores = engine(Method(dimension_weights={"media_reach": 3.0})).results["overall"]
    rows, basis = common_countries(published, scores.index, *SP30)
    assert basis == "rank" and len(rows) == 30  # the full 2018 list; scores for six only
    expected = stats.spearmanr(scores[rows["iso3"]].to_numpy(), -rows["rank"].to_numpy())
    assert table.loc[SP30, "Spearman"] == pytest.approx(expected.statistic)
    assert table.loc[SP30, "Interval low"] <= table.loc[SP30, "Interval high"]


def test_the_scatter_shows_the_largest_edition_and_names_the_outliers(published, engine):
    app = open_page()
    assert app.selectbox(key="validity_edition").value == SP30  # the most countries in common
    spec = chart_figure(app, "validity_scatter")
    dots = spec["data"][0]
    assert len(dots["x"]) == 30
    named = [text for text in dots["text"] if text]
    assert len(named) == 5
    assert spec["layout"]["yaxis"]["autorange"] == "reversed"  # rank 1 at the top
    assert "Portland Soft Power 30 2018" in spec["layout"]["title"]["text"]
    # The named dots are the five largest rank disagreements among the 30, worked out here.
    scores = engine(Method()).results["overall"]
    rows, _ = common_countries(published, scores.index, *SP30)
    ours = scores[rows["iso3"]].rank(ascending=False, method="min").to_numpy()
    theirs = rows["rank"].rank(method="min").to_numpy()
    gaps = pd.Series(np.abs(ours - theirs), index=rows["iso3"].to_numpy())
    names = load_countries().set_index("iso3")["name"]
    threshold = gaps.sort_values(ascending=False).iloc[4]
    assert {names[iso3] for iso3 in gaps[gaps > threshold].index} <= set(named)
    assert {names[iso3] for iso3 in gaps[gaps >= threshold].index} >= set(named)
    caption = " ".join(c.value for c in app.caption)
    assert "Largest disagreements among the 30 countries in common" in caption


def test_choosing_another_edition_redraws_the_scatter():
    app = open_page()
    lowy = ("Lowy Institute Asia Power Index (overall)", 2024)
    app.selectbox(key="validity_edition").set_value(lowy).run()
    assert not app.exception
    spec = chart_figure(app, "validity_scatter")
    assert "Lowy Institute Asia Power Index (overall) 2024" in spec["layout"]["title"]["text"]
    assert spec["layout"]["yaxis"]["autorange"] is True  # compared on the score
    table = overall_rows(app.dataframe[0].value).set_index(["Published index", "Edition"])
    assert len(spec["data"][0]["x"]) == table.loc[lowy, "Countries in common"]


def brute_alpha(X: np.ndarray) -> float:
    X = X[~np.isnan(X).any(axis=1)]
    k = X.shape[1]
    return k / (k - 1) * (1 - X.var(axis=0, ddof=1).sum() / X.sum(axis=1).var(ddof=1))


def test_internal_alpha_by_hand_and_the_flagged_indicators(engine):
    app = open_page("Internal")
    sc = engine(Method())
    framework = load_catalogue().framework()
    alphas = app.dataframe[0].value.set_index("Dimension")
    democratic = ["vdem_electoral_democracy", "fh_total_score", "rsf_press_freedom"]
    expected = brute_alpha(sc.normalised[democratic].to_numpy())
    assert alphas.loc["Democratic credentials", "Cronbach's alpha"] == pytest.approx(expected)
    assert alphas.loc["Normative alignment", "Why no alpha"] == "not defined: only one indicator"
    # Collinear pairs worked out here: |r| > 0.92 between two counted indicators of a dimension.
    counted = framework[framework["weight"] > 0]
    flagged = set()
    for _, group in counted.groupby("dimension"):
        r = sc.normalised[group["indicator"]].corr(min_periods=3)
        for a in r.index:
            for b in r.columns:
                if a != b and abs(r.loc[a, b]) > 0.92:
                    flagged.add(a)
    names = dict(zip(framework["indicator"], framework["name"], strict=True))
    indicators = app.dataframe[1].value
    shown = set(indicators.loc[indicators["Flag"] != "", "Indicator"])
    assert {names[i] for i in flagged} <= shown
    assert any("hang together" in m.value for m in app.markdown)
    # The weights: nominal shares sum to 1 and so do the importances.
    spec = chart_figure(app, "validity_weights")
    assert sum(spec["data"][0]["x"]) == pytest.approx(1.0)
    assert sum(spec["data"][1]["x"]) == pytest.approx(1.0)


def test_face_lists_the_top_and_bottom_with_what_each_rests_on(engine):
    app = open_page("Face")
    sc = engine(Method())
    top, bottom = (app.dataframe[0].value, app.dataframe[1].value)
    order = sc.results.sort_values(["rank"], kind="stable")
    assert top["Rank"].tolist() == order["rank"].head(15).tolist()
    assert bottom["Rank"].tolist() == order["rank"].tail(15).tolist()
    framework = sc.framework
    weighted = framework.loc[framework["effective_weight"] > 0, "indicator"]
    first = order.index[0]
    count = int(sc.raw.loc[first, weighted].notna().sum())
    assert top["Indicators with a value"].iloc[0] == f"{count} of {len(weighted)}"
    names = load_countries().set_index("iso3")["name"]
    assert top["Country"].iloc[0] == names[first]


def data_copy(folder: Path, published: bytes | None) -> Path:
    """The shipped tables (linked) with published_indices.csv replaced (None: absent)."""
    folder.mkdir()
    for table in DATA_DIR.glob("*.csv"):
        if table.name != "published_indices.csv":
            (folder / table.name).symlink_to(table)
    if published is not None:
        (folder / "published_indices.csv").write_bytes(published)
    return folder


def test_without_the_published_table_the_page_says_so_and_the_rest_works(tmp_path, monkeypatch):
    monkeypatch.setenv(DATA_DIR_VARIABLE, str(data_copy(tmp_path / "data", None)))
    app = open_page()
    assert any("No published index table" in info.value for info in app.info)
    assert not app.error and not app.get("plotly_chart")
    app.session_state["validity_tab"] = "Internal"
    app.run()
    assert not app.exception and app.dataframe


def test_a_broken_published_table_is_a_warning_with_its_failures(tmp_path, monkeypatch):
    broken = PUBLISHED.read_bytes().replace(b",1,,https", b",first,,https", 1)
    monkeypatch.setenv(DATA_DIR_VARIABLE, str(data_copy(tmp_path / "data", broken)))
    app = open_page()
    assert any("failed its checks" in w.value for w in app.warning)
    failures = app.dataframe[0].value
    assert "'first' is not a whole number" in failures["reason"].tolist()
    assert not app.error
