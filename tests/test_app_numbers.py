"""Numbers in grids and on sliders as the reader's language writes them (AppTest): Russian
"83,6", "97,22 %", "0,50"; English exactly as Streamlit writes it today. What the browser draws
and how a column sorts are tests/test_browser_numbers.py's."""

import json
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

import i18n
from present.tables import cell_formatter, grid
from scoring.method import Method
from tests.app_driver import APP, PAGES, open_app, rankings_table, widget
from tests.untranslated import untranslated


def shown_cells(element) -> pd.DataFrame | None:
    """The texts a grid draws in place of its numbers (the Styler's display values Streamlit
    sends beside the data), or None when it draws the numbers with its own formats."""
    raw = element.proto.arrow_data.styler.display_values
    return pa.ipc.open_stream(raw).read_all().to_pandas() if raw else None


def column_formats(element) -> dict[str, str | None]:
    """Each configured column's number format, as sent to the browser."""
    config = json.loads(element.proto.columns or "{}")
    return {name: (c.get("type_config") or {}).get("format") for name, c in config.items()}


# ---- the Rankings grid
# Its scores have a fixed number of decimals and its coverage is a percentage: in Russian the
# browser writes them ("localized" and "percent" formats, Intl in the page's languages, which
# views.language sets to the app's; what it draws is tests/test_browser_numbers.py's), with the
# decimals English shows, and the server sends no text in their place (no cost per rerun).
def test_the_russian_rankings_grid_leaves_its_numbers_to_the_browser_in_russian():
    app = open_app("views/rankings.py", lang="ru")
    rankings_table(app)
    assert shown_cells(app.dataframe[0]) is None
    config = json.loads(app.dataframe[0].proto.columns)
    kinds = {c: config[c]["type_config"] for c in ("Сводный балл", "Охват", "Полнота данных")}
    # one decimal as English's "%.1f"; the overall keeps its bar
    assert kinds["Сводный балл"] | {"color": None} == {
        "type": "progress", "format": "localized", "step": 0.1, "min_value": 0,
        "max_value": 100, "color": None,
    }  # fmt: skip
    assert (kinds["Охват"]["format"], kinds["Охват"]["step"]) == ("localized", 0.1)
    assert kinds["Полнота данных"]["format"] == "percent"
    assert config["Сдвиг к методу по умолчанию"]["type_config"]["format"] == "%+d"
    assert app.dataframe[0].value["Сводный балл"].dtype.kind == "f"  # sorts as numbers
    # the leader named as indicators/country_names_ru.yaml writes it, not "United Kingdom"
    assert app.dataframe[0].value.iloc[0]["Страна"] == "Великобритания"


def test_the_english_rankings_grid_is_drawn_by_streamlits_own_formats_as_before():
    app = open_app("views/rankings.py")
    rankings_table(app)
    assert shown_cells(app.dataframe[0]) is None
    formats = column_formats(app.dataframe[0])
    assert (formats["Overall"], formats["Media reach"]) == ("%.1f", "%.1f")
    assert (formats["Data coverage"], formats["Change vs default"]) == ("percent", "%+d")
    assert json.loads(app.dataframe[0].proto.columns)["Overall"]["type_config"]["type"] == (
        "progress"
    )


# ---- the rule, cell by cell (Russian as CLDR writes it: decimal comma, no-break space as the
# thousands group and before the per cent sign; worked by hand)
@pytest.mark.parametrize(
    ("fmt", "value", "written"),
    [
        ("%.1f", 88.64, "88,6"),
        ("%.1f", 1234.56, "1\xa0234,6"),
        ("%.2f", -0.5, "-0,50"),
        ("%+.1f", 3.04, "+3,0"),
        ("%+.1f", -3.04, "-3,0"),
        ("%+.3f", 0.0125, "+0,013"),  # 0.0125 is stored as 0.012500000000000001
        ("%.0f", 12.4, "12"),
        ("percent", 1 / 6, "16,67\xa0%"),
        ("percent", 0.5, "50\xa0%"),
        ("percent", 1.0, "100\xa0%"),
        ("%g", 0.125, "0,125"),
        (None, 1 / 3, "0,3333"),
        (None, 2024.0, "2024"),
    ],
)
def test_a_cell_is_written_in_russian_with_the_decimals_of_its_format(fmt, value, written):
    i18n.use("ru")
    assert cell_formatter(fmt)(value) == written


@pytest.mark.parametrize("fmt", ["%d", "%+d", "%i"])
def test_whole_numbers_are_left_to_the_grid(fmt):
    i18n.use("ru")
    assert cell_formatter(fmt) is None
    assert cell_formatter(None, floats=False) is None


def test_grid_keeps_a_pages_highlights_and_writes_what_the_browser_cannot():
    i18n.use("ru")
    table = pd.DataFrame({"n": ["a", "b"], "s": [9.04, None], "d": [2.25, -1.0], "r": [1, 2]})
    marked = table.style.apply(lambda row: ["font-weight: bold"] * len(row), axis=1)
    config = {"s": {"type_config": {"type": "progress", "format": "%.1f"}, "help": "h"},
              "d": {"type_config": {"type": "number", "format": "%+.1f"}},
              "r": {"type_config": {"type": "number", "format": "%+d"}}}  # fmt: skip
    shown = grid(marked, config, placeholder="нет данных")
    assert shown["data"] is marked  # the same Styler, its highlight kept
    # one decimal: the browser's, in the page's language
    assert shown["column_config"]["s"] == {
        "type_config": {"type": "progress", "format": "localized", "step": 0.1},
        "help": "h",
    }
    # a "+" sign Intl's "localized" cannot write: written here, the format dropped
    assert shown["column_config"]["d"] == {"type_config": {"type": "number"}}
    assert shown["column_config"]["r"] == config["r"]  # whole numbers: the grid's own format
    html = marked.to_html()
    assert "+2,2" in html and "−1,0" not in html and "-1,0" in html  # Python's sign, as English
    i18n.use("en")
    assert grid(table, config) == {"data": table, "column_config": config}


# ---- sliders
def test_the_reach_share_and_weights_read_in_russian_and_keep_their_values():
    app = open_app("views/rankings.py", lang="ru")
    share = widget(app.sidebar.select_slider, "reach_share")
    assert share.label == "Охват : привлекательность"
    assert (share.value, share.format_func(share.value)) == (0.5, "0,50")
    assert share.options[:3] == ["0,00", "0,05", "0,10"] and share.options[-1] == "1,00"
    media = widget(app.sidebar.select_slider, "dimension_weight_media_reach")
    assert media.options[:2] == ["0,00", "0,25"] and media.options[-1] == "5,00"
    media.set_value(2.5).run()  # the value stored, as in English, in the Method and the link
    share = widget(app.sidebar.select_slider, "reach_share")
    share.set_value(0.7).run()
    assert not app.exception
    assert app.query_params["dw"] == "media_reach:2.5"
    assert app.query_params["sw"] == "appeal:0.3,reach:0.7"
    assert [s.key for s in app.sidebar.slider] == []  # no printf-formatted slider is left


def test_the_reach_share_and_weights_in_english_stay_streamlit_sliders_with_two_places():
    app = open_app("views/rankings.py")
    assert [s.key for s in app.sidebar.select_slider] == ["data_up_to"]  # the year, as before
    share = widget(app.sidebar.slider, "reach_share")
    assert (share.value, share.proto.format) == (0.5, "%.2f")
    assert widget(app.sidebar.slider, "dimension_weight_media_reach").proto.format == "%.2f"


def test_a_weight_between_steps_from_a_link_is_an_option_in_russian():
    link = Method(indicator_weights={"rsf_press_freedom": 1.3}).to_query()
    app = open_app("views/method.py", lang="ru", **link)
    rsf = widget(app.select_slider, "indicator_weight_rsf_press_freedom")
    assert rsf.value == 1.3 and "1,30" in rsf.options and "1,25" in rsf.options
    coverage = widget(app.select_slider, "method_min_coverage")
    assert coverage.format_func(coverage.value) == "0,50"


def test_switching_to_russian_keeps_a_moved_weight():
    app = open_app("views/rankings.py", dw="media_reach:2.5")
    assert widget(app.sidebar.slider, "dimension_weight_media_reach").value == 2.5
    app.session_state["lang"] = "ru"
    i18n.use("ru")
    app.run()
    assert not app.exception
    media = widget(app.sidebar.select_slider, "dimension_weight_media_reach")
    assert (media.value, media.format_func(media.value)) == (2.5, "2,50")


# ---- every page with a grid, in Russian: drawn, and nothing left in English
#: Tabs drawn only when open: (session key, English label).
OPEN_TABS = {
    "views/rankings.py": [("rankings_view", "Table")],
    "views/validity.py": [("validity_tab", t) for t in ("External", "Internal", "Face")],
    "views/robustness.py": [
        ("robustness_tab", t) for t in ("Leave one out", "What drives the ranks", "Correlations")
    ],
}
ROOT = Path(APP).parent
GRID_VIEWS = [
    (page, key, label)
    for page in sorted({"views/rankings.py", *PAGES})
    if "grid(" in (ROOT / page).read_text()
    for key, label in OPEN_TABS.get(page, [(None, None)])
]


@pytest.mark.parametrize(
    ("page", "key", "label"), GRID_VIEWS, ids=[f"{p}:{t}" for p, _k, t in GRID_VIEWS]
)
def test_every_grid_page_in_russian_shows_no_english(page, key, label):
    app = AppTest.from_file(APP, default_timeout=180)
    app.query_params["lang"] = "ru"
    i18n.use("ru")
    app.run()
    if key:
        app.session_state[key] = i18n._(label)
    app.switch_page(page).run()
    assert not app.exception, app.exception
    assert untranslated(app) == []
    for frame in app.dataframe:
        assert numbers_with_a_point(frame) == [], page


#: Formats the browser writes in the page's language (Intl; views.language sets its languages).
BROWSER_WRITTEN = {"localized", "percent"}


def numbers_with_a_point(frame) -> list:
    """The grid's number cells a Russian reader would see with a decimal point. A column with a
    format is drawn by it (the format wins over a Styler's text): the browser's in the page's
    language, or a printf one, which writes a point in any fractional number. A column without
    one is drawn from the Styler's text when there is one, else as the number itself."""
    data, shown = frame.value, shown_cells(frame)
    formats = column_formats(frame)
    found = []
    for column in (c for c in data.columns if pd.api.types.is_numeric_dtype(data[c])):
        fractional = [v for v in data[column].dropna() if v % 1]
        if formats.get(column):
            if formats[column] not in BROWSER_WRITTEN:
                found += [(column, v) for v in fractional]
        elif shown is not None:
            found += [(column, v) for v in shown[column] if isinstance(v, str) and "." in v]
        else:
            found += [(column, v) for v in fractional]
    return found
