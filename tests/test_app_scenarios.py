"""The Scenarios page, driven headless with AppTest against a scenario store in a temporary file:
save, list, load (the ranking follows), rename, delete, compare (the engine's numbers)."""

from urllib.parse import parse_qsl, urlsplit

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from indicators.catalogue import load_catalogue, load_countries, load_values
from scoring.method import Method
from scoring.pipeline import build_scorecard, prepare
from store.scenarios import ScenarioStore, compare
from tests.app_driver import rankings_table

APP = "../dashboard.py"
PAGE = "views/scenarios.py"
HEAVY = Method(dimension_weights={"media_reach": 5.0})


@pytest.fixture
def store_path(tmp_path, monkeypatch):
    path = tmp_path / "scenarios.sqlite3"
    monkeypatch.setenv("SCORECARD_SCENARIOS", str(path))
    return path


@pytest.fixture(scope="module")
def engine():
    catalogue = load_catalogue()
    countries = load_countries()
    prepared = prepare(load_values(catalogue, countries), catalogue, countries=countries)

    def score(method: Method):
        return build_scorecard(prepared, method=method, countries=countries)

    return score


def open_page(**query) -> AppTest:
    app = AppTest.from_file(APP, default_timeout=90)
    for key, value in query.items():
        app.query_params[key] = value
    app.run()
    app.switch_page(PAGE).run()
    assert not app.exception, app.exception
    return app


def by_key(elements, key):
    return next(e for e in elements if e.key == key)


def save(app: AppTest, name: str) -> None:
    by_key(app.text_input, "scenario_name").input(name)
    by_key(app.button, "scenario_save").click().run()
    assert not app.exception, app.exception


def frame_with(app: AppTest, column: str) -> pd.DataFrame | None:
    return next((f.value for f in app.dataframe if column in f.value.columns), None)


def listed(app: AppTest) -> list[str]:
    frame = frame_with(app, "Scenario")
    return [] if frame is None else list(frame["Scenario"])


def test_save_list_rename_delete(store_path):
    app = open_page(dw="media_reach:5")
    assert listed(app) == []
    assert any("No saved scenarios" in i.value for i in app.info)
    save(app, "Media heavy")
    assert any("Saved the current method" in s.value for s in app.success)
    assert listed(app) == ["Media heavy"]
    owner = app.session_state["scenario_session_id"]
    assert ScenarioStore(store_path).load(f"session:{owner}", "Media heavy") == HEAVY

    save(app, "Media heavy")  # duplicate without "replace": a message, not a crash
    assert any("Media heavy" in w.value for w in app.warning)

    by_key(app.text_input, "scenario_new_name").input("Broadcasters first")
    by_key(app.button, "scenario_rename").click().run()
    assert listed(app) == ["Broadcasters first"]

    by_key(app.button, "scenario_delete").click().run()
    assert listed(app) == []
    assert ScenarioStore(store_path).names(f"session:{owner}") == []


def test_load_changes_the_ranking(store_path, engine):
    app = open_page(dw="media_reach:5")
    save(app, "Media heavy")
    app.sidebar.button[0].click().run()  # "Reset to the default method"
    assert app.session_state["method"] == Method()
    by_key(app.button, "scenario_load").click().run()
    assert not app.exception, app.exception
    assert app.session_state["method"] == HEAVY
    # The sidebar slider re-seeds from the loaded method.
    assert next(s for s in app.sidebar.slider if s.label == "Media reach").value == 5.0
    app.switch_page("views/rankings.py").run()
    shown = rankings_table(app)
    expected = engine(HEAVY).results.sort_values("rank")
    assert list(shown["Rank"]) == list(expected["rank"])
    assert shown["Overall"].to_numpy() == pytest.approx(expected["overall"].to_numpy())


def test_compare_table_is_the_engine_s(store_path, engine):
    app = open_page(dw="media_reach:5")
    save(app, "Media heavy")
    by_key(app.selectbox, "scenario_a").select("Current method").run()
    by_key(app.selectbox, "scenario_b").select("Media heavy").run()
    assert not app.exception, app.exception
    # The current method is still the heavy one: compare it with itself first ...
    table = frame_with(app, "Rank change").set_index("iso3")
    assert (table["Rank change"].dropna() == 0).all()
    # ... then with the default.
    app.sidebar.button[0].click().run()
    table = frame_with(app, "Rank change").set_index("iso3")
    expected = compare(engine(Method()), engine(HEAVY))
    assert list(table.index) == list(expected.index)
    # One convention on every page: positive = moved up, here from A (default) to B (heavy).
    pd.testing.assert_series_equal(
        table["Rank change"].astype("Int64"),
        expected["rank_a"] - expected["rank_b"],
        check_names=False,
    )
    assert table["Score B"].to_numpy(dtype=float) == pytest.approx(
        expected["overall_b"].to_numpy(dtype=float), nan_ok=True
    )
    assert app.get("plotly_chart")  # the rank scatter


def test_share_link_and_team_key(store_path):
    app = open_page(dw="media_reach:5")
    save(app, "Media heavy")
    by_key(app.selectbox, "scenario_share").select("Media heavy").run()
    link = app.code[0].value
    assert dict(parse_qsl(urlsplit(link).query)) == HEAVY.to_query()
    # A team key is another owner: the session's scenario is not listed there.
    by_key(app.text_input, "scenario_team_key").input("blue-team-42").run()
    assert listed(app) == []
    save(app, "Team view")
    assert ScenarioStore(store_path).names("team:blue-team-42") == ["Team view"]


def test_export_import_round_trip(store_path):
    store = ScenarioStore(store_path)
    store.save("someone", "Media heavy", HEAVY)
    text = store.export_toml("someone", "Media heavy")
    app = open_page()
    owner = f"session:{app.session_state['scenario_session_id']}"
    # AppTest has no file-uploader driver: the page's import goes through the same store call.
    store.import_toml(owner, None, text.encode())
    app.run()
    assert listed(app) == ["Media heavy"]
    labels = [b.label for b in app.get("download_button")]
    assert "Export as TOML" in labels and "Download the method (TOML)" in labels


def test_the_page_saves_to_postgresql_when_the_url_says_so(postgres_server, monkeypatch, tmp_path):
    url = postgres_server.create_database()
    monkeypatch.setenv("SCORECARD_DATABASE_URL", url)
    monkeypatch.setenv("SCORECARD_SCENARIOS", str(tmp_path / "unused.sqlite3"))
    app = open_page(dw="media_reach:5")
    by_key(app.text_input, "scenario_team_key").input("blue").run()
    save(app, "On the server")
    assert listed(app) == ["On the server"]
    assert ScenarioStore(url).load("team:blue", "On the server") == HEAVY
    assert not (tmp_path / "unused.sqlite3").exists()


def test_an_unreachable_database_is_reported_without_its_password(monkeypatch):
    from tests.servers import free_port

    port = free_port()  # nothing listens there
    monkeypatch.setenv("SCORECARD_DATABASE_URL", f"postgresql://app:s3cret@127.0.0.1:{port}/sc")
    app = open_page()
    errors = [e.value for e in app.error]
    assert len(errors) == 1 and errors[0].startswith("Saved scenarios are unavailable.")
    shown = errors[0].replace("\u2060", "").replace("\\", "")  # as read, without md()'s escapes
    assert f"cannot reach the PostgreSQL database postgresql://app@127.0.0.1:{port}/sc" in shown
    assert "s3cret" not in shown
    assert [b.label for b in app.get("download_button")] == ["Download the current method (TOML)"]
