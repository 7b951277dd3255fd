"""Cite this view, the chart zip and the embedded chart, run headless (AppTest)."""

import io
import json
import re
import zipfile
from urllib.parse import parse_qsl, urlsplit

import pytest
from streamlit.testing.v1 import AppTest

import i18n
from tests.app_driver import APP, PAGES, open_app, open_download_panels
from tests.untranslated import english_words

SITE = "https://scorecard.example.org"


def _cite_panel(app: AppTest) -> AppTest:
    app.session_state["cite_view"] = True
    app.run()
    assert not app.exception, app.exception
    return app


def _codes(app: AppTest) -> list[str]:
    return [block.value for block in app.get("code")]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_has_cite_this_view(page):
    app = open_app(page)
    labels = [p.proto.popover.label for p in app.main.get("popover")]
    assert labels[0] == "Cite this view", labels  # above the page, even one that stops early


def test_the_citation_names_versions_method_sources_and_the_link_that_reopens_the_view():
    app = AppTest.from_file(APP, default_timeout=120)
    app.context["url"] = f"{SITE}/compare"
    app.query_params["compare"] = "RUS,CHN,DEU"
    app.run()
    app.switch_page("views/compare.py").run()
    _cite_panel(app)
    bibtex, ris, csl, text = _codes(app)[:4]
    assert bibtex.startswith("@misc{softpowerscorecard") and bibtex.rstrip().endswith("}")
    assert ris.startswith("TY  - DATA\n") and ris.rstrip("\n").endswith("\nER  - ")
    [item] = json.loads(csl)
    assert item["type"] == "dataset" and item["title"] == "Soft Power Scorecard: Compare countries"
    assert item["version"] == "0.1.0"  # pyproject.toml
    assert re.search(r"Data version [0-9a-f]{12} \(\d{4}-\d\d-\d\d\)", item["note"])
    assert "min-max normalisation" in item["note"] and "Freedom House" in item["note"]
    link = urlsplit(item["URL"])
    assert f"{link.scheme}://{link.netloc}{link.path}" == f"{SITE}/compare"
    assert dict(parse_qsl(link.query))["compare"] == "RUS,CHN,DEU"
    assert text.startswith("Soft Power Scorecard: Compare countries (version 0.1.0; data ")
    assert item["URL"] in text and item["URL"] in bibtex and f"\nUR  - {item['URL']}\n" in ris
    assert [b.proto.label for b in app.get("download_button")][:4] == [
        "Download .bib",
        "Download .ris",
        "Download .json",
        "Download .txt",
    ]
    # the link reopens the same view: the same countries compared
    reopened = open_app("views/compare.py", **dict(parse_qsl(link.query)))
    assert reopened.session_state["compare"] == ["RUS", "CHN", "DEU"]


def test_cite_this_view_speaks_russian():
    app = _cite_panel(open_app("views/rankings.py", lang="ru"))
    panel = [p for p in app.get("popover") if p.proto.popover.label == "Как цитировать"]
    assert panel, [p.proto.popover.label for p in app.get("popover")]
    texts = [t.label for t in app.get("tab")][:4]
    texts += [b.proto.label for b in app.get("download_button")][:4]
    assert texts[:4] == ["BibTeX", "RIS", "CSL-JSON", "Простой текст"]
    assert all(not english_words(t) for t in texts), texts
    plain = _codes(app)[3]
    assert "(дата обращения:" in plain and "версия 0.1.0; данные" in plain, plain


def test_chart_panel_offers_the_zip_and_the_embed_code():
    app = open_download_panels(open_app("views/compare.py"))
    app.session_state["dl_compare-bars_format"] = "zip"
    app.run()
    assert not app.exception, app.exception
    assert "Download ZIP" in [b.proto.label for b in app.get("download_button")]
    snippets = [c for c in _codes(app) if c.startswith("<iframe")]
    assert any('src="?embed=true&amp;chart=bars"' in s for s in snippets), snippets
    assert any('src="?embed=true&amp;chart=radar"' in s for s in snippets), snippets


def test_the_zip_is_written_in_the_language_of_the_click(monkeypatch):
    """The download runs outside the script run; the zip keeps the session's language."""
    import datetime

    import plotly.graph_objects as go

    from present.citation import Citation
    from views import export_panel

    cited = Citation("Вид", "0.1.0", "0123456789ab", None, "M", (), "", datetime.date(2026, 1, 2))
    fig = go.Figure(go.Bar(x=["a"], y=[1.0]))
    i18n.use("ru")
    try:
        render = export_panel._deferred_zip(fig, "c", cited, "landscape", 2, None, None, "Нет.")
    finally:
        i18n.use("en")
    with zipfile.ZipFile(io.BytesIO(render())) as archive:
        readme = archive.read("README.txt").decode("utf-8")
    assert "Как ссылаться:" in readme and "c.png: не включён: Нет." in readme
    assert i18n.language() == "en"


def _embedded(chart: str, lang: str = "en", **query) -> AppTest:
    app = AppTest.from_file(APP, default_timeout=120)
    app.context["is_embedded"] = True
    app.context["url"] = f"{SITE}/"
    app.query_params["chart"] = chart
    app.query_params["lang"] = lang
    for key, value in query.items():
        app.query_params[key] = value
    app.run()
    assert not app.exception, app.exception
    return app


@pytest.mark.parametrize(
    ("chart", "title", "page"),
    [
        ("ranking", "Overall score by dimension contribution", ""),
        ("map", "Overall soft-power score", ""),
        ("country-radar", "Germany against its peers", "country"),
        ("radar", "Dimension scores", "compare"),
        ("bars", "Dimension scores side by side", "compare"),
    ],
)
def test_embed_shows_one_chart_its_title_sources_and_a_link_back(chart, title, page):
    app = _embedded(chart, country="DEU", compare="RUS,DEU")
    assert [h.value for h in app.subheader] == [title]
    assert len(app.get("plotly_chart")) == 1
    assert app.caption[0].value.startswith("Sources: ")
    assert "Freedom House" in app.caption[0].value
    assert len(app.sidebar) == 0 and not app.title  # no sidebar, no page heading or navigation
    [back] = app.get("link_button")
    link = urlsplit(back.proto.url)
    assert f"{link.scheme}://{link.netloc}{link.path}" == f"{SITE}/{page}"
    assert dict(parse_qsl(link.query)) == {"country": "DEU", "compare": "RUS,DEU", "lang": "en"}
    assert "popover" not in [e.type for e in app.main]  # no "Cite this view" or downloads


def test_embed_draws_the_state_of_the_link():
    app = _embedded("bars", compare="RUS,CHN")
    spec = json.loads(app.get("plotly_chart")[0].proto.spec)
    assert [trace["name"] for trace in spec["data"]] == ["Russian Federation", "China"]


def test_an_unknown_chart_names_the_ones_there_are():
    app = _embedded("pie")
    [error] = app.error
    assert error.value == (
        "There is no chart called “pie” to embed. Use one of: `ranking`, `map`, "
        "`country-radar`, `radar`, `bars`."
    )
    assert not app.get("plotly_chart")


def test_unknown_chart_message_in_russian_has_no_english():
    app = _embedded("pie", lang="ru")
    [error] = app.error
    assert error.value.startswith("Графика «pie» для встраивания нет.")
    assert english_words(error.value.replace("pie", "")) == []


def test_without_embed_the_chart_entry_does_nothing():
    app = open_app(None, chart="bars")
    assert app.title[0].value == "Rankings" and len(app.sidebar) > 0


def test_a_hostile_chart_name_is_shown_as_text():
    app = _embedded("[pay](https://evil.example)")
    [error] = app.error
    assert "\\[pay\\]" in error.value and "](https://evil" not in error.value
