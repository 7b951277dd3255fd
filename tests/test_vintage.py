"""Vintage: when an indicator counts as stale by default."""

from datetime import date

import pandas as pd

from indicators.vintage import stale_indicators


def test_by_default_data_more_than_three_years_old_is_stale():
    # today 2026-03-01: 2023 is 3 years back (not stale), 2022 is 4 (stale); a download of
    # 2023-01-01 is 3.2 years old (stale), one of 2023-06-01 is 2.75 (not)
    vintage = pd.DataFrame(
        {
            "indicator": ["y2023", "y2022", "old_download", "recent_download"],
            "source": ["a", "b", "c", "d"],
            "role": ["values"] * 4,
            "edition": ["2023", "2022", "2025", "2025"],
            "retrieved": ["", "", "2023-01-01", "2023-06-01"],
        }
    )
    values = pd.DataFrame(
        {
            "indicator": ["y2023", "y2022", "old_download", "recent_download"],
            "year": [2023, 2022, 2025, 2025],
        }
    )
    stale = stale_indicators(vintage, values, date(2026, 3, 1)).set_index("indicator")["stale"]
    assert stale.to_dict() == {
        "y2023": False,
        "y2022": True,
        "old_download": True,
        "recent_download": False,
    }
