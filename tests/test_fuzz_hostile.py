"""Fuzzing the classes of hostile input issue #18 found one case of each: the case is pinned in
`tests/test_hostile_round2.py`; here each class is generated.

* deep nesting: JSON and TOML (arrays, tables, inline tables, dotted keys) of any depth, with
  brackets inside strings and comments;
* Unicode normalisation: scenario names in every normal form and case;
* trailing line breaks and blanks around ids;
* extreme magnitudes: values from subnormal to the float64 maximum;
* special files: folders for `update-data --from-dir` and files for the command, mixing FIFOs,
  devices, sockets, link loops, dangling links, links out of the folder and oversized files;
* declared-size bombs: workbooks whose shared strings, width, row numbers or total size are
  out of proportion to their bytes, and gzip files out of proportion to theirs.

Derandomised and small by default, so CI sees the same examples in about 30 s. A longer campaign:
`FUZZ_EXAMPLES=1000 FUZZ_RANDOM=1 uv run pytest tests/test_fuzz_hostile.py -q`. The oracles
are written here from the rules (re.fullmatch, unicodedata, sorting), not taken from the code.
"""

from __future__ import annotations

import gzip
import os
import re
import socket
import time
import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from scoring.limits import MAX_NESTING, Limits
from scoring.method import Method

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "40"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=not os.environ.get("FUZZ_RANDOM"),
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
NESTED = f"nested more than {MAX_NESTING} levels deep"

# ---------------------------------------------------------------- deep nesting


@st.composite
def nested_json(draw) -> tuple[str, int]:
    """(JSON text, its depth): lists and objects opened `depth` times around a scalar, inside a
    method key or at the top, strings holding brackets on the way."""
    depth = draw(st.integers(0, 3 * MAX_NESTING))
    opens = draw(st.lists(st.sampled_from(["[", "{"]), min_size=depth, max_size=depth))
    noise = draw(st.sampled_from(['"[[["', '"{{{"', '"]]}"', '"\\"["']))
    text = draw(st.sampled_from(["1", noise]))
    for bracket in reversed(opens):
        text = f"[{noise}, {text}]" if bracket == "[" else f'{{"a": {text}, "b": {noise}}}'
    outer = draw(st.sampled_from(["top", "key"]))
    if outer == "key":
        return f'{{"indicator_weights": {text}}}', depth + 1
    return text, depth


@FUZZ
@given(case=nested_json())
@example(case=("[" * 40 + "]" * 40, 40))
@example(case=('{"peer_group": ["' + "[" * 200 + '"]}', 2))  # brackets in a string only
def test_json_of_any_depth_gives_a_method_or_a_reason(case):
    text, depth = case
    try:
        Method.from_json(text)
    except ValueError as error:
        if depth > MAX_NESTING:
            assert str(error) == f"method: {NESTED} (lists or tables)"
        else:
            assert NESTED not in str(error)
        return
    assert depth <= MAX_NESTING


@st.composite
def nested_toml(draw) -> tuple[str, int]:
    """(TOML text, its depth): arrays, inline tables, dotted keys or a table header, with
    strings and comments holding brackets."""
    depth = draw(st.integers(1, 3 * MAX_NESTING))
    form = draw(st.sampled_from(["array", "inline", "dotted", "header", "mixed"]))
    noise = draw(st.sampled_from(['"[[["', "'{{{'", '"""\n[[\n"""', "'''[{'''"]))
    comment = draw(st.sampled_from(["", "  # [[[[{{{{"]))
    if form == "array":
        return f"year_window = {'[' * depth}{noise}{']' * depth}{comment}", depth + 1
    if form == "inline":
        inner = "1"
        for _ in range(depth):
            inner = f"{{a = {inner}, b = {noise}}}"
        return f"indicator_weights = {inner}{comment}", depth + 1
    if form == "dotted":
        return f"indicator_weights.{'.'.join(['a'] * depth)} = 1{comment}", depth + 1
    if form == "header":
        return f"[{'.'.join(['t'] * depth)}]{comment}\nb = 1", depth + 1
    half = depth // 2
    return (
        f"[{'.'.join(['t'] * half)}]\nv = {'[' * (depth - half)}1{']' * (depth - half)}",
        depth + 1,
    )


@FUZZ
@given(case=nested_toml())
@example(case=("indicator_weights = " + "{a = " * 40 + "1" + "}" * 40, 41))
def test_toml_of_any_depth_gives_a_method_or_a_reason(case, tmp_path_factory):
    from store.scenarios import ScenarioError, ScenarioStore

    text, depth = case
    try:
        Method.from_toml(text)
    except ValueError as error:
        assert (NESTED in str(error)) == (depth > MAX_NESTING), (depth, str(error)[:200])
    else:
        assert depth <= MAX_NESTING
    store = ScenarioStore(tmp_path_factory.mktemp("s") / "s.sqlite3")
    try:
        store.import_toml("me", "Deep", text)
    except ScenarioError as error:
        assert (NESTED in str(error)) == (depth > MAX_NESTING)


# ---------------------------------------------------------------- normalisation forms

# Letters that have several spellings: precomposed and combining, compatibility signs, cases.
SPELLINGS = ["é", "e\u0301", "É", "E\u0301", "Å", "\u212b", "A\u030a", "å", "ß", "ñ", "n\u0303"]
PLAIN = list("abcXYZ -") + ["Ö", "o\u0308", "İ"]


@st.composite
def spelled_names(draw) -> str:
    parts = draw(st.lists(st.sampled_from(SPELLINGS + PLAIN), min_size=1, max_size=8))
    name = "".join(parts).strip()
    return name or "x"


def _looks_the_same(a: str, b: str) -> bool:
    """The oracle: canonically equivalent once case is folded (Unicode default caseless match)."""

    def fold(text: str) -> str:
        return unicodedata.normalize("NFD", unicodedata.normalize("NFD", text).casefold())

    return fold(a.strip()) == fold(b.strip())


@FUZZ
@given(first=spelled_names(), second=spelled_names())
@example(first="Caf\u00e9", second="Cafe\u0301")
@example(first="\u212bngstr\u00f6m", second="\u00c5NGSTRO\u0308M")
def test_two_names_are_one_scenario_exactly_when_they_look_the_same(
    first, second, tmp_path_factory
):
    from store.scenarios import ScenarioError, ScenarioStore

    store = ScenarioStore(tmp_path_factory.mktemp("s") / "s.sqlite3")
    store.save("me", first, Method())
    if _looks_the_same(first, second):
        with pytest.raises(ScenarioError, match="already exists"):
            store.save("me", second, Method(min_coverage=0.25))
        assert len(store.names("me")) == 1
        assert store.load("me", second) == Method()
    else:
        store.save("me", second, Method(min_coverage=0.25))
        assert len(store.names("me")) == 2
        assert store.load("me", second) == Method(min_coverage=0.25)
    assert all(unicodedata.is_normalized("NFC", name) for name in store.names("me"))


@FUZZ
@given(name=spelled_names())
def test_every_spelling_of_a_saved_name_finds_it(name, tmp_path_factory):
    from store.scenarios import ScenarioStore

    store = ScenarioStore(tmp_path_factory.mktemp("s") / "s.sqlite3")
    store.save("me", name, Method(min_coverage=0.3))
    for form in ("NFC", "NFD"):
        for spelling in (name, name.upper(), name.lower()):
            variant = unicodedata.normalize(form, spelling)
            if _looks_the_same(name, variant):
                assert store.load("me", variant) == Method(min_coverage=0.3)


# ---------------------------------------------------------------- ids with blanks around them

BLANKS = ["\n", "\r\n", "\n\n", "\r", " ", "\t", "\x0b", "\x0c", "\x85", "\u2028", "\u00a0", ""]


@FUZZ
@given(
    code=st.sampled_from(["RUS", "DEU", "rus", "RU", "RUSS"]),
    before=st.sampled_from(BLANKS),
    after=st.sampled_from(BLANKS),
    indicator=st.sampled_from(["a", "a_1", "A", "1a"]),
    indicator_after=st.sampled_from(BLANKS),
)
def test_an_id_is_accepted_exactly_when_it_is_the_whole_cell(
    code, before, after, indicator, indicator_after
):
    from scoring.schemas import check_framework, check_values

    iso3, ind = before + code + after, indicator + indicator_after
    framework = pd.DataFrame(
        {"indicator": [ind], "dimension": ["d"], "direction": [1], "weight": [1.0]}
    )
    framework_ok = re.fullmatch(r"[a-z][a-z0-9_]*", ind) is not None
    assert check_framework(framework).failures.empty == framework_ok
    values = pd.DataFrame({"iso3": [iso3], "indicator": ["a"], "year": [2020], "value": [1.0]})
    checked = check_values(values)
    assert checked.failures.empty == (re.fullmatch(r"[A-Z]{3}", iso3) is not None)


# ---------------------------------------------------------------- extreme magnitudes

MAGNITUDES = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from([1e15, -1e15, 1e15 + 2, np.nextafter(1e15, 2e15), 5e-324, -5e-324, 1e308,
                     -1.7976931348623157e308, 2.0**53, 0.0, -0.0]),
    st.floats(-1e16, 1e16),
)  # fmt: skip


@FUZZ
@given(values=st.lists(MAGNITUDES, min_size=2, max_size=6), other=st.floats(0, 10))
@example(values=[1e308, -1e308, 5.0], other=1.0)
@example(values=[1e15, -1e15, 0.0], other=1.0)
def test_values_are_refused_beyond_the_bound_or_ranked_in_their_order(values, other):
    from scoring.pipeline import build_scorecard, prepare
    from scoring.schemas import ContractError, validate_values

    codes = ["AAA", "BBB", "CCC", "DDD", "EEE", "FFF"][: len(values)]
    table = pd.DataFrame({"iso3": codes, "indicator": "a", "year": 2020, "value": values}).astype(
        {"value": "float64"}
    )
    framework = pd.DataFrame(
        {"indicator": ["a"], "dimension": ["d"], "direction": [1], "weight": [1.0],
         "range_low": [np.nan], "range_high": [np.nan]}
    )  # fmt: skip
    huge = [code for code, v in zip(codes, values, strict=True) if abs(v) > 1e15]
    try:
        checked = validate_values(table, framework)
    except ContractError as error:
        refused = sorted(table.loc[error.failures["row"], "iso3"])
        assert refused == sorted(huge)
        assert set(error.failures["column"]) == {"value"}
        return
    assert huge == []
    if len(set(values)) < 2:
        return  # min-max of a constant is undefined (a reason, tested elsewhere)
    sc = build_scorecard(prepare(checked, framework.drop(columns=["range_low", "range_high"])))
    overall = sc.results["overall"]
    assert np.isfinite(overall).all() and overall.between(0, 100).all()
    # The oracle: with one indicator, higher value = better rank.
    by_value = dict(zip(codes, values, strict=True))
    ranks = sc.results["rank"]
    for a in codes:
        for b in codes:
            if by_value[a] > by_value[b]:
                assert ranks[a] <= ranks[b], (a, b, by_value, ranks.to_dict())


# ---------------------------------------------------------------- special files

KINDS = ["regular", "big", "fifo", "socket", "link_dev_zero", "link_outside", "link_loop",
         "dangling", "link_inside", "link_folder", "subfolder"]  # fmt: skip
SAFE = {"regular", "link_inside", "subfolder"}


def _make(kind: str, folder: Path, root: Path, n: int, holders: list) -> None:
    path = folder / f"{kind}{n}.csv"
    if kind == "regular":
        path.write_text("x\n")
    elif kind == "big":
        path.write_bytes(b"x" * 3_000)
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "socket":
        server = socket.socket(socket.AF_UNIX)
        server.bind(str(path))
        holders.append(server)
    elif kind == "link_dev_zero":
        path.symlink_to("/dev/zero")
    elif kind == "link_outside":
        path.symlink_to("/etc/hostname")
    elif kind == "link_loop":
        path.symlink_to(folder / f"{kind}{n}b.csv")
        (folder / f"{kind}{n}b.csv").symlink_to(path)
    elif kind == "dangling":
        path.symlink_to(folder / "nothing-here.csv")
    elif kind == "link_inside":
        (root / f"kept{n}.csv").write_text("y\n")
        path.symlink_to(root / f"kept{n}.csv")
    elif kind == "link_folder":
        path.symlink_to(folder)
    elif kind == "subfolder":
        (folder / f"sub{n}").mkdir()
        (folder / f"sub{n}" / "inner.csv").write_text("z\n")


@FUZZ
@given(kinds=st.lists(st.sampled_from(KINDS), min_size=1, max_size=4))
@example(kinds=["regular", "link_dev_zero"])
@example(kinds=["fifo", "link_loop"])
def test_from_dir_copies_only_safe_folders_and_refuses_the_rest_quickly(
    kinds, tmp_path_factory, monkeypatch
):
    from indicators.connectors import SourceError
    from indicators.refresh import _copy_from_dir
    from scoring import limits

    root = tmp_path_factory.mktemp("from")
    folder = root / "publisher"
    folder.mkdir()
    (folder / "base.csv").write_text("a\n")
    holders: list = []
    monkeypatch.setattr(limits, "current", lambda: Limits(max_source_mb=0.002))
    try:
        for n, kind in enumerate(kinds):
            _make(kind, folder, root, n, holders)
        dest = tmp_path_factory.mktemp("dest") / "publisher"
        start = time.monotonic()
        try:
            fetched = _copy_from_dir(root, "publisher", dest)
        except SourceError as error:
            assert not set(kinds) <= SAFE, str(error)
            assert error.kind == "refused" and len(str(error)) < 400
            copied = (
                sum(p.stat().st_size for p in dest.rglob("*") if p.is_file())
                if dest.exists()
                else 0
            )
            assert copied == 0  # refused before copying anything
        else:
            assert set(kinds) <= SAFE
            assert "base.csv" in fetched.files
            assert all(p.is_file() and not p.is_symlink() for p in dest.rglob("*.csv"))
        assert time.monotonic() - start < 10
    finally:
        for server in holders:
            server.close()


@pytest.mark.parametrize("kind", ["fifo", "socket", "link_dev_zero", "dangling", "link_loop"])
def test_the_command_reader_refuses_what_is_not_a_regular_file(kind, tmp_path):
    from scoring.files import FileRefused, read_text_file

    holders: list = []
    _make(kind, tmp_path, tmp_path, 0, holders)
    try:
        with pytest.raises((FileRefused, FileNotFoundError)):
            read_text_file(tmp_path / f"{kind}0.csv", Limits())
    finally:
        for server in holders:
            server.close()


# ---------------------------------------------------------------- declared-size bombs

SMALL = Limits(max_upload_mb=5, max_rows=2_000, max_columns=20, max_unzipped_mb=2,
               max_xlsx_memory_mb=0.2)  # fmt: skip


@st.composite
def declared_bombs(draw) -> tuple[str, bytes]:
    from tests.fixtures import hostile_files as make

    kind = draw(st.sampled_from(["strings", "far_column", "row_jump", "total", "ratio"]))
    if kind == "strings":
        n = draw(st.integers(1_000, 40_000))
        part = draw(st.sampled_from(["xl/sharedStrings.xml", "xl/worksheets/s.xml", "x.xml"]))
        return kind, make.shared_strings_bomb(n, part=part)
    if kind == "far_column":
        return kind, make.far_column_cells(
            draw(st.integers(10, 1_500)), declare=draw(st.booleans())
        )
    if kind == "row_jump":
        return kind, make.row_jump(draw(st.integers(3, 10**9)))
    if kind == "total":
        return kind, make.zip_bomb(draw(st.integers(3, 50)) * 1_048_576)
    return kind, make.ratio_bomb(draw(st.integers(1_000_000, 5_000_000)))


@FUZZ
@given(case=declared_bombs())
def test_workbooks_are_read_or_refused_in_bounded_time(case):
    from indicators.uploads import VALUES_REQUIRED, UploadedFile, UploadError, read_upload

    kind, content = case
    start = time.perf_counter()
    try:
        table = read_upload(UploadedFile("v.xlsx", content), VALUES_REQUIRED, SMALL)
    except UploadError as error:
        assert str(error).strip() and "\n" not in str(error)
    else:
        assert kind in ("strings", "far_column", "row_jump")
        assert len(table.frame.columns) <= SMALL.max_columns
        assert len(table.frame) <= SMALL.max_rows
    assert time.perf_counter() - start < 10


@FUZZ
@given(size=st.integers(1_000, 3_000_000), level=st.integers(1, 9))
def test_compressed_command_inputs_are_bounded_by_what_they_inflate_to(
    size, level, tmp_path_factory
):
    from scoring.files import read_text_file
    from scoring.limits import LimitError

    path = tmp_path_factory.mktemp("gz") / "values.csv.gz"
    body = b"iso3,indicator,year,value\n" + b" " * size
    path.write_bytes(gzip.compress(body, level))
    bound = Limits(max_upload_mb=1)
    try:
        data = read_text_file(path, bound)
    except LimitError as error:
        assert len(body) > bound.max_upload_bytes
        assert "SCORECARD_MAX_UPLOAD_MB" in str(error)
    else:
        assert data == body and len(body) <= bound.max_upload_bytes
