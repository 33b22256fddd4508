"""Check raw order documents: JSON Schema for their shape, then ids, dates and references.

Every problem is collected with its file and line before anything is raised.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import marshal
import os
import re
import sys
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

import fastjsonschema

from .errors import Problem
from .yamlsource import LocatedList, LocatedMap

SCHEMAS = Path(__file__).parent / "schemas"


@lru_cache(maxsize=None)
def validator(name: str) -> Any:
    """A jsonschema validator, imported only when a document is invalid (it is slow to load)."""
    import jsonschema

    schema = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def line_at(document: Any, path: Iterable[Any]) -> int:
    """The line of the node at `path`: the key's own line for a mapping entry."""
    node, line = document, getattr(document, "line", 1)
    for step in path:
        if isinstance(node, LocatedMap) and step in node:
            line = node.line_of(step)
            node = node[step]
        elif isinstance(node, LocatedList) and isinstance(step, int) and step < len(node):
            line = node.line_of(step)
            node = node[step]
        else:
            break
    return line


def json_path(path: Iterable[Any]) -> str:
    out = ""
    for step in path:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else str(step))
    return out


@lru_cache(maxsize=None)
def fast_validator(name: str) -> Any:
    """The schema compiled to Python: tells valid from invalid quickly (no explanations).

    fastjsonschema writes the validator as Python source; its bytecode is kept beside the
    schemas, in __pycache__ as Python keeps a module's, under a hash of the schema, the
    fastjsonschema version and the Python version, so later runs load it instead of generating
    and compiling it again (a tenth of a second per schema). A folder that cannot be written
    only costs that time."""
    text = (SCHEMAS / name).read_text(encoding="utf-8")
    digest = hashlib.sha256("\0".join((text, fastjsonschema.VERSION, sys.version, _NAMED_PART.pattern)).encode()).hexdigest()[:16]
    kept = SCHEMAS / "__pycache__" / f"{name}.{digest}.marshal"
    try:
        entry, code = marshal.loads(kept.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        source = _NAMED_PART.sub(r"\1name_prefix)", fastjsonschema.compile_to_code(json.loads(text)))
        entry = re.search(r"^def (\w+)\(", source, re.M).group(1)  # the schema's own function comes first
        code = compile(source, f"<{name} validator>", "exec")
        _keep(kept, marshal.dumps((entry, code)))
        for stale in kept.parent.glob(f"{name}.*.marshal"):
            if stale != kept:
                try:
                    stale.unlink()
                except OSError:
                    pass
    namespace: dict[str, Any] = {}
    exec(code, namespace)  # noqa: S102 - generated from our own schema by fastjsonschema
    return namespace[entry]


_NAMED_PART = re.compile(r'(custom_formats, )\(name_prefix or "data"\) \+ "[^"\n]*"\.format\(\*\*locals\(\)\)\)')
"""How fastjsonschema's code names each part of a list or mapping it validates, for its error
messages: `locals()` formatted into a string at every part, valid or not. The yes-or-no gate
never shows those messages (jsonschema words the problems), so its parts go unnamed."""


def _keep(path: Path, data: bytes) -> None:
    try:
        path.parent.mkdir(exist_ok=True)
        handle, temp = tempfile.mkstemp(dir=path.parent)
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temp, path)
    except OSError:
        pass


def schema_problems(document: Any, schema: str, file: str) -> list[Problem]:
    """Every way `document` breaks the JSON Schema, worded for a person, with lines.

    Valid documents (nearly all of them) pass the compiled validator only; jsonschema, slower
    but able to list and locate every error, runs when something is wrong.
    """
    try:
        fast_validator(schema)(document)
        return []
    except fastjsonschema.JsonSchemaException:
        pass
    problems = []
    for error in validator(schema).iter_errors(document):
        path = list(error.absolute_path)
        where = json_path(path)
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            allowed = set(error.schema.get("properties", {}))
            for key in error.instance:
                if key not in allowed:
                    line = line_at(document, path + [key])
                    name = json_path(path + [key])
                    known = ", ".join(sorted(allowed))
                    problems.append(Problem(file, line, f"{name}: unknown key '{key}' (known keys: {known})"))
            continue
        line = line_at(document, path)
        if error.validator == "required":
            missing = error.message.split("'")[1]
            prefix = f"{where}: " if where else ""
            message = f"{prefix}missing required field '{missing}'"
        elif error.validator == "pattern" and error.schema.get("pattern", "").startswith("^[0-9]{4}"):
            message = f"{where}: bad date {error.instance!r}: expected YYYY-MM-DD"
        elif error.validator == "type":
            message = f"{where}: expected {error.validator_value}, got {type(error.instance).__name__} {error.instance!r}"
        elif error.validator == "enum":
            choices = ", ".join(map(str, error.validator_value))
            message = f"{where}: {error.instance!r} is not one of: {choices}"
        else:
            message = f"{where}: {error.message}" if where else error.message
        problems.append(Problem(file, line, message))
    return problems


def date_problems(document: LocatedMap, keys: Iterable[str], file: str) -> list[Problem]:
    problems = []
    for key in keys:
        value = document.get(key)
        if isinstance(value, str):
            try:
                dt.date.fromisoformat(value)
            except ValueError as exc:
                problems.append(Problem(file, document.line_of(key), f"{key}: bad date {value!r}: {exc}"))
    return problems


def order_problems(document: Any, file: str) -> list[Problem]:
    """All problems of one order document; an empty list means it can be modelled."""
    if not isinstance(document, LocatedMap):
        kind = "empty file" if document is None else f"a {type(document).__name__}"
        return [Problem(file, getattr(document, "line", 1), f"expected an order (a mapping of header fields and sections), found {kind}")]
    problems = schema_problems(document, "order.schema.json", file)
    if problems:
        return problems
    problems += date_problems(document, ("effective", "review", "action_dated"), file)
    number = document["number"]
    sections_seen: dict[str, int] = {}
    for s_index, section in enumerate(document["sections"]):
        cite = f"{number}.{section['number']}"
        problems += _duplicate(sections_seen, section["number"], cite, section.line_of("number"), file)
        problems += rule_problems(section, cite, document.get("facts") or {}, file)
        clauses_seen: dict[str, int] = {}
        for clause in section.get("clauses", []):
            c_cite = f"{cite}.{clause['letter']}"
            problems += _duplicate(clauses_seen, clause["letter"], c_cite, clause.line_of("letter"), file)
            problems += rule_problems(clause, c_cite, document.get("facts") or {}, file)
            items_seen: dict[str, int] = {}
            for item in clause.get("items", []):
                i_cite = f"{c_cite}.{item['number']}"
                problems += _duplicate(items_seen, str(item["number"]), i_cite, item.line_of("number"), file)
                problems += rule_problems(item, i_cite, document.get("facts") or {}, file)
        terms_seen: dict[str, int] = {}
        for definition in section.get("definitions", []):
            term = definition["term"]
            problems += _duplicate(terms_seen, term.lower(), f"{cite} term '{term}'", definition.line_of("term"), file)
    if "review" in document and not problems:
        if dt.date.fromisoformat(document["review"]) < dt.date.fromisoformat(document["effective"]):
            problems.append(Problem(file, document.line_of("review"), f"review: review date {document['review']} is before the effective date {document['effective']}"))
    problems += history_problems(document, file)
    if document.get("action") in ("amends", "rescinds") and "action_dated" not in document:
        problems.append(Problem(file, document.line_of("action"), f"action: an order that {document['action']} another needs 'action_dated', the date of that order"))
    return problems


def history_problems(document: LocatedMap, file: str) -> list[Problem]:
    """Earlier revisions come oldest first, each strictly after the one before, all before this one."""
    history = document.get("history") or []
    problems: list[Problem] = []
    previous: tuple[dt.date, int] | None = None
    dates: dict[dt.date, int] = {}
    for revision in history:
        line = revision.line_of("effective")
        try:
            effective = dt.date.fromisoformat(revision["effective"])
        except ValueError as exc:
            problems.append(Problem(file, line, f"history: bad date {revision['effective']!r}: {exc}"))
            continue
        if effective in dates:
            problems.append(Problem(file, line, f"history: two revisions take effect on {effective.isoformat()} (the other at line {dates[effective]})"))
        elif previous is not None and effective < previous[0]:
            problems.append(Problem(file, line, f"history: revision effective {effective.isoformat()} precedes the revision before it ({previous[0].isoformat()}, line {previous[1]}); list revisions oldest first"))
        dates.setdefault(effective, line)
        previous = (effective, line)
        if "file" not in revision and "note" not in revision:
            problems.append(Problem(file, revision.line, "history: a revision needs 'file' (its text) or 'note' (why its text is not held)"))
    try:
        current = dt.date.fromisoformat(document["effective"])
    except ValueError:
        return problems
    for effective, line in dates.items():
        if effective == current:
            problems.append(Problem(file, line, f"history: a revision takes effect on {effective.isoformat()}, the same day as the current one"))
        elif effective > current:
            problems.append(Problem(file, line, f"history: revision effective {effective.isoformat()} is later than the current revision ({current.isoformat()}); the newest revision belongs at the top of the file"))
    return problems


def _duplicate(seen: dict[str, int], key: str, citation: str, line: int, file: str) -> list[Problem]:
    if key in seen:
        return [Problem(file, line, f"duplicate id '{citation}' (first at line {seen[key]})")]
    seen[key] = line
    return []


def rule_problems(unit: LocatedMap, citation: str, facts: LocatedMap, file: str) -> list[Problem]:
    """Rules may name only declared facts and their declared values; ids unique per clause."""
    problems: list[Problem] = []
    ids: dict[str, int] = {}
    for index, rule in enumerate(unit.get("rules", [])):
        problems += _duplicate(ids, rule.get("id", str(index + 1)), f"{citation} rule {rule.get('id', index + 1)}", rule.line, file)
        for part in ("when", "unless"):
            for name, value in (rule.get(part) or {}).items():
                line = rule[part].line_of(name)
                if name not in facts:
                    known = ", ".join(facts) or "none declared"
                    problems.append(Problem(file, line, f"{citation} rule {part}: unknown fact '{name}' (facts: {known})"))
                    continue
                allowed = facts[name]["values"]
                for v in [value] if isinstance(value, str) else value:
                    if v not in allowed:
                        problems.append(Problem(file, line, f"{citation} rule {part}: '{v}' is not a value of fact '{name}' ({', '.join(allowed)})"))
    return problems
