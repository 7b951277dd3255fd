"""The engine's refusals reach a reader in the reader's language: each family is triggered
through its real entry point (a link, a Method file, the pipeline, a target), the English is
the sentence written out here by hand, and the Russian is said from core.po with the country or
indicator named in Russian. Expected texts are written by hand, never taken from the code."""

import copy
import pickle

import pandas as pd
import pytest

import i18n
from present.errors import said
from scoring.errors import Country, EngineError, Indicator, Listed, Quoted, Term
from scoring.method import Method
from scoring.pipeline import build_scorecard
from scoring.target import what_it_takes
from tests.app_driver import open_app
from tests.untranslated import english_words, untranslated


@pytest.fixture
def russian():
    i18n.use("ru")
    yield
    i18n.use(i18n.DEFAULT)


def refusal(action) -> ValueError:
    try:
        action()
    except ValueError as error:
        return error
    raise AssertionError("no refusal")


# A 3-country framework: two indicators in one dimension, on one side. "flat" is the same
# everywhere; "press" has Russia at 0 (worst) and Chad missing.
FRAMEWORK = pd.DataFrame(
    {
        "indicator": ["flat", "press"],
        "dimension": ["media", "media"],
        "direction": [1, 1],
        "weight": [1.0, 1.0],
        "side": ["reach", "reach"],
    }
)
VALUES = pd.DataFrame(
    {
        "iso3": ["RUS", "KAZ", "FRA", "RUS", "KAZ", "FRA"],
        "indicator": ["flat", "flat", "flat", "press", "press", "press"],
        "year": 2020,
        "value": [5.0, 5.0, 5.0, 0.0, 40.0, 80.0],
    }
)
NAMES = {"flat": "Flat", "press": "Press freedom", "RUS": "Russia"}
NAMES_RU = {"flat": "Ровный", "press": "Свобода прессы", "RUS": "Россия", "CHN": "Китай"}


# ---- the pipeline: a constant indicator under min-max, a mean that needs positive values


def test_a_constant_indicator_is_named_in_either_language(russian):
    error = refusal(lambda: build_scorecard(VALUES, FRAMEWORK, Method(year=2020)))
    # str(): the English as the engine has always written it, ids as ids.
    assert str(error) == (
        "flat: every country has the same value, so min-max is undefined (give it weight 0 or "
        "choose another normalisation)"
    )
    assert said(error, NAMES_RU) == (
        "Ровный: у всех стран одно и то же значение, поэтому нормализация «min-max» не "
        "определена (дайте индикатору вес 0 или выберите другую нормализацию)"
    )
    i18n.use("en")
    assert said(error, NAMES).startswith("Flat: every country has the same value")


def test_a_geometric_mean_of_a_zero_names_the_item_and_the_country(russian):
    method = Method(year=2020, indicator_weights={"flat": 0}, indicator_aggregation="geometric")
    error = refusal(lambda: build_scorecard(VALUES, FRAMEWORK, method))
    # Min-max puts Russia's 0 at 0: the geometric mean of the media dimension cannot take it.
    assert str(error) == (
        "media: geometric mean needs positive values, but press is 0 for RUS; normalise to a "
        "range such as [1, 100] (min-max low = 1) or choose arithmetic aggregation"
    )
    assert said(error, NAMES_RU | {"media": "Медиа"}) == (
        "Медиа: геометрическому среднему нужны положительные значения, но «Свобода прессы» "
        "равно 0 для Россия; нормализуйте к диапазону вроде [1, 100] (min-max с нижней "
        "границей 1) или выберите арифметическое агрегирование"
    )


def test_side_weights_all_zero(russian):
    method = Method(year=2020, indicator_weights={"flat": 0}, side_weights={"reach": 0})
    error = refusal(lambda: build_scorecard(VALUES, FRAMEWORK, method))
    assert str(error) == "side_weights: every side with weighted dimensions has weight 0"
    assert said(error) == ("веса сторон: у каждой стороны, где есть измерения с весом, вес равен 0")


# ---- a Method file


def test_a_method_file_out_of_range(russian):
    error = refusal(lambda: Method.from_toml("min_coverage = 2.5\n"))
    assert str(error) == "min_coverage: must be between 0 and 1, got 2.5"
    # The setting's key as the file writes it (code); the number with a decimal comma.
    assert said(error) == "`min_coverage`: должно быть от 0 до 1, получено 2,5"
    assert english_words(said(error)) == []


def test_a_method_file_with_unknown_keys_and_deep_nesting(russian):
    error = refusal(lambda: Method.from_toml("colour = 1\nsmell = 2\n"))
    assert str(error) == "method: unknown key(s) colour, smell"
    assert said(error) == "Метод: неизвестные ключи `colour`, `smell`"
    deep = "a = " + "[" * 40 + "]" * 40 + "\n"
    error = refusal(lambda: Method.from_toml(deep))
    assert str(error) == "method: nested more than 32 levels deep (lists or tables)"
    assert said(error) == "Метод: вложенность глубже 32 уровней (списки или таблицы)"


def test_a_long_list_says_how_many_more(russian):
    weights = {f"w{k}": -1 for k in range(7)}
    error = refusal(lambda: Method(indicator_weights=weights))
    assert str(error) == (
        "indicator_weights: negative weight w0 = -1, w1 = -1, w2 = -1, w3 = -1, w4 = -1 and 2 more"
    )
    assert said(error) == (
        "`indicator_weights`: отрицательный вес `w0 = -1`, `w1 = -1`, `w2 = -1`, `w3 = -1`, "
        "`w4 = -1` и ещё 2"
    )


# ---- what it would take: a country the Method does not score


def test_target_for_an_unscored_country_names_it(russian):
    values = pd.concat(
        [
            VALUES,
            pd.DataFrame({"iso3": ["CHN"], "indicator": ["flat"], "year": 2020, "value": [9.0]}),
        ]
    )
    sc = build_scorecard(values, FRAMEWORK, Method(year=2020, indicator_weights={"flat": 0}))
    error = refusal(lambda: what_it_takes(sc, "CHN", 1))
    # China has a value only on the weightless indicator: none on any weighted one.
    reason = dict(sc.screen_reasons)["CHN"]
    assert str(error) == f"CHN is not scored under this Method: {reason}"
    shown = said(error, NAMES_RU)
    assert shown.startswith("Китай: нет оценки при этом методе — ")
    assert english_words(shown) == [], shown


# ---- the app: a link's settings the countries table refuses


def test_a_link_with_an_unknown_imputation_group_in_english():
    app = open_app(imp="group_mean", igrp="nowhere")
    # md() escapes Markdown characters on the page; read the text as written.
    plain = [w.value.replace("\\", "") for w in app.warning]
    assert (
        "The link's scoring settings could not be used (impute_group: unknown group "
        "'nowhere'); showing the defaults."
    ) in plain, plain


def test_a_link_with_an_unknown_imputation_group_in_russian():
    app = open_app(lang="ru", imp="group_mean", igrp="nowhere")
    warnings = [w.value for w in app.warning]
    # md() escapes the code marks and underscores on the page; read them as written.
    plain = [w.replace("\\", "") for w in warnings]
    assert any("`impute_group`: неизвестная группа `'nowhere'`" in w for w in plain), warnings
    assert untranslated(app) == []


def test_side_weights_all_zero_on_the_method_page_in_russian():
    app = open_app("views/method.py", lang="ru", sw="appeal:0,reach:0")
    shown = " ".join(w.value for w in app.warning)
    assert "веса сторон: у каждой стороны, где есть измерения с весом, вес равен 0" in shown
    assert untranslated(app) == []


# ---- the error object itself


def test_an_engine_error_survives_pickling_and_copying():
    error = EngineError(
        "{country}: {items} in {label}, {value:g}",
        country=Country("RUS"),
        items=Listed([Indicator("a"), Quoted("'b'"), "c"], most=2),
        label=Term("Min-max", lower=True),
        value=0.25,
    )
    assert str(error) == "RUS: a, 'b' and 1 more in min-max, 0.25"
    for again in (pickle.loads(pickle.dumps(error)), copy.deepcopy(error)):
        assert type(again) is EngineError
        assert str(again) == str(error)
        assert again.template == error.template
        assert said(again, {"RUS": "Russia", "a": "Alpha"}) == (
            "Russia: Alpha, 'b' and 1 more in min-max, 0.25"
        )


def test_numbers_take_the_readers_separators(russian):
    error = EngineError("{setting}: {value:g} of {most:,.0f}", setting="x", value=0.5, most=1e6)
    assert str(error) == "x: 0.5 of 1,000,000"
    # Babel's Russian: a decimal comma and a no-break space between thousands.
    assert said(error) == "x: 0,5 of 1\xa0000\xa0000"


def test_anything_else_is_its_own_text():
    assert said(KeyError("x")) == "'x'"
    assert said(ValueError("plain")) == "plain"


def test_a_geometric_mean_on_the_method_page_names_in_either_language():
    # Shipped data: Afghanistan has no international broadcaster (0 languages, absence = zero),
    # which min-max keeps at 0, and a geometric mean cannot take a 0.
    english = open_app("views/method.py", iagg="geometric")
    assert [w.value for w in english.warning] == [
        "These settings cannot be scored: Media reach: geometric mean needs positive values, "
        "but Languages of the largest international broadcaster is 0 for Afghanistan; "
        "normalise to a range such as [1, 100] (min-max low = 1) or choose arithmetic "
        "aggregation."
    ]
    russian = open_app("views/method.py", lang="ru", iagg="geometric")
    shown = " ".join(w.value for w in russian.warning)
    assert "Медийный охват: геометрическому среднему нужны положительные значения" in shown
    assert "«Языки крупнейшего международного вещателя» равно 0 для Афганистан" in shown
    assert untranslated(russian) == []


# ---- notes that are not refusals: kept as phrases by the engine, said by the presentation


def test_why_an_indicator_is_stale_in_russian(russian):
    from datetime import date

    from indicators.vintage import stale_indicators
    from present.provenance import vintage_table

    vintage = pd.DataFrame(
        {
            "indicator": ["old_data", "old_download", "empty"],
            "source": "s",
            "edition": "2024",
            "retrieved": ["2026-01-05", "2021-06-30", "2026-01-05"],
        }
    )
    values = pd.DataFrame({"indicator": ["old_data", "old_download"], "year": [2019, 2024]})
    stale = stale_indicators(vintage, values, date(2026, 3, 1), max_age_years=3)
    # 2026 - 2019 = 7 years; 2021-06-30 to 2026-03-01 is 1705 days = 4.67 years, shown 4.7.
    assert stale.set_index("indicator")["reason"].to_dict() == {
        "old_data": "latest value is for 2019, 7 years ago",
        "old_download": "retrieved 2021-06-30, 4.7 years ago",
        "empty": "no value",
    }
    why = vintage_table(stale, {})["Why stale"].to_dict()
    assert why == {
        "old_data": "последнее значение за 2019 год, 7 лет назад",
        "old_download": "загружено 30 июня 2021\u202fг., лет назад: 4,7",
        "empty": "нет значений",
    }


def test_an_external_validity_note_in_russian(russian):
    from present.validity import external_table
    from scoring.validity import external_validity

    scores = pd.DataFrame({"overall": [90.0, 70.0, 50.0]}, index=["RUS", "KAZ", "FRA"])
    published = pd.DataFrame(
        {
            "index": "P",
            "edition": 2020,
            "iso3": ["RUS", "KAZ", "FRA"],
            "rank": [1, 2, 3],
            "score": float("nan"),
        }
    )
    external = external_validity(scores, published, draws=10)
    # Three countries in common, five needed for a correlation.
    assert external["note"].tolist() == ["only 3 countries in common (at least 5 needed)"]
    assert external_table(external)["Note"].tolist() == ["только 3 общие страны (нужно не менее 5)"]


def test_what_it_takes_answer_in_russian(russian):
    sc = build_scorecard(VALUES, FRAMEWORK, Method(year=2020, indicator_weights={"flat": 0}))
    # press: FRA 80 > KAZ 40 > RUS 0, so France ranks 1st already.
    plan = what_it_takes(sc, "FRA", 2, draws=0)
    assert plan.message == "FRA already ranks 1, at or above 2."
    # As the Explain page says it (views.explain.plan_sentence), the country named.
    assert said(plan.answer, {"FRA": "Франция"}) == (
        "Франция уже занимает 1-е место — не ниже 2-го."
    )
