"""The SQLite store of attempts: schema, and an import that is one transaction and idempotent."""

from __future__ import annotations

import datetime as dt
import gc
import json
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from itertools import chain, repeat
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import msgspec

from ..errors import RollcallError
from .record import KeyIndex, Record, Rejected, Rescored, Source, read_records, record_files, rescore

SCHEMA_VERSION = "1"
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS attempts (
    attempt_id     TEXT PRIMARY KEY,
    employee_id    TEXT NOT NULL,
    employee_name  TEXT NOT NULL,
    quiz_id        TEXT NOT NULL,
    quiz_title     TEXT NOT NULL,
    version        TEXT NOT NULL,
    started        TEXT NOT NULL,
    finished       TEXT NOT NULL,
    pass_mark      REAL NOT NULL,
    percent        REAL NOT NULL,   -- re-scored: the value that counts
    total          REAL NOT NULL,
    max            INTEGER NOT NULL,
    passed         INTEGER NOT NULL,
    stored_percent REAL NOT NULL,   -- what the record claimed
    stored_passed  INTEGER NOT NULL,
    tampered       INTEGER NOT NULL,
    questions      TEXT NOT NULL,   -- questions asked, in order, as positions in the version's
                                    -- answer key (its question ids sorted); comma-separated
    scores         TEXT NOT NULL,   -- re-scored mark of each question, same order, comma-separated
    responses      TEXT NOT NULL,   -- JSON list: the option ids chosen for each question, same order
    stored_total   REAL NOT NULL,
    source         TEXT NOT NULL,
    imported_at    TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS attempts_by_person ON attempts (employee_id, quiz_id, finished);
CREATE TABLE IF NOT EXISTS rejections (source TEXT NOT NULL, message TEXT NOT NULL, imported_at TEXT NOT NULL);
"""


def connect(db: Path) -> sqlite3.Connection:
    db.parent.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(db, isolation_level=None)  # transactions are explicit
    connection.execute("PRAGMA synchronous = NORMAL")
    connection.execute("PRAGMA cache_size = -262144")  # 256 MB: a large import stays in memory until commit
    connection.executescript(SCHEMA)
    found = connection.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    if found is None:
        connection.execute("INSERT INTO meta VALUES ('schema_version', ?)", (SCHEMA_VERSION,))
    elif found[0] != SCHEMA_VERSION:
        raise RollcallError.at(str(db), 1, f"database schema version {found[0]} is not {SCHEMA_VERSION}")
    return connection


class AnswerKeys:
    """Archived answer keys by version, read once each."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.cache: dict[str, KeyIndex | None] = {}

    def get(self, version: str) -> KeyIndex | None:
        if version not in self.cache:
            path = self.folder / f"{version}.json"
            try:
                self.cache[version] = KeyIndex(json.loads(path.read_text(encoding="utf-8")))
            except (OSError, ValueError, KeyError, TypeError):
                self.cache[version] = None
        return self.cache[version]


@dataclass
class ImportReport:
    imported: int = 0
    duplicates: int = 0
    tampered: list[str] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)

    def summary(self) -> list[str]:
        out = []
        out.append(
            f"Imported {self.imported} new attempt(s); {self.duplicates} already imported; "
            f"{len(self.rejected)} rejected; {len(self.tampered)} with an edited score (flagged, counted as re-scored)."
        )
        out += [f"  edited score: {t}" for t in self.tampered]
        return out


def _compact(value: Any) -> str:
    return msgspec.json.encode(value).decode()
BATCH = 5000


def _row(record: Record, result: Rescored, responses: str, source: Source, now: str) -> tuple:
    employee, quiz, stored = record.employee, record.quiz, record.score
    return (
        record.attempt_id, employee.id.strip(), employee.name.strip(), quiz.id, quiz.title,
        record.version, _time(record.started), _time(record.finished), quiz.pass_mark,
        result.percent, result.total, len(record.questions), int(result.passed),
        stored.percent, int(stored.passed), int(result.tampered),
        result.positions, result.marks, responses,
        stored.total, str(source), now,
    )


def _time(value: dt.datetime) -> str:
    return value.isoformat().replace("+00:00", "Z")


def _same_responses(a: list[list[str]], b: list[list[str]]) -> bool:
    return [sorted(x) for x in a] == [sorted(x) for x in b]


@dataclass(frozen=True, slots=True)
class Prepared:
    """A record checked and re-scored, ready to store (made in a worker process when there are many)."""

    attempt_id: str
    row: tuple
    responses: str
    tampered: str | None


def prepare(items: Iterable[tuple[Source, Record] | Rejected], keys: AnswerKeys, now: str) -> list[Prepared | Rejected]:
    """Re-score each record against its version's answer key; pure apart from reading keys."""
    out: list[Prepared | Rejected] = []
    for item in items:
        if isinstance(item, Rejected):
            out.append(item)
            continue
        source, record = item
        key = keys.get(record.version)
        if key is None:
            out.append(Rejected(source, f"taken on version {record.version}, which has no archived answer key in {keys.folder}"))
            continue
        result = rescore(record, key)
        if isinstance(result, str):
            out.append(Rejected(source, result))
            continue
        responses = _compact(result.chosen)
        tampered = (f"{source}: attempt {record.attempt_id} claims {record.score.percent:g}%, re-scored {result.percent:g}%"
                    if result.tampered else None)
        out.append(Prepared(record.attempt_id, _row(record, result, responses, source, now), responses, tampered))
    return out


def _prepare_file(path: Path, display: str, keys_folder: Path, now: str) -> list[Prepared | Rejected]:
    gc.disable()
    return prepare(read_records(path, display), AnswerKeys(keys_folder), now)


def store(connection: sqlite3.Connection, batches: Iterable[list[Prepared | Rejected]], now: str) -> ImportReport:
    """Insert prepared records in one transaction; an attempt already stored counts once."""
    report = ImportReport()
    stored_ids = {row[0] for row in connection.execute("SELECT attempt_id FROM attempts")}
    this_import: dict[str, str] = {}
    connection.execute("BEGIN")
    try:
        for batch in batches:
            rows = []
            for item in batch:
                if isinstance(item, Rejected):
                    report.rejected.append(item)
                    continue
                attempt_id = item.attempt_id
                if attempt_id in stored_ids or attempt_id in this_import:
                    earlier = this_import.get(attempt_id)
                    if earlier is None:
                        found = connection.execute("SELECT responses FROM attempts WHERE attempt_id = ?", (attempt_id,)).fetchone()
                        earlier = found[0] if found else "[]"
                    if _same_responses(json.loads(earlier), json.loads(item.responses)):
                        report.duplicates += 1
                    else:
                        report.rejected.append(Rejected(Source(item.row[20]), f"attempt {attempt_id} was already imported with different responses"))
                    continue
                this_import[attempt_id] = item.responses
                rows.append(item.row)
                if item.tampered:
                    report.tampered.append(item.tampered)
            connection.executemany(INSERT, rows)
            report.imported += len(rows)
        connection.executemany("INSERT INTO rejections VALUES (?, ?, ?)", [(str(r.source), r.message, now) for r in report.rejected])
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    return report


def import_records(connection: sqlite3.Connection, records: Iterable[tuple[Source, Record] | Rejected], keys: AnswerKeys) -> ImportReport:
    """Check, re-score and store records in this process, in one transaction."""
    now = _now()
    with _no_gc():
        return store(connection, [prepare(records, keys, now)], now)


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


class _no_gc:
    """Records are acyclic: collecting while 100,000 of them stream by only costs time."""

    def __enter__(self) -> None:
        self.was_enabled = gc.isenabled()
        gc.disable()

    def __exit__(self, *exc: object) -> None:
        if self.was_enabled:
            gc.enable()


INSERT = f"INSERT INTO attempts VALUES ({', '.join('?' * 22)})"


def import_from_lrs(db: Path, url: str, user: str | None, password: str | None, keys_folder: Path) -> ImportReport:
    from .lrs import records_from_lrs

    keys = AnswerKeys(keys_folder)
    records = list(records_from_lrs(url, user, password, keys))  # fetch first: a failed fetch changes nothing
    connection = connect(db)
    try:
        return import_records(connection, records, keys)
    finally:
        connection.close()


def import_paths(db: Path, paths: list[Path], keys_folder: Path, root: Path | None = None) -> ImportReport:
    """Import files and folders of records; with several files, two processes check and re-score
    while this one stores, so a year of attempts imports in seconds."""

    def display(path: Path) -> str:
        try:
            return str(path.resolve().relative_to((root or Path.cwd()).resolve()))
        except ValueError:
            return str(path)

    missing = [Rejected(Source(display(p)), "no such file or folder") for p in paths if not p.exists()]
    files = list(record_files([p for p in paths if p.exists()]))
    now = _now()
    connection = connect(db)
    try:
        with _no_gc():
            if len(files) > 1 and (os.cpu_count() or 1) > 1:
                context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
                with ProcessPoolExecutor(max_workers=min(2, len(files)), mp_context=context) as pool:
                    batches = pool.map(_prepare_file, files, map(display, files), repeat(keys_folder), repeat(now))
                    return store(connection, chain([missing], batches), now)
            keys = AnswerKeys(keys_folder)
            return store(connection, chain([missing], (prepare(read_records(f, display(f)), keys, now) for f in files)), now)
    finally:
        connection.close()
