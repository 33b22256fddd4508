"""Rebuilds for `rollcall serve`: only the pages a change touches, where MkDocs allows it.

Every rebuild reads the orders and scenarios (files unchanged since the last check come from
the cache) and writes the whole generated Markdown into a fresh folder. That is compared, file
by file, with what the last build was made from:

- nothing about the site's shape changed (the same files, the same mkdocs.yml, so the same
  navigation, and the same theme overrides): only the changed pages are converted and written,
  changed static files copied, and the search index rewritten from the new pages' entries and
  the others' kept ones;
- otherwise (an order added or retitled, a page added or removed, a template edited, the first
  build, or a configuration MkDocs has to build alone): the whole site is built beside the one
  being served and swapped in, as `rollcall build` does.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from .build import answer_keys_dir, archive_published, build_and_swap_in, render_docs, run_mkdocs
from .load import load_library
from .mkdocs_build import SearchEntries
from .render.config import theme_overrides
from .scenarios import load_bank, scenario_files


@dataclass(frozen=True)
class Rebuilt:
    pages: int
    """Pages converted and written by this build."""
    seconds: float
    whole: bool
    """The whole site was built (else only the changed pages)."""
    files: int = 0
    """Other changed files (quiz and Can I… data, schemas) copied by a build of changed pages."""

    def __str__(self) -> str:
        if self.whole:
            return f"Rebuilt the whole site ({self.pages} pages) in {self.seconds:.1f} s"
        what = f"{self.pages} changed page{'s' if self.pages != 1 else ''}"
        if self.files:
            what += f" and {self.files} other changed file{'s' if self.files != 1 else ''}"
        return f"Rebuilt {what} in {self.seconds:.1f} s"


def digests(folder: Path) -> dict[str, str]:
    """SHA-256 of every file under `folder`, by its path relative to it."""
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*")) if path.is_file()
    }


class Rebuilder:
    """Builds `root`'s site into `site`, each time doing only what changed since the last."""

    def __init__(self, root: Path, site: Path):
        self.root, self.site = root, site
        self.work = Path(tempfile.mkdtemp(prefix="rollcall-serve-docs-"))
        """The generated docs/ and mkdocs.yml the site in `site` was built from."""
        self.built_from: dict[str, str] = {}
        self.overrides: dict[str, str] = {}
        self.entries: SearchEntries | None = None

    def close(self) -> None:
        shutil.rmtree(self.work, ignore_errors=True)

    def rebuild(self, today: dt.date | None = None) -> Rebuilt:
        started = time.perf_counter()
        today = today or dt.date.today()
        library = load_library(self.root, prove=True)
        bank = load_bank(self.root, library) if scenario_files(self.root) else None
        fresh = Path(tempfile.mkdtemp(prefix="rollcall-serve-next-", dir=self.work.parent))
        try:
            config = render_docs(self.root, library, fresh, today, bank)
            # written as if in self.work, so that an unchanged site gives an unchanged mkdocs.yml
            config.write_text(config.read_text(encoding="utf-8").replace(str(fresh), str(self.work)), encoding="utf-8")
            now = digests(fresh)
            folder = theme_overrides(self.root)
            overrides = digests(folder) if folder is not None and folder.is_dir() else {}
            changed = {name for name, digest in now.items() if self.built_from.get(name) != digest}
            whole = (self.entries is None or set(now) != set(self.built_from) or "mkdocs.yml" in changed
                     or overrides != self.overrides)
            pages = {name for name in changed if name.startswith("docs/") and name.endswith(".md")}
            if whole:
                self._build_whole(fresh)
            else:
                self._build_changed(fresh, changed, {name.removeprefix("docs/") for name in pages})
            self.built_from, self.overrides = now, overrides
        finally:
            shutil.rmtree(fresh, ignore_errors=True)
        archive_published(library, bank, self.site, answer_keys_dir(self.root), today)
        if whole:  # counted as `rollcall build` counts them
            return Rebuilt(pages=sum(1 for _ in self.site.rglob("*.html")), seconds=time.perf_counter() - started, whole=True)
        others = len([name for name in changed if name.startswith("docs/")]) - len(pages)
        return Rebuilt(pages=len(pages), seconds=time.perf_counter() - started, whole=False, files=others)

    def _build_whole(self, fresh: Path) -> None:
        shutil.rmtree(self.work, ignore_errors=True)
        os.replace(fresh, self.work)
        self.entries = None  # until this build succeeds
        self.entries = build_and_swap_in(self.work / "mkdocs.yml", self.site)

    def _build_changed(self, fresh: Path, changed: set[str], pages: set[str]) -> None:
        for name in sorted(changed):
            target = self.work / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(fresh / name, target)  # a new modification time: MkDocs copies it again
        entries, self.entries = self.entries, None  # until this build succeeds
        self.entries = run_mkdocs(self.work / "mkdocs.yml", self.site, only=pages, previous=entries)
