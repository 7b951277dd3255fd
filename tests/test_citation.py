"""Citations of a view: each format checked against a hand-written expected text for one fixed
record, parsed back where a format has a grammar, and the data digest tied to the data's bytes."""

import datetime
import hashlib
import json
import re
import shutil

import pytest

import i18n
from present import citation
from present.citation import Citation, Source

FIXED = Citation(
    view="Rankings",
    app_version="0.1.0",
    data_digest="0123456789ab",
    data_date=datetime.date(2026, 5, 14),
    method="Weights: 4 dimensions equally. min-max normalisation, arithmetic/arithmetic aggregation.",
    sources=(
        Source("Bailey, Strezhnev & Voeten", "UNGA votes_1 {ideal} $ #1", "2024", "CC0", ""),
        Source("EITI", "Validation 100%", "", "CC BY 4.0", "https://eiti.org"),
    ),
    url="https://example.org/rankings?w_media=2&lang=ru",
    accessed=datetime.date(2026, 12, 4),
)
NOTE = (
    "Data version 0123456789ab (2026-05-14). Method: Weights: 4 dimensions equally. min-max "
    "normalisation, arithmetic/arithmetic aggregation. Sources: Bailey, Strezhnev & Voeten, "
    "UNGA votes_1 {ideal} $ #1 (2024); EITI, Validation 100%."
)


def test_bibtex_is_the_hand_written_entry_with_latex_specials_escaped():
    assert citation.bibtex(FIXED) == (
        "@misc{softpowerscorecard20261204012345,\n"
        "  title = {{Soft Power Scorecard: Rankings}},\n"
        "  version = {0.1.0},\n"
        "  year = {2026},\n"
        "  url = {https://example.org/rankings?w_media=2&lang=ru},\n"
        "  urldate = {2026-12-04},\n"
        "  note = {Data version 0123456789ab (2026-05-14). Method: Weights: 4 dimensions equally. "
        "min-max normalisation, arithmetic/arithmetic aggregation. Sources: Bailey, Strezhnev \\& "
        "Voeten, UNGA votes\\_1 \\{ideal\\} \\$ \\#1 (2024); EITI, Validation 100\\%.}\n"
        "}\n"
    )


def _bibtex_fields(entry: str) -> tuple[str, str, dict[str, str]]:
    """A small independent reader: @type{key, name = {value}, ...}; braces must balance and no
    unescaped special character may stand outside the url field."""
    head = re.match(r"@(\w+)\{([^,\s]+),\n", entry)
    assert head, entry
    fields, rest = {}, entry[head.end() :]
    while True:
        m = re.match(r"\s*(\w+) = \{", rest)
        if not m:
            break
        depth, i = 1, m.end()
        while depth:
            if rest[i] == "\\":
                i += 2
                continue
            depth += {"{": 1, "}": -1}.get(rest[i], 0)
            i += 1
        fields[m.group(1)] = rest[m.end() : i - 1]
        rest = rest[i:].lstrip(",")
    assert rest.strip() == "}", rest
    return head.group(1), head.group(2), fields


def test_bibtex_parses_back_and_escapes_every_special_character():
    kind, key, fields = _bibtex_fields(citation.bibtex(FIXED))
    assert (kind, key) == ("misc", "softpowerscorecard20261204012345")
    assert set(fields) == {"title", "version", "year", "url", "urldate", "note"}
    for name, value in fields.items():
        if name != "url":
            assert not re.search(r"(?<!\\)[&%$#_]", value), (name, value)
    tricky = Citation(**{**FIXED.__dict__, "view": "a{b} ~^\\ 100%", "url": "http://x/{y}"})
    _, _, fields = _bibtex_fields(citation.bibtex(tricky))
    assert fields["title"] == (
        r"{Soft Power Scorecard: a\{b\} \textasciitilde{}\textasciicircum{}\textbackslash{} 100\%}"
    )
    assert fields["url"] == "http://x/%7By%7D"


def test_ris_is_tagged_lines_ending_with_er():
    text = citation.ris(FIXED)
    lines = text.split("\r\n")
    assert lines[-1] == ""  # CRLF after the last line too
    lines = lines[:-1]
    assert all(re.fullmatch(r"[A-Z][A-Z0-9]  - .*", line) for line in lines), lines
    assert lines[0] == "TY  - DATA" and lines[-1] == "ER  - "
    assert lines[1:-1] == [
        "TI  - Soft Power Scorecard: Rankings",
        "PB  - Soft Power Scorecard",
        "ET  - 0.1.0",
        "PY  - 2026",
        "Y2  - 2026/12/04",
        "UR  - https://example.org/rankings?w_media=2&lang=ru",
        "N1  - Data version 0123456789ab (2026-05-14)",
        "N1  - Method: Weights: 4 dimensions equally. min-max normalisation, "
        "arithmetic/arithmetic aggregation.",
        "N1  - Source: Bailey, Strezhnev & Voeten, UNGA votes_1 {ideal} $ #1 (2024)",
        "N1  - Source: EITI, Validation 100%",
    ]


def test_csl_json_has_the_schema_fields_of_a_dataset():
    items = json.loads(citation.csl_json(FIXED))
    assert items == [
        {
            "id": "softpowerscorecard20261204012345",
            "type": "dataset",
            "title": "Soft Power Scorecard: Rankings",
            "publisher": "Soft Power Scorecard",
            "version": "0.1.0",
            "URL": "https://example.org/rankings?w_media=2&lang=ru",
            "accessed": {"date-parts": [[2026, 12, 4]]},
            "issued": {"date-parts": [[2026, 5, 14]]},
            "note": NOTE,
        }
    ]
    # the CSL data schema's names only (csl-data.json, v1.0)
    schema_fields = {"id", "type", "title", "publisher", "version", "URL", "accessed", "issued"}
    assert set(items[0]) <= schema_fields | {"note"}


def test_plain_text_reads_as_one_sentence_in_each_language():
    assert citation.plain(FIXED) == (
        "Soft Power Scorecard: Rankings (version 0.1.0; data 0123456789ab (2026-05-14)). "
        "Method: Weights: 4 dimensions equally. min-max normalisation, arithmetic/arithmetic "
        "aggregation. Sources: Bailey, Strezhnev & Voeten, UNGA votes_1 {ideal} $ #1 (2024); "
        "EITI, Validation 100%. https://example.org/rankings?w_media=2&lang=ru "
        "(accessed 4 December 2026).\n"
    )
    i18n.use("ru")
    try:
        russian = citation.plain(FIXED)
    finally:
        i18n.use("en")
    assert "версия 0.1.0" in russian and "4 декабря 2026" in russian, russian


def test_without_a_date_or_link_the_citation_leaves_them_out_rather_than_guess():
    bare = Citation(**{**FIXED.__dict__, "data_date": None, "url": "", "sources": ()})
    assert "issued" not in citation.csl_item(bare) and "URL" not in citation.csl_item(bare)
    assert "url =" not in citation.bibtex(bare)
    assert "UR  -" not in citation.ris(bare)
    assert citation.plain(bare).startswith(
        "Soft Power Scorecard: Rankings (version 0.1.0; data 0123456789ab)."
    )


def test_digest_is_sha256_over_names_and_bytes_and_moves_with_one_byte(tmp_path):
    (tmp_path / "b.csv").write_bytes(b"x,y\n1,2\n")
    (tmp_path / "a.csv").write_bytes(b"iso3\nRUS\n")
    (tmp_path / "notes.txt").write_bytes(b"not a table")
    # worked by hand: a.csv before b.csv, each name NUL bytes NUL
    expected = hashlib.sha256(b"a.csv\0iso3\nRUS\n\0b.csv\0x,y\n1,2\n\0").hexdigest()[:12]
    assert citation.data_digest(tmp_path) == expected
    (tmp_path / "b.csv").write_bytes(b"x,y\n1,3\n")
    assert citation.data_digest(tmp_path) != expected


def test_shipped_digest_changes_when_a_data_byte_changes(tmp_path):
    copy = tmp_path / "data"
    shutil.copytree(citation.DATA_DIR, copy)
    before = citation.data_digest(copy)
    values = copy / "values.csv"
    raw = bytearray(values.read_bytes())
    raw[-2] = ord("1") if raw[-2] != ord("1") else ord("2")
    values.write_bytes(bytes(raw))
    assert citation.data_digest(copy) != before
    assert re.fullmatch(r"[0-9a-f]{12}", before)


def test_data_date_is_the_newest_recorded_retrieval(tmp_path):
    (tmp_path / "vintage.csv").write_text(
        "indicator,source,retrieved\na,s,2024-01-16\nb,s,\nc,s,2025-12-07T10:00\n"
    )
    assert citation.data_date(tmp_path) == datetime.date(2025, 12, 7)
    (tmp_path / "vintage.csv").write_text("indicator,source,retrieved\na,s,\n")
    assert citation.data_date(tmp_path) is None
    assert citation.data_date(tmp_path / "absent") is None


@pytest.fixture(scope="module")
def shipped():
    from indicators.catalogue import load_catalogue, load_countries, load_values
    from scoring.pipeline import build_scorecard, prepare

    catalogue, countries = load_catalogue(), load_countries()
    prepared = prepare(load_values(catalogue, countries), catalogue, countries=countries)
    return build_scorecard(prepared, countries=countries), catalogue


def test_a_scorecard_citation_names_its_method_and_its_counted_sources(shipped):
    sc, catalogue = shipped
    cited = citation.for_scorecard(sc, catalogue, "Rankings", "http://h/", ["eiti_status_score"])
    eiti = catalogue.sources[
        catalogue.sources["source"]
        == catalogue.indicators.set_index("indicator").loc["eiti_status_score", "source"]
    ].iloc[0]
    assert [(s.publisher, s.edition, s.licence) for s in cited.sources] == [
        (eiti["publisher"], eiti["edition"], eiti["licence"])
    ]
    assert "min-max normalisation" in cited.method
    assert cited.app_version == "0.1.0"  # pyproject.toml's
    assert cited.data_digest == citation.data_digest()


def test_the_data_version_follows_an_update_while_the_app_runs(tmp_path):
    (tmp_path / "values.csv").write_bytes(b"iso3,value\nRUS,1\n")
    first, _ = citation.shipped_data_version(tmp_path)
    (tmp_path / "values.csv").write_bytes(b"iso3,value\nRUS,22\n")  # another size
    assert citation.shipped_data_version(tmp_path)[0] != first
