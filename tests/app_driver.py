"""Opening the app headless with Streamlit's AppTest, shared by the page tests."""

import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "dashboard.py")
# Every page in the app's navigation, so that a new page is tested too.
PAGES = re.findall(r'st\.Page\("(views/\w+\.py)"', Path(APP).read_text())
assert PAGES, "no st.Page found in dashboard.py"


def open_app(page: str | None = None, timeout: float = 120, **query) -> AppTest:
    """Run the app with `query` in the URL, switch to `page`, and fail on any exception."""
    app = AppTest.from_file(APP, default_timeout=timeout)
    for key, value in query.items():
        app.query_params[key] = value
    app.run()
    if page:
        app.switch_page(page).run()
    assert not app.exception, app.exception
    return app
