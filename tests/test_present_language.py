"""The presentation's words and numbers in Russian: the method line, what the engine says of a
country it cannot score, a profile's cells, and the charts' separators. Expected texts are
written out by hand from the Russian catalogue's wording."""

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

import i18n
from present import charts
from present.errors import said
from present.profile import flags_text, format_score, format_value, rank_text
from present.tables import method_summary, screen_reason
from scoring.errors import Country, EngineError, Reason, Term
from scoring.method import Method


@pytest.fixture
def russian():
    i18n.use("ru")
    yield
    i18n.use(i18n.DEFAULT)


def _card(weights: dict[str, float], sides: dict[str, str], method: Method):
    """What method_summary reads of a scorecard: the Method, dimension weights (shares of the
    overall) and each dimension's side."""
    order = tuple(dict.fromkeys(sides.values()))
    prepared = SimpleNamespace(
        sides=order, side_of=np.array([order.index(sides[d]) for d in weights], dtype=np.intp)
    )
    return SimpleNamespace(method=method, dimension_weights=pd.Series(weights), prepared=prepared)


def test_the_method_line_in_russian(russian):
    # Reach: a and b at a quarter each; appeal: c at a half. Percentages as Russian writes them
    # (no-break space before %), the ids of the Method in words.
    card = _card(
        {"a": 0.25, "b": 0.25, "c": 0.5},
        {"a": "reach", "b": "reach", "c": "appeal"},
        Method(year_window=(2015, 2024)),
    )
    names = {"a": "Медиа", "b": "Культура", "c": "Демократия"}
    assert method_summary(card, names) == (
        "Веса: охват 50\xa0% (Медиа 25\xa0%, Культура 25\xa0%); привлекательность 50\xa0% "
        "(Демократия 50\xa0%). Нормализация: мин-макс; агрегирование: "
        "арифметическое/арифметическое; последние за 2015–2024."
    )


def test_the_method_line_in_english_is_unchanged():
    card = _card({"a": 0.5, "b": 0.5}, {"a": "reach", "b": "appeal"}, Method(year=2020))
    assert method_summary(card, {"a": "A", "b": "B"}) == (
        "Weights: reach 50% (A 50%); appeal 50% (B 50%). min-max normalisation, "
        "arithmetic/arithmetic aggregation, year 2020."
    )


def test_why_a_country_is_not_scored_in_russian(russian):
    reason = "values in 5 of 8 dimensions (needs 6); no value on the reach side"
    assert screen_reason(reason) == (
        "значения есть в 5 из 8 измерений (нужно 6); нет значений на стороне «охват»"
    )
    assert screen_reason("coverage 0.06 below the threshold 0.50") == (
        "полнота данных 0,06 ниже порога 0,50"
    )
    # As scoring.attribution raises it for a country the "default" state leaves out.
    error = EngineError(
        "{country} is not scored in {label}: {reason}",
        country=Country("TWN"),
        label=Term("default"),
        reason=Reason("values for 9 of 20 indicators (needs 10)"),
    )
    assert said(error, {"TWN": "Тайвань"}) == (
        "Тайвань: нет оценки (по умолчанию) — значения есть по 9 из 20 индикаторов (нужно 10)"
    )
    # Anything else is shown as it is.
    assert said(ValueError("weights: all zero"), {}) == "weights: all zero"


def test_profile_cells_in_russian(russian):
    assert rank_text("12 of 178") == "12 из 178"
    assert rank_text("not applicable") == "неприменимо"
    assert flags_text("treated; carried back from 2024; stale (2015)") == (
        "обработано; перенесено назад из 2024; устарело (2015)"
    )
    # Rounded as in English (Python's), written with Russian signs.
    assert [format_value(v) for v in (12345.6, 24.57, 0.5423, None)] == [
        "12\xa0346",
        "24,6",
        "0,542",
        "нет данных",
    ]
    assert format_score(36.65) == "36,6"  # the float just below 36.65, as the English rounds it


def test_a_russian_chart_has_russian_words_and_signs(russian):
    fig = charts.ranking_bars(
        pd.DataFrame({"a": [30.0, 20.0]}, index=["X", "Y"]), ["1. X", "2. Y"], {"a": "Медиа"}
    )
    assert fig.layout.title.text == "Сводный балл по вкладам измерений"
    assert fig.layout.xaxis.title.text == "Балл (0–100)"
    assert fig.layout.separators == ",\xa0"
