"""Table shaping for the Validity page and its downloads: the tables of ``scoring.validity``
with readable names, the edition a scatter opens on, and the sentences that say what the
numbers mean. No statistics are computed here; these functions only select, order and label.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from i18n import N_, _, ngettext, number, ordinal, percent
from present.errors import said
from scoring.validity import MIN_COUNTRIES

__all__ = [
    "MEASURE_NAMES",
    "RELIABLE_ALPHA",
    "external_table",
    "scatter_editions",
    "outlier_sentence",
    "alpha_table",
    "indicator_table",
    "internal_sentence",
    "weights_table",
    "face_display",
    "thin_support",
]

MEASURE_NAMES = {"overall": N_("Overall score"), "reach": N_("Reach"), "appeal": N_("Appeal")}
#: What a published index was compared on (``scoring.validity``'s basis), as shown.
BASIS_WORDS = {"rank": N_("published rank"), "score": N_("published score")}
#: Cronbach's alpha from which the indicators of a dimension are read as measuring one thing.
RELIABLE_ALPHA = 0.7


def external_table(external: pd.DataFrame) -> pd.DataFrame:
    """``scoring.validity.external_validity`` for display.

    >>> ext = pd.DataFrame({"index": ["P"], "edition": [2020], "measure": ["overall"], "n": [30],
    ...     "spearman": [0.5857], "low": [0.33], "high": [0.78], "basis": ["rank"], "note": [""]})
    >>> external_table(ext).values.tolist()
    [['P', 2020, 'Overall score', 30, 0.5857, 0.33, 0.78, 'published rank', '']]
    """
    return pd.DataFrame(
        {
            N_("Published index"): external["index"].to_numpy(),
            N_("Edition"): external["edition"].to_numpy(),
            N_("Our measure"): [_(MEASURE_NAMES.get(m, m)) for m in external["measure"]],
            N_("Countries in common"): external["n"].to_numpy(),
            N_("Spearman"): external["spearman"].to_numpy(dtype=float),
            N_("Interval low"): external["low"].to_numpy(dtype=float),
            N_("Interval high"): external["high"].to_numpy(dtype=float),
            N_("Compared with"): [_(BASIS_WORDS.get(b, b)) for b in external["basis"]],
            N_("Note"): _notes(external),
        }
    )


def _notes(external: pd.DataFrame) -> list[str]:
    """Each row's note in the reader's language (its phrases, ``attrs["notes"]``; a table
    without them keeps its English note)."""
    phrases = external.attrs.get("notes", {})
    keys = zip(external["index"], external["edition"], external["measure"], strict=True)
    return [
        "; ".join(map(said, phrases[key])) if key in phrases else note
        for key, note in zip(
            ((str(i), int(e), m) for i, e, m in keys), external["note"], strict=True
        )
    ]


def scatter_editions(external: pd.DataFrame, measure: str = "overall") -> list[tuple[str, int]]:
    """Editions worth a scatter (at least ``MIN_COUNTRIES`` in common on ``measure``), the one
    with the most countries in common first (then in table order).

    >>> ext = pd.DataFrame({"index": ["A", "B", "C"], "edition": [2019, 2020, 2021],
    ...     "measure": "overall", "n": [6, 30, 3]})
    >>> scatter_editions(ext)
    [('B', 2020), ('A', 2019)]
    """
    rows = external[(external["measure"] == measure) & (external["n"] >= MIN_COUNTRIES)]
    rows = rows.iloc[np.argsort(-rows["n"].to_numpy(), kind="stable")]
    return [(str(i), int(e)) for i, e in zip(rows["index"], rows["edition"], strict=True)]


def outlier_sentence(outliers: pd.DataFrame, names: Mapping[str, str], common: int) -> str:
    """Where our ranking and the published one disagree most, in words.

    >>> o = pd.DataFrame({"our_rank": [6, 5], "published_rank": [30, 1]}, index=["ARG", "X"])
    >>> outlier_sentence(o, {"ARG": "Argentina"}, 30)
    'Largest disagreements among the 30 countries in common: Argentina (6th here, 30th there), X (5th here, 1st there).'
    """
    if outliers.empty:
        return ngettext(
            "The {n} country in common is in the same order in both rankings.",
            "The {n} countries in common are in the same order in both rankings.",
            common,
        ).format(n=common)
    parts = [
        _("{name} ({ours} here, {theirs} there)").format(
            name=names.get(iso3, iso3),
            ours=ordinal(int(row.our_rank)),
            theirs=ordinal(int(row.published_rank)),
        )
        for iso3, row in zip(outliers.index, outliers.itertuples(), strict=True)
    ]
    return ngettext(
        "Largest disagreements among the {n} country in common: {countries}.",
        "Largest disagreements among the {n} countries in common: {countries}.",
        common,
    ).format(n=common, countries=", ".join(parts))


def _flag_text(row, indicator_names: Mapping[str, str]) -> str:
    if row.flag == "negative":
        return _("pulls against its dimension (r = {r})").format(r=number(row.correlation, 2))
    if row.flag == "collinear":
        partner = indicator_names.get(row.partner, row.partner)
        return _("says the same as {partner} (r = {r})").format(
            partner=partner, r=number(row.partner_correlation, 2)
        )
    return ""


def alpha_table(
    internal: pd.DataFrame,
    dimension_names: Mapping[str, str],
    indicator_names: Mapping[str, str],
) -> pd.DataFrame:
    """One row per dimension: its counted indicators, the countries with all of them, Cronbach's
    alpha (or why it is not defined), and its flagged indicators.

    >>> internal = pd.DataFrame({"dimension": ["d", "d", "e"], "alpha": [0.8123, 0.8123, np.nan],
    ...     "complete": [40, 40, 90], "indicator": ["a", "b", "c"], "correlation": [0.9, -0.1, 1.0],
    ...     "flag": ["", "negative", ""], "partner": "", "partner_correlation": np.nan})
    >>> alpha_table(internal, {"d": "Dim"}, {"b": "B"}).values.tolist()
    [['Dim', 2, 40, 0.8123, 'B: pulls against its dimension (r = -0.10)', ''], ['e', 1, 90, nan, '', 'not defined: only one indicator']]
    """
    rows = []
    for dimension, group in internal.groupby("dimension", sort=False):
        alpha = float(group["alpha"].iloc[0])
        why = ""
        if np.isnan(alpha):
            why = (
                _("not defined: only one indicator")
                if len(group) < 2
                else _("not defined: fewer than 2 countries with all of them, or no spread")
            )
        flagged = [
            f"{indicator_names.get(row.indicator, row.indicator)}: {_flag_text(row, indicator_names)}"
            for row in group[group["flag"] != ""].itertuples()
        ]
        rows.append(
            (
                dimension_names.get(dimension, dimension),
                len(group),
                int(group["complete"].iloc[0]),
                alpha,
                "; ".join(flagged),
                why,
            )
        )
    return pd.DataFrame(
        rows,
        columns=[
            N_("Dimension"),
            N_("Indicators"),
            N_("Countries with all of them"),
            N_("Cronbach's alpha"),
            N_("Flagged indicators"),
            N_("Why no alpha"),
        ],
    )


def indicator_table(
    internal: pd.DataFrame,
    dimension_names: Mapping[str, str],
    indicator_names: Mapping[str, str],
) -> pd.DataFrame:
    """One row per counted indicator: its dimension, its correlation with the dimension score,
    the countries behind it, and the flag in words.

    >>> internal = pd.DataFrame({"dimension": ["d", "d"], "indicator": ["a", "b"],
    ...     "correlation": [0.99, 0.98], "pairs": [50, 48], "flag": ["collinear", "collinear"],
    ...     "partner": ["b", "a"], "partner_correlation": [0.95, 0.95]})
    >>> indicator_table(internal, {"d": "Dim"}, {"a": "A", "b": "B"})["Flag"].tolist()
    ['says the same as B (r = 0.95)', 'says the same as A (r = 0.95)']
    """
    return pd.DataFrame(
        {
            N_("Dimension"): [dimension_names.get(d, d) for d in internal["dimension"]],
            N_("Indicator"): [indicator_names.get(i, i) for i in internal["indicator"]],
            N_("Correlation with its dimension"): internal["correlation"].to_numpy(dtype=float),
            N_("Flag"): [_flag_text(row, indicator_names) for row in internal.itertuples()],
            N_("Countries"): internal["pairs"].to_numpy(),
        }
    )


def internal_sentence(internal: pd.DataFrame, dimension_names: Mapping[str, str]) -> str:
    """What the alphas and flags say, in plain words.

    >>> internal = pd.DataFrame({"dimension": ["d", "d", "e", "e", "f"],
    ...     "alpha": [0.81, 0.81, 0.2, 0.2, np.nan], "indicator": list("abcde"),
    ...     "flag": ["", "collinear", "negative", "", ""]})
    >>> internal_sentence(internal, {"d": "Dim"})
    'In 1 of the 2 dimensions with an alpha (Dim) the indicators hang together (alpha 0.7 or more); in the other the indicators measure different things, so the dimension score is an average of unlike parts. 1 indicator pulls against its own dimension and 1 indicator repeats another of its dimension.'
    """
    per_dimension = internal.drop_duplicates("dimension")
    defined = per_dimension[per_dimension["alpha"].notna()]
    good = defined[defined["alpha"] >= RELIABLE_ALPHA]
    names = ", ".join(dimension_names.get(d, d) for d in good["dimension"])
    rest = len(defined) - len(good)
    alpha = number(RELIABLE_ALPHA, 1)
    if names:
        text = ngettext(
            "In {good} of the {defined} dimension with an alpha ({names}) the indicators hang "
            "together (alpha {alpha} or more)",
            "In {good} of the {defined} dimensions with an alpha ({names}) the indicators hang "
            "together (alpha {alpha} or more)",
            len(defined),
        )
    else:
        text = ngettext(
            "In {good} of the {defined} dimension with an alpha the indicators hang together "
            "(alpha {alpha} or more)",
            "In {good} of the {defined} dimensions with an alpha the indicators hang together "
            "(alpha {alpha} or more)",
            len(defined),
        )
    text = text.format(good=len(good), defined=len(defined), names=names, alpha=alpha)
    if rest:
        text += ngettext(
            "; in the other the indicators measure different things, so the dimension score "
            "is an average of unlike parts",
            "; in the others the indicators measure different things, so the dimension scores "
            "are averages of unlike parts",
            rest,
        )
    text += "."
    negative = int((internal["flag"] == "negative").sum())
    collinear = int((internal["flag"] == "collinear").sum())
    if not negative and not collinear:
        return text + " " + _("No indicator pulls against its dimension or repeats another.")
    parts = []
    if negative:
        parts.append(
            ngettext(
                "{n} indicator pulls against its own dimension",
                "{n} indicators pull against their own dimension",
                negative,
            ).format(n=negative)
        )
    if collinear:
        parts.append(
            ngettext(
                "{n} indicator repeats another of its dimension",
                "{n} indicators repeat another of their dimension",
                collinear,
            ).format(n=collinear)
        )
    return f"{text} {_listing(parts)}."


def _listing(parts: list[str]) -> str:
    if len(parts) == 1:
        return parts[0]
    return _("{items} and {last}").format(items=", ".join(parts[:-1]), last=parts[-1])


def weights_table(
    weights: pd.DataFrame,
    indicator_names: Mapping[str, str],
    dimension_names: Mapping[str, str],
) -> pd.DataFrame:
    """``scoring.validity.weight_comparison`` for display, indexed by indicator name.

    >>> w = pd.DataFrame({"indicator": ["a"], "dimension": ["d"], "nominal_weight": [0.25],
    ...     "effective_importance": [0.5], "ratio": [2.0]})
    >>> weights_table(w, {"a": "A"}, {"d": "Dim"}).reset_index().values.tolist()
    [['A', 'Dim', 0.25, 0.5, 2.0]]
    """
    return pd.DataFrame(
        {
            N_("Dimension"): [dimension_names.get(d, d) for d in weights["dimension"]],
            N_("Nominal weight"): weights["nominal_weight"].to_numpy(dtype=float),
            N_("Effective importance"): weights["effective_importance"].to_numpy(dtype=float),
            N_("Importance / weight"): weights["ratio"].to_numpy(dtype=float),
        },
        index=pd.Index(
            [indicator_names.get(i, i) for i in weights["indicator"]], name=N_("Indicator")
        ),
    )


def face_display(face: pd.DataFrame) -> pd.DataFrame:
    """``scoring.validity.face_validity`` rows for display.

    >>> f = pd.DataFrame({"rank": [1], "country": ["Xland"], "overall": [70.2], "indicators": [9],
    ...     "of_indicators": [21], "dimensions": [7], "of_dimensions": [8], "rests_on": ["A; B"],
    ...     "no_value": ["C"]})
    >>> face_display(f).values.tolist()
    [[1, 'Xland', 70.2, '9 of 21', '7 of 8', 'C', 'A; B']]
    """
    return pd.DataFrame(
        {
            N_("Rank"): face["rank"].to_numpy(),
            N_("Country"): face["country"].to_numpy(),
            N_("Score"): face["overall"].to_numpy(dtype=float),
            N_("Indicators with a value"): [
                _("{count} of {total}").format(count=a, total=b)
                for a, b in zip(face["indicators"], face["of_indicators"], strict=True)
            ],
            N_("Dimensions with a value"): [
                _("{count} of {total}").format(count=a, total=b)
                for a, b in zip(face["dimensions"], face["of_dimensions"], strict=True)
            ],
            N_("No value for"): face["no_value"].to_numpy(),
            N_("Rests on"): face["rests_on"].to_numpy(),
        }
    )


def thin_support(face: pd.DataFrame, share: float = 0.5) -> str:
    """The listed countries whose score rests on less than ``share`` of the weighted indicators,
    in words ("" when none).

    >>> f = pd.DataFrame({"rank": [3, 9], "country": ["Monaco", "Y"], "indicators": [9, 15],
    ...     "of_indicators": [21, 21]})
    >>> thin_support(f)
    'Monaco (3rd) rests on only 9 of 21 indicators: its place says less than the others do.'
    """
    thin = face[face["indicators"] < share * face["of_indicators"]]
    if thin.empty:
        return ""
    parts = [f"{row.country} ({ordinal(int(row.rank))})" for row in thin.itertuples(index=False)]
    counts = set(zip(thin["indicators"], thin["of_indicators"], strict=True))
    if len(thin) == 1:
        (count, total) = counts.pop()
        return ngettext(
            "{country} rests on only {count} of {total} indicator: its place says less than "
            "the others do.",
            "{country} rests on only {count} of {total} indicators: its place says less than "
            "the others do.",
            total,
        ).format(country=parts[0], count=count, total=total)
    return _(
        "{countries} rest on fewer than {share} of the weighted indicators: their places say "
        "less than the others do."
    ).format(countries=", ".join(parts), share=percent(share))
