"""Importing orders into policy/: one file, or every *.txt in a folder with a progress bar and a
summary table. One bad file does not stop the others; existing files are kept unless forced."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from ..errors import Problem, RollcallError
from ..progress import Progress
from . import Imported, import_file, import_text, order_yaml


@dataclass
class Row:
    """One file of a folder import: what it gave, or its first problem."""

    file: str
    imported: Imported | None = None
    out: Path | None = None
    problems: tuple[Problem, ...] = ()

    @property
    def ok(self) -> bool:
        return self.imported is not None and not self.problems


def target(imported: Imported, out: Path | None, default_dir: Path) -> Path:
    """Where an order is written: --out as a file (*.yaml) or a folder, else policy/go-NUMBER.yaml."""
    name = f"go-{imported.order['number']}.yaml"
    if out is None:
        return default_dir / name
    if out.suffix in (".yaml", ".yml") and not out.is_dir():
        return out
    return out / name


def write(imported: Imported, source: Path, path: Path, force: bool, written: dict[Path, str]) -> None:
    """Write the order's YAML; an existing file (or one written earlier in this run) is an error
    unless `force` (and never for two orders of the same run)."""
    if path.resolve() in written:
        raise RollcallError.at(str(source), imported.body_line,
                               f"order {imported.order['number']} is also in {written[path.resolve()]}; not written to {path}")
    if path.exists() and not force:
        raise RollcallError.at(str(source), 1, f"{path} already exists; use --force to overwrite it")
    text = order_yaml(imported.order, "standard input" if str(source) == "-" else source.name)
    checked(text, path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    written[path.resolve()] = str(source)


def checked(text: str, path: Path) -> None:
    """The YAML passes the same checks as `rollcall check` on an order file, or nothing is written."""
    from ..load import load_order_bytes

    _, _, problems = load_order_bytes(text.encode("utf-8"), str(path))
    if problems:
        raise RollcallError([Problem(p.file, p.line, f"{p.message} (in the imported YAML; not written)") for p in problems])


def describe(imported: Imported) -> str:
    c = imported.counts
    return (f"{c['sections']} sections, {c['clauses']} clauses, {c['items']} items, {c['definitions']} definitions")


def import_one(source: Path, out: Path | None, default_dir: Path, force: bool) -> tuple[Imported, Path]:
    """One order from a file, or from standard input when `source` is `-` (pasted text)."""
    if str(source) == "-":
        imported = import_text(sys.stdin.read(), "<stdin>")
    else:
        imported = import_file(source, str(source))
    path = target(imported, out, default_dir)
    write(imported, source, path, force, {})
    return imported, path


def import_folder(folder: Path, out: Path | None, default_dir: Path, force: bool, progress: TextIO | None = None) -> list[Row]:
    """Import every *.txt in `folder` (sorted by name) into `out` (a folder, default policy/)."""
    sources = sorted(p for p in folder.iterdir() if p.suffix.lower() == ".txt" and p.is_file())
    if not sources:
        raise RollcallError.at(str(folder), 1, "no *.txt files in this folder")
    rows: list[Row] = []
    written: dict[Path, str] = {}
    bar = Progress(progress)
    for done, source in enumerate(sources):
        bar.count(done, len(sources), source.name, every=0)
        row = Row(source.name)
        try:
            row.imported = import_file(source, str(source))
            row.out = (out or default_dir) / f"go-{row.imported.order['number']}.yaml"
            write(row.imported, source, row.out, force, written)
        except RollcallError as exc:
            row.problems = tuple(exc.problems)
        rows.append(row)
    bar.count(len(sources), len(sources), "done")
    bar.done(keep=True)
    return rows


def table(rows: list[Row]) -> list[str]:
    """The summary: one line per file, columns aligned."""
    head = ["file", "order", "title", "sections", "clauses", "items", "definitions", "left out", "status"]
    body = []
    for row in rows:
        if row.imported is not None:
            order, c = row.imported.order, row.imported.counts
            title = order.get("title", "")
            cells = [row.file, order.get("number", ""), title if len(title) <= 40 else title[:39] + "…",
                     str(c["sections"]), str(c["clauses"]), str(c["items"]), str(c["definitions"]),
                     str(len(row.imported.left_out))]
        else:
            cells = [row.file, "", "", "", "", "", "", ""]
        cells.append("ok" if row.ok else f"error: {row.problems[0]}")
        body.append(cells)
    widths = [max(len(r[i]) for r in [head] + body) for i in range(len(head) - 1)]
    lines = []
    for cells in [head] + body:
        lines.append("  ".join(c.ljust(w) for c, w in zip(cells[:-1], widths)) + "  " + cells[-1])
    return lines


def progress_stream() -> TextIO | None:
    return sys.stderr if sys.stderr.isatty() else None
