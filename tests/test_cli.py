"""The command line: scoring user files, bad files (exit 2, failures on stderr), methods."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from scoring.cli import main

ROOT = Path(__file__).resolve().parent.parent

# The 3-country example of test_pipeline (overall FRA 75, NAM 45, RUS 25). NAM is Namibia:
# its code must survive reading ("NA" must not become missing anywhere).
FRAMEWORK_CSV = """indicator,dimension,direction,weight,goalpost_low,goalpost_high
a,d1,1,1,,
b,d1,-1,1,0,10
c,d2,1,1,,
"""
VALUES_CSV = """iso3,indicator,year,value,note
NAM,a,2020,1,
NAM,b,2020,2,
NAM,c,2020,3,
FRA,a,2020,4,
FRA,b,2020,5,
FRA,c,2021,6,
RUS,a,2020,7,
RUS,b,2020,8,NA
RUS,c,2020,1,
"""


@pytest.fixture
def files(tmp_path):
    (tmp_path / "framework.csv").write_text(FRAMEWORK_CSV)
    (tmp_path / "values.csv").write_text(VALUES_CSV)
    return tmp_path


def run(tmp_path, *extra):
    return main(
        [
            "score",
            "--values",
            str(tmp_path / "values.csv"),
            "--framework",
            str(tmp_path / "framework.csv"),
            "--out",
            str(tmp_path / "scores.csv"),
            *extra,
        ]
    )


def read(path):
    return pd.read_csv(path, keep_default_na=False, na_values=[""])


def test_score_writes_dimensions_overall_and_rank(files):
    assert run(files) == 0
    out = read(files / "scores.csv")
    assert list(out.columns) == [
        *["iso3", "d1", "d2", "overall", "rank", "coverage", "indicator_count"]
    ]
    # b is published on [0, 10] (goalposts), flipped: FRA 50, NAM 80, RUS 20; a: 50, 0, 100;
    # d1 = FRA 50, NAM 40, RUS 60; d2 = c: 100, 40, 0; overall = 75, 40, 30
    assert out["iso3"].tolist() == ["FRA", "NAM", "RUS"]
    assert out["overall"].tolist() == [75.0, 40.0, 30.0]
    assert out["rank"].tolist() == [1, 2, 3]


@pytest.mark.parametrize("suffix", [".toml", ".json"])
def test_score_with_a_method_file(files, suffix):
    text = (
        "[dimension_weights]\nd2 = 0\n" if suffix == ".toml" else '{"dimension_weights": {"d2": 0}}'
    )
    (files / f"method{suffix}").write_text(text)
    assert run(files, "--method", str(files / f"method{suffix}")) == 0
    out = read(files / "scores.csv").set_index("iso3")
    assert out.loc[["RUS", "FRA", "NAM"], "overall"].tolist() == [60.0, 50.0, 40.0]  # d1 only
    assert out["rank"].tolist() == [1, 2, 3]


def test_bad_values_file_lists_failures_on_stderr_and_exits_2(files, capsys):
    (files / "values.csv").write_text(
        "iso3,indicator,year,value,note\nNAM,a,2020,n/a,\nFRA,zz,2020,5,\nRUS,a,20x0,5,\n"
    )
    assert run(files) == 2
    err = capsys.readouterr().err
    assert "values: 3 problems found" in err
    assert "'n/a' is not a number" in err and "unknown indicator 'zz'" in err
    assert "Traceback" not in err
    assert not (files / "scores.csv").exists()


def test_bad_framework_file_exits_2(files, capsys):
    (files / "framework.csv").write_text("indicator,dimension,direction,weight\nA,d1,2,-1\n")
    assert run(files) == 2
    err = capsys.readouterr().err
    assert "framework:" in err and "direction must be 1 or -1" in err


@pytest.mark.parametrize(
    "method_text, message",
    [
        ("normalization = 'min_max'\n", "unknown key(s) normalization"),
        ("[indicator_weights]\nzz = 1\n", "unknown indicator(s) zz"),
        ("year = = 1", "not valid TOML"),
        ("indicator_aggregation = 'geometric'\n", "geometric mean needs positive values"),
    ],
)
def test_bad_or_impossible_method_exits_2(files, capsys, method_text, message):
    (files / "method.toml").write_text(method_text)
    assert run(files, "--method", str(files / "method.toml")) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_missing_file_and_half_inputs_exit_2(files, capsys):
    assert (
        main(
            [
                "score",
                "--values",
                str(files / "nope.csv"),
                "--framework",
                str(files / "framework.csv"),
                "--out",
                str(files / "o.csv"),
            ]
        )
        == 2
    )
    assert "file not found" in capsys.readouterr().err
    assert (
        main(["score", "--values", str(files / "values.csv"), "--out", str(files / "o.csv")]) == 2
    )
    assert "give both --values and --framework" in capsys.readouterr().err


def test_sensitivity_and_audit_subcommands(files):
    common = ["--values", str(files / "values.csv"), "--framework", str(files / "framework.csv")]
    assert main(["sensitivity", *common, "--draws", "50", "--out", str(files / "mc.csv")]) == 0
    mc = read(files / "mc.csv")
    assert mc["iso3"].tolist() == ["FRA", "NAM", "RUS"]
    assert {"nominal_rank", "median_rank", "p05_rank", "p95_rank"} <= set(mc.columns)
    assert main(["audit", *common, "--out", str(files / "audit")]) == 0
    assert (files / "audit" / "correlations.csv").exists()
    assert (files / "audit" / "indicator_statistics.csv").exists()


def test_entry_point_runs_as_a_process(files):
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "scoring.cli",
            "score",
            "--values",
            str(files / "values.csv"),
            "--framework",
            str(files / "framework.csv"),
            "--out",
            str(files / "p.csv"),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert read(files / "p.csv")["iso3"].tolist() == ["FRA", "NAM", "RUS"]
    proc = subprocess.run(
        [sys.executable, "-m", "scoring.cli", "score", "--out", "x.csv", "--bogus"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert proc.returncode == 2  # argparse usage error


@pytest.mark.skipif(
    not (ROOT / "data" / "values.csv").exists(), reason="shipped data not built yet"
)
def test_score_without_files_scores_the_shipped_data(tmp_path, capsys):
    assert main(["score", "--out", str(tmp_path / "shipped.csv")]) == 0
    out = read(tmp_path / "shipped.csv")
    tail = ["reach", "appeal", "overall", "rank", "coverage", "indicator_count"]
    assert out.columns[0] == "iso3" and list(out.columns[-6:]) == tail
    assert len(out.columns) == 1 + 8 + 6  # the catalogue's eight dimensions
    assert out["rank"].iloc[0] == 1 and out["iso3"].is_unique
    assert {"RUS", "NAM"} <= set(out["iso3"])  # Namibia's code survives reading
    assert "screened out" in capsys.readouterr().err
