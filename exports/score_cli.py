"""Command line: ``scorecard score | sensitivity | audit | validate``.

    scorecard score [--values VALUES.csv --framework FRAMEWORK.csv] [--countries COUNTRIES.csv]
                    [--method METHOD.toml|.json] --out SCORES.csv

    scorecard sensitivity [inputs] [--method M] [--draws N] [--seed S] --out RANKS.csv
    scorecard audit [inputs] [--method M] --out DIR
    scorecard validate [inputs] [--method M] [--published P.csv] [--draws N] [--seed S] [--out DIR]

Without ``--values``/``--framework`` the shipped data are scored (``indicators.catalogue``).
Output columns: iso3, one per dimension, overall, rank. Files are read with
``keep_default_na=False, na_values=[""]`` (so "NA", Namibia, stays a code). A file that breaks its
contract prints the failing cells to stderr and exits with status 2; so does an impossible Method.
"""

from __future__ import annotations

import argparse
import io
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from indicators.catalogue import country_names, data_dir, load_catalogue
from scoring import limits
from scoring.files import FileRefused, read_text_file
from scoring.method import Method
from scoring.pipeline import Prepared, build_scorecard, prepare
from scoring.schemas import ContractError, validate_countries, validate_framework, validate_values

EXIT_BAD_INPUT = 2
EXIT_INTERRUPTED = 130  # as a shell reports Ctrl-C


class InputError(Exception):
    """A problem with the user's files or options: printed without a traceback, exit 2."""


class Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line naming the command's --help (no usage block)."""

    def error(self, message: str):  # noqa: D102 (argparse's hook)
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")


def draws_option(minimum: int) -> Any:
    """argparse type for a draw count: a whole number from `minimum` to the draw limit."""

    def parse(text: str) -> int:
        try:
            draws = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
        if draws < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}, got {draws}")
        try:
            limits.current().check("the number of draws", draws, "max_draws")
        except ValueError as err:  # over the limit, or the limit's own variable is malformed
            raise argparse.ArgumentTypeError(str(err)) from None
        return draws

    parse.__name__ = "draws"  # argparse names the type in its messages
    return parse


def _input_bytes(path: str | Path, what: str) -> bytes:
    """The bytes of an existing regular file within the upload limit (inflated first when it is
    .gz, .bz2 or .xz: the limit bounds the inflated size), or InputError saying why."""
    p = Path(path)
    if not p.exists() and not p.is_symlink():
        raise InputError(f"{path}: file not found")
    if p.is_dir():
        raise InputError(f"{path}: is a folder, not a {what} file")
    try:
        return read_text_file(p, limits.current())
    except (FileRefused, limits.LimitError) as err:
        raise InputError(str(err)) from None
    except OSError as err:
        raise InputError(f"{path}: cannot read ({err.strerror or err})") from None


def read_csv(path: str | Path) -> pd.DataFrame:
    """Read a user CSV without pandas' NA guessing ("NA" and "n/a" stay text)."""
    content = _input_bytes(path, "CSV")
    try:
        frame = pd.read_csv(io.BytesIO(content), keep_default_na=False, na_values=[""])
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as err:
        raise InputError(f"{path}: cannot read as CSV ({err})") from None
    if frame.empty:
        raise InputError(f"{path} has the column names but no rows of data.")
    bound = limits.current()
    if len(frame) > bound.max_rows:
        raise InputError(bound.refusal(f"{path} has too many rows", f"{len(frame):,}", "max_rows"))
    return frame


def read_method(path: str | Path | None, framework: Any = None) -> Method:
    """Method from a .toml or .json file (default Method when path is None)."""
    if path is None:
        return Method()
    p = Path(path)
    try:
        text = _input_bytes(p, "method").decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text (a method file is TOML or JSON)") from None
    try:
        if p.suffix.lower() == ".json":
            return Method.from_json(text, framework)
        return Method.from_toml(text, framework)
    except ValueError as err:
        raise InputError(f"{path}: {err}") from None


def load_inputs(args: argparse.Namespace) -> tuple[Prepared, pd.DataFrame | None]:
    """Validated inputs, prepared: the user's files, or the shipped catalogue and data."""
    if (args.values is None) != (args.framework is None):
        raise InputError(
            "give both --values and --framework, or neither (to score the shipped data)"
        )
    countries = None
    if args.values is None:
        from indicators.catalogue import load_countries, load_values

        try:
            catalogue = load_catalogue()
            countries = load_countries()
            values = load_values(catalogue, countries)
        except FileNotFoundError as err:
            raise InputError(f"shipped data not found: {err.filename or err}") from None
        return prepare(values, catalogue, countries=countries), countries
    framework = validate_framework(read_csv(args.framework))
    if getattr(args, "countries", None):
        countries = validate_countries(read_csv(args.countries).fillna({"groups": ""}))
    fw_for_values = framework
    if "range_low" not in framework or "range_high" not in framework:
        fw_for_values = framework.assign(
            range_low=framework.get("range_low", np.nan),
            range_high=framework.get("range_high", np.nan),
        )
    raw = read_csv(args.values)
    if "note" in raw:
        raw["note"] = pd.array(["" if pd.isna(v) else str(v) for v in raw["note"]], dtype="str")
    values = validate_values(raw, fw_for_values, countries)
    return prepare(values, framework, countries=countries), countries


def results_table(sc) -> pd.DataFrame:
    """iso3, one column per dimension, each side (reach, appeal) where the framework has sides,
    overall, rank, coverage and the indicator count (sorted by rank, then iso3)."""
    res = sc.results
    cols = [*sc.prepared.dimensions, *sc.prepared.sides, "overall", "rank"]
    cols += ["coverage", "indicator_count"]
    out = res[cols].reset_index()
    return out.sort_values(["rank", "iso3"], na_position="last", kind="stable").reset_index(
        drop=True
    )


def cmd_score(args: argparse.Namespace) -> int:
    prepared, countries = load_inputs(args)
    method = read_method(args.method, prepared.framework)
    sc = build_scorecard(prepared, method=method, countries=countries)
    out = results_table(sc)
    write_csv(out, args.out)
    if len(sc.screened_out):
        print(
            f"{len(sc.screened_out)} countr{'y' if len(sc.screened_out) == 1 else 'ies'} "
            "screened out (too little data); see the Method's coverage rules",
            file=sys.stderr,
        )
    return 0


def write_csv(df: pd.DataFrame, path: str | Path, *, index: bool = False) -> None:
    """Write a CSV output; InputError (one line) for a missing folder, a folder in the way or a
    write the system refuses (read-only, full disk)."""
    p = Path(path)
    if p.parent and not p.parent.exists():
        raise InputError(f"{path}: folder {p.parent} does not exist")
    if p.is_dir():
        raise InputError(f"{path}: is a folder; give a file name for --out")
    try:
        df.to_csv(p, index=index)
    except OSError as err:
        raise InputError(f"{path}: cannot write ({err.strerror or err})") from None


def add_inputs(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("--values", help="long values CSV: iso3, indicator, year, value[, note]")
    sub.add_argument(
        "--framework", help="framework CSV: indicator, dimension, direction, weight[, goalposts]"
    )
    sub.add_argument("--countries", help="countries CSV: iso3, name, region, subregion, groups")
    sub.add_argument("--method", help="Method file (.toml or .json); default: catalogue defaults")


def add_language(sub: argparse.ArgumentParser) -> None:
    """``--lang``: the language of what the command writes (headers, reports, sheets)."""
    from i18n import LANGUAGES

    sub.add_argument(
        "--lang",
        choices=list(LANGUAGES),
        default="en",
        help="language of the files written: " + ", ".join(LANGUAGES) + " (default en)",
    )


def use_language(args) -> None:
    """Switch the run to the command's ``--lang`` (English for commands without it)."""
    import i18n

    i18n.use(getattr(args, "lang", None) or i18n.DEFAULT)


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="scorecard", description="Score countries on the soft-power scorecard.")
    subs = parser.add_subparsers(dest="command", required=True)
    score = subs.add_parser("score", help="compute dimension scores, overall score and rank")
    add_inputs(score)
    score.add_argument("--out", required=True, help="output CSV: iso3, dimensions, overall, rank")
    score.set_defaults(func=cmd_score)
    _add_optional_commands(subs)
    return parser


def cmd_sensitivity(args: argparse.Namespace) -> int:
    from scoring.alternatives import Variations
    from scoring.uncertainty import monte_carlo

    prepared, countries = load_inputs(args)
    method = read_method(args.method, prepared.framework)
    sc = build_scorecard(prepared, method=method, countries=countries)
    table = monte_carlo(
        sc,
        draws=args.draws,
        weight_noise=args.weight_noise,
        scheme=args.scheme,
        seed=args.seed,
        variations=Variations.of(
            normalisation=args.vary_normalisation,
            aggregation=args.vary_aggregation,
            imputation=args.vary_imputation,
            leave_one_out=args.leave_one_out,
        ),
    )
    write_csv(table.reset_index(), args.out)
    return 0


def cmd_audit(args: argparse.Namespace) -> int:
    from scoring import audit

    prepared, countries = load_inputs(args)
    method = read_method(args.method, prepared.framework)
    sc = build_scorecard(prepared, method=method, countries=countries)
    out = Path(args.out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise InputError(f"{out}: cannot create the folder ({err.strerror})") from None
    tables = {
        "correlations.csv": audit.correlations(sc),
        "indicator_score_correlations.csv": audit.indicator_score_correlations(sc),
        "cronbach.csv": audit.cronbach_by_dimension(sc),
        "indicator_statistics.csv": audit.indicator_statistics(sc),
        "treatment.csv": sc.treatment,
        "screened_out.csv": sc.screened_out,
    }
    for name, table in tables.items():
        write_csv(table, out / name, index=table.index.name is not None)
    print(f"wrote {len(tables)} tables to {out}", file=sys.stderr)
    return 0


PUBLISHED_FILE = "published_indices.csv"


def read_published(path: str | Path | None) -> pd.DataFrame | None:
    """The published index results, validated: ``path``, else the shipped table in the data
    folder (None when that is absent: the external comparison is then skipped)."""
    from scoring.schemas import validate_published_indices

    if path is None:
        path = data_dir() / PUBLISHED_FILE
        if not path.exists():
            return None
    return validate_published_indices(read_csv(path))


def _number(x: float, digits: int = 2) -> str:
    """A figure for the summary; "n/a" for NaN.

    >>> _number(0.5857), _number(float("nan"))
    ('0.59', 'n/a')
    """
    return "n/a" if np.isnan(x) else f"{x:.{digits}f}"


def validation_summary(
    external: pd.DataFrame,
    internal: pd.DataFrame,
    face: pd.DataFrame,
    *,
    draws: int,
    seed: int,
    indicator_names: dict[str, str],
    dimension_names: dict[str, str],
) -> str:
    """The few lines ``scorecard validate`` prints: external, internal and face validity."""
    lines = [
        "External validity: Spearman rank correlation with published indices "
        f"(90 % bootstrap interval, {draws:,} draws, seed {seed})"
    ]
    if external.empty:
        lines.append("  no published index table: nothing to compare with")
    for row in external.itertuples(index=False):
        head = f"  {row.index} {row.edition}, {row.measure}: "
        if np.isnan(row.spearman):
            lines.append(f"{head}not computed, n = {row.n} ({row.note})")
            continue
        note = f"; {row.note}" if row.note else ""
        lines.append(
            f"{head}{_number(row.spearman)} [{_number(row.low)}, {_number(row.high)}], "
            f"n = {row.n} (on the published {row.basis}{note})"
        )
    lines.append("Internal validity: Cronbach's alpha per dimension (normalised indicators)")
    per_dimension = internal.drop_duplicates("dimension")
    for row in per_dimension.itertuples(index=False):
        count = int((internal["dimension"] == row.dimension).sum())
        name = dimension_names.get(row.dimension, row.dimension)
        counted = f"{count} indicator{'s' if count != 1 else ''}"
        alpha = (
            f"not defined ({counted})"
            if np.isnan(row.alpha)
            else f"{_number(row.alpha)} ({counted}, {row.complete} countries with all of them)"
        )
        lines.append(f"  {name}: {alpha}")
    flagged = internal[internal["flag"] != ""]
    lines.append(f"  Flagged indicators: {len(flagged) or 'none'}")
    for row in flagged.itertuples(index=False):
        name = indicator_names.get(row.indicator, row.indicator)
        if row.flag == "negative":
            what = f"negative (r = {_number(row.correlation)} with its dimension)"
        else:
            partner = indicator_names.get(row.partner, row.partner)
            what = f"collinear with {partner} (r = {_number(row.partner_correlation)})"
        lines.append(f"    {name}: {what}")
    for end in ("top", "bottom"):
        rows = face[face["end"] == end]
        if rows.empty:
            continue
        lines.append(f"Face validity: the {end} {len(rows)}")
        for row in rows.itertuples(index=False):
            lines.append(
                f"  {row.rank:>4}  {row.country:<32} {row.overall:6.1f}  "
                f"{row.indicators} of {row.of_indicators} indicators, "
                f"{row.dimensions} of {row.of_dimensions} dimensions"
            )
    return "\n".join(lines)


def cmd_validate(args: argparse.Namespace) -> int:
    from scoring import validity
    from scoring.schemas import empty_published_indices

    prepared, countries = load_inputs(args)
    method = read_method(args.method, prepared.framework)
    published = read_published(args.published)
    sc = build_scorecard(prepared, method=method, countries=countries)
    if published is None:
        print(f"no {PUBLISHED_FILE} in the data folder: external validity skipped", file=sys.stderr)
        published = empty_published_indices()
    names = country_names(countries).to_dict()
    fw = sc.framework
    labels = fw["name"].fillna(fw["indicator"]) if "name" in fw else fw["indicator"]
    indicator_names = dict(zip(fw["indicator"], labels, strict=True))
    dimension_names = load_catalogue().dimension_names() if args.values is None else {}
    tables = {
        "external.csv": validity.external_validity(
            sc.results, published, draws=args.draws, seed=args.seed
        ),
        "internal.csv": validity.internal_validity(sc),
        "weights.csv": validity.weight_comparison(sc),
        "face.csv": validity.face_validity(sc, names, indicator_names=indicator_names),
    }
    if args.out is not None:
        out = Path(args.out)
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise InputError(f"{out}: cannot create the folder ({err.strerror})") from None
        for name, table in tables.items():
            try:
                table.to_csv(out / name, index=False)
            except OSError as err:
                raise InputError(f"{out / name}: cannot write ({err.strerror or err})") from None
    print(
        validation_summary(
            tables["external.csv"],
            tables["internal.csv"],
            tables["face.csv"],
            draws=args.draws,
            seed=args.seed,
            indicator_names=indicator_names,
            dimension_names=dimension_names,
        )
    )
    if args.out is not None:
        print(f"wrote {len(tables)} tables to {args.out}", file=sys.stderr)
    return 0


def seed_option(text: str) -> int:
    """argparse type for a random seed: a whole number, 0 or more."""
    try:
        seed = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if seed < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, got {seed}")
    return seed


seed_option.__name__ = "seed"


def _add_optional_commands(subs) -> None:
    """``sensitivity`` (scoring.uncertainty.monte_carlo), ``audit`` (scoring.audit) and
    ``validate`` (scoring.validity)."""
    sens = subs.add_parser(
        "sensitivity",
        help="Monte Carlo rank uncertainty: nominal, median, 5th and 95th percentile rank",
    )
    add_inputs(sens)
    sens.add_argument(
        "--draws",
        type=draws_option(1),
        default=1000,
        help="number of draws (default 1000; at most SCORECARD_MAX_DRAWS, default 100,000)",
    )
    sens.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    sens.add_argument(
        "--weight-noise", type=float, default=0.25, help="uniform weight noise (default 0.25)"
    )
    sens.add_argument("--scheme", default="uniform", help="weight scheme: uniform or dirichlet")
    sens.add_argument("--vary-normalisation", action="store_true")
    sens.add_argument("--vary-aggregation", action="store_true")
    sens.add_argument("--vary-imputation", action="store_true", help="every imputation rule")
    sens.add_argument(
        "--leave-one-out", action="store_true", help="each draw may leave out one indicator"
    )
    sens.add_argument("--out", required=True, help="output CSV, one row per country")
    sens.set_defaults(func=cmd_sensitivity)

    aud = subs.add_parser("audit", help="statistical audit tables (correlations, Cronbach, ...)")
    add_inputs(aud)
    aud.add_argument("--out", required=True, help="output folder for the audit CSV files")
    aud.set_defaults(func=cmd_audit)

    val = subs.add_parser(
        "validate",
        help="how far to trust the ranking: correlation with published indices, internal "
        "consistency, what the top and bottom countries rest on",
    )
    add_inputs(val)
    val.add_argument(
        "--published",
        help=f"published index results CSV (index, edition, iso3, rank, score, source_url); "
        f"default: the shipped {PUBLISHED_FILE}",
    )
    val.add_argument(
        "--draws",
        type=draws_option(1),
        default=2000,
        help="bootstrap draws for the correlation intervals (default 2000)",
    )
    val.add_argument("--seed", type=seed_option, default=0, help="random seed (default 0)")
    val.add_argument(
        "--out", help="folder for external.csv, internal.csv, weights.csv and face.csv"
    )
    val.set_defaults(func=cmd_validate)


def check_environment() -> str | None:
    """The problem with a SCORECARD_MAX_* variable, if any (checked before the options, which
    read the limits: 'SCORECARD_MAX_DRAWS=abc' is then named, not '--draws 10')."""
    try:
        limits.current()
    except ValueError as err:
        return str(err)
    return None


def main(argv: Sequence[str] | None = None) -> int:
    if problem := check_environment():
        print(f"error: {problem}", file=sys.stderr)
        return EXIT_BAD_INPUT
    parser = build_parser()
    args = parser.parse_args(argv)
    use_language(args)
    try:
        return int(args.func(args) or 0)
    except ContractError as err:
        print(f"{err}", file=sys.stderr)
        failures = err.failures.astype(str)
        print(failures.to_string(index=False), file=sys.stderr)
        return EXIT_BAD_INPUT
    except (InputError, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
