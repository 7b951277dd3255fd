"""Relational (dyadic) indicators: an actor's footprint in each target country, actor -> target.

Build: ``uv run python -m indicators.relational --sources ../shared/sources`` writes
``data/dyads.csv`` (actor, target, indicator, year, value, note), sorted by (actor, target,
indicator, year). The catalogue is ``indicators/relational.yaml``. Rules, per indicator:

- ``rel_diaspora_in_target``: UN DESA ``migration_un_data_coldrop.csv`` bilateral rows (origin and
  destination both countries, M49 < 900), stock of people born in the actor (origin) living in the
  target (destination), years 2010, 2015, 2020, / the target's population of the same year (UN
  WPP 2024, indicators/loaders/wpp.py) * 100.
- ``rel_target_people_in_actor``: the same rows the other way round: people born in the target
  (origin) living in the actor (destination), per 1,000 of the target's population of the same
  year (UN WPP 2024). The target's population is the denominator so that targets of different
  size compare (for one actor any actor-side denominator is one constant and would rank targets by
  raw count). Pairs without a row in the file stay missing.
- ``rel_visa_free_actor_passport`` / ``rel_visa_free_target_passport``: Passport Index tidy iso3;
  1 when ``entry_kind`` (indicators/loaders/passport.py) is open (visa free, on arrival, eTA), 0
  when closed; unknown requirements are skipped. Year = the snapshot year.
- ``rel_unga_agreement``: Voeten ``IdealpointestimatesAll_Jun2024.csv``, the target's row and the
  actor's agreement column (RUSSAgree, USAgree, ChinaAgree, IndiaAgree, BrazilAgree,
  IsraelAgree), years 2010–2023, target-sessions with >= 20 votes (indicators/loaders/voeten.py).
- ``rel_eiti_gap``: ``eiti_status_score`` of the target minus the actor's (indicators/loaders/eiti).
- ``rel_diplomatic_posts``: Lowy post list read and de-duplicated as indicators/loaders/lowy.py
  does; posts per (sender, host, year), hosts matched with ``name_to_iso3`` (plus
  ``LOWY_HOST_ALIASES`` for the file's typos); posts in the sender's own country are left out.
  A sender-year lists every post, so UN member states without a post of that sender get 0 (a
  count, not a fill).
- ``rel_confucius_institutes``: actor CHN; institutes ever listed per host country (open or
  closed), year 2022; UN member states without one get 0, as the list is worldwide.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd
import yaml

from indicators.catalogue import (
    DATA_DIR,
    SOURCES_FILE,
    Catalogue,
    dimension_rows,
    read_sources,
    read_table,
    split_translations,
)
from indicators.catalogue import _indicator_rows as indicator_rows
from indicators.countries import iso3_codes, name_to_iso3, un_member_states
from indicators.loaders import SKIPPED_COLUMNS, eiti, lowy, passport, skipped, undesa, voeten, wpp

RELATIONAL_FILE = Path(__file__).with_name("relational.yaml")
DYADS_FILE = DATA_DIR / "dyads.csv"
DYAD_COLUMNS = ["actor", "target", "indicator", "year", "value", "note"]
FIRST_YEAR = 2010
LAST_UNGA_YEAR = 2023

DIASPORA = "rel_diaspora_in_target"
PEOPLE_IN_ACTOR = "rel_target_people_in_actor"
VISA_ACTOR = "rel_visa_free_actor_passport"
VISA_TARGET = "rel_visa_free_target_passport"
UNGA = "rel_unga_agreement"
EITI_GAP = "rel_eiti_gap"
POSTS = "rel_diplomatic_posts"
CONFUCIUS = "rel_confucius_institutes"

STOCK_YEARS = ("2010", "2015", "2020")
# Voeten agreement column -> the actor agreed with.
UNGA_COLUMNS = {
    "RUSSAgree": "RUS",
    "USAgree": "USA",
    "ChinaAgree": "CHN",
    "IndiaAgree": "IND",
    "BrazilAgree": "BRA",
    "IsraelAgree": "ISR",
}
# Host names in the Lowy file that name_to_iso3 cannot read: typos and a mangled "ç".
# Disputed or non-state hosts (Abkhazia*, South Ossetia*, Northern Cyprus*, Jerusalem*, Brussels)
# are left unmatched on purpose and reported.
LOWY_HOST_ALIASES = {
    "Nigaragua": "NIC",
    "Portual": "PRT",
    "Cura\ufffdao": "CUW",
    "New Caledonia (France)": "NCL",
}
CONFUCIUS_FOLDER = "confucius-institutes"
CONFUCIUS_FILE = "confucius_institutes.csv"
CONFUCIUS_YEAR = 2022  # list as of April 2022


def dyads(records: list[dict] | pd.DataFrame) -> pd.DataFrame:
    """Dyads in the shared column order and types; `note` defaults to ''."""
    frame = pd.DataFrame(records)
    if "note" not in frame:
        frame["note"] = ""
    frame = frame.reindex(columns=DYAD_COLUMNS)
    return frame.astype(
        {
            "actor": "str",
            "target": "str",
            "indicator": "str",
            "year": "int64",
            "value": "float64",
            "note": "str",
        }
    ).reset_index(drop=True)


# ---- diaspora (UN DESA x UN WPP 2024 population)


def load_diaspora(sources: Path) -> tuple[pd.DataFrame, list[dict]]:
    stocks = undesa._read_stocks(sources / undesa.FOLDER / undesa.STOCK_FILE)
    population, dropped = wpp.population(sources)
    people = {
        (iso3, int(year)): persons
        for iso3, year, persons in population[["iso3", "year", "persons"]].itertuples(index=False)
    }
    codes = {}
    for column, name_column in [("origin_code", "origin"), ("destination_code", "destination")]:
        for code, name in stocks[[column, name_column]].drop_duplicates().itertuples(index=False):
            number = int(code)
            if number >= undesa.WORLD:
                # Regions and groups: pairs are read between countries only; one line each.
                reason = f"region/group aggregate '{undesa._clean_name(name)}'"
                dropped.append(
                    {"file": undesa.STOCK_FILE, "row": f"M49 {number}", "reason": reason}
                )
                continue
            iso3 = undesa._m49_to_iso3(number)
            codes[code] = iso3
            if iso3 is None:
                reason = f"no ISO3 code for M49 {number} '{undesa._clean_name(name)}'"
                dropped.append(
                    {"file": undesa.STOCK_FILE, "row": f"M49 {number}", "reason": reason}
                )
    pairs = stocks[
        stocks["origin_code"].map(codes).notna() & stocks["destination_code"].map(codes).notna()
    ]
    records = []
    for row in pairs.to_dict("records"):
        origin, destination = codes[row["origin_code"]], codes[row["destination_code"]]
        if origin == destination:
            continue  # the file has no such rows; a country's own-born are not migrants
        for year in STOCK_YEARS:
            stock = undesa._number(row[year])
            if stock is None:
                text = row[year].strip()
                reason = (
                    f"stock {year} is empty ('{text}')"
                    if text in undesa.EMPTY_CELLS
                    else f"stock {year} is not a number: '{text}'"
                )
                label = f"{origin}->{destination} {year}"
                dropped.append({"file": undesa.STOCK_FILE, "row": label, "reason": reason})
                continue
            # actor = origin, target = destination: the actor's people in the target.
            records += _share(DIASPORA, origin, destination, year, stock, people, 100)
            # actor = destination, target = origin: the target's people in the actor.
            records += _share(PEOPLE_IN_ACTOR, destination, origin, year, stock, people, 1000)
    missing = sorted({(r["target"], r["year"]) for r in records if r.get("missing_population")})
    for iso3, year in missing:
        reason = f"no population (UN WPP 2024) for {iso3} in {year}: its {year} shares are left out"
        dropped.append({"file": wpp.FILE_NAME, "row": f"{iso3} {year}", "reason": reason})
    return dyads([r for r in records if "missing_population" not in r]), dropped


def _share(indicator, actor, target, year, stock, people, per) -> list[dict]:
    """One dyad: stock over the target's population of the stock year, times `per`.

    >>> dyad = _share("x", "RUS", "KAZ", "2020", 2350000.0, {("KAZ", 2020): 19482114.0}, 100)
    >>> round(dyad[0]["value"], 4)
    12.0623
    """
    population = people.get((target, int(year)))
    if population is None or population <= 0:
        return [{"target": target, "year": int(year), "missing_population": True}]
    note = f"stock {year}: {stock:,.0f}; target population: UN WPP 2024, {year}, {population:,.0f}"
    value = stock / population * per
    return [
        {
            "actor": actor,
            "target": target,
            "indicator": indicator,
            "year": int(year),
            "value": value,
            "note": note,
        }
    ]


# ---- mobility (Passport Index)


def load_mobility(sources: Path) -> tuple[pd.DataFrame, list[dict]]:
    table = passport.read_table(sources)
    codes = iso3_codes()
    dropped = passport.non_iso_codes(table, codes)
    pairs = table[
        table["Passport"].isin(codes)
        & table["Destination"].isin(codes)
        & (table["Passport"] != table["Destination"])
    ].copy()
    pairs["kind"] = pairs["Requirement"].map(passport.entry_kind)
    duplicate = pairs.duplicated(["Passport", "Destination"], keep=False)
    usable = ~duplicate & pairs["kind"].isin([*passport.OPEN_KINDS.values(), "closed"])
    for index, row in pairs[~usable].iterrows():
        if duplicate[index]:
            reason = "pair listed more than once"
        elif pd.isna(row["Requirement"]):
            reason = "requirement is empty"
        else:
            reason = f"requirement '{row['Requirement']}' is neither open nor closed"
        label = f"{row['Passport']}->{row['Destination']}"
        dropped.append({"file": passport.FILE_NAME, "row": label, "reason": reason})
    pairs = pairs[usable]
    year = passport.snapshot_year(sources)
    value = (pairs["kind"] != "closed").astype(float)
    common = {"year": year, "value": value, "note": pairs["Requirement"]}
    frames = [
        # The actor's passport entering the target: actor = Passport.
        pd.DataFrame(
            {"actor": pairs["Passport"], "target": pairs["Destination"], "indicator": VISA_ACTOR}
            | common
        ),
        # The target's passport entering the actor: actor = Destination.
        pd.DataFrame(
            {"actor": pairs["Destination"], "target": pairs["Passport"], "indicator": VISA_TARGET}
            | common
        ),
    ]
    return dyads(pd.concat(frames, ignore_index=True)), dropped


# ---- UNGA voting agreement (Voeten)


def load_unga(sources: Path) -> tuple[pd.DataFrame, list[dict]]:
    table = voeten.read_table(sources)
    table = table[(table["year"] >= FIRST_YEAR) & (table["year"] <= LAST_UNGA_YEAR)]
    codes = iso3_codes()
    dropped = voeten.unknown_codes(table[~table["iso3"].isin(codes)])
    table = table[table["iso3"].isin(codes)]
    records = []
    for _, row in table.iterrows():
        problem = voeten.too_few_votes(row)
        if problem:
            reason = f"{problem}: left out"
            dropped.append(
                {"file": voeten.FILE_NAME, "row": voeten.session_label(row), "reason": reason}
            )
            continue
        for column, actor in UNGA_COLUMNS.items():
            if actor == row["iso3"]:
                continue  # agreement with itself (1.0) says nothing
            value = pd.to_numeric(row[column], errors="coerce")
            if pd.isna(value):
                reason = f"{column} is missing ('{row[column]}')"
                dropped.append(
                    {"file": voeten.FILE_NAME, "row": voeten.session_label(row), "reason": reason}
                )
                continue
            records.append(
                {
                    "actor": actor,
                    "target": row["iso3"],
                    "indicator": UNGA,
                    "year": int(row["year"]),
                    "value": float(value),
                    "note": f"session {int(row['session'])}, {int(row['votes'])} votes",
                }
            )
    return dyads(pd.DataFrame(records, columns=DYAD_COLUMNS)), dropped


# ---- EITI status gap


def eiti_gap(scores: pd.Series, year: int) -> pd.DataFrame:
    """Every ordered pair of scored countries: target's score minus actor's.

    >>> eiti_gap(pd.Series({"NOR": 100.0, "RUS": 0.0}), 2024)[["actor", "target", "value"]]
      actor target  value
    0   NOR    RUS -100.0
    1   RUS    NOR  100.0
    """
    scores = scores.sort_index()
    pairs = pd.merge(
        scores.rename("actor_score").rename_axis("actor").reset_index(),
        scores.rename("target_score").rename_axis("target").reset_index(),
        how="cross",
    )
    pairs = pairs[pairs["actor"] != pairs["target"]]
    return dyads(
        {
            "actor": pairs["actor"],
            "target": pairs["target"],
            "indicator": EITI_GAP,
            "year": year,
            "value": pairs["target_score"] - pairs["actor_score"],
        }
    )


def load_eiti_gap(sources: Path) -> tuple[pd.DataFrame, list[dict]]:
    values = eiti.load(sources).values
    status = values[values["indicator"] == eiti.STATUS_SCORE]
    latest = status.sort_values("year").groupby("iso3").tail(1)
    year = int(latest["year"].max()) if len(latest) else eiti.STATUS_YEAR
    # Skipped rows of the status file are the eiti loader's own report; not repeated here.
    return eiti_gap(latest.set_index("iso3")["value"], year), []


# ---- diplomatic posts (Lowy)


def load_posts(sources: Path) -> tuple[pd.DataFrame, list[dict]]:
    posts = pd.read_excel(sources / lowy.FOLDER / lowy.FILE, sheet_name=0)
    posts = posts.dropna(subset=["COUNTRY", "Year"])
    posts["year"] = posts["Year"].astype("int64")
    posts = posts[posts["year"] >= FIRST_YEAR]
    dropped: list[dict] = []
    posts = lowy._drop_incomplete_editions(posts, dropped)
    posts = lowy._drop_duplicates(posts, dropped)
    posts = lowy._match_senders(posts, dropped)
    codes = iso3_codes()
    hosts = {}
    for name in posts["POST COUNTRY"].dropna().unique():
        iso3 = LOWY_HOST_ALIASES.get(name) or name_to_iso3(str(name))
        hosts[name] = iso3 if iso3 in codes else None
    posts = posts.assign(target=posts["POST COUNTRY"].map(hosts))
    for name, group in posts[posts["target"].isna()].groupby(
        posts["POST COUNTRY"].fillna("(empty)"), sort=True
    ):
        reason = f"no ISO3 match for host '{name}': {len(group)} posts not counted"
        dropped.append({"file": lowy.FILE, "row": f"POST COUNTRY {name}", "reason": reason})
    posts = posts.dropna(subset=["target"])
    at_home = posts["target"] == posts["iso3"]
    if at_home.any():
        reason = (
            "post in the sender's own country (e.g. a mission to the UN at home): not a footprint"
        )
        for (sender, year), group in posts[at_home].groupby(["iso3", "year"], sort=True):
            dropped.append(
                {
                    "file": lowy.FILE,
                    "row": f"{sender} {year}",
                    "reason": f"{reason}, {len(group)} posts",
                }
            )
    posts = posts[~at_home]
    counted = posts.groupby(["iso3", "year", "target"]).size()
    records = []
    members = sorted(un_member_states())
    for (sender, year), _ in posts.groupby(["iso3", "year"], sort=True):
        for target in members:
            if target == sender:
                continue
            count = int(counted.get((sender, year, target), 0))
            note = "" if count else "no post listed"
            records.append(
                {
                    "actor": sender,
                    "target": target,
                    "indicator": POSTS,
                    "year": int(year),
                    "value": float(count),
                    "note": note,
                }
            )
    # Hosts outside the UN members (Kosovo, Taiwan, ...) with at least one post.
    for (sender, year, target), count in counted.items():
        if target not in set(members):
            records.append(
                {
                    "actor": sender,
                    "target": target,
                    "indicator": POSTS,
                    "year": int(year),
                    "value": float(count),
                    "note": "",
                }
            )
    return dyads(pd.DataFrame(records, columns=DYAD_COLUMNS)), dropped


# ---- Confucius Institutes (actor CHN)


def load_confucius(sources: Path) -> tuple[pd.DataFrame, list[dict]]:
    path = sources / CONFUCIUS_FOLDER / CONFUCIUS_FILE
    table = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    table["country"] = table["country"].fillna("").str.strip()
    codes = iso3_codes()
    matched = {name: name_to_iso3(name) if name else None for name in table["country"].unique()}
    matched = {name: iso3 if iso3 in codes else None for name, iso3 in matched.items()}
    table["target"] = table["country"].map(matched)
    dropped = [
        {
            "file": CONFUCIUS_FILE,
            "row": f"country '{name}'",
            "reason": f"no ISO3 match for '{name}': {len(group)} institutes not counted",
        }
        for name, group in table[table["target"].isna()].groupby("country", sort=True)
    ]
    table = table.dropna(subset=["target"])
    home = table["target"] == "CHN"
    if home.any():
        reason = f"host is China itself: {int(home.sum())} institutes not counted"
        dropped.append({"file": CONFUCIUS_FILE, "row": "country China", "reason": reason})
    table = table[~home]
    records = []
    hosts = table.groupby("target")
    targets = sorted((un_member_states() | set(hosts.groups)) - {"CHN"})
    for target in targets:
        if target in hosts.groups:
            group = hosts.get_group(target)
            opened = int((group["status"] == "Open").sum())
            note = f"{len(group)} listed, {opened} 'Open' per the file's status"
            value = float(len(group))
        else:
            note, value = "none listed", 0.0
        records.append(
            {
                "actor": "CHN",
                "target": target,
                "indicator": CONFUCIUS,
                "year": CONFUCIUS_YEAR,
                "value": value,
                "note": note,
            }
        )
    return dyads(records), dropped


# ---- all of them

LOADERS = {
    "diaspora": load_diaspora,
    "mobility": load_mobility,
    "unga": load_unga,
    "eiti": load_eiti_gap,
    "posts": load_posts,
    "confucius": load_confucius,
}


def load(sources: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """All dyads (sorted, unique per actor, target, indicator, year) and the skipped rows."""
    frames, dropped = [], []
    for loader in LOADERS.values():
        found, lost = loader(sources)
        frames.append(found)
        dropped += lost
    values = pd.concat(frames, ignore_index=True)
    values = values.sort_values(["actor", "target", "indicator", "year"], ignore_index=True)
    lost = skipped(pd.DataFrame(dropped, columns=SKIPPED_COLUMNS)).drop_duplicates(
        ignore_index=True
    )
    return values, lost


def load_relational_catalogue(
    relational_file: Path = RELATIONAL_FILE, sources_file: Path = SOURCES_FILE
) -> Catalogue:
    """The relational catalogue, validated as the main one (its own sources merged in)."""
    from scoring.schemas import validate_catalogue

    document = yaml.safe_load(relational_file.read_text(encoding="utf-8"))
    document, translations = split_translations(document, ("dimensions", "indicators"))
    dimensions = dimension_rows(document["dimensions"])
    indicators = indicator_rows(document["indicators"])
    sources, translations = read_sources(sources_file, translations, document.get("sources", []))
    validate_catalogue(dimensions, indicators, sources)
    return Catalogue(dimensions, indicators, sources, translations=translations)


def load_dyads(
    catalogue: Catalogue, countries: pd.DataFrame, path: Path = DYADS_FILE
) -> pd.DataFrame:
    """data/dyads.csv, typed and checked against the contracts (ContractError otherwise)."""
    from scoring.schemas import validate_dyads

    table = read_table(path)
    if "note" in table:  # a missing column is the contract's to report
        table["note"] = table["note"].fillna("")
    return validate_dyads(table, catalogue.framework(), countries)


def coverage(values: pd.DataFrame) -> pd.DataFrame:
    """Per indicator: actors, targets, first and last year, rows."""
    return (
        values.groupby("indicator")
        .agg(
            actors=("actor", "nunique"),
            targets=("target", "nunique"),
            first_year=("year", "min"),
            last_year=("year", "max"),
            rows=("value", "size"),
        )
        .reset_index()
    )


def build_dyads(sources: Path, out: Path = DYADS_FILE) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Load, validate and write the dyads table (same files, byte-identical output); returns the
    dyads and the rows that could not be used."""
    from indicators.catalogue import load_countries
    from scoring.schemas import validate_dyads

    values, lost = load(sources)
    validate_dyads(values, load_relational_catalogue().framework(), load_countries())
    values.to_csv(out, index=False, float_format="%.6g", lineterminator="\n")
    return values, lost


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build data/dyads.csv from the publishers' files.")
    parser.add_argument("--sources", required=True, type=Path, help="folder of publisher folders")
    parser.add_argument("--out", type=Path, default=DYADS_FILE, help="output CSV")
    args = parser.parse_args(argv)
    values, lost = build_dyads(args.sources, args.out)
    print(coverage(values).to_string(index=False))
    print(f"{len(values)} dyads written to {args.out}; {len(lost)} rows skipped:")
    reasons = lost["reason"].str.replace(r"'[^']*'|\d+", "…", regex=True).value_counts()
    print(reasons.head(15).to_string())
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
