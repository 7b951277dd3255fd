"""The Bring your own data page, driven headless with AppTest, and every page on uploaded data.

AppTest cannot drive st.file_uploader, so the tests put the uploaded files where the uploader's
callback keeps them (session_state["upload_files"]); the page takes it from there exactly as
after a real upload (the browser test does the real upload)."""

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from indicators.catalogue import load_catalogue, load_countries, load_values
from indicators.uploads import UploadedFile, check_upload
from scoring.method import DEFAULT_YEAR_WINDOW, Method
from scoring.pipeline import build_scorecard
from tests.app_driver import PAGES, rankings_table

APP = "../dashboard.py"
PAGE = "views/upload.py"

BROKEN = (
    b"iso3,indicator,year,value,note\n"
    b"RUS,rsf_press_freedom,2025,24.57,\n"
    b"NA,rsf_press_freedom,2025,65.8,Namibia's ISO2 code\n"
    b"CHN,rsf_press_freedom,2025,n/a,\n"
    b"\n"
    b"USA,press_freedom,2025,57.8,\n"
    b"DEU,rsf_press_freedom,2025,88.9,\n"
    b"DEU,rsf_press_freedom,2025,88.9,\n"
)


@pytest.fixture(scope="module")
def shipped():
    catalogue = load_catalogue()
    countries = load_countries()
    return catalogue, countries, load_values(catalogue, countries)


@pytest.fixture(scope="module")
def values_only(shipped) -> dict[str, UploadedFile]:
    """Three catalogue indicators in two dimensions, real values, as a values-only upload."""
    _, _, values = shipped
    chosen = values[
        values["indicator"].isin(["rsf_press_freedom", "fh_free_media", "passport_visa_free"])
    ]
    return {"values": UploadedFile("mine.csv", chosen.to_csv(index=False).encode())}


@pytest.fixture(scope="module")
def with_framework(shipped) -> dict[str, UploadedFile]:
    """A framework of my own: two dimensions, one catalogue indicator and one invented one."""
    _, countries, values = shipped
    press = values[values["indicator"] == "rsf_press_freedom"]
    codes = countries["iso3"].iloc[:60]
    invented = pd.DataFrame(
        {
            "iso3": codes,
            "indicator": "embassy_events",
            "year": 2024,
            "value": [float((i * 37) % 101) for i in range(len(codes))],
        }
    )
    table = pd.concat([press[["iso3", "indicator", "year", "value"]], invented])
    framework = (
        "indicator,dimension,direction,weight,name,unit\n"
        "rsf_press_freedom,voice,1,1,Press freedom,score\n"
        "embassy_events,outreach,1,2,Embassy events,events\n"
    )
    return {
        "values": UploadedFile("mine.csv", table.to_csv(index=False).encode()),
        "framework": UploadedFile("framework.csv", framework.encode()),
    }


def expected(shipped, files) -> tuple:
    catalogue, countries, _ = shipped
    check = check_upload(
        files["values"], files.get("framework"), catalogue, countries, DEFAULT_YEAR_WINDOW
    )
    scorecard = build_scorecard(check.values_used, check.catalogue, Method(), countries)
    return check, scorecard


def open_page(files: dict | None = None, page: str = PAGE, **query) -> AppTest:
    app = AppTest.from_file(APP, default_timeout=90)
    for key, value in query.items():
        app.query_params[key] = value
    if files is not None:
        app.session_state["upload_files"] = files
    app.run()
    app.switch_page(page).run()
    assert not app.exception, app.exception
    return app


def failures_table(app: AppTest) -> pd.DataFrame:
    return next(d.value for d in app.dataframe if "Reason" in d.value.columns)


def texts(elements) -> list[str]:
    return [element.value for element in elements]


def test_without_an_upload_the_page_offers_templates_and_the_shipped_data_stay():
    app = open_page()
    assert app.title[0].value == "Bring your own data"
    assert "Every page uses the shipped data." in texts(app.info)[0]
    assert "Upload a values file to check it." in texts(app.info)
    labels = [button.proto.label for button in app.get("download_button")]
    assert labels == [
        "Download the values template (CSV)",
        "Download the framework template (CSV)",
    ]
    assert "uploaded_dataset" not in app.session_state


def test_a_bad_upload_lists_every_rejected_cell_by_file_line_and_uses_the_rest(shipped):
    app = open_page({"values": UploadedFile("broken.csv", BROKEN)})
    failures = failures_table(app)
    assert failures[["Line", "Column", "Value", "Reason"]].values.tolist() == [
        [3, "iso3", "NA", "unknown country code 'NA'"],
        [4, "value", "n/a", "'n/a' is not a number"],
        [6, "indicator", "press_freedom", "unknown indicator 'press_freedom'"],
        [7, "iso3", "DEU", "duplicate (iso3, indicator, year): the same key is on another row too"],
        [8, "iso3", "DEU", "duplicate (iso3, indicator, year): the same key is on another row too"],
    ]
    assert set(failures["File"]) == {"broken.csv"}
    assert "**broken.csv**: Read 6 rows: 1 accepted, 5 rejected." in texts(app.markdown)
    assert "Download the failures (CSV)" in [b.proto.label for b in app.get("download_button")]
    # The one accepted row is what every page now uses.
    assert any(
        "1 value for 1 country, 1 indicator in 1 dimension, year 2025." in text
        for text in texts(app.markdown)
    )
    dataset = app.session_state["uploaded_dataset"]
    assert dataset.values[["iso3", "value"]].values.tolist() == [["RUS", 24.57]]
    assert dataset.token.startswith("upload-")
    assert texts(app.success)[0] == "Every page now uses your uploaded data: broken.csv."


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "broken.csv is empty."),
        (b"iso3;indicator;year;value\nRUS;rsf_press_freedom;2025;24,57\n", "semicolons (;)"),
        (b"iso3,indicator,year,value\n", "has the column names but no rows of data"),
    ],
    ids=["empty", "semicolons", "header only"],
)
def test_an_unreadable_upload_says_why_and_keeps_the_shipped_data(content, message):
    app = open_page({"values": UploadedFile("broken.csv", content)})
    assert any(message in text for text in texts(app.error)), texts(app.error)
    assert "No row was accepted, so every page keeps using the shipped data." in texts(app.warning)
    assert "uploaded_dataset" not in app.session_state


def test_values_only_upload_is_scored_on_rankings_as_the_engine_scores_it(shipped, values_only):
    check, scorecard = expected(shipped, values_only)
    app = open_page(values_only)
    assert app.session_state["uploaded_dataset"].token == check.token
    app.switch_page("views/rankings.py").run()
    assert not app.exception
    table = rankings_table(app)
    ranks = scorecard.results["rank"]
    assert len(table) == len(ranks)
    assert table["Rank"].tolist() == sorted(ranks.tolist())
    # The sidebar offers the sides and dimensions of the upload only (its RSF values are on the
    # appeal side, its passport values on the reach side).
    assert [slider.label for slider in app.sidebar.slider] == [
        "Reach : appeal",
        "Visa openness",
        "Democratic credentials",
    ]


def test_an_uploaded_framework_defines_the_dimensions_and_scores(shipped, with_framework):
    check, scorecard = expected(shipped, with_framework)
    app = open_page(with_framework)
    assert any(
        text == "**framework.csv**: Read 2 rows: 2 accepted, 0 rejected."
        for text in texts(app.markdown)
    )
    app.switch_page("views/rankings.py").run()
    assert not app.exception
    table = rankings_table(app)
    assert list(table.columns[4:6]) == ["Voice", "Outreach"]
    assert len(table) == len(scorecard.results)
    by_name = table.set_index("Country")["Overall"]
    names = shipped[1].set_index("iso3")["name"]
    assert by_name.to_dict() == pytest.approx(scorecard.results["overall"].rename(names).to_dict())
    assert [slider.label for slider in app.sidebar.slider] == ["Voice", "Outreach"]


def test_the_shipped_data_come_back_with_one_click(values_only):
    app = open_page(values_only)
    assert "uploaded_dataset" in app.session_state
    app.button(key="upload_use_shipped").click().run()
    assert not app.exception
    assert "uploaded_dataset" not in app.session_state
    assert "upload_files" not in app.session_state
    assert "Every page uses the shipped data." in texts(app.info)[0]
    app.switch_page("views/rankings.py").run()
    assert len(app.sidebar.slider) == 1 + len(load_catalogue().dimensions)  # reach : appeal too


def test_changed_weights_do_not_follow_the_data_to_an_upload(values_only):
    # The link names a dimension the upload lacks; the upload resets the Method.
    app = open_page(values_only, dw="cultural_diplomacy:3")
    app.switch_page("views/rankings.py").run()
    assert not app.exception
    assert "dw" not in app.query_params


@pytest.mark.parametrize("upload", ["values_only", "with_framework"])
@pytest.mark.parametrize("page", [p for p in PAGES if p != PAGE])
def test_every_page_works_on_uploaded_data(page, upload, request):
    app = open_page(request.getfixturevalue(upload))
    app.switch_page(page).run()
    assert not app.exception, app.exception
    assert not app.error, texts(app.error)
