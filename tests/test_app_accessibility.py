"""The text alternative under every chart, in the app: a sentence, and the data as a table once
its expander is opened."""

import pytest

import i18n
from present.chart_text import KINDS
from tests.app_driver import PAGES, open_app


def chart_sentences(app, lang: str = "en") -> list[str]:
    """The captions that describe a chart: they open with the kind of chart."""
    i18n.use(lang)
    kinds = tuple(i18n._(kind) for kind in KINDS.values())
    i18n.use("en")
    return [c.value for c in app.caption if c.value.startswith(kinds)]


@pytest.mark.parametrize("page", PAGES)
def test_every_chart_has_a_sentence_and_a_table(page):
    app = open_app(page)
    charts = app.get("plotly_chart")
    sentences = chart_sentences(app)
    assert len(sentences) == len(charts), sentences
    tables = [e for e in app.expander if e.label == "Chart as a table"]
    assert len(tables) == len(charts)
    # a screen reader names each chart by its sentence (the caption escapes Markdown)
    assert [chart.proto.alt for chart in charts] == [s.replace("\\", "") for s in sentences]


def test_the_table_is_built_once_opened():
    app = open_app("views/compare.py")
    shown = len(app.dataframe)
    app.session_state["alt_compare_radar"] = True
    app.run()
    assert not app.exception, app.exception
    assert len(app.dataframe) == shown + 1
    panel = next(e for e in app.expander if e.label == "Chart as a table")
    table = panel.dataframe[0].value  # the radar: one row per dimension, one column per country
    assert table.columns[0] == "Axis" and len(table.columns) >= 2


def test_a_chart_without_a_download_panel_is_named_by_its_sentence():
    app = open_app("views/sources.py")
    sentences = chart_sentences(app)
    names = [chart.proto.alt for chart in app.get("plotly_chart")]
    assert [s.replace("\\", "") for s in sentences] == names
    assert names[0].startswith("Histogram “Distribution")


def test_the_sentences_are_russian_in_russian():
    app = open_app("views/compare.py", lang="ru")
    sentences = chart_sentences(app, "ru")
    assert len(sentences) == len(app.get("plotly_chart")), sentences
    assert all("максимум" in s and "highest" not in s for s in sentences), sentences
    labels = [e.label for e in app.expander]
    assert labels.count("График в виде таблицы") == len(app.get("plotly_chart"))
