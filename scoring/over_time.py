"""The scorecard over the years: every year scored on its own, with Monte Carlo rank intervals.

Year Y is scored by the Method with its window ending in Y (``year_method``): each indicator's
latest value up to Y, or, for one not yet measured by then, its earliest later value carried back
and flagged (``Scorecard.carried``); nothing is interpolated. So a trajectory moves only with the
indicators measured in both years, and a point resting on carried values says how many.

Per (country, year) the table holds overall, reach and appeal with their ranks (1 = best among
the countries scored that year) and each rank's 90 % Monte Carlo interval (5th and 95th
percentile): every weight drawn as w (1 + u), u ~ U(-noise, noise), as on the Robustness page
(``scoring.uncertainty``: ``monte_carlo`` for the overall; ``simulate`` with the other side's
dimension weights set to 0 for reach and appeal, which is how a side score is aggregated).

Speed (2 cores, 193 countries, 13 years, 1,000 draws a year): about 0.5 s.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from scoring.aggregate import rank_scores
from scoring.alternatives import Alternative
from scoring.method import Method
from scoring.pipeline import Prepared, Scorecard, build_scorecard
from scoring.uncertainty import UncertaintySettings, monte_carlo, simulate

__all__ = ["YEARS", "year_method", "over_time", "score_years", "COLUMNS"]

#: The years the app offers: from the first with most indicators measured to the latest.
YEARS = tuple(range(2013, 2026))
COLUMNS = (
    "iso3",
    "year",
    "overall",
    "rank",
    "rank_p05",
    "rank_p95",
    "reach",
    "reach_rank",
    "reach_rank_p05",
    "reach_rank_p95",
    "appeal",
    "appeal_rank",
    "appeal_rank_p05",
    "appeal_rank_p95",
    "countries",
    "carried",
    "carried_indicators",
)


def year_method(method: Method, year: int) -> Method:
    """`method` with its window ending in `year` (its first year kept, or `year` if later), as the
    sidebar's "Data up to year" sets it.

    >>> year_method(Method(), 2015).year_window
    (2010, 2015)
    """
    return method.with_(year=None, year_window=(min(method.year_window[0], year), year))


def score_years(
    prepared: Prepared, method: Method, years: Iterable[int] = YEARS
) -> tuple[dict[int, Scorecard], dict[int, ValueError]]:
    """Each year's scorecard, and the reason for each year that cannot be scored."""
    cards, failed = {}, {}
    for year in years:
        try:
            cards[int(year)] = build_scorecard(prepared, method=year_method(method, int(year)))
        except ValueError as error:
            failed[int(year)] = error  # said in the reader's language where shown
    return cards, failed


def _side_intervals(sc: Scorecard, k: int, settings: UncertaintySettings) -> np.ndarray:
    """5th and 95th percentile rank of side k's score over the draws (kept countries x 2)."""
    p, kernel = sc.prepared, sc.kernel
    w_dim = np.where(p.side_of == k, kernel.dimension_weights, 0.0)
    alternative = Alternative(
        "nominal",
        kernel.normalised,
        kernel.indicator_aggregation,
        kernel.dimension_aggregation,
        kernel.indicator_power,
        kernel.dimension_power,
    )
    summary = simulate([alternative], kernel.dim_of, kernel.indicator_weights, w_dim, settings)
    return summary.rank_stats[:, 1:3]


def _year_rows(sc: Scorecard, year: int, draws: int, noise: float, seed: int) -> pd.DataFrame:
    p = sc.prepared
    iso3 = sc.iso3.astype(str)
    rows = pd.DataFrame({"iso3": iso3, "year": year})
    rows["overall"] = sc.overall_array
    rows["rank"] = sc.rank_array
    if draws:
        mc = monte_carlo(sc, draws=draws, weight_noise=noise, seed=seed)
        rows["rank_p05"] = mc["p05_rank"].to_numpy()
        rows["rank_p95"] = mc["p95_rank"].to_numpy()
    settings = UncertaintySettings(draws=max(draws, 1), weight_noise=noise, seed=seed)
    for side in ("reach", "appeal"):
        if side in p.sides and sc.side_array is not None:
            k = p.sides.index(side)
            scores = sc.side_array[:, k]
            rows[side] = scores
            rows[f"{side}_rank"] = rank_scores(scores)
            if draws:
                intervals = _side_intervals(sc, k, settings)
                rows[f"{side}_rank_p05"] = intervals[:, 0]
                rows[f"{side}_rank_p95"] = intervals[:, 1]
    rows["countries"] = len(iso3)
    counted = sc.indicator_weight_array * sc.dimension_weight_array[p.dim_of] > 0
    carried = sc.carried_array[sc.kept] & counted
    rows["carried"] = carried.sum(axis=1)
    names = np.array(p.indicators, dtype=object)
    rows["carried_indicators"] = [", ".join(names[row]) for row in carried]
    return rows


def over_time(
    prepared: Prepared,
    method: Method,
    years: Iterable[int] = YEARS,
    *,
    draws: int = 1000,
    weight_noise: float = 0.25,
    seed: int = 0,
) -> pd.DataFrame:
    """Long table, one row per (country scored, year): the columns of ``COLUMNS`` (ranks as
    floats, NaN where a side does not exist); ``attrs["unscored"]`` maps each year that cannot be
    scored to the refusal (an EngineError: str() is the English). ``draws=0`` leaves the
    intervals out."""
    cards, failed = score_years(prepared, method, years)
    parts = [_year_rows(sc, year, draws, weight_noise, seed) for year, sc in cards.items()]
    table = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    table = table.reindex(columns=list(COLUMNS))
    table["iso3"] = table["iso3"].astype("str")
    table["year"] = table["year"].astype("int64")
    table["carried"] = table["carried"].fillna(0).astype("int64")
    table["carried_indicators"] = table["carried_indicators"].fillna("").astype("str")
    table.attrs = {"unscored": failed, "draws": int(draws), "weight_noise": float(weight_noise)}
    return table
