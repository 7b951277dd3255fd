"""The command line: scoring user files, bad files (exit 2, failures on stderr), methods."""

from __future__ import annotations

import subprocess
import sys
from contextlib import nullcontext
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from exports.score_cli import main
from scoring.schemas import validate_published_indices
from scoring.validity import external_validity

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
            "exports.score_cli",
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
        [sys.executable, "-m", "exports.score_cli", "score", "--out", "x.csv", "--bogus"],
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


# ---- scorecard validate
# Six countries on the framework above; the published table ranks five of them and a sixth
# country that is not scored, and prints a score for none, so the basis is the rank.
SIX_VALUES_CSV = "iso3,indicator,year,value\n" + "".join(
    f"{iso3},{indicator},2020,{value}\n"
    for iso3, row in {
        "FRA": (4, 5, 6), "NAM": (1, 2, 3), "RUS": (7, 8, 1),
        "DEU": (9, 1, 9), "CHN": (2, 9, 2), "USA": (6, 4, 7),
    }.items()
    for indicator, value in zip("abc", row, strict=True)
)  # fmt: skip
PUBLISHED_CSV = """index,edition,iso3,rank,score,source_url
Index P,2020,DEU,2,,https://example.org/p
Index P,2020,USA,1,,https://example.org/p
Index P,2020,FRA,3,,https://example.org/p
Index P,2020,JPN,4,,https://example.org/p
Index P,2020,RUS,5,,https://example.org/p
Index P,2020,CHN,6,,https://example.org/p
Index Q,2021,FRA,1,,https://example.org/q
Index Q,2021,RUS,2,,https://example.org/q
"""


@pytest.fixture
def six(tmp_path):
    (tmp_path / "framework.csv").write_text(FRAMEWORK_CSV)
    (tmp_path / "values.csv").write_text(SIX_VALUES_CSV)
    (tmp_path / "published.csv").write_text(PUBLISHED_CSV)
    return tmp_path


def validate(folder, *extra):
    common = ["--values", str(folder / "values.csv"), "--framework", str(folder / "framework.csv")]
    return main(["validate", *common, *extra])


def test_validate_writes_the_four_tables_and_prints_the_summary(six, capsys):
    published = ["--published", str(six / "published.csv")]
    assert validate(six, *published, "--draws", "200", "--out", str(six / "v")) == 0
    printed = capsys.readouterr().out
    assert sorted(p.name for p in (six / "v").iterdir()) == [
        "external.csv",
        "face.csv",
        "internal.csv",
        "weights.csv",
    ]
    external = read(six / "v" / "external.csv").set_index("index")
    # Index P: DEU, USA, FRA, RUS, CHN are scored and ranked (JPN is not scored): n = 5.
    assert external.loc["Index P", "n"] == 5
    assert main(["score", "--values", str(six / "values.csv"), "--framework",
                 str(six / "framework.csv"), "--out", str(six / "s.csv")]) == 0  # fmt: skip
    overall = read(six / "s.csv").set_index("iso3")["overall"]
    common = ["DEU", "USA", "FRA", "RUS", "CHN"]
    expected = stats.spearmanr(overall[common], [-2, -1, -3, -5, -6]).statistic
    assert external.loc["Index P", "spearman"] == pytest.approx(expected)
    assert external.loc["Index P", "low"] <= external.loc["Index P", "high"]
    assert external.loc["Index P", "basis"] == "rank"
    # Index Q: two in common, no correlation, and the reason.
    assert external.loc["Index Q", "n"] == 2 and np.isnan(external.loc["Index Q", "spearman"])
    assert "only 2 countries in common" in external.loc["Index Q", "note"]
    face = read(six / "v" / "face.csv")
    assert face["rank"].tolist() == sorted(face["rank"]) and len(face) == 6
    assert set(read(six / "v" / "internal.csv")["indicator"]) == {"a", "b", "c"}
    assert read(six / "v" / "weights.csv")["nominal_weight"].sum() == pytest.approx(1.0)
    assert f"Index P 2020, overall: {expected:.2f}" in printed
    assert "Index Q 2021, overall: not computed, n = 2" in printed
    assert "Cronbach's alpha" in printed and "Face validity: the top 6" in printed


def test_validate_without_out_only_prints(six, capsys):
    assert validate(six, "--published", str(six / "published.csv"), "--draws", "20") == 0
    assert "External validity" in capsys.readouterr().out
    assert sorted(p.name for p in six.iterdir()) == ["framework.csv", "published.csv", "values.csv"]


def test_validate_passes_draws_and_seed_to_the_bootstrap(six):
    published = ["--published", str(six / "published.csv"), "--draws", "300"]
    for name, seed in [("a", "7"), ("b", "7")]:
        assert validate(six, *published, "--seed", seed, "--out", str(six / name)) == 0
    a, b = (read(six / name / "external.csv") for name in "ab")
    pd.testing.assert_frame_equal(a, b)
    assert main(["score", "--values", str(six / "values.csv"), "--framework",
                 str(six / "framework.csv"), "--out", str(six / "s.csv")]) == 0  # fmt: skip
    scores = read(six / "s.csv").set_index("iso3")
    table = validate_published_indices(read(six / "published.csv"))
    direct = external_validity(scores, table, draws=300, seed=7)
    assert a[["low", "high"]].to_numpy() == pytest.approx(
        direct[["low", "high"]].to_numpy(), nan_ok=True
    )


def test_validate_without_a_published_table_skips_the_external_comparison(six, capsys, monkeypatch):
    monkeypatch.setenv("SCORECARD_DATA_DIR", str(six / "nothing-here"))
    assert validate(six, "--out", str(six / "v")) == 0
    captured = capsys.readouterr()
    assert "no published_indices.csv in the data folder: external validity skipped" in captured.err
    assert "nothing to compare with" in captured.out
    external = read(six / "v" / "external.csv")
    assert external.empty and external.columns[0] == "index"


@pytest.mark.parametrize(
    "extra, message",
    [
        (["--published", "missing.csv"], "missing.csv: file not found"),
        (["--seed", "-1"], "argument --seed: must be 0 or more, got -1"),
        (["--draws", "0"], "argument --draws: must be at least 1, got 0"),
    ],
)
def test_validate_bad_options_are_one_line_and_exit_2(six, capsys, extra, message, monkeypatch):
    monkeypatch.chdir(six)
    with pytest.raises(SystemExit) if extra[0] != "--published" else nullcontext() as caught:
        status = validate(six, *extra)
    status = caught.value.code if caught is not None else status
    assert status == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def test_validate_a_broken_published_table_lists_its_failures(six, capsys):
    (six / "broken.csv").write_text(PUBLISHED_CSV.replace("DEU,2,", "DEU,second,"))
    assert validate(six, "--published", str(six / "broken.csv")) == 2
    err = capsys.readouterr().err
    assert "published indices: 1 problem found" in err and "'second' is not a whole number" in err


@pytest.mark.skipif(
    not (ROOT / "data" / "published_indices.csv").exists(), reason="no published indices"
)
def test_validate_the_shipped_data(tmp_path, capsys):
    assert main(["validate", "--draws", "100", "--out", str(tmp_path)]) == 0
    external = read(tmp_path / "external.csv").set_index(["index", "edition", "measure"])
    assert set(external.index.get_level_values("measure")) == {"overall", "reach", "appeal"}
    sp30 = external.loc[("Portland Soft Power 30", 2018, "overall")]
    assert sp30["n"] == 30 and sp30["basis"] == "rank"  # the full 2018 rank list, all scored
    assert "Portland Soft Power 30 2018, overall" in capsys.readouterr().out
    face = read(tmp_path / "face.csv")
    assert face["end"].value_counts().to_dict() == {"top": 15, "bottom": 15}
