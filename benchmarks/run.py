"""Timing benchmarks of the scoring hot paths; prints a markdown table.

    uv run python -m benchmarks.run            # full run (about a minute)
    uv run python -m benchmarks.run --quick    # fewer repetitions, scaling only to 4x
    uv run python -m benchmarks.run --strict   # exit status 1 when a target is missed

The data are SYNTHETIC (seeded random values: 200 countries x 40 indicators in 4 dimensions,
about 10 % of cells missing). They exist only to time the code at a realistic size; they are
never shown as results and never stand in for the real data anywhere else.

Cases (targets on the project's 2-core machine):

* full pipeline on prepared data (select -> screen -> normalise -> aggregate -> rank): <= 2 ms
* Monte Carlo, 10,000 draws of indicator and dimension weights, ranks and percentiles: <= 0.15 s
* variance-based sensitivity, 4 dimension weights + normalisation and aggregation choices,
  N = 1,000 base samples (N (d + 2) = 8,000 runs): <= 3 s
* Monte Carlo scaling: countries, indicators and draws each at 1x, 4x, 16x; "pass" when the time
  grows at most twice as fast as the size (near-linear).

Explanations, on the shipped data (the real catalogue: 185 countries scored, 21 indicators):

* one attribution (why a score moved): <= 50 ms, additive and Owen (non-additive means);
* what would it take, every scored country to rank 1 (the slowest shown): <= 2 s;
* every year 2013-2025 scored, with 1,000 Monte Carlo draws a year for the overall, reach and
  appeal rank intervals: <= 1 s.
"""

from __future__ import annotations

import argparse
import itertools
import string
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from scoring.alternatives import Variations
from scoring.method import Method
from scoring.pipeline import Prepared, build_scorecard, prepare
from scoring.sensitivity import variance_sensitivity
from scoring.uncertainty import monte_carlo

BASE_COUNTRIES = 200
BASE_INDICATORS = 40
BASE_DIMENSIONS = 4
BASE_DRAWS = 10_000
MISSING = 0.10


def synthetic(
    countries: int = BASE_COUNTRIES,
    indicators: int = BASE_INDICATORS,
    dimensions: int = BASE_DIMENSIONS,
    missing: float = MISSING,
    seed: int = 0,
) -> Prepared:
    """Seeded synthetic values (one year) and framework, prepared once. Synthetic: benchmarks only."""
    rng = np.random.default_rng(seed)
    codes = [
        "".join(t)
        for t in itertools.islice(itertools.product(string.ascii_uppercase, repeat=3), countries)
    ]
    ids = [f"ind{j:03d}" for j in range(indicators)]
    framework = pd.DataFrame(
        {
            "indicator": ids,
            "dimension": [f"dim{j % dimensions}" for j in range(indicators)],
            # two sides, as the catalogue's reach and appeal; a few counts on a log scale
            "side": [("reach", "appeal")[(j % dimensions) % 2] for j in range(indicators)],
            "transform": np.where(np.arange(indicators) % 10 == 0, "log", ""),
            "direction": np.where(rng.random(indicators) < 0.2, -1, 1),
            "weight": rng.choice([1.0, 2.0], size=indicators),
        }
    )
    # indicators share a common country factor, as real ones do
    factor = rng.normal(size=(countries, 1))
    X = 50 + 10 * (0.6 * factor + rng.normal(size=(countries, indicators)))
    X[rng.random(X.shape) < missing] = np.nan
    ci, ii = np.nonzero(~np.isnan(X))
    values = pd.DataFrame(
        {
            "iso3": np.asarray(codes, dtype=object)[ci],
            "indicator": np.asarray(ids, dtype=object)[ii],
            "year": np.full(ci.size, 2020, dtype=np.int64),
            "value": X[ci, ii],
            "note": "",
        }
    )
    return prepare(values, framework)


@dataclass
class Row:
    case: str
    size: str
    times: list[float]
    target: float | None  # seconds
    note: str = ""
    passed: bool | None = None

    @property
    def median(self) -> float:
        return float(np.median(self.times))


def timeit(fn: Callable[[], object], repeat: int, warmup: int = 1) -> list[float]:
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def fmt(seconds: float) -> str:
    if seconds < 1e-3:
        return f"{seconds * 1e6:.0f} µs"
    if seconds < 1:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds:.2f} s"


METHOD = Method(min_coverage=0.0)
SA_VARIATIONS = Variations(normalisations=("min_max", "rank"), aggregations=("geometric",))


def run(quick: bool = False) -> list[Row]:
    rows: list[Row] = []
    base = synthetic()
    size = f"{BASE_COUNTRIES}x{BASE_INDICATORS} ({BASE_DIMENSIONS} dims)"

    rows.append(
        Row(
            "full pipeline (prepared)",
            size,
            timeit(lambda: build_scorecard(base, method=METHOD), 50 if quick else 300, 3),
            2e-3,
        )
    )
    sc = build_scorecard(base, method=METHOD)
    rows.append(
        Row(
            "Monte Carlo: indicator + dimension weights, ranks, percentiles",
            f"{size} x {BASE_DRAWS:,} draws",
            timeit(lambda: monte_carlo(sc, draws=BASE_DRAWS), 5 if quick else 15),
            0.15,
        )
    )
    # min-max to [1, 100] keeps values positive, so geometric means are a feasible choice
    sa_sc = build_scorecard(base, method=Method(min_coverage=0.0, normalisation_params={"low": 1}))
    sa = variance_sensitivity(
        sa_sc,
        country=str(sa_sc.iso3[0]),
        n=1000,
        variations=SA_VARIATIONS,
    )
    d = sa["input"].nunique()
    rows.append(
        Row(
            f"variance-based sensitivity: {d} inputs, 2 targets",
            f"{size}, N = 1,000 ({sa.attrs['runs']:,} runs)",
            timeit(
                lambda: variance_sensitivity(
                    sa_sc,
                    country=str(sa_sc.iso3[0]),
                    n=1000,
                    variations=SA_VARIATIONS,
                ),
                2 if quick else 5,
            ),
            3.0,
        )
    )

    rows += explanation_rows(quick)

    factors = (1, 4) if quick else (1, 4, 16)
    repeat = 2 if quick else 3
    for axis in ("countries", "indicators", "draws"):
        first = None
        for f in factors:
            n = BASE_COUNTRIES * (f if axis == "countries" else 1)
            p = BASE_INDICATORS * (f if axis == "indicators" else 1)
            draws = BASE_DRAWS * (f if axis == "draws" else 1)
            prep = base if (n, p) == (BASE_COUNTRIES, BASE_INDICATORS) else synthetic(n, p)
            s = build_scorecard(prep, method=METHOD)
            times = timeit(lambda s=s, draws=draws: monte_carlo(s, draws=draws), repeat)
            row = Row(f"scaling, {axis} x{f}", f"{n}x{p} x {draws:,} draws", times, None)
            if first is None:
                first = row.median
                row.note = "1x"
            else:
                ratio = row.median / first
                row.note = f"x{ratio:.1f} time for x{f} size"
                row.passed = ratio <= 2 * f
            rows.append(row)
    for row in rows:
        if row.target is not None:
            row.passed = row.median <= row.target
    return rows


def explanation_rows(quick: bool = False) -> list[Row]:
    """Attribution, what would it take, and the years with their intervals, on the shipped data."""
    from indicators.catalogue import load_catalogue, load_countries, load_values
    from scoring.attribution import explain_change
    from scoring.over_time import YEARS, over_time, year_method
    from scoring.target import what_it_takes

    catalogue = load_catalogue()
    countries = load_countries()
    prepared = prepare(load_values(catalogue, countries), catalogue, countries=countries)
    now = build_scorecard(prepared, method=Method(), countries=countries)
    then = build_scorecard(prepared, method=year_method(Method(), 2015), countries=countries)
    size = f"{len(now.iso3)} countries x {len(prepared.indicators)} indicators"
    rows = [
        Row(
            "attribution, additive: RUS 2015 -> 2025",
            size,
            timeit(lambda: explain_change(then, now, "RUS"), 20 if quick else 100),
            0.05,
        )
    ]
    other = Method(
        normalisation_params={"low": 1.0},
        indicator_aggregation="geometric",
        dimension_aggregation="generalised",
        dimension_power=-1.0,
    )
    mixed = build_scorecard(prepared, method=other, countries=countries)
    rows.append(
        Row(
            "attribution, Owen: RUS default -> geometric/generalised means",
            size,
            timeit(lambda: explain_change(now, mixed, "RUS"), 10 if quick else 50),
            0.05,
        )
    )
    levers = dict(
        zip(catalogue.indicators["indicator"], catalogue.indicators["lever"], strict=True)
    )
    codes = [str(c) for c in now.iso3][:: 10 if quick else 1]
    times = [
        timeit(lambda c=c: what_it_takes(now, c, 1, levers=levers), 1, warmup=0)[0] for c in codes
    ]
    rows.append(
        Row(
            f"what would it take: rank 1, slowest of {len(codes)} countries",
            f"{size}, 1,000 draws",
            [max(times)],
            2.0,
            note=f"median {fmt(float(np.median(times)))}",
        )
    )
    rows.append(
        Row(
            f"over time: {len(YEARS)} years, 1,000 draws a year (overall, reach, appeal)",
            size,
            timeit(lambda: over_time(prepared, Method(), YEARS, draws=1000), 2 if quick else 5),
            1.0,
        )
    )
    return rows


def table(rows: list[Row]) -> str:
    lines = [
        "| case | size | median | p95 / min | target | pass |",
        "|---|---|---|---|---|---|",
    ]
    for r in rows:
        target = f"≤ {fmt(r.target)}" if r.target is not None else f"near-linear ({r.note})"
        ok = "n/a" if r.passed is None else ("pass" if r.passed else "FAIL")
        spread = f"{fmt(float(np.percentile(r.times, 95)))} / {fmt(min(r.times))}"
        lines.append(f"| {r.case} | {r.size} | {fmt(r.median)} | {spread} | {target} | {ok} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions, scaling to 4x")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    rows = run(quick=args.quick)
    print(table(rows))
    print(
        "\nSynthetic, seeded data (timing only). Machine: "
        f"{__import__('os').cpu_count()} CPU(s), numpy {np.__version__}, pandas {pd.__version__}."
    )
    failed = [r for r in rows if r.passed is False]
    return 1 if (args.strict and failed) else 0


if __name__ == "__main__":
    sys.exit(main())
