"""``scorecard actor``: one actor's footprint in every target country, as a CSV.

scorecard actor --actor RUS [--method M.toml] --out FILE
"""

from __future__ import annotations

import argparse

from exports.score_cli import read_method, write_csv
from indicators.catalogue import country_names, load_countries
from indicators.relational import load_dyads, load_relational_catalogue
from scoring.actor import actor_scorecard, target_table


def main_actor(args: argparse.Namespace) -> int:
    catalogue = load_relational_catalogue()
    countries = load_countries()
    dyads = load_dyads(catalogue, countries)
    method = read_method(args.method)
    sc = actor_scorecard(dyads, catalogue.framework(), args.actor, method, countries)
    table = target_table(sc, country_names(countries)).reset_index()
    table.insert(0, "actor", args.actor)
    write_csv(table, args.out)
    return 0


def register(subparsers) -> None:
    """Add the `actor` command to the scorecard CLI's subparsers."""
    sub = subparsers.add_parser(
        "actor", help="an actor's footprint in every target country (relational scorecard)"
    )
    sub.add_argument("--actor", default="RUS", help="actor ISO3 code (default RUS)")
    sub.add_argument(
        "--method", help="Method file (.toml or .json); only its scoring choices apply"
    )
    sub.add_argument("--out", required=True, help="output CSV, one row per target")
    sub.set_defaults(func=main_actor)
