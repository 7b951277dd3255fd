"""Two scenarios side by side, as the Scenarios page shows and downloads them. Rank change
follows the one convention of every page (``scoring.tables.rank_changes``): positive = the
country moved up (a better rank) in B."""

from __future__ import annotations

import pandas as pd

from i18n import N_, _
from scoring.tables import rank_changes

COLUMNS = {
    "country": N_("Country"),
    "iso3": "iso3",
    "overall_a": N_("Score A"),
    "rank_a": N_("Rank A"),
    "overall_b": N_("Score B"),
    "rank_b": N_("Rank B"),
    "overall_delta": N_("Score change"),
    "rank_change": N_("Rank change"),
}
RANK_CHANGE_HELP = N_("Places moved from A to B: positive = up (a better rank in B)")


def scenario_moves(compared: pd.DataFrame) -> pd.Series:
    """Places each country moved from scenario A to B (positive = up); missing where a country
    is scored in only one. `compared`: rank_a and rank_b by iso3.

    >>> t = pd.DataFrame({"rank_a": [1, 3, None], "rank_b": [2, 1, 4]}, index=list("XYZ"))
    >>> scenario_moves(t.astype("Int64")).tolist()
    [-1, 2, <NA>]
    """
    return rank_changes(compared["rank_b"].astype("Int64"), compared["rank_a"].astype("Int64"))


def scenario_table(compared: pd.DataFrame, names: pd.Series) -> pd.DataFrame:
    """The comparison for people: Country, iso3, score and rank in A and B, the score change
    (B − A) and the rank change (positive = up in B), headed in the run's language (`column`
    gives a heading by its COLUMNS key). `compared` is indexed by iso3 with overall_a, rank_a,
    overall_b, rank_b, overall_delta."""
    table = compared.assign(rank_change=scenario_moves(compared)).reset_index()
    table["country"] = table["iso3"].map(lambda iso3: names.get(iso3, iso3))
    return table[list(COLUMNS)].rename(columns={key: column(key) for key in COLUMNS})


def column(key: str) -> str:
    """The heading of the comparison's column `key` (a COLUMNS key) in the run's language."""
    return _(COLUMNS[key]) if key != "iso3" else "iso3"
