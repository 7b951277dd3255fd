"""Validity: how far to trust the ranking. External: does it agree with published soft-power
indices? Internal: do the indicators of each dimension hang together, and does each weigh what
its weight says? Face: do the top and bottom countries make sense, and what does each score rest
on? Everything follows the sidebar."""

import streamlit as st

from present import charts
from present.tables import MISSING, method_summary
from present.validity import (
    RELIABLE_ALPHA,
    alpha_table,
    external_table,
    face_display,
    indicator_table,
    internal_sentence,
    outlier_sentence,
    scatter_editions,
    thin_support,
    weights_table,
)
from scoring.schemas import ContractError
from scoring.validity import (
    MIN_COUNTRIES,
    face_validity,
    internal_validity,
    published_comparison,
    rank_outliers,
    weight_comparison,
)
from views import export_panel
from views.data import (
    VALIDITY_DRAWS,
    dataset_or_stop,
    external_validity,
    published_indices,
    published_path,
    scorecard_or_stop,
)
from views.text import md

FACE_COUNT = 15
OUTLIERS = 5

data = dataset_or_stop()
sc = scorecard_or_stop(data)
names = data.names
country_names = names.to_dict()
dimension_names = data.dimension_names
framework = data.catalogue.framework()
indicator_names = data.catalogue.indicator_names()
subtitle = method_summary(sc, dimension_names)
sources = data.catalogue.sources_line()

st.caption(subtitle)
external_tab, internal_tab, face_tab = st.tabs(
    ["External", "Internal", "Face"], key="validity_tab", on_change="rerun"
)

# ---- external: agreement with published indices
if external_tab.open:
    with external_tab:
        st.markdown(
            "**Does our ranking agree with published soft-power indices?** For each published "
            "edition, the Spearman rank correlation between our score and the published one over "
            "the countries both cover (1: the same order, 0: no relation, negative: opposite "
            "orders)."
        )
        try:
            published = published_indices()
        except ContractError as error:
            published = None
            st.warning(
                f"The published index table `{published_path()}` failed its checks "
                f"({md(error)}); the external comparison is left out. Restore it with "
                "`git checkout data/` or rebuild the data."
            )
            st.dataframe(error.failures.astype(str), hide_index=True, key="validity_failures")
        except (OSError, ValueError) as error:
            published = None
            st.warning(
                f"The published index table `{published_path()}` could not be read "
                f"({md(error)}); the external comparison is left out."
            )
        if published is not None and published.empty:
            st.info(
                f"No published index table in this deployment (`{published_path()}` is "
                "missing), so there is nothing to compare the ranking with. The Internal and "
                "Face tabs still work."
            )
        elif published is not None:
            external = external_validity(data)
            st.dataframe(
                external_table(external),
                hide_index=True,
                placeholder=MISSING,
                key="validity_external",
                column_config={
                    "Edition": st.column_config.NumberColumn(format="%d"),
                    "Spearman": st.column_config.NumberColumn(format="%.2f"),
                    "Interval low": st.column_config.NumberColumn(format="%.2f"),
                    "Interval high": st.column_config.NumberColumn(format="%.2f"),
                },
            )
            st.caption(
                f"Interval: 90 % percentile bootstrap ({VALIDITY_DRAWS:,} resamples of the "
                "countries in common). Compared with the published score where the edition "
                "prints one for every country in common, else with its rank. Fewer than "
                f"{MIN_COUNTRIES} countries in common: no correlation. Many published lists "
                "cover only their top places, so a low correlation there can mean little; "
                "Lowy and Elcano measure power and presence more than soft power."
            )
            editions = scatter_editions(external)
            if not editions:
                st.info(
                    f"No published edition has {MIN_COUNTRIES} or more scored countries in "
                    "common with these data, so there is no scatter to draw."
                )
            else:
                index, edition = st.selectbox(
                    "Published index edition to plot",
                    editions,
                    format_func=lambda pair: f"{pair[0]} {pair[1]}",
                    key="validity_edition",
                )
                comparison = published_comparison(sc.results, published, index, edition)
                outliers = rank_outliers(
                    sc.results, published, index, edition, "overall", top=OUTLIERS
                )
                row = external[
                    (external["index"] == index)
                    & (external["edition"] == edition)
                    & (external["measure"] == "overall")
                ].iloc[0]
                edition_rows = published[
                    (published["index"] == index) & (published["edition"] == edition)
                ]
                pages = list(dict.fromkeys(" ; ".join(edition_rows["source_url"]).split(" ; ")))
                shown_pages = "; ".join(pages[:2]) + (
                    f" and {len(pages) - 2} more pages" if len(pages) > 2 else ""
                )
                fig = charts.validity_scatter(
                    comparison,
                    names,
                    f"{index} {edition}",
                    labelled=outliers.index,
                    sources=f"{sources}. Published figures: {index} {edition}, {shown_pages}",
                    subtitle=subtitle,
                    spearman=float(row["spearman"]),
                )
                st.plotly_chart(
                    fig,
                    theme=None,
                    config=export_panel.plot_config("validity_scatter"),
                    key="validity_scatter",
                )
                export_panel.chart_downloads(fig, "validity_scatter", data)
                st.caption(md(outlier_sentence(outliers, country_names, len(comparison))))

# ---- internal: consistency within dimensions, weights against importance
if internal_tab.open:
    with internal_tab:
        st.markdown(
            "**Do the indicators of each dimension measure one thing, and does each count as "
            "much as its weight says?**"
        )
        internal = internal_validity(sc)
        st.markdown(md(internal_sentence(internal, dimension_names)))
        st.dataframe(
            alpha_table(internal, dimension_names, indicator_names),
            hide_index=True,
            height="content",
            key="validity_alpha",
            column_config={
                "Cronbach's alpha": st.column_config.NumberColumn(format="%.2f"),
                "Flagged indicators": st.column_config.TextColumn(width="large"),
            },
        )
        st.caption(
            "Cronbach's alpha over the countries with every counted indicator of the dimension "
            f"(normalised values): {RELIABLE_ALPHA} or more means the indicators measure one "
            "thing together; near 0 or negative, they measure different things."
        )
        flagged = indicator_table(internal, dimension_names, indicator_names)
        st.markdown("**Each indicator against its dimension score** (flagged rows highlighted)")
        st.dataframe(
            flagged.style.apply(
                lambda row: ["background-color: #FCE3CF" if row["Flag"] else "" for _ in row],
                axis=1,
            ),
            hide_index=True,
            height="content",
            key="validity_indicators",
            column_config={
                "Correlation with its dimension": st.column_config.NumberColumn(format="%.2f"),
                "Flag": st.column_config.TextColumn(width="large"),
            },
        )
        st.caption(
            "Pearson r between the indicator and its own dimension score, over the countries "
            "with a value. Flags: r below 0 (the indicator pulls against its dimension), or "
            "|r| above 0.92 with another indicator of the same dimension (the two say the same "
            "thing, so that thing counts twice)."
        )

        st.subheader("Nominal weights and effective importance")
        weights = weights_table(weight_comparison(sc), indicator_names, dimension_names)
        st.caption(
            "Nominal weight: the indicator's share of the overall score as set (its weight within "
            "the dimension times the dimension's weight). Effective importance: its squared "
            "correlation with the overall score, as a share of the total over the indicators: "
            "what actually drives the ranking. A ratio far above 1 means the indicator counts "
            "more than its weight says; far below 1, less."
        )
        chart_tab, table_tab = st.tabs(["Chart", "Table"])
        with chart_tab:
            fig = charts.grouped_hbars(
                weights[["Nominal weight", "Effective importance"]],
                "Nominal weight and effective importance per indicator",
                "Share of the overall score",
                sources=sources,
                subtitle=subtitle,
                percent=True,
            )
            st.plotly_chart(
                fig,
                theme=None,
                config=export_panel.plot_config("validity_weights"),
                key="validity_weights",
            )
            export_panel.chart_downloads(fig, "validity_weights", data)
        with table_tab:
            share = st.column_config.NumberColumn(format="percent")
            st.dataframe(
                weights,
                key="validity_weights_table",
                column_config={
                    "Nominal weight": share,
                    "Effective importance": share,
                    "Importance / weight": st.column_config.NumberColumn(format="%.2f"),
                },
            )

# ---- face: the top and the bottom, and what each rests on
if face_tab.open:
    with face_tab:
        st.markdown(
            "**Do the top and the bottom of the ranking make sense?** The first and last "
            f"{FACE_COUNT} countries with the number of weighted indicators and dimensions their "
            "score rests on (values in the data; imputed ones are not counted), the indicators "
            "each has no value for and those it rests on."
        )
        face = face_validity(sc, country_names, FACE_COUNT, indicator_names=indicator_names)
        warning = thin_support(face)
        if warning:
            st.warning(md(warning))
        else:
            st.caption(
                "Each of these countries rests on at least half of the weighted indicators "
                "(the coverage rule asks as much of every scored country)."
            )
        for end, heading in [("top", "Top"), ("bottom", "Bottom")]:
            rows = face[face["end"] == end]
            if rows.empty:
                continue
            st.markdown(f"**{heading} {len(rows)}**")
            st.dataframe(
                face_display(rows),
                hide_index=True,
                key=f"validity_face_{end}",
                height="content",
                column_config={
                    "Score": st.column_config.NumberColumn(format="%.1f"),
                    "No value for": st.column_config.TextColumn(width="large"),
                    "Rests on": st.column_config.TextColumn(width="large"),
                },
            )
