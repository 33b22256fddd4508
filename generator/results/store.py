"""The SQLite store of attempts and acknowledgements: schema, and an import that is one
transaction and idempotent. A stored record is never overwritten or deleted."""

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
from . import acknowledgement
from .acknowledgement import Acknowledgement, Revisions
from ..progress import Progress
from .record import KeyIndex, Record, Rejected, Rescored, Source, read_records, record_files, rescore
from .revisions import revisions_file

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
CREATE TABLE IF NOT EXISTS acknowledgements (
    id             TEXT PRIMARY KEY,
    employee_id    TEXT NOT NULL,
    employee_name  TEXT NOT NULL,
    order_number   TEXT NOT NULL,
    order_title    TEXT NOT NULL,
    revision       TEXT NOT NULL,   -- the revision's effective date
    revision_hash  TEXT NOT NULL,   -- checked against results/revisions.json on import
    acknowledged   TEXT NOT NULL,   -- UTC, milliseconds
    site           TEXT,
    content        TEXT NOT NULL,   -- what it says (acknowledgement.content): a record with the
                                    -- same id that says anything else is flagged, never stored
    source         TEXT NOT NULL,
    imported_at    TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS acknowledgements_by_person ON acknowledgements (employee_id, order_number, acknowledged);
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


ACKNOWLEDGEMENT_KINDS = ("acknowledgement", "revision", "conflict")


@dataclass
class ImportReport:
    imported: int = 0
    duplicates: int = 0
    tampered: list[str] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    acknowledged: int = 0
    """New acknowledgements stored."""
    acknowledged_duplicates: int = 0

    def count(self, *kinds: str) -> int:
        return sum(r.kind in kinds for r in self.rejected)

    def summary(self) -> list[str]:
        out = []
        out.append(
            f"Imported {self.imported} new attempt(s); {self.duplicates} already imported; "
            f"{self.count('attempt')} rejected; {len(self.tampered)} with an edited score (flagged, counted as re-scored)."
        )
        out += [f"  edited score: {t}" for t in self.tampered]
        if self.acknowledged or self.acknowledged_duplicates or self.count(*ACKNOWLEDGEMENT_KINDS):
            out.append(
                f"Imported {self.acknowledged} new acknowledgement(s); {self.acknowledged_duplicates} already imported; "
                f"{self.count('acknowledgement', 'revision')} rejected ({self.count('revision')} naming an order revision "
                f"that was never published); {self.count('conflict')} with the id of a different acknowledgement "
                f"already imported (flagged; the first is kept)."
            )
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


@dataclass(frozen=True, slots=True)
class PreparedAcknowledgement:
    """An acknowledgement whose revision the archive knows, ready to store."""

    id: str
    row: tuple
    content: str
    source: str


def prepare(items: Iterable[tuple[Source, Record | Acknowledgement] | Rejected], keys: AnswerKeys, now: str,
            revisions: Revisions | None = None) -> list[Prepared | PreparedAcknowledgement | Rejected]:
    """Re-score each attempt against its version's answer key and check each acknowledgement's
    revision against the revision archive; pure apart from reading keys and the archive."""
    out: list[Prepared | PreparedAcknowledgement | Rejected] = []
    for item in items:
        if isinstance(item, Rejected):
            out.append(item)
            continue
        source, record = item
        if isinstance(record, Acknowledgement):
            if revisions is None:
                revisions = Revisions.read(revisions_file(keys.folder))
            problem = revisions.check(record)
            if problem:
                out.append(Rejected(source, problem, "revision"))
            else:
                out.append(PreparedAcknowledgement(record.id, acknowledgement.row(record, str(source), now),
                                                   acknowledgement.content(record), str(source)))
            continue
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


def _prepare_file(path: Path, display: str, keys_folder: Path, now: str) -> list[Prepared | PreparedAcknowledgement | Rejected]:
    gc.disable()
    return prepare(read_records(path, display), AnswerKeys(keys_folder), now)


def store(connection: sqlite3.Connection, batches: Iterable[list[Prepared | PreparedAcknowledgement | Rejected]], now: str) -> ImportReport:
    """Insert prepared records in one transaction; a record already stored counts once, and one
    that reuses a stored record's id with other content is rejected, the stored one kept."""
    report = ImportReport()
    stored_ids = {row[0] for row in connection.execute("SELECT attempt_id FROM attempts")}
    this_import: dict[str, str] = {}
    acknowledgements: dict[str, str] = dict(connection.execute("SELECT id, content FROM acknowledgements").fetchall())
    connection.execute("BEGIN")
    try:
        for batch in batches:
            rows = []
            acknowledgement_rows = []
            for item in batch:
                if isinstance(item, Rejected):
                    report.rejected.append(item)
                    continue
                if isinstance(item, PreparedAcknowledgement):
                    earlier = acknowledgements.get(item.id)
                    if earlier is None:
                        acknowledgements[item.id] = item.content
                        acknowledgement_rows.append(item.row)
                    elif earlier == item.content:
                        report.acknowledged_duplicates += 1
                    else:
                        report.rejected.append(Rejected(Source(item.source), f"acknowledgement {item.id} was already imported "
                                                        "saying something else; the first one is kept", "conflict"))
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
            connection.executemany(INSERT_ACKNOWLEDGEMENT, acknowledgement_rows)
            report.imported += len(rows)
            report.acknowledged += len(acknowledgement_rows)
        connection.executemany("INSERT INTO rejections VALUES (?, ?, ?)", [(str(r.source), r.message, now) for r in report.rejected])
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    return report


def import_records(connection: sqlite3.Connection, records: Iterable[tuple[Source, Record | Acknowledgement] | Rejected], keys: AnswerKeys) -> ImportReport:
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
INSERT_ACKNOWLEDGEMENT = f"INSERT INTO acknowledgements VALUES ({', '.join('?' * 12)})"


def import_from_lrs(db: Path, url: str, user: str | None, password: str | None, keys_folder: Path) -> ImportReport:
    from .lrs import records_from_lrs

    keys = AnswerKeys(keys_folder)
    records = list(records_from_lrs(url, user, password, keys))  # fetch first: a failed fetch changes nothing
    connection = connect(db)
    try:
        return import_records(connection, records, keys)
    finally:
        connection.close()


def import_paths(db: Path, paths: list[Path], keys_folder: Path, root: Path | None = None,
                 progress: Progress | None = None) -> ImportReport:
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
    progress = progress or Progress()
    connection = connect(db)
    try:
        with _no_gc():
            if len(files) > 1 and (os.cpu_count() or 1) > 1:
                context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
                with ProcessPoolExecutor(max_workers=min(2, len(files)), mp_context=context) as pool:
                    batches = pool.map(_prepare_file, files, map(display, files), repeat(keys_folder), repeat(now))
                    return store(connection, chain([missing], progress.counted(batches, len(files), "files")), now)
            keys = AnswerKeys(keys_folder)
            batches = (prepare(read_records(f, display(f)), keys, now) for f in files)
            return store(connection, chain([missing], progress.counted(batches, len(files), "files")), now)
    finally:
        progress.done()
        connection.close()
