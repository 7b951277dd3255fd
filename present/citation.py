"""How to cite a view of the scorecard: BibTeX, RIS, CSL-JSON and plain text from one record.

A citation names the app's version, the data version (a digest of the shipped tables and the
date of their newest copy), the Method in one line, the sources behind the view and the link
that reopens it. Pure: no streamlit; words of the plain text go through the catalogue.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from pathlib import Path

import pandas as pd

import i18n
from i18n import N_, _

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
APP_TITLE = N_("Soft Power Scorecard")
DISTRIBUTION = "soft-power-scorecard"
DIGEST_LENGTH = 12  # hex digits: 48 bits, enough to tell data versions apart by eye


@dataclass(frozen=True)
class Source:
    publisher: str
    title: str
    edition: str
    licence: str
    url: str


@dataclass(frozen=True)
class Citation:
    """Everything a reference to one view carries. `data_date` is None when no copy date is known."""

    view: str
    app_version: str
    data_digest: str
    data_date: datetime.date | None
    method: str
    sources: tuple[Source, ...]
    url: str
    accessed: datetime.date

    @property
    def title(self) -> str:
        return f"{_(APP_TITLE)}: {self.view}" if self.view else _(APP_TITLE)

    @property
    def data_version(self) -> str:
        if self.data_date is None:
            return self.data_digest
        return f"{self.data_digest} ({self.data_date.isoformat()})"

    @property
    def key(self) -> str:
        """A BibTeX key that differs per access date and data version."""
        return f"softpowerscorecard{self.accessed:%Y%m%d}{self.data_digest[:6]}"


# ----------------------------------------------------------------------------- versions
def app_version() -> str:
    """The installed package's version, else pyproject.toml's (a checkout run without install)."""
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        with (ROOT / "pyproject.toml").open("rb") as file:
            return tomllib.load(file)["project"]["version"]


def data_digest(data_dir: Path = DATA_DIR) -> str:
    """sha256 over the shipped tables (each file's name and bytes, in name order), shortened.
    Any changed byte, added or renamed table gives another digest."""
    digest = hashlib.sha256()
    for path in sorted(data_dir.glob("*.csv"), key=lambda p: p.name):
        digest.update(path.name.encode("utf-8") + b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()[:DIGEST_LENGTH]


def data_date(data_dir: Path = DATA_DIR) -> datetime.date | None:
    """The date of the newest publisher copy behind the tables, as the build records it in
    vintage.csv (`retrieved`); None when no date is recorded. The build writes no wall-clock
    date, so that it stays byte-for-byte reproducible."""
    path = data_dir / "vintage.csv"
    if not path.exists():
        return None
    retrieved = pd.read_csv(path, usecols=["retrieved"], dtype=str)["retrieved"].dropna()
    days = pd.to_datetime(retrieved.str[:10], format="%Y-%m-%d", errors="coerce").dropna()
    return None if days.empty else days.max().date()


def shipped_data_version(data_dir: Path = DATA_DIR) -> tuple[str, datetime.date | None]:
    """(digest, date) of the shipped tables; read again only when a table's size or time changes
    (an update of the data while the server runs)."""
    stamp = tuple(
        (p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in sorted(data_dir.glob("*.csv"))
    )
    return _data_version(data_dir, stamp)


@cache
def _data_version(data_dir: Path, _stamp: tuple) -> tuple[str, datetime.date | None]:
    return data_digest(data_dir), data_date(data_dir)


# ----------------------------------------------------------------------------- content
def method_line(sc, dimension_names: dict[str, str]) -> str:
    """The Method in one line (weights, normalisation, aggregation, year), as chart subtitles show it."""
    from present.tables import method_summary

    return method_summary(sc, dimension_names)


def sources_of(catalogue, indicator_ids=None) -> tuple[Source, ...]:
    """The publishers behind `indicator_ids` (all the catalogue's by default), in catalogue order."""
    used = catalogue.indicators
    if indicator_ids is not None:
        used = used[used["indicator"].isin(list(indicator_ids))]
    rows = catalogue.sources[catalogue.sources["source"].isin(used["source"])]

    def text(value) -> str:
        return "" if value is None or pd.isna(value) else str(value)

    return tuple(
        Source(
            text(row.publisher),
            text(row.title),
            text(row.edition),
            text(getattr(row, "licence", "")),
            text(getattr(row, "url", "")),
        )
        for row in rows.itertuples()
    )


def for_scorecard(
    sc,
    catalogue,
    view: str = "",
    url: str = "",
    indicator_ids=None,
    accessed: datetime.date | None = None,
    data_dir: Path | None = None,
    upload: str | None = None,
) -> Citation:
    """The citation of a view of `sc`: its sources are its counted indicators' (or `indicator_ids`').
    The data version is the shipped tables' (in `data_dir`, by default the app's data folder),
    or for data the user brought, `upload`: the upload's own digest, with no date."""
    from indicators.catalogue import data_dir as shipped_dir
    from present.tables import counted_indicators

    if upload:
        digest, day = upload[:DIGEST_LENGTH], None
    else:
        digest, day = shipped_data_version(data_dir or shipped_dir())
    return Citation(
        view=view,
        app_version=app_version(),
        data_digest=digest,
        data_date=day,
        method=method_line(sc, catalogue.dimension_names()),
        sources=sources_of(
            catalogue, counted_indicators(sc) if indicator_ids is None else indicator_ids
        ),
        url=url,
        accessed=accessed or datetime.date.today(),
    )


def sources_text(citation: Citation) -> str:
    """'Publisher, Title (edition); …': the sources as one line."""
    return "; ".join(_source_text(s) for s in citation.sources)


def _source_text(source: Source) -> str:
    edition = f" ({source.edition})" if source.edition else ""
    return f"{source.publisher}, {source.title}{edition}"


# ----------------------------------------------------------------------------- formats
BIBTEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


def bibtex_escape(text: str) -> str:
    r"""Text safe inside a BibTeX field: LaTeX's special characters escaped.

    >>> bibtex_escape("R&D 50% {x}_1 $#")
    'R\\&D 50\\% \\{x\\}\\_1 \\$\\#'
    """
    return "".join(BIBTEX_SPECIAL.get(char, char) for char in text)


def _url_field(url: str) -> str:
    # url is verbatim for biber; only braces could unbalance the entry, so they are percent-encoded
    return url.replace("{", "%7B").replace("}", "%7D")


def bibtex(citation: Citation) -> str:
    """A biblatex @misc entry (also read by classic BibTeX); `url`/`urldate` per biblatex."""
    fields = [
        ("title", "{" + bibtex_escape(citation.title) + "}"),
        ("version", bibtex_escape(citation.app_version)),
        ("year", str(citation.accessed.year)),
        ("url", _url_field(citation.url)),
        ("urldate", citation.accessed.isoformat()),
        ("note", bibtex_escape(_note(citation))),
    ]
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields if value)
    return f"@misc{{{citation.key},\n{body}\n}}\n"


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _note(citation: Citation) -> str:
    parts = [
        _("Data version {version}").format(version=citation.data_version),
        _("Method: {method}").format(method=citation.method),
    ]
    if citation.sources:
        parts.append(_("Sources: {sources}").format(sources=sources_text(citation)))
    return _one_line(". ".join(p.rstrip(".") for p in parts) + ".")


def ris(citation: Citation) -> str:
    """An RIS record (TY  - DATA … ER  - ), one tag per line, CRLF as the format's readers expect."""
    lines = [
        ("TY", "DATA"),
        ("TI", citation.title),
        ("PB", _(APP_TITLE)),
        ("ET", citation.app_version),
        ("PY", str(citation.accessed.year)),
        ("Y2", citation.accessed.strftime("%Y/%m/%d")),
        ("UR", citation.url),
        ("N1", _("Data version {version}").format(version=citation.data_version)),
        ("N1", _("Method: {method}").format(method=citation.method)),
    ]
    lines += [
        ("N1", _("Source: {source}").format(source=_source_text(s))) for s in citation.sources
    ]
    text = "".join(f"{tag}  - {_one_line(value)}\r\n" for tag, value in lines if value)
    return text + "ER  - \r\n"


def _date_parts(day: datetime.date) -> dict:
    return {"date-parts": [[day.year, day.month, day.day]]}


def csl_item(citation: Citation) -> dict:
    """One CSL-JSON item (the CSL data schema's field names), type dataset."""
    item = {
        "id": citation.key,
        "type": "dataset",
        "title": citation.title,
        "publisher": _(APP_TITLE),
        "version": citation.app_version,
        "accessed": _date_parts(citation.accessed),
        "note": _note(citation),
    }
    if citation.url:
        item["URL"] = citation.url
    if citation.data_date is not None:
        item["issued"] = _date_parts(citation.data_date)
    return item


def csl_json(citation: Citation) -> str:
    """CSL-JSON: a list holding the one item, as citation managers import it."""
    return json.dumps([csl_item(citation)], ensure_ascii=False, indent=2) + "\n"


def plain(citation: Citation) -> str:
    """The reference as a sentence, in the run's language."""
    version = _("version {app}; data {data}").format(
        app=citation.app_version, data=citation.data_version
    )
    text = f"{citation.title} ({version}). " + _("Method: {method}").format(
        method=citation.method.rstrip(".")
    )
    if citation.sources:
        text += ". " + _("Sources: {sources}").format(sources=sources_text(citation))
    if citation.url:
        text += ". " + citation.url
    text += " " + _("(accessed {day}).").format(day=i18n.date(citation.accessed))
    return _one_line(text) + "\n"


FORMATS = {  # id: (label, file extension, media type, writer)
    "bibtex": ("BibTeX", "bib", "application/x-bibtex", bibtex),
    "ris": ("RIS", "ris", "application/x-research-info-systems", ris),
    "csl": ("CSL-JSON", "json", "application/vnd.citationstyles.csl+json", csl_json),
    "text": ("Text", "txt", "text/plain", plain),
}
