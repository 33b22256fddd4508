"""Shared fixtures: a project factory, the bundled site built once, a loopback server."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import http.server
import shutil
import threading
from pathlib import Path
from typing import Callable, Iterator

import pytest

from generator.build import build_site

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "tests" / "fixtures" / "seed" / "general-order-418.txt"
"""General Order 418 as originally issued, in plain text (unedited copy of the seed order)."""
BUNDLED_ORDER = ROOT / "policy" / "go-418.yaml"


def bundled_order_text() -> str:
    return BUNDLED_ORDER.read_text(encoding="utf-8")


@pytest.fixture
def make_project(tmp_path: Path) -> Callable[[dict[str, str]], Path]:
    """A project folder with the real mkdocs.yml and site_overrides, plus the given files."""

    def make(files: dict[str, str]) -> Path:
        project = tmp_path / "project"
        project.mkdir(exist_ok=True)
        shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
        if not (project / "site_overrides").exists():
            (project / "site_overrides").symlink_to(ROOT / "site_overrides")
        for name, text in files.items():
            path = project / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        return project

    return make


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled project's site, built once per test run."""
    folder = tmp_path_factory.mktemp("bundled")
    out = folder / "site"
    build_site(ROOT, out, today=dt.date(2026, 11, 25), archive=folder / "answer-keys")
    return out


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:  # keep test output readable
        pass


@contextlib.contextmanager
def serving(folder: Path) -> Iterator[str]:
    """A folder served on loopback; yields its base URL (ending in /)."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def site_url(built_site: Path) -> Iterator[str]:
    """The bundled site served on loopback; yields its base URL (ending in /)."""
    with serving(built_site) as url:
        yield url
