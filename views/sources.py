"""Indicators and sources: what each indicator measures and where it comes from, its values and
coverage, the tables by dimension, and the methodology and source list rendered from the catalogue."""

from datetime import date

import pandas as pd
import streamlit as st

from indicators.catalogue import data_dir, read_table
from indicators.changes import latest_changes
from indicators.vintage import load_vintage, stale_indicators
from present import charts
from present.provenance import (
    country_table,
    coverage_line,
    coverage_matrix,
    indicator_facts,
    latest_by_country,
    methodology,
    sources_table,
    values_in_years,
    vintage_facts,
    vintage_table,
    years_label,
)
from present.tables import MISSING, coverage_by_indicator, latest_values_table, method_summary
from views import state
from views.data import SHIPPED, dataset_or_stop, scorecard
from views.text import md

data = dataset_or_stop()
catalogue = data.catalogue
indicators = catalogue.with_sources().set_index("indicator", drop=False)
dimension_names = data.dimension_names
names = data.names
method = state.method()
readable = values_in_years(data.values, method)
country_count = len(data.countries)
refresh_dir = data_dir()  # where update-data keeps vintage.csv and changes/

st.caption(
    f"Everything here is rendered from the catalogue and the data in use ({years_label(method)}, "
    "as the sidebar sets it). Missing values are shown as missing: nothing is filled in."
)

age_column, _ = st.columns([1, 3])
max_age = age_column.number_input(
    "Flag data older than (years)",
    min_value=0,
    max_value=50,
    value=3,
    step=1,
    key="sources_stale_years",
    help="An indicator is stale when its latest value, or the retrieval of its files, is older.",
)
vintage = vintage_table(
    stale_indicators(load_vintage(refresh_dir, catalogue), data.values, date.today(), max_age),
    indicators["name"].to_dict(),
)

indicator_tab, tables_tab, coverage_tab, method_tab = st.tabs(
    ["Indicator", "Tables by dimension", "Coverage", "Methodology and sources"]
)

# ---- one indicator: definition, source, distribution, map, countries
with indicator_tab:
    indicator = st.selectbox(
        "Indicator (grouped by dimension)",
        indicators.index.tolist(),
        format_func=lambda i: (
            f"{dimension_names.get(indicators.at[i, 'dimension'], '')} · {indicators.at[i, 'name']}"
        ),
        key="sources_indicator",
    )
    row = indicators.loc[indicator]
    latest = latest_by_country(data.values, indicator, method)
    countries_line, years_line = coverage_line(latest, country_count)
    unit = row["unit"] or "value"
    source_line = catalogue.sources_line([indicator])

    st.subheader(md(row["name"]))
    st.markdown(md(row["description"]))
    facts, about = st.columns([2, 3])
    with facts:
        st.dataframe(
            pd.concat(
                [
                    indicator_facts(row, dimension_names.get(row["dimension"], "")),
                    vintage_facts(vintage.loc[indicator]),
                ],
                ignore_index=True,
            ),
            hide_index=True,
            key="sources_facts",
        )
    with about:
        st.markdown(f"**What it stands for.** {md(row['proxy_for'])}")
        st.markdown(f"**Known limits.** {md(row['limits'])}")
        link = f"[{row['url']}]({row['url']})" if row["url"] else "no link"
        st.markdown(
            f"**Source.** {md(row['publisher'])}: *{md(row['title'])}*, {md(row['edition'])}. "
            f"Licence: {md(row['licence'])}. {link}."
        )
        st.markdown(
            "**In data downloads:** "
            + (
                "yes."
                if row["redistributable"]
                else "no: the licence does not allow redistribution, so charts show these values "
                "but exports leave them out."
            )
        )
    countries_metric, years_metric = st.columns(2)
    countries_metric.metric("Countries with a value", countries_line)
    years_metric.metric("Years of the values shown", years_line)

    if latest.empty:
        st.info(
            f"No country has a value for {row['name']} in the years the scoring reads "
            f"({years_label(method)}). Move 'Data up to year' in the sidebar to see more."
        )
    else:
        series = latest.set_index("iso3")["value"]
        chosen = state.country()
        chosen_name = names.get(chosen, chosen)
        highlight = {chosen_name: series[chosen]} if chosen in series.index else {}
        st.plotly_chart(
            charts.histogram(
                series, f"Distribution: {row['name']}", unit, source_line, highlight=highlight
            ),
            theme=None,
            key="sources_histogram",
        )
        if not highlight:
            st.caption(f"{md(chosen_name)}: no data for this indicator.")
        st.plotly_chart(
            charts.world_map(
                series,
                names,
                f"{row['name']}, {years_label(method)}",
                source_line,
                "Grey: no data.",
                colorbar_title=unit,
            ),
            theme=None,
            config={"topojsonURL": "/app/static/topojson/"},
            key="sources_map",
        )
        st.dataframe(
            country_table(latest, names, int(row["direction"])),
            hide_index=True,
            height=420,
            key="sources_country_table",
            column_config={"Value": st.column_config.NumberColumn(format="%g")},
        )

# ---- the tables by dimension (formerly their own page)
with tables_tab:
    st.caption(
        "Per country, each indicator's latest value in the years the scoring reads, with its "
        "year. Empty cells are missing data."
    )
    dimension = st.selectbox(
        "Dimension",
        list(dimension_names),
        format_func=dimension_names.get,
        key="sources_dimension",
    )
    members = indicators[indicators["dimension"] == dimension]
    table = latest_values_table(readable, members, data.countries)
    st.markdown(md(catalogue.dimensions.set_index("dimension").at[dimension, "description"]))
    covered = table.drop(columns=["iso3", "Country", "Region"]).notna().any(axis=1).sum()
    st.metric("Countries with at least one value", f"{covered} of {len(table)}")
    st.dataframe(
        table, hide_index=True, height=420, placeholder=MISSING, key="sources_dimension_table"
    )
    st.markdown("**Coverage and sources**")
    st.dataframe(
        coverage_by_indicator(readable, members),
        hide_index=True,
        column_config={
            "Source": st.column_config.LinkColumn(display_text=r"https?://(?:www\.)?([^/]+)")
        },
        key="sources_dimension_coverage",
    )

# ---- coverage heatmap
with coverage_tab:
    order = st.radio(
        "Sort countries and indicators",
        ["coverage", "name"],
        format_func={"coverage": "Best covered first", "name": "Alphabetically"}.get,
        horizontal=True,
        key="sources_coverage_order",
    )
    present = coverage_matrix(readable, catalogue.indicators, data.countries, order)
    with_any = int(present.any(axis=1).sum())
    st.caption(
        f"{with_any} of {len(present)} countries have at least one value "
        f"({years_label(method)}). Each column is a country: hover for its name."
    )
    st.plotly_chart(
        charts.coverage_grid(
            present,
            "Which countries have a value for which indicator",
            catalogue.sources_line(),
        ),
        theme=None,
        key="sources_coverage_heatmap",
    )

# ---- methodology and sources, rendered from the catalogue and the current Method
with method_tab:
    st.subheader("Method in use")
    try:
        sc = scorecard(data)
        st.caption(method_summary(sc, dimension_names))
    except ValueError as error:
        st.warning(f"These settings cannot be scored: {error}.")
    st.markdown(
        "\n".join(f"- **{step}.** {rule}" for step, rule in methodology(method, dimension_names))
    )

    st.subheader("Dimensions and their indicators")
    for item in catalogue.dimensions.itertuples():
        own = indicators[indicators["dimension"] == item.dimension]
        st.markdown(f"**{md(item.name)}** (default weight {item.weight:g}). {md(item.description)}")
        st.dataframe(
            own[["name", "unit", "direction", "weight", "publisher"]].rename(
                columns=str.capitalize
            ),
            hide_index=True,
            key=f"sources_members_{item.dimension}",
        )

    st.subheader("Sources and licences")
    source_list = sources_table(catalogue.sources, catalogue.indicators)
    st.dataframe(
        source_list,
        hide_index=True,
        height=35 * (len(source_list) + 1) + 3,  # every source without scrolling
        key="sources_table",
        column_config={
            "Licence": st.column_config.TextColumn(width="large"),
            "Indicators": st.column_config.TextColumn(width="large"),
            "Link": st.column_config.LinkColumn(display_text=r"https?://(?:www\.)?([^/]+)"),
        },
    )
    if data.token == SHIPPED:
        skipped = read_table(refresh_dir / "skipped.csv")
        with st.expander(f"What the build skipped: {len(skipped)} source rows, with the reason"):
            st.dataframe(skipped, hide_index=True, placeholder=MISSING, key="sources_skipped")
    else:
        st.caption(
            "You are using uploaded data: the list of rows the shipped build skipped does not apply."
        )

    st.subheader("Data vintage")
    stale_count = int((vintage["Status"] == "stale").sum())
    st.caption(
        f"Per indicator: the edition of its source, when its files were retrieved ('unknown' when "
        f"not recorded) and the latest year with a value. {stale_count} of {len(vintage)} "
        f"indicators are stale: their latest value, or the retrieval of their files, is more than "
        f"{max_age:g} years old (set 'Flag data older than (years)' above)."
    )
    st.dataframe(vintage, hide_index=True, key="sources_vintage")
    if data.token != SHIPPED:
        st.caption(
            "You are using uploaded data: editions and retrieval dates are those of the shipped "
            "data; the latest years are those of your data."
        )

    st.subheader("What changed in the last update")
    changes = latest_changes(refresh_dir)
    if changes is None:
        st.info("No update has been applied since the data were built.")
        st.markdown("To update the data from publisher files you downloaded, then undo it:")
        st.code(
            "uv run scorecard update-data --from-dir DIR\nuv run scorecard rollback-data",
            language="bash",
        )
    else:
        st.caption(f"Report of the update applied {changes.when} (changes/{changes.stamp}.*).")
        for column, kind in zip(st.columns(3), ("added", "removed", "revised"), strict=True):
            column.metric(f"Values {kind}", changes.count(kind))
        st.markdown("**Values added, removed and revised, per indicator and country**")
        st.dataframe(changes.values, hide_index=True, key="sources_changes_values")
        st.markdown("**Coverage per indicator, before and after**")
        st.dataframe(changes.coverage, hide_index=True, key="sources_changes_coverage")
        st.markdown("**Ranks before and after (rank_change > 0: moved up)**")
        st.dataframe(changes.ranks, hide_index=True, key="sources_changes_ranks")
        for number, path in enumerate(changes.paths):
            st.download_button(
                f"Download {path.name}",
                path.read_bytes(),
                file_name=path.name,
                mime="text/markdown" if path.suffix == ".md" else "text/csv",
                key=f"sources_changes_download_{number}",
            )
