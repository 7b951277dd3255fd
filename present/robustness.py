"""The robustness and method pages' tables and sentences: which countries moved, which rows a
rank interval chart shows, the correlation matrix and its flags, sensitivity indices side by
side, and each analysis in one sentence an analyst can repeat.

No statistics are computed here (they come from ``scoring.uncertainty``, ``scoring.sensitivity``
and ``scoring.audit``, as frames with id columns); these functions select, order, label with
names and put figures into words.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence

import numpy as np
import pandas as pd

from i18n import N_, _, ngettext, number, ordinal, percent
from indicators.catalogue import country_names
from indicators.names import region_name

__all__ = [
    "rank_change_table",
    "rank_change_note",
    "interval_rows",
    "interval_table",
    "correlation_matrix",
    "correlation_flags",
    "leave_one_out_bars",
    "leave_one_out_table",
    "sensitivity_bars",
    "input_label",
    "cronbach_table",
    "varied_words",
    "interval_sentence",
    "spread_sentence",
    "leave_one_out_sentence",
    "sensitivity_sentence",
    "correlation_sentence",
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
            N_("Country"): [names.get(iso3, iso3) for iso3 in index],
            N_("Rank"): now,
            N_("Default rank"): before,
            N_("Change"): change,
            N_("Note"): np.where(
                now.isna(),
                _("not scored now"),
                np.where(before.isna(), _("not scored by default"), ""),
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
    shown = country_names(countries).reindex(intervals.index)  # in the run's language
    return pd.DataFrame(
        {
            N_("Country"): shown.fillna(pd.Series(intervals.index, index=intervals.index)),
            N_("Region"): info["region"].map(region_name, na_action="ignore"),
            N_("Rank"): intervals["nominal_rank"].astype("Int64"),
            N_("Median rank"): intervals["median_rank"],
            N_("5 % rank"): intervals["p05_rank"],
            N_("95 % rank"): intervals["p95_rank"],
            N_("Interval width"): intervals["p95_rank"] - intervals["p05_rank"],
            N_("Score"): intervals["nominal_score"],
            N_("Median score"): intervals["median_score"],
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
            N_("Indicator"): [indicator_names.get(i, i) for i in flagged["indicator_a"]],
            N_("Other indicator"): [indicator_names.get(i, i) for i in flagged["indicator_b"]],
            N_("Dimensions"): [
                dimension_names.get(a, a)
                if a == b
                else f"{dimension_names.get(a, a)} / {dimension_names.get(b, b)}"
                for a, b in zip(flagged["dimension_a"], flagged["dimension_b"], strict=True)
            ],
            N_("Correlation"): flagged["correlation"].to_numpy(dtype=float),
            N_("Countries"): flagged["pairs"].to_numpy(),
            N_("Flag"): [_(FLAG_WORDS.get(f, f)) for f in flagged["flag"]],
        }
    )


#: The engine's flags and levels, as shown.
FLAG_WORDS = {"redundant": N_("redundant"), "negative": N_("negative")}
LEVEL_WORDS = {"indicator": N_("indicator"), "dimension": N_("dimension")}


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


def leave_one_out_table(loo: pd.DataFrame, labels: Mapping[str, str]) -> pd.DataFrame:
    """``scoring.sensitivity.leave_one_out`` for display, elements by name.

    >>> loo = pd.DataFrame({"level": ["indicator"], "removed": ["a"], "mean_abs_rank_change": [1.5],
    ...     "max_abs_rank_change": [3.0], "compared": [10], "lost": [0]})
    >>> leave_one_out_table(loo, {"a": "Alpha"}).values.tolist()
    [['indicator', 'Alpha', 1.5, 3.0, 10, 0]]
    """
    return pd.DataFrame(
        {
            N_("Removed"): [_(LEVEL_WORDS.get(v, v)) for v in loo["level"]],
            N_("Element"): [labels.get(r, r) for r in loo["removed"]],
            N_("Mean |rank change|"): loo["mean_abs_rank_change"].to_numpy(dtype=float),
            N_("Largest |rank change|"): loo["max_abs_rank_change"].to_numpy(dtype=float),
            N_("Countries compared"): loo["compared"].to_numpy(),
            N_("Countries left unscored"): loo["lost"].to_numpy(),
        }
    )


def sensitivity_bars(
    indices: pd.DataFrame, target: str, dimension_names: Mapping[str, str]
) -> pd.DataFrame:
    """First-order ("On its own") and total ("With the other choices") indices of one target,
    one row per input, readable labels ("weight: media_reach" -> "Weight of Media reach"),
    largest total first.

    >>> ind = pd.DataFrame({"target": ["t", "t"], "input": ["weight: d", "normalisation"],
    ...                     "first_order": [0.1, 0.7], "total_order": [0.2, 0.8]})
    >>> sensitivity_bars(ind, "t", {"d": "Dim"}).to_dict("index")
    {'Normalisation': {'On its own': 0.7, 'With the other choices': 0.8}, 'Weight of Dim': {'On its own': 0.1, 'With the other choices': 0.2}}
    """
    rows = indices[indices["target"] == target]
    alone, together = _(ALONE), _(TOGETHER)
    out = pd.DataFrame(
        {
            alone: rows["first_order"].to_numpy(dtype=float),
            together: rows["total_order"].to_numpy(dtype=float),
        },
        index=[input_label(name, dimension_names) for name in rows["input"]],
    )
    return out.sort_values(together, ascending=False, kind="stable")


#: Column names of the sensitivity bars: the first-order and the total index.
ALONE, TOGETHER = N_("On its own"), N_("With the other choices")

#: How each varied choice of ``scoring.alternatives`` reads in a sentence and as a chart label
#: (translate with ``_()`` where shown).
CHOICE_WORDS = {
    "normalisation": (N_("the normalisation"), N_("Normalisation")),
    "aggregation": (N_("the aggregation"), N_("Aggregation")),
    "imputation": (N_("the filling of missing values"), N_("Imputation")),
    "left_out": (N_("which indicators count"), N_("Indicator left out")),
    "leave_one_out": (N_("which indicators count"), N_("Indicator left out")),
}


def input_label(name: str, dimension_names: Mapping[str, str]) -> str:
    """A sensitivity input as a label: "weight: d" -> "Weight of <name>".

    >>> input_label("weight: d", {"d": "Dim"}), input_label("left_out", {})
    ('Weight of Dim', 'Indicator left out')
    """
    if name.startswith("weight: "):
        dimension = name.removeprefix("weight: ")
        return _("Weight of {dimension}").format(
            dimension=dimension_names.get(dimension, dimension)
        )
    return _(CHOICE_WORDS.get(name, (name, name.capitalize()))[1])


def cronbach_table(alpha: pd.DataFrame, dimension_names: Mapping[str, str]) -> pd.DataFrame:
    """``scoring.audit.cronbach_by_dimension`` for display; an undefined alpha says why.

    >>> a = pd.DataFrame({"dimension": ["d", "e"], "indicators": [3, 1], "complete": [40, 90],
    ...                   "alpha": [0.8123, float("nan")]})
    >>> cronbach_table(a, {"d": "Dim"})["Cronbach's alpha"].tolist()
    ['0.81', 'not defined (fewer than 2 indicators)']
    """

    def text(row) -> str:
        if not np.isnan(row.alpha):
            return number(row.alpha, 2)
        if row.indicators < 2:
            return _("not defined (fewer than 2 indicators)")
        return _("not defined (fewer than 2 countries with every indicator, or no spread)")

    return pd.DataFrame(
        {
            N_("Dimension"): [dimension_names.get(d, d) for d in alpha["dimension"]],
            N_("Indicators counted"): alpha["indicators"].to_numpy(),
            N_("Countries with all of them"): alpha["complete"].to_numpy(),
            N_("Cronbach's alpha"): [text(row) for row in alpha.itertuples()],
        }
    )


# ---------------------------------------------------------------------------------------------
# rank change against the default method


def rank_change_note(change) -> str | None:
    """A country's rank change against the default method (``scoring.tables.rank_changes``,
    positive = up) as a metric's delta; None when it did not move or has no default rank.

    >>> rank_change_note(3), rank_change_note(-1), rank_change_note(0), rank_change_note(pd.NA)
    ('+3 places against the default method', '-1 place against the default method', None, None)
    """
    if change is None or pd.isna(change) or int(change) == 0:
        return None
    return ngettext(
        "{change:+d} place against the default method",
        "{change:+d} places against the default method",
        abs(int(change)),
    ).format(change=int(change))


# ---------------------------------------------------------------------------------------------
# one sentence per analysis


def _listing(words: Sequence[str]) -> str:
    if len(words) == 1:
        return words[0]
    return _("{items} and {last}").format(items=", ".join(words[:-1]), last=words[-1])


def varied_words(varied: Sequence[str]) -> str:
    """What a Monte Carlo run varied, as the subject of a sentence.

    >>> varied_words([]), varied_words(["imputation", "leave_one_out"])
    ('the weights', 'the weights, the filling of missing values and which indicators count')
    """
    return _listing([_("the weights"), *(_(CHOICE_WORDS[v][0]) for v in varied)])


def interval_sentence(intervals: pd.DataFrame, iso3: str, name: str, varied=()) -> str:
    """The followed country's 90 % rank interval in words. The 5th and 95th percentile ranks
    are rounded outwards, so "in 90 of 100 cases" stays true.

    >>> t = pd.DataFrame({"nominal_rank": [38.0], "p05_rank": [31.4], "p95_rank": [44.2]},
    ...                  index=["RUS"])
    >>> interval_sentence(t, "RUS", "Russia")
    'If the weights were any reasonable choice rather than ours, Russia would rank between 31st and 45th in 90 of 100 cases (38th with ours).'
    """
    row = intervals.loc[iso3]
    low, high = math.floor(row["p05_rank"]), math.ceil(row["p95_rank"])
    nominal = ordinal(int(row["nominal_rank"]))
    if low == high:
        sentence = _(
            "If {varied} were any reasonable choice rather than ours, {name} would rank {rank} "
            "in 90 of 100 cases ({nominal} with ours)."
        )
        return sentence.format(
            varied=varied_words(varied), name=name, rank=ordinal(low), nominal=nominal
        )
    sentence = _(
        "If {varied} were any reasonable choice rather than ours, {name} would rank between "
        "{low} and {high} in 90 of 100 cases ({nominal} with ours)."
    )
    return sentence.format(
        varied=varied_words(varied),
        name=name,
        low=ordinal(low),
        high=ordinal(high),
        nominal=nominal,
    )


def spread_sentence(intervals: pd.DataFrame, names: Mapping[str, str], varied=()) -> str:
    """How far ranks move in general, when no country is followed: the median width of the
    90 % bands (95th - 5th percentile rank, rounded up) and the widest.

    >>> t = pd.DataFrame({"p05_rank": [1.0, 2.0, 3.0], "p95_rank": [2.0, 9.0, 5.0]},
    ...                  index=["A", "B", "C"])
    >>> spread_sentence(t, {"B": "Bland"})
    "If the weights were any reasonable choice rather than ours, half of the countries would stay within a band of 2 places in 90 of 100 cases; Bland's band, the widest, spans 7."
    """
    width = intervals["p95_rank"] - intervals["p05_rank"]
    widest = width.idxmax()
    median = math.ceil(width.median())
    sentence = ngettext(
        "If {varied} were any reasonable choice rather than ours, half of the countries would "
        "stay within a band of {median} place in 90 of 100 cases; {name}'s band, the widest, "
        "spans {widest}.",
        "If {varied} were any reasonable choice rather than ours, half of the countries would "
        "stay within a band of {median} places in 90 of 100 cases; {name}'s band, the widest, "
        "spans {widest}.",
        median,
    )
    return sentence.format(
        varied=varied_words(varied),
        median=median,
        name=names.get(widest, widest),
        widest=math.ceil(width.max()),
    )


def leave_one_out_sentence(loo: pd.DataFrame, labels: Mapping[str, str]) -> str:
    """The element whose removal moves the ranking most, in words.

    >>> loo = pd.DataFrame({"level": ["indicator", "dimension"], "removed": ["a", "d"],
    ...     "mean_abs_rank_change": [1.5, 4.25], "max_abs_rank_change": [3.0, 12.0]})
    >>> leave_one_out_sentence(loo, {"d": "Media reach"})
    'The ranking leans most on Media reach: without it a country moves 4.2 places on average, and up to 12.'
    """
    rows = loo.dropna(subset=["mean_abs_rank_change"])
    if rows.empty:
        return _("No indicator or dimension can be removed: nothing else would be left to rank on.")
    top = rows.loc[rows["mean_abs_rank_change"].idxmax()]
    return _(
        "The ranking leans most on {name}: without it a country moves {mean} places on "
        "average, and up to {largest}."
    ).format(
        name=labels.get(top["removed"], top["removed"]),
        mean=number(top["mean_abs_rank_change"], 1),
        largest=int(top["max_abs_rank_change"]),
    )


def sensitivity_sentence(
    indices: pd.DataFrame, target: str, subject: str, dimension_names: Mapping[str, str]
) -> str:
    """The input that explains most of a target's variance, interactions included, in words.

    >>> ind = pd.DataFrame({"target": ["t", "t"], "input": ["weight: d", "normalisation"],
    ...                     "first_order": [0.1, 0.5], "total_order": [0.2, 0.74]})
    >>> sensitivity_sentence(ind, "t", "Russia's rank", {})
    "Of what makes Russia's rank uncertain, the normalisation explains the most: about 74% of it, counting what it does together with the other choices."
    """
    rows = indices[indices["target"] == target].dropna(subset=["total_order"])
    if rows.empty:
        sentence = _("{subject} does not move under these choices.").format(subject=subject)
        return sentence[0].upper() + sentence[1:]
    top = rows.loc[rows["total_order"].idxmax()]
    name = top["input"]
    if name.startswith("weight: "):
        dimension = name.removeprefix("weight: ")
        what = _("the weight of {dimension}").format(
            dimension=dimension_names.get(dimension, dimension)
        )
    else:
        what = _(CHOICE_WORDS.get(name, (name, name))[0])
    share = min(1.0, max(0.0, float(top["total_order"])))
    return _(
        "Of what makes {subject} uncertain, {what} explains the most: about {share} of it, "
        "counting what it does together with the other choices."
    ).format(subject=subject, what=what, share=percent(share))


def correlation_sentence(pairs: pd.DataFrame) -> str:
    """How many indicator pairs say the same thing or pull against each other, in words.

    >>> pairs = pd.DataFrame({"correlation": [0.95, 0.2, -0.5, np.nan],
    ...                       "flag": ["redundant", "", "negative", ""]})
    >>> correlation_sentence(pairs)
    'Of 3 pairs of indicators that share enough countries, 1 say nearly the same thing (r > 0.9) and 1 pull against each other (r < −0.4).'
    """
    counted = int(pairs["correlation"].notna().sum())
    same = int((pairs["flag"] == "redundant").sum())
    against = int((pairs["flag"] == "negative").sum())
    return _(
        "Of {counted} pairs of indicators that share enough countries, {same} say nearly the "
        "same thing (r > 0.9) and {against} pull against each other (r < −0.4)."
    ).format(counted=counted, same=same, against=against)
