"""MkDocs' build with the pages shared between two processes writes the very site MkDocs' own
build writes, and is used only where that is sure."""

from __future__ import annotations

import datetime as dt
import gzip
import json
from pathlib import Path

import pytest
import yaml

from generator import mkdocs_build
from generator.build import build_site
from generator.parallel import can_fork

from conftest import ROOT

TODAY = dt.date(2026, 11, 25)


def site_files(site: Path) -> dict[str, bytes]:
    files = {}
    for path in sorted(site.rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            # a gzip header holds the time it was written; compare what it holds
            files[path.relative_to(site).as_posix()] = gzip.decompress(data) if path.suffix == ".gz" else data
    return files


@pytest.mark.skipif(not can_fork(), reason="sharing pages needs two CPUs and fork")
def test_shared_build_writes_the_same_site_as_mkdocs_own(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(mkdocs_build, "PARALLEL_PAGES_FROM", 10**9)
    build_site(ROOT, tmp_path / "own", today=TODAY, archive=tmp_path / "keys")

    shared_builds = []
    real = mkdocs_build.build_sharing_pages
    monkeypatch.setattr(mkdocs_build, "PARALLEL_PAGES_FROM", 2)
    monkeypatch.setattr(mkdocs_build, "build_sharing_pages", lambda config: shared_builds.append(1) or real(config))
    build_site(ROOT, tmp_path / "shared", today=TODAY, archive=tmp_path / "keys")

    assert shared_builds == [1]
    own, shared = site_files(tmp_path / "own"), site_files(tmp_path / "shared")
    assert sorted(own) == sorted(shared)
    assert len([name for name in own if name.endswith(".html")]) >= 10
    different = [name for name in own if own[name] != shared[name]]
    assert different == []
    # every page's text reached the one search index, whichever process wrote the page
    pages = {doc["location"].split("#")[0] for doc in json.loads(shared["search/search_index.json"])["docs"]}
    assert {"orders/418.html", "can-i.html", "standards.html"} <= pages


def test_sharing_is_left_to_mkdocs_for_unknown_plugins_strict_mode_and_small_sites(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from mkdocs.config import load_config

    docs = tmp_path / "docs"
    docs.mkdir()
    for number in range(50):
        (docs / f"page-{number}.md").write_text(f"# Page {number}\n", encoding="utf-8")

    def config(**settings: object) -> object:
        path = tmp_path / "mkdocs.yml"
        path.write_text(yaml.safe_dump({"site_name": "t", "docs_dir": str(docs), "theme": {"name": "material"}, **settings}))
        return load_config(config_file=str(path))

    search_only = config(plugins=["search", "offline"])
    assert mkdocs_build.can_share_pages(search_only) == can_fork()
    assert not mkdocs_build.can_share_pages(config(plugins=["search", "tags"]))
    assert not mkdocs_build.can_share_pages(config(plugins=["search"], strict=True))
    assert not mkdocs_build.can_share_pages(config(plugins=["search"], validation={"anchors": "warn"}))
    monkeypatch.setattr(mkdocs_build, "PARALLEL_PAGES_FROM", 51)
    assert not mkdocs_build.can_share_pages(search_only)
