"""The method and evidence pages in Russian: Weights and method, Robustness, Validity, Methodology,
Indicators and sources. Every view of each page shows no English left (the names and catalogue
prose come from the catalogue's own translations), the sentences carry the English figures, and
the Methodology document keeps its sections."""

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import i18n
from exports.methodology import methodology_markdown
from i18n.messages import read_catalogue
from indicators.catalogue import ABSENCE, load_catalogue
from present import robustness, validity
from present.errors import said
from present.weight_sets import ESSAY_EMPHASIS, apply_weight_set
from scoring.aggregate import AGGREGATORS, geometric
from scoring.impute import IMPUTERS
from scoring.method import Method
from scoring.normalise import NORMALISERS
from scoring.treat import TREATMENTS
from scoring.weights import WEIGHT_PRESETS
from tests.app_driver import open_app
from tests.untranslated import untranslated

# The essay's emphasis as the link carries it (dimension weights: the four named ones doubled).
ESSAY_QUERY = apply_weight_set(
    Method(), ESSAY_EMPHASIS, load_catalogue().dimension_weights()
).to_query()


def in_language(language: str, make):
    """`make()` run in `language`, the language put back after."""
    i18n.use(language)
    try:
        return make()
    finally:
        i18n.use("en")


def russian(text: str) -> str:
    return in_language("ru", lambda: i18n._(text))


@pytest.fixture(autouse=True)
def english_after():
    yield
    i18n.use("en")


def open_view(page: str, lang: str = "ru", state: dict | None = None, **query):
    """`page` in `lang`, with widget state (English labels of tabs are translated first).

    AppTest calls a widget's format_func in the test's own thread when it reruns, so the test
    reads in the page's language too (the fixture above puts English back)."""
    app = open_app(page, lang=lang, **query)
    i18n.use(lang)
    for key, value in (state or {}).items():
        app.session_state[key] = i18n._(value)
    if state:
        app.run()
        assert not app.exception, app.exception
    return app


# Each page in each of its views: lazy tabs and segmented views are opened one by one; plain tabs
# and expanders are all drawn on every run.
VIEWS = [
    ("views/method.py", {}, {}),
    ("views/method.py", {}, ESSAY_QUERY),  # the essay's emphasis and its note
    ("views/method.py", {}, {"iagg": "geometric"}),  # settings that cannot be scored, the fix
    ("views/robustness.py", {}, {"country": "RUS"}),
    ("views/robustness.py", {}, {"country": "ATA"}),  # no country followed: the spread sentence
    ("views/robustness.py", {"robustness_intervals_view": "Table"}, {"country": "RUS"}),
    ("views/robustness.py", {"robustness_tab": "Leave one out"}, {}),
    ("views/robustness.py", {"robustness_tab": "What drives the ranks"}, {"country": "RUS"}),
    ("views/robustness.py", {"robustness_tab": "Correlations"}, {}),
    ("views/validity.py", {"validity_tab": "External"}, {}),
    ("views/validity.py", {"validity_tab": "Internal"}, {}),
    ("views/validity.py", {"validity_tab": "Face"}, {}),
    ("views/methodology.py", {}, {}),
    ("views/sources.py", {}, {}),
]


@pytest.mark.parametrize(
    "page, state, query",
    VIEWS,
    ids=[f"{p.removeprefix('views/')}-{'-'.join([*s.values(), *q])}" for p, s, q in VIEWS],
)
def test_every_view_of_the_page_reads_in_russian(page, state, query):
    app = open_view(page, "ru", state, **query)
    left = untranslated(app)
    for text, words in left:  # shown on failure: names and catalogue prose come from "names"
        print(f"{words} | {text[:200]!r}")
    assert left == []


def test_a_tab_opened_in_russian_is_the_one_shown():
    app = open_view("views/robustness.py", "ru", {"robustness_tab": "Correlations"})
    assert russian("Flagged pairs") in [m.value.strip("*") for m in app.markdown]


# ---- the same figures in both languages


def figures(text: str) -> list[float]:
    """The numbers in a sentence, whatever the language's separators: "1,000.5" and "1 000,5"
    are both 1000.5; ordinals ("31st", "31-е") and percentages ("74%", "74 %") give 31 and 74."""
    text = re.sub(r"(?<=\d)[\xa0\u202f ](?=\d{3}\b)", "", text)  # Russian thousands
    text = re.sub(r"(?<=\d),(?=\d{3}\b)", "", text)  # English thousands
    text = re.sub(r"(?<=\d),(?=\d)", ".", text)  # Russian decimal comma
    return sorted(float(n.replace("−", "-")) for n in re.findall(r"[−-]?\d+(?:\.\d+)?", text))


def test_figures_reads_both_languages():
    assert figures("between 31st and 45th in 90 of 100 cases, about 74%, 1,000.5") == figures(
        "между 31-е и 45-е в 90 из 100, около 74\xa0%, 1\xa0000,5"
    )
    assert figures("r < −0.4") == [-0.4]


INTERVALS = pd.DataFrame(
    {
        "nominal_rank": [38.0, 2.0, 7.0],
        "p05_rank": [31.4, 1.0, 3.2],
        "p95_rank": [44.2, 3.0, 21.0],
    },
    index=["RUS", "DEU", "KAZ"],
)
LOO = pd.DataFrame(
    {
        "level": ["indicator", "dimension"],
        "removed": ["a", "d"],
        "mean_abs_rank_change": [1.5, 4.25],
        "max_abs_rank_change": [3.0, 12.0],
    }
)
INDICES = pd.DataFrame(
    {
        "target": ["t", "t"],
        "input": ["weight: d", "normalisation"],
        "first_order": [0.1, 0.5],
        "total_order": [0.2, 0.74],
    }
)
PAIRS = pd.DataFrame(
    {"correlation": [0.95, 0.2, -0.5, 0.93], "flag": ["redundant", "", "negative", "redundant"]}
)


def _geometric_refusal() -> ValueError:
    """What the geometric mean says of a 0 (Chad has 0 broadcast languages)."""
    try:
        geometric(
            np.array([[0.0, 5.0]]),
            np.array([1.0, 1.0]),
            names=["broadcaster_languages", "x"],
            units=["TCD"],
        )
    except ValueError as error:
        return error
    raise AssertionError("the geometric mean took a 0")


SENTENCES = {
    "interval": lambda: robustness.interval_sentence(INTERVALS, "RUS", "Russia", ["imputation"]),
    "interval, one rank": lambda: robustness.interval_sentence(
        INTERVALS.assign(p05_rank=[38.0, 1.0, 3.0], p95_rank=[38.0, 3.0, 21.0]), "RUS", "Russia"
    ),
    "spread": lambda: robustness.spread_sentence(INTERVALS, {"KAZ": "Kazakhstan"}),
    "leave one out": lambda: robustness.leave_one_out_sentence(LOO, {"d": "Media reach"}),
    "sensitivity": lambda: robustness.sensitivity_sentence(INDICES, "t", "Russia's rank", {}),
    "correlations": lambda: robustness.correlation_sentence(PAIRS),
    "rank change": lambda: robustness.rank_change_note(-3),
    "engine refusal": lambda: said(
        _geometric_refusal(), {"broadcaster_languages": "Languages", "TCD": "Chad"}
    ),
    "outliers": lambda: validity.outlier_sentence(
        pd.DataFrame({"our_rank": [6, 5], "published_rank": [30, 1]}, index=["ARG", "X"]),
        {"ARG": "Argentina"},
        30,
    ),
    "thin support": lambda: validity.thin_support(
        pd.DataFrame(
            {"rank": [3, 9], "country": ["Monaco", "Y"], "indicators": [9, 15], "of_indicators": 21}
        )
    ),
}


@pytest.mark.parametrize("name", SENTENCES)
def test_a_sentence_in_russian_carries_the_english_figures(name):
    english = SENTENCES[name]()
    russian_sentence = in_language("ru", SENTENCES[name])
    assert russian_sentence != english
    assert figures(russian_sentence) == figures(english), (english, russian_sentence)


def test_the_robustness_headline_in_russian_has_the_english_figures():
    """The page's own sentence: the same Monte Carlo run (seed 0), the same figures."""

    def headline(lang):
        app = open_view("views/robustness.py", lang, country="RUS")
        bold = [m.value for m in app.markdown if m.value.startswith("**")]
        return bold[0]

    english, russian_sentence = headline("en"), headline("ru")
    # Worked from the English: "... would rank between 31st and 45th in 90 of 100 cases (38th
    # with ours)" has five figures; the Russian must carry the same five.
    assert len(figures(english)) == 5, english
    assert figures(russian_sentence) == figures(english), (english, russian_sentence)


# ---- the Methodology document


def headings(markdown: str) -> list[int]:
    """The heading levels of a Markdown document, in order."""
    return [len(line) - len(line.lstrip("#")) for line in markdown.splitlines() if line[:1] == "#"]


def table_rows(markdown: str) -> int:
    return sum(line.startswith("|") for line in markdown.splitlines())


def test_the_methodology_page_in_russian_has_the_english_sections():
    def document(lang):
        app = open_view("views/methodology.py", lang)
        return max((m.value for m in app.markdown), key=len)

    english, russian_text = document("en"), document("ru")
    # The English page: "## What the scorecard measures", "## Sides and dimensions",
    # "## Indicators" with a "###" per dimension, "## How the scores are computed", "## Decisions".
    dimensions = len(load_catalogue().dimensions)
    assert headings(english).count(3) == dimensions
    assert headings(russian_text) == headings(english)
    assert table_rows(russian_text) == table_rows(english)
    assert "## Что измеряет рейтинг" in russian_text
    assert "## What the scorecard measures" in english


def test_the_shipped_document_stays_english_after_a_russian_render():
    catalogue = load_catalogue()
    in_language("ru", lambda: methodology_markdown(catalogue))
    shipped = (Path(__file__).parent.parent / "docs" / "methodology.md").read_text(encoding="utf-8")
    assert methodology_markdown(catalogue) == shipped


# ---- words the code holds in English outside the marked messages


def test_the_registries_labels_rules_and_absence_meanings_have_russian():
    """scoring/ and indicators/ hold these in English and never import i18n; the pages show
    them through _(), so the catalogue must have each one."""
    catalogue = read_catalogue("ru")
    texts = [
        text
        for registry in (NORMALISERS, AGGREGATORS, IMPUTERS, TREATMENTS, WEIGHT_PRESETS)
        for entry in registry.values()
        for text in (entry.label, entry.rule)
    ] + list(ABSENCE.values())
    assert [text for text in texts if not catalogue.get(text)] == []
