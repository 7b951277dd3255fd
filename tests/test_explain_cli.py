"""``scorecard explain``: the numbers it prints and writes are the engine's, and bad requests end
in a one-line reason (exit 2)."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from exports.cli import main
from indicators.catalogue import load_catalogue, load_countries, load_values
from scoring.method import Method
from scoring.pipeline import build_scorecard, prepare


@pytest.fixture(scope="module")
def score():
    catalogue = load_catalogue()
    countries = load_countries()
    prepared = prepare(load_values(catalogue, countries), catalogue, countries=countries)
    return lambda method=None: build_scorecard(prepared, method=method or Method())


def _read(path) -> pd.DataFrame:
    """The table of a written CSV; its first lines are "# Method: ..." and "# Cite as: ..."."""
    first = Path(path).read_text(encoding="utf-8-sig").split("\n", 1)[0]
    assert first.startswith("# Method: Weights: ")
    return pd.read_csv(
        path, encoding="utf-8-sig", keep_default_na=False, na_values=[""], comment="#"
    )


def test_between_two_years_the_table_adds_up_to_the_change(tmp_path, score, capsys):
    out = tmp_path / "moved.csv"
    assert (
        main(["explain", "--country", "RUS", "--from", "2015", "--to", "2025", "--out", str(out)])
        == 0
    )
    old = score(Method(year_window=(2010, 2015))).results.loc["RUS", "overall"]
    new = score().results.loc["RUS", "overall"]
    table = _read(out)
    total = table.loc[table["Item"] == "Total: the change", "Contribution"].iloc[0]
    assert total == pytest.approx(new - old, abs=1e-9)
    # Freedom House may not be redistributed: left out of the file, so the rest is less than it
    assert "Freedom in the World total (Freedom House)" not in set(table["Item"])
    assert f"{old:.2f} (2015, rank 24)" in capsys.readouterr().out


def test_versus_and_target_rank(tmp_path, score, capsys):
    out = tmp_path / "gap.xlsx"
    assert main(["explain", "--country", "RUS", "--versus", "TUR", "--out", str(out)]) == 0
    results = score().results
    table = pd.read_excel(out)
    total = table.loc[table["Item"] == "Total: the change", "Contribution"].iloc[0]
    assert total == pytest.approx(results.loc["RUS", "overall"] - results.loc["TUR", "overall"])
    capsys.readouterr()
    assert main(["explain", "--country", "RUS", "--target-rank", "20", "--draws", "100"]) == 0
    printed = capsys.readouterr().out
    assert "brings RUS from rank 37 to" in printed or "bring RUS from rank 37 to" in printed
    assert "Chance of rank 20 or better now" in printed


def test_over_time_prints_every_year(tmp_path, score):
    out = tmp_path / "years.csv"
    assert (
        main(["explain", "--country", "RUS", "--over-time", "--draws", "0", "--out", str(out)]) == 0
    )
    table = _read(out)
    assert table["Year"].tolist() == list(range(2013, 2026))
    alone = score(Method(year_window=(2010, 2019))).results.loc["RUS", "overall"]
    assert table.set_index("Year").loc[2019, "Overall"] == pytest.approx(alone)
    assert not math.isnan(table.set_index("Year").loc[2013, "Overall"])


@pytest.mark.parametrize(
    "argv, message",
    [
        ([], "say what to explain"),
        (["--versus", "TUR", "--target-rank", "3"], "(got --target-rank, --versus)"),
        (["--versus", "ZZZ"], "ZZZ is not scored: no values"),
        (["--target-rank", "999"], "target rank: must be from 1 to 185, got 999"),
        (["--from", "2015", "--out", "x.txt"], "--out: expected a .csv or .xlsx file"),
    ],
)
def test_bad_requests_say_why(argv, message, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["explain", "--country", "RUS", *argv]) == 2
    assert message in capsys.readouterr().err


def test_against_another_data_version(tmp_path, capsys):
    # Russia's 2025 V-Dem electoral democracy raised from 0.17 to 0.5 in a copy of the values:
    # the whole change is that indicator's, its effective weight times the change in its score
    # (V-Dem's published 0-1 scale kept: 17 -> 50).
    catalogue = load_catalogue()
    values = load_values(catalogue, load_countries())
    at = (
        (values["iso3"] == "RUS")
        & (values["indicator"] == "vdem_electoral_democracy")
        & (values["year"].astype(int) == 2025)
    )
    assert values.loc[at, "value"].tolist() == [0.17]
    changed = values.copy()
    changed.loc[at, "value"] = 0.5
    path = tmp_path / "new_values.csv"
    changed.to_csv(path, index=False)
    out = tmp_path / "data.csv"
    assert main(["explain", "--country", "RUS", "--to-values", str(path), "--out", str(out)]) == 0
    table = _read(out)
    effective = (
        build_scorecard(prepare(values, catalogue), method=Method())
        .framework.set_index("indicator")
        .at["vdem_electoral_democracy", "effective_weight"]
    )
    row = table.set_index("Item").loc["Electoral democracy (V-Dem)"]
    assert row["Contribution"] == pytest.approx(effective * (50.0 - 17.0))
    total = table.loc[table["Item"] == "Total: the change", "Contribution"].iloc[0]
    assert total == pytest.approx(row["Contribution"])
    assert "(shipped, rank 37)" in capsys.readouterr().out


def test_against_another_method(tmp_path, score):
    other = tmp_path / "geometric.toml"
    other.write_text(
        'indicator_aggregation = "geometric"\ndimension_aggregation = "geometric"\n'
        "[normalisation_params]\nlow = 1.0\n",
        encoding="utf-8",
    )
    out = tmp_path / "methods.csv"
    argv = ["explain", "--country", "RUS", "--to-method", str(other), "--out", str(out)]
    assert main(argv) == 0
    geometric = Method(
        indicator_aggregation="geometric",
        dimension_aggregation="geometric",
        normalisation_params={"low": 1.0},
    )
    change = score(geometric).results.loc["RUS", "overall"] - score().results.loc["RUS", "overall"]
    table = _read(out)
    total = table.loc[table["Item"] == "Total: the change", "Contribution"].iloc[0]
    assert total == pytest.approx(change, abs=1e-9)
    assert "Aggregation rule" in set(table["Item"])
