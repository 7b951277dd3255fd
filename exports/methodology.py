"""The methodology as one Markdown document, rendered from the catalogue and a Method: the
Methodology page shows it in the reader's language and `docs/methodology.md` is it for the
default Method in English (the language a script runs in unless told otherwise).

    uv run python -m exports.methodology > docs/methodology.md
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from i18n import N_, _
from indicators.catalogue import ABSENCE, Catalogue, load_catalogue
from present.provenance import methodology, plain_number
from scoring.method import Method

#: The essay's title stays as published, in English, in every language.
ESSAY_TITLE = "Hard Questions About Soft Power: A Normative Outlook at Russia's Foreign Policy"
DIRECTION = {1: N_("higher is better"), -1: N_("lower is better")}
#: Catalogue columns that hold codes the document looks up, not text it shows.
CODES = {"indicator", "dimension", "side", "source", "absence", "transform", "folder"}


def methodology_markdown(
    catalogue: Catalogue, method: Method | None = None, text: Callable[[object], str] = str
) -> str:
    """The whole document: the conceptual model, the sides and dimensions, every indicator with
    its rationale, direction and meaning of absence, the formulas of `method`, the decisions.
    Catalogue text goes through `text` (the page passes an escape: uploaded names are user text)."""
    method = method or Method()
    catalogue = _as_text(catalogue, text)
    dimension_names = catalogue.dimension_names()
    parts = [
        "# " + _("Methodology"),
        _model(catalogue),
        _dimensions(catalogue),
        "## " + _("Indicators"),
        *(_indicators(catalogue, dimension) for dimension in catalogue.dimensions.itertuples()),
        "## " + _("How the scores are computed"),
        "\n".join(f"- **{step}.** {rule}" for step, rule in methodology(method, dimension_names)),
        _decisions(catalogue.decisions),
    ]
    return "\n\n".join(part for part in parts if part) + "\n"


def _as_text(catalogue: Catalogue, text: Callable[[object], str]) -> Catalogue:
    """The catalogue with every string cell passed through `text`."""
    if text is str:
        return catalogue

    def clean(frame: pd.DataFrame) -> pd.DataFrame:
        shown = [column for column in frame.columns if column not in CODES]
        return frame.assign(
            **{column: frame[column].map(lambda c: text(c) if isinstance(c, str) else c)
               for column in shown}
        )  # fmt: skip

    # The tables as this run reads them (its language), escaped, make the new catalogue's own.
    return Catalogue(
        dimensions=clean(catalogue.dimensions),
        indicators=clean(catalogue.indicators),
        sources=clean(catalogue.table("sources")),
        sides=clean(catalogue.sides),
        decisions=clean(catalogue.decisions),
    )


def _model(catalogue: Catalogue) -> str:
    sides = "\n".join(f"- **{s.name}**: {s.description}" for s in catalogue.sides.itertuples())
    # One message per paragraph, its line breaks as the English document has them.
    paragraphs = [
        "## " + _("What the scorecard measures"),
        _(
            "The Soft Power Scorecard compares countries' soft power along the dimensions of "
            "Andrey Makarychev's essay \"{title}\". The essay\nargues that Russia's soft power is "
            "weak: migrants in Russia meet estrangement rather than\nintegration, its media "
            "abroad carry entertainment or messages its neighbours find derogatory, its\n"
            "compatriots abroad do not align with the Kremlin's cultural project, and it stays "
            "out of normative\nregimes such as the Extractive Industries Transparency Initiative."
        ).format(title=ESSAY_TITLE),
        _("Soft power, as the essay frames it, has two sides:"),
        sides,
        _(
            "The question the scorecard answers: which countries have both, and where does a "
            "country's reach\noutrun its appeal, as the essay argues of Russia? The overall score "
            "combines the two sides; how\nis a Method choice (below), and the Rankings page "
            "shows them side by side."
        ),
    ]
    return "\n\n".join(paragraphs)


def _dimensions(catalogue: Catalogue) -> str:
    sides = catalogue.side_names()
    counts = catalogue.indicators.groupby("dimension").size()
    header = [_("Dimension"), _("Side"), _("Definition"), _("Why it is here"), _("Indicators")]
    rows = ["| " + " | ".join(header) + " |", "|---|---|---|---|---|"]
    for d in catalogue.dimensions.itertuples():
        side = sides.get(d.side, d.side)
        rows.append(
            f"| {d.name} | {side} | {d.description} | {d.rationale} "
            f"| {counts.get(d.dimension, 0)} |"
        )
    return "## " + _("Sides and dimensions") + "\n\n" + "\n".join(rows)


def _indicators(catalogue: Catalogue, dimension) -> str:
    rows = catalogue.with_sources()
    rows = rows[rows["dimension"] == dimension.dimension]
    entries = [f"### {dimension.name}"]
    if len(rows) == 1:
        entries.append(_("One indicator by design: every score here rests on it alone (flagged)."))
    for row in rows.itertuples():
        entries.append("\n".join(_indicator_lines(row)))
    return "\n\n".join(entries)


def _indicator_lines(row) -> list[str]:
    scale = (
        _("published scale {low}–{high}, kept as it is").format(
            low=plain_number(row.goalpost_low), high=plain_number(row.goalpost_high)
        )
        if pd.notna(row.goalpost_low)
        else _("scaled between the lowest and highest value observed")
    )
    if row.transform == "log":
        scale += _("; normalised on log(1 + x), so each doubling counts the same")
    weight = (
        _("weight {weight} within the dimension").format(weight=plain_number(row.weight))
        if row.weight
        else _("not counted")
    )
    proxy, direction, absence = _("Proxy for"), _("Direction"), _("A missing value means")
    scale_word, source, limits = _("Scale"), _("Source"), _("Limits")
    return [
        f"**{row.name}** ({row.unit}; {weight}). {row.description}",
        f"- *{proxy}*: {row.proxy_for}",
        f"- *{direction}*: {_(DIRECTION[row.direction])}. {row.direction_rationale}",
        f"- *{absence}*: {_(ABSENCE[row.absence])}. {row.absence_rationale}",
        f"- *{scale_word}*: {scale}.",
        f"- *{source}*: {row.publisher}, {row.title} ({row.edition}).",
        f"- *{limits}*: {row.limits}",
    ]


def _decisions(decisions: pd.DataFrame) -> str:
    if decisions.empty:
        return ""
    header = [_("Decision"), _("What"), _("Why")]
    rows = ["| " + " | ".join(header) + " |", "|---|---|---|"]
    rows += [f"| {d.decision} | {d.what} | {d.why} |" for d in decisions.itertuples()]
    return "## " + _("Decisions against the first framework") + "\n\n" + "\n".join(rows)


if __name__ == "__main__":
    print(methodology_markdown(load_catalogue()), end="")
