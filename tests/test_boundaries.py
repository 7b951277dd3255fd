"""The engine's boundary: scoring/ knows nothing of pages, charts, storage, command lines or the
shipped catalogue. Walked with ``ast``, so an import inside a function counts too."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCORING = ROOT / "scoring"

#: Top-level packages scoring/ must not import, and why.
FORBIDDEN = {
    "streamlit": "pages",
    "plotly": "figures",
    "kaleido": "figures",
    "sqlite3": "storage",
    "psycopg": "storage",
    "store": "storage",
    "argparse": "command lines",
    "indicators": "the shipped catalogue (callers pass it in)",
    "views": "pages",
    "exports": "exports",
    "present": "presentation",
    "charts": "figures",
}


def imported_packages(path: Path) -> set[str]:
    """Top-level names of every module `path` imports, at any depth (relative imports: none)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


def engine_files() -> list[Path]:
    return sorted(SCORING.glob("*.py"))


def test_the_walker_sees_nested_and_dotted_imports(tmp_path):
    module = tmp_path / "m.py"
    module.write_text(
        "import numpy as np\nfrom plotly import graph_objects\n"
        "def f():\n    import streamlit.components.v1\n    from . import sibling\n",
        encoding="utf-8",
    )
    assert imported_packages(module) == {"numpy", "plotly", "streamlit"}


@pytest.mark.parametrize("path", engine_files(), ids=lambda p: p.name)
def test_scoring_imports_nothing_outside_the_engine(path):
    wrong = {name: FORBIDDEN[name] for name in imported_packages(path) if name in FORBIDDEN}
    assert not wrong, f"{path.relative_to(ROOT)} imports {wrong}"


@pytest.mark.parametrize("path", sorted((ROOT / "present").glob("*.py")), ids=lambda p: p.name)
def test_present_builders_are_pure(path):
    """present/ builds tables and figures: no page machinery, storage or command line."""
    wrong = imported_packages(path) & {"streamlit", "sqlite3", "argparse", "views"}
    assert not wrong, f"{path.relative_to(ROOT)} imports {sorted(wrong)}"
