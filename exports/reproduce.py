"""Reproducibility: the method as a file, and a short script that rebuilds the numbers from it.

Every export can carry these two texts: ``method_file`` (TOML, reloads with
``Method.from_toml``, also accepted by ``scorecard score --method``) and ``reproduce_snippet`` (a
Python script that loads the shipped data, builds the Method from the TOML and prints the
scores as CSV). The script warns when the shipped data differ from those of the export
(:func:`data_digest`), since the same method on other data gives other numbers.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: The files that make up the shipped dataset, hashed by :func:`data_digest`.
DATA_FILES = (
    "data/values.csv",
    "data/countries.csv",
    "indicators/catalogue.yaml",
    "indicators/sources.yaml",
)

METHOD_HEADER = (
    "# Soft Power Scorecard method: every scoring choice.\n"
    "# Load with scoring.method.Method.from_toml(text), or run\n"
    "#   scorecard score --method method.toml --out scores.csv\n"
)


def method_file(method) -> str:
    """The Method as TOML (every setting, not only changes), with a comment saying how to use it;
    ``Method.from_toml(method_file(m)) == m``."""
    return METHOD_HEADER + method.to_toml()


def data_digest(root: Path = ROOT) -> str:
    """First 16 hex digits of the SHA-256 of the shipped data files (in :data:`DATA_FILES` order)."""
    digest = hashlib.sha256()
    for name in DATA_FILES:
        digest.update((root / name).read_bytes())
    return digest.hexdigest()[:16]


def _python_literal(text: str) -> str:
    """A Python string literal for `text`: a raw triple-quoted block when that is exact."""
    if "'''" not in text and not text.endswith("\\") and "\r" not in text:
        return "r'''\n" + text + "'''"
    return repr(text)


SNIPPET = '''"""Reproduce a Soft Power Scorecard result.

Run from the root of the soft-power-scorecard project (it imports `indicators` and `scoring`):
    uv run python reproduce.py               # the method below
    uv run python reproduce.py method.toml   # or a method file
Prints one CSV row per scored country: iso3, dimension scores, overall, rank, coverage.
"""

import hashlib
import sys
from pathlib import Path

sys.path.insert(0, str(Path.cwd()))  # the project root

from indicators.catalogue import (
    CATALOGUE_FILE, DATA_DIR, SOURCES_FILE, load_catalogue, load_countries, load_values,
)
from scoring.method import Method
from scoring.pipeline import build_scorecard

METHOD_TOML = {method_literal}
DATA_DIGEST = "{digest}"  # the shipped data this was exported from

digest = hashlib.sha256()
for path in (DATA_DIR / "values.csv", DATA_DIR / "countries.csv", CATALOGUE_FILE, SOURCES_FILE):
    digest.update(path.read_bytes())
if digest.hexdigest()[:16] != DATA_DIGEST:
    print("warning: the shipped data differ from the export's; numbers may differ", file=sys.stderr)

text = Path(sys.argv[1]).read_text(encoding="utf-8") if len(sys.argv) > 1 else METHOD_TOML
catalogue = load_catalogue()
countries = load_countries()
values = load_values(catalogue, countries)
method = Method.from_toml(text, catalogue)
scorecard = build_scorecard(values, catalogue, method, countries)
print(scorecard.results.sort_values(["rank", "overall"], ascending=[True, False]).to_csv())
'''


def reproduce_snippet(method, digest: str | None = None) -> str:
    """A Python script that rebuilds the scores of `method` from the shipped data and prints
    them as CSV (full precision). `digest` defaults to :func:`data_digest` of this checkout."""
    return SNIPPET.format(
        method_literal=_python_literal(method_file(method)),
        digest=digest if digest is not None else data_digest(),
    )
