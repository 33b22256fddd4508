"""`rollcall results report`: read the store, work out the tables, write HTML and CSV files."""

from __future__ import annotations

import csv
import datetime as dt
import json
import sqlite3
import gc
from collections import Counter, defaultdict
from itertools import compress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from ..errors import RollcallError
from ..model import natural_key
from .acknowledgement import Revisions
from .analysis import ItemStats, MissRate, item_stats
from .record import KeyIndex
from .revisions import revisions_file
from .store import AnswerKeys

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


@dataclass(frozen=True, slots=True)
class Attempt:
    attempt_id: str
    employee_id: str
    employee_name: str
    quiz_id: str
    quiz_title: str
    version: str
    finished: str
    percent: float
    passed: bool
    tampered: bool
    positions: str
    """Questions asked, as comma-separated positions in the version's answer key."""
    marks: str
    """Comma-separated mark of each question, same order."""

    def questions(self, key: "KeyIndex") -> list[str]:
        order = key.order
        return [order[int(i)] for i in self.positions.split(",")]

    def scores(self) -> list[float]:
        return [float(x) for x in self.marks.split(",")]


@dataclass
class Cell:
    """One employee on one quiz."""

    latest: Attempt | None = None
    best: Attempt | None = None
    attempts: int = 0

    @property
    def passed(self) -> bool:
        return bool(self.best and self.best.passed)


@dataclass
class Report:
    generated: str
    employees: list[tuple[str, str]]
    quizzes: list[tuple[str, str]]
    matrix: dict[tuple[str, str], Cell]
    not_passed: list[tuple[str, str, str, str]]
    misses: list[MissRate]
    items: list[tuple[str, str, ItemStats]]
    tampered: list[Attempt]
    totals: dict[str, int] = field(default_factory=dict)
    orders: list[tuple[str, str, str]] = field(default_factory=list)
    """Orders of the acknowledgement matrix: number, title, current revision (effective date)."""
    acknowledgements: dict[tuple[str, str], AckCell] = field(default_factory=dict)
    """(employee id, order number) -> what they acknowledged."""
    retraining: list[Retraining] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Acknowledged:
    """A stored acknowledgement of one revision of an order."""

    employee_id: str
    employee_name: str
    order_number: str
    order_title: str
    revision: str
    revision_hash: str
    acknowledged: str


@dataclass(frozen=True, slots=True)
class AckCell:
    """One employee and one order: "current" (acknowledged the current revision; `ack` is the
    first such acknowledgement), "older" (only earlier revisions; `ack` is the latest) or "never"."""

    status: str
    ack: Acknowledged | None = None


@dataclass(frozen=True, slots=True)
class Retraining:
    """An employee whose last pass of a quiz was on answer keys written on an earlier revision of
    an order the quiz covers (or on keys that predate revision tracking: revision unknown)."""

    employee_id: str
    name: str
    quiz_id: str
    quiz_title: str
    passed: str
    passed_on: str
    current: str
    version: str


def load_acknowledgements(connection: sqlite3.Connection) -> list[Acknowledged]:
    rows = connection.execute(
        "SELECT employee_id, employee_name, order_number, order_title, revision, revision_hash, acknowledged"
        " FROM acknowledgements ORDER BY acknowledged, id")
    return [Acknowledged(*row) for row in rows]


def acknowledgement_matrix(acks: list[Acknowledged], revisions: Revisions,
                           people: list[str]) -> tuple[list[tuple[str, str, str]], dict[tuple[str, str], AckCell]]:
    """The orders (number, title, current revision's effective date) and each person's cell."""
    titles = {number: revisions.title(number) for number in revisions.orders}
    for ack in acks:
        titles.setdefault(ack.order_number, ack.order_title)
    orders = []
    for number in sorted(titles, key=natural_key):
        current = revisions.current(number)
        orders.append((number, titles[number], (revisions.effective(number, current) or "") if current else ""))
    cells: dict[tuple[str, str], AckCell] = {}
    for ack in acks:  # in order of acknowledging
        where = (ack.employee_id, ack.order_number)
        if ack.revision_hash == revisions.current(ack.order_number):
            if where not in cells or cells[where].status != "current":
                cells[where] = AckCell("current", ack)
        elif where not in cells or cells[where].status != "current":
            cells[where] = AckCell("older", ack)
    for employee_id in people:
        for number, _, _ in orders:
            cells.setdefault((employee_id, number), AckCell("never"))
    return orders, cells


def _revision_words(number: str, effective: str | None, digest: str) -> str:
    return f"GO {number} effective {effective or 'unknown'} ({digest})"


def needs_retraining(attempts: list[Attempt], keys: AnswerKeys, revisions: Revisions, names: dict[str, str]) -> list[Retraining]:
    """Employees whose last pass of each quiz was written on an order revision that is no longer current."""
    last_pass: dict[tuple[str, str], Attempt] = {}
    for a in attempts:  # in order of finishing
        if a.passed:
            last_pass[(a.employee_id, a.quiz_id)] = a
    everything_current = "; ".join(_revision_words(n, revisions.effective(n, revisions.current(n) or ""), revisions.current(n) or "")
                                   for n in sorted(revisions.orders, key=natural_key) if revisions.current(n))
    out = []
    for (employee_id, quiz_id), a in last_pass.items():
        key = keys.get(a.version)
        if key is None:  # pragma: no cover - load_attempts requires every key
            continue
        quiz_orders = key.quizzes.get(quiz_id, {}).get("orders")
        if key.orders is None or quiz_orders is None:
            if not everything_current:
                continue  # no revision archive: nothing to compare with
            passed_on, current = "unknown (answer key from before revisions were recorded)", everything_current
        else:
            changed = [n for n in quiz_orders
                       if n in key.orders and revisions.current(n) and revisions.current(n) != key.orders[n].get("revision_hash")]
            if not changed:
                continue
            passed_on = "; ".join(_revision_words(n, key.orders[n].get("revision"), key.orders[n].get("revision_hash", "")) for n in changed)
            current = "; ".join(_revision_words(n, revisions.effective(n, revisions.current(n) or ""), revisions.current(n) or "") for n in changed)
        out.append(Retraining(employee_id, names.get(employee_id, a.employee_name), quiz_id, a.quiz_title, a.finished[:10],
                              passed_on, current, a.version))
    return sorted(out, key=lambda r: (r.name.lower(), r.employee_id, r.quiz_title))


def read_roster(path: Path) -> list[tuple[str, str]]:
    """A CSV with a header naming an id column (employee_id or id) and a name column."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            rows = list(csv.DictReader(handle))
    except OSError as exc:
        raise RollcallError.at(str(path), 1, f"cannot read roster: {exc.strerror}") from None
    if not rows:
        return []
    columns = {c.strip().lower(): c for c in rows[0].keys() if c}
    id_col = columns.get("employee_id") or columns.get("id")
    name_col = columns.get("name") or columns.get("employee_name")
    if not id_col or not name_col:
        raise RollcallError.at(str(path), 1, "roster needs columns 'employee_id' (or 'id') and 'name'")
    roster = []
    for number, row in enumerate(rows, start=2):
        employee_id = (row.get(id_col) or "").strip()
        if not employee_id:
            raise RollcallError.at(str(path), number, "empty employee id")
        roster.append((employee_id, (row.get(name_col) or "").strip()))
    return roster


def load_attempts(connection: sqlite3.Connection, keys: AnswerKeys) -> list[Attempt]:
    rows = connection.execute(
        "SELECT attempt_id, employee_id, employee_name, quiz_id, quiz_title, version, finished, percent, passed,"
        " tampered, questions, scores FROM attempts ORDER BY finished, attempt_id"
    )
    attempts = [Attempt(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], bool(r[8]), bool(r[9]), r[10], r[11]) for r in rows]
    for version in {a.version for a in attempts}:
        if keys.get(version) is None:
            raise RollcallError.at(str(keys.folder), 1, f"the answer key of version {version} is missing: it is needed to report on its attempts")
    return attempts


_not_full_mark = "1".__ne__


def build_report(attempts: list[Attempt], keys: AnswerKeys, roster: list[tuple[str, str]] | None,
                 acknowledgements: list[Acknowledged] | None = None, revisions: Revisions | None = None) -> Report:
    acknowledgements = acknowledgements or []
    revisions = revisions or Revisions("", {})
    names: dict[str, str] = {}
    for ack in acknowledgements:  # in order of acknowledging; a name on an attempt or the roster wins
        names[ack.employee_id] = ack.employee_name
    quiz_titles: dict[str, str] = {}
    matrix: dict[tuple[str, str], Cell] = defaultdict(Cell)
    first: dict[tuple[str, str], Attempt] = {}
    asked: dict[str, Counter[str]] = defaultdict(Counter)  # version -> position -> times asked
    missed: dict[str, Counter[str]] = defaultdict(Counter)
    for a in attempts:  # in order of finishing
        names[a.employee_id] = a.employee_name
        quiz_titles.setdefault(a.quiz_id, a.quiz_title)
        cell = matrix[(a.employee_id, a.quiz_id)]
        cell.attempts += 1
        cell.latest = a
        if cell.best is None or a.percent > cell.best.percent:
            cell.best = a
        first.setdefault((a.employee_id, a.quiz_id), a)
        positions = a.positions.split(",")
        asked[a.version].update(positions)
        missed[a.version].update(compress(positions, map(_not_full_mark, a.marks.split(","))))
    misses: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for version, counts in asked.items():
        key = keys.get(version)
        for position, count in counts.items():
            qid = key.order[int(position)]  # type: ignore[union-attr]
            for citation in key.questions[qid]["clauses"]:  # type: ignore[union-attr]
                misses[citation][0] += count
                misses[citation][1] += missed[version][position]
    for a in attempts:  # every quiz of every version seen, attempted or not
        key = keys.get(a.version)
        for quiz_id, quiz in (key.quizzes if key else {}).items():
            quiz_titles.setdefault(quiz_id, quiz["title"])
    for employee_id, name in roster or []:
        names.setdefault(employee_id, name)
        if name:
            names[employee_id] = name
    employees = sorted(names.items(), key=lambda e: (e[1].lower(), e[0]))
    quizzes = sorted(quiz_titles.items(), key=lambda q: (q[0] == "final", q[1]))
    people = roster if roster is not None else employees
    not_passed = []
    for quiz_id, title in quizzes:
        for employee_id, _ in people:
            cell = matrix.get((employee_id, quiz_id))
            if cell is None or not cell.passed:
                status = "not attempted" if cell is None else f"best {cell.best.percent:g}%"  # type: ignore[union-attr]
                not_passed.append((employee_id, names.get(employee_id, ""), title, status))
    by_item: dict[tuple[str, str], tuple[list[float], list[float]]] = defaultdict(lambda: ([], []))
    for a in first.values():
        scores = a.scores()
        total = sum(scores)
        for qid, score in zip(a.questions(keys.get(a.version)), scores):  # type: ignore[arg-type]
            xs, ys = by_item[(a.quiz_id, qid)]
            xs.append(score)
            ys.append(total - score)
    items = sorted(((quiz, qid, item_stats(xs, ys)) for (quiz, qid), (xs, ys) in by_item.items()), key=lambda i: (i[0], i[2].facility, i[1]))
    miss_rates = sorted((MissRate(c, n, m) for c, (n, m) in misses.items()), key=lambda m: (-m.rate, m.citation))
    orders, ack_cells = acknowledgement_matrix(acknowledgements, revisions, [e for e, _ in people])
    retraining = needs_retraining(attempts, keys, revisions, names)
    return Report(
        generated=dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        employees=employees, quizzes=quizzes, matrix=dict(matrix), not_passed=not_passed,
        misses=miss_rates, items=items, tampered=[a for a in attempts if a.tampered],
        totals={"attempts": len(attempts), "employees": len(employees), "tampered": sum(a.tampered for a in attempts),
                "acknowledgements": len(acknowledgements)},
        orders=orders, acknowledgements=ack_cells, retraining=retraining,
    )


def _fmt(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def write_csv(report: Report, out: Path) -> None:
    def write(name: str, header: list[str], rows: list[list[Any]]) -> None:
        with (out / name).open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            writer.writerows(rows)

    rows = []
    for employee_id, name in report.employees:
        for quiz_id, title in report.quizzes:
            cell = report.matrix.get((employee_id, quiz_id))
            if cell is None:
                rows.append([employee_id, name, quiz_id, 0, "", "", "", "", "", "no"])
                continue
            latest, best = cell.latest, cell.best
            rows.append([employee_id, name, quiz_id, cell.attempts, f"{latest.percent:g}", latest.finished, "yes" if latest.passed else "no",  # type: ignore[union-attr]
                         f"{best.percent:g}", best.finished, "yes" if cell.passed else "no"])  # type: ignore[union-attr]
    write("matrix.csv", ["employee_id", "name", "quiz", "attempts", "latest_percent", "latest_finished", "latest_passed",
                         "best_percent", "best_finished", "passed"], rows)
    write("not-passed.csv", ["employee_id", "name", "quiz", "status"], [list(r) for r in report.not_passed])
    write("clause-misses.csv", ["clause", "asked", "missed", "miss_rate_percent"], [[m.citation, m.asked, m.missed, f"{m.rate:.1f}"] for m in report.misses])
    write("items.csv", ["quiz", "question", "first_attempts", "facility", "discrimination", "efficiency", "flags"],
          [[q, i, s.n, _fmt(s.facility), _fmt(s.discrimination), _fmt(s.efficiency), "; ".join(s.flags)] for q, i, s in report.items])
    ack_rows = []
    for employee_id, name in report.employees:
        for number, title, current in report.orders:
            cell = report.acknowledgements.get((employee_id, number)) or AckCell("never")
            latest = cell.ack
            ack_rows.append([employee_id, name, number, title, current, cell.status,
                             latest.revision if latest else "", latest.revision_hash if latest else "", latest.acknowledged if latest else ""])
    write("acknowledgements.csv", ["employee_id", "name", "order", "title", "current_revision", "status",
                                   "acknowledged_revision", "acknowledged_revision_hash", "acknowledged"], ack_rows)
    write("needs-retraining.csv", ["employee_id", "name", "quiz", "passed", "passed_on_revision", "current_revision", "answer_key_version"],
          [[r.employee_id, r.name, r.quiz_title, r.passed, r.passed_on, r.current, r.version] for r in report.retraining])


def bar_chart(rows: list[tuple[str, float]], unit: str = "%", width: int = 640) -> dict[str, Any]:
    """Geometry of a horizontal bar chart (0–100) for the SVG template."""
    bar, gap, label = 18, 6, 150
    return {
        "width": width, "height": len(rows) * (bar + gap) + gap, "label": label, "unit": unit,
        "bars": [{"y": gap + i * (bar + gap), "h": bar, "w": max(0.0, min(100.0, v)) * (width - label - 60) / 100, "name": n, "value": v}
                 for i, (n, v) in enumerate(rows)],
    }


def write_html(report: Report, out: Path) -> None:
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    pass_rates = []
    for quiz_id, title in report.quizzes:
        cells = [c for (e, q), c in report.matrix.items() if q == quiz_id]
        pass_rates.append((title, 100 * sum(c.passed for c in cells) / len(cells) if cells else 0.0))
    html = env.get_template("report.html.j2").render(
        report=report, pass_chart=bar_chart(pass_rates), miss_chart=bar_chart([(m.citation, m.rate) for m in report.misses[:15]]),
        fmt=_fmt,
    )
    (out / "index.html").write_text(html, encoding="utf-8")


def write_report(db: Path, keys: AnswerKeys, out: Path, roster: Path | None) -> Report:
    from .store import connect

    if not db.exists():
        raise RollcallError.at(str(db), 1, "no results database yet: run `rollcall results import` first")
    connection = connect(db)
    gc_was_enabled = gc.isenabled()
    gc.disable()  # 100,000 acyclic rows: collecting while they load only costs time
    try:
        attempts = load_attempts(connection, keys)
        acknowledgements = load_acknowledgements(connection)
        revisions = Revisions.read(revisions_file(keys.folder))
        report = build_report(attempts, keys, read_roster(roster) if roster else None, acknowledgements, revisions)
    finally:
        connection.close()
        if gc_was_enabled:
            gc.enable()
    out.mkdir(parents=True, exist_ok=True)
    write_csv(report, out)
    write_html(report, out)
    return report
