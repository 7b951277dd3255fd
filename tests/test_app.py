"""The app renders on the shipped data without exceptions (Streamlit's AppTest, no browser)."""

from streamlit.testing.v1 import AppTest

APP = "../app.py"


def run_app() -> AppTest:
    app = AppTest.from_file(APP, default_timeout=60)
    app.run()
    assert not app.exception, app.exception
    return app


def test_indicator_tables_show_every_dimension_with_values():
    app = run_app()
    assert app.title[0].value == "Indicators by dimension"
    assert [tab.label for tab in app.tabs][:4] == [
        "Media reach",
        "Migrant integration",
        "EITI participation",
        "Diaspora alignment",
    ]
    media = app.dataframe[0].value
    russia = media.set_index("iso3").loc["RUS"]
    assert russia["Press freedom score (RSF) (score 0–100)"] == 24.57
    assert russia["Press freedom score (RSF): year"] == 2025
    # Coverage is counted from the data, not typed in.
    assert app.metric[0].value.endswith("of 250")
