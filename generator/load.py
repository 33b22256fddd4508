"""Load a Rollcall project: YAML files -> validated domain model, or every problem at once."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path
from typing import Callable

from .cache import read_through
from .cache import key as cache_key
from .errors import Problem, RollcallError
from .model import Clause, Condition, Definition, Fact, Item, Library, Order, Revision, Rule, Section, Source, natural_key, slugify
from .validate import order_problems
from .yamlsource import LocatedMap, parse_yaml


def display_path(path: Path, root: Path) -> str:
    """`path` as the project names it: relative to `root` (a file found under root, such as
    root/policy/go-418.yaml, is named without resolving links on the way), or as given."""
    if path.is_absolute() == root.is_absolute() and ".." not in path.parts:
        try:
            return str(path.relative_to(root))
        except ValueError:
            pass
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)


def order_files(root: Path) -> list[Path]:
    folder = root / "policy"
    return sorted(p for p in folder.glob("*.yaml") if p.is_file()) + sorted(
        p for p in folder.glob("*.yml") if p.is_file()
    )


Loaded = tuple[Order | None, int, list[Problem]]
"""An order file's model (or None), the line of its number, and its problems."""


def load_order_bytes(raw: bytes, name: str) -> Loaded:
    """One order file's bytes, checked and modelled."""
    try:
        document = parse_yaml(raw.decode("utf-8"), name)
    except UnicodeDecodeError as exc:
        result: Loaded = (None, 1, [Problem(name, 1, f"not UTF-8 text ({exc.reason})")])
    except RollcallError as exc:
        result = (None, 1, list(exc.problems))
    else:
        found = order_problems(document, name)
        result = (None, 1, found) if found else (build_order(document, name, order_key(name, raw)), document.line_of("number"), [])
    return result


def order_key(name: str, raw: bytes) -> str:
    """The cache entry of an order file, which its model keeps as its `source_key`."""
    return cache_key("order", name, raw)


def _load_many(files: list[Path], names: list[str], root: Path,
               unreadable: Callable[[str, str], Loaded] | None = None, prove: bool = False) -> list[tuple[Loaded, str]]:
    """Each file is read once; cached ones are taken here, the rest checked (in two processes
    when there are many). Returns (result, content key) per file. With `prove`, each order
    checked here also gets its "Can I…?" tree proved beside it and cached (decide.proof_rows),
    for the callers that will ask for every tree next."""
    def cannot_read(name: str, reason: str) -> Loaded:
        return (None, 1, [Problem(name, 1, f"cannot read file: {reason}")])

    def store_with_proof(name: str, raw: bytes, entry: str, result: Loaded) -> list:
        from .decide import proof_rows

        if not entry:
            return []
        return [("orders", entry, result)] + (proof_rows(result[0]) if result[0] is not None else [])

    return read_through(root, "orders", files, names, order_key, load_order_bytes, unreadable or cannot_read,
                        store_with_proof if prove else None)


def load_library(root: Path, prove: bool = False) -> Library:
    """Read and check every order under `root/policy`; raise once with all problems. With
    `prove`, the "Can I…?" trees of the orders checked now are proved (and cached) while
    they are read: for `check` and `build`, which need every tree."""
    problems: list[Problem] = []
    orders: list[Order] = []
    files = order_files(root)
    if not files:
        raise RollcallError.at(display_path(root / "policy", root), 1, "no order files (*.yaml) found")
    first_seen: dict[str, str] = {}
    names = [display_path(path, root) for path in files]
    loaded = _load_many(files, names, root, prove=prove)
    entries = [entry for _, entry in loaded]
    for path, name, ((order, number_line, found), _) in zip(files, names, loaded):
        if order is None:
            problems += found
            continue
        if any(r.file for r in order.history):
            order, history_problems, history_entries = load_history(order, path, root)
            problems += history_problems
            entries += history_entries
        if order.number in first_seen:
            problems.append(Problem(name, number_line, f"number: order {order.number} is already defined in {first_seen[order.number]}"))
            continue
        first_seen[order.number] = f"{name}:{number_line}"
        orders.append(order)
    if problems:
        raise RollcallError(problems)
    fingerprint = cache_key("library", *entries)
    return Library(orders=tuple(sorted(orders, key=lambda order: natural_key(order.number))), fingerprint=fingerprint, cache_root=root)


def load_history(order: Order, path: Path, root: Path) -> tuple[Order, list[Problem], list[str]]:
    """Attach the text of each earlier revision kept in its own file (relative to the order's)."""
    problems: list[Problem] = []
    entries: list[str] = []
    revisions = []
    for revision in order.history:
        if not revision.file:
            revisions.append(revision)
            continue
        where = f"{revision.source.file}:{revision.source.line}"
        target = path.parent / revision.file
        name = display_path(target, root)

        def cannot_read(_: str, reason: str, revision: Revision = revision) -> Loaded:
            return (None, 1, [Problem(revision.source.file, revision.source.line, f"history: cannot read revision file {revision.file}: {reason}")])

        [((earlier, _, found), entry)] = _load_many([target], [name], root, cannot_read)
        if entry:
            entries.append(entry)
        if earlier is None:
            problems += found
            continue
        if earlier.number != order.number:
            problems.append(Problem(name, earlier.source.line, f"number: this revision is of order {earlier.number}, but {where} lists it in the history of order {order.number}"))
        elif earlier.effective != revision.effective:
            problems.append(Problem(name, earlier.source.line, f"effective: {earlier.revision} differs from {revision.revision} given for it at {where}"))
        elif earlier.history:
            problems.append(Problem(name, earlier.history[0].source.line, "history: an earlier revision's file holds that revision only; list the history in the current order's file"))
        else:
            revisions.append(replace(revision, order=earlier))
    return replace(order, history=tuple(revisions)), problems, entries


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _paragraphs(text: str | None) -> str | None:
    if text is None:
        return None
    return "\n\n".join(" ".join(p.split()) for p in text.strip().split("\n\n") if p.strip())


def condition(mapping: dict | None) -> Condition:
    if not mapping:
        return ()
    return tuple((name, (value,) if isinstance(value, str) else tuple(value)) for name, value in mapping.items())


def build_rules(unit: LocatedMap, citation: str, file: str) -> tuple[Rule, ...]:
    return tuple(
        Rule(
            id=r.get("id", str(index + 1)),
            clause=citation,
            when=condition(r["when"]),
            verdict=r["verdict"],
            because=r["because"],
            source=Source(file, r.line),
            unless=condition(r.get("unless")),
            unless_because=r.get("unless_because"),
        )
        for index, r in enumerate(unit.get("rules", []))
    )


def build_facts(doc: LocatedMap, file: str) -> tuple[Fact, ...]:
    facts = doc.get("facts") or {}
    return tuple(
        Fact(name=name, question=spec["question"], values=tuple(spec["values"].items()), source=Source(file, facts.line_of(name)))
        for name, spec in facts.items()
    )


def build_order(doc: LocatedMap, file: str, source_key: str = "") -> Order:
    """Model a document that passed validation."""
    number = doc["number"]
    sections = []
    for s in doc["sections"]:
        cite = f"{number}.{s['number']}"
        definitions = tuple(
            Definition(
                term=d["term"].strip(),
                text=_paragraphs(d["text"]) or "",
                anchor=f"{cite}.{slugify(d['term'])}",
                source=Source(file, d.line),
                also=tuple(d.get("also", ())),
            )
            for d in s.get("definitions", [])
        )
        clauses = []
        for c in s.get("clauses", []):
            c_cite = f"{cite}.{c['letter']}"
            items = tuple(
                Item(
                    number=i["number"],
                    text=_paragraphs(i["text"]) or "",
                    citation=f"{c_cite}.{i['number']}",
                    source=Source(file, i.line),
                    label=i.get("label"),
                    keywords=tuple(i.get("keywords", ())),
                    rules=build_rules(i, f"{c_cite}.{i['number']}", file),
                )
                for i in c.get("items", [])
            )
            clauses.append(
                Clause(
                    letter=c["letter"],
                    text=_paragraphs(c["text"]) or "",
                    citation=c_cite,
                    source=Source(file, c.line),
                    heading=c.get("heading"),
                    label=c.get("label"),
                    keywords=tuple(c.get("keywords", ())),
                    items=items,
                    rules=build_rules(c, c_cite, file),
                )
            )
        sections.append(
            Section(
                number=s["number"],
                heading=s["heading"],
                citation=cite,
                source=Source(file, s.line),
                text=_paragraphs(s.get("text")),
                keywords=tuple(s.get("keywords", ())),
                definitions=definitions,
                clauses=tuple(clauses),
                rules=build_rules(s, cite, file),
            )
        )
    return Order(
        number=number,
        title=doc["title"],
        effective=dt.date.fromisoformat(doc["effective"]),
        sections=tuple(sections),
        source=Source(file, doc.line),
        agency=doc.get("agency"),
        series=doc.get("series"),
        review=_date(doc.get("review")),
        action=doc.get("action"),
        action_dated=_date(doc.get("action_dated")),
        authority=doc.get("authority"),
        calea_standards=tuple(doc.get("calea_standards", ())),
        total_pages=doc.get("total_pages"),
        facts=build_facts(doc, file),
        source_key=source_key,
        history=tuple(
            Revision(effective=dt.date.fromisoformat(r["effective"]), source=Source(file, r.line), note=r.get("note"), file=r.get("file"))
            for r in doc.get("history", [])
        ),
    )
