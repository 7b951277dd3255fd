"""The scenario store against hostile names and owners: SQL built from constants only (checked
on the module's syntax tree), injection payloads stored and read back intact, names with
control or invisible characters refused, one owner never reaching another's scenarios."""

from __future__ import annotations

import ast
import inspect
import sqlite3

import pytest

import scoring.scenarios
from scoring.method import Method
from scoring.scenarios import MAX_NAME_LENGTH, ScenarioError, ScenarioStore

SQL_CALLS = {"execute", "executemany", "executescript"}


def unsafe_sql_calls(source: str) -> list[str]:
    """Calls of execute/executemany/executescript whose SQL is not a string constant or a name
    bound to one at module level: f-strings, %, +, .format() and any other expression fail."""
    tree = ast.parse(source)
    constants = {
        target.id
        for node in tree.body
        if isinstance(node, ast.Assign)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    unsafe = []
    for node in ast.walk(tree):
        if not (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in SQL_CALLS
        ):
            continue
        sql = node.args[0] if node.args else None
        constant = isinstance(sql, ast.Constant) and isinstance(sql.value, str)
        if not (constant or (isinstance(sql, ast.Name) and sql.id in constants)):
            unsafe.append(f"line {node.lineno}: {ast.unparse(node)[:80]}")
    return unsafe


def test_every_sql_statement_is_a_constant():
    source = inspect.getsource(scoring.scenarios)
    assert unsafe_sql_calls(source) == []
    assert source.count(".execute(") >= 10  # the check saw the statements


@pytest.mark.parametrize(
    "statement",
    [
        "conn.execute(f\"SELECT * FROM scenarios WHERE name = '{name}'\")",
        "conn.execute(\"SELECT * FROM scenarios WHERE name = '%s'\" % name)",
        'conn.execute("SELECT * FROM scenarios WHERE name = \'" + name + "\'")',
        'conn.execute("SELECT * FROM scenarios WHERE name = {}".format(name))',
        "conn.execute(query)",
        "conn.executescript(script + name)",
    ],
)
def test_the_check_catches_sql_built_from_values(statement):
    assert unsafe_sql_calls(f"def f(conn, name, query, script):\n    {statement}\n")


INJECTIONS = [
    "'; DROP TABLE scenarios; --",
    "Robert'); DROP TABLE scenarios;--",
    '" OR "1"="1',
    "' OR '1'='1",
    "x' UNION SELECT owner, name, method_json, created, updated FROM scenarios --",
    "%",
    "_",
    "<script>alert(1)</script>",
    "[pay here](https://evil.example)",
    "../../etc/passwd",
    "a/b\\c",
    "=cmd|' /C calc'!A0",
    "Ёлки 名前 😀",
    "x" * MAX_NAME_LENGTH,
]


@pytest.fixture
def store(tmp_path) -> ScenarioStore:
    return ScenarioStore(tmp_path / "scenarios.sqlite3")


def test_injection_payloads_round_trip_intact(store):
    heavy = Method(dimension_weights={"media_reach": 3.0})
    store.save("session:bystander", "Kept", Method())
    for name in INJECTIONS:
        store.save("session:a", name, heavy)
    assert sorted(store.names("session:a")) == sorted(INJECTIONS)
    for name in INJECTIONS:
        assert store.load("session:a", name) == heavy
        assert store.get("session:a", name).name == name
    # The table and the other owner's scenario survived every payload.
    assert store.names("session:bystander") == ["Kept"]
    for name in INJECTIONS:
        renamed = store.rename("session:a", name, name + " (2)"[: MAX_NAME_LENGTH - len(name)])
        store.delete("session:a", renamed.name)
    assert store.names("session:a") == []
    assert store.names("session:bystander") == ["Kept"]
    assert store.integrity_check()
    with sqlite3.connect(store.path) as conn:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    assert "scenarios" in tables


@pytest.mark.parametrize("owner", ["%", "_", "' OR '1'='1", "session:a' --", "session:A"])
def test_an_owner_key_that_looks_like_sql_sees_nothing_of_others(store, owner):
    store.save("session:a", "Private", Method())
    assert store.names(owner) == []
    with pytest.raises(ScenarioError, match="no saved scenario"):
        store.load(owner, "Private")
    with pytest.raises(ScenarioError, match="no saved scenario"):
        store.delete(owner, "Private")
    assert store.names("session:a") == ["Private"]


@pytest.mark.parametrize(
    "name, reason",
    [
        ("a\x00b", "U+0000"),
        ("two\nlines", "U+000A"),
        ("tab\there", "U+0009"),
        ("\x1b[31mred", "U+001B"),
        ("abc\u202egnp.exe", "U+202E"),  # right-to-left override
        ("a\u2066b\u2069", "U+2066"),  # left-to-right isolate
        ("zero\u200bwidth", "U+200B"),
        ("bom\ufeff", "U+FEFF"),
        ("del\x7f", "U+007F"),
        ("x" * (MAX_NAME_LENGTH + 1), f"at most {MAX_NAME_LENGTH}"),
        ("x" * 100_000, f"at most {MAX_NAME_LENGTH}"),
        ("", "empty"),
        ("   ", "empty"),
    ],
)
def test_unprintable_or_oversized_names_are_refused_and_nothing_is_stored(store, name, reason):
    with pytest.raises(ScenarioError, match=reason.replace("+", r"\+")):
        store.save("session:a", name, Method())
    assert store.names("session:a") == []
