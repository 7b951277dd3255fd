"""Country profile and comparison tables for people: English headers, values written out
("no data", "12 of 178") and the highlight of the best value. The rules behind the numbers
(ranks, peers, peer averages, staleness) are ``scoring.profile``'s."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

import numpy as np
import pandas as pd
from babel.numbers import get_decimal_symbol, get_group_symbol

import i18n
from i18n import N_, _
from scoring.profile import dimension_ranks

#: Background of the best value in a comparison table (a light tint of the palette's blue).
HIGHLIGHT_BEST = "#CCE3F2"


@cache
def signs_of(language: str) -> dict[int, str]:
    """Python's "," and "." as the language writes them (a str.translate table)."""
    locale = i18n.LOCALES[language]
    return str.maketrans({",": get_group_symbol(locale), ".": get_decimal_symbol(locale)})


def localised(text: str) -> str:
    """A number Python wrote ("12,345.6") with the language's signs: as fast as the f-string
    (a table holds hundreds), and rounded exactly as in English.

    >>> localised("12,345.6")
    '12,345.6'
    """
    language = i18n.language()
    return text if language == i18n.DEFAULT else text.translate(signs_of(language))


def format_value(value) -> str:
    """A raw value at a readable precision (3 significant digits, whole numbers from 100);
    missing is 'no data'.

    >>> [format_value(v) for v in (230.0, 24.57, 0.5423, 8.0395, None, 1.0, 12345.6, -0.5316)]
    ['230', '24.6', '0.542', '8.04', 'no data', '1', '12,346', '-0.532']
    """
    if value is None or pd.isna(value):
        return _("no data")
    value = float(value)
    return localised(f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}")


def format_score(score) -> str:
    """A 0–100 score with one decimal; missing is 'no data'.

    >>> format_score(0.0), format_score(36.64), format_score(float("nan"))
    ('0.0', '36.6', 'no data')
    """
    return _("no data") if score is None or pd.isna(score) else localised(f"{float(score):.1f}")


def dimension_summary(
    results: pd.DataFrame,
    iso3: str,
    peers: Sequence[str],
    dimension_weights: pd.Series,
    dimension_names: dict[str, str],
    counts: pd.Series | None = None,
) -> pd.DataFrame:
    """Per dimension: weight (share of the overall), the country's score, its rank among the
    countries with a score ("12 of 178"), the peers' average score and, given the country's
    `counts` (weighted indicators with a value per dimension), how many indicators the score
    rests on ("1, one indicator only" flags a thin one)."""
    dimensions = list(dimension_weights.index)
    ranks = dimension_ranks(results, dimensions)
    scores = results[dimensions].reindex([iso3]).iloc[0]
    own_ranks = ranks.reindex([iso3]).iloc[0]
    number = results[dimensions].notna().sum()
    peer_scores = results[dimensions].reindex([p for p in peers if p != iso3]).mean()
    table = pd.DataFrame(
        {
            _("Dimension"): [dimension_names.get(d, d) for d in dimensions],
            _("Weight"): dimension_weights.to_numpy(),
            _("Score"): scores.to_numpy(dtype=float, na_value=np.nan),
            _("Rank"): [
                _("no data")
                if pd.isna(own_ranks[d])
                else _("{rank} of {n}").format(rank=own_ranks[d], n=number[d])
                for d in dimensions
            ],
            _("Peer average"): peer_scores.to_numpy(dtype=float, na_value=np.nan),
        },
        index=pd.Index(dimensions, name="dimension"),
    )
    if counts is not None:
        table[_("Indicators")] = [indicator_count_text(counts.get(d, 0)) for d in dimensions]
    return table


def indicator_count_text(count: int) -> str:
    """How many indicators a dimension score rests on, the thin case flagged.

    >>> indicator_count_text(3), indicator_count_text(1), indicator_count_text(0)
    ('3', '1, one indicator only', 'none')
    """
    return {0: _("none"), 1: _("1, one indicator only")}.get(int(count), str(int(count)))


# The words ``scoring.profile`` writes in a profile's rank and flag cells, for translation.
_CELL_WORDS = (
    N_("no data"),
    N_("not applicable"),
    N_("imputed"),
    N_("missing"),
    N_("treated"),
    N_("not counted (weight 0)"),
)
_RANK_OF = re.compile(r"(\d+) of (\d+)")
_CARRIED, _STALE = re.compile(r"carried back from (\d+)"), re.compile(r"stale \((\d+)\)")


def rank_text(text: str) -> str:
    """A profile's rank cell ("12 of 178", "no data", "not applicable") in the run's language.

    >>> rank_text("12 of 178"), rank_text("not applicable")
    ('12 of 178', 'not applicable')
    """
    if found := _RANK_OF.fullmatch(str(text)):
        return _("{rank} of {n}").format(rank=found[1], n=found[2])
    return _(str(text))


def flags_text(text: str) -> str:
    """A profile's flags cell ("treated; carried back from 2024") in the run's language.

    >>> flags_text("imputed; carried back from 2024; stale (2015)")
    'imputed; carried back from 2024; stale (2015)'
    """
    words = []
    for flag in str(text).split("; ") if text else []:
        if found := _CARRIED.fullmatch(flag):
            words.append(_("carried back from {year}").format(year=found[1]))
        elif found := _STALE.fullmatch(flag):
            words.append(_("stale ({year})").format(year=found[1]))
        else:
            words.append(_(flag))
    return "; ".join(words)


def comparison_table(
    sc, indicators: pd.DataFrame, iso3s: Sequence[str], names: pd.Series, dimension_names: dict
) -> pd.DataFrame:
    """Rows = indicators (framework order), columns Dimension, Indicator, Unit, then one column of
    raw values per country (headed by its name; missing stays NaN), then Carried back: the
    countries whose value was measured only after the chosen years, with its year."""
    meta = indicators.set_index("indicator").reindex(list(sc.prepared.indicators))
    table = pd.DataFrame(
        {
            _("Dimension"): [dimension_names.get(d, d) for d in meta["dimension"]],
            _("Indicator"): meta["name"].to_numpy(),
            _("Unit"): [_(unit) for unit in meta["unit"]],
        },
        index=meta.index,
    )
    raw = sc.raw.reindex(list(iso3s)).T.reindex(meta.index)
    for code in iso3s:
        table[names.get(code, code)] = raw[code].to_numpy(dtype=float)
    carried = sc.carried.reindex(list(iso3s)).T.reindex(meta.index).fillna(False)
    years = sc.years.reindex(list(iso3s)).T.reindex(meta.index)
    table[_("Carried back")] = [
        ", ".join(f"{names.get(c, c)} ({years.at[i, c]:.0f})" for c in iso3s if carried.at[i, c])
        for i in meta.index
    ]
    return table


def rank_deltas(
    results: pd.DataFrame, iso3s: Sequence[str], names: pd.Series, dimension_names: dict
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Two tables, rows Overall + dimensions: each country's rank (columns = country names), and
    each other country's rank difference to the first: first's rank minus its rank, so positive =
    ranked above the first country (as the Rankings page's 'change').

    >>> r = pd.DataFrame({"a": [80.0, 60.0, 40.0], "overall": [70.0, 50.0, 60.0],
    ...                   "rank": [1, 3, 2]}, index=list("XYZ"))
    >>> ranks, deltas = rank_deltas(r, ["Z", "X"], pd.Series({"X": "Ex", "Z": "Zed"}), {"a": "A"})
    >>> ranks.to_dict("list"), deltas.to_dict("list")
    ({'Zed': [2, 3], 'Ex': [1, 1]}, {'Ex': [1, 2]})
    """
    dimensions = list(dimension_names)
    ranks = dimension_ranks(results, dimensions)
    ranks.insert(0, "overall", results["rank"].astype("Int64"))
    ranks = ranks.reindex(list(iso3s)).T
    ranks.index = pd.Index([_("Overall"), *(dimension_names[d] for d in dimensions)])
    deltas = ranks[list(iso3s[1:])].rsub(ranks[iso3s[0]], axis=0)
    label = {code: names.get(code, code) for code in iso3s}
    return ranks.rename(columns=label), deltas.rename(columns=label)


def highlight_best(
    table: pd.DataFrame, best: pd.DataFrame, colour: str = HIGHLIGHT_BEST
) -> pd.io.formats.style.Styler:
    """The table with raw values formatted by :func:`format_value` and best cells highlighted
    (a background colour and bold)."""
    style = f"background-color: {colour}; font-weight: bold"
    marks = pd.DataFrame("", index=table.index, columns=table.columns)
    for column in best.columns:
        marks[column] = np.where(best[column], style, "")
    return table.style.format(format_value, subset=list(best.columns)).apply(
        lambda _: marks, axis=None
    )
