"""The country report's explanations: the country over the years, why its score moved since the
first year shown, and what would bring it ten places higher. HTML, built from the same tables as
the Country page (``explain_charts``)."""

from __future__ import annotations

import pandas as pd

import i18n
from exports.report import e, html_table
from i18n import _
from indicators.catalogue import country_names
from present import explain_charts
from present.errors import said
from present.profile import format_score, format_value
from scoring.attribution import explain_change
from scoring.over_time import YEARS, over_time, year_method
from scoring.pipeline import build_scorecard
from scoring.target import what_it_takes

FROM_YEAR = 2015
TOP = 6
PLACES = 10  # "what would it take" aims this many places higher


def _number(value, digits: int = 1) -> str:
    return "" if value is None or pd.isna(value) else f"{float(value):.{digits}f}"


def explain_section_html(iso3: str, sc, catalogue, countries: pd.DataFrame | None) -> str:
    """The section as HTML (escaped): years table, the largest contributions to the change since
    FROM_YEAR, and the smallest set of improvements that gains PLACES places."""
    names = country_names(countries)
    dim_names = catalogue.dimension_names()
    indicators = catalogue.indicators.set_index("indicator")
    labels = explain_charts.item_labels(indicators["name"].to_dict(), dim_names)
    id_names = indicators["name"].to_dict() | dim_names | names.to_dict()  # for refusals
    levers = indicators["lever"].to_dict() if "lever" in indicators else {}
    parts = [f"<h2>{e(_('Over the years, and what would change the rank'))}</h2>"]
    add = parts.append

    table = over_time(sc.prepared, sc.method, YEARS, draws=0)
    years = explain_charts.trajectory_table(table, iso3, names)
    each_year = _(
        "Each year scored on its own: every indicator's latest value up to that year; one first "
        "measured later is carried back from its earliest value (counted in the last column), "
        "never interpolated."
    )
    add(f'<p class="muted">{e(each_year)}</p>')
    add(_years_table(years))

    last = sc.method.year_window[1] if sc.method.year is None else sc.method.year
    if last in YEARS and last != FROM_YEAR:
        try:
            old = build_scorecard(
                sc.prepared, method=year_method(sc.method, FROM_YEAR), countries=sc.countries
            )
            new = build_scorecard(
                sc.prepared, method=year_method(sc.method, last), countries=sc.countries
            )
            split = explain_change(old, new, iso3, labels=(str(FROM_YEAR), str(last)))
        except ValueError as error:
            why = _("Why it moved: {error}").format(error=said(error, id_names))
            add(f'<p class="muted">{e(why)}</p>')
        else:
            heading = _("Why the score moved from {first} to {last}")
            add(f"<h3>{e(heading.format(first=FROM_YEAR, last=last))}</h3>")
            moved = _(
                "Overall {score_from} (rank {rank_from}) to {score_to} (rank {rank_to}): "
                "{change}, split by {rule}. The largest parts, which with the rest add up to the "
                "change exactly:"
            ).format(
                score_from=format_score(split.score_from),
                rank_from=f"{split.rank_from:.0f}",
                score_to=format_score(split.score_to),
                rank_to=f"{split.rank_to:.0f}",
                change=f"{split.change:+.2f}",
                rule=split.rule,
            )
            add(f"<p>{e(moved)}</p>")
            rows = explain_charts.attribution_table(split, labels, levers, dim_names)
            body = rows[rows[_("Contribution")] != 0].head(TOP + 1)
            add(
                html_table(
                    [(_("Indicator"), False), (_("Contribution"), True), (f"{FROM_YEAR}", True),
                     (f"{last}", True), (_("Carried"), False)],
                    [
                        [e(r[_("Item")]), e(f"{r[_('Contribution')]:+.2f}"),
                         e(format_value(r.get(_("Value {label}").format(label=FROM_YEAR)))),
                         e(format_value(r.get(_("Value {label}").format(label=last)))),
                         e(r.get(_("Carried"), "") or "")]
                        for _row, r in body.iterrows()
                        if r[_("Item")] != _("Total: the change")
                    ],
                )
            )  # fmt: skip

    rank = int(sc.results.loc[iso3, "rank"])
    if rank > 1:
        target = max(1, rank - PLACES)
        try:
            plan = what_it_takes(sc, iso3, target, levers=levers, draws=1000)
        except ValueError as error:
            why = _("What would it take: {error}").format(error=said(error, id_names))
            add(f'<p class="muted">{e(why)}</p>')
        else:
            heading = _("What would it take to rank {target}").format(target=target)
            add(f"<h3>{e(heading)}</h3>")
            message = said(plan.answer, id_names)
            if len(plan.changes):
                message += " " + _(
                    "Chance of rank {target} or better under the Monte Carlo (±25 % on every "
                    "weight): {now} now, {after} with these improvements."
                ).format(
                    target=target,
                    now=i18n.percent(plan.probability_now),
                    after=i18n.percent(plan.probability_after),
                )
            add(f"<p>{e(message)}</p>")
            if len(plan.changes):
                units = indicators["unit"].to_dict()
                rows = explain_charts.plan_table(plan, labels, units)
                add(
                    html_table(
                        [(_("Indicator"), False), (_("Lever"), False), (_("Now"), True),
                         (_("Needed"), True), (_("Unit"), False), (_("Best observed"), True)],
                        [
                            [e(r[_("Indicator")]), e(r[_("Lever")]), e(format_value(r[_("Now")])),
                             e(format_value(r[_("Needed")])), e(r[_("Unit")]),
                             e(format_value(r[_("Best observed")]))]
                            for _row, r in rows.iterrows()
                        ],
                    )
                )  # fmt: skip
    return "".join(parts)


def _years_table(years: pd.DataFrame) -> str:
    rows = [
        [
            e(int(r[_("Year")])),
            e(_number(r[_("Overall")])),
            e(_number(r[_("Overall rank")], 0)),
            e(_number(r.get(_("Reach")))),
            e(_number(r.get(_("Appeal")))),
            e(str(r[_("Carried back")]).split(":")[0] if r[_("Carried back")] else "0"),
        ]
        for _row, r in years.iterrows()
    ]
    headers = [(_("Year"), True), (_("Overall"), True), (_("Rank"), True), (_("Reach"), True),
               (_("Appeal"), True), (_("Values carried back"), True)]  # fmt: skip
    return html_table(headers, rows)
