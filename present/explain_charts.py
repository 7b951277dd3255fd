"""Chart builders for explaining scores: a country's trajectory beside its peers, and the
waterfall of a change split into contributions. Tables in, plotly Figure out; no streamlit.

Values carried back from a later year are never drawn as if measured: a year whose score rests
on carried values has an open marker and says how many in its hover text; an indicator whose
value was carried in either state is named "(carried)" on the waterfall.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from i18n import N_, _, ngettext
from present.charts import HIGHLIGHT, MUTED, PALETTE, finish, plain
from present.profile import localised

#: What a trajectory can show: table column -> axis title.
MEASURES = {
    "rank": N_("Overall rank (1 = best)"),
    "overall": N_("Overall score"),
    "reach_rank": N_("Reach rank (1 = best)"),
    "reach": N_("Reach score"),
    "appeal_rank": N_("Appeal rank (1 = best)"),
    "appeal": N_("Appeal score"),
}
#: The waterfall's score axis, per level of ``scoring.attribution``.
LEVEL_SCORES = {
    "overall": N_("Overall score"),
    "reach": N_("Reach score"),
    "appeal": N_("Appeal score"),
}
#: Increases and decreases on the waterfall (Okabe-Ito bluish green and vermillion).
UP, DOWN, TOTAL = "#009E73", "#D55E00", "#0072B2"


def trajectory(
    table: pd.DataFrame,
    iso3: str,
    others: list[str],
    names: pd.Series,
    measure: str = "rank",
    title: str = "",
    sources: str = "",
    subtitle: str = "",
) -> go.Figure:
    """`iso3` (thick, with its 5–95 % Monte Carlo band when the table has one) and `others`
    (thin) over the years. `table` is ``scoring.over_time.over_time`` output. Ranks are drawn
    with 1 at the top. Open markers: the year's score rests on values carried back."""
    if measure not in MEASURES:
        raise ValueError(f"measure: unknown choice {measure!r} (known: {', '.join(MEASURES)})")
    fig = go.Figure()
    band = (f"{measure}_p05", f"{measure}_p95")
    rows = table[table["iso3"] == iso3].sort_values("year")
    if measure.endswith("rank") and set(band) <= set(table) and rows[band[0]].notna().any():
        fig.add_scatter(
            x=np.r_[rows["year"], rows["year"][::-1]], y=np.r_[rows[band[1]], rows[band[0]][::-1]],
            fill="toself", fillcolor="rgba(213, 94, 0, 0.15)", line={"width": 0},
            name=plain(_("5–95 % interval")), hoverinfo="skip",
        )  # fmt: skip
    colours = [c for c in PALETTE if c != HIGHLIGHT]  # the country's colour is its own
    for i, code in enumerate([c for c in others if c != iso3]):
        part = table[table["iso3"] == code].sort_values("year")
        if len(part):
            _line(fig, part, code, names, measure, colours[i % len(colours)], 1.5, 2 + i)
    if len(rows):
        _line(fig, rows, iso3, names, measure, HIGHLIGHT, 3.5, 1)  # drawn last, listed first
    fig.update_layout(xaxis={"title": _("Year"), "dtick": 1}, yaxis_title=_(MEASURES[measure]))
    if measure.endswith("rank"):
        fig.update_yaxes(autorange="reversed")
    return finish(fig, title, sources, subtitle, height=460)


def _line(fig, rows, code, names, measure, colour, width, order) -> None:
    carried = rows["carried"].to_numpy()
    hover = [
        f"{int(year)}: {localised(f'{value:.1f}')}"
        + (
            "<br>"
            + plain(
                ngettext(
                    "{n} indicator carried back: {which}",
                    "{n} indicators carried back: {which}",
                    int(n),
                )
            ).format(n=n, which=plain(which))
            if n
            else ""
        )
        for year, value, n, which in zip(
            rows["year"], rows[measure], carried, rows["carried_indicators"], strict=True
        )
    ]
    fig.add_scatter(
        x=rows["year"], y=rows[measure], mode="lines+markers", name=plain(names.get(code, code)),
        line={"color": colour, "width": width},
        marker={"symbol": np.where(carried > 0, "circle-open", "circle"), "size": 8 if width > 2 else 6,
                "color": colour, "line": {"width": 2, "color": colour}},
        text=hover, hovertemplate="%{text}<extra>" + plain(names.get(code, code)) + "</extra>",
        legendrank=order,
    )  # fmt: skip


def waterfall_rows(split, labels: dict[str, str], top: int = 10) -> pd.DataFrame:
    """The bars: the largest `top` contributions by size, the rest summed as "other indicators"
    (only if non-zero), in order of size; label, contribution, carried. They add up to the
    change exactly."""
    table = split.table
    names = [
        labels.get(item, item) + (" " + _("(carried)") if from_ or to else "")
        for item, from_, to in zip(
            table["item"], table["carried_from"], table["carried_to"], strict=True
        )
    ]
    rows = pd.DataFrame({"label": names, "contribution": table["contribution"].to_numpy()})
    rows = rows[rows["contribution"] != 0]
    rows = rows.reindex(rows["contribution"].abs().sort_values(ascending=False).index)
    shown, rest = rows.head(top), rows.iloc[top:]
    if len(rest):
        other = pd.DataFrame(
            {
                "label": [
                    ngettext("{n} other item", "{n} other items", len(rest)).format(n=len(rest))
                ],
                "contribution": [rest["contribution"].sum()],
            }
        )
        shown = pd.concat([shown, other], ignore_index=True)
    return shown.reset_index(drop=True)


def waterfall(
    split,
    labels: dict[str, str],
    title: str,
    sources: str = "",
    subtitle: str = "",
    top: int = 10,
) -> go.Figure:
    """From the "from" score through each contribution to the "to" score
    (``scoring.attribution.Attribution``); `labels` maps item ids to names."""
    rows = waterfall_rows(split, labels, top)
    start = f"{plain(split.label_from)}: {localised(f'{split.score_from:.1f}')}"
    end = f"{plain(split.label_to)}: {localised(f'{split.score_to:.1f}')}"
    fig = go.Figure(
        go.Waterfall(
            orientation="h",
            measure=["absolute", *(["relative"] * len(rows)), "total"],
            y=[start, *(plain(label) for label in rows["label"]), end],
            x=[split.score_from, *rows["contribution"], 0.0],
            base=0,
            increasing={"marker": {"color": UP}},
            decreasing={"marker": {"color": DOWN}},
            totals={"marker": {"color": TOTAL}},
            connector={"line": {"color": MUTED, "width": 1}},
            text=[localised(f"{split.score_from:.1f}"),
                  *(localised(f"{v:+.2f}") for v in rows["contribution"]),
                  localised(f"{split.score_to:.1f}")],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}: %{text}<extra></extra>",
        )
    )  # fmt: skip
    fig.update_layout(
        xaxis={
            "title": _(LEVEL_SCORES.get(split.level, split.level)),
            "range": steps_range(split, rows),
        },
        yaxis={"autorange": "reversed", "automargin": True},
        showlegend=False,
    )
    return finish(fig, title, sources, subtitle, height=max(360, 34 * (len(rows) + 2) + 170))


def steps_range(split, rows: pd.DataFrame) -> list[float]:
    """The score axis's range around every step of the path (the start and end bars are cut, so
    that steps of a point or two stay visible on a score near 50).

    >>> from types import SimpleNamespace
    >>> steps_range(SimpleNamespace(score_from=50.0, score_to=48.0),
    ...             pd.DataFrame({"contribution": [-3.0, 1.0]}))
    [46.4, 50.6]
    """
    path = split.score_from + np.r_[0.0, np.cumsum(rows["contribution"].to_numpy())]
    low, high = min(path.min(), split.score_to), max(path.max(), split.score_from)
    pad = 0.2 * max(high - low, 1.0)
    return [round(float(low - pad), 6), round(float(high + pad), 6)]


# ---------------------------------------------------------------------------------- tables
#: The catalogue's levers: what kind of change an indicator needs.
LEVER_WORDS = {"policy": N_("policy"), "outcome": N_("outcome")}
PLAN_LEVERS = {"policy": N_("policy lever"), "outcome": N_("slow outcome")}


def item_labels(indicator_names: dict[str, str], dimension_names: dict[str, str]) -> dict:
    """Readable names of attribution items: indicators, dimension weights, the rule."""
    labels = dict(indicator_names)
    labels |= {
        f"weight of {d}": _("Weight of {dimension}").format(dimension=name)
        for d, name in dimension_names.items()
    }
    labels["aggregation rule"] = _("Aggregation rule")
    return labels


def attribution_table(
    split,
    labels: dict[str, str],
    levers: dict[str, str],
    dimension_names: dict[str, str] | None = None,
) -> pd.DataFrame:
    """The split as people read it, largest contribution first: what, dimension, lever,
    contribution, and each state's value, year, carried flag and normalised score. The
    contributions add up to the change (the last row says so)."""
    t = split.table
    a, b = split.label_from, split.label_to
    item, dimension, lever, contribution, carried = (
        _("Item"), _("Dimension"), _("Lever"), _("Contribution"), _("Carried")
    )  # fmt: skip
    out = pd.DataFrame(
        {
            "indicator": t["item"],
            item: [labels.get(i, i) for i in t["item"]],
            dimension: [(dimension_names or {}).get(d, d) for d in t["dimension"]],
            lever: [_(LEVER_WORDS[v]) if v in LEVER_WORDS else v for v in (
                levers.get(i, "") for i in t["item"])],
            contribution: t["contribution"],
            _("Value {label}").format(label=a): t["raw_from"],
            _("Year {label}").format(label=a): t["year_from"],
            _("Value {label}").format(label=b): t["raw_to"],
            _("Year {label}").format(label=b): t["year_to"],
            carried: [
                _carried_text(x, y, split)
                for x, y in zip(t["carried_from"], t["carried_to"], strict=True)
            ],
            _("Score {label}").format(label=a): t["normalised_from"],
            _("Score {label}").format(label=b): t["normalised_to"],
        }
    )  # fmt: skip
    order = out[contribution].abs().sort_values(ascending=False, kind="stable").index
    out = out.loc[order].reset_index(drop=True)
    total = {column: "" for column in ("indicator", dimension, lever, carried)}
    total |= {item: _("Total: the change"), contribution: split.change}
    return pd.concat([out, pd.DataFrame([total])], ignore_index=True)


def _carried_text(carried_from: bool, carried_to: bool, split) -> str:
    both = [
        label
        for label, flag in ((split.label_from, carried_from), (split.label_to, carried_to))
        if flag
    ]
    if not both:
        return ""
    return _("carried back in {labels}").format(labels=(" " + _("and") + " ").join(both))


def trajectory_table(
    table: pd.DataFrame, iso3: str, names: pd.Series, indicator_names: dict | None = None
) -> pd.DataFrame:
    """One country's years: scores, ranks with their 5–95 % intervals (when computed) and what
    was carried back (indicator names when given)."""
    rows = table[table["iso3"] == iso3].sort_values("year")
    out = pd.DataFrame({_("Country"): names.get(iso3, iso3), _("Year"): rows["year"]})
    for column, label, rank_label in (
        ("overall", N_("Overall"), N_("Overall rank")),
        ("reach", N_("Reach"), N_("Reach rank")),
        ("appeal", N_("Appeal"), N_("Appeal rank")),
    ):
        rank = "rank" if column == "overall" else f"{column}_rank"
        out[_(label)] = rows[column]
        out[_(rank_label)] = rows[rank]
        if f"{rank}_p05" in rows and rows[f"{rank}_p05"].notna().any():
            out[_("{rank} 5 %").format(rank=_(rank_label))] = rows[f"{rank}_p05"]
            out[_("{rank} 95 %").format(rank=_(rank_label))] = rows[f"{rank}_p95"]
    out[_("Countries scored")] = rows["countries"]
    named = indicator_names or {}
    out[_("Carried back")] = [
        f"{n}: {', '.join(named.get(i, i) for i in which.split(', '))}" if n else ""
        for n, which in zip(rows["carried"], rows["carried_indicators"], strict=True)
    ]
    return out.reset_index(drop=True)


def plan_table(plan, indicator_names: dict[str, str], units: dict[str, str]) -> pd.DataFrame:
    """What would it take, as people read it: each improvement in the indicator's own units."""
    c = plan.changes
    return pd.DataFrame(
        {
            "indicator": c["indicator"],
            _("Indicator"): [indicator_names.get(i, i) for i in c["indicator"]],
            _("Lever"): [_(PLAN_LEVERS[v]) if v in PLAN_LEVERS else "" for v in c["lever"]],
            _("Unit"): [_(units.get(i, "")) if units.get(i) else "" for i in c["indicator"]],
            _("Year"): c["year"],
            _("Now"): c["value_now"],
            _("Needed"): c["value_needed"],
            _("Change"): c["change"],
            _("Best observed"): c["best_observed"],
            _("Score now"): c["normalised_now"],
            _("Score after"): c["normalised_after"],
        }
    )
