"""A cache of checked files, so that `rollcall check` after editing one file reads only that one.

Each entry is keyed by a hash of the file's bytes, its name, what it was checked against (for
scenarios: their order's file) and Rollcall's own source code, so a stale entry is never used.
Entries live in one SQLite file in `.rollcall-cache/` in the project: a few hundred results are
written in one transaction, not as a few hundred files. Deleting the folder is always safe.
Entries not written again for 30 days are dropped.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sqlite3
import time
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Sequence

from .parallel import map_shared

FOLDER = ".rollcall-cache"
DATABASE = "results.sqlite"
OLD_DATABASES = ("cache.sqlite",)
"""Earlier layouts of the cache (each value a row of a table WITHOUT ROWID, in 4 KB pages:
three times slower to write blobs of 5–20 KB): removed when the cache is next opened."""
PAGE_SIZE = 16384
KEEP_DAYS = 30

Row = tuple[str, str, Any]
"""(kind, entry, value) to be cached."""


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


def blob(value: Any) -> bytes:
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


_CONNECTIONS: dict[Path, tuple[int, int, sqlite3.Connection | None]] = {}
"""(process, file's inode, connection) per database: a connection never crosses a fork, and a
database file deleted (or replaced) under a running process is opened afresh."""


def _inode(path: Path) -> int:
    try:
        return os.stat(path).st_ino
    except OSError:
        return -1


def _connect(path: Path) -> sqlite3.Connection | None:
    known = _CONNECTIONS.get(path)
    if known is not None and known[0] == os.getpid() and known[1] == _inode(path):
        return known[2]
    if known is not None and known[0] == os.getpid() and known[2] is not None:
        known[2].close()
    try:
        connection = _open(path)
    except sqlite3.DatabaseError:  # not a database, or damaged (not merely busy): start again
        try:
            for damaged in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
                damaged.unlink(missing_ok=True)
            connection = _open(path)
        except (sqlite3.Error, OSError):
            connection = None  # a cache that cannot be opened only costs time
    _CONNECTIONS[path] = (os.getpid(), _inode(path), connection)
    return connection


def _open(path: Path) -> sqlite3.Connection | None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        for old in OLD_DATABASES:
            for name in (old, old + "-wal", old + "-shm"):
                path.with_name(name).unlink(missing_ok=True)
        connection = sqlite3.connect(path, timeout=10, isolation_level=None, check_same_thread=False)
        connection.execute(f"PRAGMA page_size={PAGE_SIZE}")  # a new file only: values are 5-20 KB
        connection.execute("PRAGMA journal_mode=WAL")  # readers never wait for the writer
        connection.execute("PRAGMA synchronous=OFF")  # no waiting for the disk: a cache lost in a crash is only rebuilt
        connection.execute("CREATE TABLE IF NOT EXISTS entries (kind TEXT, entry TEXT, value BLOB, written REAL, "
                           "PRIMARY KEY (kind, entry))")
        return connection
    except (sqlite3.OperationalError, OSError):  # cannot be opened (or is busy): no cache this time
        return None


_BATCHES: dict[Path, list[Row]] = {}
"""Rows put inside Cache.batch(), by database, written when the batch ends."""

_PRUNED: set[Path | None] = set()
"""Databases this process has dropped old entries from (once is enough)."""


@lru_cache(maxsize=64)
def _database(root: Path) -> Path:
    return root.resolve() / FOLDER / DATABASE


class Cache:
    def __init__(self, root: Path | None):
        if root is None:
            self.path = None
        else:  # an absolute root resolves the same way all along
            self.path = _database(root) if root.is_absolute() else root.resolve() / FOLDER / DATABASE

    def _connection(self) -> sqlite3.Connection | None:
        return _connect(self.path) if self.path is not None else None

    def get(self, kind: str, entry: str) -> Any | None:
        connection = self._connection()
        if connection is None:
            return None
        try:
            row = connection.execute("SELECT value FROM entries WHERE kind = ? AND entry = ?", (kind, entry)).fetchone()
            return pickle.loads(row[0]) if row else None  # noqa: S301 - our own entries, keyed by content hash
        except (sqlite3.Error, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
            return None

    def entries(self, kind: str) -> int:
        """How many entries of `kind` are kept."""
        connection = self._connection()
        if connection is None:
            return 0
        return connection.execute("SELECT count(*) FROM entries WHERE kind = ?", (kind,)).fetchone()[0]

    def put(self, kind: str, entry: str, value: Any) -> None:
        self.put_many([(kind, entry, value)])

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Rows put inside the block are written together, in one transaction, as it ends (a
        process forked inside it must not put: its rows would stay in its copy of the batch)."""
        if self.path is None or self.path in _BATCHES:
            yield
            return
        _BATCHES[self.path] = []
        try:
            yield
        finally:
            self.put_many(_BATCHES.pop(self.path))

    def put_many(self, rows: Iterable[Row]) -> None:
        """Cache every row in one transaction; a value may be given already pickled (bytes from blob())."""
        if self.path in _BATCHES:
            _BATCHES[self.path].extend(rows)
            return
        connection = self._connection()
        if connection is None:
            return
        now = time.time()
        try:
            values = [(kind, entry, value if isinstance(value, bytes) else blob(value), now) for kind, entry, value in rows]
            if not values:
                return
            with connection:
                connection.execute("BEGIN IMMEDIATE")
                connection.executemany("INSERT OR REPLACE INTO entries VALUES (?, ?, ?, ?)", values)
                if self.path not in _PRUNED:
                    connection.execute("DELETE FROM entries WHERE written < ?", (now - KEEP_DAYS * 86400,))
            _PRUNED.add(self.path)
        except (sqlite3.Error, pickle.PicklingError, TypeError, AttributeError):
            pass  # a cache that cannot be written only costs time


Store = Callable[[str, bytes, str, Any], Iterable[Row]]
"""(name, raw bytes, lookup entry, result) -> the rows to cache for a computed result."""


def read_through(root: Path | None, kind: str, files: Sequence[Path], names: Sequence[str],
                 entry_for: Callable[[str, bytes], str], compute: Callable[[bytes, str], Any],
                 unreadable: Callable[[str, str], Any], store: Store | None = None) -> list[tuple[Any, str]]:
    """(result, entry) for each file, each file read once: results cached under `kind` by
    `entry_for(name, raw)` ("" for no caching) are taken from the cache, the rest computed by
    `compute(raw, name)` (in two processes when there are many) and cached as `store` says (by
    default under `kind` and their entry), all in one transaction. A file that cannot be read
    gives `unreadable(name, reason)` and entry ""."""
    cache = Cache(root)
    store = store or (lambda name, raw, entry, result: [(kind, entry, result)] if entry else [])
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
    here = os.getpid()

    def work(job: tuple[int, bytes, str, str]) -> tuple[Any, bytes | None, list[Row]]:
        """Computes one result and pickles what is to be cached, here, while the other
        process works too: the result once, for the cache and for the way back from a child."""
        _, raw, name, entry = job
        result = compute(raw, name)
        rows = list(store(name, raw, entry, result))
        in_child = os.getpid() != here
        pickled = blob(result) if in_child or any(value is result for _, _, value in rows) else None
        kept = []
        for kind_, entry_, value in rows:
            try:
                kept.append((kind_, entry_, pickled if value is result else blob(value)))
            except (pickle.PicklingError, TypeError, AttributeError):
                pass  # a value that cannot be kept only costs time next run
        return (None if in_child else result), pickled, kept

    def unpickled(done: tuple[Any, bytes | None, list[Row]]) -> tuple[Any, bytes | None, list[Row]]:
        result, pickled, stored = done
        if result is None and pickled is not None:
            result = pickle.loads(pickled)  # noqa: S301 - pickled by our own child process
        return result, pickled, stored

    rows: list[Row] = []
    for (index, _, _, entry), (result, _, stored) in zip(todo, map_shared(work, todo, unpickled)):
        results[index] = (result, entry)
        rows += stored
    cache.put_many(rows)
    return results  # type: ignore[return-value]
