"""Real servers for tests and benchmarks: a throwaway PostgreSQL, Streamlit, and nginx in front.

PostgreSQL comes from Debian's ``postgresql`` package (``initdb`` and ``pg_ctl``), started in a
temporary folder on a free loopback port with its socket in that folder. ``initdb`` refuses to
run as root, so as root (CI, this machine) the server runs as ``nobody`` through ``setpriv``.
nginx runs from a temporary prefix with ``deploy/nginx/scorecard.conf`` (ports filled in).
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NGINX_SITE = ROOT / "deploy" / "nginx" / "scorecard.conf"
#: The placeholders in deploy/nginx/scorecard.conf (the README fills them with envsubst).
NGINX_PORTS = ("SCORECARD_PROXY_PORT", "SCORECARD_PORT_1", "SCORECARD_PORT_2")
UNPRIVILEGED = "nobody"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def postgres_bin() -> Path | None:
    """The folder holding initdb and pg_ctl (PATH first, then Debian's versioned folders)."""
    if found := shutil.which("initdb"):
        return Path(found).parent
    folders = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4])
    )
    return Path(folders[-1]).parent if folders else None


def postgres_missing() -> str | None:
    """Why a PostgreSQL server cannot be started here, or None."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "PostgreSQL tests need psycopg: uv sync"
    if postgres_bin() is None:
        return "PostgreSQL tests need the server: sudo apt-get install postgresql"
    return None


class PostgresServer:
    """A PostgreSQL cluster in a temporary folder, trust authentication, on 127.0.0.1:port."""

    user = "scorecard"

    def __init__(self, fsync: bool = False) -> None:
        self.bin = postgres_bin()
        if self.bin is None:
            raise RuntimeError(postgres_missing())
        self.folder = Path(tempfile.mkdtemp(prefix="scorecard-pg-"))
        self.data = self.folder / "data"
        self.log = self.folder / "server.log"
        self.port = free_port()
        self.fsync = fsync
        self._databases = 0
        self._as: list[str] = []
        if os.geteuid() == 0:  # initdb and postgres refuse root
            account = pwd.getpwnam(UNPRIVILEGED)
            os.chown(self.folder, account.pw_uid, account.pw_gid)
            self._as = [
                "setpriv",
                f"--reuid={account.pw_uid}",
                f"--regid={account.pw_gid}",
                "--clear-groups",
                "--",
            ]

    def _run(self, *command: str) -> None:
        result = subprocess.run(
            [*self._as, *command], capture_output=True, text=True, cwd=self.folder, timeout=120
        )
        if result.returncode != 0:
            log = self.log.read_text(errors="replace")[-2000:] if self.log.exists() else ""
            raise RuntimeError(
                f"{' '.join(command[:2])} failed: {result.stderr[-2000:]}{result.stdout[-500:]}"
                f"\n{log}"
            )

    def start(self) -> PostgresServer:
        self._run(
            str(self.bin / "initdb"), "-D", str(self.data), "-U", self.user,
            "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync",
        )  # fmt: skip
        options = (
            f"-c listen_addresses=127.0.0.1 -c port={self.port} "
            f"-c unix_socket_directories={self.folder} -c max_connections=200 "
            f"-c fsync={'on' if self.fsync else 'off'}"
        )
        self._run(
            str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.log),
            "-o", options, "-w", "-t", "60", "start",
        )  # fmt: skip
        return self

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{self.user}@127.0.0.1:{self.port}/{database}"

    def create_database(self) -> str:
        """A new empty database; its URL."""
        import psycopg

        self._databases += 1
        name = f"scenarios_{self._databases}"
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')  # a counter, not input
        return self.url(name)

    def stop(self) -> None:
        if self.data.exists():
            subprocess.run(
                [*self._as, str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate",
                 "-w", "stop"],
                capture_output=True, timeout=60, cwd=self.folder,
            )  # fmt: skip
        shutil.rmtree(self.folder, ignore_errors=True)


def table_names(store) -> list[str]:
    """The tables in a ScenarioStore's database, read from the database's own catalogue."""
    with store._db.connect() as conn:
        if store.dialect == "sqlite":
            rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
        else:
            rows = conn.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
            ).fetchall()
    return sorted(r[0] for r in rows)


# ============================================================================ Streamlit
def start_streamlit(
    port: int, env: dict[str, str] | None = None, log: Path | None = None, *extra: str
) -> subprocess.Popen:
    """``streamlit run app.py`` on 127.0.0.1:port (not yet healthy: see :func:`wait_healthy`)."""
    command = [
        sys.executable, "-m", "streamlit", "run", "app.py",
        "--server.port", str(port), "--server.address", "127.0.0.1", "--server.headless", "true",
        *extra,
    ]  # fmt: skip
    out = open(log, "wb") if log else subprocess.DEVNULL  # noqa: SIM115 (closed with the process)
    return subprocess.Popen(
        command,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        stdout=out,
        stderr=subprocess.STDOUT if log else subprocess.DEVNULL,
        start_new_session=True,
    )


def wait_healthy(url: str, process: subprocess.Popen | None = None, timeout: float = 60) -> None:
    """Wait until ``url``/_stcore/health answers 200; RuntimeError after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{url}: the server exited with {process.returncode}")
        time.sleep(0.2)
    raise RuntimeError(f"{url} was not healthy within {timeout:.0f} s")


def stop(process: subprocess.Popen, sig: int = signal.SIGTERM) -> None:
    if process.poll() is None:
        process.send_signal(sig)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


# ============================================================================ nginx
def nginx_missing() -> str | None:
    if shutil.which("nginx") or Path("/usr/sbin/nginx").exists():
        return None
    return "the team deployment test needs nginx: sudo apt-get install nginx"


def render_site(ports: dict[str, int]) -> str:
    """deploy/nginx/scorecard.conf with its port placeholders filled (as envsubst would)."""
    text = NGINX_SITE.read_text()
    for name in NGINX_PORTS:
        text = text.replace("${" + name + "}", str(ports[name]))
    return text


class Nginx:
    """nginx in a temporary prefix, serving deploy/nginx/scorecard.conf on a free port."""

    def __init__(self, port_1: int, port_2: int) -> None:
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="scorecard-nginx-"))
        self.url = f"http://127.0.0.1:{self.port}"
        site = render_site(
            {
                "SCORECARD_PROXY_PORT": self.port,
                "SCORECARD_PORT_1": port_1,
                "SCORECARD_PORT_2": port_2,
            }
        )
        (self.folder / "scorecard.conf").write_text(site)
        temp = {name: self.folder / name for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi")}
        for path in temp.values():
            path.mkdir()
        user = f"user {UNPRIVILEGED} nogroup;\n" if os.geteuid() == 0 else ""
        if user:
            os.chmod(self.folder, 0o755)
            account = pwd.getpwnam(UNPRIVILEGED)
            for path in temp.values():
                os.chown(path, account.pw_uid, account.pw_gid)
        # What a Debian /etc/nginx/nginx.conf provides around a conf.d site, in the temp folder.
        (self.folder / "nginx.conf").write_text(
            f"{user}worker_processes 1;\npid {self.folder}/nginx.pid;\n"
            f"error_log {self.folder}/error.log warn;\n"
            "events { worker_connections 1024; }\n"
            "http {\n"
            f"  access_log {self.folder}/access.log;\n"
            f"  client_body_temp_path {temp['body']};\n  proxy_temp_path {temp['proxy']};\n"
            f"  fastcgi_temp_path {temp['fastcgi']};\n  uwsgi_temp_path {temp['uwsgi']};\n"
            f"  scgi_temp_path {temp['scgi']};\n"
            f"  include {self.folder}/scorecard.conf;\n"
            "}\n"
        )
        self.process: subprocess.Popen | None = None

    def start(self) -> Nginx:
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        self.process = subprocess.Popen(
            [nginx, "-p", str(self.folder), "-e", str(self.folder / "error.log"),
             "-c", str(self.folder / "nginx.conf"), "-g", "daemon off;"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", self.port)) == 0:
                    return self
            if self.process.poll() is not None:
                raise RuntimeError(f"nginx exited: {self.process.stderr.read().decode()[-2000:]}")
            time.sleep(0.1)
        raise RuntimeError("nginx did not listen within 20 s")

    def stop(self) -> None:
        if self.process is not None:
            stop(self.process, signal.SIGQUIT)
        shutil.rmtree(self.folder, ignore_errors=True)
