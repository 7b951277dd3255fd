"""Command line with exports: ``exports.score_cli``'s commands plus ``scorecard export``.

    scorecard export --chart {ranking,map,radar,bars,rank-intervals,correlations}
                     [--country ISO3 ...] [--method METHOD.toml] [--format {png,svg,pdf,html,zip}]
                     [--layout {landscape,square}] [--definitions] --out FILE
    scorecard export --report ISO3 [--format {html,pdf}] [--notes TEXT] --out FILE
    scorecard export --workbook --out FILE.xlsx
    scorecard export --method-file --out method.toml     (also --reproduce --out reproduce.py)

``--format`` defaults to the extension of ``--out``. Inputs as in ``scorecard score``: the
shipped data, or ``--values``/``--framework`` (``--countries``) files. Every other command goes
to ``exports.score_cli`` unchanged.

Exit status: 0 done, 2 bad input or impossible method (message on stderr), 3 no browser for a
PNG/SVG/PDF export (the message says how to install one).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from exports import score_cli
from present.compare import DEFAULT_COMPARE
from scoring.schemas import ContractError

EXIT_NO_BROWSER = 3
CHART_FORMATS = ("png", "svg", "pdf", "html", "zip")
REPORT_FORMATS = ("html", "pdf")


@dataclass(frozen=True)
class Inputs:
    """Everything an export needs: the scorecard and the tables it was made from."""

    sc: object
    catalogue: object
    values: pd.DataFrame | None
    countries: pd.DataFrame | None

    @property
    def names(self) -> pd.Series:
        from indicators.catalogue import country_names

        return country_names(self.countries)

    @property
    def dimension_names(self) -> dict[str, str]:
        return self.catalogue.dimension_names()

    @property
    def subtitle(self) -> str:
        from present.tables import method_summary

        return method_summary(self.sc, self.dimension_names)

    @property
    def sources(self) -> str:
        from present.tables import chart_sources

        return chart_sources(self.sc, self.catalogue)


def load(args: argparse.Namespace) -> Inputs:
    """Score the shipped data (or the user's files) with ``--method``."""
    from scoring.pipeline import build_scorecard, prepare

    if args.values is None and args.framework is None:
        from indicators.catalogue import load_catalogue, load_countries, load_values

        try:
            catalogue = load_catalogue()
            countries = load_countries()
            values = load_values(catalogue, countries)
        except FileNotFoundError as err:
            raise score_cli.InputError(f"shipped data not found: {err.filename or err}") from None
        prepared = prepare(values, catalogue, countries=countries)
    else:
        from indicators.uploads import uploaded_catalogue

        prepared, countries = score_cli.load_inputs(args)
        catalogue = uploaded_catalogue(prepared.framework, Path(args.framework).name)
        values = None
    method = score_cli.read_method(args.method, prepared.framework)
    sc = build_scorecard(prepared, method=method, countries=countries)
    return Inputs(sc, catalogue, values, countries)


def _countries(inputs: Inputs, args) -> list[str]:
    codes = [c.strip().upper() for c in (args.country or DEFAULT_COMPARE) if c.strip()]
    scored = set(inputs.sc.results.index)
    missing = [c for c in codes if c not in scored]
    if missing:
        raise score_cli.InputError(f"--country: not scored with this method: {', '.join(missing)}")
    return codes


# ----------------------------------------------------------------------------- charts
def chart_ranking(inputs: Inputs, args):
    from present.rankings import ranking_figure, ranking_rows

    results = inputs.sc.results
    if args.country:
        results = results.loc[results.index.isin(_countries(inputs, args))]
    rows = ranking_rows(results, len(results) if args.country else args.top)
    return ranking_figure(inputs.sc, inputs.catalogue, inputs.countries, rows)


def chart_map(inputs: Inputs, args):
    from present.rankings import MAP_TITLE, map_figure

    column, title = "overall", MAP_TITLE
    if args.dimension:
        if args.dimension not in inputs.sc.prepared.dimensions:
            known = ", ".join(inputs.sc.prepared.dimensions)
            raise score_cli.InputError(f"--dimension: unknown {args.dimension!r} ({known})")
        column = args.dimension
        title = inputs.dimension_names.get(column, column)
    return map_figure(
        inputs.sc, inputs.catalogue, inputs.countries, inputs.sc.results[column], title
    )


def chart_radar(inputs: Inputs, args):
    from present.compare import compare_radar_figure

    return compare_radar_figure(
        inputs.sc, inputs.catalogue, inputs.countries, _countries(inputs, args)
    )


def chart_bars(inputs: Inputs, args):
    from present.compare import compare_bars_figure

    return compare_bars_figure(
        inputs.sc, inputs.catalogue, inputs.countries, _countries(inputs, args)
    )


def uncertainty(inputs: Inputs, draws: int, seed: int) -> pd.DataFrame:
    from scoring.uncertainty import monte_carlo

    return monte_carlo(inputs.sc, draws=draws, seed=seed)


def chart_rank_intervals(inputs: Inputs, args):
    from present import charts

    table = uncertainty(inputs, args.draws, args.seed)
    table = table.sort_values(["nominal_rank", "median_rank"])
    highlight = tuple(args.country or ())
    if args.country:
        table = table.loc[table.index.isin(_countries(inputs, args))]
    else:
        table = table.head(args.top)
    subtitle = f"{inputs.subtitle} {args.draws:,} draws, ±25 % noise on every weight."
    return charts.rank_intervals(
        table, inputs.names, sources=inputs.sources, subtitle=subtitle, highlight=highlight
    )


def chart_correlations(inputs: Inputs, args):
    from present import charts
    from scoring.audit import pairwise_pearson

    sc = inputs.sc
    counted = [
        i for i, w in zip(sc.prepared.indicators, sc.indicator_weight_array, strict=True) if w
    ]
    r, _ = pairwise_pearson(sc.normalised[counted].to_numpy(dtype=float))
    labels = [inputs.catalogue.indicator_name(i) for i in counted]
    table = pd.DataFrame(r, index=labels, columns=labels)
    return charts.correlation_heatmap(
        table, "Correlations between indicators (normalised)", inputs.sources, inputs.subtitle
    )


#: --chart choices: name -> builder(inputs, args) -> Figure.
CHARTS: dict[str, Callable] = {
    "ranking": chart_ranking,
    "map": chart_map,
    "radar": chart_radar,
    "bars": chart_bars,
    "rank-intervals": chart_rank_intervals,
    "correlations": chart_correlations,
}


def chart_citation(inputs: Inputs, args, fig):
    """How to cite an exported chart. User files are versioned by their own digest; the shipped
    data by data/'s."""
    import hashlib

    from exports import bundle
    from present import citation

    upload = None
    if args.values is not None or args.framework is not None:
        digest = hashlib.sha256()
        for path in (args.values, args.framework, getattr(args, "countries", None)):
            if path:
                digest.update(Path(path).read_bytes())
        upload = digest.hexdigest()
    title = bundle.figure_title(fig) or args.chart
    return citation.for_scorecard(inputs.sc, inputs.catalogue, title, upload=upload)


def chart_package(inputs: Inputs, args, fig, cited) -> bytes:
    """--format zip: the chart's data, metadata, README and (with a browser) the PNG, cited."""
    from exports import bundle, images
    from present import citation

    try:
        image = images.figure_bytes(
            images.with_citation(fig, citation.plain(cited)), "png", args.layout, args.scale
        )
        reason = ""
    except images.ImageExportUnavailable as error:
        image, reason = None, str(error)
    return bundle.chart_zip(fig, args.chart, cited, image, reason)


# ----------------------------------------------------------------------------- command
def _format(args, allowed: Sequence[str]) -> str:
    fmt = args.format or Path(args.out).suffix.lstrip(".").lower()
    if fmt not in allowed:
        raise score_cli.InputError(
            f"--format: choose one of {', '.join(allowed)} (or give --out that extension)"
        )
    return fmt


def _write(data: bytes | str, path: str) -> None:
    out = Path(path)
    if not out.parent.exists():
        raise score_cli.InputError(f"{path}: folder {out.parent} does not exist")
    if out.is_dir():
        raise score_cli.InputError(f"{path}: is a folder; give a file name for --out")
    try:
        out.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    except OSError as err:
        raise score_cli.InputError(f"{path}: cannot write ({err.strerror or err})") from None


def cmd_export(args: argparse.Namespace) -> int:
    from exports import images, report, reproduce, workbook
    from present import citation

    inputs = load(args)
    if args.chart:
        fmt = _format(args, CHART_FORMATS)
        fig = CHARTS[args.chart](inputs, args)
        if args.definitions:
            fig = images.with_definitions(fig, inputs.catalogue, inputs.sc.prepared.indicators)
        cited = chart_citation(inputs, args, fig)
        if fmt == "zip":
            data = chart_package(inputs, args, fig, cited)
        else:
            cited_fig = images.with_citation(fig, citation.plain(cited))
            data = images.figure_bytes(cited_fig, fmt, args.layout, scale=args.scale)
    elif args.report:
        fmt = _format(args, REPORT_FORMATS)
        iso3 = args.report.strip().upper()
        table = uncertainty(inputs, args.draws, args.seed) if args.draws > 0 else None
        if iso3 not in inputs.sc.results.index:
            raise ValueError(f"{iso3}: not scored with this method")
        build = report.country_report_pdf if fmt == "pdf" else report.country_report_html
        notes = args.notes or ""
        data = build(
            iso3, inputs.sc, inputs.catalogue, inputs.values, inputs.countries, table, notes
        )
    elif args.workbook:
        _format(args, ("xlsx",))
        data = workbook.scorecard_workbook(
            inputs.sc, inputs.catalogue, inputs.values, inputs.countries
        )
    elif args.method_file:
        data = reproduce.method_file(inputs.sc.method)
    else:  # --reproduce
        data = reproduce.reproduce_snippet(inputs.sc.method)
    _write(data, args.out)
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


def _subparsers(parser: argparse.ArgumentParser):
    for action in parser._actions:  # argparse keeps no public handle on the subparsers
        if isinstance(action, argparse._SubParsersAction):
            return action
    raise RuntimeError("score_cli.build_parser has no subcommands")


def bounded(kind: type, low: float, high: float):
    """argparse type: a `kind` number from `low` to `high`, else a one-line usage error."""

    def parse(text: str):
        try:
            number = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
        if not low <= number <= high:
            raise argparse.ArgumentTypeError(f"must be from {low:g} to {high:g}, got {text}")
        return number

    parse.__name__ = kind.__name__
    return parse


def add_export_command(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Add ``export`` to a parser made by ``exports.score_cli.build_parser``."""
    from exports.images import LAYOUTS

    sub = _subparsers(parser).add_parser(
        "export",
        help="charts (PNG/SVG/PDF/HTML), country reports (HTML/PDF), workbook (XLSX), method",
    )
    score_cli.add_inputs(sub)
    what = sub.add_mutually_exclusive_group(required=True)
    what.add_argument("--chart", choices=list(CHARTS), help="a chart as an image or HTML page")
    what.add_argument("--report", metavar="ISO3", help="a country report (HTML or PDF)")
    what.add_argument("--workbook", action="store_true", help="the scorecard as an Excel workbook")
    what.add_argument("--method-file", action="store_true", help="the method as TOML")
    what.add_argument("--reproduce", action="store_true", help="a Python script that redoes it")
    sub.add_argument("--format", choices=[*CHART_FORMATS, "xlsx"], help="default: from --out")
    sub.add_argument("--layout", choices=list(LAYOUTS), default="landscape")
    sub.add_argument(
        "--scale", type=bounded(float, 0.1, 10), default=2.0, help="PNG pixels per layout pixel"
    )
    sub.add_argument(
        "--country", nargs="+", action="extend", metavar="ISO3",
        help=f"countries for radar/bars (default {' '.join(DEFAULT_COMPARE)}); "
             "filter for ranking/rank-intervals",
    )  # fmt: skip
    sub.add_argument("--dimension", help="map: a dimension id instead of the overall score")
    sub.add_argument(
        "--top", type=bounded(int, 1, 10_000), default=30, help="ranking/rank-intervals: first N"
    )
    sub.add_argument(
        "--draws",
        type=score_cli.draws_option(0),
        default=1000,
        help="Monte Carlo draws (0: no interval; at most SCORECARD_MAX_DRAWS)",
    )
    sub.add_argument("--seed", type=int, default=0)
    sub.add_argument("--definitions", action="store_true", help="add indicator definitions")
    sub.add_argument("--notes", help="report: your notes (plain text)")
    sub.add_argument("--out", required=True, help="output file")
    score_cli.add_language(sub)
    sub.set_defaults(func=cmd_export)
    return parser


def build_parser() -> argparse.ArgumentParser:
    """``score_cli.build_parser()`` plus ``export``, ``explain``, ``actor``, ``update-data`` and
    ``rollback-data``."""
    from exports import actor_cli
    from exports.explain_cli import add_explain_command
    from indicators import refresh_cli

    parser = add_export_command(score_cli.build_parser())
    add_explain_command(_subparsers(parser))
    actor_cli.register(_subparsers(parser))
    refresh_cli.register(_subparsers(parser))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``scorecard`` command: every subcommand, export included."""
    from exports.images import ImageExportUnavailable

    if problem := score_cli.check_environment():
        print(f"error: {problem}", file=sys.stderr)
        return score_cli.EXIT_BAD_INPUT
    args = build_parser().parse_args(argv)
    score_cli.use_language(args)
    try:
        return int(args.func(args) or 0)
    except ContractError as err:
        print(f"{err}", file=sys.stderr)
        print(err.failures.astype(str).to_string(index=False), file=sys.stderr)
        return score_cli.EXIT_BAD_INPUT
    except ImageExportUnavailable as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_NO_BROWSER
    except (score_cli.InputError, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return score_cli.EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return score_cli.EXIT_INTERRUPTED
    finally:
        if args.func is cmd_export:
            from exports.images import stop_server

            stop_server()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
