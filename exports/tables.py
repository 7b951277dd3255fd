"""Tables to files: CSV and Excel, safe to open in a spreadsheet, and only redistributable data.

Every text cell and header goes through one sanitiser, :func:`neutralise_text`:

* Formula injection (OWASP "CSV Injection"): a spreadsheet runs a cell that starts with ``=``,
  ``+``, ``-``, ``@``, tab or carriage return as a formula, and may skip spaces, no-break spaces,
  zero-width characters or a byte-order mark in front of it. Country names, notes and indicator
  names can come from uploaded files, so every such text cell gets a leading apostrophe; numbers
  stay numbers.
* Characters a workbook cannot hold: XML 1.0 has no C0 control characters but tab, line feed and
  carriage return, so a BEL or NUL in a name made openpyxl raise IllegalCharacterError (the
  command's traceback, the app's empty download). They become U+FFFD, the replacement character,
  in CSV too, so both downloads say the same.

Licences: sources marked ``redistributable: false`` in ``indicators/sources.yaml`` may be shown
in charts but not handed out as data; :func:`redistributable_values` drops them and says which.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping, Sequence

import pandas as pd

from i18n import _

#: Characters that make a spreadsheet treat a text cell as a formula (OWASP), with the
#: full-width forms some spreadsheets (Excel with East Asian input) also read as formulas.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
#: Text that is only a number ("-2", "+1.5e3"): a spreadsheet reads it as that number, never a
#: formula, so it is left as written.
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
#: What may stand before a formula character and be skipped: white space (no-break spaces
#: included), zero-width and other invisible format characters, the byte-order mark.
_LEADING_BLANKS = re.compile(
    r"^[\s\u00a0\u180e\u200b-\u200f\u2028-\u202f\u205f-\u206f\u3000\ufeff]+"
)
#: Characters an .xlsx (XML 1.0) cannot hold: C0 controls but tab, LF and CR; lone surrogates;
#: the non-characters U+FFFE and U+FFFF.
_NOT_IN_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
#: Characters Excel does not allow in sheet names.
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def neutralise_text(value):
    """The one cell sanitiser: characters a workbook cannot hold become U+FFFD, and text that a
    spreadsheet would run as a formula, also behind leading blanks, gets a leading apostrophe.

    Text that is only a number ("-2") is left as written: a spreadsheet reads it as that number.

    >>> neutralise_text("=1+1"), neutralise_text("Russia"), neutralise_text(-2), neutralise_text("-2")
    ("'=1+1", 'Russia', -2, '-2')
    >>> neutralise_text(" =1+1"), neutralise_text(" -2"), neutralise_text("Bell" + chr(7))
    ("' =1+1", ' -2', 'Bell�')
    """
    if not isinstance(value, str):
        return value
    text = _NOT_IN_XML.sub("\ufffd", value)
    bare = _LEADING_BLANKS.sub("", text)
    if (text.startswith(FORMULA_PREFIXES) and not _PLAIN_NUMBER.fullmatch(text)) or (
        bare != text and bare.startswith(FORMULA_PREFIXES) and not _PLAIN_NUMBER.fullmatch(bare)
    ):
        return "'" + text
    return text


def neutralise_formulas(df: pd.DataFrame) -> pd.DataFrame:
    """A copy with every text cell, column header and index label neutralised
    (:func:`neutralise_text`); numeric, boolean and date columns are untouched."""
    out = df.copy()
    for column in out.columns:
        series = out[column]
        if isinstance(series.dtype, pd.CategoricalDtype):
            series = series.astype(object)  # categories hold text too
        if pd.api.types.is_string_dtype(series) or series.dtype == object:
            out[column] = series.map(neutralise_text, na_action="ignore")
    out.columns = [neutralise_text(c) for c in out.columns]
    if pd.api.types.is_string_dtype(out.index) or out.index.dtype == object:
        out.index = out.index.map(neutralise_text)
    return out


# ----------------------------------------------------------------------------- as shown
#: Places Streamlit's ``"percent"`` number format shows ("52.78%"), and a float column without
#: a format (the grid's default).
PERCENT_DECIMALS = 2
PLAIN_DECIMALS = 4
_FIXED = re.compile(r"%[+ ]?\.(\d+)f")
_INTEGER = re.compile(r"%[+ ]?[di]")


def _format_of(spec) -> str | None:
    """The number format of a column: a format string as given, or the ``format`` of a
    ``st.column_config`` column (a dict with ``type_config``)."""
    if isinstance(spec, str) or spec is None:
        return spec
    return (spec.get("type_config") or {}).get("format") if isinstance(spec, Mapping) else None


def as_shown(df: pd.DataFrame, formats: Mapping[str, object] | None = None) -> pd.DataFrame:
    """The table as the screen shows it, for a download: numbers rounded by the same rule as
    the grid's column formats (`formats`: header -> format string or ``st.column_config``
    column), so no ``12.499999999999998``; shares shown as percentages are exported as
    percentages (x 100, two places) with "(%)" in the header.

    ``"%.1f"`` -> 1 place; ``"%d"`` / ``"%+d"`` -> whole numbers; ``"percent"`` -> x 100, 2 places;
    other float columns -> 4 places, as the grid shows an unformatted float.

    >>> t = pd.DataFrame({"s": [12.499999999999998], "c": [0.5277777], "r": [5.0], "x": [1/3]})
    >>> as_shown(t, {"s": "%.1f", "c": "percent", "r": "%+d"}).to_dict("records")
    [{'s': 12.5, 'c (%)': 52.78, 'r': 5, 'x': 0.3333}]
    """
    formats = dict(formats or {})
    out = df.copy()
    renamed = {}
    for column in out.columns:
        series = out[column]
        if not pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series):
            continue
        fmt = _format_of(formats.get(column))
        if fmt == "percent":
            out[column] = (series.astype("Float64") * 100).round(PERCENT_DECIMALS)
            renamed[column] = _("{column} (%)").format(column=column)
        elif fmt and _INTEGER.fullmatch(fmt):
            out[column] = series.astype("Float64").round(0).astype("Int64")
        elif fmt and _FIXED.fullmatch(fmt):
            out[column] = series.astype("Float64").round(int(_FIXED.fullmatch(fmt).group(1)))
        elif pd.api.types.is_float_dtype(series):
            out[column] = series.round(PLAIN_DECIMALS)
    return out.rename(columns=renamed)


def with_iso3(df: pd.DataFrame) -> pd.DataFrame:
    """A country table (index: iso3, as ``sc.results``) with ``iso3`` as a column beside the
    country's name (the first column), so a download can be joined to other data by code;
    other tables unchanged."""
    if df.index.name != "iso3" or "iso3" in df.columns:
        return df
    out = df.reset_index()
    codes = out.pop("iso3")
    out.insert(min(1, len(out.columns)), "iso3", codes)
    return out


def csv_bytes(
    df: pd.DataFrame, *, index: bool = False, bom: bool = True, about: Sequence[str] = ()
) -> bytes:
    """CSV (comma, UTF-8, CRLF line ends as RFC 4180, neutralised). ``bom`` adds the byte-order
    mark Excel needs to read UTF-8 (pandas and R skip it). ``about``: lines (the Method, the
    citation) written first, each as a ``# `` comment line.

    Why comment lines and not a sidecar file: the Method must travel with the one file people
    forward, and a person opening it in a spreadsheet reads it in the top rows.
    ``pd.read_csv(f, comment="#")`` and R's ``read.csv(f, comment.char = "#")`` skip them; so
    that a "#" inside a cell is not read as a comment, every text cell is quoted.
    """
    import csv

    # CRLF, not "\n": the csv writer quotes a cell only for the characters of the line end, and
    # a bare "\r" left unquoted starts a new row in Excel, whose first cell escapes neutralising.
    quoting = csv.QUOTE_NONNUMERIC if about else csv.QUOTE_MINIMAL
    text = neutralise_formulas(df).to_csv(index=index, lineterminator="\r\n", quoting=quoting)
    head = "".join(f"# {_one_line(line)}\r\n" for line in about)
    return (head + text).encode("utf-8-sig" if bom else "utf-8")


def table_about(sc, catalogue, view: str = "", url: str = "") -> list[str]:
    """The lines a table download carries about itself: the Method that made the numbers, in
    one line, and how to cite the view (``present.citation``)."""
    from present.citation import for_scorecard, plain

    citation = for_scorecard(sc, catalogue, view, url)
    return [
        _("Method: {method}").format(method=citation.method),
        _("Cite as: {citation}").format(citation=plain(citation)),
    ]


def _one_line(text: str) -> str:
    """A comment line's text: line breaks become spaces, unholdable characters U+FFFD."""
    return _NOT_IN_XML.sub("\ufffd", re.sub(r"[\r\n]+", " ", str(text)))


def sheet_name(name: str, taken: set[str] | None = None) -> str:
    """A valid, unique Excel sheet name: forbidden characters replaced, at most 31 characters.

    >>> sheet_name("scores/ranks: 2025?")
    'scores_ranks_ 2025_'
    """
    clean = _SHEET_FORBIDDEN.sub("_", str(name)).strip("'") or "Sheet"
    clean = clean[:31]
    taken = taken if taken is not None else set()
    candidate, k = clean, 2
    while candidate.lower() in {t.lower() for t in taken}:
        suffix = f" ({k})"
        candidate, k = clean[: 31 - len(suffix)] + suffix, k + 1
    return candidate


def about_sheet(about: Sequence[str]) -> pd.DataFrame:
    """The "About" sheet of a table's workbook: one line per row (the Method, the citation)."""
    return pd.DataFrame({_("About this table"): [_one_line(line) for line in about]}, dtype=object)


def excel_bytes(
    sheets: Mapping[str, pd.DataFrame], *, index: bool = False, about: Sequence[str] = ()
) -> bytes:
    """An .xlsx workbook, one sheet per entry (in order), neutralised, with a bold frozen header
    row and readable column widths; with ``about`` lines (the Method, the citation), an
    "About" sheet after them."""
    from openpyxl.styles import Font

    if not sheets:
        raise ValueError("excel: at least one sheet is needed")
    if about:
        sheets = {**sheets, _("About"): about_sheet(about)}
    buffer = io.BytesIO()
    taken: set[str] = set()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            title = sheet_name(name, taken)
            taken.add(title)
            safe = neutralise_formulas(frame)
            safe.to_excel(writer, sheet_name=title, index=index)
            sheet = writer.sheets[title]
            sheet.freeze_panes = "A2"
            for cell in sheet[1]:
                cell.font = Font(bold=True)
            for column_cells in sheet.columns:
                longest = max(
                    (len(str(c.value)) for c in column_cells[:200] if c.value is not None),
                    default=8,
                )
                letter = column_cells[0].column_letter
                sheet.column_dimensions[letter].width = min(60, max(8, longest + 2))
    return buffer.getvalue()


def redistributable_indicators(catalogue) -> tuple[set[str], pd.DataFrame]:
    """(ids that may be redistributed, table of those that may not: indicator, name, publisher,
    title). Indicators without a source, or sources without the flag, count as redistributable
    (an uploaded framework is the uploader's own data)."""
    table = catalogue.with_sources()
    if "redistributable" in table:
        allowed = table["redistributable"].map(lambda v: True if pd.isna(v) else bool(v))
    else:
        allowed = pd.Series(True, index=table.index)
    blocked = table.loc[~allowed.astype(bool)]
    columns = [c for c in ("indicator", "name", "publisher", "title") if c in blocked]
    return set(table.loc[allowed.astype(bool), "indicator"]), blocked[columns].reset_index(
        drop=True
    )


def redistributable_values(values: pd.DataFrame, catalogue) -> tuple[pd.DataFrame, str]:
    """(rows of `values` whose indicator may be redistributed, a note naming the left-out
    indicators and their publishers; "" when nothing was left out). `values` is any table with
    an ``indicator`` column; indicators unknown to the catalogue are kept."""
    blocked = redistributable_indicators(catalogue)[1]
    present = blocked[blocked["indicator"].isin(set(values["indicator"]))]
    kept = values[~values["indicator"].isin(set(blocked["indicator"]))]
    return kept, redistribution_note(present)


def redistribution_note(blocked: pd.DataFrame) -> str:
    """One sentence naming left-out indicators (table from :func:`redistributable_indicators`)."""
    if blocked.empty:
        return ""
    named = []
    for row in blocked.to_dict("records"):
        publisher = row.get("publisher")
        label = f"{row.get('name') or row['indicator']}"
        named.append(f"{label} ({publisher})" if isinstance(publisher, str) else label)
    return _(
        "Left out because their publishers do not allow redistribution: {indicators}. Get these "
        "values from the publishers (see the sources); charts and scores still use them."
    ).format(indicators="; ".join(named))
