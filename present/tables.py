"""Tables and lines for people: display tables with English headers, the method summary and
the source footer under every chart, the countries a chart names. Pure pandas; the pages, the
CLI exports, the workbook and the report share them."""

from __future__ import annotations

import pandas as pd
from babel import Locale
from babel.numbers import format_percent

import i18n
from scoring.tables import latest_values


def latest_values_table(
    values: pd.DataFrame, indicators: pd.DataFrame, countries: pd.DataFrame
) -> pd.DataFrame:
    """One row per country; per indicator a value column headed 'name (unit)' and a year column."""
    latest = latest_values(values[values["indicator"].isin(indicators["indicator"])])
    table = countries[["iso3", "name", "region"]].rename(
        columns={"name": "Country", "region": "Region"}
    )
    for indicator in indicators.itertuples():
        cells = latest[latest["indicator"] == indicator.indicator].set_index("iso3")
        table[f"{indicator.name} ({indicator.unit})"] = table["iso3"].map(cells["value"])
        table[f"{indicator.name}: year"] = table["iso3"].map(cells["year"]).astype("Int64")
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
            return f"{len(counted)} dimensions equally"
        return ", ".join(
            f"{dimension_names.get(d, d)} {weight_percent(weights[d])}" for d in counted
        )

    text = shares(weights.index)
    if sc.prepared.sides:
        side_of = pd.Series(sc.prepared.side_of, index=weights.index)
        text = "; ".join(
            f"{side} {weight_percent(weights[side_of == k].sum())} "
            f"({shares(weights.index[side_of == k])})"
            for k, side in enumerate(sc.prepared.sides)
            if weights[side_of == k].sum() > 0
        )
    year = f"year {method.year}" if method.year else "latest {}–{}".format(*method.year_window)
    normalisation = method.normalisation.replace("_", "-")
    return (
        f"Weights: {text}. {normalisation} normalisation, {method.indicator_aggregation}"
        f"/{method.dimension_aggregation} aggregation, {year}."
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
        f"{dimension_names.get(d, d)} (Cronbach's alpha {a:.2f})" if k == 0 else
        f"{dimension_names.get(d, d)} ({a:.2f})"
        for k, (d, a) in enumerate(zip(weak["dimension"], weak["alpha"], strict=True))
    )  # fmt: skip
    return f"Read with care: the indicators of {listed} do not hang together."


def counted_indicators(sc) -> list[str]:
    """The indicators with a positive weight in a scorecard: the ones its scores rest on."""
    weights = sc.indicator_weight_array
    return [i for i, w in zip(sc.prepared.indicators, weights, strict=True) if w > 0]


def chart_sources(sc, catalogue) -> str:
    """The source footer of a chart of `sc`: the publishers of its counted indicators."""
    return catalogue.sources_line(counted_indicators(sc))


#: What a table cell shows for a missing value (``st.dataframe(placeholder=...)``): an empty cell,
#: as a download writes it, never Streamlit's default "None".
MISSING = ""
