"""Every refusal scoring/ raises where a person can meet it is an EngineError with a literal
template, so the catalogue has it and the pages can say it in the reader's language. A plain
`raise ValueError(...)` or an f-string message is allowed only where listed below, each with
why no reader meets it (or meets it only on the English command line)."""

import ast
from pathlib import Path

import pytest

SCORING = Path(__file__).resolve().parent.parent / "scoring"

# (file, function, the message's first literal words) -> why a reader never meets it.
ALLOWED = {
    ("attribution.py", "score_inputs", "level: unknown choice "):
        "the pages and the CLI offer only LEVELS",
    ("attribution.py", "score_inputs", "level: the framework has no "):
        "the level picker lists the framework's own sides",
    ("attribution.py", "quasi_mean", " mean: a negative normalised value has no "):
        "build_scorecard refuses the same negative value first (aggregate._check_positive)",
    ("attribution.py", "attribute", " ("):
        "a consistency check of the split against the scorecards it came from",
    ("aggregate.py", "generalised_mean", "generalised mean needs a power p"):
        "a Method always carries a power",
    ("weights.py", "preset_arrays", "weight preset "):
        "the pipeline always passes the normalised data to a data-driven preset",
    ("normalise.py", "normalise", "unknown normalisation "):
        "Method refuses an unknown normalisation when it is built",
    ("sensitivity.py", "saltelli_sample", "saltelli sample: need N >= 2 and d >= 1, got N = "):
        "sample sizes come from the code, bounded by Limits",
    ("sensitivity.py", "sobol_indices", "sobol indices: expected "):
        "the outputs are the code's own evaluations of its own sample",
    ("uncertainty.py", "perturb_weights", "weights: expected finite, non-negative weights"):
        "weights are validated (weights.validate_weights) before they are perturbed",
    ("audit.py", "_stage", "stage: unknown choice "):
        "stage names are written in the code",
    ("pipeline.py", "_unwrap",
     "framework: expected a DataFrame with indicator, dimension, direction, weight"):
        "the framework is the validated catalogue's (schemas refuse a broken one)",
    ("pipeline.py", "_unwrap", "framework: missing column(s) "):
        "the framework is the validated catalogue's (schemas refuse a broken one)",
    ("pipeline.py", "_group_codes",
     "group imputation needs the countries table (iso3, region, subregion, groups)"):
        "the app and the CLI always pass the countries table",
    ("pipeline.py", "build_scorecard", "framework: required when values are not prepared"):
        "a call without a framework is a programming error",
    ("impute.py", "_group_fill",
     "group imputation needs the countries table (region, subregion, groups)"):
        "the pipeline always builds the group context",
    ("impute.py", "latest_earlier", "latest_earlier imputation needs the values of earlier years"):
        "the pipeline always passes the earlier years",
    ("alternatives.py", "nominal_scorecard", "expected a Scorecard or Prepared, got "):
        "a TypeError: a call with another type is a programming error",
    # The command line's file reader (--values of score and explain, update-data): it writes
    # its errors in English beside the CLI's own English messages; no page reads files by path.
    ("files.py", "open_regular", ": is a link that "): "command line only, in English",
    ("files.py", "open_regular", ": is "): "command line only, in English",
    ("files.py", "read_text_file", ": compressed as "): "command line only, in English",
    ("files.py", "read_text_file", ": cannot decompress it as "): "command line only, in English",
}  # fmt: skip

TEMPLATE_CALLS = {"EngineError", "Phrase", "template"}


def _name(node: ast.AST) -> str:
    if isinstance(node, ast.Call):
        node = node.func
    if isinstance(node, ast.Attribute):
        return node.attr
    return node.id if isinstance(node, ast.Name) else ""


def _first_words(node: ast.AST) -> str:
    """The first literal text of a message: a string, or an f-string's first literal part."""
    for part in ast.walk(node):
        if isinstance(part, ast.Constant) and isinstance(part.value, str) and part.value:
            return part.value
    return ""


def _findings() -> list[tuple[str, str, str, str]]:
    """(file, function, first words, what is wrong) for each raise or template to check."""
    found = []
    for path in sorted(SCORING.glob("*.py")):
        tree = ast.parse(path.read_text(), str(path))
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(function):
                if isinstance(node, ast.Call) and _name(node) in TEMPLATE_CALLS and node.args:
                    first = node.args[0]
                    literal = isinstance(first, ast.Constant) and isinstance(first.value, str)
                    if not literal and not (_name(node) == "EngineError" and _is_name(first)):
                        found.append((path.name, function.name, "", "template is not a literal"))
                if not isinstance(node, ast.Raise) or not isinstance(node.exc, ast.Call):
                    continue
                call = node.exc
                fstring = any(isinstance(a, ast.JoinedStr) for a in call.args)
                if _name(call) == "ValueError" or fstring:
                    words = _first_words(call.args[0]) if call.args else ""
                    kind = "f-string message" if fstring else "plain ValueError"
                    found.append((path.name, function.name, words, kind))
    return found


def _is_name(node: ast.AST) -> bool:
    """A constant marked with template() passed on (NestingError passes _NESTED)."""
    return isinstance(node, ast.Name) and node.id.lstrip("_").isupper()


FINDINGS = _findings()


def test_every_user_facing_raise_in_scoring_is_an_engine_error():
    unlisted = [
        f"{file}:{function}: {kind} {words!r}"
        for file, function, words, kind in FINDINGS
        if (file, function, words) not in ALLOWED
    ]
    assert unlisted == [], (
        "raise EngineError('template with {fields}', field=...) instead (scoring/errors.py), "
        "or add it to ALLOWED with why no reader meets it:\n" + "\n".join(unlisted)
    )


@pytest.mark.parametrize("key", sorted(ALLOWED))
def test_each_allowed_raise_still_exists(key):
    """An entry for a raise that was converted or removed is dropped, so the list stays true."""
    assert key in {(file, function, words) for file, function, words, _ in FINDINGS}


def test_the_walk_sees_a_plain_value_error(tmp_path):
    """The check itself: a new plain raise is found (not a test that passes by finding nothing)."""
    (tmp_path / "new.py").write_text(
        "def f(x):\n    raise ValueError(f'{x}: bad')\n\n"
        "def g(x):\n    raise EngineError(f'{x}: bad')\n"
    )
    global SCORING
    saved, SCORING = SCORING, tmp_path
    try:
        found = _findings()
    finally:
        SCORING = saved
    assert ("new.py", "f", ": bad", "f-string message") in found
    assert ("new.py", "g", "", "template is not a literal") in found
