"""The core pages in Russian (AppTest): nothing shown in English, the same figures as in English,
and the language switch that keeps the rest of the link."""

import pytest

from tests.app_driver import chart_figure, open_app
from tests.untranslated import untranslated


def _english_left(app) -> list:
    assert not app.exception, app.exception
    return untranslated(app)


# Each view of the page that draws something of its own: tabs, toggles, and what the link asks
# the explanations for (another comparison, another level, a target rank searched).
RANKINGS_VIEWS = ["Chart", "Reach and appeal", "Table", "Map"]
COUNTRY_LINKS = [
    {},
    {"by": "method", "level": "reach", "measure": "reach_rank", "target": "5"},
    {"country": "USA", "agg": "geometric", "target": "1", "with": "EU"},
    {"country": "TWN"},  # not scored: the reasons are the engine's, said in Russian
]
COMPARE_LINKS = [{}, {"compare": "RUS,CHN", "level": "appeal"}]


@pytest.mark.parametrize("view", RANKINGS_VIEWS)
def test_rankings_in_russian_shows_no_english(view):
    app = open_app("views/rankings.py", lang="ru")
    app.session_state["rankings_view"] = view  # named in English: the page maps it (tabs)
    app.session_state["rankings_screened_out"] = True  # the countries left out, listed
    app.run()
    assert _english_left(app) == []


@pytest.mark.parametrize("link", COUNTRY_LINKS, ids=lambda q: ",".join(q) or "default")
def test_country_in_russian_shows_no_english(link):
    app = open_app("views/country.py", lang="ru", **link)
    assert _english_left(app) == []
    app.session_state["country_radar_peers"] = True
    app.session_state["explain_intervals"] = True
    app.run()
    assert _english_left(app) == []


@pytest.mark.parametrize("link", COMPARE_LINKS, ids=lambda q: ",".join(q) or "default")
def test_compare_in_russian_shows_no_english(link):
    app = open_app("views/compare.py", lang="ru", **link)
    assert _english_left(app) == []


def test_russian_rankings_show_the_english_figures():
    """The language changes the words only: same countries in the same order, same ranks, same
    rounded scores, and the same chart data."""
    tables = {}
    for lang in ("en", "ru"):
        app = open_app("views/rankings.py", lang=lang)
        bars = chart_figure(app, "rankings_bars")["data"]
        app.session_state["rankings_view"] = "Table"
        app.run()
        tables[lang] = (app.dataframe[0].value, bars)
    (en, en_bars), (ru, ru_bars) = tables["en"], tables["ru"]
    assert list(ru.index) == list(en.index) and len(en) > 100
    # Columns by position: Country, Rank, Change, Overall (the headers are translated).
    assert list(ru.columns[:4]) == [
        "Страна",
        "Место",
        "Сдвиг к методу по умолчанию",
        "Сводный балл",
    ]
    assert ru.iloc[:, 1].tolist() == en["Rank"].tolist()
    assert ru.iloc[:, 3].round(1).tolist() == en["Overall"].round(1).tolist()
    assert [t["x"] for t in ru_bars] == [t["x"] for t in en_bars]


def test_russian_country_scorecard_shows_the_english_figures():
    metrics = {}
    for lang in ("en", "ru"):
        app = open_app("views/country.py", lang=lang, country="DEU")
        metrics[lang] = [str(m.value) for m in app.metric]
    # Russian writes a decimal comma, a no-break space before % and "из" for "of".
    as_english = [
        v.replace(",", ".").replace("\xa0%", "%").replace(" из ", " of ") for v in metrics["ru"]
    ]
    assert as_english == metrics["en"]
    assert metrics["ru"][0].count(",") == 1  # the overall score, e.g. "71,3"


def _switch(app, lang: str):
    [switch] = [b for b in app.get("button_group") if b.label == "Language · Язык"]
    switch.set_value(lang)
    app.run()
    assert not app.exception, app.exception
    return app


def test_the_switch_reruns_in_russian_and_keeps_the_rest_of_the_link():
    app = open_app("views/country.py", country="USA", dw="media_reach:3")
    assert [t.value for t in app.title] == ["Country scorecard"]
    _switch(app, "ru")
    assert [t.value for t in app.title] == ["Карточка страны"]
    assert app.query_params.get("lang") == "ru"
    assert app.query_params.get("country") == "USA"
    assert app.query_params.get("dw") == "media_reach:3"
    _switch(app, "en")
    assert [t.value for t in app.title] == ["Country scorecard"]
    assert "lang" not in app.query_params
    assert app.query_params.get("country") == "USA"
    assert app.query_params.get("dw") == "media_reach:3"


def test_the_open_tab_stays_open_across_a_switch():
    app = open_app("views/rankings.py")
    app.session_state["rankings_view"] = "Table"
    app.run()
    _switch(app, "ru")
    assert app.session_state["rankings_view"] == "Таблица"
    assert app.dataframe[0].value.columns[0] == "Страна"  # the table tab, drawn in Russian
    _switch(app, "en")
    assert app.session_state["rankings_view"] == "Table"
