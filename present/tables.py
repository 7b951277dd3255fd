"""Tables and lines for people: display tables with English headers, the method summary and
the source footer under every chart, the countries a chart names. Pure pandas; the pages, the
CLI exports, the workbook and the report share them."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache

import pandas as pd
from babel import Locale
from babel.numbers import format_percent
from pandas.io.formats.style import Styler

import i18n
from exports.tables import _FIXED, PERCENT_DECIMALS, PLAIN_DECIMALS, _format_of
from i18n import N_, _, ngettext
from indicators.catalogue import country_names
from indicators.names import region_name
from present.profile import signs_of
from present.provenance import SIDE_WORDS
from scoring.tables import latest_values

# The Method's ids as the summary line writes them (English: the ids themselves).
NORMALISATION_WORDS = {
    "min_max": N_("min-max"),
    "z_score": N_("z-score"),
    "percentile_rank": N_("percentile-rank"),
    "rank": N_("rank"),
    "goalposts": N_("goalposts"),
    "distance_to_frontier": N_("distance-to-frontier"),
}
AGGREGATION_WORDS = {
    "arithmetic": N_("arithmetic"),
    "geometric": N_("geometric"),
    "harmonic": N_("harmonic"),
    "generalised_mean": N_("generalised_mean"),
    "copeland": N_("copeland"),
}


def latest_values_table(
    values: pd.DataFrame, indicators: pd.DataFrame, countries: pd.DataFrame
) -> pd.DataFrame:
    """One row per country; per indicator a value column headed 'name (unit)' and a year column."""
    latest = latest_values(values[values["indicator"].isin(indicators["indicator"])])
    table = countries[["iso3", "name", "region"]].rename(
        columns={"name": "Country", "region": "Region"}
    )
    # Names and regions in the run's language (the table holds English).
    table["Country"] = table["iso3"].map(country_names(countries))
    table["Region"] = table["Region"].map(region_name, na_action="ignore")
    for indicator in indicators.itertuples():
        cells = latest[latest["indicator"] == indicator.indicator].set_index("iso3")
        table[f"{indicator.name} ({indicator.unit})"] = table["iso3"].map(cells["value"])
        table[_("{indicator}: year").format(indicator=indicator.name)] = (
            table["iso3"].map(cells["year"]).astype("Int64")
        )
    return table.sort_values("Country", ignore_index=True)


def coverage_by_indicator(values: pd.DataFrame, indicators: pd.DataFrame) -> pd.DataFrame:
    """Per indicator: countries with data, years covered, and its source (publisher, edition, licence, url)."""
    rows = []
    for indicator in indicators.itertuples():
        own = values[values["indicator"] == indicator.indicator]
        rows.append(
            {
                "Indicator": indicator.name,
                "Countries": own["iso3"].nunique(),
                "Years": f"{own['year'].min()}–{own['year'].max()}" if len(own) else "",
                "Publisher": indicator.publisher,
                "Edition": indicator.edition,
                "Licence": indicator.licence,
                "Source": indicator.url,
            }
        )
    return pd.DataFrame(rows)


def scatter_labels(
    results: pd.DataFrame, followed: str | None, top: int = 10, gaps: int = 5
) -> list[str]:
    """Countries to name on the reach-against-appeal chart: the `top` overall, the `gaps` with
    reach furthest above appeal and the `gaps` furthest below it, and the followed country.

    >>> r = pd.DataFrame({"overall": [90, 50, 40, 30], "reach": [90, 80, 10, 50],
    ...                   "appeal": [90, 20, 70, 10]}, index=["A", "B", "C", "D"])
    >>> scatter_labels(r, "D", top=1, gaps=1)
    ['A', 'B', 'C', 'D']
    """
    gap = results["reach"] - results["appeal"]
    chosen = [
        *results["overall"].nlargest(top).index,
        *gap.nlargest(gaps).index,
        *gap.nsmallest(gaps).index,
    ]
    if followed in results.index:
        chosen.append(followed)
    return list(dict.fromkeys(chosen))


def weight_percent(share: float) -> str:
    """A weight as a percentage, one way everywhere (captions, subtitles, reports, exports):
    to one place, without a trailing zero, in the language's way (Babel).

    >>> weight_percent(0.125), weight_percent(0.5), weight_percent(1 / 18)
    ('12.5%', '50%', '5.6%')
    """
    locale = i18n.LOCALES[i18n.language()]
    pattern = Locale.parse(locale).percent_formats[None].pattern.replace("0", "0.#", 1)
    return format_percent(share, format=pattern, locale=locale)


def method_summary(sc, dimension_names: dict[str, str]) -> str:
    """One line for chart subtitles and export footers: the weights as shares of the overall
    score (grouped by side where the framework has sides), normalisation, aggregation, year."""
    method, weights = sc.method, sc.dimension_weights

    def shares(dimensions) -> str:
        counted = [d for d in dimensions if weights[d] > 0]
        if len(counted) > 2 and weights[counted].nunique() == 1:
            return ngettext("{n} dimension equally", "{n} dimensions equally", len(counted)).format(
                n=len(counted)
            )
        return ", ".join(
            f"{dimension_names.get(d, d)} {weight_percent(weights[d])}" for d in counted
        )

    text = shares(weights.index)
    if sc.prepared.sides:
        side_of = pd.Series(sc.prepared.side_of, index=weights.index)
        text = "; ".join(
            f"{_(SIDE_WORDS.get(side, side))} {weight_percent(weights[side_of == k].sum())} "
            f"({shares(weights.index[side_of == k])})"
            for k, side in enumerate(sc.prepared.sides)
            if weights[side_of == k].sum() > 0
        )
    if method.year:
        year = _("year {year}").format(year=method.year)
    else:
        year = _("latest {first}–{last}").format(
            first=method.year_window[0], last=method.year_window[1]
        )
    normalisation = NORMALISATION_WORDS.get(method.normalisation, method.normalisation)
    aggregation = [
        _(AGGREGATION_WORDS.get(a, a))
        for a in (method.indicator_aggregation, method.dimension_aggregation)
    ]
    return _(
        "Weights: {weights}. {normalisation} normalisation, {indicators}/{dimensions} "
        "aggregation, {year}."
    ).format(
        weights=text,
        normalisation=_(normalisation),
        indicators=aggregation[0],
        dimensions=aggregation[1],
        year=year,
    )


def incoherent_dimensions(
    alphas: pd.DataFrame, dimension_names: dict[str, str], threshold: float = 0.5
) -> str:
    """A warning naming the dimensions whose indicators do not hang together (Cronbach's alpha
    below `threshold`; `alphas` from ``scoring.audit.cronbach_by_dimension``), or ''.

    >>> a = pd.DataFrame({"dimension": ["a", "b", "c"], "alpha": [-0.82, 0.9, float("nan")]})
    >>> incoherent_dimensions(a, {"a": "Diaspora"})
    "Read with care: the indicators of Diaspora (Cronbach's alpha -0.82) do not hang together."
    """
    weak = alphas[alphas["alpha"] < threshold]
    if weak.empty:
        return ""
    listed = ", ".join(
        (_("{dimension} (Cronbach's alpha {alpha})") if k == 0 else "{dimension} ({alpha})").format(
            dimension=dimension_names.get(d, d), alpha=i18n.number(a, 2)
        )
        for k, (d, a) in enumerate(zip(weak["dimension"], weak["alpha"], strict=True))
    )
    return _("Read with care: the indicators of {dimensions} do not hang together.").format(
        dimensions=listed
    )


def counted_indicators(sc) -> list[str]:
    """The indicators with a positive weight in a scorecard: the ones its scores rest on."""
    weights = sc.indicator_weight_array
    return [i for i, w in zip(sc.prepared.indicators, weights, strict=True) if w > 0]


def chart_sources(sc, catalogue) -> str:
    """The source footer of a chart of `sc`: the publishers of its counted indicators."""
    return catalogue.sources_line(counted_indicators(sc))


# Why the screening left a country out (``scoring.pipeline``'s reasons, "; "-joined in the
# results' ``reason`` column, which exports write as they are), matched by their English wording
# and said in the run's language; anything else is shown as the engine wrote it.
_REASONS = (
    (re.compile(r"values for (\d+) of (\d+) indicators \(needs (\d+)\)"),
     N_("values for {has} of {n} indicators (needs {need})")),
    (re.compile(r"values in (\d+) of (\d+) dimensions \(needs (\d+)\)"),
     N_("values in {has} of {n} dimensions (needs {need})")),
)  # fmt: skip
_NO_SIDE = re.compile(r"no value on the (\w+) side")
_COVERAGE = re.compile(r"coverage ([\d.]+) below the threshold ([\d.]+)")
_DIMENSION_COVERAGE = re.compile(r"dimension coverage below ([\d.]+) in (.+)")
N_("no value for any weighted indicator in the selected year(s)")  # said as is, translated
N_("no values")  # a country without any value (scoring.attribution, scoring.target)


def screen_reason(text: str) -> str:
    """Why a country is not scored, in the run's language.

    >>> screen_reason("values in 5 of 8 dimensions (needs 6); no value on the reach side")
    'values in 5 of 8 dimensions (needs 6); no value on the reach side'
    """
    said = []
    for part in str(text).split("; "):
        for pattern, message in _REASONS:
            if found := pattern.fullmatch(part):
                part = _(message).format(has=found[1], n=found[2], need=found[3])
                break
        else:
            if found := _NO_SIDE.fullmatch(part):
                side = _(SIDE_WORDS.get(found[1], found[1]))
                part = _("no value on the {side} side").format(side=side)
            elif found := _COVERAGE.fullmatch(part):
                part = _("coverage {coverage} below the threshold {threshold}").format(
                    coverage=i18n.number(float(found[1]), 2),
                    threshold=i18n.number(float(found[2]), 2),
                )
            elif found := _DIMENSION_COVERAGE.fullmatch(part):
                part = _("dimension coverage below {threshold} in {dimensions}").format(
                    threshold=i18n.number(float(found[1]), 2), dimensions=found[2]
                )
            else:
                part = _(part)
        said.append(part)
    return "; ".join(said)


#: What a table cell shows for a missing value (``st.dataframe(placeholder=...)``): an empty cell,
#: as a download writes it, never Streamlit's default "None".
MISSING = ""


# ---- numbers in grids, as the reader's language writes them
# Streamlit writes a grid's printf formats ("%.1f") in the browser, always with a point. Its
# "localized" and "percent" formats use Intl in ``navigator.languages``, which views.language
# sets to the app's language: fixed decimals and percentages are left to those (no cost on the
# server). What Intl cannot write as English shows it (a "+" sign, "%g", a float without a
# format) is written here and sent as a Styler's display values: the grid draws them and still
# sorts by the numbers, as long as the column has no format of its own, which would win over
# them (checked in Chromium: tests/test_browser_numbers.py). The decimals are those of the
# formats the downloads round by (``as_shown``).


@cache
def _percent_pattern(locale: str) -> str:
    """The locale's way of writing a percentage, "{}" standing for the number (Babel's data:
    "{}%", Russian "{}\xa0%")."""
    pattern = Locale.parse(locale).percent_formats[None].pattern
    return format_percent(0.5, format=pattern, locale=locale).replace("50", "{}", 1)


def _trimmed(text: str) -> str:
    """A fixed-point number without trailing zeros after its point ("16.50" -> "16.5")."""
    return text.rstrip("0").rstrip(".") if "." in text else text


def cell_formatter(fmt: str | None, floats: bool = True):
    """A function writing one cell of a column shown with the printf-like `fmt` (or no
    format: a float column's default, 4 places at most) in the run's language, with the
    decimals the grid shows in English; None where the language writes it as English does
    (whole numbers: ``"%d"``, ``"%+d"``, an integer column without a format).

    Fast on purpose (Python's own formatting with the language's signs, as
    :func:`present.profile.localised`, not Babel per cell): a table has thousands of cells.

    >>> import i18n
    >>> _ = i18n.use("ru")
    >>> [cell_formatter(f)(v) for f, v in [("%.1f", 1234.56), ("%+.1f", 2.0), ("percent", 1 / 6)]]
    ['1\\xa0234,6', '+2,0', '16,67\\xa0%']
    >>> cell_formatter(None)(2024.0), cell_formatter("%g")(0.125), cell_formatter("%+d")
    ('2024', '0,125', None)
    >>> _ = i18n.use("en")
    """
    language = i18n.language()
    signs, percent = signs_of(language), _percent_pattern(i18n.LOCALES[language])
    if fmt == "percent":
        return lambda v: percent.format(
            _trimmed(f"{v * 100:,.{PERCENT_DECIMALS}f}").translate(signs)
        )
    if fmt and (fixed := _FIXED.fullmatch(fmt)):
        spec = f"{'+' if fmt.startswith('%+') else ''},.{int(fixed.group(1))}f"
        return lambda v: format(v, spec).translate(signs)
    # Without grouping, as the grid writes them in English (such a column may hold years).
    if fmt == "%g":
        return lambda v: f"{v:g}".translate(signs)
    if fmt is None and floats:
        return lambda v: _trimmed(f"{v:.{PLAIN_DECIMALS}f}").translate(signs)
    return None  # whole numbers, or a format this rule does not know: as Streamlit shows it


def _browser_written(spec) -> dict | None:
    """`spec` with its numbers written by the browser in the page's language (``Intl``, which
    follows the languages ``views.language`` gives the page): a fixed number of decimals becomes
    Streamlit's "localized" format with that precision, a percentage is Intl's already. None
    where the browser cannot write the column as English shows it (a "+" sign, "%g", no
    format): those are written here.

    >>> _browser_written({"type_config": {"type": "progress", "format": "%.1f"}})["type_config"]
    {'type': 'progress', 'format': 'localized', 'step': 0.1}
    >>> _browser_written({"type_config": {"type": "number", "format": "%+.1f"}}) is None
    True
    """
    if not isinstance(spec, Mapping):
        return None
    kind = dict(spec.get("type_config") or {})
    if kind.get("format") == "percent":
        return dict(spec)
    fixed = re.fullmatch(r"%\.(\d)f", kind.get("format") or "")
    if not fixed:
        return None
    kind.update(format="localized", step=round(10.0 ** -int(fixed.group(1)), 9))
    return {**spec, "type_config": kind}


def _number_column(spec) -> dict | None:
    """A column's config without its number format (the Styler's display values show instead);
    a ProgressColumn as a plain number column with the same label, help and width."""
    if not isinstance(spec, Mapping):
        return spec
    out = dict(spec)
    kind = dict(spec.get("type_config") or {})
    if kind.get("type") == "progress":
        kind = {"type": "number"}
    kind.pop("format", None)
    out["type_config"] = kind
    return out


def grid(
    table: pd.DataFrame | Styler,
    column_config: Mapping[str, object] | None = None,
    placeholder: str = MISSING,
) -> dict:
    """``st.dataframe``'s ``data`` and ``column_config`` (``st.dataframe(**grid(t, c), ...)``): in
    English the table and config as given (the grid's own formats write English); in another
    language fixed decimals and percentages in the browser's formats for the page's language,
    and every other non-whole number written here as the language does (a Styler's display
    values, missing values as `placeholder`, the one the page gives ``st.dataframe``)."""
    config = dict(column_config or {})
    if i18n.language() == i18n.DEFAULT:
        return {"data": table, "column_config": config}
    styled = table if isinstance(table, Styler) else None  # a page's highlights are kept
    frame = table.data if styled is not None else table
    formatters = {}
    for column in frame.columns:
        series = frame[column]
        if not pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series):
            continue
        spec = config.get(column)
        if written_by_browser := _browser_written(spec):
            config[column] = written_by_browser
            continue
        formatter = cell_formatter(_format_of(spec), pd.api.types.is_float_dtype(series))
        if formatter is not None:
            formatters[column] = formatter
            if spec is not None:
                config[column] = _number_column(spec)
    if formatters and styled is not None:
        table = styled.format(formatters, na_rep=placeholder)
    elif formatters:
        table = _display_values(frame, formatters, placeholder)
    return {"data": table, "column_config": config}


def _display_values(frame: pd.DataFrame, formatters: Mapping, placeholder: str) -> Styler:
    """A Styler that holds only the text of its formatted cells. Streamlit reads a Styler's
    display values from pandas' rendering of the whole table, HTML attributes and CSS for every
    cell (about 45 ms for the ranking of 185 countries); the grid draws only the text, so this
    one gives that and nothing else. (Streamlit knows a Styler by its exact type, so this is a
    Styler whose two rendering steps are replaced, not a subclass.)"""
    styler = Styler(frame)
    texts = [
        (
            frame.columns.get_loc(column),
            [placeholder if value != value else write(value) for value in frame[column].tolist()],
        )  # NaN != NaN
        for column, write in formatters.items()
    ]
    body = [
        [{"id": f"row{row}_col{col}", "display_value": shown[row]} for col, shown in texts]
        for row in range(len(frame))
    ]
    styler._compute = lambda: styler  # no styles to compute
    styler._translate = lambda *args, **kwargs: {"body": body}  # what Streamlit reads
    return styler
