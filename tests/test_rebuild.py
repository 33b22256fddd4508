"""`rollcall serve`'s rebuilds: only the pages a change touches, and the site they leave is the
very site a whole build of the same files gives."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from generator.build import build_site
from generator.rebuild import Rebuilder

from tests.conftest import ROOT
from tests.test_mkdocs_build import site_files

TODAY = dt.date(2026, 11, 25)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    folder = tmp_path / "project"
    folder.mkdir()
    shutil.copy(ROOT / "mkdocs.yml", folder / "mkdocs.yml")
    shutil.copytree(ROOT / "policy", folder / "policy")
    shutil.copytree(ROOT / "scenarios", folder / "scenarios")
    shutil.copytree(ROOT / "site_overrides", folder / "site_overrides")
    return folder


@pytest.fixture
def rebuilder(project: Path, tmp_path: Path):
    builder = Rebuilder(project, tmp_path / "served" / "site")
    yield builder
    builder.close()


def assert_same_as_a_whole_build(project: Path, site: Path, tmp_path: Path) -> None:
    whole = tmp_path / f"whole-{len(list(tmp_path.glob('whole-*')))}"
    build_site(project, whole, today=TODAY, archive=tmp_path / "keys")
    expected, got = site_files(whole), site_files(site)
    assert sorted(got) == sorted(expected)
    assert [name for name in expected if got[name] != expected[name]] == []


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_first_build_is_whole_then_nothing_changed_rebuilds_nothing(rebuilder: Rebuilder) -> None:
    first = rebuilder.rebuild(TODAY)
    assert first.whole and first.pages >= 10
    assert str(first).startswith(f"Rebuilt the whole site ({first.pages} pages) in ")
    again = rebuilder.rebuild(TODAY)
    assert not again.whole and again.pages == 0
    assert str(again).startswith("Rebuilt 0 changed pages in ")


def test_edited_scenario_rebuilds_only_its_pages_and_matches_a_whole_build(rebuilder: Rebuilder, project: Path, tmp_path: Path) -> None:
    rebuilder.rebuild(TODAY)
    edit(project / "scenarios" / "confidential.yaml", "unpublicized sobriety checkpoint", "unannounced sobriety checkpoint")
    step = rebuilder.rebuild(TODAY)
    assert not step.whole
    assert 1 <= step.pages <= 4  # the module's quiz pages, not every page
    assert "unannounced sobriety checkpoint" in "".join(
        path.read_text(encoding="utf-8") for path in rebuilder.site.rglob("*") if path.suffix in (".html", ".js"))
    assert_same_as_a_whole_build(project, rebuilder.site, tmp_path)


def test_edited_clause_updates_its_page_and_the_search_index_as_a_whole_build_would(rebuilder: Rebuilder, project: Path, tmp_path: Path) -> None:
    rebuilder.rebuild(TODAY)
    order = project / "policy" / "go-418.yaml"
    text = order.read_text(encoding="utf-8")
    word = "Employees"
    assert word in text
    order.write_text(text.replace(word, "Members", 1), encoding="utf-8")
    step = rebuilder.rebuild(TODAY)
    assert not step.whole and step.pages >= 1
    assert "Members" in (rebuilder.site / "search" / "search_index.json").read_text(encoding="utf-8")
    assert_same_as_a_whole_build(project, rebuilder.site, tmp_path)


def test_a_retitled_order_or_an_edited_template_rebuilds_the_whole_site(rebuilder: Rebuilder, project: Path, tmp_path: Path) -> None:
    rebuilder.rebuild(TODAY)
    edit(project / "policy" / "go-418.yaml", "title: Social Media", "title: Social Media and Networking")
    step = rebuilder.rebuild(TODAY)
    assert step.whole  # the title is in every page's navigation
    assert_same_as_a_whole_build(project, rebuilder.site, tmp_path)

    template = next((project / "site_overrides").rglob("main.html"))
    template.write_text(template.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert rebuilder.rebuild(TODAY).whole


def test_a_broken_file_keeps_the_last_site_and_the_next_good_build_catches_up(rebuilder: Rebuilder, project: Path, tmp_path: Path) -> None:
    from generator.errors import RollcallError

    rebuilder.rebuild(TODAY)
    before = site_files(rebuilder.site)
    order = project / "policy" / "go-418.yaml"
    good = order.read_text(encoding="utf-8")
    order.write_text(good.replace("title:", "title: [", 1), encoding="utf-8")
    with pytest.raises(RollcallError):
        rebuilder.rebuild(TODAY)
    assert site_files(rebuilder.site) == before
    order.write_text(good.replace("Employees", "Members", 1), encoding="utf-8")
    assert not rebuilder.rebuild(TODAY).whole
    assert_same_as_a_whole_build(project, rebuilder.site, tmp_path)


def test_rebuild_summary_names_pages_and_other_files() -> None:
    from generator.rebuild import Rebuilt

    assert str(Rebuilt(pages=608, seconds=14.04, whole=True)) == "Rebuilt the whole site (608 pages) in 14.0 s"
    assert str(Rebuilt(pages=1, seconds=2.31, whole=False)) == "Rebuilt 1 changed page in 2.3 s"
    assert str(Rebuilt(pages=0, seconds=2.0, whole=False, files=2)) == "Rebuilt 0 changed pages and 2 other changed files in 2.0 s"
