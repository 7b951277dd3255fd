"""Tables and text for the Indicators and sources page: one indicator's values and coverage, the
coverage matrix, the source list and the methodology, all rendered from the catalogue and Method.

Values are selected as the scoring selects them: the Method's exact year, or each country's latest
value within its year window.
"""

from __future__ import annotations

import math

import pandas as pd
from babel.numbers import format_decimal

from i18n import LOCALES, N_, _, language, percent
from indicators.catalogue import country_names
from present.errors import said
from scoring.aggregate import AGGREGATORS
from scoring.impute import IMPUTERS
from scoring.normalise import NORMALISERS
from scoring.treat import TREATMENTS
from scoring.weights import WEIGHT_PRESETS

NO_DATA = N_("no data")


def plain_number(x: float) -> str:
    """`x` with the digits it needs, as ``f"{x:g}"``, written the language's way (0,5 in Russian).

    >>> plain_number(0.5), plain_number(100.0), plain_number(2500.0)
    ('0.5', '100', '2500')
    """
    text = f"{x:g}"
    if "e" in text:
        return text
    decimals = len(text.split(".")[1]) if "." in text else 0
    pattern = "0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(x, format=pattern, locale=LOCALES[language()])


def years_label(method) -> str:
    """The years a Method reads, in words.

    >>> from scoring.method import Method
    >>> years_label(Method()), years_label(Method(year=2020))
    ('latest value 2010–2025', 'year 2020')
    """
    if method.year:
        return _("year {year}").format(year=method.year)
    first, last = method.year_window
    return _("latest value {first}–{last}").format(first=first, last=last)


def values_in_years(values: pd.DataFrame, method) -> pd.DataFrame:
    """The rows the Method can read: its exact year, or every year inside its window.

    >>> from scoring.method import Method
    >>> v = pd.DataFrame({"year": [2005, 2012, 2024]})
    >>> values_in_years(v, Method())["year"].tolist(), values_in_years(v, Method(year=2012))["year"].tolist()
    ([2012, 2024], [2012])
    """
    if method.year is not None:
        return values[values["year"] == method.year]
    first, last = method.year_window
    return values[values["year"].between(first, last)]


def latest_by_country(values: pd.DataFrame, indicator: str, method) -> pd.DataFrame:
    """One row per country with a value of `indicator` (iso3, value, year, note), as the Method
    selects it.

    >>> from scoring.method import Method
    >>> v = pd.DataFrame({"iso3": ["A", "A", "B"], "indicator": "x", "year": [2015, 2020, 2030],
    ...                   "value": [1.0, 2.0, 3.0], "note": ""})
    >>> latest_by_country(v, "x", Method())[["iso3", "value", "year"]].values.tolist()
    [['A', 2.0, 2020]]
    """
    own = values_in_years(values[values["indicator"] == indicator], method)
    latest = own.sort_values(["iso3", "year"]).drop_duplicates("iso3", keep="last")
    columns = ["iso3", "value", "year", "note"]
    latest = latest.reindex(columns=columns)
    latest["note"] = latest["note"].fillna("")
    return latest.reset_index(drop=True)


def country_table(latest: pd.DataFrame, names: pd.Series, direction: int) -> pd.DataFrame:
    """Country, ISO3, Value, Year, Note, best first (highest when direction is +1).

    >>> latest = pd.DataFrame({"iso3": ["A", "B"], "value": [1.0, 2.0], "year": [2020, 2021],
    ...                        "note": ["", "n"]})
    >>> country_table(latest, pd.Series({"A": "Aland", "B": "Bland"}), -1)["Country"].tolist()
    ['Aland', 'Bland']
    """
    table = pd.DataFrame(
        {
            N_("Country"): latest["iso3"].map(names).fillna(latest["iso3"]),
            "ISO3": latest["iso3"],
            N_("Value"): latest["value"],
            N_("Year"): latest["year"].astype("Int64"),
            N_("Note"): latest["note"],
        }
    )
    return table.sort_values(
        ["Value", "Country"], ascending=[direction < 0, True], ignore_index=True
    )


def coverage_line(latest: pd.DataFrame, country_count: int) -> tuple[str, str]:
    """(countries with a value 'N of M', years 'first–last' or 'no data').

    >>> coverage_line(pd.DataFrame({"year": [2019, 2024, 2024]}), 250)
    ('3 of 250', '2019–2024')
    """
    of = _("{count} of {total}")
    if latest.empty:
        return of.format(count=0, total=country_count), _(NO_DATA)
    first, last = int(latest["year"].min()), int(latest["year"].max())
    years = str(first) if first == last else f"{first}–{last}"
    return of.format(count=len(latest), total=country_count), years


def coverage_matrix(
    values: pd.DataFrame,
    indicators: pd.DataFrame,
    countries: pd.DataFrame,
    order: str = "coverage",
) -> pd.DataFrame:
    """Countries (rows, by name) x indicators (columns, by name): True where a value exists.

    order "coverage": best-covered countries first, best-covered indicators left; "name":
    countries alphabetically, indicators in catalogue order. Countries without any value are kept
    (a row of missing cells says so).

    >>> values = pd.DataFrame({"iso3": ["B", "B", "A"], "indicator": ["x", "y", "y"]})
    >>> indicators = pd.DataFrame({"indicator": ["x", "y"], "name": ["X", "Y"]})
    >>> countries = pd.DataFrame({"iso3": ["A", "B", "C"], "name": ["Aa", "Bb", "Cc"]})
    >>> coverage_matrix(values, indicators, countries).astype(int).to_dict("split")["data"]
    [[1, 1], [1, 0], [0, 0]]
    """
    present = pd.crosstab(values["iso3"], values["indicator"]) > 0
    present = present.reindex(
        index=countries["iso3"], columns=indicators["indicator"], fill_value=False
    )
    present.index = countries["iso3"].map(country_names(countries)).to_numpy()
    present.columns = indicators["name"].to_numpy()
    if order == "coverage":
        columns = present.sum().sort_values(ascending=False, kind="stable").index
        rows = (
            present.assign(_n=present.sum(axis=1), _name=present.index)
            .sort_values(["_n", "_name"], ascending=[False, True])
            .index
        )
        present = present.loc[rows, columns]
    else:
        present = present.sort_index()
    return present.astype(bool)


def direction_text(direction: int) -> str:
    """
    >>> direction_text(-1)
    'lower is better (flipped before normalising)'
    """
    if direction > 0:
        return _("higher is better")
    return _("lower is better (flipped before normalising)")


def bounds_text(low: float, high: float, missing: str = N_("open")) -> str:
    """
    >>> bounds_text(0.0, 100.0), bounds_text(float("nan"), float("nan"))
    ('0 to 100', 'open')
    """
    if _absent(low) and _absent(high):
        return _(missing)
    return _("{low} to {high}").format(low=_number(low), high=_number(high))


def _absent(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def _number(x) -> str:
    return "…" if _absent(x) else plain_number(x)


def indicator_facts(row: pd.Series, dimension_name: str) -> pd.DataFrame:
    """The definition of one catalogue row (with its source) as a two-column table."""
    goalposts = bounds_text(
        row.get("goalpost_low"),
        row.get("goalpost_high"),
        missing=N_("none (observed min and max)"),
    )
    facts = [
        (_("Dimension"), dimension_name),
        (_("Unit"), row.get("unit") or _("not stated")),
        (_("Direction"), direction_text(int(row["direction"]))),
        (_("Allowed range"), bounds_text(row.get("range_low"), row.get("range_high"))),
        (_("Goalposts"), goalposts),
        (
            _("Default weight"),
            _("{weight} (within its dimension)").format(weight=plain_number(row["weight"])),
        ),
        (_("Identifier"), row["indicator"]),
    ]
    return pd.DataFrame(facts, columns=[N_("Property"), N_("Value")])


def sources_table(sources: pd.DataFrame, indicators: pd.DataFrame) -> pd.DataFrame:
    """One row per catalogue source: publisher, title, edition, licence, whether its values are in
    data downloads, the indicators it supplies (by name; "denominator of" for per-capita inputs)
    and its link.

    >>> sources = pd.DataFrame({"source": ["a", "p"], "publisher": ["A", "P"], "title": "t",
    ...     "edition": "e", "licence": "l", "url": ["https://a", ""], "redistributable": [True, False]})
    >>> indicators = pd.DataFrame({"name": ["X", "Y"], "source": ["a", "a"],
    ...     "denominator_source": ["", "p"]})
    >>> sources_table(sources, indicators)[["Publisher", "Indicators", "In data downloads"]].values.tolist()
    [['A', 'X; Y', 'yes'], ['P', 'denominator of Y', 'no']]
    """
    rows = []
    for source in sources.itertuples():
        own = indicators.loc[indicators["source"] == source.source, "name"].tolist()
        denominator = indicators.get("denominator_source", pd.Series("", index=indicators.index))
        divides = indicators.loc[denominator == source.source, "name"].tolist()
        rows.append(
            {
                N_("Publisher"): source.publisher,
                N_("Title"): source.title,
                N_("Edition"): source.edition,
                N_("Licence"): source.licence,
                N_("In data downloads"): _("yes") if bool(source.redistributable) else _("no"),
                N_("Indicators"): "; ".join(
                    [*own, *(_("denominator of {name}").format(name=name) for name in divides)]
                ),
                N_("Link"): source.url or None,
            }
        )
    return pd.DataFrame(rows)


def methodology(method, dimension_names: dict[str, str] | None = None) -> list[tuple[str, str]]:
    """(step, rule) lines for the Method, from the registries' one-line rules.

    >>> from scoring.method import Method
    >>> dict(methodology(Method()))["Normalisation"]
    'Min-max: (x - min) / (max - min) scaled to [low, high]; published scales keep their goalposts, with low = 0, high = 100, goalposts = 1. Direction −1 flips an indicator first.'
    """
    normaliser = NORMALISERS[method.normalisation]
    parameters = ", ".join(
        f"{_(PARAMETER_WORDS.get(k, k))} = {plain_number(v)}"
        for k, v in method.normalisation_settings.items()
    )
    imputer = IMPUTERS[method.imputation]
    treatment = TREATMENTS[method.outlier_treatment]
    preset = WEIGHT_PRESETS[method.weight_preset]
    coverage = _(
        "A country is scored only if the indicators it has carry at least {share} of the "
        "effective weight (indicator weight × dimension weight); the others are listed as not "
        "scored."
    ).format(share=percent(method.min_coverage))
    if method.min_dimension_coverage > 0:
        coverage += " " + _("In every weighted dimension it needs at least {share}.").format(
            share=percent(method.min_dimension_coverage)
        )
    coverage += " " + _(
        "By count, it needs values for at least {indicators} of the weighted indicators, in at "
        "least {dimensions} of the weighted dimensions, and on every weighted side (reach, "
        "appeal)."
    ).format(
        indicators=percent(method.min_indicator_share),
        dimensions=percent(method.min_dimension_share),
    )
    if method.side_weights:
        sides = dict(method.side_weights)
        total = sum(sides.values()) or 1.0
        shares = _listing(
            [
                f"{_(SIDE_WORDS.get(side, side))} {percent(w / total)}"
                for side, w in sorted(sides.items())
            ]
        )
        combine = _(
            "Each side's dimensions are aggregated as the overall is; the side weights ({shares}) "
            "are shared by each side's dimensions in proportion to their weights, so the overall "
            "is that same mean of reach and appeal."
        ).format(shares=shares)
    else:
        combine = _(
            "No side weights: the dimension weights alone decide, and a side weighs as much as "
            "its dimensions together; reach and appeal are each side's dimensions aggregated as "
            "the overall is."
        )
    missing = f"{_(imputer.label)}: {_(imputer.rule)}."
    if imputer.uses_groups:
        missing += " " + _("Group: {group}.").format(
            group=_(GROUP_WORDS.get(method.impute_group, method.impute_group))
        )
    if method.imputation == "none":
        missing += " " + _("Weights are rescaled over the indicators a country has.")
    overrides = len(method.indicator_weights) + len(method.dimension_weights)
    names = dimension_names or {}
    changed = ", ".join(
        f"{names.get(d, d)} {plain_number(w)}" for d, w in method.dimension_weights
    ) or _("none")
    weights = f"{_(preset.label)}: {_(preset.rule)}."
    if overrides:
        weights += " " + _("Overrides: {count} (dimension weights changed: {changed}).").format(
            count=overrides, changed=changed
        )
    years = years_label(method)
    lines = [
        (
            _("Years"),
            _("{years} for each country and indicator.").format(years=years[0].upper() + years[1:]),
        ),
        (_("Coverage threshold"), coverage),
        (_("Missing data"), missing),
        (_("Outliers"), f"{_(treatment.label)}: {_(treatment.rule)}."),
        (
            _("Normalisation"),
            f"{_(normaliser.label)}: {_(normaliser.rule)}"
            + (_(", with {parameters}").format(parameters=parameters) if parameters else "")
            + ". "
            + _("Direction −1 flips an indicator first."),
        ),
        (_("Weights"), weights),
        (
            _("Indicators → dimension"),
            _aggregation(method.indicator_aggregation, method.indicator_power),
        ),
        (
            _("Dimensions → overall"),
            _aggregation(method.dimension_aggregation, method.dimension_power),
        ),
        (_("Reach and appeal"), combine),
        (_("Rank"), _("1 = best; tied scores share the better rank.")),
    ]
    return lines


#: The normalisations' parameters (``Normaliser.defaults``), sides and grouping columns, as shown.
PARAMETER_WORDS = {
    "low": N_("low"),
    "high": N_("high"),
    "goalposts": N_("goalposts"),
    "mean": N_("mean"),
    "sd": N_("sd"),
    "scale": N_("scale"),
}
SIDE_WORDS = {"reach": N_("reach"), "appeal": N_("appeal")}
GROUP_WORDS = {"region": N_("Region"), "subregion": N_("Subregion")}


def _listing(words: list[str]) -> str:
    if len(words) == 1:
        return words[0]
    return _("{items} and {last}").format(items=", ".join(words[:-1]), last=words[-1])


def _aggregation(name: str, power: float) -> str:
    aggregator = AGGREGATORS[name]
    text = f"{_(aggregator.label)}: {_(aggregator.rule)}"
    if aggregator.uses_power:
        text += f", p = {plain_number(power)}"
    return text + ("." if aggregator.compensatory else " " + _("(non-compensatory)."))


def vintage_table(stale: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """`indicators.vintage.stale_indicators` as shown to readers: one row per indicator with its
    name (indexed by indicator id), edition, retrieval date ('unknown' when not recorded), latest year ('no data') and the
    stale flag with its reason.

    >>> from scoring.errors import Phrase
    >>> stale = pd.DataFrame({"indicator": ["a"], "source": ["s"], "edition": ["2020"],
    ...     "retrieved": [""], "latest_year": pd.array([pd.NA], dtype="Int64"),
    ...     "data_age_years": pd.array([pd.NA], dtype="Int64"), "stale": [True],
    ...     "reason": ["no value"], "why": [(Phrase("no value"),)]})
    >>> vintage_table(stale, {"a": "A"}).iloc[0].tolist()
    ['A', 's', '2020', 'unknown', 'no data', 'stale', 'no value']
    """
    return pd.DataFrame(
        {
            N_("Indicator"): stale["indicator"].map(lambda i: names.get(i, i)),
            N_("Source"): stale["source"],
            N_("Edition"): stale["edition"],
            N_("Retrieved"): stale["retrieved"].replace("", _("unknown")),
            N_("Latest year"): [
                _(NO_DATA) if pd.isna(y) else str(int(y)) for y in stale["latest_year"]
            ],
            N_("Status"): [_("stale") if flag else _("current") for flag in stale["stale"]],
            N_("Why stale"): ["; ".join(map(said, why)) for why in stale["why"]],
        }
    ).set_axis(pd.Index(stale["indicator"], name="indicator"))


def vintage_facts(row: pd.Series) -> pd.DataFrame:
    """One indicator's row of `vintage_table` as Property/Value rows for its facts table."""
    status = row["Status"] + (f" ({row['Why stale']})" if row["Why stale"] else "")
    facts = [
        (_("Edition"), row["Edition"]),
        (_("Retrieved"), row["Retrieved"]),
        (_("Latest year"), row["Latest year"]),
        (_("Data vintage"), status),
    ]
    return pd.DataFrame(facts, columns=[N_("Property"), N_("Value")])
