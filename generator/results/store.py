"""The SQLite store of attempts: schema, and an import that is one transaction and idempotent."""

from __future__ import annotations

import datetime as dt
import gc
import json
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


def _row(record: Record, result: Rescored, key: KeyIndex, responses: str, source: Source, now: str) -> tuple:
    employee, quiz, stored = record.employee, record.quiz, record.score
    position = key.position
    return (
        record.attempt_id, employee.id.strip(), employee.name.strip(), quiz.id, quiz.title,
        record.version, _time(record.started), _time(record.finished), quiz.pass_mark,
        result.percent, result.total, len(record.questions), int(result.passed),
        stored.percent, int(stored.passed), int(result.tampered),
        ",".join([str(position[q]) for q in record.questions]), ",".join(map(_mark, result.scores)), responses,
        stored.total, str(source), now,
    )


def _mark(value: float) -> str:
    return "1" if value == 1 else "0" if value == 0 else repr(value)


def aligned_responses(record: Record) -> str:
    """The options chosen for each question asked, in the order asked (JSON)."""
    responses = record.responses
    return _compact([responses.get(q, []) for q in record.questions])


def _time(value: dt.datetime) -> str:
    return value.isoformat().replace("+00:00", "Z")


def _same_responses(a: list[list[str]], b: list[list[str]]) -> bool:
    return [sorted(x) for x in a] == [sorted(x) for x in b]


def import_records(connection: sqlite3.Connection, records: Iterable[tuple[Source, Record] | Rejected], keys: AnswerKeys) -> ImportReport:
    """Check, re-score and store records in one transaction; the same attempt counts once."""
    gc_was_enabled = gc.isenabled()
    gc.disable()  # records are acyclic; collecting while 100,000 of them stream by only costs time
    try:
        return _import(connection, records, keys)
    finally:
        if gc_was_enabled:
            gc.enable()


def _import(connection: sqlite3.Connection, records: Iterable[tuple[Source, Record] | Rejected], keys: AnswerKeys) -> ImportReport:
    report = ImportReport()
    now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    stored_ids = {row[0] for row in connection.execute("SELECT attempt_id FROM attempts")}
    this_import: dict[str, str] = {}
    rows: list[tuple] = []
    connection.execute("BEGIN")
    for item in records:
        if isinstance(item, Rejected):
            report.rejected.append(item)
            continue
        source, record = item
        key = keys.get(record.version)
        if key is None:
            report.rejected.append(Rejected(source, f"taken on version {record.version}, which has no archived answer key in {keys.folder}"))
            continue
        result = rescore(record, key)
        if isinstance(result, str):
            report.rejected.append(Rejected(source, result))
            continue
        attempt_id = record.attempt_id
        responses = aligned_responses(record)
        if attempt_id in stored_ids or attempt_id in this_import:
            earlier = this_import.get(attempt_id)
            if earlier is None:
                found = connection.execute("SELECT responses FROM attempts WHERE attempt_id = ?", (attempt_id,)).fetchone()
                earlier = found[0] if found else "[]"
            if _same_responses(json.loads(earlier), json.loads(responses)):
                report.duplicates += 1
            else:
                report.rejected.append(Rejected(source, f"attempt {attempt_id} was already imported with different responses"))
            continue
        this_import[attempt_id] = responses
        rows.append(_row(record, result, key, responses, source, now))
        report.imported += 1
        if result.tampered:
            report.tampered.append(f"{source}: attempt {attempt_id} claims {record.score.percent:g}%, re-scored {result.percent:g}%")
        if len(rows) >= BATCH:
            connection.executemany(INSERT, rows)
            rows.clear()
    try:
        connection.executemany(INSERT, rows)
        connection.executemany("INSERT INTO rejections VALUES (?, ?, ?)", [(str(r.source), r.message, now) for r in report.rejected])
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    return report


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
    def display(path: Path) -> str:
        try:
            return str(path.resolve().relative_to((root or Path.cwd()).resolve()))
        except ValueError:
            return str(path)

    def records() -> Iterable[tuple[Source, Any] | Rejected]:
        for path in paths:
            if not path.exists():
                yield Rejected(Source(display(path)), "no such file or folder")
        for path in record_files([p for p in paths if p.exists()]):
            yield from read_records(path, display(path))

    connection = connect(db)
    try:
        return import_records(connection, records(), AnswerKeys(keys_folder))
    finally:
        connection.close()
