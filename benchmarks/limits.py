"""Time and peak memory of refusing hostile input, and of reading real-sized input.

    uv run python -m benchmarks.limits

Each case runs once, in a child forked after its input is made: seconds are wall time, and peak
MB is how far the child's resident memory rose above what it started with (C allocations of
parsers included; the input's bytes, already held, are not counted). The outcome column is the
first line of what a person reads.
"""

from __future__ import annotations

import gzip
import io
import os
import resource
import socket
import sys
import tempfile
import time
from collections.abc import Callable
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


def real_workbook(rows: int, valid: bool = True) -> bytes:
    """A values workbook of `rows` rows of five columns, as a spreadsheet writes it: distinct
    keys with each indicator's lowest value, or (`valid` False) one key repeated with values out
    of range, so that every row fails two checks."""
    import itertools

    from openpyxl import Workbook

    catalogue = load_catalogue()
    indicators = catalogue.indicators
    low = dict(zip(indicators["indicator"], indicators["range_low"], strict=True))
    keys = itertools.product(load_countries()["iso3"], low, range(1990, 2031))
    book = Workbook(write_only=True)
    sheet = book.create_sheet("data")
    sheet.append(["iso3", "indicator", "year", "value", "note"])
    for n, (code, indicator, year) in zip(range(rows), keys, strict=False):  # rows < keys
        if valid:
            sheet.append([code, indicator, year, float(low[indicator]), f"note {n}"])
        else:
            sheet.append(["RUS", "rsf_press_freedom", 1990 + n % 41, 101 + n, f"note {n}"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _resident_kb() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024


def measure(label: str, run: Callable[[], str]) -> None:
    """Run `run` in a forked child; print its seconds, its peak memory rise and its outcome."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: measure, report through the pipe, leave without cleanup
        os.close(read)
        base = _resident_kb()
        start = time.perf_counter()
        try:
            outcome = run()
        except Exception as error:  # a refusal raised as an exception: its message is the outcome
            outcome = f"{type(error).__name__}: {error}"
        seconds = time.perf_counter() - start
        peak = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base) / 1000
        first_line = str(outcome).splitlines()[0] if str(outcome) else ""
        os.write(write, f"{seconds:8.3f} {max(peak, 0):8.1f}  {first_line[:110]}".encode())
        os._exit(0)
    os.close(write)
    chunks = []
    while chunk := os.read(read, 4096):
        chunks.append(chunk)
    os.close(read)
    os.waitpid(pid, 0)
    print(f"{label:52} {b''.join(chunks).decode()}", flush=True)


def uploads(catalogue, countries) -> None:
    def upload(name: str, content: bytes) -> Callable[[], str]:
        return lambda: check_upload(
            UploadedFile(name, content), None, catalogue, countries
        ).values.accounting()

    cases = {
        "1,000,000-row CSV (35 MB)": ("big.csv", make.million_rows(1_000_000)),
        "250,000-row CSV (over the row limit)": ("big.csv", make.million_rows(250_000)),
        "200 MB CSV": ("big.csv", make.padded_csv(200_000_000)),
        "zip bomb .xlsx (2 MB -> 2 GB)": ("bomb.xlsx", make.zip_bomb()),
        "shared strings 44 MB in 5 MB .xlsx (ratio 9)": (
            "strings.xlsx",
            make.shared_strings_bomb(2_000_000),
        ),
        "shared strings 19 MB, just under the bound (read)": (
            "strings.xlsx",
            make.shared_strings_bomb(870_000),
        ),
        "a cell in column XFD on 20,000 rows (accepted)": (
            "wide.xlsx",
            make.far_column_cells(20_000),
        ),
        "a row numbered 1,048,576": ("jump.xlsx", make.row_jump(1_048_576)),
        "values of ±1e308 in a 20,000-row CSV": (
            "huge.csv",
            real_file(19_998)
            + b"RUS,rsf_press_freedom,2030,1e308\nDEU,rsf_press_freedom,2030,-1e308\n",
        ),
        "20,000-row CSV (accepted)": ("real.csv", real_file(20_000)),
        "199,000-row .xlsx, 54 MB of sheet (accepted)": ("real.xlsx", real_workbook(199_000)),
        "199,000-row .xlsx, every row failing two checks": (
            "bad.xlsx",
            real_workbook(199_000, valid=False),
        ),
    }
    for label, (name, content) in cases.items():
        measure(label, upload(name, content))


def texts() -> None:
    from scoring.method import Method
    from store.scenarios import ScenarioStore
    from views.state import parse_link

    catalogue, countries = load_catalogue(), load_countries()
    framework = catalogue.framework()
    deep_toml = "year_window = " + "[" * 10_000 + "]" * 10_000
    measure("TOML nested 10,000 deep (20 KB)", lambda: Method.from_toml(deep_toml))
    measure("JSON nested 100,000 deep (200 KB)", lambda: Method.from_json("[" * 100_000))
    dotted = "indicator_weights." + ".".join(["a"] * 30_000) + " = 1"
    measure("TOML dotted key of 30,000 parts (60 KB)", lambda: Method.from_toml(dotted))
    with tempfile.TemporaryDirectory() as folder:
        store = ScenarioStore(Path(folder) / "s.sqlite3")
        measure(
            "scenario import nested 10,000 deep",
            lambda: store.import_toml("me", "Deep", deep_toml),
        )
    peers = {"peers": ",".join(f"Z{n:05d}" for n in range(14_000))}
    measure(
        "link with 100 KB of peers",
        lambda: "; ".join(
            parse_link(peers, framework, list(catalogue.dimension_weights()), set(countries["iso3"])).notices
        ),
    )  # fmt: skip


def files() -> None:
    from scoring.files import read_text_file
    from scoring.limits import Limits

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        bomb = root / "values.csv.gz"
        with gzip.open(bomb, "wb", compresslevel=9) as out:
            out.write(b"iso3,indicator,year,value\n")
            for _ in range(600):
                out.write(b" " * 1_000_000)
        size = bomb.stat().st_size / 1e6
        measure(
            f"--values .gz of {size:.1f} MB inflating to 600 MB",
            lambda: read_text_file(bomb, Limits()),
        )
        (root / "zero.csv").symlink_to("/dev/zero")
        measure("--values linked to /dev/zero", lambda: read_text_file(root / "zero.csv", Limits()))
        os.mkfifo(root / "pipe.csv")
        measure(
            "--values a FIFO with no writer", lambda: read_text_file(root / "pipe.csv", Limits())
        )
    from_dir()


def from_dir() -> None:
    from indicators.connectors import SourceError
    from indicators.refresh import _copy_from_dir

    def copy(root: Path) -> Callable[[], str]:
        def run() -> str:
            try:
                return str(_copy_from_dir(root, "rsf-press-freedom", root / "dest"))
            except SourceError as error:
                return str(error)

        return run

    makers = {
        "link to /dev/zero": lambda d: (d / "zero.csv").symlink_to("/dev/zero"),
        "FIFO": lambda d: os.mkfifo(d / "pipe.csv"),
        "link loop": lambda d: ((d / "a.csv").symlink_to(d / "b.csv"), (d / "b.csv").symlink_to(d / "a.csv")),
        "26 MB file (over the 25 MB limit)": lambda d: (d / "big.csv").write_bytes(b"x" * 26_000_000),
        "socket": lambda d: socket.socket(socket.AF_UNIX).bind(str(d / "s.sock")),
    }  # fmt: skip
    for label, make_entry in makers.items():
        with tempfile.TemporaryDirectory() as folder:
            root = Path(folder)
            (root / "rsf-press-freedom").mkdir()
            (root / "rsf-press-freedom" / "rsf_2025_scores.csv").write_text("x\n")
            make_entry(root / "rsf-press-freedom")
            measure(f"update-data --from-dir with a {label}", copy(root))


def main() -> None:
    print(f"{'case':52} {'seconds':>8} {'peak MB':>8}  outcome")
    uploads(load_catalogue(), load_countries())
    texts()
    files()


if __name__ == "__main__":
    main()
