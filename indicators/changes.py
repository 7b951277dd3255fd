"""What an update changed: values added, removed and revised, coverage per indicator and the
ranking before and after (`change_report`); written as Markdown and CSV files into
`<data>/changes/` and read back by the Sources page (`latest_changes`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd

from indicators import build
from indicators.catalogue import DATA_DIR, Catalogue, read_table
from indicators.loaders import VALUE_COLUMNS
from scoring.method import Method

CHANGES = "changes"


def read_values(data_dir: Path) -> pd.DataFrame:
    """values.csv typed (iso3, indicator, year int, value float, note '' when empty)."""
    values = read_table(Path(data_dir) / "values.csv")
    return values.assign(
        year=values["year"].astype("int64"),
        value=values["value"].astype("float64"),
        note=values["note"].fillna("").astype(str),
    )[VALUE_COLUMNS]


def empty_values() -> pd.DataFrame:
    return pd.DataFrame(
        {
            c: pd.Series(dtype="int64" if c == "year" else "float64" if c == "value" else "str")
            for c in VALUE_COLUMNS
        }
    )


def countries_of(data_dir: Path) -> pd.DataFrame | None:
    from indicators.catalogue import load_countries

    return load_countries(data_dir) if (data_dir / "countries.csv").exists() else None


@dataclass
class ChangeReport:
    """What an update changed: values (added, removed, revised), coverage and ranks."""

    values: pd.DataFrame  # change, indicator, iso3, year, old, new, delta
    coverage: pd.DataFrame  # indicator, countries/values/latest_year before and after
    ranks: pd.DataFrame  # iso3, rank_before, rank_after, rank_change, overall_before/after
    method: Method
    ranking_note: str = ""

    @property
    def added(self) -> pd.DataFrame:
        return self.values[self.values["change"] == "added"]

    @property
    def removed(self) -> pd.DataFrame:
        return self.values[self.values["change"] == "removed"]

    @property
    def revised(self) -> pd.DataFrame:
        return self.values[self.values["change"] == "revised"]

    @property
    def moved(self) -> pd.DataFrame:
        """Countries whose rank changed, entered or left the ranking."""
        changed = self.ranks["rank_change"].fillna(1) != 0
        return self.ranks[changed.astype(bool)]

    def summary(self) -> str:
        text = (
            f"{len(self.added)} values added, {len(self.removed)} removed, "
            f"{len(self.revised)} revised; {len(self.moved)} countries moved in the ranking"
        )
        return text + (f" ({self.ranking_note})" if self.ranking_note else "")

    def to_markdown(self, limit: int = 25) -> str:
        parts = ["# Data update: what changed", "", self.summary() + ".", ""]
        per_indicator = (
            self.values.groupby(["indicator", "change"]).size().unstack(fill_value=0)
            if len(self.values)
            else pd.DataFrame()
        )
        before = self.coverage.filter(like="_before").astype("float64").fillna(-1).to_numpy()
        after = self.coverage.filter(like="_after").astype("float64").fillna(-1).to_numpy()
        changed = self.coverage[
            (before != after).any(axis=1) | self.coverage["indicator"].isin(per_indicator.index)
        ]
        parts += ["## Coverage per indicator (changed indicators)", ""]
        if len(changed):
            table = changed.set_index("indicator").join(per_indicator).fillna(0)
            parts.append(_markdown_table(table.reset_index()))
        else:
            parts.append("No indicator changed.")
        for title, rows in (
            ("Revised", self.revised),
            ("Added", self.added),
            ("Removed", self.removed),
        ):
            if len(rows):
                parts += ["", f"## {title} values ({len(rows)})", ""]
                shown = rows.drop(columns="change").head(limit)
                parts.append(_markdown_table(shown))
                if len(rows) > limit:
                    parts.append(f"\n... {len(rows) - limit} more in the CSV file.")
        parts += ["", "## Ranking", "", f"Method: {_method_line(self.method)}.", ""]
        if self.ranking_note:
            parts.append(self.ranking_note)
        elif len(self.moved):
            moved = self.moved.reindex(
                self.moved["rank_change"]
                .abs()
                .sort_values(ascending=False, na_position="first")
                .index
            ).head(limit)
            parts.append(_markdown_table(moved))
            if len(self.moved) > limit:
                parts.append(f"\n... {len(self.moved) - limit} more in the CSV file.")
        else:
            parts.append("No country changed rank.")
        return "\n".join(parts) + "\n"

    def write(self, directory: Path, stamp: str) -> list[Path]:
        """<stamp>.md, <stamp>-values.csv, <stamp>-coverage.csv, <stamp>-ranks.csv."""
        directory.mkdir(parents=True, exist_ok=True)
        paths = [
            directory / f"{stamp}{suffix}"
            for suffix in (".md", "-values.csv", "-coverage.csv", "-ranks.csv")
        ]
        paths[0].write_text(self.to_markdown(), encoding="utf-8")
        build.write_csv(self.values, paths[1])
        build.write_csv(self.coverage, paths[2])
        build.write_csv(self.ranks, paths[3])
        return paths


def change_report(
    old_values: pd.DataFrame,
    new_values: pd.DataFrame,
    catalogue: Catalogue,
    method: Method | None = None,
    countries: pd.DataFrame | None = None,
) -> ChangeReport:
    """Values added, removed and revised per indicator, country and year (old, new, delta),
    coverage per indicator before and after, and the ranking under `method` before and after
    (rank_change > 0: moved up)."""
    method = method or Method()
    key = ["indicator", "iso3", "year"]
    old = old_values[[*key, "value"]].rename(columns={"value": "old"})
    new = new_values[[*key, "value"]].rename(columns={"value": "new"})
    both = old.merge(new, on=key, how="outer", indicator=True)
    both["change"] = (
        both["_merge"]
        .map({"left_only": "removed", "right_only": "added", "both": "revised"})
        .astype(str)
    )
    same = (both["change"] == "revised") & np.isclose(
        both["old"].fillna(0), both["new"].fillna(0), rtol=0, atol=10**-build.DECIMALS / 2
    )
    changes = both[~same].assign(delta=lambda t: (t["new"] - t["old"]).round(build.DECIMALS))
    order = {"revised": 0, "added": 1, "removed": 2}
    changes = changes.sort_values(
        [*key, "change"], key=lambda c: c.map(order) if c.name == "change" else c
    )
    changes = changes[["change", *key, "old", "new", "delta"]].reset_index(drop=True)
    coverage = _coverage_change(old_values, new_values, catalogue)
    ranks, note = _rank_change(old_values, new_values, catalogue, method, countries)
    return ChangeReport(changes, coverage, ranks, method, note)


def _coverage_change(old_values, new_values, catalogue) -> pd.DataFrame:
    """`build.coverage` before and after, side by side; the latest year is empty where an
    indicator has no value."""
    columns = ["countries", "values", "latest_year"]
    before = build.coverage(old_values, catalogue).set_index("indicator")[columns]
    after = build.coverage(new_values, catalogue).set_index("indicator")[columns]
    table = pd.DataFrame(index=before.index)
    for column in columns:
        table[f"{column}_before"] = before[column].astype("Int64")
        table[f"{column}_after"] = after[column].astype("Int64")
    for when, counts in (("before", before), ("after", after)):
        table.loc[counts["countries"] == 0, f"latest_year_{when}"] = pd.NA
    return table.reset_index()


def _rank_change(old_values, new_values, catalogue, method, countries):
    from scoring.pipeline import build_scorecard
    from scoring.tables import rank_changes

    columns = [
        "iso3",
        "rank_before",
        "rank_after",
        "rank_change",
        "overall_before",
        "overall_after",
    ]
    try:
        before = build_scorecard(old_values, catalogue, method, countries).results
        after = build_scorecard(new_values, catalogue, method, countries).results
    except ValueError as error:
        return pd.DataFrame(columns=columns), f"ranking not computed: {error}"
    index = before.index.union(after.index)
    rank_before = before["rank"].reindex(index)
    rank_after = after["rank"].reindex(index)
    table = pd.DataFrame(
        {
            "rank_before": rank_before,
            "rank_after": rank_after,
            "rank_change": rank_changes(rank_after, rank_before),
            "overall_before": before["overall"].reindex(index),
            "overall_after": after["overall"].reindex(index),
        },
        index=index,
    )
    table = table.sort_values(["rank_after", "rank_before"], na_position="last")
    return table.rename_axis("iso3").reset_index()[columns], ""


def _markdown_table(frame: pd.DataFrame) -> str:
    def cell(value) -> str:
        if value is None or (not isinstance(value, str) and pd.isna(value)):
            return ""
        if isinstance(value, float | np.floating):
            return f"{value:.6g}"
        return str(value).replace("|", "\\|")

    header = "| " + " | ".join(str(c) for c in frame.columns) + " |"
    rule = "|" + "---|" * len(frame.columns)
    body = ["| " + " | ".join(cell(v) for v in row) + " |" for row in frame.itertuples(index=False)]
    return "\n".join([header, rule, *body])


def _method_line(method: Method) -> str:
    changed = method.to_dict(only_changes=True)
    return ", ".join(f"{k} = {v}" for k, v in changed.items()) or "catalogue defaults"


@dataclass
class SavedChanges:
    """A change report as `ChangeReport.write` left it in <data>/changes/."""

    stamp: str
    markdown: str
    values: pd.DataFrame
    coverage: pd.DataFrame
    ranks: pd.DataFrame
    paths: list[Path]

    def count(self, change: str) -> int:
        """Values with this change ('added', 'removed', 'revised')."""
        return int((self.values["change"] == change).sum()) if "change" in self.values else 0

    @property
    def when(self) -> str:
        """The stamp as a readable UTC time ('20260401T120000Z' -> '2026-04-01 12:00 UTC')."""
        try:
            moment = datetime.strptime(self.stamp, "%Y%m%dT%H%M%SZ")
        except ValueError:
            return self.stamp
        return moment.strftime("%Y-%m-%d %H:%M UTC")


def latest_changes(data_dir: Path = DATA_DIR) -> SavedChanges | None:
    """The newest change report in data_dir/changes/ (stamps sort by time), None when there is
    none."""
    directory = Path(data_dir) / CHANGES
    if not directory.is_dir():
        return None
    stamps = sorted(path.stem for path in directory.glob("*.md"))
    if not stamps:
        return None
    stamp = stamps[-1]
    paths = [
        directory / f"{stamp}{suffix}"
        for suffix in (".md", "-values.csv", "-coverage.csv", "-ranks.csv")
    ]

    def table(path: Path) -> pd.DataFrame:
        if not path.exists():
            return pd.DataFrame()
        return pd.read_csv(path, keep_default_na=False, na_values=[""], dtype={"iso3": str})

    return SavedChanges(
        stamp,
        paths[0].read_text(encoding="utf-8"),
        table(paths[1]),
        table(paths[2]),
        table(paths[3]),
        [path for path in paths if path.exists()],
    )
