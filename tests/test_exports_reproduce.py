"""Reproducibility: the method file reloads as the same Method, and the snippet, run on its own
in a fresh Python, prints the scores the app computed."""

from __future__ import annotations

import io
import subprocess
import sys
import tomllib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from exports.reproduce import data_digest, method_file, reproduce_snippet
from scoring.method import Method
from scoring.pipeline import build_scorecard
from tests.exports_helpers import shipped

ROOT = Path(__file__).resolve().parent.parent

METHODS = [
    Method(),
    Method(
        year_window=(2015, 2024),
        imputation="latest_earlier",
        outlier_treatment="jrc",
        normalisation="goalposts",
        indicator_weights={"rsf_press_freedom": 2.5, "diplomatic_posts": 0},
        dimension_weights={"media_reach": 2, "cultural_diplomacy": 0},
        peer_group=("EAEU", "TUR"),
    ),
]


@pytest.mark.parametrize("method", METHODS)
def test_method_file_round_trips(method):
    text = method_file(method)
    assert text.startswith("# Soft Power Scorecard method")
    tomllib.loads(text)  # plain TOML
    assert Method.from_toml(text) == method


def test_data_digest_is_stable_and_short():
    assert data_digest() == data_digest() and len(data_digest()) == 16


def run_snippet(tmp_path: Path, method: Method, *args: str) -> subprocess.CompletedProcess:
    script = tmp_path / "reproduce.py"
    script.write_text(reproduce_snippet(method), encoding="utf-8")
    return subprocess.run(
        [sys.executable, str(script), *args],
        cwd=ROOT, capture_output=True, text=True, timeout=180, check=False,
    )  # fmt: skip


def compare(stdout: str, method: Method) -> None:
    data = shipped()
    expected = build_scorecard(data.values, data.catalogue, method, data.countries).results
    printed = pd.read_csv(io.StringIO(stdout), index_col="iso3", keep_default_na=False,
                          na_values=[""])  # fmt: skip
    assert sorted(printed.index) == sorted(expected.index)
    printed = printed.loc[expected.index]
    assert list(printed.columns) == list(expected.columns)
    for column in expected.columns:
        np.testing.assert_allclose(
            printed[column].to_numpy(dtype=float),
            expected[column].to_numpy(dtype=float, na_value=np.nan),
            rtol=1e-12, atol=0, equal_nan=True, err_msg=column,
        )  # fmt: skip


@pytest.mark.parametrize("method", METHODS, ids=["default", "changed"])
def test_snippet_with_a_method_file_reproduces_the_scores(tmp_path, method):
    toml = tmp_path / "method.toml"
    toml.write_text(method_file(method), encoding="utf-8")
    done = run_snippet(tmp_path, Method(), str(toml))  # the file wins over the embedded method
    assert done.returncode == 0, done.stderr
    assert "warning" not in done.stderr
    compare(done.stdout, method)


def test_snippet_alone_uses_its_embedded_method(tmp_path):
    method = METHODS[1]
    done = run_snippet(tmp_path, method)
    assert done.returncode == 0, done.stderr
    compare(done.stdout, method)


def test_snippet_warns_when_the_data_changed(tmp_path):
    script = tmp_path / "reproduce.py"
    script.write_text(reproduce_snippet(Method(), digest="0" * 16), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(script)], cwd=ROOT, capture_output=True, text=True, timeout=180
    )
    assert done.returncode == 0 and "shipped data differ" in done.stderr
