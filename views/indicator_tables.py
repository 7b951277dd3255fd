"""Indicators by dimension: per country, each indicator's latest value, its year and its source."""

import streamlit as st

from scoring.tables import coverage_by_indicator, latest_values_table
from views.data import dataset_or_stop

data = dataset_or_stop()
catalogue = data.catalogue
indicators = catalogue.with_sources()

st.title("Indicators by dimension")
st.caption(
    "The latest value each publisher gives for each country, with its year. "
    "Empty cells are missing data: nothing is filled in."
)

tabs = st.tabs(catalogue.dimensions["name"].tolist())
for tab, dimension in zip(tabs, catalogue.dimensions.itertuples(), strict=True):
    with tab:
        members = indicators[indicators["dimension"] == dimension.dimension]
        table = latest_values_table(data.values, members, data.countries)
        st.markdown(dimension.description)
        covered = table.drop(columns=["iso3", "Country", "Region"]).notna().any(axis=1).sum()
        st.metric("Countries with at least one value", f"{covered} of {len(table)}")
        st.dataframe(table, hide_index=True, height=420, key=f"table_{dimension.dimension}")
        st.markdown("**Coverage and sources**")
        st.dataframe(
            coverage_by_indicator(data.values, members),
            hide_index=True,
            column_config={
                "Source": st.column_config.LinkColumn(display_text=r"https?://(?:www\.)?([^/]+)")
            },
            key=f"coverage_{dimension.dimension}",
        )
