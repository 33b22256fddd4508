"""A real Learning Record Store for the browser tests: Ralph (PyPI `ralph-malph[cli,lrs]`) on
loopback with its filesystem backend, and the bundled project built with `extra: rollcall: xapi:`
pointing at it and served on loopback. Fixtures `ralph_auth`, `start_lrs` and `lrs_site`: import
them into a test module that uses them (tests/browser/test_xapi.py, test_ack.py).
"""

from __future__ import annotations

import functools
import importlib.util
import http.server
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Callable, Iterator

import pytest
import yaml

from generator.build import build_site

ROOT = Path(__file__).resolve().parents[2]
USER = "rollcall-site"
PASSWORD = "w\"rite</script>&only'"  # also checks that main.html escapes the settings
XAPI_HEADERS = {"X-Experience-API-Version": "1.0.3"}
STARTUP_SECONDS = 30
# `uvicorn ralph.api:app`, except that Ralph 5.1's file-system LRS backend writes with operation
# "create", which refuses every write once fs_lrs.jsonl exists (HTTP 500 from the second statement
# on); it is set to append, as a database backend would add. Everything else is stock Ralph.
RALPH_LAUNCH = """\
import sys
import uvicorn
from ralph.backends.data.base import BaseOperationType
from ralph.backends.lrs.fs import FSLRSBackend
FSLRSBackend.default_operation_type = BaseOperationType.APPEND
uvicorn.run("ralph.api:app", host="127.0.0.1", port=int(sys.argv[1]))
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def _ralph_env(app_dir: Path, data_dir: Path | None = None, origin: str | None = None) -> dict[str, str]:
    env = dict(os.environ, RALPH_APP_DIR=str(app_dir), RALPH_RUNSERVER_BACKEND="fs")
    if data_dir is not None:
        env["RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH"] = str(data_dir)
    if origin is not None:
        env["RALPH_RUNSERVER_CORS_ALLOW_ORIGINS"] = json.dumps([origin])
    return env


@pytest.fixture(scope="session")
def ralph_auth(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Credentials for the test LRS, made once with `ralph auth` (bcrypt is slow)."""
    for module in ("ralph", "uvicorn", "requests"):  # found, not imported: ralph.api starts a backend
        if importlib.util.find_spec(module) is None:
            pytest.fail(f"the xAPI tests need a real LRS: python3 -m pip install -e '.[test]' (missing {module})")
    app = tmp_path_factory.mktemp("ralph-auth")
    subprocess.run([sys.executable, "-m", "ralph", "auth", "-u", USER, "-p", PASSWORD, "-s", "all",
                    "-M", "mailto:rollcall-site@example.org", "-w"],
                   env=_ralph_env(app), check=True, capture_output=True, timeout=60)
    return app / "auth.json"


class LRS:
    """One Ralph process on loopback; statements land in `data/fs_lrs.jsonl`."""

    def __init__(self, port: int, origin: str, folder: Path, auth: Path) -> None:
        self.url = f"http://127.0.0.1:{port}/xAPI/"
        (folder / "app").mkdir(parents=True, exist_ok=True)
        (folder / "data").mkdir(exist_ok=True)
        shutil.copy(auth, folder / "app" / "auth.json")
        self.log = (folder / "ralph.log").open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "-c", RALPH_LAUNCH, str(port)],
            env=_ralph_env(folder / "app", folder / "data", origin), stdout=self.log, stderr=subprocess.STDOUT)
        self.folder = folder
        self._wait()

    def _wait(self) -> None:
        import requests

        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                if requests.get(self.url.replace("/xAPI/", "/__heartbeat__"), timeout=1).status_code == 200:
                    return
            except requests.RequestException:
                time.sleep(0.2)
        self.stop()
        pytest.fail("Ralph did not start:\n" + (self.folder / "ralph.log").read_text(errors="replace")[-3000:])

    def statements(self, **params: str) -> list[dict]:
        import requests

        response = requests.get(self.url + "statements", params={"limit": "500", **params},
                                auth=(USER, PASSWORD), headers=XAPI_HEADERS, timeout=10)
        response.raise_for_status()
        return response.json()["statements"]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.log.close()


@pytest.fixture
def start_lrs(tmp_path: Path, ralph_auth: Path) -> Iterator[Callable[[int, str], LRS]]:
    """Starts Ralph on a port, allowing CORS from one origin; every one started is stopped."""
    started: list[LRS] = []

    def start(port: int, origin: str) -> LRS:
        lrs = LRS(port, origin, tmp_path / f"lrs-{len(started)}", ralph_auth)
        started.append(lrs)
        return lrs

    yield start
    for lrs in started:
        lrs.stop()


@pytest.fixture
def lrs_site(make_project) -> Iterator[Callable[[int], str]]:
    """Builds the bundled project with the xAPI settings pointing at a port; serves it on loopback."""
    servers: list[http.server.ThreadingHTTPServer] = []

    def build(lrs_port: int) -> str:
        project = make_project({})
        for folder in ("policy", "scenarios"):
            shutil.copytree(ROOT / folder, project / folder)
        config = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))
        config["extra"]["rollcall"] = {"xapi": {"endpoint": f"http://127.0.0.1:{lrs_port}/xAPI/", "username": USER, "password": PASSWORD}}
        (project / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
        build_site(project, project / "site")
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(project / "site")))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_port}/"

    yield build
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture
def site_and_lrs(lrs_site, start_lrs) -> tuple[str, LRS]:  # type: ignore[no-untyped-def]
    """A built site configured for an LRS on a free loopback port, and that LRS running."""
    port = free_port()
    site = lrs_site(port)
    return site, start_lrs(port, site.rstrip("/"))
