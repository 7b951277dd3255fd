"""Country profiles and comparisons: the tables behind the Country scorecard and Compare pages.

Everything here is plain pandas on a :class:`scoring.pipeline.Scorecard` (no streamlit, no
plotly). The rules, stated once:

* **rank among countries with a value**: an indicator's raw value ranked (1 = best, ties share
  the best rank, direction taken into account) among every country that has a value for it in
  the selected year(s), scored or not; "12 of 178".
* **peer average**: the plain mean of the peers' values (raw values, or dimension scores),
  peers without a value left out, the country itself never counted among its own peers.
* **stale**: a value is stale when its year is more than ``STALE_AFTER_YEARS`` (5) years before
  the newest year any country has for that indicator in the same selection
  (``year < newest - 5``): RSF 2025 is the newest press-freedom year, so a 2019 value is stale
  and a 2020 value is not.
* **suggested peers** (:func:`suggest_peers`): countries of the same region that share at least
  one group (EU, CIS, BRICS, ...) with the country, the closest in overall score first, at most
  ``related``; then the ``neighbours`` countries just above and just below it in the ranking.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from scoring.aggregate import rank_scores

__all__ = [
    "STALE_AFTER_YEARS",
    "PEER_AVERAGE",
    "stale_flags",
    "value_ranks",
    "indicator_profile",
    "strengths_weaknesses",
    "dimension_ranks",
    "suggest_peers",
    "peer_average_row",
    "trend_indicators",
    "default_trend",
    "trend_series",
    "best_in_rows",
]

STALE_AFTER_YEARS = 5
#: Row label of the peer average in score tables handed to chart builders.
PEER_AVERAGE = "peer average"


def stale_flags(years: pd.DataFrame, after: int = STALE_AFTER_YEARS) -> pd.DataFrame:
    """True where a value's year is more than `after` years before its column's newest year.

    >>> years = pd.DataFrame({"a": [2025, 2019, 2020, None]}, index=list("WXYZ"))
    >>> stale_flags(years)["a"].tolist()
    [False, True, False, False]
    """
    return years.lt(years.max() - after)


def value_ranks(raw: pd.DataFrame, direction: pd.Series) -> pd.DataFrame:
    """Rank of each raw value in its column (1 = best given the direction; missing stays NaN).

    >>> raw = pd.DataFrame({"up": [3.0, 1.0, None], "down": [3.0, 1.0, 2.0]}, index=list("XYZ"))
    >>> value_ranks(raw, pd.Series({"up": 1, "down": -1})).to_dict("list")
    {'up': [1.0, 2.0, nan], 'down': [3.0, 1.0, 2.0]}
    """
    signed = raw.to_numpy(dtype=float) * direction.reindex(raw.columns).to_numpy(dtype=float)
    return pd.DataFrame(rank_scores(signed.T).T, index=raw.index, columns=raw.columns)


def _flags(row) -> str:
    flags = []
    if row.imputed:
        flags.append("imputed")
    elif pd.isna(row.value):
        flags.append("missing")
    if row.treated:
        flags.append("treated")
    if row.carried:  # measured only after the chosen years
        flags.append(f"carried back from {row.year:.0f}")
    elif row.stale:
        flags.append(f"stale ({row.year:.0f})")
    if not row.counted:
        flags.append("not counted (weight 0)")
    return "; ".join(flags)


#: What the rank column says where a country has no value, by the catalogue's absence rule.
NO_VALUE = {"not_applicable": "not applicable"}


def indicator_profile(
    sc, iso3: str, indicators: pd.DataFrame, peers: Sequence[str]
) -> pd.DataFrame:
    """One row per indicator (framework order) for one country: value, year, normalised score,
    rank among the countries with a value, the peers' average value, source and flags.

    `indicators` is the catalogue with sources (indicator, name, dimension, unit, direction,
    publisher, url). Columns: indicator, name, dimension, unit, direction, effective_weight,
    counted, value, year, normalised, rank, countries, rank_text, peer_average, publisher, url,
    imputed, treated, stale, carried, flags.
    """
    meta = indicators.set_index("indicator").reindex(list(sc.prepared.indicators))
    raw, years = sc.raw, sc.years
    ranks = value_ranks(raw, meta["direction"])
    peers = [p for p in peers if p != iso3]

    def own(frame: pd.DataFrame) -> pd.Series:
        """The country's row (all missing when it has no row, e.g. screened out)."""
        return frame.reindex([iso3]).iloc[0]

    def own_flag(frame: pd.DataFrame) -> pd.Series:
        return own(frame.astype(float)).fillna(0.0).astype(bool)

    table = pd.DataFrame(
        {
            "name": meta["name"],
            "dimension": meta["dimension"],
            "unit": meta["unit"],
            "direction": meta["direction"],
            "effective_weight": sc.framework.set_index("indicator")["effective_weight"],
            "value": own(raw),
            "year": own(years),
            "normalised": own(sc.normalised),
            "rank": own(ranks),
            "countries": raw.notna().sum(),
            "peer_average": raw.reindex(peers).mean(),
            "publisher": meta.get("publisher"),
            "url": meta.get("url"),
            "imputed": own_flag(sc.imputed_flags),
            "treated": own_flag(sc.treated_flags),
            "stale": own_flag(stale_flags(years)),
            "carried": own_flag(sc.carried),
        }
    )
    table.index.name = "indicator"
    table["counted"] = table["effective_weight"] > 0
    absence = meta["absence"] if "absence" in meta else pd.Series("missing", index=meta.index)
    table["rank_text"] = [
        NO_VALUE.get(absent, "no data") if pd.isna(rank) else f"{rank:.0f} of {count}"
        for rank, count, absent in zip(table["rank"], table["countries"], absence, strict=True)
    ]
    table["flags"] = [_flags(row) for row in table.itertuples()]
    return table.reset_index()


def strengths_weaknesses(profile: pd.DataFrame, n: int = 5) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Top `n` and bottom `n` counted indicators (weight > 0) by normalised score, best first and
    worst first; an indicator is never both (fewer than 2n scores: the bottom list is shorter).

    >>> p = pd.DataFrame({"name": list("abcd"), "normalised": [90.0, 10.0, None, 50.0],
    ...                   "counted": [True, True, True, False]})
    >>> top, bottom = strengths_weaknesses(p, n=1)
    >>> top["name"].tolist(), bottom["name"].tolist()
    (['a'], ['b'])
    """
    scored = profile[profile["counted"] & profile["normalised"].notna()]
    ordered = scored.sort_values(["normalised", "name"], ascending=[False, True], kind="stable")
    top = ordered.head(n)
    rest = ordered.drop(top.index)
    bottom = rest.sort_values(["normalised", "name"], kind="stable").head(n)
    return top, bottom


def dimension_ranks(results: pd.DataFrame, dimensions: Iterable[str]) -> pd.DataFrame:
    """Rank per dimension score (1 = best, ties share the best rank), among countries with a score.

    >>> r = pd.DataFrame({"a": [50.0, 70.0, None]}, index=list("XYZ"))
    >>> dimension_ranks(r, ["a"])["a"].tolist()
    [2, 1, <NA>]
    """
    dimensions = list(dimensions)
    scores = results[dimensions].to_numpy(dtype=float, na_value=np.nan)
    ranks = pd.DataFrame(rank_scores(scores.T).T, index=results.index, columns=dimensions)
    return ranks.astype("Int64")


def _group_ids(groups) -> set[str]:
    return {g.strip() for g in str(groups or "").split(";") if g.strip()}


def suggest_peers(
    iso3: str, countries: pd.DataFrame, overall: pd.Series, related: int = 6, neighbours: int = 2
) -> list[str]:
    """Automatic peers: up to `related` scored countries of the same region sharing a group with
    `iso3` (closest overall score first), then the `neighbours` countries ranked just above and
    the `neighbours` just below it. `overall` holds the scored countries' overall scores.

    Worked example: A (Europe; EU) scores 50. B and C are in Europe and in the EU; D is in the EU
    but in Asia; E is in Europe but shares no group. B (48) is closer to A than C (30), so with
    related=1 only B is related. The ranking is D 70, A 50, B 48, E 40, C 30, so A's ranking
    neighbours (one on each side) are D and B.

    >>> countries = pd.DataFrame({"iso3": list("ABCDE"),
    ...     "region": ["Europe", "Europe", "Europe", "Asia", "Europe"],
    ...     "groups": ["EU", "EU;NATO", "EU", "EU", ""]})
    >>> overall = pd.Series({"A": 50.0, "B": 48.0, "C": 30.0, "D": 70.0, "E": 40.0})
    >>> suggest_peers("A", countries, overall, related=1, neighbours=1)
    ['B', 'D']
    >>> suggest_peers("A", countries, overall, related=6, neighbours=1)
    ['B', 'C', 'D']
    """
    table = countries.drop_duplicates("iso3").set_index("iso3")
    if iso3 not in table.index:
        return []
    region = table.at[iso3, "region"]
    mine = _group_ids(table.at[iso3, "groups"])
    same = table[(table["region"] == region) & (table.index != iso3)]
    shared = [c for c, g in same["groups"].items() if mine & _group_ids(g)]
    scored = {code: float(score) for code, score in overall.dropna().items()}
    candidates = [c for c in shared if c in scored]
    if iso3 in scored:
        own = scored[iso3]
        chosen = sorted(candidates, key=lambda c: (abs(scored[c] - own), c))[:related]
        ranking = sorted(scored, key=lambda c: (-scored[c], c))
        at = ranking.index(iso3)
        around = ranking[max(0, at - neighbours) : at + neighbours + 1]
    else:
        chosen = sorted(candidates, key=lambda c: (-scored[c], c))[:related]
        around = []
    return list(dict.fromkeys([*chosen, *(c for c in around if c != iso3)]))


def peer_average_row(scores: pd.DataFrame, iso3: str, peers: Sequence[str]) -> pd.DataFrame:
    """The country's row of `scores` and a row ``PEER_AVERAGE``: the peers' mean per column.

    >>> s = pd.DataFrame({"a": [80.0, 40.0, None], "b": [10.0, 20.0, 30.0]}, index=list("XYZ"))
    >>> peer_average_row(s, "X", ["X", "Y", "Z"]).to_dict("index")
    {'X': {'a': 80.0, 'b': 10.0}, 'peer average': {'a': 40.0, 'b': 25.0}}
    """
    own = scores.reindex([iso3])
    average = scores.reindex([p for p in peers if p != iso3]).mean().rename(PEER_AVERAGE)
    return pd.concat([own, average.to_frame().T])


def trend_indicators(
    values: pd.DataFrame, indicators: Sequence[str], min_years: int = 3
) -> list[str]:
    """Indicators (in the given order) with values in at least `min_years` distinct years.

    >>> v = pd.DataFrame({"indicator": ["a", "a", "a", "b"], "year": [2010, 2011, 2012, 2020]})
    >>> trend_indicators(v, ["b", "a"])
    ['a']
    """
    years = values.groupby("indicator")["year"].nunique()
    return [i for i in indicators if years.get(i, 0) >= min_years]


def default_trend(
    values: pd.DataFrame, iso3: str, candidates: Sequence[str], preferred: str
) -> str:
    """The indicator a trend chart opens on: `preferred` if the country has values in at least two
    years, else the candidate with the most years for the country (first on ties).

    >>> v = pd.DataFrame({"iso3": ["X", "X", "X", "Y", "Y"], "indicator": ["a", "b", "b", "a", "a"],
    ...                   "year": [2010, 2010, 2011, 2010, 2011]})
    >>> default_trend(v, "Y", ["a", "b"], "a"), default_trend(v, "X", ["a", "b"], "a")
    ('a', 'b')
    """
    years = values[values["iso3"] == iso3].groupby("indicator")["year"].nunique()
    if preferred in candidates and years.get(preferred, 0) >= 2:
        return preferred
    counts = [years.get(candidate, 0) for candidate in candidates]
    return candidates[int(np.argmax(counts))]


def trend_series(values: pd.DataFrame, indicator: str, iso3s: Sequence[str]) -> pd.DataFrame:
    """Columns iso3, year, value of one indicator for `iso3s`, in that order, years ascending.

    >>> v = pd.DataFrame({"iso3": ["Y", "X", "X"], "indicator": "a", "year": [2011, 2012, 2010],
    ...                   "value": [1.0, 2.0, 3.0]})
    >>> trend_series(v, "a", ["X", "Y"]).to_dict("list")
    {'iso3': ['X', 'X', 'Y'], 'year': [2010, 2012, 2011], 'value': [3.0, 2.0, 1.0]}
    """
    own = values[(values["indicator"] == indicator) & values["iso3"].isin(iso3s)]
    order = {code: k for k, code in enumerate(iso3s)}
    own = own.assign(_order=own["iso3"].map(order)).sort_values(["_order", "year"])
    return own[["iso3", "year", "value"]].reset_index(drop=True)


def best_in_rows(values: pd.DataFrame, direction: pd.Series, counted: pd.Series) -> pd.DataFrame:
    """True at the best value of each row (highest, or lowest when direction is -1; ties all
    True), only in counted rows where at least two countries have a value.

    >>> v = pd.DataFrame({"X": [1.0, 5.0, 2.0, 3.0], "Y": [2.0, 3.0, None, 3.0]}, index=list("abcd"))
    >>> best = best_in_rows(v, pd.Series([1, -1, 1, 1], index=list("abcd")),
    ...                     pd.Series(True, index=list("abcd")))
    >>> best.to_dict("list")
    {'X': [False, False, False, True], 'Y': [True, True, False, True]}
    """
    signed = values.mul(direction.reindex(values.index), axis=0)
    best = signed.eq(signed.max(axis=1), axis=0)
    eligible = counted.reindex(values.index).fillna(False).astype(bool) & (
        values.notna().sum(axis=1) >= 2
    )
    return best & eligible.to_numpy()[:, None]
