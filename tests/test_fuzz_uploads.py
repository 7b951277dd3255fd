"""Fuzzing the two parsers that read what people type or upload.

* The upload reader (`read_upload`, `check_upload`) on arbitrary bytes and on near-valid CSVs with
  mutated cells: it returns a result whose accounting holds, or raises UploadError; nothing else.
* The Method parsers (dict, JSON, TOML, URL query) and the app's link reader
  (`views.state.parse_link`): a valid Method or a ValueError with a message; the link reader never
  raises.

Derandomised and small by default, so CI sees the same examples every run in a few seconds. A longer
campaign: `FUZZ_EXAMPLES=5000 FUZZ_RANDOM=1 uv run pytest tests/test_fuzz_uploads.py -q`.
Every failure a campaign found is pinned below as an @example.
"""

from __future__ import annotations

import json
import os
import string

import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from indicators.catalogue import load_catalogue, load_countries
from indicators.uploads import (
    VALUES_REQUIRED,
    UploadCheck,
    UploadedFile,
    UploadError,
    check_upload,
    read_upload,
)
from scoring.limits import Limits
from scoring.method import QUERY_KEYS, Method
from views.state import LinkState, parse_link

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "60"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=not os.environ.get("FUZZ_RANDOM"),
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
# Small limits, so the fuzzer reaches the refusals too.
SMALL = Limits(max_upload_mb=0.05, max_rows=40, max_columns=12)

CATALOGUE = load_catalogue()
COUNTRIES = load_countries()
FRAMEWORK = CATALOGUE.framework()
DIMENSIONS = list(CATALOGUE.dimension_weights())
KNOWN_ISO3 = set(COUNTRIES["iso3"])
INDICATORS = FRAMEWORK["indicator"].tolist()
HEADER = "iso3,indicator,year,value,note"


def assert_accounted(check: UploadCheck) -> None:
    for file in (check.values, check.framework):
        if file is None:
            continue
        assert file.rows_read == file.accepted + file.rejected
        if file.problem:
            assert file.rows_read == 0 and file.problem.strip()
        else:
            failures = file.checked.failures
            assert failures["row"].nunique() == file.rejected
            assert set(failures["row"]).isdisjoint(file.checked.accepted.index)
            assert file.accounting().startswith(f"Read {file.rows_read:,} row")
    if check.usable:
        assert len(check.values_used) == check.values.accepted


def check(content: bytes, name: str = "values.csv", limits: Limits = SMALL) -> UploadCheck:
    return check_upload(UploadedFile(name, content), None, CATALOGUE, COUNTRIES, limits=limits)


# ---------------------------------------------------------------- the upload reader


@FUZZ
@given(content=st.binary(max_size=600), name=st.sampled_from(["v.csv", "v.xlsx", "v.txt", "v.xls"]))
@example(content=b"\xff\xfe", name="v.csv")  # a UTF-16 byte-order mark and nothing else
@example(content=b"\xff\xfei\x00s\x00o\x00", name="v.csv")  # UTF-16 header only
@example(content=b"PK\x05\x06" + b"\x00" * 18, name="v.xlsx")  # an empty zip
@example(content=b'"\n', name="v.csv")  # an unclosed quote
def test_arbitrary_bytes_are_read_or_refused_with_an_upload_error(content, name):
    try:
        table = read_upload(UploadedFile(name, content), VALUES_REQUIRED, SMALL)
    except UploadError as error:
        assert str(error).strip()
        return
    assert set(VALUES_REQUIRED) <= set(table.frame.columns)
    assert table.frame.index.is_unique
    assert_accounted(check(content, name))


CELLS = st.one_of(
    st.sampled_from(
        ["", "n/a", "NA", "-", "..", "nan", "inf", "-inf", "1e308", "1e999", "-0", "0x10",
         "2025.0", "٣", "１２", " 24.57 ", '"', "RUS", "rus", "XKX", "=1+1", "\x00", "\ufeff",
         "1e16", "-1.7e308", "1000000000000000", "5e-324", '"RUS\n"', "²"]
    ),
    st.text(max_size=12),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.integers(-10**20, 10**20).map(str),
)  # fmt: skip


@st.composite
def near_valid_csv(draw) -> str:
    """A valid values CSV (real ids and codes) with some cells, separators or lines mutated."""
    n = draw(st.integers(1, 8))
    rows = []
    for _ in range(n):
        rows.append(
            [
                draw(st.sampled_from(["RUS", "DEU", "NAM", "CHN", "FRA"])),
                draw(st.sampled_from(INDICATORS[:6])),
                str(draw(st.integers(2010, 2025))),
                str(draw(st.floats(0, 100, allow_nan=False))),
                draw(st.sampled_from(["", "note", "NA"])),
            ]
        )
    for _ in range(draw(st.integers(0, 6))):
        row, column = draw(st.integers(0, n - 1)), draw(st.integers(0, 4))
        rows[row][column] = draw(CELLS)
    lines = [HEADER] + [",".join(row) for row in rows]
    mutation = draw(st.sampled_from(["none", "drop", "duplicate", "extra", "short", "blank"]))
    at = draw(st.integers(1, len(lines) - 1)) if len(lines) > 1 else 1
    if mutation == "drop":
        lines.pop(at)
    elif mutation == "duplicate":
        lines.insert(at, lines[at])
    elif mutation == "extra":
        lines[at] += ",stray"
    elif mutation == "short":
        lines[at] = lines[at].rsplit(",", 2)[0]
    elif mutation == "blank":
        lines.insert(at, "")
    return "\n".join(lines) + draw(st.sampled_from(["", "\n", "\r\n"]))


@FUZZ
@given(text=near_valid_csv(), encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]))
@example(text=HEADER + "\nRUS,rsf_press_freedom,2025,1e308,\n", encoding="utf-8")
# Found by the campaign: a year of "inf" or "1e30" crashed the contracts' Int64 coercion.
@example(
    text=HEADER + "\nRUS,rsf_press_freedom,inf,0.0,\nDEU,rsf_press_freedom,2010,1,",
    encoding="utf-8",
)
@example(text=HEADER + "\nRUS,rsf_press_freedom,1e30,0.0,", encoding="utf-8")
def test_near_valid_csvs_account_for_every_row(text, encoding):
    try:
        content = text.encode(encoding)
    except UnicodeEncodeError:  # lone surrogates cannot be written in any encoding
        return
    result = check(content, limits=Limits())
    assert_accounted(result)
    if result.values.problem is None:
        data_lines = [line for line in text.splitlines()[1:] if line.strip(" ,\t\ufeff\x00")]
        assert result.values.rows_read <= len(data_lines)


# ---------------------------------------------------------------- the Method parsers

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**30), 10**30),
    st.floats(),
    st.text(max_size=20),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=10,
)
FIELD_NAMES = list(Method.__dataclass_fields__)
SETTINGS_DICTS = st.dictionaries(
    st.one_of(st.sampled_from(FIELD_NAMES), st.text(max_size=10)), VALUES, max_size=5
)


def parses_or_says_why(parse) -> Method | None:
    try:
        method = parse()
    except ValueError as error:
        assert str(error).strip()
        return None
    assert isinstance(method, Method)
    hash(method)  # it keys caches
    assert Method.from_toml(method.to_toml()) == method  # and round-trips
    assert Method.from_query(method.to_query()) == method
    return method


@FUZZ
@given(data=SETTINGS_DICTS)
@example(data={"weight_preset": []})  # unhashable where a name is expected
@example(data={"normalisation": {}})
@example(data={"indicator_weights": {"rsf_press_freedom": 1e308}})
@example(data={"dimension_weights": {"media_reach": float("nan")}})
@example(data={"indicator_power": 1e308})
@example(data={"peer_group": [[1], {"a": 1}]})
@example(data={"peer_group": [[None, None]]})  # found: its text "[None, None]" split on reload
@example(data={"peer_group": ["RUS,CHN", " DEU; "]})
@example(data={"year_window": "20102025"})
@example(data={"normalisation_params": {"low": 1e300}})
def test_any_dict_gives_a_method_or_a_value_error(data):
    parses_or_says_why(lambda: Method.from_dict(data, FRAMEWORK))


@FUZZ
@given(data=SETTINGS_DICTS)
@example(data={"peer_group": [[None, None]]})
def test_any_json_gives_a_method_or_a_value_error(data):
    text = json.dumps(data, allow_nan=True)
    parses_or_says_why(lambda: Method.from_json(text, FRAMEWORK))


@FUZZ
@given(text=st.text(max_size=200))
@example(text="[")
@example(text="year = 2020\nyear = 2021")
@example(text="indicator_weights = { rsf_press_freedom = nan }")
@example(text="dimension_weights = { media_reach = inf }")
@example(text="indicator_power = 1e400")
def test_any_toml_text_gives_a_method_or_a_value_error(text):
    parses_or_says_why(lambda: Method.from_toml(text, FRAMEWORK))


@FUZZ
@given(
    toml_lines=st.lists(
        st.tuples(st.sampled_from(FIELD_NAMES), st.sampled_from(
            ["1", "-1", "0", "1e308", "nan", "inf", '"x"', "[]", "{}", "[1, 2]", "{ a = 1 }",
             '"min_max"', '"generalised"', "true", "2010-01-01", '"2010-2020"']
        )), max_size=4,
    )
)  # fmt: skip
def test_near_valid_toml_gives_a_method_or_a_value_error(toml_lines):
    text = "\n".join(f"{name} = {value}" for name, value in dict(toml_lines).items())
    parses_or_says_why(lambda: Method.from_toml(text, FRAMEWORK))


QUERY_TEXT = st.one_of(
    st.text(max_size=30),
    st.lists(st.sampled_from(INDICATORS[:4] + DIMENSIONS[:3] + ["x", ""]), max_size=3).flatmap(
        lambda ids: st.lists(
            st.sampled_from(["1", "0", "-1", "1e308", "nan", "inf", "", "x", "2:3"]),
            min_size=len(ids),
            max_size=len(ids),
        ).map(lambda ws: ",".join(f"{i}:{w}" for i, w in zip(ids, ws, strict=True)))
    ),
)
QUERIES = st.dictionaries(
    st.one_of(st.sampled_from([*QUERY_KEYS, "country", "compare", "actor"]), st.text(max_size=6)),
    st.one_of(QUERY_TEXT, st.lists(QUERY_TEXT, max_size=2)),
    max_size=5,
)


@FUZZ
@given(params=QUERIES)
@example(params={"w": "rsf_press_freedom:1e308"})
@example(params={"dw": ",".join(f"{d}:0" for d in ["media_reach"])})
@example(params={"window": "-"})
@example(params={"ip": "1e999"})
def test_any_url_query_gives_a_method_or_a_value_error(params):
    parses_or_says_why(lambda: Method.from_query(params, FRAMEWORK, strict=False))


@FUZZ
@given(params=QUERIES)
@example(params={"compare": ",".join(sorted(KNOWN_ISO3)[:40])})
@example(params={"country": "x" * 5000})
def test_the_link_reader_never_raises_and_always_gives_a_usable_view(params):
    params = {k: (v[-1] if v else "") if isinstance(v, list) else v for k, v in params.items()}
    link = parse_link(params, FRAMEWORK, DIMENSIONS, KNOWN_ISO3)
    assert isinstance(link, LinkState)
    assert link.country in KNOWN_ISO3 and link.actor in KNOWN_ISO3
    assert set(link.compare) <= KNOWN_ISO3 and len(link.compare) <= 6
    link.method.check_names(INDICATORS, DIMENSIONS)
    assert all(len(notice) < 1000 for notice in link.notices)


@pytest.mark.parametrize(
    "text",
    [
        "".join(string.printable[i % 100] for i in range(300)),
        HEADER + "\n" + "RUS,rsf_press_freedom,2025,1,\n" * 3,
    ],
)
def test_fuzz_helpers_accept_plain_files(text):
    """The accounting helper itself passes on ordinary input (so a fuzz pass means something)."""
    result = check(text.encode(), limits=Limits())
    assert_accounted(result)
    assert isinstance(result.failures(), pd.DataFrame)
