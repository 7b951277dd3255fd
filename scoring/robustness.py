"""Table shaping for the robustness and method pages: which countries moved, which rows a rank
interval chart shows, the correlation matrix and its flags, sensitivity indices side by side.

No statistics are computed here (they come from ``scoring.uncertainty``, ``scoring.sensitivity``
and ``scoring.audit``); these functions only select, order and label.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

import numpy as np
import pandas as pd

__all__ = [
    "rank_change_table",
    "interval_rows",
    "interval_table",
    "correlation_matrix",
    "correlation_flags",
    "leave_one_out_bars",
    "sensitivity_bars",
    "cronbach_table",
]


def rank_change_table(
    ranks: pd.Series, default_ranks: pd.Series, names: Mapping[str, str]
) -> pd.DataFrame:
    """Countries whose rank differs from the default method's, largest moves first.

    Change = default rank - rank (positive = moved up). A country scored by only one of the
    two methods is listed with the other rank missing, no change and a note.

    >>> t = rank_change_table(pd.Series({"X": 1, "Y": 2, "Z": 3}),
    ...                       pd.Series({"X": 2, "Y": 1, "Z": 3, "W": 4}), {"X": "Xland"})
    >>> t[["Country", "Rank", "Default rank", "Change", "Note"]].values.tolist()
    [['Xland', 1, 2, 1, ''], ['Y', 2, 1, -1, ''], ['W', <NA>, 4, <NA>, 'not scored now']]
    """
    index = ranks.index.union(default_ranks.index)
    now = ranks.reindex(index).astype("Int64")
    before = default_ranks.reindex(index).astype("Int64")
    change = before - now
    table = pd.DataFrame(
        {
            "Country": [names.get(iso3, iso3) for iso3 in index],
            "Rank": now,
            "Default rank": before,
            "Change": change,
            "Note": np.where(
                now.isna(), "not scored now", np.where(before.isna(), "not scored by default", "")
            ),
        },
        index=pd.Index(index, name="iso3"),
    )
    moved = (change.fillna(0) != 0) | now.isna() | before.isna()
    table = table[moved.to_numpy(dtype=bool)]
    size = table["Change"].abs().astype("Float64").fillna(-1.0)
    order = np.lexsort((table["Rank"].astype("Float64").fillna(np.inf), -size.to_numpy(float)))
    return table.iloc[order]


def interval_rows(
    intervals: pd.DataFrame,
    members: Collection[str] | None = None,
    top: int | None = None,
    always: Collection[str] = (),
) -> pd.DataFrame:
    """Rows of a Monte Carlo table to show: ``members`` only (None = all), in nominal-rank order,
    the first ``top`` of them, plus the countries in ``always`` that pass the filter.

    >>> t = pd.DataFrame({"nominal_rank": [3.0, 1.0, 2.0, 4.0]}, index=["C", "A", "B", "D"])
    >>> interval_rows(t, top=2, always=["D"]).index.tolist()
    ['A', 'B', 'D']
    >>> interval_rows(t, members={"C", "D"}, top=1).index.tolist()
    ['C']
    """
    rows = intervals if members is None else intervals[intervals.index.isin(list(members))]
    rows = rows.sort_values("nominal_rank", kind="stable")
    if top is None:
        return rows
    keep = rows.index[:top].union(rows.index.intersection(list(always)), sort=False)
    return rows[rows.index.isin(keep)]


def interval_table(intervals: pd.DataFrame, countries: pd.DataFrame) -> pd.DataFrame:
    """Display table: country, region, nominal / median / 5 % / 95 % rank, the interval's width
    (95 % - 5 %) and the nominal and median scores.

    >>> mc = pd.DataFrame({"nominal_rank": [1.0], "median_rank": [1.0], "p05_rank": [1.0],
    ...     "p95_rank": [3.0], "nominal_score": [80.0], "median_score": [79.5]}, index=["X"])
    >>> cs = pd.DataFrame({"iso3": ["X"], "name": ["Xland"], "region": ["Europe"]})
    >>> interval_table(mc, cs)[["Country", "Rank", "Interval width"]].values.tolist()
    [['Xland', 1, 2.0]]
    """
    info = countries.set_index("iso3").reindex(intervals.index)
    return pd.DataFrame(
        {
            "Country": info["name"].fillna(pd.Series(intervals.index, index=intervals.index)),
            "Region": info["region"],
            "Rank": intervals["nominal_rank"].astype("Int64"),
            "Median rank": intervals["median_rank"],
            "5 % rank": intervals["p05_rank"],
            "95 % rank": intervals["p95_rank"],
            "Interval width": intervals["p95_rank"] - intervals["p05_rank"],
            "Score": intervals["nominal_score"],
            "Median score": intervals["median_score"],
        },
        index=intervals.index,
    )


def correlation_matrix(
    pairs: pd.DataFrame,
    order: list[str],
    labels: Mapping[str, str] | None = None,
    numbered: bool = False,
) -> pd.DataFrame:
    """Square symmetric matrix from ``scoring.audit.correlations`` (one row per unordered pair),
    1 on the diagonal, rows and columns in ``order`` and renamed by ``labels``. ``numbered``:
    rows "(1) label", columns "(1)", so that long names need not run under the x axis.

    >>> pairs = pd.DataFrame({"indicator_a": ["a", "a", "b"], "indicator_b": ["b", "c", "c"],
    ...                       "correlation": [0.5, -0.2, 0.95]})
    >>> correlation_matrix(pairs, ["a", "b", "c"]).values.tolist()
    [[1.0, 0.5, -0.2], [0.5, 1.0, 0.95], [-0.2, 0.95, 1.0]]
    >>> m = correlation_matrix(pairs, ["a", "b", "c"], {"a": "Alpha"}, numbered=True)
    >>> m.index.tolist(), m.columns.tolist()
    (['(1) Alpha', '(2) b', '(3) c'], ['(1)', '(2)', '(3)'])
    """
    labels = labels or {}
    both = pd.concat(
        [
            pairs[["indicator_a", "indicator_b", "correlation"]],
            pairs.rename(columns={"indicator_a": "indicator_b", "indicator_b": "indicator_a"})[
                ["indicator_a", "indicator_b", "correlation"]
            ],
        ]
    )
    matrix = both.pivot(index="indicator_a", columns="indicator_b", values="correlation")
    matrix = matrix.reindex(index=order, columns=order).astype(float)
    values = matrix.to_numpy(copy=True)
    np.fill_diagonal(values, 1.0)
    names = [labels.get(i, i) for i in order]
    if not numbered:
        return pd.DataFrame(values, index=names, columns=names)
    numbers = [f"({k})" for k in range(1, len(order) + 1)]
    return pd.DataFrame(
        values,
        index=[f"{n} {name}" for n, name in zip(numbers, names, strict=True)],
        columns=numbers,
    )


def correlation_flags(
    pairs: pd.DataFrame,
    indicator_names: Mapping[str, str],
    dimension_names: Mapping[str, str],
) -> pd.DataFrame:
    """Flagged pairs (redundant r > 0.9, negative r < -0.4), strongest first.

    >>> pairs = pd.DataFrame({"indicator_a": ["a", "a"], "indicator_b": ["b", "c"],
    ...     "dimension_a": ["d", "d"], "dimension_b": ["d", "e"], "within": [True, False],
    ...     "correlation": [0.95, 0.1], "pairs": [40, 40], "flag": ["redundant", ""]})
    >>> correlation_flags(pairs, {"a": "A"}, {})[["Indicator", "Other indicator", "Flag"]].values.tolist()
    [['A', 'b', 'redundant']]
    """
    flagged = pairs[pairs["flag"] != ""]
    flagged = flagged.iloc[np.argsort(-flagged["correlation"].abs().to_numpy(), kind="stable")]
    return pd.DataFrame(
        {
            "Indicator": [indicator_names.get(i, i) for i in flagged["indicator_a"]],
            "Other indicator": [indicator_names.get(i, i) for i in flagged["indicator_b"]],
            "Dimensions": [
                dimension_names.get(a, a)
                if a == b
                else f"{dimension_names.get(a, a)} / {dimension_names.get(b, b)}"
                for a, b in zip(flagged["dimension_a"], flagged["dimension_b"], strict=True)
            ],
            "Correlation": flagged["correlation"].to_numpy(dtype=float),
            "Countries": flagged["pairs"].to_numpy(),
            "Flag": flagged["flag"].to_numpy(),
        }
    )


def leave_one_out_bars(loo: pd.DataFrame, level: str, labels: Mapping[str, str]) -> pd.Series:
    """Mean |rank change| per removed element of one level, labelled, for ``charts.bars``.

    >>> loo = pd.DataFrame({"level": ["indicator", "dimension"], "removed": ["a", "d"],
    ...                     "mean_abs_rank_change": [1.5, 4.0]})
    >>> leave_one_out_bars(loo, "dimension", {"d": "Dim"}).to_dict()
    {'Dim': 4.0}
    """
    rows = loo[loo["level"] == level]
    return pd.Series(
        rows["mean_abs_rank_change"].to_numpy(dtype=float),
        index=[labels.get(r, r) for r in rows["removed"]],
        name="mean_abs_rank_change",
    )


def sensitivity_bars(
    indices: pd.DataFrame, target: str, dimension_names: Mapping[str, str]
) -> pd.DataFrame:
    """First-order and total indices of one target, one row per input, readable labels
    ("weight: media_reach" -> "Weight of Media reach"), largest total first.

    >>> ind = pd.DataFrame({"target": ["t", "t"], "input": ["weight: d", "normalisation"],
    ...                     "first_order": [0.1, 0.7], "total_order": [0.2, 0.8]})
    >>> sensitivity_bars(ind, "t", {"d": "Dim"}).to_dict("index")
    {'Normalisation': {'First order': 0.7, 'Total': 0.8}, 'Weight of Dim': {'First order': 0.1, 'Total': 0.2}}
    """
    rows = indices[indices["target"] == target]

    def label(name: str) -> str:
        if name.startswith("weight: "):
            dimension = name.removeprefix("weight: ")
            return f"Weight of {dimension_names.get(dimension, dimension)}"
        return name.capitalize()

    out = pd.DataFrame(
        {
            "First order": rows["first_order"].to_numpy(dtype=float),
            "Total": rows["total_order"].to_numpy(dtype=float),
        },
        index=[label(name) for name in rows["input"]],
    )
    return out.sort_values("Total", ascending=False, kind="stable")


def cronbach_table(alpha: pd.DataFrame, dimension_names: Mapping[str, str]) -> pd.DataFrame:
    """``scoring.audit.cronbach_by_dimension`` for display; an undefined alpha says why.

    >>> a = pd.DataFrame({"dimension": ["d", "e"], "indicators": [3, 1], "complete": [40, 90],
    ...                   "alpha": [0.8123, float("nan")]})
    >>> cronbach_table(a, {"d": "Dim"})["Cronbach's alpha"].tolist()
    ['0.81', 'not defined (fewer than 2 indicators)']
    """

    def text(row) -> str:
        if not np.isnan(row.alpha):
            return f"{row.alpha:.2f}"
        if row.indicators < 2:
            return "not defined (fewer than 2 indicators)"
        return "not defined (fewer than 2 countries with every indicator, or no spread)"

    return pd.DataFrame(
        {
            "Dimension": [dimension_names.get(d, d) for d in alpha["dimension"]],
            "Indicators counted": alpha["indicators"].to_numpy(),
            "Countries with all of them": alpha["complete"].to_numpy(),
            "Cronbach's alpha": [text(row) for row in alpha.itertuples()],
        }
    )
