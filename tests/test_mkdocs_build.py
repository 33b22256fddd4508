"""Rollcall's MkDocs build (pages shared between two processes, or only some rebuilt) writes
the very site MkDocs' own build writes, and is used only where that is sure."""

from __future__ import annotations

import datetime as dt
import gzip
import json
from pathlib import Path

import pytest
import yaml

from generator import mkdocs_build
from generator import build
from generator.build import build_site
from generator.parallel import Background, can_fork

from tests.conftest import ROOT

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
    with monkeypatch.context() as patch:
        patch.setattr(build, "can_build_pages", lambda config: False)  # MkDocs' own build
        build_site(ROOT, tmp_path / "own", today=TODAY, archive=tmp_path / "keys")

    children = []
    monkeypatch.setattr(mkdocs_build, "PARALLEL_PAGES_FROM", 2)
    monkeypatch.setattr(mkdocs_build, "Background", lambda work: children.append(1) or Background(work))
    build_site(ROOT, tmp_path / "shared", today=TODAY, archive=tmp_path / "keys")

    assert children == [1]
    own, shared = site_files(tmp_path / "own"), site_files(tmp_path / "shared")
    assert sorted(own) == sorted(shared)
    assert len([name for name in own if name.endswith(".html")]) >= 10
    different = [name for name in own if own[name] != shared[name]]
    assert different == []
    # every page's text reached the one search index, whichever process wrote the page
    pages = {doc["location"].split("#")[0] for doc in json.loads(shared["search/search_index.json"])["docs"]}
    assert {"orders/418.html", "can-i.html", "standards.html"} <= pages


def test_mkdocs_builds_alone_with_unknown_plugins_strict_mode_or_anchor_checks(tmp_path: Path) -> None:
    from mkdocs.config import load_config

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("# Home\n", encoding="utf-8")

    def config(**settings: object) -> object:
        path = tmp_path / "mkdocs.yml"
        path.write_text(yaml.safe_dump({"site_name": "t", "docs_dir": str(docs), "theme": {"name": "material"}, **settings}))
        return load_config(config_file=str(path))

    assert mkdocs_build.can_build_pages(config(plugins=["search", "offline"]))
    assert not mkdocs_build.can_build_pages(config(plugins=["search", "tags"]))
    assert not mkdocs_build.can_build_pages(config(plugins=["search"], strict=True))
    assert not mkdocs_build.can_build_pages(config(plugins=["search"], validation={"anchors": "warn"}))
