"""The text alternative under every chart, in the app: a sentence, and the data as a table once
its expander is opened."""

import i18n
from present.chart_text import KINDS
from tests.app_driver import open_app


def chart_sentences(app, lang: str = "en") -> list[str]:
    """The captions that describe a chart: they open with the kind of chart."""
    i18n.use(lang)
    kinds = tuple(i18n._(kind) for kind in KINDS.values())
    i18n.use("en")
    return [c.value for c in app.caption if c.value.startswith(kinds)]


def test_each_chart_has_a_sentence_and_a_table_on_request():
    app = open_app("views/compare.py")
    charts = app.get("plotly_chart")
    sentences = chart_sentences(app)
    assert len(charts) >= 2 and len(sentences) == len(charts), sentences
    assert sentences[0].startswith("Radar chart")
    tables = [e for e in app.expander if e.label == "Chart as a table"]
    assert len(tables) == len(charts)
    shown = len(app.dataframe)
    app.session_state["alt_compare_radar"] = True
    app.run()
    assert not app.exception, app.exception
    assert len(app.dataframe) == shown + 1  # built only once opened


def test_the_sentences_are_russian_in_russian():
    app = open_app("views/compare.py", lang="ru")
    sentences = chart_sentences(app, "ru")
    assert len(sentences) == len(app.get("plotly_chart")), sentences
    assert all("максимум" in s and "highest" not in s for s in sentences), sentences
    assert [e.label for e in app.expander].count("График в виде таблицы") == len(
        app.get("plotly_chart")
    )
