"""The SQLite store of attempts: schema, and an import that is one transaction and idempotent."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from ..errors import RollcallError
from .record import Rejected, Rescored, Source, read_records, record_files, record_problem, rescore

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
    questions      TEXT NOT NULL,   -- JSON list, in the order asked
    scores         TEXT NOT NULL,   -- JSON list of question scores, same order
    responses      TEXT NOT NULL,   -- JSON object, as recorded
    source         TEXT NOT NULL,
    imported_at    TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS attempts_by_person ON attempts (employee_id, quiz_id, finished);
CREATE TABLE IF NOT EXISTS rejections (source TEXT NOT NULL, message TEXT NOT NULL, imported_at TEXT NOT NULL);
"""


def connect(db: Path) -> sqlite3.Connection:
    db.parent.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(db)
    connection.executescript(SCHEMA)
    found = connection.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    if found is None:
        connection.execute("INSERT INTO meta VALUES ('schema_version', ?)", (SCHEMA_VERSION,))
        connection.commit()
    elif found[0] != SCHEMA_VERSION:
        raise RollcallError.at(str(db), 1, f"database schema version {found[0]} is not {SCHEMA_VERSION}")
    return connection


class AnswerKeys:
    """Archived answer keys by version, read once each."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.cache: dict[str, dict[str, Any] | None] = {}

    def get(self, version: str) -> dict[str, Any] | None:
        if version not in self.cache:
            path = self.folder / f"{version}.json"
            try:
                self.cache[version] = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
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


def _row(record: dict[str, Any], result: Rescored, source: Source, now: str) -> tuple:
    employee, quiz, questions = record["employee"], record["quiz"], record["questions"]
    return (
        record["attempt_id"], employee["id"].strip(), employee["name"].strip(), quiz["id"], quiz["title"],
        record["version"], record["started"], record["finished"], quiz["pass_mark"],
        result.percent, result.total, len(questions), int(result.passed),
        record["score"]["percent"], int(record["score"]["passed"]), int(result.tampered),
        json.dumps(questions), json.dumps([result.scores[q] for q in questions]),
        json.dumps(record["responses"], sort_keys=True), str(source), now,
    )


def import_records(connection: sqlite3.Connection, records: Iterable[tuple[Source, Any] | Rejected], keys: AnswerKeys) -> ImportReport:
    """Check, re-score and store records in one transaction; the same attempt counts once."""
    report = ImportReport()
    now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    known = {row[0]: row[1] for row in connection.execute("SELECT attempt_id, responses FROM attempts")}
    rows: list[tuple] = []
    for item in records:
        if isinstance(item, Rejected):
            report.rejected.append(item)
            continue
        source, record = item
        problem = record_problem(record)
        if problem:
            report.rejected.append(Rejected(source, problem))
            continue
        key = keys.get(record["version"])
        if key is None:
            report.rejected.append(Rejected(source, f"taken on version {record['version']}, which has no archived answer key in {keys.folder}"))
            continue
        result = rescore(record, key)
        if isinstance(result, str):
            report.rejected.append(Rejected(source, result))
            continue
        responses = json.dumps(record["responses"], sort_keys=True)
        if record["attempt_id"] in known:
            if known[record["attempt_id"]] != responses:
                report.rejected.append(Rejected(source, f"attempt {record['attempt_id']} was already imported with different responses"))
            else:
                report.duplicates += 1
            continue
        known[record["attempt_id"]] = responses
        rows.append(_row(record, result, source, now))
        if result.tampered:
            report.tampered.append(f"{source}: attempt {record['attempt_id']} claims {record['score']['percent']}%, re-scored {result.percent}%")
    with connection:
        connection.executemany(f"INSERT INTO attempts VALUES ({', '.join('?' * 21)})", rows)
        connection.executemany("INSERT INTO rejections VALUES (?, ?, ?)", [(str(r.source), r.message, now) for r in report.rejected])
    report.imported = len(rows)
    return report


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
