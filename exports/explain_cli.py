"""``scorecard explain``: why a country's score is what it is, on the command line.

    scorecard explain --country RUS --from 2015 --to 2025      # why it moved between two years
    scorecard explain --country RUS --versus TUR                 # why it ranks above/below TUR
    scorecard explain --country RUS --target-rank 100            # what would bring it to rank 100
    scorecard explain --country RUS --over-time                  # every year 2013-2025
    scorecard explain --country RUS --to-method other.toml       # this method against another
    scorecard explain --country RUS --to-values new_values.csv   # against another data version

Inputs as in ``scorecard score`` (the shipped data, or ``--values``/``--framework``; ``--method``).
``--level reach`` or ``appeal`` explains a side's score instead of the overall. Prints a summary
and the table; ``--out FILE.csv`` or ``.xlsx`` writes the table (indicators whose licence does
not allow redistribution left out, with a note).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

import i18n
from exports import score_cli
from i18n import _
from present import explain_charts
from present.errors import said

MODES = ("target_rank", "versus", "over_time", "to_method", "to_values", "years")


def _year(text: str) -> int:
    from scoring.over_time import YEARS

    if not text.strip().isdigit() or int(text) not in YEARS:
        raise argparse.ArgumentTypeError(f"expected a year from {YEARS[0]} to {YEARS[-1]}")
    return int(text)


def _rank(text: str) -> int:
    if not text.strip().isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a rank (1 or more), got {text!r}")
    return int(text)


def add_explain_command(subparsers) -> argparse.ArgumentParser:
    """Add ``explain`` to the ``scorecard`` subcommands."""
    from scoring.attribution import LEVELS

    sub = subparsers.add_parser(
        "explain",
        help="why a country's score is what it is: over time, why it moved, against another "
        "country, what would reach a target rank",
    )
    score_cli.add_inputs(sub)
    sub.add_argument("--country", required=True, metavar="ISO3")
    sub.add_argument("--from", dest="year_from", type=_year, metavar="YEAR")
    sub.add_argument("--to", dest="year_to", type=_year, metavar="YEAR")
    sub.add_argument("--versus", metavar="ISO3", help="split the gap to this country")
    sub.add_argument("--target-rank", type=_rank, metavar="N", help="what would reach rank N")
    sub.add_argument("--policy-only", action="store_true", help="target: policy levers only")
    sub.add_argument("--over-time", action="store_true", help="scores and ranks by year")
    sub.add_argument("--to-method", metavar="FILE", help="compare --method with this Method")
    sub.add_argument("--to-values", metavar="FILE", help="compare with this values CSV")
    sub.add_argument("--level", choices=list(LEVELS), default="overall")
    sub.add_argument(
        "--draws",
        type=score_cli.draws_option(0),
        default=1000,
        help="Monte Carlo draws for intervals and chances (0: none)",
    )
    sub.add_argument("--out", help="write the table: .csv or .xlsx")
    score_cli.add_language(sub)
    sub.set_defaults(func=cmd_explain)
    return sub


def _mode(args) -> str:
    chosen = [
        m
        for m in MODES
        if (m == "years" and (args.year_from or args.year_to))
        or (m != "years" and getattr(args, m))
    ]
    if len(chosen) != 1:
        raise score_cli.InputError(
            "say what to explain: one of --from/--to, --versus, --target-rank, --over-time, "
            "--to-method, --to-values"
            + (f" (got {', '.join('--' + c.replace('_', '-') for c in chosen)})" if chosen else "")
        )
    return chosen[0]


def _other_values(args, inputs):
    """The scorecard of --to-values, scored with the same framework and Method."""
    from scoring.pipeline import build_scorecard, prepare
    from scoring.schemas import validate_values

    if args.framework is not None:
        other = argparse.Namespace(**{**vars(args), "values": args.to_values})
        prepared, countries = score_cli.load_inputs(other)
    else:
        raw = score_cli.read_csv(args.to_values)
        if "note" in raw:
            raw["note"] = raw["note"].fillna("").astype(str)
        framework = inputs.catalogue.framework()
        values = validate_values(raw, framework, inputs.countries)
        countries = inputs.countries
        prepared = prepare(values, inputs.catalogue, countries=countries)
    return build_scorecard(prepared, method=inputs.sc.method, countries=countries)


def _labels(inputs) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    indicators = inputs.catalogue.indicators
    names = dict(zip(indicators["indicator"], indicators["name"], strict=True))
    levers = (
        dict(zip(indicators["indicator"], indicators["lever"].fillna(""), strict=True))
        if "lever" in indicators
        else {}
    )
    units = dict(zip(indicators["indicator"], indicators["unit"], strict=True))
    return explain_charts.item_labels(names, inputs.dimension_names), levers, units


def cmd_explain(args: argparse.Namespace) -> int:
    from exports.cli import load
    from scoring.attribution import explain_change, explain_gap
    from scoring.over_time import over_time, year_method
    from scoring.pipeline import build_scorecard
    from scoring.target import what_it_takes

    mode = _mode(args)
    inputs = load(args)
    sc, iso3 = inputs.sc, args.country.strip().upper()
    names = inputs.names
    labels, levers, units = _labels(inputs)
    if mode == "over_time":
        table = over_time(sc.prepared, sc.method, draws=args.draws)
        if iso3 not in set(table["iso3"]):
            raise score_cli.InputError(f"--country: {iso3} is not scored in any year")
        out = explain_charts.trajectory_table(table, iso3, names)
        for year, why in table.attrs["unscored"].items():
            print(_("{year}: not scored ({why})").format(year=year, why=said(why, names)))
        summary = _("{country}: each year scored on its own").format(country=names.get(iso3, iso3))
    elif mode == "target_rank":
        plan = what_it_takes(
            sc,
            iso3,
            args.target_rank,
            levers=levers,
            policy_only=args.policy_only,
            draws=args.draws,
        )
        out = explain_charts.plan_table(plan, labels, units)
        summary = said(plan.answer)  # the country by its code, as the command was given it
        if args.draws:
            summary += " " + _("Chance of rank {rank} or better now: {chance}").format(
                rank=args.target_rank, chance=i18n.percent(plan.probability_now)
            )
            if plan.probability_after is not None and len(plan.changes):
                summary += _("; with these improvements: {chance}").format(
                    chance=i18n.percent(plan.probability_after)
                )
            summary += "."
    else:
        if mode == "versus":
            split = explain_gap(sc, iso3, args.versus.strip().upper(), level=args.level)
        elif mode == "years":
            last = sc.method.year_window[1] if sc.method.year is None else sc.method.year
            first, second = args.year_from or 2015, args.year_to or last
            old, new = (
                build_scorecard(
                    sc.prepared, method=year_method(sc.method, y), countries=sc.countries
                )
                for y in (first, second)
            )
            split = explain_change(
                old, new, iso3, level=args.level, labels=(str(first), str(second))
            )
        elif mode == "to_method":
            other = score_cli.read_method(args.to_method, sc.prepared.framework)
            new = build_scorecard(sc.prepared, method=other, countries=sc.countries)
            split = explain_change(
                sc, new, iso3, level=args.level, labels=("method", Path(args.to_method).name)
            )
        else:
            new = _other_values(args, inputs)
            split = explain_change(
                sc,
                new,
                iso3,
                level=args.level,
                labels=(
                    Path(args.values).name if args.values else "shipped",
                    Path(args.to_values).name,
                ),
            )
        out = explain_charts.attribution_table(split, labels, levers, inputs.dimension_names)
        out = out[(out["Contribution"] != 0) | (out.index == len(out) - 1)]
        summary = _(
            "{level} score {score_from} ({label_from}, rank {rank_from}) -> {score_to} "
            "({label_to}, rank {rank_to}): {change}, split by {rule}; the contributions add up "
            "to it exactly"
        ).format(
            level=split.level,
            score_from=f"{split.score_from:.2f}",
            label_from=split.label_from,
            rank_from=f"{split.rank_from:.0f}",
            score_to=f"{split.score_to:.2f}",
            label_to=split.label_to,
            rank_to=f"{split.rank_to:.0f}",
            change=f"{split.change:+.3f}",
            rule=split.rule,
        )
    print(summary)
    if len(out):
        with pd.option_context("display.width", 200, "display.max_columns", 20):
            print(out.drop(columns=["indicator"], errors="ignore").to_string(index=False))
    if args.out:
        _write(out, args.out, inputs.catalogue, sc)
    return 0


def _write(table: pd.DataFrame, path: str, catalogue, sc) -> None:
    from exports.tables import (
        csv_bytes,
        excel_bytes,
        neutralise_formulas,
        redistributable_indicators,
        redistribution_note,
        table_about,
    )

    blocked = redistributable_indicators(catalogue)[1]
    if "indicator" in table and not blocked.empty:
        left_out = blocked[blocked["indicator"].isin(set(table["indicator"]))]
        table = table[~table["indicator"].isin(set(blocked["indicator"]))]
        if len(left_out):
            print(redistribution_note(left_out), file=sys.stderr)
    table = neutralise_formulas(table)
    suffix = Path(path).suffix.lower()
    about = table_about(sc, catalogue, _("Explain"))
    if suffix == ".xlsx":
        data = excel_bytes({_("explain"): table}, about=about)
    elif suffix == ".csv":
        data = csv_bytes(table, about=about)
    else:
        raise score_cli.InputError(f"--out: expected a .csv or .xlsx file, got {path!r}")
    try:
        Path(path).write_bytes(data)
    except OSError as err:
        raise score_cli.InputError(f"--out: cannot write {path}: {err.strerror}") from None
