"""Opening the app headless with Streamlit's AppTest, shared by the page tests."""

import base64
import json
import re
from pathlib import Path

import numpy as np
from streamlit.testing.v1 import AppTest

import i18n

APP = str(Path(__file__).resolve().parent.parent / "dashboard.py")
# Every page in the app's navigation, so that a new page is tested too.
PAGES = re.findall(r'st\.Page\("(views/\w+\.py)"', Path(APP).read_text())
assert PAGES, "no st.Page found in dashboard.py"


def open_app(page: str | None = None, timeout: float = 120, **query) -> AppTest:
    """Run the app with `query` in the URL, switch to `page`, and fail on any exception."""
    # AppTest calls widgets' format_func in this thread: it must read the page's language too
    # (tests/conftest.py puts English back after each test).
    i18n.use(str(query.get("lang", i18n.DEFAULT)))
    app = AppTest.from_file(APP, default_timeout=timeout)
    for key, value in query.items():
        app.query_params[key] = value
    app.run()
    if page:
        app.switch_page(page).run()
    assert not app.exception, app.exception
    return app


def rankings_table(app: AppTest):
    """The Rankings page's table (the page opens on its chart): opens the Table tab and reruns."""
    app.session_state["rankings_view"] = "Table"
    app.run()
    assert not app.exception, app.exception
    return app.dataframe[0].value


def download_panels(app: AppTest) -> list:
    """The "Download" popovers under the page's charts."""
    return [p for p in app.get("popover") if p.proto.popover.label == "Download"]


def open_download_panels(app: AppTest) -> AppTest:
    """Open every chart's download panel (its content runs only while open) and rerun."""
    for panel in download_panels(app):
        app.session_state[panel.proto.id.split("-", 2)[2]] = True  # "$$ID-<hash>-<key>"
    app.run()
    assert not app.exception, app.exception
    return app


def _plain(node):
    """Plotly JSON with typed arrays ({"dtype", "bdata"[, "shape"]}) turned into lists."""
    if isinstance(node, dict) and "bdata" in node and "dtype" in node:
        array = np.frombuffer(base64.b64decode(node["bdata"]), dtype=node["dtype"])
        if "shape" in node:
            array = array.reshape([int(n) for n in str(node["shape"]).split(",")])
        return array.tolist()
    if isinstance(node, dict):
        return {key: _plain(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_plain(value) for value in node]
    return node


def chart_figure(app: AppTest, key_part: str) -> dict:
    """The figure of the chart whose key contains `key_part`, with every array as a plain list."""
    for chart in app.get("plotly_chart"):
        if key_part in chart.proto.id:
            return _plain(json.loads(chart.proto.spec))
    raise AssertionError(f"no chart {key_part}")


def widget(elements, name: str):
    """The widget that shows the state under `name`: keyed `name`, or `name@N` once the state
    moved on without it and it was drawn anew (``views.state.widget_key``)."""
    for element in elements:
        key = getattr(element, "key", None) or ""
        if key == name or key.startswith(f"{name}@"):
            return element
    raise KeyError(name)
