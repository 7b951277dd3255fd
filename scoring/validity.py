"""Validity: how far to trust the ranking (external, internal and face validity).

* **External validity**: for each published index edition (one ``(index, edition)`` pair of
  ``data/published_indices.csv``) and each of our measures (``overall``, ``reach``, ``appeal``,
  whichever the scores have), the Spearman rank correlation over the countries that have both
  our score and a published value. The published score is used when the edition prints one for
  every common country, else minus the published rank (rank 1 = best), so that a positive
  correlation always means agreement. The interval is a percentile bootstrap: countries are
  resampled with replacement ``draws`` times and the ``(1 - level) / 2`` and ``(1 + level) / 2``
  quantiles of the resampled correlations are reported. Fewer than 5 countries in common: no
  correlation, and a note says why.
* **Internal validity** (COINr-style audit): Cronbach's alpha per dimension
  (``scoring.audit.cronbach_by_dimension``), each counted indicator's Pearson r with its own
  dimension score (``scoring.audit.indicator_score_correlations``), flagged "negative" when
  r < 0 (it pulls against its dimension) or "collinear" when |r| > 0.92 with another indicator
  of the same dimension (the two say the same thing; the partner is named).
* **Nominal and effective weights**: each indicator's nominal share of the overall score
  (indicator weight x dimension weight, the framework's ``effective_weight``) against its
  importance in the data, r(indicator, overall)^2 rescaled to sum 1 over the counted indicators
  (``scoring.weights.correlation_importance``); the ratio importance / nominal weight is 1 where
  the indicator drives the ranking exactly as much as its weight says.
* **Face validity**: the top and bottom countries with what each score rests on: how many of the
  weighted indicators and of the dimensions have a value (real data, before any imputation) and
  which indicators those are.

Worked example (external): our scores X 90, Y 70, Z 50, W 30, V 10 against published ranks
X 1, Y 3, Z 2, W 4, V 5: the ranks of ours are 1..5, of minus the published ranks 1, 3, 2, 4, 5;
d = (0, -1, 1, 0, 0), rho = 1 - 6 x 2 / (5 x 24) = 0.9.
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping

import numpy as np
import pandas as pd
from scipy.stats import rankdata

from scoring.audit import correlations, cronbach_by_dimension, indicator_score_correlations
from scoring.errors import Counted, EngineError, Phrase, Quoted
from scoring.weights import correlation_importance

__all__ = [
    "MEASURES",
    "MIN_COUNTRIES",
    "COLLINEAR",
    "EXTERNAL_COLUMNS",
    "spearman",
    "bootstrap_interval",
    "external_validity",
    "published_comparison",
    "rank_outliers",
    "indicator_flags",
    "internal_validity",
    "compare_weights",
    "weight_comparison",
    "face_table",
    "face_validity",
]

#: Our measures that can be compared with published indices, in display order.
MEASURES: tuple[str, ...] = ("overall", "reach", "appeal")
#: Fewest common countries for a correlation.
MIN_COUNTRIES = 5
#: |r| above which two indicators of one dimension are "collinear".
COLLINEAR = 0.92
EXTERNAL_COLUMNS = ["index", "edition", "measure", "n", "spearman", "low", "high", "basis", "note"]


# ---------------------------------------------------------------- Spearman and its interval
def _spearman_rows(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Spearman rho of each row pair of x and y (draws x n): Pearson r of the average ranks."""
    rx = rankdata(x, axis=-1)
    ry = rankdata(y, axis=-1)
    rx = rx - rx.mean(axis=-1, keepdims=True)
    ry = ry - ry.mean(axis=-1, keepdims=True)
    sxx = (rx * rx).sum(axis=-1)
    syy = (ry * ry).sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        r = (rx * ry).sum(axis=-1) / np.sqrt(sxx * syy)
    return np.where((sxx > 0) & (syy > 0), np.clip(r, -1.0, 1.0), np.nan)


def spearman(x, y) -> float:
    """Spearman's rho: Pearson r of the ranks (ties share their mean rank); NaN without spread.

    >>> round(spearman([1, 2, 3, 4], [10, 30, 20, 40]), 12)  # d = (0, -1, 1, 0): 1 - 12 / 60
    0.8
    >>> spearman([1, 2, 3], [5, 5, 5])
    nan
    """
    return float(_spearman_rows(np.asarray(x, dtype=float), np.asarray(y, dtype=float)))


def bootstrap_interval(
    x, y, *, draws: int, rng: np.random.Generator, level: float = 0.90
) -> tuple[float, float]:
    """Percentile bootstrap interval of Spearman's rho: resample the (x, y) pairs with
    replacement ``draws`` times; the (1 - level) / 2 and (1 + level) / 2 quantiles of the rhos
    (resamples without spread are skipped; NaN if all are).

    >>> bootstrap_interval([1, 2, 3, 4, 5], [2, 4, 6, 8, 10], draws=200,
    ...                    rng=np.random.default_rng(0))  # every resample is monotone
    (1.0, 1.0)
    """
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    picks = rng.integers(0, len(x), size=(draws, len(x)))
    rhos = _spearman_rows(x[picks], y[picks])
    rhos = rhos[~np.isnan(rhos)]
    if rhos.size == 0:
        return float("nan"), float("nan")
    low, high = np.quantile(rhos, [(1 - level) / 2, (1 + level) / 2])
    return float(low), float(high)


def _rng(seed: int, *key) -> np.random.Generator:
    """A generator for one (index, edition, measure): the same draws whatever else is compared."""
    tag = zlib.crc32("\x1f".join(str(k) for k in key).encode("utf-8"))
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(tag,)))


# ---------------------------------------------------------------- external validity
def _editions(published: pd.DataFrame) -> list[tuple[str, int]]:
    pairs = published[["index", "edition"]].drop_duplicates()
    return sorted((str(i), int(e)) for i, e in pairs.itertuples(index=False))


def _common(
    ours: pd.Series, published: pd.DataFrame, index: str, edition: int
) -> tuple[pd.DataFrame, str, int]:
    """(table, basis, left_out): the countries with our score and the value compared.

    ``table`` is indexed by iso3 with columns ours, score, rank, published (the score, or the
    rank). Basis "score" when the edition prints a score for every common country, else
    "rank"; ``left_out`` counts common countries dropped for having no rank.
    """
    rows = published[(published["index"] == index) & (published["edition"] == edition)]
    rows = rows[rows["iso3"].notna() & (rows["rank"].notna() | rows["score"].notna())]
    rows = rows.set_index("iso3")[["rank", "score"]]
    ours = ours.dropna()
    common = rows[rows.index.isin(ours.index)]
    judged = common if len(common) else rows
    basis = "score" if len(judged) and judged["score"].notna().all() else "rank"
    kept = common if basis == "score" else common[common["rank"].notna()]
    table = pd.DataFrame(
        {
            "ours": ours.reindex(kept.index).to_numpy(dtype=float),
            "score": kept["score"].to_numpy(dtype=float),
            "rank": kept["rank"].astype("Float64").to_numpy(dtype=float, na_value=np.nan),
        },
        index=pd.Index(kept.index, name="iso3", dtype="str"),
    )
    table["published"] = table["score"] if basis == "score" else table["rank"]
    return table, basis, len(common) - len(kept)


def _note(n: int, left_out: int) -> tuple[Phrase, ...]:
    """Why a correlation is missing, or what was left out (the table's ``note`` is their English,
    "; "-joined).

    >>> [str(p) for p in _note(3, 0) + _note(12, 1)]
    ['only 3 countries in common (at least 5 needed)', '1 common country without a printed rank left out']
    """
    notes = []
    if n == 0:
        notes.append(Phrase("no country in common"))
    elif n < MIN_COUNTRIES:
        notes.append(
            Counted(
                "only {n} country in common (at least {needed} needed)",
                "only {n} countries in common (at least {needed} needed)",
                count="n",
                n=n,
                needed=MIN_COUNTRIES,
            )
        )
    if left_out:
        notes.append(
            Counted(
                "{n} common country without a printed rank left out",
                "{n} common countries without a printed rank left out",
                count="n",
                n=left_out,
            )
        )
    return tuple(notes)


def external_validity(
    scores: pd.DataFrame,
    published: pd.DataFrame,
    *,
    draws: int = 2000,
    seed: int = 0,
    level: float = 0.90,
) -> pd.DataFrame:
    """Spearman rho of each of our measures with each published index edition, with a
    percentile bootstrap interval at ``level`` (see the module docstring for the rules).

    ``scores``: indexed by iso3, numeric columns among ``MEASURES`` (others are ignored).
    ``published``: index, edition, iso3, rank, score[, source_url]. One row per (index, edition,
    measure): index, edition, measure, n, spearman, low, high, basis ("score" or "rank"), note;
    ``attrs["notes"]`` holds each row's note as phrases, by (index, edition, measure).

    >>> scores = pd.DataFrame({"overall": [90.0, 70, 50, 30, 10]}, index=list("XYZWV"))
    >>> published = pd.DataFrame({"index": "P", "edition": 2020, "iso3": list("XYZWV"),
    ...     "rank": [1, 3, 2, 4, 5], "score": np.nan})
    >>> row = external_validity(scores, published, draws=100).iloc[0]
    >>> int(row["n"]), round(float(row["spearman"]), 12), row["basis"]
    (5, 0.9, 'rank')
    """
    if int(draws) < 1:
        raise EngineError("draws: must be at least 1, got {value}", value=Quoted(draws))
    if not 0 < level < 1:
        raise EngineError("level: must be between 0 and 1, got {value}", value=Quoted(level))
    if int(seed) < 0:
        raise EngineError(
            "seed: must be a whole number of at least 0, got {value}", value=Quoted(seed)
        )
    measures = [m for m in MEASURES if m in scores.columns]
    rows, notes = [], {}
    for index, edition in _editions(published):
        for measure in measures:
            table, basis, left_out = _common(scores[measure], published, index, edition)
            n = len(table)
            rho = low = high = float("nan")
            if n >= MIN_COUNTRIES:
                x, y = table["ours"].to_numpy(), table["published"].to_numpy()
                y = y if basis == "score" else -y
                rho = spearman(x, y)
                rng = _rng(int(seed), index, edition, measure)
                low, high = bootstrap_interval(x, y, draws=int(draws), rng=rng, level=level)
            note = notes[(str(index), int(edition), measure)] = _note(n, left_out)
            rows.append(
                (index, edition, measure, n, rho, low, high, basis, "; ".join(map(str, note)))
            )
    out = pd.DataFrame(rows, columns=EXTERNAL_COLUMNS)
    out.attrs["notes"] = notes  # said in the reader's language where shown
    return out.astype(
        {
            "index": "str",
            "edition": "int64",
            "measure": "str",
            "n": "int64",
            "spearman": "float64",
            "low": "float64",
            "high": "float64",
            "basis": "str",
            "note": "str",
        }
    )


def published_comparison(
    scores: pd.DataFrame,
    published: pd.DataFrame,
    index: str,
    edition: int,
    measure: str = "overall",
) -> pd.DataFrame:
    """The common countries of one edition, as :func:`external_validity` compares them.

    Indexed by iso3: ours (our score), published (the published score, or rank when the basis
    is "rank"), basis, our_rank and published_rank (ranks among these countries only, 1 = best,
    ties share the best place), rank_difference = our_rank - published_rank (positive: we
    place the country lower than the published index does).

    >>> scores = pd.DataFrame({"overall": [90.0, 70, 50]}, index=["X", "Y", "Z"])
    >>> published = pd.DataFrame({"index": "P", "edition": 2020, "iso3": ["X", "Y", "Z", "Q"],
    ...     "rank": [3, 7, 1, 2], "score": np.nan})
    >>> published_comparison(scores, published, "P", 2020)["rank_difference"].to_dict()
    {'X': -1, 'Y': -1, 'Z': 2}
    """
    table, basis, _ = _common(scores[measure], published, index, edition)
    ours_rank = table["ours"].rank(ascending=False, method="min")
    theirs = table["published"].rank(ascending=basis == "rank", method="min")
    out = table[["ours", "published"]].copy()
    out["basis"] = pd.array([basis] * len(out), dtype="str")
    out["our_rank"] = ours_rank.astype("int64")
    out["published_rank"] = theirs.astype("int64")
    out["rank_difference"] = out["our_rank"] - out["published_rank"]
    return out


def rank_outliers(
    scores: pd.DataFrame,
    published: pd.DataFrame,
    index: str,
    edition: int,
    measure: str = "overall",
    top: int = 5,
) -> pd.DataFrame:
    """The ``top`` common countries whose rank among the common countries differs most between
    our score and the published index (|rank_difference|, largest first, then iso3; countries
    placed alike are never outliers). Columns as :func:`published_comparison`.

    >>> scores = pd.DataFrame({"overall": [90.0, 70, 50]}, index=["X", "Y", "Z"])
    >>> published = pd.DataFrame({"index": "P", "edition": 2020, "iso3": ["X", "Y", "Z"],
    ...     "rank": [3, 2, 1], "score": np.nan})
    >>> rank_outliers(scores, published, "P", 2020, top=1)["rank_difference"].to_dict()
    {'X': -2}
    """
    table = published_comparison(scores, published, index, edition, measure)
    table = table[table["rank_difference"] != 0]
    size = table["rank_difference"].abs().to_numpy()
    order = np.lexsort((table.index.to_numpy(dtype=str), -size))
    return table.iloc[order].head(top)


# ---------------------------------------------------------------- internal validity
def indicator_flags(
    correlation: pd.Series, pairs: pd.DataFrame, threshold: float = COLLINEAR
) -> pd.DataFrame:
    """Flag per indicator: "negative" when its r with its dimension is below 0, else
    "collinear" when |r| > ``threshold`` with another indicator of the same dimension (the
    partner with the largest |r| is named), else "".

    ``correlation``: indicator -> r with its dimension score. ``pairs``: indicator_a,
    indicator_b, within (same dimension), correlation (``scoring.audit.correlations``).

    >>> r = pd.Series({"a": 0.9, "b": 0.95, "c": -0.2})
    >>> pairs = pd.DataFrame({"indicator_a": ["a", "a", "b"], "indicator_b": ["b", "c", "c"],
    ...     "within": True, "correlation": [0.97, 0.1, -0.93]})
    >>> indicator_flags(r, pairs).values.tolist()
    [['collinear', 'b', 0.97], ['collinear', 'a', 0.97], ['negative', 'b', -0.93]]
    """
    within = pairs[pairs["within"].astype(bool) & (pairs["correlation"].abs() > threshold)]
    both = pd.concat(
        [
            within[["indicator_a", "indicator_b", "correlation"]],
            within.rename(columns={"indicator_a": "indicator_b", "indicator_b": "indicator_a"})[
                ["indicator_a", "indicator_b", "correlation"]
            ],
        ]
    )
    both = both.iloc[np.argsort(-both["correlation"].abs().to_numpy(), kind="stable")]
    strongest = both.drop_duplicates("indicator_a").set_index("indicator_a")
    partner = strongest["indicator_b"].reindex(correlation.index)
    partner_r = strongest["correlation"].reindex(correlation.index).astype(float)
    r = correlation.to_numpy(dtype=float)
    flag = np.where(r < 0, "negative", np.where(partner.notna(), "collinear", ""))
    return pd.DataFrame(
        {
            "flag": pd.array(flag, dtype="str"),
            "partner": pd.array(partner.fillna("").to_numpy(dtype=object), dtype="str"),
            "partner_correlation": partner_r.to_numpy(),
        },
        index=correlation.index,
    )


def internal_validity(sc, *, threshold: float = COLLINEAR) -> pd.DataFrame:
    """One row per counted indicator (weight > 0 within its dimension), in framework order:
    dimension, alpha, complete (the dimension's Cronbach's alpha and the countries it is
    computed over, repeated on each of its indicators), indicator, correlation (Pearson r with
    its own dimension score, normalised data), pairs (countries behind r), flag ("negative",
    "collinear" or ""), partner (the collinear indicator of the same dimension, or ""),
    partner_correlation. See :func:`indicator_flags`.
    """
    alpha = cronbach_by_dimension(sc).set_index("dimension")
    own = indicator_score_correlations(sc)
    fw = sc.framework.set_index("indicator")
    own = own[own["score"].to_numpy() == fw["dimension"].reindex(own["indicator"]).to_numpy()]
    own = own.set_index("indicator")
    flags = indicator_flags(own["correlation"], correlations(sc), threshold)
    dimension = fw["dimension"].reindex(own.index)
    out = pd.DataFrame(
        {
            "dimension": pd.array(dimension.to_numpy(dtype=object), dtype="str"),
            "alpha": alpha["alpha"].reindex(dimension).to_numpy(dtype=float),
            "complete": alpha["complete"].reindex(dimension).to_numpy(dtype="int64"),
            "indicator": pd.array(own.index.to_numpy(dtype=object), dtype="str"),
            "correlation": own["correlation"].to_numpy(dtype=float),
            "pairs": own["pairs"].to_numpy(dtype="int64"),
        }
    )
    return pd.concat([out, flags.reset_index(drop=True)], axis=1)


def compare_weights(nominal: pd.Series, importance: pd.Series) -> pd.DataFrame:
    """Nominal weight against importance in the data, per indicator, and importance / nominal.

    >>> compare_weights(pd.Series({"a": 0.5, "b": 0.25, "c": 0.25}),
    ...                 pd.Series({"a": 1 / 1.5, "b": 0.25 / 1.5, "c": 0.25 / 1.5})
    ...                 )["ratio"].round(3).tolist()  # r = 1, 0.5, 0.5: r^2 / sum r^2
    [1.333, 0.667, 0.667]
    """
    importance = importance.reindex(nominal.index).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = importance.to_numpy() / nominal.to_numpy(dtype=float)
    return pd.DataFrame(
        {
            "nominal_weight": nominal.to_numpy(dtype=float),
            "effective_importance": importance.to_numpy(),
            "ratio": ratio,
        },
        index=pd.Index(nominal.index, name="indicator", dtype="str"),
    )


def weight_comparison(sc) -> pd.DataFrame:
    """Per counted indicator (effective weight > 0): dimension, nominal_weight (indicator
    weight x dimension weight, sums to 1), effective_importance (r(normalised indicator,
    overall)^2 rescaled to sum 1), ratio = effective_importance / nominal_weight."""
    fw = sc.framework
    counted = fw[fw["effective_weight"] > 0]
    ids = counted["indicator"].tolist()
    importance = correlation_importance(sc.normalised[ids], sc.results["overall"])
    table = compare_weights(counted.set_index("indicator")["effective_weight"], importance)
    table.insert(0, "dimension", pd.array(counted["dimension"].to_numpy(dtype=object), dtype="str"))
    return table.reset_index()


# ---------------------------------------------------------------- face validity
def face_table(
    results: pd.DataFrame,
    present: pd.DataFrame,
    dimension_of: Mapping[str, str],
    names: Mapping[str, str],
    indicator_names: Mapping[str, str],
    top: int = 15,
) -> pd.DataFrame:
    """The first and last ``top`` countries by rank (each country once) with what their score
    rests on, ordered by rank: end ("top" or "bottom"), rank, iso3, country, overall,
    indicators and of_indicators (how many of the weighted indicators have a value), dimensions
    and of_dimensions (dimensions with at least one of them), rests_on (their names, "; "),
    no_value (the names of the weighted indicators without a value, "; ").

    ``results``: iso3 -> overall, rank. ``present``: iso3 x weighted indicator, True where the
    country has a value.

    >>> results = pd.DataFrame({"overall": [80.0, 50, 20], "rank": [1, 2, 3]}, index=list("XYZ"))
    >>> present = pd.DataFrame({"a": [True, True, False], "b": [True, False, False],
    ...                         "c": [True, False, True]}, index=list("XYZ"))
    >>> t = face_table(results, present, {"a": "d1", "b": "d1", "c": "d2"}, {"X": "Xland"},
    ...                {"a": "A", "c": "C"}, top=1)
    >>> t[["end", "country", "indicators", "dimensions", "rests_on", "no_value"]].values.tolist()
    [['top', 'Xland', 3, 2, 'A; b; C', ''], ['bottom', 'Z', 1, 1, 'C', 'A; b']]
    """
    order = results.assign(_iso3=results.index).sort_values(["rank", "_iso3"], kind="stable")
    ids = order.index.tolist()
    head = ids[:top]
    tail = [iso3 for iso3 in ids[max(0, len(ids) - top) :] if iso3 not in set(head)]
    chosen = head + tail
    indicators = list(present.columns)
    all_dimensions = list(dict.fromkeys(dimension_of[i] for i in indicators))
    rows = []
    for iso3 in chosen:
        has = [i for i in indicators if bool(present.at[iso3, i])] if iso3 in present.index else []
        rows.append(
            {
                "end": "top" if iso3 in head else "bottom",
                "rank": int(order.at[iso3, "rank"]),
                "iso3": iso3,
                "country": names.get(iso3, iso3),
                "overall": float(order.at[iso3, "overall"]),
                "indicators": len(has),
                "of_indicators": len(indicators),
                "dimensions": len({dimension_of[i] for i in has}),
                "of_dimensions": len(all_dimensions),
                "rests_on": "; ".join(indicator_names.get(i, i) for i in has),
                "no_value": "; ".join(
                    indicator_names.get(i, i) for i in indicators if i not in has
                ),
            }
        )
    columns = ["end", "rank", "iso3", "country", "overall", "indicators", "of_indicators"]
    columns += ["dimensions", "of_dimensions", "rests_on", "no_value"]
    out = pd.DataFrame(rows, columns=columns)
    return out.astype({c: "str" for c in ("end", "iso3", "country", "rests_on", "no_value")})


def face_validity(
    sc, names: Mapping[str, str], top: int = 15, *, indicator_names: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """Top and bottom ``top`` countries with what their score rests on (:func:`face_table`):
    the weighted indicators (effective weight > 0) with a real value in the year selected
    (``sc.raw``, before imputation). Indicator names from ``indicator_names``, else the
    framework's ``name`` column, else the ids."""
    fw = sc.framework
    weighted = fw.loc[fw["effective_weight"] > 0, "indicator"].tolist()
    present = sc.raw.reindex(sc.results.index)[weighted].notna()
    if indicator_names is None:
        labels = fw["name"] if "name" in fw else fw["indicator"]
        indicator_names = dict(zip(fw["indicator"], labels.fillna(fw["indicator"]), strict=True))
    dimension_of = dict(zip(fw["indicator"], fw["dimension"], strict=True))
    return face_table(
        sc.results[["overall", "rank"]], present, dimension_of, names, indicator_names, top
    )
