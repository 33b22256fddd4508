"""The cache of checked files: one SQLite file, safe to delete, never fatal."""

from __future__ import annotations

import shutil
import sqlite3
import time
from pathlib import Path

from generator import cache as cache_module
from generator.cache import FOLDER, KEEP_DAYS, Cache, read_through


def test_values_come_back_as_they_were_put(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    cache.put_many([("orders", "a", {"x": (1, 2)}), ("orders", "b", [3]), ("pages", "a", "text")])
    assert cache.get("orders", "a") == {"x": (1, 2)}
    assert cache.get("orders", "b") == [3]
    assert cache.get("pages", "a") == "text"
    assert cache.get("pages", "b") is None
    assert cache.entries("orders") == 2


def test_no_project_folder_means_no_cache() -> None:
    cache = Cache(None)
    cache.put("orders", "a", 1)
    assert cache.get("orders", "a") is None


def test_a_damaged_cache_file_is_started_again(tmp_path: Path) -> None:
    (tmp_path / FOLDER).mkdir()
    (tmp_path / FOLDER / cache_module.DATABASE).write_bytes(b"not a database" * 100)
    cache = Cache(tmp_path)
    assert cache.get("orders", "a") is None
    cache.put("orders", "a", 1)
    assert cache.get("orders", "a") == 1


def test_a_cache_that_cannot_be_written_costs_time_not_the_check(tmp_path: Path) -> None:
    (tmp_path / FOLDER).write_text("a file where the folder would be")
    cache = Cache(tmp_path)
    cache.put("orders", "a", 1)  # cannot be written: ignored
    assert cache.get("orders", "a") is None


def test_a_deleted_cache_folder_is_opened_afresh_by_a_running_process(tmp_path: Path) -> None:
    Cache(tmp_path).put("orders", "a", 1)
    shutil.rmtree(tmp_path / FOLDER)
    assert Cache(tmp_path).get("orders", "a") is None
    Cache(tmp_path).put("orders", "b", 2)
    assert Cache(tmp_path).get("orders", "b") == 2
    assert (tmp_path / FOLDER / cache_module.DATABASE).exists()


def test_entries_not_written_for_a_month_are_dropped(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    cache.put("orders", "old", 1)
    connection = sqlite3.connect(tmp_path / FOLDER / cache_module.DATABASE)
    with connection:
        connection.execute("UPDATE entries SET written = ?", (time.time() - (KEEP_DAYS + 1) * 86400,))
    connection.close()
    cache_module._PRUNED.discard(cache.path)  # as a new process would
    cache.put("orders", "new", 2)
    assert cache.get("orders", "old") is None
    assert cache.get("orders", "new") == 2


def test_read_through_computes_each_file_once_and_caches_it(tmp_path: Path) -> None:
    files = []
    for index in range(30):  # enough to be shared with a second process
        path = tmp_path / f"f{index}.txt"
        path.write_text(f"file {index}")
        files.append(path)
    names = [path.name for path in files]

    def compute(raw: bytes, name: str) -> tuple[str, int]:
        return (name, len(raw))

    def unreadable(name: str, reason: str) -> tuple[str, int]:
        return (name, -1)

    first = read_through(tmp_path, "lengths", files, names, lambda name, raw: name + raw.decode(), compute, unreadable)
    assert [result for result, _ in first] == [(name, len(path.read_bytes())) for path, name in zip(files, names)]
    assert Cache(tmp_path).entries("lengths") == 30

    def must_not_compute(raw: bytes, name: str) -> tuple[str, int]:
        raise AssertionError(f"{name} computed again")

    assert read_through(tmp_path, "lengths", files, names, lambda name, raw: name + raw.decode(), must_not_compute, unreadable) == first
    files[3].unlink()
    again = read_through(tmp_path, "lengths", files, names, lambda name, raw: name + raw.decode(), must_not_compute, unreadable)
    assert again[3] == (("f3.txt", -1), "")


def test_two_checks_at_once_share_the_cache_and_agree(tmp_path: Path) -> None:
    import subprocess
    import sys

    from tests.test_benchmarks_smoke import _synthetic

    project = tmp_path / "dept"
    _synthetic().write_department(project, 30, seed=7, scenarios=60)  # enough files for two processes each
    command = [sys.executable, "-m", "generator", "--root", str(project), "check"]
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [run.communicate(timeout=120) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], [err for _, err in outputs]
    assert outputs[0][0] == outputs[1][0]
    assert Cache(project).entries("orders") == 30 and Cache(project).entries("scenarios") == 30
    again = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert again.returncode == 0 and again.stdout == outputs[0][0]


def test_loading_with_proofs_caches_every_tree_as_prove_gives_it(tmp_path: Path) -> None:
    from generator.decide import decidable, prove, tree_entry
    from generator.load import load_library
    from tests.test_benchmarks_smoke import _synthetic

    project = tmp_path / "dept"
    _synthetic().write_department(project, 30, seed=7, scenarios=60)  # two processes share the orders
    library = load_library(project, prove=True)
    orders = [order for order in library.orders if decidable(order)]
    assert len(orders) == 30 and Cache(project).entries("can-i") == 30
    for order in orders:
        kept = Cache(project).get("can-i", tree_entry(order))
        assert kept == prove(order)  # the same tree and proof, worked out afresh without the cache
    plain = tmp_path / "plain"
    _synthetic().write_department(plain, 30, seed=7, scenarios=60)
    load_library(plain)  # without proofs: none is worked out
    assert Cache(plain).entries("orders") == 30 and Cache(plain).entries("can-i") == 0


def test_a_cache_of_an_earlier_layout_is_replaced(tmp_path: Path) -> None:
    (tmp_path / FOLDER).mkdir()
    for old in cache_module.OLD_DATABASES:
        (tmp_path / FOLDER / old).write_bytes(b"an earlier cache")
    Cache(tmp_path).put("orders", "a", 1)
    assert Cache(tmp_path).get("orders", "a") == 1
    assert sorted(p.name for p in (tmp_path / FOLDER).iterdir() if p.name in cache_module.OLD_DATABASES) == []
    connection = sqlite3.connect(tmp_path / FOLDER / cache_module.DATABASE)
    assert connection.execute("PRAGMA page_size").fetchone()[0] == cache_module.PAGE_SIZE
    connection.close()
