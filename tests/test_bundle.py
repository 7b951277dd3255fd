"""The per-chart zip: the data read back from the figure, rounded as the hover text shows it,
with metadata, README and (when drawn) the image beside it."""

import datetime
import io
import json
import zipfile

import pandas as pd
import plotly.graph_objects as go
import pytest

from exports import bundle
from present.citation import Citation, Source

CITED = Citation(
    view="Compare countries",
    app_version="0.1.0",
    data_digest="0123456789ab",
    data_date=datetime.date(2026, 5, 14),
    method="Weights: 4 dimensions equally. min-max normalisation.",
    sources=(Source("EITI", "Validation", "2025", "CC BY 4.0", "https://eiti.org"),),
    url="https://example.org/compare?compare=RUS,CHN",
    accessed=datetime.date(2026, 12, 4),
)


def _bars() -> go.Figure:
    fig = go.Figure(
        [
            go.Bar(
                name="Media reach",
                x=[12.499999999999998, 3.04],
                y=["1. A", "2. B"],
                orientation="h",
                hovertemplate="%{y}: %{x:.1f}<extra></extra>",
            ),
            go.Bar(name="EITI", x=[0.26, None], y=["1. A", "2. B"], orientation="h"),
        ]
    )
    fig.update_layout(title={"text": "Overall score"}, xaxis_title="Score (0–100)")
    return fig


def test_bars_give_series_label_and_value_rounded_as_shown():
    table = bundle.figure_table(_bars())
    # by hand: 12.499999999999998 shows as 12.5 (".1f"), 3.04 as 3.0; no hover format: one decimal
    expected = pd.DataFrame(
        {
            "Series": ["Media reach", "Media reach", "EITI", "EITI"],
            "Label": ["1. A", "2. B", "1. A", "2. B"],
            "Score (0–100)": [12.5, 3.0, 0.3, None],
        }
    )
    pd.testing.assert_frame_equal(table, expected, check_dtype=False)
    assert "12.499999" not in table.to_csv(index=False)


def test_radar_and_map_traces_name_their_columns():
    radar = go.Figure(go.Scatterpolar(name="Russia", r=[83.027, 47.95], theta=["Media", "Visa"]))
    assert bundle.figure_table(radar).to_dict("list") == {
        "Series": ["Russia", "Russia"],
        "Dimension": ["Media", "Visa"],
        "Score": [83.0, 48.0],  # 47.95 is 47.9500…03 in binary: 48.0
    }
    world = go.Figure(
        go.Choropleth(locations=["NAM", "RUS"], z=[41.25, 70.0], text=["Namibia", "Russia"])
    )
    assert bundle.figure_table(world).to_dict("list") == {
        "Series": ["", ""],
        "ISO3": ["NAM", "RUS"],
        "Country": ["Namibia", "Russia"],
        "Score": [41.3, 70.0],  # 41.25 is exact: the browser's toFixed(1) writes 41.3
    }


def _read(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        return {name: archive.read(name) for name in archive.namelist()}


def test_zip_holds_data_metadata_readme_and_the_image_when_drawn():
    files = _read(bundle.chart_zip(_bars(), "rankings-bars", CITED, image=b"\x89PNG fake"))
    assert sorted(files) == [
        "README.txt",
        "metadata.json",
        "rankings-bars.csv",
        "rankings-bars.png",
    ]
    assert files["rankings-bars.png"] == b"\x89PNG fake"
    csv = pd.read_csv(io.BytesIO(files["rankings-bars.csv"]))
    assert csv["Score (0–100)"].tolist()[:2] == [12.5, 3.0]
    meta = json.loads(files["metadata.json"])
    assert meta["sources"] == [
        {
            "publisher": "EITI",
            "title": "Validation",
            "edition": "2025",
            "licence": "CC BY 4.0",
            "url": "https://eiti.org",
        }
    ]
    assert meta["method"] == CITED.method
    assert meta["data_version"] == {"digest": "0123456789ab", "date": "2026-05-14"}
    assert meta["app_version"] == "0.1.0" and meta["title"] == "Overall score"
    assert meta["citation"][0]["type"] == "dataset"
    assert meta["citation"][0]["URL"] == CITED.url
    readme = files["README.txt"].decode("utf-8")
    assert readme.startswith("Overall score\n")
    assert "Soft Power Scorecard: Compare countries (version 0.1.0" in readme
    assert "rankings-bars.png: the chart as an image" in readme


def test_zip_without_a_browser_says_why_the_image_is_missing():
    files = _read(bundle.chart_zip(_bars(), "c", CITED, image=None, image_problem="No Chromium."))
    assert "c.png" not in files
    assert "c.png: not included: No Chromium." in files["README.txt"].decode("utf-8")


@pytest.fixture(scope="module")
def shipped():
    from indicators.catalogue import load_catalogue, load_countries, load_values
    from scoring.pipeline import build_scorecard, prepare

    catalogue, countries = load_catalogue(), load_countries()
    prepared = prepare(load_values(catalogue, countries), catalogue, countries=countries)
    return build_scorecard(prepared, countries=countries), catalogue, countries


def test_compare_bars_zip_carries_the_scorecards_dimension_scores(shipped):
    from present.compare import compare_bars_figure

    sc, catalogue, countries = shipped
    fig = compare_bars_figure(sc, catalogue, countries, ["RUS", "DEU"])
    table = bundle.figure_table(fig)
    names = catalogue.dimension_names()
    for dimension in sc.prepared.dimensions:
        row = table[(table["Series"] == "Germany") & (table["Label"] == names[dimension])]
        expected = sc.results.loc["DEU", dimension]  # the engine's score, rounded by hand here
        if pd.isna(expected):
            assert row.empty or row.iloc[0, -1] != row.iloc[0, -1]
        else:
            assert row.iloc[0, -1] == round(float(expected), 1)


def test_scorecard_export_writes_the_chart_zip(tmp_path, monkeypatch):
    from exports import images
    from exports.cli import main

    def no_browser(*args, **kwargs):
        raise images.ImageExportUnavailable("No browser in this test.")

    monkeypatch.setattr(images, "figure_bytes", no_browser)  # the zip still comes, saying so
    out = tmp_path / "bars.zip"
    code = main(["export", "--chart", "bars", "--country", "RUS", "DEU", "--out", str(out)])
    assert code == 0
    files = _read(out.read_bytes())
    assert sorted(files) == ["README.txt", "bars.csv", "metadata.json"]
    assert "bars.png: not included: No browser in this test." in files["README.txt"].decode()
    meta = json.loads(files["metadata.json"])
    assert meta["chart"] == "bars" and meta["title"] == "Dimension scores side by side"
    assert len(meta["data_version"]["digest"]) == 12 and "URL" not in meta["citation"][0]
    csv = pd.read_csv(io.BytesIO(files["bars.csv"]))
    assert set(csv["Series"]) == {"Russian Federation", "Germany"}
