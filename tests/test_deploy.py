"""deploy/ says what the code reads: the nginx site's only placeholders are its ports, and the
environment file and units name the variables and entry point the app uses."""

from __future__ import annotations

import re

from store.scenarios import DATABASE_URL_VAR, ENV_VAR
from tests.servers import NGINX_PORTS, NGINX_SITE, ROOT, render_site

DEPLOY = ROOT / "deploy"


def test_the_nginx_site_is_templated_by_its_ports_only():
    text = NGINX_SITE.read_text()
    assert sorted(set(re.findall(r"\$\{(\w+)\}", text))) == sorted(NGINX_PORTS)
    rendered = render_site(dict.fromkeys(NGINX_PORTS, 1234))
    assert "${" not in rendered
    # The envsubst line in the file's header and the README lists the same three names.
    envsubst = " ".join("${" + name + "}" for name in NGINX_PORTS)
    assert envsubst in text and envsubst in (ROOT / "README.md").read_text()


def test_the_environment_file_names_the_variables_the_store_reads():
    text = (DEPLOY / "scorecard.env").read_text()
    assert re.search(rf"^{DATABASE_URL_VAR}=postgresql://", text, re.MULTILINE)
    assert re.search(rf"^# {ENV_VAR}=/var/lib/soft-power-scorecard/", text, re.MULTILINE)


def test_the_units_run_the_app_and_read_the_environment_file():
    unit = (DEPLOY / "systemd" / "soft-power-scorecard@.service").read_text()
    assert "streamlit run app.py --server.port %i" in unit
    assert "EnvironmentFile=/etc/soft-power-scorecard/scorecard.env" in unit
    health = (DEPLOY / "systemd" / "soft-power-scorecard-health.service").read_text()
    assert "/_stcore/health" in health and "SCORECARD_PORTS" in health
    assert re.search(r"^SCORECARD_PORTS=", (DEPLOY / "scorecard.env").read_text(), re.MULTILINE)
