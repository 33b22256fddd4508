"""Smoke tests for benchmarks/: the synthetic department is valid and bench_build.py runs."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

from generator.load import load_library

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


def _synthetic():
    spec = importlib.util.spec_from_file_location("rollcall_bench_synthetic", BENCHMARKS / "synthetic.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_synthetic_department_passes_check(tmp_path: Path) -> None:
    synthetic = _synthetic()
    synthetic.write_department(tmp_path / "dept", 5, seed=7)
    library = load_library(tmp_path / "dept")
    assert [o.number for o in library.orders] == ["100", "101", "102", "103", "104"]
    for order in library.orders:
        assert len(order.sections) == 5
        assert 6 <= len(order.definitions) <= 12
        assert all(3 <= len(s.clauses) <= 8 for s in order.sections if not s.definitions)
    assert (tmp_path / "dept" / "mkdocs.yml").is_file()
    assert (tmp_path / "dept" / "site_overrides" / "assets").is_dir()

    # Deterministic: the same seed writes the same files.
    synthetic.write_department(tmp_path / "again", 5, seed=7)
    for path in sorted((tmp_path / "dept" / "policy").glob("*.yaml")):
        assert path.read_bytes() == (tmp_path / "again" / "policy" / path.name).read_bytes()


def test_bench_build_runs_on_a_tiny_department() -> None:
    result = subprocess.run(
        [sys.executable, str(BENCHMARKS / "bench_build.py"), "--sizes", "3"],
        capture_output=True,
        text=True,
        timeout=120,
        env=dict(os.environ, NO_MKDOCS_2_WARNING="1"),
    )
    assert result.returncode == 0, result.stderr
    header, _, row = result.stdout.splitlines()[1:4]  # the first table: header, rule, one row
    assert header.split()[:3] == ["orders", "check", "s"], result.stdout
    assert re.match(r"\s*3\s+\d", row), result.stdout
    assert len(row.split()) == 19, row  # one figure per column


def test_bench_serve_runs_on_a_tiny_department() -> None:
    result = subprocess.run(
        [sys.executable, str(BENCHMARKS / "bench_serve.py"), "--orders", "3", "--scenarios-per-order", "6"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    rows = {line.split("  ")[0].strip(): line.split() for line in result.stdout.splitlines()[2:]}
    assert list(rows) == ["first build", "nothing changed", "module edited", "text reworded", "order retitled"], result.stdout
    assert rows["first build"][3:5] == ["whole", "site"] and rows["order retitled"][3:5] == ["whole", "site"]
    assert rows["nothing changed"][3:] == ["changed", "only", "0", "0"]
    assert rows["text reworded"][3:5] == ["changed", "only"] and int(rows["text reworded"][5]) >= 1
    assert rows["module edited"][3:5] == ["changed", "only"]
