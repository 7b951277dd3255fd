"""Outlier treatment, following COINr's ``Treat`` defaults (the JRC rule) exactly.

For each indicator (raw values, before direction and normalisation):

1. It fails when |skew| >= 2 AND kurtosis >= 3.5 (COINr ``check_SkewKurt`` passes when
   ``abs(skew) < 2 | kurt < 3.5``). Skew and kurtosis are COINr's ``skew``/``kurt``: the
   sample-adjusted definitions of e1071 type 2 (Excel's SKEW and KURT; kurtosis is *excess*).
2. If it fails, winsorise (COINr ``winsorise``, winmax = 5): while failing and fewer than 5
   points are winsorised, if skew >= 0 set the highest value(s) to the next highest value,
   else the lowest value(s) to the next lowest; re-check after each step.
3. If it still fails, discard the winsorisation and apply COINr's ``log_CT`` to the original
   values instead: ln(x - min(x) + 0.01 (max(x) - min(x))).

Indicators with fewer than 4 values (kurtosis undefined) or no spread are left untreated, as COINr
does when its check returns NA.

Worked example: x = 1..10 plus 30 and 100 (COINr's own example): skew 3.06, kurtosis 9.74 ->
fails; winsorising 100 -> 30 gives skew 1.71 (< 2) -> passes; one point winsorised.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = [
    "TREATMENTS",
    "Treatment",
    "skew",
    "kurt",
    "check_skew_kurt",
    "winsorise",
    "log_ct",
    "treat_indicator",
    "treat_jrc",
]

SKEW_THRESHOLD = 2.0
KURT_THRESHOLD = 3.5
WINMAX = 5


def skew(x: np.ndarray) -> float:
    """Sample skewness, e1071 type 2: sqrt(n) sum(d^3) / sum(d^2)^1.5 * sqrt(n (n-1)) / (n-2).

    >>> round(skew(np.r_[np.arange(1.0, 11), 30, 100]), 3)
    3.063
    """
    x = np.asarray(x, dtype=float)
    x = x[~np.isnan(x)]
    n = x.size
    if n < 3:
        return np.nan
    d = x - x.mean()
    s2 = (d**2).sum()
    if s2 == 0:
        return np.nan
    y = np.sqrt(n) * (d**3).sum() / s2**1.5
    return float(y * np.sqrt(n * (n - 1)) / (n - 2))


def kurt(x: np.ndarray) -> float:
    """Sample excess kurtosis, e1071 type 2: ((n+1)(r-3)+6)(n-1)/((n-2)(n-3)), r = n sum(d^4)/sum(d^2)^2.

    >>> round(kurt(np.r_[np.arange(1.0, 11), 30, 100]), 3)
    9.741
    """
    x = np.asarray(x, dtype=float)
    x = x[~np.isnan(x)]
    n = x.size
    if n < 4:
        return np.nan
    d = x - x.mean()
    s2 = (d**2).sum()
    if s2 == 0:
        return np.nan
    r = n * (d**4).sum() / s2**2
    return float(((n + 1) * (r - 3) + 6) * (n - 1) / ((n - 2) * (n - 3)))


def check_skew_kurt(x: np.ndarray) -> bool | None:
    """True when |skew| < 2 or kurtosis < 3.5; None when undefined (< 4 values or no spread).

    >>> check_skew_kurt(np.r_[np.arange(1.0, 11), 30, 100])
    False
    """
    s, k = skew(x), kurt(x)
    if np.isnan(s) or np.isnan(k):
        return None
    return bool(abs(s) < SKEW_THRESHOLD or k < KURT_THRESHOLD)


def winsorise(x: np.ndarray, winmax: int = WINMAX) -> tuple[np.ndarray, int, np.ndarray, bool]:
    """COINr ``winsorise``: returns (x, points winsorised, mask of winsorised points, passes).

    >>> x, n, mask, ok = winsorise(np.r_[np.arange(1.0, 11), 30, 100])
    >>> n, x[-1], ok
    (1, np.float64(30.0), True)
    """
    x = np.asarray(x, dtype=float).copy()
    passing = check_skew_kurt(x)
    imax = np.array([], dtype=int)
    imin = np.array([], dtype=int)
    nwin = 0
    while passing is False and nwin < winmax:
        ok = ~np.isnan(x)
        if skew(x) >= 0:
            top = np.nanmax(x)
            imax = np.flatnonzero(ok & (x == top))
            rest = x[ok & (x != top)]
            if rest.size == 0:
                break
            x[imax] = rest.max()
        else:
            bottom = np.nanmin(x)
            imin = np.flatnonzero(ok & (x == bottom))
            rest = x[ok & (x != bottom)]
            if rest.size == 0:
                break
            x[imin] = rest.min()
        # As COINr: the latest tied group holds every point winsorised so far on that side.
        nwin = imax.size + imin.size
        passing = check_skew_kurt(x)
    mask = np.zeros(x.shape, dtype=bool)
    mask[imax] = True
    mask[imin] = True
    return x, nwin, mask, bool(passing)


def log_ct(x: np.ndarray) -> np.ndarray:
    """COINr ``log_CT``: ln(x - min(x) + 0.01 (max(x) - min(x))).

    >>> [round(float(v), 3) for v in log_ct(np.array([0.0, 1.0, 100.0]))]
    [0.0, 0.693, 4.615]
    """
    x = np.asarray(x, dtype=float)
    lo, hi = np.nanmin(x), np.nanmax(x)
    return np.log(x - lo + 0.01 * (hi - lo))


def treat_indicator(x: np.ndarray) -> tuple[np.ndarray, str, str, np.ndarray]:
    """Apply the JRC rule to one indicator: (treated x, action, detail, mask of treated points).

    action is one of "none", "winsorised", "log", "not checked".
    """
    x = np.asarray(x, dtype=float)
    s0, k0 = skew(x), kurt(x)
    none_mask = np.zeros(x.shape, dtype=bool)
    if np.isnan(s0) or np.isnan(k0):
        n = int((~np.isnan(x)).sum())
        why = "fewer than 4 values" if n < 4 else "no spread"
        return x.copy(), "not checked", f"{why}: skew and kurtosis undefined", none_mask
    before = f"skew {s0:.2f}, kurtosis {k0:.2f}"
    if abs(s0) < SKEW_THRESHOLD or k0 < KURT_THRESHOLD:
        return x.copy(), "none", f"{before}: within thresholds", none_mask
    xw, nwin, mask, ok = winsorise(x)
    if ok:
        high = int((mask & (x > xw)).sum())
        low = int((mask & (x < xw)).sum())
        parts = [f"{high} highest" if high else "", f"{low} lowest" if low else ""]
        detail = (
            f"{before}; winsorised {' and '.join(p for p in parts if p)} point(s); "
            f"now skew {skew(xw):.2f}, kurtosis {kurt(xw):.2f}"
        )
        return xw, "winsorised", detail, mask
    xl = log_ct(x)
    present = ~np.isnan(x)
    passes = check_skew_kurt(xl)
    detail = (
        f"{before}; still outside after winsorising {nwin} point(s), so log-transformed "
        f"(ln(x - min + 0.01 range)) instead; now skew {skew(xl):.2f}, kurtosis {kurt(xl):.2f}"
        + ("" if passes else " (still outside the thresholds)")
    )
    return xl, "log", detail, present


def treat_jrc(
    X: np.ndarray, names: Sequence[str] | None = None
) -> tuple[np.ndarray, np.ndarray, pd.DataFrame]:
    """Treat every column of X by the JRC rule: (treated X, treated-point mask, report).

    The report has columns indicator, action, detail.
    """
    X = np.asarray(X, dtype=float)
    out = X.copy()
    mask = np.zeros(X.shape, dtype=bool)
    rows = []
    for j in range(X.shape[1]):
        xt, action, detail, m = treat_indicator(X[:, j])
        out[:, j] = xt
        mask[:, j] = m
        rows.append((names[j] if names is not None else j, action, detail))
    report = pd.DataFrame(rows, columns=["indicator", "action", "detail"])
    return out, mask, report


def treat_none(
    X: np.ndarray, names: Sequence[str] | None = None
) -> tuple[np.ndarray, np.ndarray, pd.DataFrame]:
    """No treatment: the report lists every indicator with action "none"."""
    X = np.asarray(X, dtype=float)
    labels = list(names) if names is not None else list(range(X.shape[1]))
    report = pd.DataFrame(
        {"indicator": labels, "action": "none", "detail": "outlier treatment off"}
    )
    return X.copy(), np.zeros(X.shape, dtype=bool), report


@dataclass(frozen=True)
class Treatment:
    """A registry entry: ``function(X, names) -> (X_treated, mask, report)``."""

    name: str
    label: str
    rule: str
    function: Callable[..., tuple[np.ndarray, np.ndarray, pd.DataFrame]]


TREATMENTS: dict[str, Treatment] = {
    t.name: t
    for t in [
        Treatment("none", "None", "values are used as they are", treat_none),
        Treatment(
            "jrc",
            "JRC / COINr",
            "|skew| >= 2 and kurtosis >= 3.5 -> winsorise up to 5 points -> else log",
            treat_jrc,
        ),
    ]
}
