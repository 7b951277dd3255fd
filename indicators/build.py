"""Build the curated tables in `data/` from the publishers' original files.

    uv run python -m indicators.build --sources ../shared/sources

Same input, byte-identical output. Every value is validated against the catalogue before anything is
written; rows a loader could not use are written to `data/skipped.csv` with the reason.

It writes every shipped table: countries, values, skipped rows, sources, the published indices
for external validation, the actor view's dyads (`indicators.relational`) and the vintage
(retrieval dates from each folder's PROVENANCE.md); `update-data` keeps the vintage up to date
afterwards.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from indicators.catalogue import DATA_DIR, Catalogue, load_catalogue
from indicators.countries import build_countries, un_member_states
from indicators.loaders import SKIPPED_COLUMNS, VALUE_COLUMNS, LoaderError, published
from indicators.loaders.registry import LOADERS
from indicators.relational import DYADS_FILE, build_dyads
from scoring.schemas import (
    FAILURE_COLUMNS,
    ContractError,
    validate_countries,
    validate_values,
)

DECIMALS = 6  # derived shares and ratios; publishers' own figures have fewer


def collect(sources: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Run every loader; values and skipped rows, the skipped rows tagged with the loader that
    produced them."""
    values, skipped = [], []
    for name, loader in LOADERS.items():
        result = loader.load(sources)
        values.append(result.values)
        skipped.append(result.skipped.assign(loader=name))
    return pd.concat(values, ignore_index=True), pd.concat(skipped, ignore_index=True)


def outside_catalogue(
    values: pd.DataFrame, catalogue: Catalogue
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(values of catalogue indicators, one skipped row per other indicator a loader gave): a
    publisher file may hold more than the framework scores, and what is left is said."""
    known = values["indicator"].isin(catalogue.indicators["indicator"])
    counts = values.loc[~known, "indicator"].value_counts().sort_index()
    left = pd.DataFrame(
        {
            "file": "",
            "row": counts.index.astype(str),
            "reason": [f"not in the catalogue: {n} values not used" for n in counts],
        }
    )
    return values[known], left


def absent_as_zero(
    values: pd.DataFrame, catalogue: Catalogue, members: set[str] | None = None
) -> pd.DataFrame:
    """Values plus a 0, with a note, for every UN member state absent from the publisher's list
    of an indicator whose catalogue absence is "zero", in each year the list covers.

    >>> class C:
    ...     indicators = pd.DataFrame({"indicator": ["centres"], "absence": ["zero"], "source": ["s"]})
    ...     sources = pd.DataFrame({"source": ["s"], "title": ["Networks"]})
    >>> v = pd.DataFrame({"iso3": ["FRA"], "indicator": ["centres"], "year": [2024], "value": [9.0],
    ...                   "note": [""]})
    >>> absent_as_zero(v, C, members={"FRA", "MCO"})[["iso3", "value", "note"]].values.tolist()
    [['FRA', 9.0, ''], ['MCO', 0.0, 'not in Networks: none (the catalogue counts absence as zero)']]
    """
    members = un_member_states() if members is None else members
    zero = catalogue.indicators[catalogue.indicators["absence"] == "zero"]
    titles = dict(zip(catalogue.sources["source"], catalogue.sources["title"], strict=True))
    added = []
    for indicator in zero.itertuples():
        own = values[values["indicator"] == indicator.indicator]
        note = f"not in {titles[indicator.source]}: none (the catalogue counts absence as zero)"
        absent = sorted(set(members) - set(own["iso3"]))
        added += [
            {
                "iso3": iso3,
                "indicator": indicator.indicator,
                "year": year,
                "value": 0.0,
                "note": note,
            }
            for year in sorted(own["year"].unique())
            for iso3 in absent
        ]
    return pd.concat([values, pd.DataFrame(added, columns=VALUE_COLUMNS)], ignore_index=True)


def curate(values: pd.DataFrame, catalogue: Catalogue, countries: pd.DataFrame) -> pd.DataFrame:
    """Validated, rounded and sorted values; ContractError if any value breaks the catalogue or
    there is no value at all."""
    if values.empty:  # nothing to write is a failed build, not an empty data/values.csv
        reason = "no loader produced a value"
        failures = pd.DataFrame([(None, "", "", "not_empty", reason)], columns=FAILURE_COLUMNS)
        raise ContractError("values", failures)
    values = values.assign(value=values["value"].round(DECIMALS))
    values = validate_values(values, catalogue.framework(), countries)
    values = values.sort_values(["indicator", "iso3", "year"], ignore_index=True)
    return values[VALUE_COLUMNS]


def coverage(values: pd.DataFrame, catalogue: Catalogue) -> pd.DataFrame:
    """Per indicator: countries with a value, years covered, latest year."""
    grouped = values.groupby("indicator")
    table = pd.DataFrame(
        {
            "countries": grouped["iso3"].nunique(),
            "values": grouped.size(),
            "first_year": grouped["year"].min(),
            "latest_year": grouped["year"].max(),
        }
    )
    framework = catalogue.framework().set_index("indicator")
    table = table.reindex(framework.index).fillna(0).astype(int)
    return table.assign(dimension=framework["dimension"]).reset_index()


README = Path(__file__).resolve().parent.parent / "README.md"
SOURCES_START, SOURCES_END = "<!-- sources:start -->", "<!-- sources:end -->"


def sources_markdown(catalogue: Catalogue) -> str:
    """The sources and licences table, one row per publisher source, with the indicators it feeds."""
    fed = catalogue.indicators.groupby("source")["name"].agg("; ".join)
    lines = [
        "| Source | Edition | Licence | Indicators | In data downloads |",
        "|---|---|---|---|---|",
    ]
    for source in catalogue.sources.itertuples():
        lines.append(
            f"| [{source.publisher}: {source.title}]({source.url}) | {source.edition} "
            f"| {source.licence} | {fed.get(source.source, '(denominator only)')} "
            f"| {'yes' if source.redistributable else 'no'} |"
        )
    return "\n".join(lines)


def with_sources_table(readme: str, table: str) -> str:
    """README text with the table between the sources markers replaced."""
    head, rest = readme.split(SOURCES_START, 1)
    _, tail = rest.split(SOURCES_END, 1)
    return f"{head}{SOURCES_START}\n{table}\n{SOURCES_END}{tail}"


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    frame.to_csv(path, index=False, lineterminator="\n")


PUBLISHED_FILE = "published_indices.csv"


def build(sources: Path, out: Path = DATA_DIR) -> pd.DataFrame:
    """Write countries.csv, values.csv, skipped.csv and sources.csv into `out`, and the published
    indices for external validation into published_indices.csv; return coverage."""
    raw_values, skipped = collect(sources)
    # Read before anything is written. Its skipped rows stay the loader's answer: skipped.csv holds
    # the indicator loaders' rows only, as update-data writes it.
    indices, unusable = published.load_published(sources)
    skipped = pd.concat([skipped, unusable.assign(loader="published")], ignore_index=True)
    table = write_tables(raw_values, skipped, out)
    write_csv(indices.sort_values(["index", "edition", "iso3"]), out / PUBLISHED_FILE)
    build_dyads(sources, out / DYADS_FILE.name)
    from indicators.vintage import write_shipped_vintage  # it writes with this module

    write_shipped_vintage(sources, out)
    return table


def write_tables(raw_values: pd.DataFrame, skipped: pd.DataFrame, out: Path) -> pd.DataFrame:
    """Validate loader output (values; skipped rows with their loader) and write the four tables
    into `out`; return coverage. Nothing is written when a value breaks the catalogue."""
    catalogue = load_catalogue()
    countries = validate_countries(build_countries())
    raw_values, unused = outside_catalogue(raw_values, catalogue)
    values = curate(absent_as_zero(raw_values, catalogue), catalogue, countries)
    skipped = pd.concat([skipped, unused.assign(loader="build")], ignore_index=True)
    skipped = skipped[["loader", *SKIPPED_COLUMNS]].sort_values(["loader", "file", "row", "reason"])
    out.mkdir(parents=True, exist_ok=True)
    write_csv(countries, out / "countries.csv")
    write_csv(values, out / "values.csv")
    write_csv(skipped, out / "skipped.csv")
    write_csv(catalogue.sources, out / "sources.csv")
    if out == DATA_DIR and README.exists():
        README.write_text(with_sources_table(README.read_text(), sources_markdown(catalogue)))
    return coverage(values, catalogue)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=Path, required=True, help="folder of publisher folders")
    parser.add_argument("--out", type=Path, default=DATA_DIR, help="where to write the tables")
    args = parser.parse_args(argv)
    if not args.sources.is_dir():
        print(f"error: --sources {args.sources} is not a folder", file=sys.stderr)
        return 2
    try:
        table = build(args.sources, args.out)
    except ContractError as error:
        print(f"error: {error}", file=sys.stderr)
        print(error.failures.to_string(index=False), file=sys.stderr)
        return 2
    except (LoaderError, FileNotFoundError) as error:  # a publisher file missing or unreadable
        print(f"error: {error}; nothing was written", file=sys.stderr)
        return 2
    print(table.to_string(index=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
