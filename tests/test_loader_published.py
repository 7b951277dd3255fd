"""Published soft-power indices (external validation table) on a hand-made fixture in the compiled
CSV's layout: eleven real rows (Brand Finance, Soft Power 30, Lowy, Nation Brands Index with
Scotland and Russia's empty 2022 rank) and five edited ones (rank "3rd", score "n/a", code "SUN",
the Lowy 2024 USA row twice, Austria's rank 0)."""

from pathlib import Path

import pandas as pd
import pytest

from indicators.loaders import published

SOURCES = Path(__file__).parent / "fixtures" / "sources"
FILE = "published_soft_power_indices.csv"
BF = "Brand Finance Global Soft Power Index"
SP30 = "Portland Soft Power 30"
LOWY = "Lowy Institute Asia Power Index (overall)"
NBI = "Anholt-Ipsos Nation Brands Index"


@pytest.fixture(scope="module")
def loaded():
    return published.load_published(SOURCES)


def test_table_rows_as_published_and_sorted(loaded):
    table, _ = loaded
    assert list(table.columns) == ["index", "edition", "iso3", "rank", "score", "source_url"]
    rows = table[["index", "edition", "iso3", "rank", "score"]].astype(object)
    rows = rows.where(rows.notna(), None).values.tolist()
    assert rows == [
        [NBI, "2022", "AUT", 16, None],
        [BF, "2021", "RUS", None, 50.5],
        [BF, "2025", "CHN", 2, 72.8],
        [BF, "2025", "DEU", 5, None],
        [BF, "2025", "USA", 1, 79.5],
        [LOWY, "2024", "RUS", 6, 31.1],
        [SP30, "2019", "FRA", 1, 80.28],
        [SP30, "2019", "RUS", 30, 48.64],
    ]


def test_types(loaded):
    table, _ = loaded
    assert str(table["rank"].dtype) == "Int64"
    assert table["score"].dtype == "float64"
    assert pd.api.types.is_string_dtype(table["edition"])
    assert (
        table.loc[table["iso3"] == "USA", "source_url"]
        .item()
        .startswith(
            "https://brandfinance.com/press-releases/brand-finance-global-soft-power-index-2025"
        )
    )


def test_skipped_rows_with_reasons(loaded):
    _, lost = loaded
    assert list(lost.columns) == ["file", "row", "reason"]
    assert set(map(tuple, lost.to_numpy().tolist())) == {
        (FILE, f"{NBI} 2022 Scotland", "no iso3 for 'Scotland'"),
        (FILE, f"{NBI} 2022 RUS", "neither rank nor score"),
        (FILE, f"{NBI} 2022 AUT", "rank is not a whole number from 1 to 1000: '0'"),
        (FILE, f"{BF} 2025 GBR", "rank is not a whole number from 1 to 1000: '3rd'"),
        (FILE, f"{BF} 2025 FRA", "score is not a number: 'n/a'"),
        (FILE, f"{SP30} 2019 SUN", "iso3 'SUN' is not an ISO 3166-1 code"),
        (
            FILE,
            f"{LOWY} 2024 USA",
            "2 rows for the same index, edition and country: none is used",
        ),
    }
