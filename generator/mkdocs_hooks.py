"""MkDocs hooks that keep a large site's build lean; rollcall adds this file to the generated
mkdocs.yml (`hooks:`), so a plain `mkdocs build` of the generated docs runs them too.

MkDocs reads and renders every page before it writes any, and keeps each page's Markdown and
HTML to the end of the build. For a manual of thousands of pages that is most of the memory
the build takes. Once a page is rendered its Markdown is not needed (titles come from the front
matter or the rendered heading), and once it is written, neither is its HTML (the search
plugin has read it by then), so both are dropped.

The written pages also lose the whitespace the theme's templates leave between tags: every
run of blank space that spans a line becomes one line break, except inside <pre>, <textarea>,
<script> and <style>. A browser shows the page exactly as before, and the page is smaller.

The theme's own scripts (custom_dir's assets/javascripts/*.js: Rollcall's, kept readable and
commented there) are minified in the built site (rJSmin: comments and spaces out), so every
page, on a phone too, loads about a third less.

Loaded by MkDocs from its path, so it imports nothing from Rollcall.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import rjsmin

_KEEP = re.compile(r"(<(pre|textarea|script|style)\b.*?</\2\s*>)|([ \t\r\f\v]*\n\s*)", re.S | re.I)


def collapse_whitespace(html: str) -> str:
    """Every run of whitespace that holds a line break becomes one line break, outside
    <pre>, <textarea>, <script> and <style>."""
    return _KEEP.sub(lambda m: m.group(1) or "\n", html)


def on_page_content(html: str, page: Any, **_: Any) -> str:
    # The page is rendered: its Markdown source is not read again. An empty string (not None)
    # keeps Page.title answering from the front matter or the rendered heading.
    page.markdown = ""
    return html


def on_post_page(output: str, page: Any, **_: Any) -> str:
    page.content = ""  # written next; search and the theme have read it
    return collapse_whitespace(output)


def minify_theme_scripts(custom_dir: str | None, site_dir: str) -> list[Path]:
    """Minify, in the site, each script the theme's custom_dir has in assets/javascripts/
    (a minified script minifies to itself, so a partial rebuild may run this again)."""
    if not custom_dir:
        return []
    done = []
    for source in sorted((Path(custom_dir) / "assets" / "javascripts").glob("*.js")):
        built = Path(site_dir) / "assets" / "javascripts" / source.name
        if built.is_file():
            text = built.read_text(encoding="utf-8")
            small = rjsmin.jsmin(text, keep_bang_comments=True)
            if small != text:
                built.write_text(small, encoding="utf-8")
            done.append(built)
    return done


def on_post_build(config: Any, **_: Any) -> None:
    minify_theme_scripts(config.theme.custom_dir, config.site_dir)
