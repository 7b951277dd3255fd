"""Indicators and sources: what each indicator measures and where it comes from, its values and
coverage, the tables by dimension, and the methodology and source list rendered from the catalogue."""

from datetime import date

import pandas as pd
import streamlit as st

from i18n import N_, _, ngettext
from indicators.catalogue import data_dir, read_table
from indicators.changes import latest_changes
from indicators.vintage import load_vintage, stale_indicators
from present import charts
from present.errors import said
from present.provenance import (
    country_table,
    coverage_line,
    coverage_matrix,
    indicator_facts,
    latest_by_country,
    methodology,
    plain_number,
    sources_table,
    values_in_years,
    vintage_facts,
    vintage_table,
    years_label,
)
from present.tables import (
    MISSING,
    coverage_by_indicator,
    grid,
    latest_values_table,
    method_summary,
)
from views import chart_alternative, state
from views.data import SHIPPED, dataset_or_stop, scorecard
from views.text import md

#: The catalogue columns listed under each dimension, as shown.
MEMBER_COLUMNS = {
    "name": N_("Name"),
    "unit": N_("Unit"),
    "direction": N_("Direction"),
    "weight": N_("Weight"),
    "publisher": N_("Publisher"),
}

#: The columns of the build's skipped.csv, as shown.
SKIPPED_COLUMNS = {
    "loader": N_("loader"),
    "file": N_("file"),
    "row": N_("row"),
    "reason": N_("reason"),
}

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
    _(
        "Everything here is rendered from the catalogue and the data in use ({years}, as the "
        "sidebar sets it). Missing values are shown as missing: nothing is filled in."
    ).format(years=years_label(method))
)

age_column, _rest = st.columns([1, 3])
max_age = age_column.number_input(
    _("Flag data older than (years)"),
    min_value=0,
    max_value=50,
    value=3,
    step=1,
    key="sources_stale_years",
    help=_("An indicator is stale when its latest value, or the retrieval of its files, is older."),
)
vintage = vintage_table(
    stale_indicators(load_vintage(refresh_dir, catalogue), data.values, date.today(), max_age),
    indicators["name"].to_dict(),
)

indicator_tab, tables_tab, coverage_tab, method_tab = st.tabs(
    [_("Indicator"), _("Tables by dimension"), _("Coverage"), _("Methodology and sources")]
)

# ---- one indicator: definition, source, distribution, map, countries
with indicator_tab:
    indicator = st.selectbox(
        _("Indicator (grouped by dimension)"),
        indicators.index.tolist(),
        format_func=lambda i: (
            f"{dimension_names.get(indicators.at[i, 'dimension'], '')} · {indicators.at[i, 'name']}"
        ),
        key="sources_indicator",
    )
    row = indicators.loc[indicator]
    latest = latest_by_country(data.values, indicator, method)
    countries_line, years_line = coverage_line(latest, country_count)
    unit = row["unit"] or _("value")
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
            ).rename(columns=_),
            hide_index=True,
            key="sources_facts",
        )
    with about:
        st.markdown(_("**What it stands for.** {text}").format(text=md(row["proxy_for"])))
        st.markdown(_("**Known limits.** {text}").format(text=md(row["limits"])))
        link = f"[{row['url']}]({row['url']})" if row["url"] else _("no link")
        st.markdown(
            _("**Source.** {publisher}: *{title}*, {edition}. Licence: {licence}. {link}.").format(
                publisher=md(row["publisher"]),
                title=md(row["title"]),
                edition=md(row["edition"]),
                licence=md(row["licence"]),
                link=link,
            )
        )
        st.markdown(
            _("**In data downloads:** yes.")
            if row["redistributable"]
            else _(
                "**In data downloads:** no: the licence does not allow redistribution, so "
                "charts show these values but exports leave them out."
            )
        )
    countries_metric, years_metric = st.columns(2)
    countries_metric.metric(_("Countries with a value"), countries_line)
    years_metric.metric(_("Years of the values shown"), years_line)

    if latest.empty:
        st.info(
            _(
                "No country has a value for {indicator} in the years the scoring reads "
                "({years}). Move 'Data up to year' in the sidebar to see more."
            ).format(indicator=row["name"], years=years_label(method))
        )
    else:
        series = latest.set_index("iso3")["value"]
        chosen = state.country()
        chosen_name = names.get(chosen, chosen)
        highlight = {chosen_name: series[chosen]} if chosen in series.index else {}
        chart_alternative.show(
            charts.histogram(
                series,
                _("Distribution: {indicator}").format(indicator=row["name"]),
                unit,
                source_line,
                highlight=highlight,
            ),
            theme=None,
            key="sources_histogram",
        )
        if not highlight:
            st.caption(_("{country}: no data for this indicator.").format(country=md(chosen_name)))
        chart_alternative.show(
            charts.world_map(
                series,
                names,
                f"{row['name']}, {years_label(method)}",
                source_line,
                _("Grey: no data."),
                colorbar_title=unit,
            ),
            theme=None,
            config={"topojsonURL": "/app/static/topojson/"},
            key="sources_map",
        )
        st.dataframe(
            **grid(
                country_table(latest, names, int(row["direction"])).rename(columns=_),
                {_("Value"): st.column_config.NumberColumn(format="%g")},
            ),
            hide_index=True,
            height=420,
            key="sources_country_table",
        )

# ---- the tables by dimension (formerly their own page)
with tables_tab:
    st.caption(
        _(
            "Per country, each indicator's latest value in the years the scoring reads, with "
            "its year. Empty cells are missing data."
        )
    )
    dimension = st.selectbox(
        _("Dimension"),
        list(dimension_names),
        format_func=dimension_names.get,
        key="sources_dimension",
    )
    members = indicators[indicators["dimension"] == dimension]
    table = latest_values_table(readable, members, data.countries)
    st.markdown(md(catalogue.dimensions.set_index("dimension").at[dimension, "description"]))
    covered = table.drop(columns=["iso3", "Country", "Region"]).notna().any(axis=1).sum()
    st.metric(
        _("Countries with at least one value"),
        _("{count} of {total}").format(count=covered, total=len(table)),
    )
    st.dataframe(
        table.rename(columns=_),
        hide_index=True,
        height=420,
        placeholder=MISSING,
        key="sources_dimension_table",
    )
    st.markdown("**{}**".format(_("Coverage and sources")))
    st.dataframe(
        **grid(
            coverage_by_indicator(readable, members).rename(columns=_),
            {_("Source"): st.column_config.LinkColumn(display_text=r"https?://(?:www\.)?([^/]+)")},
        ),
        hide_index=True,
        key="sources_dimension_coverage",
    )

# ---- coverage heatmap
with coverage_tab:
    order = st.radio(
        _("Sort countries and indicators"),
        ["coverage", "name"],
        format_func=lambda order: {
            "coverage": _("Best covered first"),
            "name": _("Alphabetically"),
        }[order],
        horizontal=True,
        key="sources_coverage_order",
    )
    present = coverage_matrix(readable, catalogue.indicators, data.countries, order)
    with_any = int(present.any(axis=1).sum())
    st.caption(
        ngettext(
            "{count} of {total} country has at least one value ({years}). Each column is a "
            "country: hover for its name.",
            "{count} of {total} countries have at least one value ({years}). Each column is a "
            "country: hover for its name.",
            len(present),
        ).format(count=with_any, total=len(present), years=years_label(method))
    )
    chart_alternative.show(
        charts.coverage_grid(
            present,
            _("Which countries have a value for which indicator"),
            catalogue.sources_line(),
        ),
        theme=None,
        key="sources_coverage_heatmap",
    )

# ---- methodology and sources, rendered from the catalogue and the current Method
with method_tab:
    st.subheader(_("Method in use"))
    try:
        sc = scorecard(data)
        st.caption(method_summary(sc, dimension_names))
    except ValueError as error:
        st.warning(
            _("These settings cannot be scored: {problem}.").format(
                problem=said(error, data.id_names)
            )
        )
    st.markdown(
        "\n".join(f"- **{step}.** {rule}" for step, rule in methodology(method, dimension_names))
    )

    st.subheader(_("Dimensions and their indicators"))
    for item in catalogue.dimensions.itertuples():
        own = indicators[indicators["dimension"] == item.dimension]
        st.markdown(
            _("**{name}** (default weight {weight}). {description}").format(
                name=md(item.name),
                weight=plain_number(item.weight),
                description=md(item.description),
            )
        )
        st.dataframe(
            own[["name", "unit", "direction", "weight", "publisher"]].rename(
                columns=lambda column: _(MEMBER_COLUMNS[column])
            ),
            hide_index=True,
            key=f"sources_members_{item.dimension}",
        )

    st.subheader(_("Sources and licences"))
    source_list = sources_table(catalogue.table("sources"), catalogue.indicators).rename(columns=_)
    st.dataframe(
        **grid(
            source_list,
            {
                _("Licence"): st.column_config.TextColumn(width="large"),
                _("Indicators"): st.column_config.TextColumn(width="large"),
                _("Link"): st.column_config.LinkColumn(display_text=r"https?://(?:www\.)?([^/]+)"),
            },
        ),
        hide_index=True,
        height=35 * (len(source_list) + 1) + 3,  # every source without scrolling
        key="sources_table",
    )
    if data.token == SHIPPED:
        skipped = read_table(refresh_dir / "skipped.csv")
        skipped_label = ngettext(
            "What the build skipped: {n} source row, with the reason",
            "What the build skipped: {n} source rows, with the reason",
            len(skipped),
        ).format(n=len(skipped))
        with st.expander(skipped_label):
            st.dataframe(
                skipped.rename(columns=lambda c: _(SKIPPED_COLUMNS.get(c, c))),
                hide_index=True,
                placeholder=MISSING,
                key="sources_skipped",
            )
    else:
        st.caption(
            _(
                "You are using uploaded data: the list of rows the shipped build skipped does "
                "not apply."
            )
        )

    st.subheader(_("Data vintage"))
    stale_count = int((vintage["Status"] == _("stale")).sum())
    st.caption(
        ngettext(
            "Per indicator: the edition of its source, when its files were retrieved ('unknown' "
            "when not recorded) and the latest year with a value. {stale} of {total} indicator "
            "are stale: their latest value, or the retrieval of their files, is more than {age} "
            "years old (set 'Flag data older than (years)' above).",
            "Per indicator: the edition of its source, when its files were retrieved ('unknown' "
            "when not recorded) and the latest year with a value. {stale} of {total} indicators "
            "are stale: their latest value, or the retrieval of their files, is more than {age} "
            "years old (set 'Flag data older than (years)' above).",
            len(vintage),
        ).format(stale=stale_count, total=len(vintage), age=plain_number(max_age))
    )
    st.dataframe(vintage.rename(columns=_), hide_index=True, key="sources_vintage")
    if data.token != SHIPPED:
        st.caption(
            _(
                "You are using uploaded data: editions and retrieval dates are those of the "
                "shipped data; the latest years are those of your data."
            )
        )

    st.subheader(_("What changed in the last update"))
    changes = latest_changes(refresh_dir)
    if changes is None:
        st.info(_("No update has been applied since the data were built."))
        st.markdown(_("To update the data from publisher files you downloaded, then undo it:"))
        st.code(
            "uv run scorecard update-data --from-dir DIR\nuv run scorecard rollback-data",
            language="bash",
        )
    else:
        st.caption(
            _("Report of the update applied {when} (changes/{stamp}.*).").format(
                when=changes.when, stamp=changes.stamp
            )
        )
        kinds = {"added": _("Values added"), "removed": _("Values removed")}
        kinds["revised"] = _("Values revised")
        for column, (kind, label) in zip(st.columns(3), kinds.items(), strict=True):
            column.metric(label, changes.count(kind))
        st.markdown(
            "**{}**".format(_("Values added, removed and revised, per indicator and country"))
        )
        st.dataframe(changes.values, hide_index=True, key="sources_changes_values")
        st.markdown("**{}**".format(_("Coverage per indicator, before and after")))
        st.dataframe(changes.coverage, hide_index=True, key="sources_changes_coverage")
        st.markdown("**{}**".format(_("Ranks before and after (rank_change > 0: moved up)")))
        st.dataframe(changes.ranks, hide_index=True, key="sources_changes_ranks")
        for number, path in enumerate(changes.paths):
            st.download_button(
                _("Download {file}").format(file=path.name),
                path.read_bytes(),
                file_name=path.name,
                mime="text/markdown" if path.suffix == ".md" else "text/csv",
                key=f"sources_changes_download_{number}",
            )
