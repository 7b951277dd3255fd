"""Time and peak memory of refusing hostile uploads, and of reading a real-sized one.

    uv run python -m benchmarks.limits

Peak memory is Python's own allocations during the call (tracemalloc), not counting the
upload's bytes, which the caller already holds.
"""

from __future__ import annotations

import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from fixtures import hostile_files as make  # noqa: E402

from indicators.catalogue import load_catalogue, load_countries  # noqa: E402
from indicators.uploads import UploadedFile, check_upload  # noqa: E402


def real_file(rows: int) -> bytes:
    codes = load_countries()["iso3"].tolist()
    lines = [
        f"{code},{indicator},{year},{n % 5}"
        for n, (code, indicator, year) in enumerate(
            (c, i, y)
            for c in codes
            for i in ("rsf_press_freedom", "fh_free_media")
            for y in range(1990, 2031)
        )
    ]
    return ("iso3,indicator,year,value\n" + "\n".join(lines[:rows]) + "\n").encode()


def main() -> None:
    catalogue, countries = load_catalogue(), load_countries()
    cases = {
        "1,000,000-row CSV (35 MB)": ("big.csv", make.million_rows(1_000_000)),
        "250,000-row CSV (over the row limit)": ("big.csv", make.million_rows(250_000)),
        "200 MB CSV": ("big.csv", make.padded_csv(200_000_000)),
        "zip bomb .xlsx (2 MB -> 2 GB)": ("bomb.xlsx", make.zip_bomb()),
        "20,000-row CSV (accepted)": ("real.csv", real_file(20_000)),
    }
    print(f"{'case':40} {'seconds':>8} {'peak MB':>8}  outcome")
    for label, (name, content) in cases.items():
        tracemalloc.start()
        start = time.perf_counter()
        check = check_upload(UploadedFile(name, content), None, catalogue, countries)
        seconds = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()
        outcome = check.values.accounting()
        print(f"{label:40} {seconds:8.3f} {peak:8.1f}  {outcome[:90]}")


if __name__ == "__main__":
    main()
