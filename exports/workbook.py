"""The whole scorecard as one Excel workbook: scores, the values behind them, the method, the
weights and the sources, so an analyst can check or rebuild every number.

Sheets: README (what is where, the method in one line, what was left out), scores, values,
method, weights, sources. Values of sources that may not be redistributed are left out (see
``exports.tables.redistributable_values``); the scores still include them.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from exports.tables import excel_bytes, redistributable_indicators, redistribution_note
from i18n import N_, _
from indicators.catalogue import country_names
from present.tables import method_summary


def scores_table(sc, catalogue, countries: pd.DataFrame | None) -> pd.DataFrame:
    """country, iso3, one column per dimension (by name), each side (reach, appeal, by name),
    overall, rank, coverage, indicator count[, peer_rank]; best first."""
    names = country_names(countries)
    results = sc.results.sort_values(["rank", "overall"], ascending=[True, False])
    out = pd.DataFrame(
        {
            "country": [names.get(iso3, iso3) for iso3 in results.index],
            "iso3": list(results.index),
        }
    )
    labels = catalogue.dimension_names()
    for dimension in sc.prepared.dimensions:
        out[labels.get(dimension, dimension)] = results[dimension].to_numpy()
    for side, name in catalogue.side_names().items():
        if side in results:
            out[name] = results[side].to_numpy()
    for column in ("overall", "rank", "coverage", "indicator_count", "peer_rank"):
        if column in results:
            out[column] = results[column].to_numpy()
    return out


def values_table(sc, catalogue, values: pd.DataFrame | None, countries) -> pd.DataFrame:
    """The value each scored country used per indicator (long): iso3, country, indicator, name,
    dimension, unit, year, value (as published), value_used (after imputation and outlier
    treatment), normalised, imputed, treated, carried (measured after the chosen years)[, note].
    All indicators; filter before sharing."""
    p = sc.prepared
    kept = sc.kept
    raw = sc.raw_array[kept]
    years = sc.years_array[kept]
    iso3 = sc.iso3.astype(str)
    n_countries, n_indicators = raw.shape
    rows, cols = np.nonzero(~np.isnan(raw) | ~np.isnan(sc.imputed_array))
    frame = pd.DataFrame(
        {
            "iso3": iso3[rows],
            "indicator": np.array(p.indicators, dtype=object)[cols],
            "year": pd.array(
                np.where(np.isnan(years[rows, cols]), sc.imputed_years_array[rows, cols],
                         years[rows, cols]),
                dtype="Float64",
            ).astype("Int64"),
            "value": raw[rows, cols],
            "value_used": sc.treated_array[rows, cols],
            "normalised": sc.normalised_array[rows, cols],
            "imputed": sc.imputed_flags_array[rows, cols].astype(bool),
            "treated": sc.treated_flags_array[rows, cols].astype(bool),
            "carried": sc.carried_array[kept][rows, cols],
        }
    )  # fmt: skip
    names = country_names(countries)
    info = catalogue.indicators.set_index("indicator")
    frame.insert(1, "country", frame["iso3"].map(lambda c: names.get(c, c)))
    frame.insert(3, "name", frame["indicator"].map(info["name"]))
    frame.insert(4, "dimension", frame["indicator"].map(info["dimension"]))
    frame.insert(5, "unit", frame["indicator"].map(info["unit"]))
    if values is not None and "note" in values:
        notes = values[["iso3", "indicator", "year", "note"]].astype({"year": "Int64"})
        frame = frame.merge(notes, on=["iso3", "indicator", "year"], how="left")
        frame["note"] = frame["note"].fillna("")
    return frame.sort_values(["iso3", "indicator"], kind="stable").reset_index(drop=True)


def method_table(method) -> pd.DataFrame:
    """setting, value (lists and tables as JSON), then the TOML, one line per row."""
    rows = []
    for key, value in method.to_dict().items():
        text = json.dumps(value) if isinstance(value, list | dict) else value
        rows.append({"setting": key, "value": _("latest in window") if value is None else text})
    rows.append({"setting": "", "value": ""})
    rows.append({"setting": _("TOML (save as method.toml; Method.from_toml)"), "value": ""})
    rows += [{"setting": line, "value": ""} for line in method.to_toml().splitlines()]
    return pd.DataFrame(rows, dtype=object)


def weights_table(sc, catalogue) -> pd.DataFrame:
    """One row per indicator, then one per dimension: level, id, name, dimension, catalogue
    weight, method override, weight (rescaled to sum 1 within the level) and effective weight
    (indicator weight x dimension weight; sums to 1 over indicators)."""
    p = sc.prepared
    overrides = dict(sc.method.indicator_weights)
    dim_overrides = dict(sc.method.dimension_weights)
    ind_names = catalogue.indicator_names()
    dim_names = catalogue.dimension_names()
    rows = []
    for k, indicator in enumerate(p.indicators):
        dimension = p.dimensions[p.dim_of[k]]
        rows.append(
            {
                "level": "indicator",
                "id": indicator,
                "name": ind_names.get(indicator, indicator),
                "dimension": dimension,
                "catalogue_weight": float(p.weight[k]),
                "method_override": overrides.get(indicator, np.nan),
                "weight": float(sc.indicator_weight_array[k]),
                "effective_weight": float(
                    sc.indicator_weight_array[k] * sc.dimension_weight_array[p.dim_of[k]]
                ),
            }
        )
    for d, dimension in enumerate(p.dimensions):
        rows.append(
            {
                "level": "dimension",
                "id": dimension,
                "name": dim_names.get(dimension, dimension),
                "dimension": dimension,
                "catalogue_weight": float(p.dimension_weight[d]),
                "method_override": dim_overrides.get(dimension, np.nan),
                "weight": float(sc.dimension_weight_array[d]),
                "effective_weight": float(sc.dimension_weight_array[d]),
            }
        )
    return pd.DataFrame(rows)


def sources_table(catalogue, indicator_ids=None) -> pd.DataFrame:
    """One row per source used: publisher, title, url, licence, edition, redistributable,
    indicators (ids)."""
    table = catalogue.with_sources()
    if indicator_ids is not None:
        table = table[table["indicator"].isin(list(indicator_ids))]
    columns = ["publisher", "title", "url", "licence", "edition", "redistributable"]
    rows = []
    for source, group in table.groupby("source", sort=False):
        first = group.iloc[0]
        row = {"source": source}
        row |= {c: first[c] if c in group else "" for c in columns}
        row["indicators"] = ", ".join(group["indicator"])
        rows.append(row)
    return pd.DataFrame(rows, columns=["source", *columns, "indicators"])


#: Sheet names and column headers as the workbook's code writes them; shown translated.
SHEET_NAMES = (N_("README"), N_("scores"), N_("values"), N_("method"), N_("weights"),
               N_("sources"))  # fmt: skip
HEADERS = (
    N_("item"), N_("detail"), N_("country"), N_("overall"), N_("rank"), N_("coverage"),
    N_("indicator_count"), N_("peer_rank"), N_("indicator"), N_("name"), N_("dimension"),
    N_("unit"), N_("year"), N_("value"), N_("value_used"), N_("normalised"), N_("imputed"),
    N_("treated"), N_("carried"), N_("note"), N_("setting"), N_("level"), N_("id"),
    N_("catalogue_weight"), N_("method_override"), N_("weight"), N_("effective_weight"),
    N_("source"), N_("publisher"), N_("title"), N_("url"), N_("licence"), N_("edition"),
    N_("redistributable"), N_("indicators"),
)  # fmt: skip


def translated_headers(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with the workbook's own headers in the run's language (iso3 and names taken
    from the catalogue, such as dimension names, stay as they are)."""
    own = set(HEADERS)
    return frame.rename(columns=lambda c: _(c) if c in own else c)


def readme_table(sc, catalogue, left_out_note: str, countries, citation: str = "") -> pd.DataFrame:
    summary = method_summary(sc, catalogue.dimension_names())
    lines = [
        (_("Soft Power Scorecard export"), ""),
        (_("Method"), summary),
        (_("Countries scored"), str(len(sc.results))),
        (_("Countries not scored (too little data)"), str(len(sc.screened_out))),
        (_("scores"), _("Dimension scores, overall score (0–100 unless the method says "
                        "otherwise), rank (1 = best) and data coverage (share of weight with a "
                        "value).")),
        (_("values"), _("The value each scored country used per indicator: as published, after "
                        "imputation/treatment, normalised, with flags.")),
        (_("method"), _("Every scoring setting, and the same as TOML to reload it.")),
        (_("weights"), _("Indicator and dimension weights: catalogue, override, rescaled, "
                         "effective.")),
        (_("sources"), _("Publisher, title, URL, licence and edition of every source. Cite "
                         "them.")),
    ]  # fmt: skip
    if citation:
        lines.append((_("Cite as"), citation))
    if left_out_note:
        lines.append((_("Left out of 'values'"), left_out_note))
    return pd.DataFrame(lines, columns=["item", "detail"], dtype=object)


def scorecard_workbook(sc, data_catalogue, values: pd.DataFrame | None, countries) -> bytes:
    """The .xlsx bytes: README, scores, values (redistributable indicators only), method,
    weights, sources. `values` (long, optional) supplies each value's note."""
    allowed, blocked = redistributable_indicators(data_catalogue)
    used = set(sc.prepared.indicators)
    all_values = values_table(sc, data_catalogue, values, countries)
    unknown = used - set(data_catalogue.indicators["indicator"])
    shared = all_values[all_values["indicator"].isin(allowed | unknown)]
    note = redistribution_note(blocked[blocked["indicator"].isin(used)])
    from present.citation import for_scorecard, plain

    citation = plain(for_scorecard(sc, data_catalogue, _("Scorecard workbook")))
    sheets = {
        "README": readme_table(sc, data_catalogue, note, countries, citation),
        "scores": scores_table(sc, data_catalogue, countries),
        "values": shared,
        "method": method_table(sc.method),
        "weights": weights_table(sc, data_catalogue),
        "sources": sources_table(data_catalogue, sc.prepared.indicators),
    }
    return excel_bytes({_(name): translated_headers(frame) for name, frame in sheets.items()})
