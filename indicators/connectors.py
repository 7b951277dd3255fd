"""Connectors: where each publisher's files come from and how to fetch them into a sources folder.

`CONNECTORS = {folder: Connector}` has one connector per publisher folder a loader reads
(`indicators.loaders.registry`, the one list of publishers; a folder without a connector, or a
connector no loader needs, is an error at import).
A connector knows the publisher's official endpoint(s) and the file name(s) the loader reads in
`<sources>/<folder>/`; `connector.fetch(fetch, dest)` downloads into `dest` (that folder) and returns
what it wrote (`Fetched`, with the edition it saw where the publisher states one). Connectors
without a stable download URL (`connector.automatic` is False) say why in `connector.manual`: for
those, download the files by hand and run `update-data --from-dir DIR` (same layout as
`../shared/sources`).

Where a publisher's download differs from the loader's layout, the connector converts it:

- World Bank: the API's JSON pages are joined into one API answer, which the worldbank loader reads
  directly (`BX.TRF.PWKR.DT.GD.ZS.json` + `countries.json`, see `indicators/loaders/worldbank.py`).
- EITI: the API's country list (paginated JSON) becomes the columns of `eiti_status.csv`; Validation
  scores, which the list does not carry, and the rows of countries the API does not list
  (supporting countries, never implemented) are carried over from the previous `eiti_status.csv`
  when one is given (`Fetch.previous`).
- RSF: the official CSV (semicolons, decimal commas, `Score <year>`) becomes the comma CSV the rsf
  loader reads. UN DESA: Table 1 of the official workbook becomes the CSV of its both-sexes columns.
- Passport Index: the raw CSV from GitHub, plus `snapshot_date.txt` (date of the file's last
  commit, from the GitHub API) so the values carry the snapshot's year.
- Voeten: the newest ideal-point file of the Dataverse dataset, found with the Dataverse API.

HTTP goes through a small `HttpClient` protocol, `get(url, timeout) -> (status, headers, body)`:
`UrllibClient` does one request; `RetryingClient` wraps any client with retries and exponential
backoff (sleep injectable). Every failure is a `SourceError` naming the publisher folder and what to
do: offline (host unreachable after the retries), HTTP error, API error, or schema drift (the
publisher's answer no longer has the expected shape).
"""

from __future__ import annotations

import contextlib
import csv
import http.client
import io
import json
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Protocol

import pandas as pd

from indicators.loaders import (
    broadcasters,
    cultural_institutes,
    diaspora_voting,
    eiti,
    freedom_house,
    gallup,
    globalcit,
    heritage,
    lowy,
    passport,
    rsf,
    uis,
    undesa,
    vdem,
    voeten,
    worldbank,
    wpp,
)
from indicators.loaders.registry import publisher_folders
from scoring import limits
from scoring.limits import NestingError, loads_json, megabytes

# ============================================================================ HTTP


class HttpClient(Protocol):
    """One GET: (HTTP status, headers, body). Raises OSError (URLError, TimeoutError, ...) when the
    host cannot be reached; HTTP error statuses are returned, not raised."""

    def get(self, url: str, timeout: float) -> tuple[int, Mapping[str, str], bytes]: ...


USER_AGENT = "soft-power-scorecard data refresh (python urllib)"


class UrllibClient:
    """One request with urllib, https/http only."""

    def __init__(self, user_agent: str = USER_AGENT):
        self.user_agent = user_agent

    def get(self, url: str, timeout: float) -> tuple[int, Mapping[str, str], bytes]:
        scheme = urllib.parse.urlsplit(url).scheme
        if scheme not in ("https", "http"):
            raise ValueError(f"{url}: only http(s) URLs are fetched")
        request = urllib.request.Request(url, headers={"User-Agent": self.user_agent})
        # One byte past the limit, so `request` can tell a body over it (never read whole).
        most = limits.current().max_source_bytes + 1
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
                return response.status, dict(response.headers), response.read(most)
        except urllib.error.HTTPError as error:
            with error:
                return error.code, dict(error.headers or {}), error.read(most)


class Unreachable(OSError):
    """The host could not be reached, after `attempts` tries."""

    def __init__(self, url: str, attempts: int, reason: str):
        self.url, self.attempts, self.reason = url, attempts, reason
        tries = "1 attempt" if attempts == 1 else f"{attempts} attempts"
        super().__init__(f"{url}: {reason} (after {tries})")


RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
NETWORK_ERRORS = (OSError, http.client.HTTPException)  # URLError and TimeoutError are OSErrors


@dataclass
class RetryingClient:
    """Retries a client on network errors and on 408/429/5xx answers, sleeping `backoff`, 2 x
    `backoff`, 4 x ... seconds between attempts (a Retry-After in seconds is honoured, up to
    `max_wait`). After the last attempt a network error becomes `Unreachable`; an error status is
    returned as it is. `sleeps` records every wait, for the caller and for tests."""

    client: HttpClient = field(default_factory=UrllibClient)
    attempts: int = 4
    backoff: float = 1.0
    max_wait: float = 60.0
    sleep: Callable[[float], None] = time.sleep
    sleeps: list[float] = field(default_factory=list)

    def get(self, url: str, timeout: float) -> tuple[int, Mapping[str, str], bytes]:
        for attempt in range(1, self.attempts + 1):
            wait = min(self.backoff * 2 ** (attempt - 1), self.max_wait)
            try:
                status, headers, body = self.client.get(url, timeout)
            except NETWORK_ERRORS as error:
                if attempt == self.attempts:
                    raise Unreachable(url, attempt, _reason(error)) from error
            else:
                if status not in RETRY_STATUSES or attempt == self.attempts:
                    return status, headers, body
                wait = _retry_after(headers, wait, self.max_wait)
            self.sleeps.append(wait)
            self.sleep(wait)
        raise AssertionError("unreachable")  # pragma: no cover


def default_client(sleep: Callable[[float], None] = time.sleep) -> RetryingClient:
    """urllib with 4 attempts and 1, 2, 4 s backoff."""
    return RetryingClient(UrllibClient(), sleep=sleep)


def _reason(error: BaseException) -> str:
    """'URLError: no network', 'gaierror: [Errno -3] ...' (the innermost cause urllib gives)."""
    reason = getattr(error, "reason", None)
    cause = reason if isinstance(reason, BaseException) else error
    text = str(reason) if isinstance(reason, str) else str(cause)
    return f"{type(cause).__name__}: {text}" if text else type(cause).__name__


def _retry_after(headers: Mapping[str, str], default: float, most: float) -> float:
    value = {k.lower(): v for k, v in headers.items()}.get("retry-after", "")
    return min(float(value), most) if str(value).strip().isdigit() else default


# ============================================================================ errors and results


class SourceError(Exception):
    """A publisher could not be refreshed. `kind`: offline, http, api, drift, manual or missing."""

    def __init__(self, folder: str, kind: str, message: str):
        self.folder, self.kind = folder, kind
        super().__init__(f"{folder}: {message}")


@dataclass(frozen=True)
class Fetched:
    """What a connector wrote into the publisher folder."""

    folder: str
    files: tuple[str, ...]
    edition: str = ""  # as stated by the publisher; '' = not stated (sources.yaml's applies)
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Fetch:
    """How to fetch: the client, a per-request timeout, today's date, and the folder holding this
    publisher's previous files (or None)."""

    client: HttpClient
    today: date
    timeout: float = 60.0
    previous: Path | None = None


@dataclass(frozen=True)
class Connector:
    folder: str
    files: tuple[str, ...]  # file names the loader reads in <sources>/<folder>/
    endpoints: tuple[str, ...] = ()  # official download URLs
    download: Callable[[Connector, Fetch, Path], Fetched] | None = None
    # why there is no automatic download and where to get the files by hand (for automatic
    # connectors: what the download does not cover)
    manual: str = ""

    @property
    def automatic(self) -> bool:
        return self.download is not None

    def fetch(self, fetch: Fetch, dest: Path) -> Fetched:
        """Download into `dest` (the publisher folder, created); SourceError on any failure."""
        if self.download is None:
            raise SourceError(self.folder, "manual", f"{self.manual} Use --from-dir.")
        dest.mkdir(parents=True, exist_ok=True)
        try:
            return self.download(self, fetch, dest)
        except SourceError:
            raise
        except Exception as error:  # a conversion meeting an unexpected layout
            raise drift(self, f"{type(error).__name__}: {error}") from error


# ============================================================================ helpers


def get_bytes(connector: Connector, fetch: Fetch, url: str, *, missing_ok: bool = False) -> bytes:
    """The body of a 200 answer; SourceError otherwise (b'' for a 404 when `missing_ok`)."""
    status, body = request(connector, fetch, url)
    if status == 404 and missing_ok:
        return b""
    if status != 200:
        raise SourceError(
            connector.folder,
            "http",
            f"{url} answered HTTP {status} {_status_text(status)}; nothing was changed.",
        )
    return body


def request(connector: Connector, fetch: Fetch, url: str) -> tuple[int, bytes]:
    """(status, body); a host that cannot be reached is a SourceError of kind 'offline'."""
    try:
        status, _, body = fetch.client.get(url, fetch.timeout)
    except Unreachable as error:
        raise SourceError(
            connector.folder,
            "offline",
            f"cannot reach {_host(url)} ({error.reason}) after {error.attempts} attempt"
            f"{'s' if error.attempts != 1 else ''}; offline? Nothing was changed. Download "
            f"{url} by hand and run update-data --from-dir DIR.",
        ) from error
    except NETWORK_ERRORS as error:
        raise SourceError(
            connector.folder,
            "offline",
            f"cannot reach {_host(url)} ({_reason(error)}); offline? Nothing was changed. "
            f"Download {url} by hand and run update-data --from-dir DIR.",
        ) from error
    bound = limits.current()
    if len(body) > bound.max_source_bytes:
        raise SourceError(
            connector.folder,
            "refused",
            bound.refusal(f"{url} answered too much", f"more than {megabytes(len(body) - 1)}",
                          "max_source_mb") + " Nothing was changed.",
        )  # fmt: skip
    return status, body


def get_json(connector: Connector, fetch: Fetch, url: str) -> Any:
    body = get_bytes(connector, fetch, url)
    try:
        return loads_json(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, NestingError) as error:
        raise drift(connector, f"{url} did not answer JSON ({error})") from None


def drift(connector: Connector, detail: str) -> SourceError:
    return SourceError(
        connector.folder,
        "drift",
        f"the publisher's format changed: {detail}. Nothing was changed; the loader and this "
        f"connector need updating (or put files in the old layout in --from-dir).",
    )


def write_file(dest: Path, name: str, content: bytes) -> None:
    """Write through a temporary name, so a file is never left half-written."""
    partial = dest / f".{name}.partial"
    partial.write_bytes(content)
    partial.replace(dest / name)


def _host(url: str) -> str:
    return urllib.parse.urlsplit(url).netloc or url


def _status_text(status: int) -> str:
    return http.client.responses.get(status, "")


def _candidates(template: str, years: Iterable[int]) -> list[tuple[int, str]]:
    return [(year, template.format(year=year, yy=f"{year % 100:02d}")) for year in years]


def _download_first(
    connector: Connector, fetch: Fetch, candidates: list[tuple[int, str]]
) -> tuple[int, str, bytes]:
    """The first candidate URL that exists (newest edition first); 404s move on to the next."""
    for year, url in candidates:
        body = get_bytes(connector, fetch, url, missing_ok=True)
        if body:
            return year, url, body
    tried = ", ".join(url for _, url in candidates)
    raise SourceError(connector.folder, "http", f"none of {tried} exists (HTTP 404).")


# ============================================================================ simple downloads


def _plain_file(connector: Connector, fetch: Fetch, dest: Path) -> Fetched:
    """The first endpoint, saved as the loader's first file."""
    body = get_bytes(connector, fetch, connector.endpoints[0])
    write_file(dest, connector.files[0], body)
    return Fetched(connector.folder, (connector.files[0],))


# ---- RSF

RSF_CSV = "https://rsf.org/sites/default/files/import_classement/{year}.csv"
RSF_REQUIRED = ["ISO", "Country_EN", "Year (N)", "Score", "Rank"]


def rsf_csv(content: bytes) -> pd.DataFrame:
    """RSF's published CSV (semicolons, decimal commas, `Score 2025`) in the loader's layout."""
    text = _decode(content)
    table = pd.read_csv(io.StringIO(text), sep=";", dtype=str, keep_default_na=False)
    table.columns = [str(column).strip() for column in table.columns]
    table = table.rename(
        columns={c: "Score" for c in table.columns if re.match(r"^Score \d{4}$", c)}
    )
    numeric = [c for c in table.columns if c not in {"ISO", "Zone"} and not c.startswith("Country")]
    for column in numeric:
        table[column] = table[column].str.strip().str.replace(",", ".", regex=False)
    return table


def _rsf(connector: Connector, fetch: Fetch, dest: Path) -> Fetched:
    years = range(fetch.today.year, fetch.today.year - 3, -1)
    year, url, body = _download_first(connector, fetch, _candidates(RSF_CSV, years))
    table = rsf_csv(body)
    missing = [column for column in RSF_REQUIRED if column not in table.columns]
    if missing:
        found = ", ".join(table.columns[:12])
        raise drift(connector, f"{url} has no column(s) {', '.join(missing)} (found: {found})")
    write_file(dest, rsf.FILE_NAME, table.to_csv(index=False, lineterminator="\n").encode())
    note = (
        f"RSF {year} written as {rsf.FILE_NAME} (the loader's file name; years come from the data)"
    )
    return Fetched(connector.folder, (rsf.FILE_NAME,), f"{year}", (note,))


def _decode(content: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    return content.decode("latin-1")


# ============================================================================ World Bank API

WB_BASE = "https://api.worldbank.org/v2"
WB_DATA = f"{WB_BASE}/country/all/indicator/{worldbank.INDICATOR_CODE}?format=json&per_page=20000"
WB_COUNTRIES = f"{WB_BASE}/country?format=json&per_page=400"
MAX_PAGES = 100


def worldbank_pages(connector: Connector, fetch: Fetch, url: str) -> tuple[dict, list]:
    """Every page of a World Bank API list joined: (page info of page 1, all records).

    Pages are `[{"page": 1, "pages": 3, ...}, [records]]`; an error is `[{"message": [{"id",
    "key", "value"}]}]` (HTTP 200 or 400), reported as an API error."""
    info, records, page, pages = {}, [], 1, 1
    while page <= pages:
        answer = _worldbank_page(connector, fetch, f"{url}&page={page}")
        if page == 1:
            info = answer[0]
        try:
            pages = int(answer[0].get("pages") or 1)
        except (TypeError, ValueError):
            raise drift(connector, f"page info {answer[0]!r} has no page count") from None
        if pages > MAX_PAGES:
            raise drift(connector, f"{pages} pages announced; expected at most {MAX_PAGES}")
        records += answer[1] or []
        page += 1
    return info, records


def _worldbank_page(connector: Connector, fetch: Fetch, url: str) -> list:
    status, body = request(connector, fetch, url)
    answer = None
    with contextlib.suppress(UnicodeDecodeError, json.JSONDecodeError, NestingError):
        answer = loads_json(body.decode("utf-8-sig"))
    if isinstance(answer, list) and answer and isinstance(answer[0], dict):
        if "message" in answer[0]:
            raise SourceError(
                connector.folder, "api", f"the World Bank API refused {url}: {_wb_message(answer)}"
            )
        if status == 200 and len(answer) == 2 and isinstance(answer[1], list | type(None)):
            return answer
    if status != 200:
        raise SourceError(
            connector.folder, "http", f"{url} answered HTTP {status} {_status_text(status)}."
        )
    raise drift(connector, f"{url} is not a World Bank API page [page info, [records]]")


def _wb_message(answer: list) -> str:
    messages = answer[0].get("message") or []
    parts = [
        f"{m.get('id', '?')} {m.get('key', '')}: {m.get('value', '')}".strip()
        for m in messages
        if isinstance(m, dict)
    ]
    return "; ".join(parts) or json.dumps(answer)[:200]


def _worldbank(connector: Connector, fetch: Fetch, dest: Path) -> Fetched:
    info, records = worldbank_pages(connector, fetch, WB_DATA)
    countries_info, countries = worldbank_pages(connector, fetch, WB_COUNTRIES)
    for record in records[:1]:
        if not {"countryiso3code", "country", "indicator", "date", "value"} <= set(record):
            raise drift(connector, f"records lack the documented fields (first: {record!r})")
    info = {**info, "page": 1, "pages": 1, "per_page": len(records), "total": len(records)}
    countries_info = {**countries_info, "page": 1, "pages": 1, "total": len(countries)}
    write_file(dest, worldbank.API_FILE, json.dumps([info, records], indent=0).encode())
    write_file(
        dest,
        worldbank.API_COUNTRIES_FILE,
        json.dumps([countries_info, countries], indent=0).encode(),
    )
    updated = info.get("lastupdated", "")
    edition = f"WDI, last updated {updated}" if updated else ""
    return Fetched(connector.folder, (worldbank.API_FILE, worldbank.API_COUNTRIES_FILE), edition)


# ============================================================================ EITI API

EITI_BASE = "https://eiti.org/api/v2.0"
EITI_COUNTRIES = f"{EITI_BASE}/implementing_country"
EITI_STATUSES = f"{EITI_BASE}/country_status"
EITI_COLUMNS = [
    "iso3",
    "country",
    "eiti_status_latest",
    "status_source_url",
    "latest_validation_category",
    "latest_validation_score",
    "latest_validation_year",
    "validation_standard",
    "board_decision_ref",
    "validation_source_url",
    "join_date",
    "join_date_source",
    "eiti_supporting_country_iea2022",
    "iea_status_nov2022",
    "eiti_api_status_2017",
    "notes",
    "status_as_of",
]
VALIDATION_COLUMNS = [
    "latest_validation_category",
    "latest_validation_score",
    "latest_validation_year",
    "validation_standard",
    "board_decision_ref",
    "validation_source_url",
]
IMPLEMENTING_NAMES = re.compile(
    r"score|progress|yet to be assessed|implementing|compliant|candidate|validat", re.IGNORECASE
)
DATE = re.compile(r"^(\d{4})(-\d{2}-\d{2})?")


def eiti_list(connector: Connector, fetch: Fetch, url: str) -> list[dict]:
    """Every item of a paginated EITI API list: `{"data": [...], "count": n, "next": {"href":
    url}}` (Drupal RESTful), following `next` on the same host."""
    items, seen, host = [], set(), _host(url)
    while url:
        if url in seen or len(seen) >= MAX_PAGES:
            raise drift(connector, f"pagination loops or exceeds {MAX_PAGES} pages at {url}")
        seen.add(url)
        answer = get_json(connector, fetch, url)
        if not isinstance(answer, dict) or not isinstance(answer.get("data"), list):
            raise drift(connector, f"{url} has no 'data' list")
        items += answer["data"]
        link = answer.get("next")
        url = link.get("href") if isinstance(link, dict) else link
        if url and _host(url) != host:
            raise drift(connector, f"'next' leads to another host: {url}")
    return items


def eiti_status_text(name: str, leave_date: str = "") -> str | None:
    """The status text the eiti loader classifies, for an EITI API status name; None for 'Other'
    (not an implementing country: the previous row is kept). Unknown names pass through marked as
    such, so the loader skips them rather than guessing.

    >>> eiti_status_text("High score"), eiti_status_text("Suspended due to political instability")
    ('implementing', "suspended (EITI API status 'Suspended due to political instability')")
    >>> eiti_status_text("Meaningful progress", leave_date="2024-02-29")
    "former: left 2024-02-29 (EITI API status 'Meaningful progress')"
    """
    cleaned = " ".join(str(name).split())
    lowered = cleaned.lower()
    if leave_date:
        return f"former: left {leave_date} (EITI API status '{cleaned}')"
    if "suspend" in lowered:
        return f"suspended (EITI API status '{cleaned}')"
    if re.search(r"delist|withdr|former", lowered):
        return f"former (EITI API status '{cleaned}')"
    if lowered == "other":
        return None
    if IMPLEMENTING_NAMES.search(lowered):
        return "implementing"
    return f"'{cleaned}' (EITI API status not recognised)"


def eiti_status_table(
    items: list[dict],
    status_names: Mapping[str, str],
    previous: pd.DataFrame | None,
    today: date,
) -> tuple[pd.DataFrame, list[str]]:
    """`eiti_status.csv` from the API items; notes on what was carried over or dropped.

    Each listed country gets the API's status, name and join date, with `status_as_of` = today.
    Validation columns come from the previous row of the same country (the list does not carry
    scores). Previous rows of countries the API does not list are kept unchanged (supporting and
    never-implementing countries by design; implementing ones are named in the notes)."""
    previous = previous if previous is not None else pd.DataFrame(columns=EITI_COLUMNS)
    previous = previous.fillna("").astype(str)
    columns = list(dict.fromkeys([*previous.columns, *EITI_COLUMNS]))
    by_iso3 = {row["iso3"].strip(): row for row in previous.to_dict("records")}
    rows, notes, listed = {}, [], set()
    for number, item in enumerate(items, start=1):
        try:
            iso3 = str(item["iso3"]).strip().upper()
            label = str(item["label"]).strip()
            status = item["status"]
        except (KeyError, TypeError):
            raise ValueError(f"item {number} lacks iso3, label or status: {item!r}") from None
        name = _eiti_status_name(status, status_names)
        leave = _date_text(item.get("leave_date"))
        text = eiti_status_text(name, leave)
        listed.add(iso3)
        before = by_iso3.get(iso3)
        if text is None and before is not None:
            rows[iso3] = before
            continue
        row = {column: "" if before is None else before.get(column, "") for column in columns}
        carried = before is not None and any(before.get(c, "") for c in VALIDATION_COLUMNS)
        row.update(
            {
                "iso3": iso3,
                "country": label,
                "eiti_status_latest": text or f"'{name}' (EITI API: not an implementing country)",
                "status_source_url": str(item.get("self") or EITI_COUNTRIES),
                "join_date": _date_text(item.get("join_date")),
                "join_date_source": "EITI API v2.0 join_date",
                "status_as_of": today.isoformat(),
                "notes": f"status from the EITI API: '{name}'"
                + ("; Validation carried over from the previous file" if carried else ""),
            }
        )
        rows[iso3] = row
    for iso3, row in by_iso3.items():
        if iso3 in listed:
            continue
        rows[iso3] = row
        if eiti.classify_status(row.get("eiti_status_latest", "")) in eiti.MEMBER_STATUSES:
            notes.append(f"{iso3} is not in the EITI API list; its previous status is kept")
    table = pd.DataFrame([rows[iso3] for iso3 in sorted(rows)], columns=columns).fillna("")
    return table, notes


def _eiti_status_name(status: Any, names: Mapping[str, str]) -> str:
    if isinstance(status, dict):
        return str(status.get("name") or status.get("label") or "")
    text = str(status or "").strip()
    if text.startswith("http"):
        return names.get(text) or names.get(text.rstrip("/").rsplit("/", 1)[-1], text)
    return text


def _date_text(value: Any) -> str:
    match = DATE.match(str(value or "").strip())
    if not match:
        return ""
    return match.group(0)


def _eiti(connector: Connector, fetch: Fetch, dest: Path) -> Fetched:
    items = eiti_list(connector, fetch, EITI_COUNTRIES)
    names: dict[str, str] = {}
    if any(str(item.get("status", "")).startswith("http") for item in items):
        for status in eiti_list(connector, fetch, EITI_STATUSES):
            label = str(status.get("label") or status.get("name") or "")
            for key in (status.get("self"), status.get("id")):
                if key is not None:
                    names[str(key)] = label
    previous = None
    if fetch.previous is not None and (fetch.previous / eiti.FILE).exists():
        previous = pd.read_csv(fetch.previous / eiti.FILE, dtype=str, keep_default_na=False)
    try:
        table, notes = eiti_status_table(items, names, previous, fetch.today)
    except ValueError as error:
        raise drift(connector, f"{EITI_COUNTRIES}: {error}") from None
    write_file(dest, eiti.FILE, table.to_csv(index=False, lineterminator="\n").encode())
    if previous is None:
        notes.insert(
            0,
            "no previous eiti_status.csv: Validation scores and supporting countries are empty",
        )
    return Fetched(
        connector.folder, (eiti.FILE,), f"EITI API, as of {fetch.today.isoformat()}", tuple(notes)
    )


# ============================================================================ UN DESA workbook

UNDESA_XLSX = (
    "https://www.un.org/development/desa/pd/sites/www.un.org.development.desa.pd/files/"
    "undesa_pd_2020_ims_stock_by_sex_destination_and_origin.xlsx"
)
UNDESA_SHEET = "Table 1"
UNDESA_COLUMNS = [
    "Region, development group, country or area of destination",
    "Notes of destination",
    "Location code of destination",
    "Type of data of destination",
    "Region, development group, country or area of origin",
    "Location code of origin",
]


def undesa_table1_csv(content: bytes) -> bytes:
    """Table 1 of the IMS workbook as the loader's CSV: the six key columns and the both-sexes
    year columns (the first run of years left to right). ValueError when the layout differs."""
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    if UNDESA_SHEET not in book.sheetnames:
        raise ValueError(f"no sheet '{UNDESA_SHEET}' (sheets: {', '.join(book.sheetnames)})")
    rows = list(book[UNDESA_SHEET].iter_rows(values_only=True))
    book.close()
    labels = [[_cell_text(cell) for cell in row] for row in rows]
    stripped = [[text.strip() for text in row] for row in labels[:40]]
    header = next((i for i, row in enumerate(stripped) if UNDESA_COLUMNS[0] in row), None)
    if header is None:
        raise ValueError(f"no header '{UNDESA_COLUMNS[0]}' in the first 40 rows of {UNDESA_SHEET}")
    positions = []
    for name in UNDESA_COLUMNS:
        if name not in stripped[header]:
            raise ValueError(f"no column '{name}' in the header of {UNDESA_SHEET}")
        positions.append(stripped[header].index(name))
    year_row, years = _year_columns(stripped, header)
    if not years:
        raise ValueError(f"no year columns (1990, 1995, ...) next to the header of {UNDESA_SHEET}")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(UNDESA_COLUMNS + [str(year) for year, _ in years])
    for row in labels[max(header, year_row) + 1 :]:
        cells = [row[p] if p < len(row) else "" for p in positions]
        cells += [row[p] if p < len(row) else "" for _, p in years]
        if any(cells):
            writer.writerow(cells)
    return out.getvalue().encode()


def _year_columns(labels: list[list[str]], header: int) -> tuple[int, list[tuple[int, int]]]:
    for index in (header, header + 1, header - 1):
        if not 0 <= index < len(labels):
            continue
        years: list[tuple[int, int]] = []
        for position, text in enumerate(labels[index]):
            if re.fullmatch(r"(19|20)\d{2}", text):
                year = int(text)
                if years and year <= years[-1][0]:
                    break  # the next sex block starts again at 1990
                years.append((year, position))
        if years:
            return index, years
    return header, []


def _cell_text(cell: Any) -> str:
    """A cell as the CSV writes it: whole numbers without '.0', text as typed (names keep the
    leading spaces that show the hierarchy)."""
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell)


def _undesa(connector: Connector, fetch: Fetch, dest: Path) -> Fetched:
    body = get_bytes(connector, fetch, UNDESA_XLSX)
    try:
        content = undesa_table1_csv(body)
    except Exception as error:  # openpyxl raises many kinds on a non-workbook
        raise drift(connector, f"{UNDESA_XLSX}: {error}") from None
    write_file(dest, undesa.STOCK_FILE, content)
    return Fetched(connector.folder, (undesa.STOCK_FILE,), "International Migrant Stock 2020")


# ============================================================================ Passport Index

PASSPORT_CSV = (
    f"https://raw.githubusercontent.com/ilyankou/passport-index-dataset/master/{passport.FILE_NAME}"
)
PASSPORT_COMMITS = (
    "https://api.github.com/repos/ilyankou/passport-index-dataset/commits"
    f"?path={passport.FILE_NAME}&per_page=1"
)


def _passport(connector: Connector, fetch: Fetch, dest: Path) -> Fetched:
    commits = get_json(connector, fetch, PASSPORT_COMMITS)
    try:
        commit = commits[0]["commit"]
        when = str(commit["committer"]["date"])[:10]
        date.fromisoformat(when)
    except (KeyError, IndexError, TypeError, ValueError):
        raise drift(connector, f"{PASSPORT_COMMITS} gave no commit date") from None
    body = get_bytes(connector, fetch, PASSPORT_CSV)
    header = body.split(b"\n", 1)[0].decode("utf-8-sig", "replace").strip()
    if [c.strip() for c in header.split(",")] != ["Passport", "Destination", "Requirement"]:
        raise drift(connector, f"{PASSPORT_CSV} starts with '{header[:80]}'")
    write_file(dest, passport.FILE_NAME, body)
    write_file(dest, passport.SNAPSHOT_FILE, f"{when}\n".encode())
    message = str(commit.get("message", "")).splitlines()[0] if commit.get("message") else ""
    edition = f"{when} ({message})" if message else when
    return Fetched(connector.folder, (passport.FILE_NAME, passport.SNAPSHOT_FILE), edition)


# ============================================================================ Dataverse (Voeten)

DATAVERSE = "https://dataverse.harvard.edu"
VOETEN_DOI = "doi:10.7910/DVN/LEJUQZ"
VOETEN_DATASET = f"{DATAVERSE}/api/datasets/:persistentId/?persistentId={VOETEN_DOI}"
VOETEN_FILE = re.compile(r"^idealpoint", re.IGNORECASE)


def _voeten(connector: Connector, fetch: Fetch, dest: Path) -> Fetched:
    answer = get_json(connector, fetch, VOETEN_DATASET)
    try:
        version = answer["data"]["latestVersion"]
        files = [entry["dataFile"] for entry in version["files"]]
    except (KeyError, TypeError):
        raise drift(connector, f"{VOETEN_DATASET} has no data.latestVersion.files") from None
    chosen = sorted(
        (f for f in files if VOETEN_FILE.match(_original_name(f))),
        key=lambda f: (str(f.get("creationDate", "")), _original_name(f)),
    )
    if not chosen:
        names = ", ".join(_original_name(f) for f in files)
        raise drift(connector, f"no ideal-point file in the dataset (files: {names})")
    newest = chosen[-1]
    name = _original_name(newest)
    url = f"{DATAVERSE}/api/access/datafile/{newest['id']}"
    if newest.get("originalFileFormat"):
        url += "?format=original"
    body = get_bytes(connector, fetch, url)
    if name.lower().endswith((".tab", ".tsv")):
        table = pd.read_csv(io.BytesIO(body), sep="\t", dtype=str, keep_default_na=False)
        body = table.to_csv(index=False, lineterminator="\n").encode()
    elif not name.lower().endswith(".csv"):
        raise drift(connector, f"the newest ideal-point file is {name}, not a CSV")
    write_file(dest, voeten.FILE_NAME, body)
    released = str(version.get("releaseTime", ""))[:10]
    number = f"{version.get('versionNumber', '?')}.{version.get('versionMinorNumber', 0)}"
    notes = (f"{name} written as {voeten.FILE_NAME} (the loader's file name)",)
    return Fetched(
        connector.folder,
        (voeten.FILE_NAME,),
        f"{name}, Dataverse version {number}" + (f" of {released}" if released else ""),
        notes,
    )


def _original_name(data_file: Mapping[str, Any]) -> str:
    return str(data_file.get("originalFileName") or data_file.get("filename") or "")


# ============================================================================ the registry

HAND_COMPILED = (
    "Compiled by hand from many pages (one URL per row); there is no publisher download. Edit the "
    "CSV and pass its folder."
)

_CONNECTIONS: dict[str, Connector] = {
    c.folder: c
    for c in [
        Connector(
            rsf.FOLDER,
            (rsf.FILE_NAME,),
            (RSF_CSV.format(year="<year>"),),
            _rsf,
        ),
        Connector(
            freedom_house.FOLDER,
            (freedom_house.FILE_NAME,),
            ("https://freedomhouse.org/sites/default/files/2025-02/All_data_FIW_2013-2024.xlsx",),
            _plain_file,
            manual="Each edition has a new URL (upload month) and sheet name (FIW13-25): for a new "
            "edition download 'All Data, FIW 2013-20xx' from "
            "https://freedomhouse.org/report/freedom-world by hand.",
        ),
        Connector(
            lowy.FOLDER,
            (lowy.FILE,),
            ("https://globaldiplomacyindex.lowyinstitute.org/",),
            manual="The Lowy Institute has no stable URL for the post-level workbook (the site's "
            "download is behind its interactive page).",
        ),
        Connector(broadcasters.FOLDER, (broadcasters.FILE,), (), manual=HAND_COMPILED),
        Connector(
            globalcit.FOLDER,
            (globalcit.MIPEX_FILE, globalcit.LAW_FILE),
            ("https://hdl.handle.net/1814/73190", "https://www.mipex.eu"),
            manual="GLOBALCIT and MIPEX publish through repository pages (Cadmus, replication "
            "archives) without a stable direct file URL.",
        ),
        Connector(undesa.FOLDER, (undesa.STOCK_FILE,), (UNDESA_XLSX,), _undesa),
        Connector(
            wpp.FOLDER,
            (wpp.FILE_NAME,),
            ("https://population.un.org/wpp/", "https://github.com/PPgp/wpp2024"),
            manual="The population table is computed from the wpp2024 R package's popAge5dt and "
            "popproj1dt (the code is in the folder's PROVENANCE.md); a new WPP revision is a "
            "catalogue change.",
        ),
        Connector(
            worldbank.FOLDER,
            (worldbank.API_FILE, worldbank.API_COUNTRIES_FILE),
            (WB_DATA, WB_COUNTRIES),
            _worldbank,
        ),
        Connector(diaspora_voting.FOLDER, (diaspora_voting.FILE,), (), manual=HAND_COMPILED),
        Connector(eiti.FOLDER, (eiti.FILE,), (EITI_COUNTRIES, EITI_STATUSES), _eiti),
        Connector(
            passport.FOLDER,
            (passport.FILE_NAME, passport.SNAPSHOT_FILE),
            (PASSPORT_CSV, PASSPORT_COMMITS),
            _passport,
        ),
        Connector(
            vdem.FOLDER,
            (vdem.FILE_NAME,),
            (
                "https://ourworldindata.org/grapher/electoral-democracy-index.csv"
                "?v=1&csvType=full&useColumnShortNames=false",
            ),
            _plain_file,
        ),
        Connector(voeten.FOLDER, (voeten.FILE_NAME,), (VOETEN_DATASET,), _voeten),
        Connector(
            cultural_institutes.FOLDER, (cultural_institutes.FILE,), (), manual=HAND_COMPILED
        ),
        Connector(
            uis.FOLDER,
            (uis.FILE,),
            ("https://databrowser.uis.unesco.org", "https://api.uis.unesco.org"),
            manual="The UIS Data Browser export (indicator 26637) is an archive assembled on "
            "request, without a stable file URL: download it by hand and put its folder in "
            f"DIR/{uis.FOLDER}/{uis.FILE.split('/')[0]}/; a new UIS release is a catalogue change.",
        ),
        Connector(
            heritage.FOLDER,
            (heritage.FILE,),
            ("https://whc.unesco.org/en/list/", "https://whc.unesco.org/en/syndication/"),
            manual="The World Heritage Centre offers the List as an export from its syndication "
            "page, without a stable file URL per Committee session: download it by hand (the "
            f"loader reads {heritage.FILE}, sheet '{heritage.SHEET}'); a new session's List is a "
            "catalogue change.",
        ),
        Connector(
            gallup.FOLDER,
            (gallup.FILE,),
            (),
            manual="Compiled by hand from Gallup articles and news reports quoting them (one URL "
            "per row); Gallup publishes the full table only in interactive charts. Edit the CSV "
            "and pass its folder.",
        ),
    ]
}


def _one_per_publisher(connections: dict[str, Connector]) -> dict[str, Connector]:
    """The connectors in the loader registry's order: every folder a loader reads has one, and
    there is none for a folder no loader reads."""
    folders = publisher_folders()
    missing = [folder for folder in folders if folder not in connections]
    extra = sorted(set(connections) - set(folders))
    if missing or extra:
        raise RuntimeError(
            f"connectors and loaders disagree: no connector for {missing or 'none'}; "
            f"no loader reads {extra or 'none'}"
        )
    return {folder: connections[folder] for folder in folders}


CONNECTORS: dict[str, Connector] = _one_per_publisher(_CONNECTIONS)
