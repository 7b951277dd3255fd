"""Connectors against answers written by hand in each endpoint's documented format (World Bank API
pages, EITI API v2.0 lists, RSF's CSV, UN DESA's workbook, GitHub and Dataverse APIs). No test
touches the network: every request goes to a fake client that answers from a dict."""

from __future__ import annotations

import io
import json
import shutil
import urllib.error
from datetime import date
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from indicators import connectors
from indicators.catalogue import load_catalogue
from indicators.connectors import (
    CONNECTORS,
    Fetch,
    RetryingClient,
    SourceError,
    Unreachable,
    UrllibClient,
)
from indicators.loaders import eiti, passport, rsf, undesa, voeten, worldbank, wpp

FIXTURES = Path(__file__).parent / "fixtures" / "sources"
TODAY = date(2026, 3, 1)


class FakeClient:
    """Answers from {url: answer}; an answer is (status, body), (status, body, headers), an
    exception to raise, or a list of those given one per call. Records every URL asked."""

    def __init__(self, answers: dict):
        self.answers = {url: list(a) if isinstance(a, list) else [a] for url, a in answers.items()}
        self.calls: list[str] = []

    def get(self, url: str, timeout: float):
        self.calls.append(url)
        assert timeout > 0
        if url not in self.answers:
            raise AssertionError(f"unexpected request: {url}")
        queue = self.answers[url]
        answer = queue.pop(0) if len(queue) > 1 else queue[0]
        if isinstance(answer, BaseException):
            raise answer
        status, body, *headers = answer
        if not isinstance(body, bytes):
            body = json.dumps(body).encode()
        return status, (headers[0] if headers else {}), body


def fetch_with(answers: dict, previous: Path | None = None) -> tuple[Fetch, FakeClient]:
    client = FakeClient(answers)
    return Fetch(client, TODAY, timeout=5, previous=previous), client


# ---------------------------------------------------------------- World Bank API

WB_PAGE = connectors.WB_DATA + "&page={}"
WB_COUNTRY_PAGE = connectors.WB_COUNTRIES + "&page={}"


def wb_record(iso3: str, iso2: str, name: str, year: int, value) -> dict:
    return {
        "indicator": {
            "id": "BX.TRF.PWKR.DT.GD.ZS",
            "value": "Personal remittances, received (% of GDP)",
        },
        "country": {"id": iso2, "value": name},
        "countryiso3code": iso3,
        "date": str(year),
        "value": value,
        "unit": "",
        "obs_status": "",
        "decimal": 1,
    }


def wb_info(page: int, pages: int, total: int) -> dict:
    return {
        "page": page,
        "pages": pages,
        "per_page": 3,
        "total": total,
        "sourceid": "2",
        "sourcename": "World Development Indicators",
        "lastupdated": "2025-07-01",
    }


WB_PAGES = [
    [
        wb_info(1, 2, 6),
        [
            wb_record("RUS", "RU", "Russian Federation", 2024, None),
            wb_record("RUS", "RU", "Russian Federation", 2023, 0.41),
            wb_record("RUS", "RU", "Russian Federation", 2022, 0.523),
        ],
    ],
    [
        wb_info(2, 2, 6),
        [
            wb_record("SOM", "SO", "Somalia", 2023, 0),
            wb_record("WLD", "1W", "World", 2023, 0.77),
            wb_record("TJK", "TJ", "Tajikistan", 2023, 48),
        ],
    ],
]
WB_COUNTRY_LIST = [
    {"page": 1, "pages": 1, "per_page": "400", "total": 4},
    [
        {"id": "RUS", "iso2Code": "RU", "name": "Russian Federation",
         "region": {"id": "ECS", "iso2code": "Z7", "value": "Europe & Central Asia"}},
        {"id": "SOM", "iso2Code": "SO", "name": "Somalia",
         "region": {"id": "SSF", "iso2code": "ZG", "value": "Sub-Saharan Africa "}},
        {"id": "TJK", "iso2Code": "TJ", "name": "Tajikistan",
         "region": {"id": "ECS", "iso2code": "Z7", "value": "Europe & Central Asia"}},
        {"id": "WLD", "iso2Code": "1W", "name": "World",
         "region": {"id": "NA", "iso2code": "NA", "value": "Aggregates"}},
    ],
]  # fmt: skip
WB_ANSWERS = {
    WB_PAGE.format(1): (200, WB_PAGES[0]),
    WB_PAGE.format(2): (200, WB_PAGES[1]),
    WB_COUNTRY_PAGE.format(1): (200, WB_COUNTRY_LIST),
}


def test_world_bank_pages_are_joined_and_read_by_the_loader(tmp_path):
    fetch, client = fetch_with(WB_ANSWERS)
    got = CONNECTORS["wb-remittances"].fetch(fetch, tmp_path / "wb-remittances")

    assert client.calls == [WB_PAGE.format(1), WB_PAGE.format(2), WB_COUNTRY_PAGE.format(1)]
    assert got.files == ("BX.TRF.PWKR.DT.GD.ZS.json", "countries.json")
    assert got.edition == "WDI, last updated 2025-07-01"
    info, records = json.loads((tmp_path / "wb-remittances" / got.files[0]).read_text())
    assert (info["pages"], info["total"], len(records)) == (1, 6, 6)

    result = worldbank.load(tmp_path)
    values = result.values.set_index(["iso3", "year"])["value"].to_dict()
    assert values == {("RUS", 2022): 0.523, ("RUS", 2023): 0.41, ("TJK", 2023): 48.0}
    assert set(result.values["indicator"]) == {"remittances_gdp"}
    reasons = set(zip(result.skipped["row"], result.skipped["reason"], strict=True))
    assert reasons == {
        ("column 2024", "empty for every economy"),
        ("SOM Somalia", f"0 for 2023: {worldbank.ZERO_MEANS}"),
        ("SOM Somalia", "no value for 2022"),
        ("TJK Tajikistan", "no value for 2022"),
        ("WLD World", "aggregate 'World' (no Region in countries.json)"),
    }
    assert set(result.skipped["file"]) == {"BX.TRF.PWKR.DT.GD.ZS.json"}


def test_world_bank_api_error_is_reported_with_its_message(tmp_path):
    error = [{"message": [{"id": "120", "key": "Invalid value",
                           "value": "The provided parameter value is not valid"}]}]  # fmt: skip
    fetch, _ = fetch_with({WB_PAGE.format(1): (200, error)})
    with pytest.raises(SourceError) as raised:
        CONNECTORS["wb-remittances"].fetch(fetch, tmp_path / "wb")
    assert raised.value.kind == "api"
    assert "120 Invalid value: The provided parameter value is not valid" in str(raised.value)
    assert str(raised.value).startswith("wb-remittances: the World Bank API refused")
    assert not list((tmp_path / "wb").iterdir())


def test_world_bank_page_of_another_shape_is_schema_drift(tmp_path):
    fetch, _ = fetch_with({WB_PAGE.format(1): (200, {"data": []})})
    with pytest.raises(SourceError) as raised:
        CONNECTORS["wb-remittances"].fetch(fetch, tmp_path / "wb")
    assert raised.value.kind == "drift"
    assert "format changed" in str(raised.value)


@pytest.mark.parametrize("pages, refused", [(100, False), (101, True)])
def test_world_bank_answers_announcing_more_than_100_pages_are_refused(pages, refused, tmp_path):
    # 20,000 records a page: 100 pages are two million rows, far beyond any indicator's list
    first = [wb_info(1, pages, 3 * pages), WB_PAGES[0][1]]
    answers = {WB_PAGE.format(1): (200, first), WB_COUNTRY_PAGE.format(1): (200, WB_COUNTRY_LIST)}
    for page in range(2, pages + 1):
        answers[WB_PAGE.format(page)] = (200, [wb_info(page, pages, 3 * pages), []])
    fetch, _ = fetch_with(answers)
    if refused:
        with pytest.raises(SourceError, match="101 pages announced; expected at most 100"):
            CONNECTORS["wb-remittances"].fetch(fetch, tmp_path / "wb")
    else:
        CONNECTORS["wb-remittances"].fetch(fetch, tmp_path / "wb")


def test_world_bank_loader_refuses_an_api_error_saved_as_data(tmp_path):
    folder = tmp_path / "wb-remittances"
    folder.mkdir()
    error = [{"message": [{"id": "120", "key": "Invalid value", "value": "x"}]}]
    (folder / worldbank.API_FILE).write_text(json.dumps(error))
    (folder / worldbank.API_COUNTRIES_FILE).write_text(json.dumps(WB_COUNTRY_LIST))
    with pytest.raises(ValueError, match="is a World Bank API error"):
        worldbank.load(tmp_path)


# ---------------------------------------------------------------- HTTP: retries, offline


def test_offline_is_reported_after_the_retries_with_exponential_backoff(tmp_path):
    offline = urllib.error.URLError("[Errno -3] Temporary failure in name resolution")
    inner = FakeClient({WB_PAGE.format(1): offline})
    sleeps: list[float] = []
    client = RetryingClient(inner, attempts=4, backoff=1.0, sleep=sleeps.append)
    fetch = Fetch(client, TODAY, timeout=5)
    with pytest.raises(SourceError) as raised:
        CONNECTORS["wb-remittances"].fetch(fetch, tmp_path / "wb")
    assert raised.value.kind == "offline"
    message = str(raised.value)
    assert "cannot reach api.worldbank.org" in message and "after 4 attempts" in message
    assert "Temporary failure in name resolution" in message and "--from-dir" in message
    assert len(inner.calls) == 4
    assert sleeps == [1.0, 2.0, 4.0] == client.sleeps


def test_retries_recover_and_honour_retry_after():
    url = "https://example.org/file.csv"
    inner = FakeClient(
        {
            url: [
                TimeoutError("timed out"),
                (503, b"busy", {"Retry-After": "7"}),
                (200, b"ok"),
            ]
        }
    )
    sleeps: list[float] = []
    client = RetryingClient(inner, attempts=4, backoff=0.5, sleep=sleeps.append)
    assert client.get(url, 5)[::2] == (200, b"ok")
    assert sleeps == [0.5, 7.0]
    assert len(inner.calls) == 3


def test_http_error_after_retries_is_reported_with_the_status(tmp_path):
    inner = FakeClient({WB_PAGE.format(1): (500, b"<html>oops</html>")})
    sleeps: list[float] = []
    fetch = Fetch(RetryingClient(inner, attempts=3, sleep=sleeps.append), TODAY, timeout=5)
    with pytest.raises(SourceError) as raised:
        CONNECTORS["wb-remittances"].fetch(fetch, tmp_path / "wb")
    assert raised.value.kind == "http"
    assert "HTTP 500 Internal Server Error" in str(raised.value)
    assert (len(inner.calls), sleeps) == (3, [1.0, 2.0])


def test_not_found_is_not_retried():
    url = "https://example.org/missing.csv"
    inner = FakeClient({url: (404, b"")})
    client = RetryingClient(inner, sleep=lambda s: pytest.fail("slept"))
    assert client.get(url, 5)[0] == 404
    assert len(inner.calls) == 1


def test_unreachable_without_retries_is_an_oserror():
    error = Unreachable("https://x.org/a", 1, "refused")
    assert isinstance(error, OSError) and "after 1 attempt" in str(error)


class FakeResponse(io.BytesIO):
    status = 200
    headers = {"Content-Type": "text/csv"}

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def test_urllib_client_uses_a_timeout_and_returns_error_statuses(monkeypatch):
    seen = {}

    def urlopen(request, timeout):
        seen.update(url=request.full_url, timeout=timeout, agent=request.get_header("User-agent"))
        if request.full_url.endswith("/missing"):
            raise urllib.error.HTTPError(request.full_url, 404, "Not Found", {}, io.BytesIO(b"no"))
        return FakeResponse(b"a,b\n1,2\n")

    monkeypatch.setattr(connectors.urllib.request, "urlopen", urlopen)
    client = UrllibClient()
    assert client.get("https://example.org/data.csv", 12) == (
        200,
        {"Content-Type": "text/csv"},
        b"a,b\n1,2\n",
    )
    assert seen == {
        "url": "https://example.org/data.csv",
        "timeout": 12,
        "agent": connectors.USER_AGENT,
    }
    assert client.get("https://example.org/missing", 5)[::2] == (404, b"no")
    with pytest.raises(ValueError, match="only http"):
        client.get("file:///etc/passwd", 5)


# ---------------------------------------------------------------- EITI API

EITI_PAGE_2 = connectors.EITI_COUNTRIES + "?page=2"
STATUS = connectors.EITI_STATUSES + "/{}"


def eiti_item(iso2, iso3, label, status, join_date, leave_date=None) -> dict:
    return {
        "id": iso2,
        "label": label,
        "self": f"{connectors.EITI_COUNTRIES}/{iso2}",
        "iso3": iso3,
        "status": status,
        "join_date": join_date,
        "leave_date": leave_date,
        "latest_validation_date": None,
        "validation_data": {},
    }


EITI_ANSWERS = {
    connectors.EITI_COUNTRIES: (
        200,
        {
            "data": [
                eiti_item("NO", "NOR", "Norway", STATUS.format(1), "2007-09-27T00:00:00+0000"),
                eiti_item("SN", "SEN", "Senegal", STATUS.format(2), "2013-10-17"),
            ],
            "count": 5,
            "self": {"title": "Self", "href": connectors.EITI_COUNTRIES},
            "next": {"title": "Next", "href": EITI_PAGE_2},
        },
    ),
    EITI_PAGE_2: (
        200,
        {
            "data": [
                eiti_item("MM", "MMR", "Myanmar", STATUS.format(3), "2014-07-02", "2024-02-29"),
                eiti_item("GA", "GAB", "Gabon", STATUS.format(3), "2021-01-01"),
                eiti_item("AU", "AUS", "Australia", STATUS.format(4), None),
            ],
            "count": 5,
            "previous": {"title": "Previous", "href": connectors.EITI_COUNTRIES},
        },
    ),
    connectors.EITI_STATUSES: (
        200,
        {
            "data": [
                {"id": "1", "label": "Yet to be assessed", "self": STATUS.format(1)},
                {"id": "2", "label": "High score", "self": STATUS.format(2)},
                {"id": "3", "label": "Suspended", "self": STATUS.format(3)},
                {"id": "4", "label": "Other", "self": STATUS.format(4)},
            ],
            "count": 4,
        },
    ),
}
EITI_PREVIOUS = """\
iso3,country,eiti_status_latest,latest_validation_category,latest_validation_score,latest_validation_year,join_date,join_date_source,notes
AUS,Australia,not implementing; EITI supporting country,,,,,,IEA supporter
BEL,Belgium,not implementing; EITI supporting country,,,,,,IEA supporter
GHA,Ghana,implementing,moderate,83,2024,2007-09-27,eiti.org,
SEN,Senegal,implementing,very high,93,2021,2013,EITI API 2017 status_date year (verify),
"""


def test_eiti_api_pages_become_the_status_table_the_loader_reads(tmp_path):
    previous = tmp_path / "previous"
    previous.mkdir()
    (previous / eiti.FILE).write_text(EITI_PREVIOUS)
    fetch, client = fetch_with(EITI_ANSWERS, previous)
    got = CONNECTORS["eiti-status-2024"].fetch(fetch, tmp_path / "new" / eiti.FOLDER)

    assert client.calls == [connectors.EITI_COUNTRIES, EITI_PAGE_2, connectors.EITI_STATUSES]
    assert got.edition == "EITI API, as of 2026-03-01"
    assert got.notes == ("GHA is not in the EITI API list; its previous status is kept",)
    table = pd.read_csv(tmp_path / "new" / eiti.FOLDER / eiti.FILE, dtype=str).fillna("")
    rows = table.set_index("iso3")
    assert list(rows.index) == ["AUS", "BEL", "GAB", "GHA", "MMR", "NOR", "SEN"]
    assert rows.loc["NOR", "eiti_status_latest"] == "implementing"
    assert rows.loc["NOR", "join_date"] == "2007-09-27"
    assert rows.loc["GAB", "eiti_status_latest"] == "suspended (EITI API status 'Suspended')"
    assert rows.loc["MMR", "eiti_status_latest"].startswith("former: left 2024-02-29")
    assert rows.loc["AUS", "eiti_status_latest"] == "not implementing; EITI supporting country"
    assert rows.loc["SEN", "latest_validation_score"] == "93"  # carried over
    assert rows.loc["SEN", "join_date"] == "2013-10-17"  # from the API now
    assert rows.loc["SEN", "status_as_of"] == "2026-03-01"
    assert rows.loc["BEL", "status_as_of"] == ""  # kept from the previous file

    values = eiti.load(tmp_path / "new").values.set_index(["iso3", "indicator"])
    assert values.loc[("NOR", "eiti_status_score"), ["year", "value"]].tolist() == [2026, 100.0]
    assert values.loc[("NOR", "eiti_membership_years"), "value"] == 2026 - 2007
    assert values.loc[("GAB", "eiti_status_score"), "value"] == 50.0
    assert values.loc[("MMR", "eiti_status_score"), "value"] == 0.0
    assert values.loc[("SEN", "eiti_validation_score"), ["year", "value"]].tolist() == [2021, 93]
    assert values.loc[("BEL", "eiti_status_score"), ["year", "value"]].tolist() == [2024, 25.0]
    # a supporting country backs the standard without implementing it: no years as an implementer
    assert ("BEL", "eiti_membership_years") not in values.index
    # a UN member in neither the API list nor the previous file is outside the EITI records: no
    # value (no extractive sector, or not joined: the sources cannot tell), reported as skipped
    assert "RUS" not in set(values.index.get_level_values("iso3"))
    skipped = eiti.load(tmp_path / "new").skipped
    reasons = skipped.loc[skipped["row"] == "RUS", "reason"].tolist()
    assert len(reasons) == 1 and reasons[0].startswith("outside the EITI records")


def test_eiti_without_previous_file_says_what_is_missing(tmp_path):
    fetch, _ = fetch_with(EITI_ANSWERS)
    got = CONNECTORS["eiti-status-2024"].fetch(fetch, tmp_path / eiti.FOLDER)
    assert got.notes[0].startswith("no previous eiti_status.csv")
    table = pd.read_csv(tmp_path / eiti.FOLDER / eiti.FILE, dtype=str).fillna("")
    assert table.set_index("iso3").loc["AUS", "eiti_status_latest"] == (
        "'Other' (EITI API: not an implementing country)"
    )
    skipped = eiti.load(tmp_path).skipped
    assert "AUS" in set(skipped["row"])  # not guessed: reported


def test_eiti_item_without_iso3_is_schema_drift(tmp_path):
    answers = dict(EITI_ANSWERS)
    answers[connectors.EITI_COUNTRIES] = (
        200,
        {"data": [{"id": "NO", "label": "Norway", "status": "Implementing"}], "count": 1},
    )
    fetch, _ = fetch_with(answers)
    with pytest.raises(SourceError) as raised:
        CONNECTORS["eiti-status-2024"].fetch(fetch, tmp_path / eiti.FOLDER)
    assert raised.value.kind == "drift"
    assert "lacks iso3, label or status" in str(raised.value)
    assert not (tmp_path / eiti.FOLDER / eiti.FILE).exists()


# ---------------------------------------------------------------- RSF

RSF_2026 = (
    "ISO;Score 2026;Rank;Political Context;Rank_Pol;Zone;Country_FR;Country_EN;Year (N);Score N-1\n"
    "NOR;92,31;1;96,22;1;UE Balkans;Norvège;Norway;2026;91,89\n"
    "RUS;24,57;171;12,05;177;EEAC;Russie;Russia;2026;29,86\n"
    "ERI;;180;10,81;178;Afrique;Érythrée;Eritrea;2026;16,64\n"
).encode("utf-8-sig")


def test_rsf_newest_edition_is_converted_to_the_loader_layout(tmp_path):
    answers = {
        connectors.RSF_CSV.format(year=2026): (200, RSF_2026),
    }
    fetch, client = fetch_with(answers)
    got = CONNECTORS["rsf-press-freedom"].fetch(fetch, tmp_path / rsf.FOLDER)
    assert client.calls == [connectors.RSF_CSV.format(year=2026)]
    assert got.edition == "2026"
    result = rsf.load(tmp_path)
    assert result.values[["iso3", "year", "value", "note"]].values.tolist() == [
        ["NOR", 2026, 92.31, "RSF rank 1"],
        ["RUS", 2026, 24.57, "RSF rank 171"],
    ]
    assert result.skipped["row"].tolist() == ["ERI"]


def test_rsf_falls_back_to_last_years_edition(tmp_path):
    older = RSF_2026.replace(b"2026", b"2025")
    answers = {
        connectors.RSF_CSV.format(year=2026): (404, b"Not found"),
        connectors.RSF_CSV.format(year=2025): (200, older),
    }
    fetch, client = fetch_with(answers)
    got = CONNECTORS["rsf-press-freedom"].fetch(fetch, tmp_path / rsf.FOLDER)
    assert got.edition == "2025" and len(client.calls) == 2


def test_rsf_renamed_column_is_schema_drift(tmp_path):
    renamed = RSF_2026.replace(b"ISO;", b"Code ISO;")
    fetch, _ = fetch_with({connectors.RSF_CSV.format(year=2026): (200, renamed)})
    with pytest.raises(SourceError) as raised:
        CONNECTORS["rsf-press-freedom"].fetch(fetch, tmp_path / rsf.FOLDER)
    assert raised.value.kind == "drift"
    assert "no column(s) ISO" in str(raised.value)
    assert not (tmp_path / rsf.FOLDER / rsf.FILE_NAME).exists()


def test_rsf_file_that_is_not_a_csv_is_schema_drift(tmp_path):
    garbage = b'<html>\n"unclosed;quote\n'
    fetch, _ = fetch_with({connectors.RSF_CSV.format(year=2026): (200, garbage)})
    with pytest.raises(SourceError) as raised:
        CONNECTORS["rsf-press-freedom"].fetch(fetch, tmp_path / rsf.FOLDER)
    assert raised.value.kind == "drift"


# ---------------------------------------------------------------- UN DESA workbook


def undesa_workbook() -> bytes:
    """Table 1 as UN DESA lays it out: title lines, a header row with three blocks of years
    (both sexes, males, females), then one row per destination x origin."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Table 1"
    sheet.append(["International Migrant Stock 2020: Destination and origin"])
    sheet.append([])
    sheet.append(["Table 1. ..."])
    years = [1990, 1995, 2000, 2005, 2010, 2015, 2020]
    sheet.append(["Index", *connectors.UNDESA_COLUMNS, *years, *years, *years])
    sheet.append([1, "WORLD", None, 900, None, "WORLD", 900, *range(100, 107), *[1] * 14])
    sheet.append([2, "  Russian Federation*", "3", 643, "B", "WORLD", 900,
                  *range(200, 207), *[2] * 14])  # fmt: skip
    sheet.append([3, "WORLD", None, 900, None, "  Russian Federation*", 643,
                  *range(300, 306), "..", *[3] * 14])  # fmt: skip
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_undesa_table1_is_converted_to_the_loader_csv(tmp_path):
    fetch, _ = fetch_with({connectors.UNDESA_XLSX: (200, undesa_workbook())})
    CONNECTORS["undesa-migrant-stock"].fetch(fetch, tmp_path / undesa.FOLDER)
    text = (tmp_path / undesa.FOLDER / undesa.STOCK_FILE).read_text()
    assert text.splitlines() == [
        '"Region, development group, country or area of destination",Notes of destination,'
        "Location code of destination,Type of data of destination,"
        '"Region, development group, country or area of origin",Location code of origin,'
        "1990,1995,2000,2005,2010,2015,2020",
        "WORLD,,900,,WORLD,900,100,101,102,103,104,105,106",
        "  Russian Federation*,3,643,B,WORLD,900,200,201,202,203,204,205,206",
        "WORLD,,900,,  Russian Federation*,643,300,301,302,303,304,305,..",
    ]
    shutil.copytree(FIXTURES / wpp.FOLDER, tmp_path / wpp.FOLDER)
    values = undesa.load(tmp_path).values.set_index(["iso3", "indicator", "year"])["value"]
    # 2020 emigrants: '..'
    assert set(values.index) == {
        ("RUS", "immigrant_stock_share", 2010),
        ("RUS", "immigrant_stock_share", 2015),
        ("RUS", "immigrant_stock_share", 2020),
        ("RUS", "emigrant_stock_share", 2010),
        ("RUS", "emigrant_stock_share", 2015),
    }


def test_undesa_workbook_without_table_1_is_schema_drift(tmp_path):
    book = openpyxl.Workbook()
    book.active.title = "Contents"
    buffer = io.BytesIO()
    book.save(buffer)
    fetch, _ = fetch_with({connectors.UNDESA_XLSX: (200, buffer.getvalue())})
    with pytest.raises(SourceError, match="no sheet 'Table 1'") as raised:
        CONNECTORS["undesa-migrant-stock"].fetch(fetch, tmp_path / undesa.FOLDER)
    assert raised.value.kind == "drift"


# ---------------------------------------------------------------- Passport Index (GitHub)

PASSPORT_CSV = b"Passport,Destination,Requirement\nRUS,TUR,60\nRUS,DEU,visa required\n"
PASSPORT_COMMIT = [
    {
        "sha": "0123abcd",
        "commit": {
            "author": {"name": "Ilya Ilyankou", "date": "2026-01-10T18:00:00Z"},
            "committer": {"name": "GitHub", "date": "2026-01-10T18:00:00Z"},
            "message": "Update 10 January 2026\n\nNew data",
        },
    }
]


def test_passport_snapshot_date_sets_the_year(tmp_path):
    answers = {
        connectors.PASSPORT_COMMITS: (200, PASSPORT_COMMIT),
        connectors.PASSPORT_CSV: (200, PASSPORT_CSV),
    }
    fetch, _ = fetch_with(answers)
    got = CONNECTORS["passport-index"].fetch(fetch, tmp_path / passport.FOLDER)
    assert got.edition == "2026-01-10 (Update 10 January 2026)"
    assert (tmp_path / passport.FOLDER / passport.SNAPSHOT_FILE).read_text() == "2026-01-10\n"
    values = passport.load(tmp_path).values
    assert set(values["year"]) == {2026}
    assert values.set_index(["iso3", "indicator"]).loc[("RUS", "passport_visa_free"), "value"] == 1


def test_passport_loader_without_snapshot_file_keeps_2025():
    assert set(passport.load(FIXTURES).values["year"]) == {2025}


# ---------------------------------------------------------------- Voeten (Dataverse)


def dataverse_file(file_id, name, created, original=None) -> dict:
    data_file = {"id": file_id, "filename": name, "creationDate": created}
    if original:
        data_file |= {"originalFileFormat": "text/csv", "originalFileName": original}
    return {"label": name, "dataFile": data_file}


def test_voeten_takes_the_newest_ideal_point_file(tmp_path):
    dataset = {
        "status": "OK",
        "data": {
            "latestVersion": {
                "versionNumber": 37,
                "versionMinorNumber": 0,
                "releaseTime": "2025-07-15T10:00:00Z",
                "files": [
                    dataverse_file(11, "IdealpointestimatesAll_Jun2024.csv", "2024-06-20"),
                    dataverse_file(12, "UNVotes.RData", "2025-07-14"),
                    dataverse_file(
                        13, "IdealpointsJuly2025.tab", "2025-07-14", "IdealpointsJuly2025.csv"
                    ),  # fmt: skip
                ],
            }
        },
    }
    body = (FIXTURES / "unga-voeten" / voeten.FILE_NAME).read_bytes()
    answers = {
        connectors.VOETEN_DATASET: (200, dataset),
        f"{connectors.DATAVERSE}/api/access/datafile/13?format=original": (200, body),
    }
    fetch, _ = fetch_with(answers)
    got = CONNECTORS["unga-voeten"].fetch(fetch, tmp_path / voeten.FOLDER)
    assert got.edition == "IdealpointsJuly2025.csv, Dataverse version 37.0 of 2025-07-15"
    assert (tmp_path / voeten.FOLDER / voeten.FILE_NAME).read_bytes() == body
    assert len(voeten.load(tmp_path).values) > 0


# ---------------------------------------------------------------- the registry


def test_every_publisher_folder_has_a_connector():
    folders = set(load_catalogue().sources["folder"])
    assert set(CONNECTORS) == folders


def test_connectors_name_the_files_their_loader_reads():
    assert CONNECTORS["rsf-press-freedom"].files == (rsf.FILE_NAME,)
    assert CONNECTORS["eiti-status-2024"].files == (eiti.FILE,)
    assert CONNECTORS["undesa-migrant-stock"].files == (undesa.STOCK_FILE,)
    for connector in CONNECTORS.values():
        assert connector.files
        if connector.automatic:
            assert connector.endpoints and all(
                e.startswith("https://") for e in connector.endpoints
            )


@pytest.mark.parametrize(
    "folder",
    [
        "lowy-global-diplomacy-index",
        "international-broadcasters",
        "globalcit-citizenship-mipex",
        "diaspora-voting",
        "cultural-institutes",
        "unesco-uis-student-mobility",
        "unesco-world-heritage-list",
        "gallup-migrant-acceptance-leadership",
    ],
)
def test_sources_without_a_stable_url_are_from_dir_only(folder, tmp_path):
    connector = CONNECTORS[folder]
    assert not connector.automatic and connector.manual
    fetch, client = fetch_with({})
    with pytest.raises(SourceError, match="--from-dir") as raised:
        connector.fetch(fetch, tmp_path / folder)
    assert raised.value.kind == "manual" and client.calls == []
