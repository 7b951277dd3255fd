"""The scenario store against hostile names and owners: SQL built from constants only (checked
on the module's syntax tree), injection payloads stored and read back intact, names with
control or invisible characters refused, one owner never reaching another's scenarios."""

from __future__ import annotations

import ast
import inspect

import pytest

from scoring.method import Method
from store import database as database_module
from store import migrations as migrations_module
from store import scenarios as scenarios_module
from store.scenarios import MAX_NAME_LENGTH, ScenarioError, ScenarioStore
from tests.servers import table_names

SQL_CALLS = {"execute", "executemany", "executescript"}


def unsafe_sql_calls(source: str) -> list[str]:
    """Calls of execute/executemany/executescript whose SQL is not a string constant, a name
    bound to one at module level, or an item of a module-level tuple of string constants:
    f-strings, %, +, .format() and any other expression fail."""
    tree = ast.parse(source)
    constants, tuples = set(), set()
    for node in tree.body:
        if not isinstance(node, ast.Assign):
            continue
        names = {t.id for t in node.targets if isinstance(t, ast.Name)}
        if isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            constants |= names
        elif isinstance(node.value, ast.Tuple) and all(
            isinstance(e, ast.Constant) and isinstance(e.value, str) for e in node.value.elts
        ):
            tuples |= names
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
        named = isinstance(sql, ast.Name) and sql.id in constants
        item = (
            isinstance(sql, ast.Subscript)
            and isinstance(sql.value, ast.Name)
            and sql.value.id in tuples
        )
        if not (constant or named or item):
            unsafe.append(f"line {node.lineno}: {ast.unparse(node)[:80]}")
    return unsafe


def test_every_sql_statement_is_a_constant():
    source = inspect.getsource(scenarios_module)
    assert unsafe_sql_calls(source) == []
    modules = (scenarios_module, migrations_module, database_module)
    # the check saw the statements: 8 in the store, the rest in the migrations and database
    assert sum(inspect.getsource(m).count(".execute(") for m in modules) >= 20
    assert unsafe_sql_calls(inspect.getsource(migrations_module)) == []
    # The one call that passes SQL on: PostgreSQL's placeholders, in the statement it was given.
    flagged = unsafe_sql_calls(inspect.getsource(database_module))
    assert [line.split(": ", 1)[1] for line in flagged] == [
        "self.raw.execute(sql.replace('?', '%s'), params)"
    ]


@pytest.mark.parametrize(
    "statement",
    [
        "conn.execute(f\"SELECT * FROM scenarios WHERE name = '{name}'\")",
        "conn.execute(\"SELECT * FROM scenarios WHERE name = '%s'\" % name)",
        'conn.execute("SELECT * FROM scenarios WHERE name = \'" + name + "\'")',
        'conn.execute("SELECT * FROM scenarios WHERE name = {}".format(name))',
        "conn.execute(query)",
        "conn.executescript(script + name)",
        "conn.execute(STATEMENTS[0])",  # not a module-level tuple of constants
        "conn.execute((f'{name}',)[0])",
    ],
)
def test_the_check_catches_sql_built_from_values(statement):
    source = f"STATEMENTS = [f'{{x}}']\ndef f(conn, name, query, script):\n    {statement}\n"
    assert unsafe_sql_calls(source)


def test_the_check_accepts_items_of_a_tuple_of_constants():
    source = "SET = ('PRAGMA a = 0', 'PRAGMA a = 1')\ndef f(conn, v):\n    conn.execute(SET[v])\n"
    assert unsafe_sql_calls(source) == []


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
def store(database_url) -> ScenarioStore:
    return ScenarioStore(database_url)


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
    assert "scenarios" in table_names(store)


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
