"""Contracts for every table that crosses a boundary (files, uploads, the build), checked with pandera.

Validation is lazy and happens in two passes so that every bad cell is reported once, with a reason a
person can act on: first each cell must parse as its type ("n/a" is not a number), then the rows that
parsed are checked against the rules (known country, known indicator, range, duplicates).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaError, SchemaErrors

from scoring.limits import MAX_ABS_VALUE, MAX_WEIGHT, YEAR_RANGE

FAILURE_COLUMNS = ["row", "column", "value", "check", "reason"]


class ContractError(ValueError):
    """A table broke its contract; `failures` lists every failing cell (row, column, value, check, reason)."""

    def __init__(self, table: str, failures: pd.DataFrame):
        self.table = table
        self.failures = failures
        count = len(failures)
        super().__init__(f"{table}: {count} problem{'s' if count != 1 else ''} found")


@dataclass(frozen=True)
class CheckedTable:
    """Rows that passed, and one line per failing cell; `failures.row` refers to `source` row labels."""

    accepted: pd.DataFrame
    failures: pd.DataFrame
    rows_read: int

    @property
    def rejected_rows(self) -> int:
        return self.failures["row"].nunique()


# ---- shared checks


def _finite(series: pd.Series) -> pd.Series:
    return pd.Series(np.isfinite(series.to_numpy(dtype=float)), index=series.index)


FINITE = pa.Check(_finite, name="finite")


def _within_magnitude(series: pd.Series) -> pd.Series:
    # Non-finite values are reported by FINITE; this check names only the huge finite ones.
    numbers = series.to_numpy(dtype=float)
    return pd.Series(~np.isfinite(numbers) | (np.abs(numbers) <= MAX_ABS_VALUE), index=series.index)


#: A value the engine scores exactly (see scoring.limits.MAX_ABS_VALUE).
WITHIN_MAGNITUDE = pa.Check(_within_magnitude, name="within_magnitude")


def full_match(pattern: str) -> str:
    """`pattern` anchored at both ends of the whole text, for pandera's ``str_matches`` (which
    uses ``re.match``: a plain ``$`` also matches before a final line break, so "RUS\\n" passed
    ``^[A-Z]{3}$``).

    >>> import re
    >>> iso3 = full_match("[A-Z]{3}")
    >>> bool(re.match(iso3, "RUS")), bool(re.match(iso3, "RUS\\n"))
    (True, False)
    """
    return rf"^(?:{pattern})\Z"


#: The id forms every table shares.
ISO3 = full_match("[A-Z]{3}")
SNAKE_ID = full_match("[a-z][a-z0-9_]*")
GROUP_IDS = full_match("([A-Z][A-Z0-9_]*(;[A-Z][A-Z0-9_]*)*)?")


def _member_of(allowed: frozenset[str], name: str) -> pa.Check:
    # A named check rather than `isin`, so errors don't print every allowed code.
    return pa.Check(lambda s: s.isin(allowed), name=name)


def _did_you_mean(value: str, countries: pd.DataFrame) -> str:
    """Codes one letter away from a mistyped code, or the codes of the nearest country names."""
    text = str(value).strip()
    if len(text) == 3:
        near = [
            code
            for code in countries["iso3"]
            if sum(a != b for a, b in zip(text.upper(), code, strict=True)) <= 1
        ]
    else:
        names = dict(zip(countries["name"].str.lower(), countries["iso3"], strict=True))
        near = [
            names[match]
            for match in difflib.get_close_matches(text.lower(), names, n=3, cutoff=0.75)
        ]
    return f" (did you mean {' or '.join(near[:3])}?)" if near else ""


# ---- running a schema and explaining its failures


def _failure_cases(schema: pa.DataFrameSchema, frame: pd.DataFrame) -> pd.DataFrame:
    try:
        schema.validate(frame, lazy=True)
    except SchemaErrors as errors:
        return errors.failure_cases
    except SchemaError as error:  # raised without lazy collection, e.g. on a dtype coercion failure
        return error.failure_cases if error.failure_cases is not None else pd.DataFrame()
    return pd.DataFrame()


def _explain(cases: pd.DataFrame, reasons: dict[str, callable]) -> pd.DataFrame:
    """pandera failure cases -> (row, column, value, check, reason), one line per cell."""
    if cases.empty:
        return pd.DataFrame(columns=FAILURE_COLUMNS)
    rows = []
    for case in cases.itertuples(index=False):
        check = str(case.check)
        column = "" if pd.isna(case.column) else str(case.column)
        if check == "column_in_dataframe":
            rows.append((None, str(case.failure_case), "", check, "required column is missing"))
            continue
        if check.startswith("dtype("):
            continue  # the coercion failure for the same cell is already reported
        key = check.split("(")[0]
        explain = reasons.get(key, reasons.get("*"))
        value = "" if pd.isna(case.failure_case) else str(case.failure_case)
        rows.append((case.index, column, value, check, explain(value, column, check)))
    failures = pd.DataFrame(rows, columns=FAILURE_COLUMNS)
    # Uniqueness failures arrive once per key column; one line per row says it.
    return failures.drop_duplicates(subset=["row", "check", "reason"]).reset_index(drop=True)


GENERIC_REASONS = {
    "coerce_dtype": lambda v, c, k: (
        f"'{v}' is not a {'whole number' if 'int' in k.lower() else 'number'}"
        if v
        else "empty cell"
    ),
    "not_nullable": lambda v, c, k: "empty cell",
    "finite": lambda v, c, k: f"{v} is not a finite number",
    "within_magnitude": lambda v, c, k: (
        f"{v} is too large: values must lie within ±{MAX_ABS_VALUE:g} (the scoring is exact up "
        "to there; use larger units)"
    ),
    "in_range": lambda v, c, k: f"{v} is outside {k.removeprefix('in_range')}",
    "isin": lambda v, c, k: f"'{v}' is not one of the allowed values",
    "field_uniqueness": lambda v, c, k: f"'{v}' appears more than once",
    "multiple_fields_uniqueness": lambda v, c, k: (
        "duplicate row: the same key appears more than once"
    ),
    "str_matches": lambda v, c, k: f"'{v}' does not have the expected form",
    "*": lambda v, c, k: f"fails check {k}",
}


def check_table(
    frame: pd.DataFrame,
    types: dict[str, str],
    rules: pa.DataFrameSchema,
    reasons: dict[str, callable] | None = None,
) -> CheckedTable:
    """Parse `types` (column -> dtype) cell by cell, then apply `rules`; a cell is reported once."""
    reasons = {**GENERIC_REASONS, **(reasons or {})}
    missing = [column for column in types if column not in frame.columns]
    if missing:
        failures = pd.DataFrame(
            [
                (None, column, "", "column_in_dataframe", "required column is missing")
                for column in missing
            ],
            columns=FAILURE_COLUMNS,
        )
        return CheckedTable(frame.iloc[0:0], failures, len(frame))
    if frame.empty:  # nothing to check (pandera would report the untyped empty columns)
        return CheckedTable(frame.astype(types), pd.DataFrame(columns=FAILURE_COLUMNS), 0)
    parse_failures, blanked = _parse_failures(frame, types, reasons)
    # Integers parse as nullable Int64 so that a blanked cell can be held until it is rejected.
    nullable_types = {
        column: "Int64" if dtype == "int64" else dtype for column, dtype in types.items()
    }
    parse = pa.DataFrameSchema(
        {
            column: pa.Column(dtype, coerce=True, nullable=True)
            for column, dtype in nullable_types.items()
        }
    )
    parsed = parse.validate(blanked)
    rule_failures = _explain(_failure_cases(rules, parsed), reasons)
    # A cell that did not parse was blanked; don't report it again as empty.
    already = set(zip(parse_failures["row"], parse_failures["column"], strict=True))
    rule_failures = rule_failures[
        [
            (row, column) not in already
            for row, column in zip(rule_failures["row"], rule_failures["column"], strict=True)
        ]
    ]
    failures = pd.concat([parse_failures, rule_failures], ignore_index=True)
    failures = failures.sort_values(["row", "column"], kind="stable").reset_index(drop=True)
    rejected = set(failures["row"].dropna())
    accepted = parsed.drop(index=list(rejected)).astype(types)
    return CheckedTable(accepted, failures, len(frame))


def _parse_failures(frame, types, reasons) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Cells that do not parse as their column's type (incl. 'nan' text), and the frame with them blanked."""
    blanked = frame.copy()
    rows = []
    for column, dtype in types.items():
        if dtype == "str":
            continue
        text = frame[column]
        numbers = pd.to_numeric(text, errors="coerce")
        given = text.notna() & (text.astype(str).str.strip() != "")
        bad = given & numbers.isna()
        if dtype.lower().startswith("int"):  # whole and within int64 ("inf" and "1e30" are not)
            whole = numbers.abs().lt(2**53) & numbers.eq(numbers.round())
            bad |= given & numbers.notna() & ~whole
        for row in frame.index[bad]:
            value = str(text[row])
            rows.append(
                (
                    row,
                    column,
                    value,
                    f"coerce_dtype('{dtype}')",
                    reasons["coerce_dtype"](value, column, dtype),
                )
            )
        blanked[column] = numbers.where(~bad)
    return pd.DataFrame(rows, columns=FAILURE_COLUMNS), blanked


def raise_on_failures(table: str, checked: CheckedTable) -> pd.DataFrame:
    if len(checked.failures):
        raise ContractError(table, checked.failures)
    return checked.accepted.reset_index(drop=True)


# ---- values

VALUE_TYPES = {"iso3": "str", "indicator": "str", "year": "int64", "value": "float64"}


def _within_indicator_range(ranges: dict[str, tuple[float, float]]) -> pa.Check:
    """Each value within its indicator's declared (low, high)."""
    low = {indicator: bounds[0] for indicator, bounds in ranges.items()}
    high = {indicator: bounds[1] for indicator, bounds in ranges.items()}

    def within_range(frame: pd.DataFrame) -> pd.Series:
        lows, highs = frame["indicator"].map(low), frame["indicator"].map(high)
        # Unknown indicators and empty values are reported by their own checks.
        unreported = lows.isna() | ~np.isfinite(frame["value"].to_numpy(dtype=float))
        return unreported | ((frame["value"] >= lows) & (frame["value"] <= highs))

    return pa.Check(within_range, name="within_indicator_range")


def values_rules(
    known_iso3: frozenset[str] | None = None,
    ranges: dict[str, tuple[float, float]] | None = None,
) -> pa.DataFrameSchema:
    """Rules for the long values table; `ranges` maps each known indicator to its declared (low, high)."""
    iso3_checks = (
        [_member_of(known_iso3, "known_iso3")]
        if known_iso3 is not None
        else [pa.Check.str_matches(ISO3)]
    )
    indicator_checks = [_member_of(frozenset(ranges), "known_indicator")] if ranges else []
    frame_checks = []
    if ranges:
        frame_checks.append(_within_indicator_range(ranges))
    return pa.DataFrameSchema(
        {
            "iso3": pa.Column(str, iso3_checks),
            "indicator": pa.Column(str, indicator_checks),
            "year": pa.Column("Int64", pa.Check.in_range(*YEAR_RANGE), nullable=False),
            "value": pa.Column("float64", [FINITE, WITHIN_MAGNITUDE], nullable=False),
            "note": pa.Column(str, required=False, nullable=True),
        },
        checks=frame_checks,
        unique=["iso3", "indicator", "year"],
        strict=False,
    )


def check_values(
    frame: pd.DataFrame,
    framework: pd.DataFrame | None = None,
    countries: pd.DataFrame | None = None,
) -> CheckedTable:
    """Check a long values table (iso3, indicator, year, value[, note, unit]).

    With `framework` (indicator, range_low, range_high[, unit]) indicators must be known and values in
    range; with `countries` (iso3, name) codes must be known.
    """
    ranges = None
    if framework is not None:
        bounds = framework.set_index("indicator")[["range_low", "range_high"]]
        ranges = {
            indicator: (
                -np.inf if pd.isna(row.range_low) else float(row.range_low),
                np.inf if pd.isna(row.range_high) else float(row.range_high),
            )
            for indicator, row in bounds.iterrows()
        }
    known_iso3 = frozenset(countries["iso3"]) if countries is not None else None
    reasons = {
        "known_iso3": lambda v, c, k: f"unknown country code '{v}'{_did_you_mean(v, countries)}",
        "known_indicator": lambda v, c, k: f"unknown indicator '{v}'",
        "within_indicator_range": lambda v, c, k: "value outside the indicator's declared range",
        "multiple_fields_uniqueness": lambda v, c, k: (
            "duplicate (iso3, indicator, year): the same key is on another row too"
        ),
    }
    checked = check_table(frame, VALUE_TYPES, values_rules(known_iso3, ranges), reasons)
    failures = checked.failures
    if ranges and len(failures):
        failures = _describe_range_failures(failures, frame, ranges)
    if framework is not None and "unit" in frame.columns and "unit" in framework.columns:
        failures = pd.concat([failures, _unit_failures(frame, framework)], ignore_index=True)
        accepted = checked.accepted.drop(index=failures["row"].dropna().unique(), errors="ignore")
        checked = CheckedTable(accepted, failures, checked.rows_read)
    return CheckedTable(checked.accepted, failures, checked.rows_read)


def _describe_range_failures(failures, frame, ranges) -> pd.DataFrame:
    """A frame-level check names no single cell: point it at the value and give the bounds.
    Vectorised: a file whose 200,000 values are all out of range is described in a second (row
    by row it took minutes)."""
    failures = failures.copy()
    is_range = (failures["check"] == "within_indicator_range").to_numpy()
    if is_range.any():
        rows = failures.loc[is_range, "row"].tolist()
        indicators = frame.loc[rows, "indicator"].tolist()
        values = [str(v) for v in frame.loc[rows, "value"].tolist()]
        failures.loc[is_range, "column"] = "value"
        failures.loc[is_range, "value"] = values
        failures.loc[is_range, "reason"] = [
            f"{value} is outside {indicator}'s range [{ranges[indicator][0]:g}, "
            f"{ranges[indicator][1]:g}]"
            for value, indicator in zip(values, indicators, strict=True)
        ]
    return failures.drop_duplicates(subset=["row", "check"]).reset_index(drop=True)


def _unit_failures(frame: pd.DataFrame, framework: pd.DataFrame) -> pd.DataFrame:
    expected = frame["indicator"].map(framework.set_index("indicator")["unit"])
    wrong = expected.notna() & (frame["unit"].astype(str) != expected)
    return pd.DataFrame(
        {
            "row": frame.index[wrong],
            "column": "unit",
            "value": frame.loc[wrong, "unit"].astype(str),
            "check": "catalogue_unit",
            "reason": [f"unit differs from the catalogue's '{unit}'" for unit in expected[wrong]],
        },
        columns=FAILURE_COLUMNS,
    )


def validate_values(frame, framework=None, countries=None) -> pd.DataFrame:
    """Typed values table, or ContractError listing every failing cell."""
    return raise_on_failures("values", check_values(frame, framework, countries))


# ---- framework (indicator -> dimension, direction, weight)

FRAMEWORK_TYPES = {
    "indicator": "str",
    "dimension": "str",
    "direction": "int64",
    "weight": "float64",
}

FRAMEWORK_RULES = pa.DataFrameSchema(
    {
        "indicator": pa.Column(str, pa.Check.str_matches(SNAKE_ID), unique=True),
        "dimension": pa.Column(str, pa.Check.str_matches(SNAKE_ID)),
        "direction": pa.Column("Int64", pa.Check.isin([-1, 1]), nullable=False),
        # Capped: sums of a few weights near the float64 maximum overflow to inf.
        "weight": pa.Column("float64", [FINITE, pa.Check.ge(0), pa.Check.le(MAX_WEIGHT)]),
    },
    strict=False,
)

FRAMEWORK_REASONS = {
    "str_matches": lambda v, c, k: f"'{v}' must be lower_snake_case (letters, digits, _)",
    "isin": lambda v, c, k: f"direction must be 1 or -1, not {v}",
    "greater_than_or_equal_to": lambda v, c, k: f"weight {v} is negative",
    "less_than_or_equal_to": lambda v, c, k: (
        f"weight {v} is too large (at most {MAX_WEIGHT:,.0f}; weights are relative)"
    ),
}


def check_framework(frame: pd.DataFrame) -> CheckedTable:
    return check_table(frame, FRAMEWORK_TYPES, FRAMEWORK_RULES, FRAMEWORK_REASONS)


def validate_framework(frame: pd.DataFrame) -> pd.DataFrame:
    return raise_on_failures("framework", check_framework(frame))


# ---- countries


class CountriesModel(pa.DataFrameModel):
    """One row per country: the project's only country key is iso3."""

    iso3: str = pa.Field(unique=True, str_matches=ISO3)
    name: str = pa.Field(str_length={"min_value": 1})
    region: str = pa.Field(nullable=True)
    subregion: str = pa.Field(nullable=True)
    groups: str = pa.Field(str_matches=GROUP_IDS)

    class Config:
        strict = True


def validate_countries(frame: pd.DataFrame) -> pd.DataFrame:
    checked = check_table(frame, {}, CountriesModel.to_schema())
    return raise_on_failures("countries", checked)


# ---- catalogue


class DimensionsModel(pa.DataFrameModel):
    dimension: str = pa.Field(unique=True, str_matches=SNAKE_ID)
    name: str = pa.Field(str_length={"min_value": 1})
    side: str  # an id from the catalogue's sides, or "" where the catalogue declares none
    weight: float = pa.Field(ge=0)
    description: str = pa.Field(str_length={"min_value": 1})
    rationale: str


class SidesModel(pa.DataFrameModel):
    side: str = pa.Field(unique=True, str_matches=r"^[a-z][a-z0-9_]*$")
    name: str = pa.Field(str_length={"min_value": 1})
    description: str = pa.Field(str_length={"min_value": 1})


class SourcesModel(pa.DataFrameModel):
    source: str = pa.Field(unique=True)
    publisher: str = pa.Field(str_length={"min_value": 1})
    title: str = pa.Field(str_length={"min_value": 1})
    url: str = pa.Field(str_matches=r"^https?://")
    licence: str = pa.Field(str_length={"min_value": 1})
    edition: str = pa.Field(str_length={"min_value": 1})
    folder: str
    redistributable: bool


class IndicatorsModel(pa.DataFrameModel):
    """Catalogue rows: every indicator documented, sourced and with a declared range."""

    indicator: str = pa.Field(unique=True, str_matches=SNAKE_ID)
    name: str = pa.Field(str_length={"min_value": 1})
    dimension: str
    unit: str = pa.Field(str_length={"min_value": 1})
    direction: int = pa.Field(isin=[-1, 1])
    weight: float = pa.Field(ge=0)
    lever: str = pa.Field(isin=["", "policy", "outcome"])
    range_low: float
    range_high: float
    goalpost_low: float = pa.Field(nullable=True)
    goalpost_high: float = pa.Field(nullable=True)
    source: str
    description: str = pa.Field(str_length={"min_value": 1})
    proxy_for: str = pa.Field(str_length={"min_value": 1})
    direction_rationale: str
    absence: str = pa.Field(isin=["missing", "zero", "not_applicable"])
    absence_rationale: str
    transform: str = pa.Field(isin=["", "log"])
    limits: str = pa.Field(str_length={"min_value": 1})

    @pa.dataframe_check(error="a log-scaled indicator needs values of 0 or more (range_low >= 0)")
    def log_needs_no_negative_values(cls, frame: pd.DataFrame) -> pd.Series:
        return (frame["transform"] != "log") | (frame["range_low"] >= 0)

    @pa.dataframe_check(error="range_low must be below range_high")
    def range_is_ordered(cls, frame: pd.DataFrame) -> pd.Series:
        return frame["range_low"] < frame["range_high"]

    @pa.dataframe_check(error="goalposts must lie inside the declared range, low below high")
    def goalposts_inside_range(cls, frame: pd.DataFrame) -> pd.Series:
        absent = frame["goalpost_low"].isna() & frame["goalpost_high"].isna()
        ordered = frame["goalpost_low"] < frame["goalpost_high"]
        inside = (frame["goalpost_low"] >= frame["range_low"]) & (
            frame["goalpost_high"] <= frame["range_high"]
        )
        return absent | (ordered & inside)


def validate_catalogue(
    dimensions: pd.DataFrame,
    indicators: pd.DataFrame,
    sources: pd.DataFrame,
    sides: pd.DataFrame | None = None,
) -> None:
    """Each table against its model, then the references between them. A catalogue that
    declares sides (the country index) must place every dimension on one and state, per
    indicator, why its direction is right and what a missing value means."""
    sides = sides if sides is not None else pd.DataFrame(columns=["side", "name", "description"])
    for table, model, frame in [
        ("sides", SidesModel, sides),
        ("dimensions", DimensionsModel, dimensions),
        ("indicators", IndicatorsModel, indicators),
        ("sources", SourcesModel, sources),
    ]:
        raise_on_failures(f"catalogue {table}", check_table(frame, {}, model.to_schema()))
    if len(sides):
        unsided = [
            (row, "side", dimension.side, "known_side", "no side, or a side the catalogue lacks")
            for row, dimension in dimensions.iterrows()
            if dimension.side not in set(sides["side"])
        ]
        if unsided:
            raise ContractError(
                "catalogue dimensions", pd.DataFrame(unsided, columns=FAILURE_COLUMNS)
            )
        undocumented = [
            (row, field, "", "documented", f"{indicator.indicator}: {field} is empty")
            for row, indicator in indicators.iterrows()
            for field in ("direction_rationale", "absence_rationale")
            if not str(indicator[field]).strip()
        ]
        if undocumented:
            raise ContractError(
                "catalogue indicators", pd.DataFrame(undocumented, columns=FAILURE_COLUMNS)
            )
    problems = [
        (row, "dimension", indicator.dimension, "known_dimension", "unknown dimension")
        for row, indicator in indicators.iterrows()
        if indicator.dimension not in set(dimensions["dimension"])
    ] + [
        (row, "source", indicator.source, "known_source", "unknown source")
        for row, indicator in indicators.iterrows()
        if indicator.source not in set(sources["source"])
    ]
    if problems:
        raise ContractError("catalogue indicators", pd.DataFrame(problems, columns=FAILURE_COLUMNS))


# ---- dyads (actor -> target relational values, indicators/relational.py)

DYAD_TYPES = {
    "actor": "str",
    "target": "str",
    "indicator": "str",
    "year": "int64",
    "value": "float64",
}


def dyads_rules(
    known_iso3: frozenset[str] | None = None,
    ranges: dict[str, tuple[float, float]] | None = None,
) -> pa.DataFrameSchema:
    """Rules for the long dyads table: known codes, no self-pairs, unique keys, declared ranges."""
    code_checks = (
        [_member_of(known_iso3, "known_iso3")]
        if known_iso3 is not None
        else [pa.Check.str_matches(ISO3)]
    )
    indicator_checks = [_member_of(frozenset(ranges), "known_indicator")] if ranges else []
    frame_checks = [pa.Check(lambda frame: frame["actor"] != frame["target"], name="not_self_pair")]
    if ranges:
        frame_checks.append(_within_indicator_range(ranges))
    return pa.DataFrameSchema(
        {
            "actor": pa.Column(str, code_checks),
            "target": pa.Column(str, code_checks),
            "indicator": pa.Column(str, indicator_checks),
            "year": pa.Column("Int64", pa.Check.in_range(*YEAR_RANGE), nullable=False),
            "value": pa.Column("float64", [FINITE, WITHIN_MAGNITUDE], nullable=False),
            "note": pa.Column(str, required=False, nullable=True),
        },
        checks=frame_checks,
        unique=["actor", "target", "indicator", "year"],
        strict=False,
    )


def check_dyads(
    frame: pd.DataFrame,
    framework: pd.DataFrame | None = None,
    countries: pd.DataFrame | None = None,
) -> CheckedTable:
    """Check a dyads table (actor, target, indicator, year, value[, note]); as check_values."""
    ranges = None
    if framework is not None:
        bounds = framework.set_index("indicator")[["range_low", "range_high"]]
        ranges = {
            indicator: (float(row.range_low), float(row.range_high))
            for indicator, row in bounds.iterrows()
        }
    known_iso3 = frozenset(countries["iso3"]) if countries is not None else None
    reasons = {
        "known_iso3": lambda v, c, k: f"unknown country code '{v}'",
        "known_indicator": lambda v, c, k: f"unknown indicator '{v}'",
        "not_self_pair": lambda v, c, k: "actor and target are the same country",
        "within_indicator_range": lambda v, c, k: "value outside the indicator's declared range",
        "multiple_fields_uniqueness": lambda v, c, k: (
            "duplicate (actor, target, indicator, year): the same key is on another row too"
        ),
    }
    checked = check_table(frame, DYAD_TYPES, dyads_rules(known_iso3, ranges), reasons)
    failures = checked.failures
    # Frame-level checks name no single cell: one line per row is enough.
    frame_level = failures["check"].isin(["not_self_pair", "within_indicator_range"])
    failures = pd.concat(
        [failures[~frame_level], failures[frame_level].drop_duplicates(subset=["row", "check"])]
    ).sort_values(["row", "column"], kind="stable", ignore_index=True)
    return CheckedTable(checked.accepted, failures, checked.rows_read)


def validate_dyads(frame, framework=None, countries=None) -> pd.DataFrame:
    """Typed dyads table, or ContractError listing every failing cell."""
    return raise_on_failures("dyads", check_dyads(frame, framework, countries))


# ---- published soft-power indices (external validity: data/published_indices.csv)

PUBLISHED_TYPES = {
    "index": "str",
    "edition": "int64",
    "iso3": "str",
    "rank": "Int64",
    "score": "float64",
    "source_url": "str",
}

PUBLISHED_RULES = pa.DataFrameSchema(
    {
        "index": pa.Column(str, pa.Check.str_length(min_value=1), nullable=False),
        "edition": pa.Column("Int64", pa.Check.in_range(*YEAR_RANGE), nullable=False),
        # Empty for a rated nation without a country code (Scotland in the Nation Brands Index).
        "iso3": pa.Column(str, pa.Check.str_matches(r"^[A-Z]{3}$"), nullable=True),
        "rank": pa.Column("Int64", pa.Check.ge(1), nullable=True),
        "score": pa.Column("float64", FINITE, nullable=True),
        "source_url": pa.Column(str, pa.Check.str_matches(r"^https?://"), nullable=False),
    },
    unique=["index", "edition", "iso3"],
    strict=True,
)

PUBLISHED_REASONS = {
    "str_matches": lambda v, c, k: (
        f"'{v}' is not a three-letter country code"
        if c == "iso3"
        else f"'{v}' is not a web address (http:// or https://)"
    ),
    "str_length": lambda v, c, k: "empty cell",
    "greater_than_or_equal_to": lambda v, c, k: f"rank {v} is below 1 (1 = best)",
    "column_in_schema": lambda v, c, k: f"unexpected column '{v}'",
    "multiple_fields_uniqueness": lambda v, c, k: (
        "duplicate (index, edition, iso3): the same key is on another row too"
    ),
}


def check_published_indices(frame: pd.DataFrame) -> CheckedTable:
    """Check the published index results: index, edition, iso3 (may be empty), rank (whole,
    >= 1, may be empty), score (may be empty), source_url; exactly these columns."""
    return check_table(frame, PUBLISHED_TYPES, PUBLISHED_RULES, PUBLISHED_REASONS)


def validate_published_indices(frame: pd.DataFrame) -> pd.DataFrame:
    """Typed published index table, or ContractError listing every failing cell.

    >>> validate_published_indices(pd.DataFrame({"index": ["SP30"], "edition": ["2018"],
    ...     "iso3": ["FRA"], "rank": ["1"], "score": [None], "source_url": ["https://x.org"]})
    ... ).dtypes.astype(str).tolist()
    ['str', 'int64', 'str', 'Int64', 'float64', 'str']
    """
    return raise_on_failures("published indices", check_published_indices(frame))


def empty_published_indices() -> pd.DataFrame:
    """The published index table with its columns and types and no rows."""
    return pd.DataFrame(
        {column: pd.Series(dtype=dtype) for column, dtype in PUBLISHED_TYPES.items()}
    )
