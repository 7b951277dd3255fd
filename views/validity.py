"""Validity: how far to trust the ranking. External: does it agree with published soft-power
indices? Internal: do the indicators of each dimension hang together, and does each weigh what
its weight says? Face: do the top and bottom countries make sense, and what does each score rest
on? Everything follows the sidebar."""

import streamlit as st

from i18n import _, ngettext, number, percent
from present import charts
from present.tables import MISSING, grid, method_summary
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
    [_("External"), _("Internal"), _("Face")], key="validity_tab", on_change="rerun"
)

# ---- external: agreement with published indices
if external_tab.open:
    with external_tab:
        st.markdown(
            _(
                "**Does our ranking agree with published soft-power indices?** For each "
                "published edition, the Spearman rank correlation between our score and the "
                "published one over the countries both cover (1: the same order, 0: no "
                "relation, negative: opposite orders)."
            )
        )
        try:
            published = published_indices()
        except ContractError as error:
            published = None
            st.warning(
                _(
                    "The published index table `{path}` failed its checks ({error}); the "
                    "external comparison is left out. Restore it with `git checkout data/` or "
                    "rebuild the data."
                ).format(path=published_path(), error=md(error))
            )
            st.dataframe(error.failures.astype(str), hide_index=True, key="validity_failures")
        except (OSError, ValueError) as error:
            published = None
            st.warning(
                _(
                    "The published index table `{path}` could not be read ({error}); the "
                    "external comparison is left out."
                ).format(path=published_path(), error=md(error))
            )
        if published is not None and published.empty:
            st.info(
                _(
                    "No published index table in this deployment (`{path}` is missing), so "
                    "there is nothing to compare the ranking with. The Internal and Face tabs "
                    "still work."
                ).format(path=published_path())
            )
        elif published is not None:
            external = external_validity(data)
            st.dataframe(
                **grid(
                    external_table(external).rename(columns=_),
                    {
                        _("Edition"): st.column_config.NumberColumn(format="%d"),
                        _("Spearman"): st.column_config.NumberColumn(format="%.2f"),
                        _("Interval low"): st.column_config.NumberColumn(format="%.2f"),
                        _("Interval high"): st.column_config.NumberColumn(format="%.2f"),
                    },
                    MISSING,
                ),
                hide_index=True,
                placeholder=MISSING,
                key="validity_external",
            )
            st.caption(
                _(
                    "Interval: {level} percentile bootstrap ({draws} resamples of the countries "
                    "in common). Compared with the published score where the edition prints one "
                    "for every country in common, else with its rank. Fewer than {minimum} "
                    "countries in common: no correlation. Many published lists cover only their "
                    "top places, so a low correlation there can mean little; Lowy and Elcano "
                    "measure power and presence more than soft power."
                ).format(level=percent(0.9), draws=number(VALIDITY_DRAWS, 0), minimum=MIN_COUNTRIES)
            )
            editions = scatter_editions(external)
            if not editions:
                st.info(
                    _(
                        "No published edition has {minimum} or more scored countries in common "
                        "with these data, so there is no scatter to draw."
                    ).format(minimum=MIN_COUNTRIES)
                )
            else:
                index, edition = st.selectbox(
                    _("Published index edition to plot"),
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
                shown_pages = "; ".join(pages[:2])
                if len(pages) > 2:
                    shown_pages = ngettext(
                        "{pages} and {n} more page", "{pages} and {n} more pages", len(pages) - 2
                    ).format(pages=shown_pages, n=len(pages) - 2)
                fig = charts.validity_scatter(
                    comparison,
                    names,
                    f"{index} {edition}",
                    labelled=outliers.index,
                    sources=_("{sources}. Published figures: {edition}, {pages}").format(
                        sources=sources, edition=f"{index} {edition}", pages=shown_pages
                    ),
                    subtitle=subtitle,
                    spearman=float(row["spearman"]),
                )
                export_panel.chart(fig, "validity_scatter", data)
                st.caption(md(outlier_sentence(outliers, country_names, len(comparison))))

# ---- internal: consistency within dimensions, weights against importance
if internal_tab.open:
    with internal_tab:
        st.markdown(
            "**{}**".format(
                _(
                    "Do the indicators of each dimension measure one thing, and does each count "
                    "as much as its weight says?"
                )
            )
        )
        internal = internal_validity(sc)
        st.markdown(md(internal_sentence(internal, dimension_names)))
        st.dataframe(
            **grid(
                alpha_table(internal, dimension_names, indicator_names).rename(columns=_),
                {
                    _("Cronbach's alpha"): st.column_config.NumberColumn(format="%.2f"),
                    _("Flagged indicators"): st.column_config.TextColumn(width="large"),
                },
            ),
            hide_index=True,
            height="content",
            key="validity_alpha",
        )
        st.caption(
            _(
                "Cronbach's alpha over the countries with every counted indicator of the "
                "dimension (normalised values): {alpha} or more means the indicators measure "
                "one thing together; near 0 or negative, they measure different things."
            ).format(alpha=number(RELIABLE_ALPHA, 1))
        )
        flagged = indicator_table(internal, dimension_names, indicator_names).rename(columns=_)
        flag = _("Flag")
        st.markdown(_("**Each indicator against its dimension score** (flagged rows highlighted)"))
        st.dataframe(
            **grid(
                flagged.style.apply(
                    lambda row: ["background-color: #FCE3CF" if row[flag] else "" for _cell in row],
                    axis=1,
                ),
                {
                    _("Correlation with its dimension"): st.column_config.NumberColumn(
                        format="%.2f"
                    ),
                    flag: st.column_config.TextColumn(width="large"),
                },
            ),
            hide_index=True,
            height="content",
            key="validity_indicators",
        )
        st.caption(
            _(
                "Pearson r between the indicator and its own dimension score, over the "
                "countries with a value. Flags: r below 0 (the indicator pulls against its "
                "dimension), or |r| above 0.92 with another indicator of the same dimension "
                "(the two say the same thing, so that thing counts twice)."
            )
        )

        st.subheader(_("Nominal weights and effective importance"))
        weights = weights_table(weight_comparison(sc), indicator_names, dimension_names)
        weights = weights.rename(columns=_).rename_axis(index=_(weights.index.name))
        st.caption(
            _(
                "Nominal weight: the indicator's share of the overall score as set (its weight "
                "within the dimension times the dimension's weight). Effective importance: its "
                "squared correlation with the overall score, as a share of the total over the "
                "indicators: what actually drives the ranking. A ratio far above 1 means the "
                "indicator counts more than its weight says; far below 1, less."
            )
        )
        chart_tab, table_tab = st.tabs([_("Chart"), _("Table")])
        with chart_tab:
            fig = charts.grouped_hbars(
                weights[[_("Nominal weight"), _("Effective importance")]],
                _("Nominal weight and effective importance per indicator"),
                _("Share of the overall score"),
                sources=sources,
                subtitle=subtitle,
                percent=True,
            )
            export_panel.chart(fig, "validity_weights", data)
        with table_tab:
            share = st.column_config.NumberColumn(format="percent")
            st.dataframe(
                **grid(
                    weights,
                    {
                        _("Nominal weight"): share,
                        _("Effective importance"): share,
                        _("Importance / weight"): st.column_config.NumberColumn(format="%.2f"),
                    },
                ),
                key="validity_weights_table",
            )

# ---- face: the top and the bottom, and what each rests on
if face_tab.open:
    with face_tab:
        st.markdown(
            _(
                "**Do the top and the bottom of the ranking make sense?** The first and last "
                "{count} countries with the number of weighted indicators and dimensions their "
                "score rests on (values in the data; imputed ones are not counted), the "
                "indicators each has no value for and those it rests on."
            ).format(count=FACE_COUNT)
        )
        face = face_validity(sc, country_names, FACE_COUNT, indicator_names=indicator_names)
        warning = thin_support(face)
        if warning:
            st.warning(md(warning))
        else:
            st.caption(
                _(
                    "Each of these countries rests on at least half of the weighted indicators "
                    "(the coverage rule asks as much of every scored country)."
                )
            )
        for end, heading in [("top", _("Top {n}")), ("bottom", _("Bottom {n}"))]:
            rows = face[face["end"] == end]
            if rows.empty:
                continue
            st.markdown(f"**{heading.format(n=len(rows))}**")
            st.dataframe(
                **grid(
                    face_display(rows).rename(columns=_),
                    {
                        _("Score"): st.column_config.NumberColumn(format="%.1f"),
                        _("No value for"): st.column_config.TextColumn(width="large"),
                        _("Rests on"): st.column_config.TextColumn(width="large"),
                    },
                ),
                hide_index=True,
                key=f"validity_face_{end}",
                height="content",
            )
