"""Statistical audit of a scorecard: correlations, internal consistency, indicator statistics.

* Correlations: Pearson over the countries that have both values (pairwise complete), between
  indicators (within and across dimensions) and between indicators and the dimension and overall
  scores. Computed on the normalised data by default, so a direction -1 indicator correlates the
  "better" way. Flags: r > 0.9 "redundant" (the two say the same thing), r < -0.4 "negative"
  (they pull against each other). Colour bins as {composer}/A2SIT: > 0.9, 0.3 to 0.9,
  -0.4 to 0.3, < -0.4 (bounds belong to the middle bins).
* Cronbach's alpha per dimension over complete cases (COINr ``get_cronbach``).
* Indicator statistics: availability, min, max, mean, skew, kurtosis (the definitions of
  ``scoring.treat``: e1071 type 2, as COINr), share of the most frequent value, and the outlier
  flag of the treatment rule (|skew| >= 2 and kurtosis >= 3.5, ``scoring.treat.check_skew_kurt``).

Worked example (Cronbach): two indicators a = [1, 2, 3], b = [1, 3, 2]: var a = var b = 1,
var(a + b) = var([2, 5, 5]) = 3, alpha = 2/1 x (1 - 2/3) = 0.667.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from scoring.treat import check_skew_kurt, kurt, skew

__all__ = [
    "REDUNDANT",
    "NEGATIVE",
    "CORRELATION_BINS",
    "correlation_bin",
    "correlation_flag",
    "pairwise_pearson",
    "correlations",
    "indicator_score_correlations",
    "cronbach_alpha",
    "cronbach_by_dimension",
    "indicator_statistics",
]

REDUNDANT = 0.9
NEGATIVE = -0.4
#: Colour bins, ordered from the highest; labels are what the UI shows.
CORRELATION_BINS: tuple[str, ...] = ("> 0.9", "0.3 to 0.9", "-0.4 to 0.3", "< -0.4")
_BIN_TYPE = pd.CategoricalDtype(list(CORRELATION_BINS), ordered=True)
MIN_PAIRS = 3


def correlation_bin(r: float) -> str | None:
    """The colour bin of a correlation (None for NaN).

    >>> [correlation_bin(r) for r in (0.95, 0.9, 0.3, 0.29, -0.4, -0.41)]
    ['> 0.9', '0.3 to 0.9', '0.3 to 0.9', '-0.4 to 0.3', '-0.4 to 0.3', '< -0.4']
    """
    if r is None or np.isnan(r):
        return None
    if r > REDUNDANT:
        return CORRELATION_BINS[0]
    if r >= 0.3:
        return CORRELATION_BINS[1]
    if r >= NEGATIVE:
        return CORRELATION_BINS[2]
    return CORRELATION_BINS[3]


def correlation_flag(r: float) -> str:
    """ "redundant" when r > 0.9, "negative" when r < -0.4, else "".

    >>> [correlation_flag(r) for r in (0.95, 0.5, -0.5)]
    ['redundant', '', 'negative']
    """
    if r is None or np.isnan(r):
        return ""
    if r > REDUNDANT:
        return "redundant"
    if r < NEGATIVE:
        return "negative"
    return ""


def pairwise_pearson(
    X: np.ndarray, Y: np.ndarray | None = None, min_pairs: int = MIN_PAIRS
) -> tuple[np.ndarray, np.ndarray]:
    """Pearson r between the columns of X (and Y), each pair over rows where both are present.

    Returns (r, n_pairs); r is NaN with fewer than ``min_pairs`` pairs or no spread.

    >>> r, n = pairwise_pearson(np.array([[1.0, 2.0], [2.0, 4.0], [3.0, 7.0], [np.nan, 1.0]]))
    >>> round(float(r[0, 1]), 4), n.tolist()
    (0.9934, [[3, 3], [3, 4]])
    """
    X = np.asarray(X, dtype=float)
    Y = X if Y is None else np.asarray(Y, dtype=float)
    mx, my = ~np.isnan(X), ~np.isnan(Y)
    with np.errstate(invalid="ignore", divide="ignore"):
        # centre each column first (r does not change) so the sums do not cancel
        cx = np.where(mx.any(axis=0), np.nansum(X, axis=0) / mx.sum(axis=0), 0.0)
        cy = np.where(my.any(axis=0), np.nansum(Y, axis=0) / my.sum(axis=0), 0.0)
    X0, Y0 = np.where(mx, X - cx, 0.0), np.where(my, Y - cy, 0.0)
    fx, fy = mx.astype(float), my.astype(float)
    n = fx.T @ fy
    sx = X0.T @ fy  # sum of x over the rows where both are present
    sy = fx.T @ Y0
    sxx = (X0**2).T @ fy
    syy = fx.T @ (Y0**2)
    sxy = X0.T @ Y0
    with np.errstate(invalid="ignore", divide="ignore"):
        vx = sxx - sx**2 / n
        vy = syy - sy**2 / n
        r = (sxy - sx * sy / n) / np.sqrt(vx * vy)
    flat = (vx <= 1e-12 * sxx) | (vy <= 1e-12 * syy)
    r = np.where((n >= min_pairs) & ~flat, np.clip(r, -1.0, 1.0), np.nan)
    return r, n.astype(np.int64)


def _stage(sc, stage: str) -> pd.DataFrame:
    allowed = ("raw", "imputed", "treated", "normalised")
    if stage not in allowed:
        raise ValueError(f"stage: unknown choice {stage!r} (known: {', '.join(allowed)})")
    return getattr(sc, stage)


def _framework(sc) -> pd.DataFrame:
    fw = sc.framework
    return fw.set_index("indicator")


def _long(r, n, rows, cols, kind_rows, kind_cols) -> pd.DataFrame:
    a, b = np.meshgrid(np.arange(len(rows)), np.arange(len(cols)), indexing="ij")
    rr = r.ravel()
    return pd.DataFrame(
        {
            kind_rows: pd.array(np.asarray(rows, dtype=object)[a.ravel()], dtype="str"),
            kind_cols: pd.array(np.asarray(cols, dtype=object)[b.ravel()], dtype="str"),
            "correlation": rr,
            "pairs": n.ravel(),
            "flag": pd.array([correlation_flag(x) for x in rr], dtype="str"),
            "bin": pd.Categorical([correlation_bin(x) for x in rr], dtype=_BIN_TYPE),
        }
    )


def correlations(sc, *, stage: str = "normalised", counted_only: bool = True) -> pd.DataFrame:
    """Indicator x indicator correlations, one row per unordered pair (long table).

    Columns: indicator_a, indicator_b, dimension_a, dimension_b, within (same dimension),
    correlation, pairs, flag, bin. ``counted_only`` keeps indicators with weight > 0.
    The square matrix is ``out.pivot(...)`` or :func:`pairwise_pearson` on ``sc.normalised``.
    """
    data = _stage(sc, stage)
    fw = _framework(sc)
    cols = [c for c in data.columns if not counted_only or fw.loc[c, "weight"] > 0]
    r, n = pairwise_pearson(data[cols].to_numpy(dtype=float))
    out = _long(r, n, cols, cols, "indicator_a", "indicator_b")
    ia = np.repeat(np.arange(len(cols)), len(cols))
    ib = np.tile(np.arange(len(cols)), len(cols))
    out = out[ia < ib].reset_index(drop=True)
    dim = fw["dimension"]
    out.insert(2, "dimension_a", pd.array(dim.reindex(out["indicator_a"]).to_numpy(), dtype="str"))
    out.insert(3, "dimension_b", pd.array(dim.reindex(out["indicator_b"]).to_numpy(), dtype="str"))
    out.insert(4, "within", (out["dimension_a"] == out["dimension_b"]).to_numpy(dtype=bool))
    return out


def indicator_score_correlations(
    sc, *, stage: str = "normalised", counted_only: bool = True
) -> pd.DataFrame:
    """Each indicator against each dimension score and the overall score (long table).

    Columns: indicator, score (a dimension id or "overall"), own (the indicator's dimension, or
    overall), correlation, pairs, flag, bin. A weak or negative correlation with its own
    dimension means the indicator pulls against the others there.
    """
    data = _stage(sc, stage)
    fw = _framework(sc)
    cols = [c for c in data.columns if not counted_only or fw.loc[c, "weight"] > 0]
    scores = sc.dimension_scores.copy()
    scores["overall"] = sc.results["overall"].to_numpy(dtype=float)
    X = data.reindex(scores.index)[cols].to_numpy(dtype=float)
    r, n = pairwise_pearson(X, scores.to_numpy(dtype=float))
    out = _long(r, n, cols, list(scores.columns), "indicator", "score")
    own_dim = fw["dimension"].reindex(out["indicator"]).to_numpy()
    out.insert(2, "own", (out["score"].to_numpy() == own_dim) | (out["score"] == "overall"))
    return out


def cronbach_alpha(X: np.ndarray) -> float:
    """alpha = k / (k - 1) (1 - sum_i var(x_i) / var(sum_i x_i)) over complete rows (k >= 2).

    >>> round(cronbach_alpha(np.array([[1.0, 1.0], [2.0, 3.0], [3.0, 2.0]])), 4)
    0.6667
    """
    X = np.asarray(X, dtype=float)
    X = X[~np.isnan(X).any(axis=1)]
    k = X.shape[1] if X.ndim == 2 else 0
    if k < 2 or X.shape[0] < 2:
        return float("nan")
    total = X.sum(axis=1).var(ddof=1)
    if total == 0:
        return float("nan")
    return float(k / (k - 1) * (1.0 - X.var(axis=0, ddof=1).sum() / total))


def cronbach_by_dimension(sc, *, stage: str = "normalised") -> pd.DataFrame:
    """Cronbach's alpha of each dimension's counted indicators (weight > 0), complete cases.

    Columns: dimension, indicators (how many), complete (countries with all of them), alpha
    (NaN with fewer than 2 indicators or 2 complete countries).
    """
    data = _stage(sc, stage)
    fw = sc.framework
    rows = []
    for dim in dict.fromkeys(fw["dimension"]):
        cols = fw.loc[(fw["dimension"] == dim) & (fw["weight"] > 0), "indicator"].tolist()
        X = data[cols].to_numpy(dtype=float)
        complete = int((~np.isnan(X).any(axis=1)).sum()) if cols else 0
        rows.append((dim, len(cols), complete, cronbach_alpha(X) if cols else float("nan")))
    out = pd.DataFrame(rows, columns=["dimension", "indicators", "complete", "alpha"])
    out["dimension"] = out["dimension"].astype("str")
    return out


def _mode_share(x: np.ndarray) -> float:
    if x.size == 0:
        return float("nan")
    _, counts = np.unique(x, return_counts=True)
    return float(counts.max() / x.size)


def indicator_statistics(
    sc, *, stage: str = "raw", indicators: Sequence[str] | None = None
) -> pd.DataFrame:
    """One row per indicator: availability (share of the table's countries with a value),
    n, min, max, mean, skew, kurtosis, mode_share (share of values equal to the most frequent
    value), outlier (the treatment rule fails: |skew| >= 2 and kurtosis >= 3.5).

    ``stage`` picks the table: "raw" (every country, as selected), "imputed", "treated" or
    "normalised" (the scored countries).
    """
    data = _stage(sc, stage)
    cols = list(indicators) if indicators is not None else list(data.columns)
    rows = []
    for c in cols:
        x = data[c].to_numpy(dtype=float)
        v = x[~np.isnan(x)]
        check = check_skew_kurt(v)
        rows.append(
            {
                "indicator": c,
                "availability": v.size / x.size if x.size else float("nan"),
                "n": v.size,
                "min": float(v.min()) if v.size else float("nan"),
                "max": float(v.max()) if v.size else float("nan"),
                "mean": float(v.mean()) if v.size else float("nan"),
                "skew": skew(v),
                "kurtosis": kurt(v),
                "mode_share": _mode_share(v),
                "outlier": check is False,
            }
        )
    out = pd.DataFrame(rows)
    out["indicator"] = out["indicator"].astype("str")
    return out.set_index("indicator")
