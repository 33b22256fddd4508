"""A cache of checked files, so that `rollcall check` after editing one file reads only that one.

Each entry is keyed by a hash of the file's bytes, its name, what it was checked against (for
scenarios: every order file) and Rollcall's own source code, so a stale entry is never used.
Entries live in `.rollcall-cache/` in the project; deleting the folder is always safe.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Sequence

from .parallel import map_in_halves

FOLDER = ".rollcall-cache"


@lru_cache(maxsize=1)
def code_version() -> str:
    """Hash of Rollcall's own source and schemas: a new version never reads an old entry."""
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*")):
        if path.suffix in (".py", ".json", ".j2") and "__pycache__" not in path.parts:
            digest.update(path.relative_to(package).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def key(*parts: str | bytes) -> str:
    digest = hashlib.sha256(code_version().encode())
    for part in parts:
        digest.update(b"\0")
        digest.update(part if isinstance(part, bytes) else part.encode())
    return digest.hexdigest()


class Cache:
    def __init__(self, root: Path | None):
        self.folder = root / FOLDER if root is not None else None

    def get(self, kind: str, entry: str) -> Any | None:
        if self.folder is None:
            return None
        try:
            with (self.folder / kind / entry).open("rb") as handle:
                return pickle.load(handle)  # noqa: S301 - our own files, keyed by content hash
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
            return None

    def put(self, kind: str, entry: str, value: Any) -> None:
        if self.folder is None:
            return
        folder = self.folder / kind
        try:
            folder.mkdir(parents=True, exist_ok=True)
            handle, temp = tempfile.mkstemp(dir=folder)
            with os.fdopen(handle, "wb") as out:
                pickle.dump(value, out, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temp, folder / entry)
        except OSError:
            pass  # a cache that cannot be written only costs time


def read_through(root: Path | None, kind: str, files: Sequence[Path], names: Sequence[str],
                 entry_for: Callable[[str, bytes], str], compute: Callable[[bytes, str, str, Path | None], Any],
                 unreadable: Callable[[str, str], Any]) -> list[tuple[Any, str]]:
    """(result, entry) for each file, each file read once: results cached under `kind` by
    `entry_for(name, raw)` ("" for no caching) are taken from the cache, the rest computed by
    `compute(raw, name, entry, root)`, which caches what it finds (in two processes when there
    are many). A file that cannot be read gives `unreadable(name, reason)` and entry ""."""
    cache = Cache(root)
    results: list[tuple[Any, str] | None] = []
    todo: list[tuple[int, bytes, str, str]] = []
    for path, name in zip(files, names):
        try:
            raw = path.read_bytes()
        except OSError as exc:
            results.append((unreadable(name, exc.strerror or str(exc)), ""))
            continue
        entry = entry_for(name, raw)
        cached = cache.get(kind, entry) if entry else None
        results.append((cached, entry) if cached is not None else None)
        if cached is None:
            todo.append((len(results) - 1, raw, name, entry))
    done = map_in_halves(lambda job: compute(job[1], job[2], job[3], root), todo)
    for (index, _, _, entry), result in zip(todo, done):
        results[index] = (result, entry)
    return results  # type: ignore[return-value]
