"""MkDocs' own build, with the pages shared between two processes, or only some pages rebuilt.

MkDocs renders one page at a time on one CPU, and for a large manual that is nearly all of a
build's time. Here the steps before the pages (configuration, files, navigation, theme) run
once, as in `mkdocs build`; then a forked child reads, converts and writes every other page
while this process does the rest, and hands back what the search plugin learnt from its pages.
The search index is then written from all pages, in the site's page order, as MkDocs would.

The search entries of each page are returned, so a later build can rebuild only some pages
(those whose Markdown changed, while the navigation and theme did not) and still write the
whole search index: `rollcall serve` does that.

This follows `mkdocs.commands.build.build` of the pinned MkDocs step by step. It is used only
when every plugin in the configuration is one known to keep no state between pages but the
search index (see `SHAREABLE_PLUGINS`); any other configuration gets MkDocs' own build.
"""

from __future__ import annotations

import gc
import logging
import time
from pathlib import Path
from typing import Any, Callable

from .parallel import Background, can_fork
from .progress import Progress
from .render.config import HOOKS

SHAREABLE_PLUGINS = frozenset({"material/search", "search", "material/offline", "offline"})
"""Plugins whose page events touch only the page at hand (search also adds to its index)."""

PARALLEL_PAGES_FROM = 40
"""Below this many pages one process is quicker than starting a second."""

log = logging.getLogger("mkdocs.commands.build")


def _plugin_names(config: Any) -> set[str]:
    """The plugins, less Rollcall's own hooks (MkDocs lists hooks by path), which are per page."""
    return {name for name in config.plugins if Path(name) != HOOKS}


def can_build_pages(config: Any) -> bool:
    """Known plugins, and nothing that needs every page in one process: strict mode counts
    warnings, and checking anchors across pages reads them all."""
    return (_plugin_names(config) <= SHAREABLE_PLUGINS and not config.strict
            and config.validation.links.anchors <= logging.INFO)


SearchEntries = dict[str, list]
"""The search index's entries of each page, by the page's source path in docs/."""


def _search_index(config: Any) -> Any | None:
    for name, plugin in config.plugins.items():
        if name.endswith("search") and hasattr(plugin, "search_index"):
            return plugin.search_index
    return None


def _build_pages(config: Any, files: Any, nav: Any, env: Any, pages: list[Any], read: set[str],
                 tick: Callable[[int], None] = lambda done: None) -> SearchEntries:
    """Read, convert and write `pages` (those in `read` are read already); return each one's
    search entries. `tick(n)` is told of each step: n of 2 × len(pages) (reading, then writing)."""
    from mkdocs.commands.build import _build_page, _populate_page

    for done, page in enumerate(pages, 1):
        if page.file.src_uri not in read:
            _populate_page(page, config, files)
        tick(done)
    index = _search_index(config)
    doc_files = files.documentation_pages()
    entries: SearchEntries = {}
    for done, page in enumerate(pages, len(pages) + 1):
        before = len(index.entries) if index is not None else 0
        _build_page(page, config, doc_files, nav, env)
        entries[page.file.src_uri] = index.entries[before:] if index is not None else []
        tick(done)
    return entries


def build_pages(config: Any, only: set[str] | None = None, previous: SearchEntries | None = None,
                progress: Progress | None = None) -> SearchEntries:
    """`mkdocs build` of every page (`only` None: the site folder is emptied first, and a large
    site's pages are shared between two processes), or of the pages in `only` (source paths),
    into the site as it is, with the other pages' search entries taken from `previous`.
    Returns the search entries of every page."""
    from mkdocs.commands.build import _build_extra_template, _build_theme_template, _populate_page
    from mkdocs.structure.files import get_files, set_exclusions
    from mkdocs.structure.nav import get_navigation
    from mkdocs.structure.pages import Page
    from mkdocs import utils

    started = time.monotonic()
    try:
        config = config.plugins.on_config(config)
        config.plugins.on_pre_build(config=config)
        if only is None:
            utils.clean_directory(config.site_dir)
        files = get_files(config)
        env = config.theme.get_env()
        files.add_files_from_theme(env, config)
        files = config.plugins.on_files(files, config=config)
        set_exclusions(files, config)
        nav = get_navigation(files, config)
        nav = config.plugins.on_nav(nav, config=config, files=files)

        pages = []
        for file in files.documentation_pages():
            if file.page is None:
                Page(None, file, config)
            pages.append(file.page)
        # A page's title shows on other pages (in the navigation), so a page in the navigation
        # whose title comes from its own text is read here, before the two processes part.
        shown = {id(page) for page in nav.pages}
        read = {page.file.src_uri for page in pages if id(page) in shown and "title" not in page.__dict__}
        for page in pages:
            if page.file.src_uri in read:
                _populate_page(page, config, files)
        env = config.plugins.on_env(env, config=config, files=files)

        if only is not None:
            files.copy_static_files(dirty=True)  # only files newer than their copy in the site
            entries = dict(previous or {})
            entries.update(_build_pages(config, files, nav, env, [p for p in pages if p.file.src_uri in only], read))
        else:
            child = None
            if len(pages) >= PARALLEL_PAGES_FROM and can_fork():
                gc.freeze()  # the child shares this memory; keep the collector from touching (copying) it
                child = Background(lambda: _build_pages(config, files, nav, env, pages[1::2], read))
            files.copy_static_files()
            for template in config.theme.static_templates:
                _build_theme_template(template, env, files, config, nav)
            for template in config.extra_templates:
                _build_extra_template(template, files, config, nav)
            own = pages if child is None else pages[::2]

            def tick(done: int) -> None:  # this process's share stands for both (they keep pace)
                if progress is not None:
                    progress.count(done * len(pages) // len(own), 2 * len(pages), "pages read, then written")

            try:
                entries = _build_pages(config, files, nav, env, own, read, tick)
                if child is not None:
                    entries.update(child.wait())
            finally:
                if child is not None:
                    gc.unfreeze()

        index = _search_index(config)
        if index is not None:
            index.entries = [entry for page in pages for entry in entries.get(page.file.src_uri, [])]
        config.plugins.on_post_build(config=config)
        log.info(f"Documentation built in {time.monotonic() - started:.2f} seconds")
        return entries
    except Exception as exc:
        config.plugins.on_build_error(error=exc)
        raise
