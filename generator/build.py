"""The pipeline: load -> validate -> render Markdown -> MkDocs build into a temp dir -> swap.

Nothing is written to the output folder until a whole new site exists beside it.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import re
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import RollcallError
from .load import load_library
from .mkdocs_build import SearchEntries, build_pages, can_build_pages
from .model import Library
from .parallel import PARALLEL_FROM, Background
from .progress import Progress
from .render.history import render_history
from .results.revisions import archive_revisions, revisions_file
from .render.quizzes import archived_key, bank_version, json_for_script, quiz_data, quizzes
from .scenarios import Bank, load_bank, scenario_files
from .validate import SCHEMAS
from .render.config import build_config, order_chapters, write_config
from .render.pages import PageRenderer
from .render.can_i import render_can_i


@dataclass(frozen=True)
class BuildReport:
    out: Path
    orders: int
    pages: int
    seconds: float

    def __str__(self) -> str:
        return f"Built {self.pages} pages for {self.orders} order(s) in {self.seconds:.1f} s: {self.out}"


MODULES_IN_NAV = 12
"""Modules listed one by one in the navigation; a larger bank is reached through its overview."""


def render_training(library: Library, bank: Bank, docs: Path, pages: PageRenderer) -> list[Any]:
    """Write the quiz pages and the answer key; return the Training navigation."""
    from .render.quizzes import forget, write_quiz_pages

    folder = docs / "training"
    folder.mkdir(parents=True, exist_ok=True)
    all_quizzes = write_quiz_pages(library, bank, folder, pages)
    final = all_quizzes[-1]
    (folder / "index.md").write_text(pages.training_page(library, bank, final), encoding="utf-8")
    key = archived_key(library, bank)
    (folder / "answer-key.json").write_text(json.dumps(key, indent=1, sort_keys=True), encoding="utf-8")
    forget()
    nav: list[Any] = [{"Overview": "training/index.md"}]
    if len(bank.modules) <= MODULES_IN_NAV:  # beyond that, the overview page lists them
        for module in bank.modules:
            nav.append({module.title: [{"Practice": f"training/{module.id}-practice.md"}, {"Scored quiz": f"training/{module.id}.md"}]})
    nav.append({final.title: "training/final.md"})
    return nav


def publish_schemas(docs: Path) -> None:
    """The JSON Schemas go out with the site, for editors that check YAML as people type."""
    folder = docs / "schemas"
    folder.mkdir(parents=True, exist_ok=True)
    for schema in SCHEMAS.glob("*.json"):
        shutil.copy(schema, folder / schema.name)


def render_docs(root: Path, library: Library, work: Path, today: dt.date, bank: Bank | None = None) -> Path:
    """Write the generated Markdown and mkdocs.yml into `work`; return the config's path."""
    docs = work / "docs"
    (docs / "orders").mkdir(parents=True, exist_ok=True)
    pages = PageRenderer(today)

    # A large manual's Can I…? trees are compiled, proved and written by a second process while
    # this one writes the order and training pages and the rest.
    write_can_i = lambda: render_can_i(library, bank, docs, pages)  # noqa: E731
    can_i_pages = Background(write_can_i) if len(library.orders) >= PARALLEL_FROM else None
    can_i = write_can_i() if can_i_pages is None else None
    for order in library.orders:
        (docs / "orders" / f"{order.slug}.md").write_text(pages.current_order_page(order, library.cache_root), encoding="utf-8")
        if order.history:
            render_history(order, docs, pages, bank)
    training = render_training(library, bank, docs, pages) if bank and bank.modules else None
    publish_schemas(docs)
    (docs / "glossary.md").write_text(pages.glossary_page(library), encoding="utf-8")
    (docs / "standards.md").write_text(pages.standards_page(library), encoding="utf-8")
    if can_i_pages is not None:
        can_i = can_i_pages.wait()
    config = build_config(root, library, docs, work / "site", training, can_i)
    (docs / "index.md").write_text(pages.home_page(library, config.get("site_name", "Rollcall"), training=bool(training)), encoding="utf-8")
    if len(order_chapters(library)) > 1:
        (docs / "orders" / "index.md").write_text(pages.orders_index(library), encoding="utf-8")
    config_path = work / "mkdocs.yml"
    write_config(config, config_path)
    return config_path


def run_mkdocs(config_path: Path, site_dir: Path, only: set[str] | None = None,
               previous: SearchEntries | None = None, progress: Progress | None = None) -> SearchEntries | None:
    """Build with MkDocs in this process (see mkdocs_build: every page, or only the pages in
    `only`); its failures become a RollcallError. Returns each page's search entries, or None
    where MkDocs' own build had to be used (then `only` cannot be honoured and is refused)."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    from mkdocs import exceptions
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    try:
        config = load_config(config_file=str(config_path), site_dir=str(site_dir))
        own = can_build_pages(config)
        if only is not None and not own:
            raise ValueError("only some pages: not with this configuration")
        config.plugins.on_startup(command="build", dirty=False)
        try:
            if own:
                return build_pages(config, only, previous, progress)
            build(config)
            return None
        finally:
            config.plugins.on_shutdown()
    except (exceptions.MkDocsException, exceptions.ConfigurationError) as exc:
        raise RollcallError.at("mkdocs.yml", 1, f"site build failed: {exc}") from None


def swap_in(new_site: Path, out: Path) -> None:
    """Replace `out` with `new_site` (same filesystem), keeping the old one until the new is in."""
    old = None
    if out.exists():
        old = out.with_name(f".{out.name}.old-{os.getpid()}")
        os.replace(out, old)
    try:
        os.replace(new_site, out)
    except OSError:
        if old is not None:
            os.replace(old, out)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def answer_keys_dir(root: Path) -> Path:
    return root / "results" / "answer-keys"


def answer_key_version(key_file: Path) -> str:
    """The key's version, read from the end of the file (keys are written with sorted keys, so
    "version" comes last) without parsing a key of thousands of questions; else parsed."""
    with key_file.open("rb") as handle:
        handle.seek(max(0, key_file.stat().st_size - 200))
        found = re.search(rb'"version": "([0-9a-f]{16})"\s*}\s*$', handle.read())
    if found:
        return found.group(1).decode()
    return json.loads(key_file.read_text(encoding="utf-8"))["version"]


def archive_answer_key(key_file: Path, archive: Path) -> Path:
    """Keep every version's answer key: attempts are re-scored on the version they were taken on."""
    version = answer_key_version(key_file)
    archive.mkdir(parents=True, exist_ok=True)
    target = archive / f"{version}.json"
    if not target.exists():
        shutil.copy(key_file, target)
    return target


def build_site(root: Path, out: Path, today: dt.date | None = None, keep_docs: Path | None = None,
               archive: Path | None = None, progress: Progress | None = None) -> BuildReport:
    started = time.perf_counter()
    today = today or dt.date.today()
    progress = progress or Progress()
    progress.step("Reading and checking the orders")
    library = load_library(root, prove=True)  # the Can I… page needs every tree
    progress.step(f"Checking the training scenarios against {len(library.orders)} order(s)")
    bank = load_bank(root, library) if scenario_files(root) else None
    out = out.resolve()
    work = keep_docs.resolve() if keep_docs else Path(tempfile.mkdtemp(prefix="rollcall-docs-"))
    try:
        if keep_docs and work.exists():
            shutil.rmtree(work)
        work.mkdir(parents=True, exist_ok=True)
        progress.step("Writing the pages' Markdown")
        config_path = render_docs(root, library, work, today, bank)
        progress.step("Starting MkDocs")
        build_and_swap_in(config_path, out, progress)
        archive_published(library, bank, out, archive or answer_keys_dir(root), today)
    finally:
        progress.done()
        if not keep_docs:
            shutil.rmtree(work, ignore_errors=True)
    pages = sum(1 for _ in out.rglob("*.html"))
    return BuildReport(out=out, orders=len(library.orders), pages=pages, seconds=time.perf_counter() - started)


def build_and_swap_in(config_path: Path, out: Path, progress: Progress | None = None) -> SearchEntries | None:
    """Build the whole site beside `out` and put it in `out`'s place only once it is complete;
    returns what run_mkdocs returns."""
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.building-", dir=out.parent))
    try:
        entries = run_mkdocs(config_path, staging / "site", progress=progress)
        swap_in(staging / "site", out)
        return entries
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def archive_published(library: Library, bank: Bank | None, site: Path, archive: Path, today: dt.date) -> None:
    """Keep the revisions and the answer key that the site now in `site` publishes."""
    archive_revisions(library, revisions_file(archive), today)
    if bank and bank.modules:
        archive_answer_key(site / "training" / "answer-key.json", archive)
