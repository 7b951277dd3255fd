"""Imputation of missing values (optional; every imputed cell is flagged).

Kernels take the countries x indicators matrix X (NaN = missing) and an :class:`ImputeContext`
and return ``(X_imputed, flags, years)`` where ``flags`` marks the filled cells and ``years``
the year each cell now comes from (NaN where unchanged or unknown).

* ``none``: nothing is filled.
* ``group_mean`` / ``group_median``: a missing cell gets the mean / median of the indicator over
  the countries of its group that have a value (groups: region, subregion, or members vs
  non-members of a group id such as ``EU``). Countries without a group are left missing.
* ``latest_earlier``: a missing cell gets the country's latest value from a year before the
  selected one (before the window start when the latest year in a window is used).

Worked example (group mean): countries A, B, C in region "X" with values [10, NaN, 30] and D in
region "Y" with NaN: B gets (10 + 30) / 2 = 20; D stays missing (no value in its region).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

__all__ = ["IMPUTERS", "Imputer", "ImputeContext", "group_mean", "group_median", "latest_earlier"]


@dataclass(frozen=True)
class ImputeContext:
    """What imputers may use.

    groups: one integer group code per country (-1 = no group), or None.
    cube / years: values by (year, country, indicator) and the sorted years, for latest_earlier.
    before: only years strictly before this one count as "earlier".
    """

    groups: np.ndarray | None = None
    cube: np.ndarray | None = None
    years: np.ndarray | None = None
    before: int | None = None


def _no_change(X):
    return X.copy(), np.zeros(X.shape, dtype=bool), np.full(X.shape, np.nan)


def none(X: np.ndarray, ctx: ImputeContext) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Leave missing values missing."""
    return _no_change(X)


def _group_fill(X, ctx, stat):
    if ctx.groups is None:
        raise ValueError("group imputation needs the countries table (region, subregion, groups)")
    out, flags, years = _no_change(X)
    g = np.asarray(ctx.groups)
    for code in np.unique(g[g >= 0]):
        rows = np.flatnonzero(g == code)
        block = X[rows]
        with np.errstate(all="ignore"):
            present = ~np.isnan(block)
            has = present.any(axis=0)
            fill = np.full(X.shape[1], np.nan)
            if has.any():
                fill[has] = stat(block[:, has], axis=0)
        miss = ~present & has[None, :]
        sub = out[rows]
        sub[miss] = np.broadcast_to(fill, block.shape)[miss]
        out[rows] = sub
        fl = flags[rows]
        fl[miss] = True
        flags[rows] = fl
    return out, flags, years


def group_mean(X: np.ndarray, ctx: ImputeContext):
    """Missing cell <- mean of the indicator over the country's group.

    >>> X = np.array([[10.0], [np.nan], [30.0], [np.nan]])
    >>> group_mean(X, ImputeContext(groups=np.array([0, 0, 0, 1])))[0].ravel().tolist()
    [10.0, 20.0, 30.0, nan]
    """
    return _group_fill(X, ctx, np.nanmean)


def group_median(X: np.ndarray, ctx: ImputeContext):
    """Missing cell <- median of the indicator over the country's group.

    >>> X = np.array([[10.0], [np.nan], [30.0], [35.0]])
    >>> group_median(X, ImputeContext(groups=np.array([0, 0, 0, 0])))[0].ravel().tolist()
    [10.0, 30.0, 30.0, 35.0]
    """
    return _group_fill(X, ctx, np.nanmedian)


def latest_earlier(X: np.ndarray, ctx: ImputeContext):
    """Missing cell <- the country's latest value in a year before ``ctx.before``.

    >>> cube = np.array([[[1.0]], [[2.0]], [[np.nan]]])  # years 2000, 2001, 2002; one country
    >>> out, flags, years = latest_earlier(np.array([[np.nan]]), ImputeContext(
    ...     cube=cube, years=np.array([2000, 2001, 2002]), before=2002))
    >>> out.tolist(), flags.tolist(), years.tolist()
    ([[2.0]], [[True]], [[2001.0]])
    """
    if ctx.cube is None or ctx.years is None or ctx.before is None:
        raise ValueError("latest_earlier imputation needs the values of earlier years")
    out, flags, years = _no_change(X)
    k = int(np.searchsorted(ctx.years, ctx.before, side="left"))
    if k == 0:
        return out, flags, years
    sub = ctx.cube[:k]
    valid = ~np.isnan(sub)
    has = valid.any(axis=0)
    last = k - 1 - np.argmax(valid[::-1], axis=0)
    vals = np.take_along_axis(sub, last[None], axis=0)[0]
    miss = np.isnan(X) & has
    out[miss] = vals[miss]
    flags[miss] = True
    years[miss] = ctx.years[last][miss]
    return out, flags, years


@dataclass(frozen=True)
class Imputer:
    """A registry entry: ``function(X, ctx) -> (X_imputed, flags, years)``."""

    name: str
    label: str
    rule: str
    function: Callable[[np.ndarray, ImputeContext], tuple[np.ndarray, np.ndarray, np.ndarray]]
    uses_groups: bool = False


IMPUTERS: dict[str, Imputer] = {
    i.name: i
    for i in [
        Imputer("none", "No imputation", "missing values stay missing", none),
        Imputer(
            "group_mean",
            "Group mean",
            "mean of the indicator in the country's group",
            group_mean,
            uses_groups=True,
        ),
        Imputer(
            "group_median",
            "Group median",
            "median of the indicator in the country's group",
            group_median,
            uses_groups=True,
        ),
        Imputer(
            "latest_earlier",
            "Latest earlier value",
            "the country's latest value from an earlier year",
            latest_earlier,
        ),
    ]
}
