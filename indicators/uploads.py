"""Files people upload (CSV or Excel): read them as text, check them with the same contracts as the
shipped data, and turn the accepted rows into a catalogue and values the app can score.

Rules:

* Every cell is read as text, so "n/a" and Namibia's "NA" reach the contracts as written and are
  judged there (pandas' default reader would silently turn both into missing values).
* A read table's index is the file's line number (CSV) or the sheet's row number (Excel): every
  failure points at the place to fix. Blank lines are skipped; surrounding spaces are trimmed.
* A file that cannot be read at all (empty, not UTF-8 or UTF-16 with a byte-order mark, not a CSV,
  ';'-separated, no sheet or several sheets with the needed columns, header only) raises
  :class:`UploadError` with a message a person can act on.
* Sizes are bounded by :mod:`scoring.limits` (bytes, rows, columns, and an .xlsx's declared unzipped
  size and compression ratio, checked before anything is inflated); a refusal names the limit,
  the actual size and the environment variable that raises it.
* Up to ten title or banner rows above the header are skipped (a merged title over an Excel table).
* Accounting: every data row read is either accepted or rejected with its reasons.
* The accepted rows are used only if there is at least one; the catalogue is narrowed to the
  indicators that have accepted values, so a partial upload still scores.
"""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

import numpy as np
import pandas as pd

from i18n import N_, _, ngettext
from i18n import number as written
from indicators.catalogue import Catalogue
from indicators.upload_text import translated
from scoring.limits import Limits, megabytes
from scoring.limits import current as current_limits
from scoring.schemas import FAILURE_COLUMNS, CheckedTable, check_framework, check_values

VALUES_REQUIRED = ("iso3", "indicator", "year", "value")
VALUES_OPTIONAL = ("note",)
FRAMEWORK_REQUIRED = ("indicator", "dimension", "direction", "weight")
FRAMEWORK_OPTIONAL = ("name", "unit")
TEMPLATE_FRAMEWORK_COLUMNS = list(FRAMEWORK_REQUIRED)
# Three real rows for the values template: (iso3, indicator), each at its latest year.
TEMPLATE_EXAMPLES = (
    ("RUS", "rsf_press_freedom"),
    ("NAM", "ordinary_naturalisation"),
    ("DEU", "diplomatic_posts"),
)
UPLOAD_SOURCE = "upload"
UPLOAD_PUBLISHER = "Uploaded by you"
REPORT_COLUMNS = ["file", "line", "column", "value", "reason"]
EXCEL_MAGIC = b"PK\x03\x04"
OLD_EXCEL_MAGIC = b"\xd0\xcf\x11\xe0"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
UTF8_BOM = b"\xef\xbb\xbf"
#: A workbook's zip with more parts than this is refused before its directory is read.
MAX_WORKBOOK_PARTS = 10_000
#: How many filled rows at the top of a table may hold titles or banners above the header.
HEADER_SEARCH_ROWS = 10
SAVE_AS_CSV = N_(
    "Save it from your spreadsheet as 'CSV UTF-8 (comma delimited)' and upload it again."
)


class UploadError(ValueError):
    """The file cannot be read as a table; the message says why and what to do."""


def _refusal(limits: Limits, what: str, actual: str, limit_field: str) -> str:
    """A limit's refusal (:meth:`Limits.refusal`) in the run's language."""
    return translated(limits.refusal(what, actual, limit_field))


def _save_as_csv(message: str) -> str:
    return message + " " + _(SAVE_AS_CSV)


@dataclass(frozen=True)
class UploadedFile:
    name: str
    content: bytes


@dataclass(frozen=True)
class ReadTable:
    """Text cells (NaN = empty), indexed by line (CSV) or row (Excel) number."""

    frame: pd.DataFrame
    where: str  # "values.csv" or "book.xlsx, sheet 'data'"
    shape_failures: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=FAILURE_COLUMNS)
    )


# ---- reading


def read_upload(
    file: UploadedFile, required: Sequence[str], limits: Limits | None = None
) -> ReadTable:
    """Read a CSV or .xlsx upload as text; raise UploadError if it cannot be read as a table or
    is over one of the `limits` (default: :func:`scoring.limits.current`)."""
    limits = limits or current_limits()
    content = file.content
    if len(content) > limits.max_upload_bytes:
        raise UploadError(
            _refusal(limits, _("{file} is too large").format(file=file.name),
                     megabytes(len(content)), "max_upload_mb")
        )  # fmt: skip
    if not content or content.isspace():  # isspace: no copy of a large file
        raise UploadError(_("{file} is empty.").format(file=file.name))
    if content.startswith(EXCEL_MAGIC):
        return _read_xlsx(file, required, limits)
    if content.startswith(OLD_EXCEL_MAGIC) or file.name.lower().endswith(".xls"):
        raise UploadError(
            _("{file} is an old-style Excel file (.xls). Save it as .xlsx or as CSV UTF-8.")
            .format(file=file.name)
        )  # fmt: skip
    if file.name.lower().endswith((".xlsx", ".xlsm")):
        raise UploadError(_not_a_workbook(file.name))
    return _read_csv(file, required, limits)


def _decode(file: UploadedFile) -> str:
    """UTF-8 (with or without Excel's byte-order mark), or UTF-16 with a byte-order mark (Excel's
    'Unicode Text'); anything else is refused with the first byte that is not UTF-8."""
    content = file.content
    if content.startswith(UTF16_BOMS):
        try:
            return content.decode("utf-16")
        except UnicodeDecodeError:
            raise UploadError(
                _save_as_csv(
                    _("{file} starts like UTF-16 text but is not valid UTF-16.").format(
                        file=file.name
                    )
                )
            ) from None
    head = content[:8192]
    if b"\x00" in head or content.startswith(b"%PDF"):
        if len(head) > 3 and head.count(b"\x00") * 3 >= len(head):  # every other byte: UTF-16
            if content.startswith(UTF8_BOM):
                raise UploadError(
                    _save_as_csv(
                        _(
                            "{file} starts with a UTF-8 byte-order mark, but the text after it "
                            "is UTF-16."
                        ).format(file=file.name)
                    )
                )
            raise UploadError(
                _save_as_csv(
                    _("{file} looks like UTF-16 text without a byte-order mark.").format(
                        file=file.name
                    )
                )
            )
        raise UploadError(
            _save_as_csv(_("{file} does not look like a CSV or Excel file.").format(file=file.name))
        )
    try:
        return content.decode("utf-8-sig")  # -sig: drop the byte-order mark Excel writes
    except UnicodeDecodeError as error:
        byte, line = content[error.start], content[: error.start].count(b"\n") + 1
        raise UploadError(
            _save_as_csv(
                _(
                    "{file} is not UTF-8 text (byte {byte} on line {line}, probably another "
                    "encoding such as Windows-1252)."
                ).format(file=file.name, byte=f"0x{byte:02X}", line=line)
            )
        ) from None


def _read_csv(file: UploadedFile, required: Sequence[str], limits: Limits) -> ReadTable:
    content = file.content
    lines = content.count(b"\n") + (not content.endswith(b"\n"))
    if lines > limits.max_rows + HEADER_SEARCH_ROWS:
        # Refuse before parsing when the count is sure: far over even if every row had a blank
        # line or a two-line note, or no quote (so one line per row) and few blank lines.
        blank = content.count(b"\n\n") + content.count(b"\n\r\n")
        if lines > 2 * limits.max_rows + HEADER_SEARCH_ROWS or (
            b'"' not in content and lines - blank > limits.max_rows + HEADER_SEARCH_ROWS
        ):
            _refuse_rows(
                file.name,
                limits,
                ngettext("{n} line", "{n} lines", lines).format(n=written(lines, 0)),
            )
    text = _decode(file)
    # strict: an unclosed quote is an error, not a note that swallows every line after it.
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[tuple[int, list[str]]] = []
    filled = 0
    try:
        previous = 0
        for cells in reader:
            rows.append((previous + 1, cells))  # the line the record starts on
            previous = reader.line_num
            if any(c.strip() for c in cells):
                filled += 1
                if filled > limits.max_rows + HEADER_SEARCH_ROWS:  # stop early; exact below
                    _refuse_rows(file.name, limits, _more_rows(limits))
    except csv.Error as error:
        hint = (
            _('a quote (") opened there is never closed')
            if "end of data" in str(error)
            else _('a quoted cell must be followed by a comma (write "" for a quote inside it)')
        )
        raise UploadError(
            _(
                "{file} could not be read as CSV: the record starting on line {line} is "
                "malformed ({error}): {hint}."
            ).format(file=file.name, line=previous + 1, error=error, hint=hint)
        ) from None
    return _table(rows, file.name, required, line_word="line", limits=limits)


def _refuse_rows(where: str, limits: Limits, actual: str) -> None:
    what = _("{file} has too many rows").format(file=where)
    raise UploadError(_refusal(limits, what, actual, "max_rows"))


def _more_rows(limits: Limits) -> str:
    return _("more than {count} rows of data").format(count=written(limits.max_rows, 0))


def _not_a_workbook(name: str) -> str:
    return _("{file} could not be opened as an Excel workbook.").format(file=name)


def _check_zip(file: UploadedFile, limits: Limits) -> None:
    """Refuse a workbook whose parts would inflate past the limits, from the sizes its zip
    directory declares, before anything is inflated (Python's zipfile never yields more bytes than
    a part declares, so the declared sizes bound the work)."""
    entries = _zip_entry_count(file.content)
    if entries is not None and entries > MAX_WORKBOOK_PARTS:
        raise UploadError(
            _(
                "{file} is not a plain Excel workbook: its zip holds {count} parts (workbooks "
                "have a few dozen; at most {most} are read)."
            ).format(file=file.name, count=written(entries, 0), most=written(MAX_WORKBOOK_PARTS, 0))
        )
    try:
        with zipfile.ZipFile(io.BytesIO(file.content)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise UploadError(_not_a_workbook(file.name)) from None
    total = sum(part.file_size for part in parts)
    declare = _("its parts declare {size}")
    if total > limits.max_unzipped_bytes:
        raise UploadError(
            _refusal(limits, _("{file} is too large once unzipped").format(file=file.name),
                     declare.format(size=megabytes(total)), "max_unzipped_mb")
        )  # fmt: skip
    whole = sum(part.file_size for part in _parts_read_whole(file, parts))
    if whole > limits.max_xlsx_memory_bytes:
        raise UploadError(
            _refusal(
                limits,
                _("{file} holds too much besides its sheets (shared strings, styles), which "
                  "is read whole into memory").format(file=file.name),
                declare.format(size=megabytes(whole)),
                "max_xlsx_memory_mb",
            )
        )  # fmt: skip
    for part in parts:
        ratio = part.file_size / max(part.compress_size, 1)
        if part.file_size > 1_000_000 and ratio > limits.max_zip_ratio:
            raise UploadError(
                _refusal(
                    limits,
                    _(
                        "{file} looks like a zip bomb: its part {part} would inflate from "
                        "{packed} to {size}"
                    ).format(
                        file=file.name,
                        part=part.filename,
                        packed=megabytes(part.compress_size),
                        size=megabytes(part.file_size),
                    ),
                    _("a compression ratio of {ratio} times").format(ratio=written(ratio, 0)),
                    "max_zip_ratio",
                )
            )


#: Content types of the parts a reader streams row by row; every other XML part of a workbook
#: (shared strings, styles, the workbook itself, ...) is read whole into memory first.
STREAMED_TYPES = (
    "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml",
    "application/vnd.ms-excel.worksheet",
)
CONTENT_TYPES = "[Content_Types].xml"
#: Largest [Content_Types].xml read (a real one is a few kB).
MAX_CONTENT_TYPES_BYTES = 1_000_000


def _parts_read_whole(file: UploadedFile, parts: list[zipfile.ZipInfo]) -> list[zipfile.ZipInfo]:
    """The XML parts of a workbook that a reader holds whole in memory: all but the sheets and
    binary media, by the content types the package declares (how openpyxl finds the shared
    strings too, so a renamed part is still counted). Its declared sizes are trusted only as
    upper bounds (zipfile never yields more than a part declares)."""
    import xml.etree.ElementTree as ElementTree

    listing = next((part for part in parts if part.filename == CONTENT_TYPES), None)
    if listing is None:
        return [part for part in parts if part.filename.lower().endswith((".xml", ".rels"))]
    if listing.file_size > MAX_CONTENT_TYPES_BYTES:
        raise UploadError(
            _("{file} is not a plain Excel workbook: its {part} declares {size}.")
            .format(file=file.name, part=CONTENT_TYPES, size=megabytes(listing.file_size))
        )  # fmt: skip
    try:
        with zipfile.ZipFile(io.BytesIO(file.content)) as archive:
            root = ElementTree.fromstring(archive.read(listing))
    except (zipfile.BadZipFile, ElementTree.ParseError, ValueError, OSError, EOFError):
        raise UploadError(_not_a_workbook(file.name)) from None
    defaults, overrides = {}, {}
    for element in root:
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "Default":
            defaults[element.get("Extension", "").lower()] = element.get("ContentType", "")
        elif tag == "Override":
            overrides[element.get("PartName", "").lstrip("/")] = element.get("ContentType", "")
    whole = []
    for part in parts:
        extension = part.filename.rsplit(".", 1)[-1].lower() if "." in part.filename else ""
        kind = overrides.get(part.filename, defaults.get(extension, ""))
        if kind.endswith("xml") and kind not in STREAMED_TYPES:
            whole.append(part)
    return whole


def _zip_entry_count(content: bytes) -> int | None:
    """Entries the zip's end-of-central-directory record declares (None if there is none), read
    without building the directory, so a zip of millions of tiny parts costs nothing."""
    end = content.rfind(b"PK\x05\x06", max(0, len(content) - 65_557))
    if end < 0 or end + 12 > len(content):
        return None
    return int.from_bytes(content[end + 10 : end + 12], "little")


def _read_xlsx(file: UploadedFile, required: Sequence[str], limits: Limits) -> ReadTable:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    _check_zip(file, limits)
    try:
        book = load_workbook(io.BytesIO(file.content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError, EOFError):
        raise UploadError(_not_a_workbook(file.name)) from None
    seen, matching = [], []
    try:
        for sheet in book.worksheets:
            where = (
                file.name
                if len(book.worksheets) == 1
                else _("{file}, sheet '{sheet}'").format(file=file.name, sheet=sheet.title)
            )
            declared = _declared_rows(sheet)
            head, rest = _sheet_head(_sheet_rows(sheet, where, limits))
            header = _header(head, required)
            columns = _column_names(header[1]) if header else []
            listed = ", ".join(c for c in columns if c) or _("empty")
            seen.append(f"'{sheet.title}' ({listed})")
            if header and all(column in columns for column in required):
                matching.append((sheet, head, rest, where, declared))
        if len(matching) > 1:
            titles = ", ".join(f"'{sheet.title}'" for sheet, *_ in matching)
            raise UploadError(
                _(
                    "{file} has the columns {columns} on several sheets ({sheets}). Keep the data "
                    "on one sheet, or upload each sheet as its own file."
                ).format(file=file.name, columns=", ".join(required), sheets=titles)
            )
        if matching:
            sheet, head, rest, where, declared = matching[0]
            if declared is not None and declared > limits.max_rows + HEADER_SEARCH_ROWS:
                _refuse_rows(
                    where,
                    limits,
                    _("{count} rows, by the sheet's own count").format(count=written(declared, 0)),
                )
            rows = list(head)
            filled = sum(1 for _, cells in head if any(_filled(c) for c in cells))
            width = len(_column_names(_header(head, required)[1]))
            for number, raw in rest:
                row = (number, _row_text(raw, width))
                rows.append(row)
                if any(_filled(c) for c in row[1]):
                    filled += 1
                    if filled > limits.max_rows + HEADER_SEARCH_ROWS:
                        _refuse_rows(where, limits, _more_rows(limits))
            return _table(rows, where, required, line_word="row", limits=limits)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, EOFError) as error:
        if isinstance(error, UploadError):
            raise
        raise UploadError(
            _("{file} could not be read as an Excel workbook.").format(file=file.name)
        ) from None
    finally:
        book.close()
    raise UploadError(
        _("No sheet in {file} has the columns {columns}. Sheets found: {sheets}.").format(
            file=file.name, columns=", ".join(required), sheets="; ".join(seen)
        )
    )


def _sheet_rows(sheet, where: str, limits: Limits) -> Iterator[tuple[int, tuple]]:
    """Every row of a read-only sheet as (row number, cell values), a blank row as (number, ()).

    Bounded whatever the sheet declares: openpyxl pads each row to the sheet's declared width
    (or its last cell's column), so one cell in column XFD made every row 16,384 cells; rows are
    read at most twice the column limit wide. A jump in row numbers is read as blank rows one by
    one, so a row number past twice the row limit is refused. The declared height is not used to
    stop reading (a stale one would hide rows); it is checked by the caller."""
    declared_width = sheet.max_column if isinstance(sheet.max_column, int) else None
    width = min(declared_width or 2 * limits.max_columns, 2 * limits.max_columns)
    sheet.reset_dimensions()
    last = 2 * limits.max_rows + HEADER_SEARCH_ROWS
    for number, cells in enumerate(sheet.iter_rows(max_col=width, values_only=True), start=1):
        if number > last:
            _refuse_rows(
                where, limits, _("a row numbered {number}").format(number=written(number, 0))
            )
        yield number, (() if cells.count(None) == len(cells) else cells)


def _row_text(cells: tuple, width: int) -> list:
    """A row's values as text: the first `width` (the header's), or all of them when a cell past
    those is filled (reported as cells past the last column). Slicing and counting are done in C,
    so the padding openpyxl adds costs little."""
    tail = cells[width:]
    if tail.count(None) == len(tail):
        cells = cells[:width]
    return [_excel_text(cell) for cell in cells]


def _sheet_head(numbered: Iterator[tuple[int, tuple]]):
    """The sheet's first rows (up to HEADER_SEARCH_ROWS filled ones, as text cells) and an
    iterator over the rest (as cell values), each row with its number."""
    head, filled = [], 0
    for number, cells in numbered:
        row = (number, _row_text(cells, len(cells) - _trailing_empty(cells)))
        head.append(row)
        filled += any(_filled(c) for c in row[1])
        if filled >= HEADER_SEARCH_ROWS:
            break
    return head, numbered


def _trailing_empty(cells: tuple) -> int:
    count = 0
    for cell in reversed(cells):
        if cell is not None:
            break
        count += 1
    return count


def _declared_rows(sheet) -> int | None:
    """The row count the sheet's own dimension record declares (read-only mode reads it without
    reading the rows); None if the sheet does not say."""
    try:
        return sheet.max_row
    except (TypeError, ValueError):
        return None


def _excel_text(cell) -> str | None:
    """An Excel cell as the text a person sees: 2025 not 2025.0, dates as ISO dates."""
    if cell is None:
        return None
    if isinstance(cell, bool):
        return "TRUE" if cell else "FALSE"
    if isinstance(cell, float):
        return str(int(cell)) if cell.is_integer() and abs(cell) < 1e15 else repr(cell)
    if isinstance(cell, datetime | date):
        return cell.isoformat()
    return str(cell)


def _header(rows: list[tuple[int, list]], required: Sequence[str] = ()) -> tuple[int, list] | None:
    """The header: among the first HEADER_SEARCH_ROWS filled rows, the first that names every
    `required` column (titles and merged banners above it are skipped); else the first filled
    row, whose names the error message then quotes."""
    first = None
    searched = 0
    for number, cells in rows:
        if not any(_filled(c) for c in cells):
            continue
        first = first or (number, cells)
        names = _column_names(cells)
        if not required or all(column in names for column in required):
            return number, cells
        searched += 1
        if searched >= HEADER_SEARCH_ROWS:
            break
    return first


def _filled(cell) -> bool:
    return cell is not None and str(cell).strip() != ""


def _column_names(cells: list) -> list[str]:
    names = [str(c).strip().lower() if _filled(c) else "" for c in cells]
    while names and not names[-1]:
        names.pop()
    return names


def _table(
    rows: list[tuple[int, list]],
    where: str,
    required: Sequence[str],
    line_word: str,
    limits: Limits,
) -> ReadTable:
    """Header + numbered rows -> text frame indexed by line number; malformed rows reported."""
    header = _header(rows, required)
    if header is None:
        raise UploadError(_("{file} is empty.").format(file=where))
    header_line, header_cells = header
    columns = _column_names(header_cells)
    if len(columns) > limits.max_columns:
        raise UploadError(
            _refusal(limits, _("{file} has too many columns").format(file=where),
                     _("{count} in its header").format(count=written(len(columns), 0)), "max_columns")
        )  # fmt: skip
    missing = [column for column in required if column not in columns]
    if missing:
        raise UploadError(_missing_columns_message(where, columns, missing, required))
    repeated = sorted({c for c in columns if c and columns.count(c) > 1})
    if repeated:
        raise UploadError(
            _("{file}: column {columns} appears twice in the header.").format(
                file=where, columns=", ".join(repeated)
            )
        )
    columns = [name or f"column {i + 1}" for i, name in enumerate(columns)]
    width = len(columns)
    numbers, records, malformed = [], [], []
    for number, cells in rows:
        if number <= header_line or not any(_filled(c) for c in cells):
            continue
        extra = [str(c).strip() for c in cells[width:] if _filled(c)]
        if extra:
            malformed.append(
                (
                    number,
                    "",
                    ", ".join(extra),
                    "field_count",
                    _past_last_column(line_word, len(columns)),
                )
            )
            continue
        cells = [str(c).strip() if _filled(c) else None for c in cells[:width]]
        records.append(cells + [None] * (width - len(cells)))
        numbers.append(number)
    if not records and not malformed:
        raise UploadError(_("{file} has the column names but no rows of data.").format(file=where))
    if len(records) + len(malformed) > limits.max_rows:
        count = len(records) + len(malformed)
        _refuse_rows(
            where,
            limits,
            ngettext("{n} row of data", "{n} rows of data", count).format(n=written(count, 0)),
        )
    frame = pd.DataFrame(records, columns=columns, index=pd.Index(numbers, dtype="int64"))
    frame = frame.astype("str") if len(frame) else frame.astype(object)
    return ReadTable(frame, where, pd.DataFrame(malformed, columns=FAILURE_COLUMNS))


def _past_last_column(line_word: str, width: int) -> str:
    """The reason for a row with cells past the header's last column ("line" of a CSV file, "row"
    of an Excel sheet)."""
    if line_word == "line":
        message = _(
            "line has cells past the last column ({count} columns in the header): a stray comma "
            "or an unquoted comma in a note?"
        )
    else:
        message = _(
            "row has cells past the last column ({count} columns in the header): a stray comma "
            "or an unquoted comma in a note?"
        )
    return message.format(count=width)


def _missing_columns_message(
    where: str, columns: list[str], missing: list[str], required: Sequence[str]
) -> str:
    first = columns[0] if columns else ""
    if len([c for c in columns if c]) == 1:
        for separator, name in ((";", N_("semicolons (;)")), ("\t", N_("tabs"))):
            if separator in first:
                return _(
                    "{file} separates its columns with {separator}, not commas. Save it as "
                    "comma-separated 'CSV UTF-8' and upload it again."
                ).format(file=where, separator=_(name))
    found = ", ".join(c for c in columns if c) or _("none")
    return ngettext(
        "{file} lacks the column {missing}. It needs {required}; the header has: {found}.",
        "{file} lacks the columns {missing}. It needs {required}; the header has: {found}.",
        len(missing),
    ).format(file=where, missing=", ".join(missing), required=", ".join(required), found=found)


# ---- checking


@dataclass(frozen=True)
class FileCheck:
    """One uploaded file: why it could not be read, or the contracts' verdict on its rows."""

    name: str
    where: str
    problem: str | None = None
    checked: CheckedTable | None = None

    @property
    def rows_read(self) -> int:
        return self.checked.rows_read if self.checked else 0

    @property
    def accepted(self) -> int:
        return len(self.checked.accepted) if self.checked else 0

    @property
    def rejected(self) -> int:
        return self.checked.rejected_rows if self.checked else 0

    def accounting(self) -> str:
        """'Read N rows: A accepted, R rejected.' Every row read is one or the other; a file that
        could not be read says so instead.

        >>> FileCheck("a.csv", "a.csv", problem="a.csv is empty.").accounting()
        'Read no rows: a.csv is empty.'
        """
        if self.problem:
            return _("Read no rows: {problem}").format(problem=self.problem)
        return ngettext(
            "Read {n} row: {accepted} accepted, {rejected} rejected.",
            "Read {n} rows: {accepted} accepted, {rejected} rejected.",
            self.rows_read,
        ).format(
            n=written(self.rows_read, 0),
            accepted=written(self.accepted, 0),
            rejected=written(self.rejected, 0),
        )


@dataclass(frozen=True)
class UploadCheck:
    """The outcome of an upload: per file, the failures, and (if any row passed) what is used."""

    values: FileCheck
    framework: FileCheck | None
    token: str
    catalogue: Catalogue | None = None
    values_used: pd.DataFrame | None = None
    notes: tuple[str, ...] = ()

    @property
    def usable(self) -> bool:
        return self.values_used is not None and len(self.values_used) > 0

    def failures(self) -> pd.DataFrame:
        """Every rejected cell: file, line (line of a CSV, row of an Excel sheet), column, value,
        reason; framework first."""
        parts = []
        for file in (self.framework, self.values):
            if file is None or file.checked is None or file.checked.failures.empty:
                continue
            failures = file.checked.failures
            parts.append(
                pd.DataFrame(
                    {
                        "file": file.where,
                        "line": failures["row"].astype("Int64"),
                        "column": failures["column"].astype(str),
                        "value": failures["value"].astype(str),
                        "reason": failures["reason"].astype(str),
                    }
                )
            )
        if not parts:
            return pd.DataFrame(columns=REPORT_COLUMNS)
        return pd.concat(parts, ignore_index=True)


def upload_token(files: Iterable[UploadedFile | None]) -> str:
    """'upload-' + sha256 of the files' bytes (in order), to key caches."""
    digest = hashlib.sha256()
    for file in files:
        digest.update(b"\x00file\x00")  # two updates: no copy of a large upload
        digest.update(file.content if file else b"")
    return f"upload-{digest.hexdigest()}"


def _check_file(
    file: UploadedFile, required: Sequence[str], check, limits: Limits | None = None
) -> tuple[FileCheck, ReadTable | None]:
    try:
        table = read_upload(file, required, limits)
    except UploadError as error:
        return FileCheck(file.name, file.name, problem=str(error)), None
    checked = check(table.frame) if len(table.frame) else None
    if checked is None:
        checked = CheckedTable(table.frame, pd.DataFrame(columns=FAILURE_COLUMNS), 0)
    if len(table.shape_failures):
        checked = CheckedTable(
            checked.accepted,
            pd.concat([table.shape_failures, checked.failures], ignore_index=True)
            .sort_values("row", kind="stable")
            .reset_index(drop=True),
            checked.rows_read + len(table.shape_failures),
        )
    return FileCheck(file.name, table.where, checked=checked), table


def check_upload(
    values_file: UploadedFile,
    framework_file: UploadedFile | None,
    catalogue: Catalogue,
    countries: pd.DataFrame,
    year_window: tuple[int, int] | None = None,
    limits: Limits | None = None,
) -> UploadCheck:
    """Check an upload with the shipped contracts and say what would be used.

    Without a framework file, indicator ids must be the catalogue's; with one, the values must use
    its ids. Country codes must be in `countries` either way.
    """
    token = upload_token([values_file, framework_file])
    framework_check, reference = None, catalogue
    if framework_file is not None:
        framework_check, table = _check_file(
            framework_file,
            FRAMEWORK_REQUIRED,
            check_framework,
            limits,
        )
        if framework_check.accepted == 0:
            if framework_check.problem:
                problem = _("Not checked: the framework file {file} could not be read.")
            else:
                problem = _(
                    "Not checked: the framework file {file} has no accepted row (see its failures)."
                )
            return UploadCheck(
                FileCheck(
                    values_file.name,
                    values_file.name,
                    problem=problem.format(file=framework_check.name),
                ),
                framework_check,
                token,
            )
        reference = uploaded_catalogue(framework_check.checked.accepted, framework_file.name)
        framework = reference.framework()
        if "unit" not in table.frame.columns:
            framework = framework.drop(columns="unit")  # no units declared: nothing to compare
    else:
        framework = catalogue.framework()
    values_check, _table_read = _check_file(
        values_file,
        VALUES_REQUIRED,
        lambda frame: check_values(frame, framework, countries),
        limits,
    )
    if values_check.accepted == 0:
        return UploadCheck(values_check, framework_check, token)
    values = _tidy_values(values_check.checked.accepted)
    files = [f.name for f in (values_file, framework_file) if f is not None]
    used = narrowed(reference, values["indicator"], files, keep_sources=framework_file is not None)
    notes = _notes(values, reference, used, framework_file is not None, year_window)
    return UploadCheck(values_check, framework_check, token, used, values, notes)


def _tidy_values(accepted: pd.DataFrame) -> pd.DataFrame:
    values = accepted.reset_index(drop=True)
    if "note" not in values.columns:
        values["note"] = ""
    values["note"] = values["note"].fillna("").astype(str)
    return values[["iso3", "indicator", "year", "value", "note"]]


def _notes(values, reference, used, with_framework, year_window) -> tuple[str, ...]:
    first_year, last_year = values["year"].min(), values["year"].max()
    if first_year == last_year:
        years = _("year {year}").format(year=first_year)
    else:
        years = _("years {first}–{last}").format(first=first_year, last=last_year)
    counts = {
        "values": ngettext("{n} value", "{n} values", len(values)),
        "countries": ngettext("{n} country", "{n} countries", values["iso3"].nunique()),
        "indicators": ngettext("{n} indicator", "{n} indicators", len(used.indicators)),
        "dimensions": ngettext(
            "{n} dimension", "{n} dimensions", used.dimensions["dimension"].nunique()
        ),
    }
    counted = {
        "values": counts["values"].format(n=len(values)),
        "countries": counts["countries"].format(n=values["iso3"].nunique()),
        "indicators": counts["indicators"].format(n=len(used.indicators)),
        "dimensions": counts["dimensions"].format(n=used.dimensions["dimension"].nunique()),
    }
    notes = [
        _("{values} for {countries}, {indicators} in {dimensions}, {years}.").format(
            years=years, **counted
        )
    ]
    left_out = reference.indicators.loc[
        ~reference.indicators["indicator"].isin(used.indicators["indicator"]), "indicator"
    ].tolist()
    if left_out:
        if with_framework:
            message = _(
                "Left out {count} of your framework's indicators that have no accepted value: "
                "{indicators}."
            )
        else:
            message = _(
                "Left out {count} of the catalogue's indicators that have no accepted value: "
                "{indicators}."
            )
        notes.append(message.format(count=len(left_out), indicators=", ".join(left_out)))
    if year_window is not None:
        first, last = year_window
        outside = int(((values["year"] < first) | (values["year"] > last)).sum())
        if outside:
            notes.append(
                ngettext(
                    "{n} accepted value is outside the years {first}–{last} the scoring uses, "
                    "so it counts on no page's scores.",
                    "{n} accepted values are outside the years {first}–{last} the scoring uses, "
                    "so they count on no page's scores.",
                    outside,
                ).format(n=outside, first=first, last=last)
            )
    return tuple(notes)


# ---- the catalogue an upload is scored with


def dimension_label(dimension: str) -> str:
    """A readable name for an uploaded dimension id.

    >>> dimension_label("media_reach")
    'Media reach'
    """
    text = dimension.replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def uploaded_catalogue(framework: pd.DataFrame, file_name: str) -> Catalogue:
    """A Catalogue for an uploaded framework (indicator, dimension, direction, weight[, name, unit]).

    Names default to the ids, units to "", every dimension weighs 1, ranges are open and the
    source is the person who uploaded it.
    """
    frame = framework.reset_index(drop=True)
    ids = frame["indicator"].astype(str)
    names = frame["name"].fillna(ids) if "name" in frame.columns else ids
    units = frame["unit"].fillna("").astype(str) if "unit" in frame.columns else ""
    indicators = pd.DataFrame(
        {
            "indicator": ids,
            "name": names.astype(str),
            "dimension": frame["dimension"].astype(str),
            "unit": units,
            "direction": frame["direction"].astype(int),
            "weight": frame["weight"].astype(float),
            "range_low": np.nan,
            "range_high": np.nan,
            "goalpost_low": np.nan,
            "goalpost_high": np.nan,
            "source": UPLOAD_SOURCE,
            "denominator_source": "",
            "description": f"Defined in your framework file {file_name}.",
            "proxy_for": "Not stated: an indicator you uploaded.",
            "direction_rationale": "",
            "absence": "missing",
            "absence_rationale": "",
            "transform": "",
            "limits": "Not stated: an indicator you uploaded.",
        }
    )
    dimension_ids = list(dict.fromkeys(indicators["dimension"]))
    side_of = (
        dict(
            zip(frame["dimension"].astype(str), frame["side"].fillna("").astype(str), strict=False)
        )
        if "side" in frame.columns
        else {}
    )
    dimensions = pd.DataFrame(
        {
            "dimension": dimension_ids,
            "name": [dimension_label(d) for d in dimension_ids],
            "side": [side_of.get(d, "") for d in dimension_ids],
            "weight": 1.0,
            "description": f"A dimension of your framework file {file_name}.",
            "rationale": "",
        }
    )
    side_ids = [side for side in dict.fromkeys(dimensions["side"]) if side]
    sides = pd.DataFrame(
        {
            "side": side_ids,
            "name": [dimension_label(side) for side in side_ids],
            "description": f"A side of your framework file {file_name}.",
        },
        columns=["side", "name", "description"],
    )
    return Catalogue(dimensions, indicators, _upload_source([file_name]), sides)


def _upload_source(files: list[str], note: str = "") -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "source": UPLOAD_SOURCE,
                "publisher": UPLOAD_PUBLISHER,
                "title": " + ".join(files) + note,
                "url": "",
                "licence": "Your data: check its licence before sharing exports",
                "edition": " + ".join(files),
                "folder": "",
                "redistributable": True,
            }
        ]
    )


def narrowed(
    catalogue: Catalogue, indicators: Iterable[str], files: list[str], keep_sources: bool
) -> Catalogue:
    """The catalogue cut down to `indicators` (and the dimensions that still have one), with the
    uploaded files as the source of every indicator.

    `keep_sources` False (values on the shipped catalogue's ids): the definitions stay the
    catalogue's, but the numbers are the person's, so the source becomes the upload.
    """
    wanted = set(indicators)
    english = catalogue.english  # the catalogue's own words; its translations travel along
    rows = english["indicators"][english["indicators"]["indicator"].isin(wanted)].copy()
    rows["source"] = UPLOAD_SOURCE
    rows["denominator_source"] = ""
    dimensions = english["dimensions"]
    dimensions = dimensions[dimensions["dimension"].isin(rows["dimension"])]
    sides = english["sides"]
    note = "" if keep_sources else " (indicator definitions from the shipped catalogue)"
    return Catalogue(
        dimensions.reset_index(drop=True),
        rows[english["indicators"].columns].reset_index(drop=True),
        _upload_source(files, note),
        sides[sides["side"].isin(dimensions["side"])].reset_index(drop=True),
        translations=catalogue.translations,
    )


# ---- downloads


def values_template(values: pd.DataFrame) -> bytes:
    """The values header and three real rows of `values` (TEMPLATE_EXAMPLES, latest year each)."""
    rows = []
    for iso3, indicator in TEMPLATE_EXAMPLES:
        match = values[(values["iso3"] == iso3) & (values["indicator"] == indicator)]
        if len(match):
            rows.append(match.sort_values("year").iloc[-1])
    example = pd.DataFrame(rows) if len(rows) == 3 else values.head(3)
    example = example.reindex(columns=[*VALUES_REQUIRED, *VALUES_OPTIONAL]).fillna({"note": ""})
    return example.to_csv(index=False, lineterminator="\n").encode("utf-8")


def framework_template(catalogue: Catalogue) -> bytes:
    """The shipped framework's indicator, dimension, direction and weight columns."""
    framework = catalogue.framework()[TEMPLATE_FRAMEWORK_COLUMNS]
    return framework.to_csv(index=False, lineterminator="\n").encode("utf-8")
