"""The `rollcall` command as a user runs it: output, exit codes, help, live reload."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from generator.cli import main, parser
from tests.conftest import ROOT, bundled_order_text


def test_build_reports_pages_and_where_the_site_is(make_project, capsys):
    project = make_project({"policy/go-418.yaml": bundled_order_text()})
    assert main(["--root", str(project), "build", "--out", str(project / "out")]) == 0
    out = capsys.readouterr().out
    assert re.match(rf"Built 6 pages for 1 order\(s\) in \d+\.\d s: {re.escape(str(project / 'out'))}\n", out)
    assert (project / "out" / "orders" / "418.html").is_file()
    assert not list(project.glob(".out.building-*"))


def test_build_keeps_generated_markdown_when_asked(make_project, capsys):
    project = make_project({"policy/go-418.yaml": bundled_order_text()})
    assert main(["--root", str(project), "build", "--keep-docs", str(project / "gen")]) == 0
    assert (project / "gen" / "docs" / "orders" / "418.md").is_file()
    assert "docs_dir:" in (project / "gen" / "mkdocs.yml").read_text()


def test_rebuild_replaces_previous_site_whole(make_project, capsys):
    project = make_project({"policy/go-418.yaml": bundled_order_text()})
    site = project / "site"
    site.mkdir()
    (site / "stale.html").write_text("old")
    assert main(["--root", str(project), "build"]) == 0
    assert not (site / "stale.html").exists() and (site / "index.html").exists()


def test_every_command_has_help_and_is_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = parser()._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    assert set(commands) >= {"build", "check", "serve"}
    for name, sub in commands.items():
        assert sub.description, name
        assert f"`rollcall {name}" in readme, name


def test_console_script_entry_point_runs():
    result = subprocess.run([sys.executable, "-m", "generator", "--root", str(ROOT), "check"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("OK: 1 order(s)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode("utf-8")


def _wait_for(predicate, timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if predicate():
                return True
        except OSError:
            pass
        time.sleep(0.3)
    return False


def test_serve_rebuilds_when_an_order_changes_and_survives_a_broken_edit(make_project):
    project = make_project({"policy/go-418.yaml": bundled_order_text()})
    port = _free_port()
    url = f"http://127.0.0.1:{port}/orders/418.html"
    server = subprocess.Popen(
        [sys.executable, "-m", "generator", "--root", str(project), "serve", "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        assert _wait_for(lambda: "Social Media" in _get(url))
        order = project / "policy" / "go-418.yaml"
        order.write_text(bundled_order_text().replace("title: Social Media", "title: Social Media and Networking"))
        assert _wait_for(lambda: "Social Media and Networking" in _get(url))
        order.write_text("title: [broken\n")
        time.sleep(2.5)
        assert "Social Media and Networking" in _get(url)  # last good site still served
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=10)
    assert "policy/go-418.yaml:2: malformed YAML" in output
    assert "the last good site is still being served" in output
