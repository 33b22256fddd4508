"""Read YAML so that every mapping and list remembers the line it (and each key) came from.

Plain YAML loaders forget where a value was written and silently keep the last of two
duplicate keys; Rollcall reports both as `file:line` problems instead.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import Problem, RollcallError

try:  # the C parser is several times faster; the pure-Python one behaves the same
    _BaseLoader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - libyaml missing
    _BaseLoader = yaml.SafeLoader  # type: ignore[misc]


class LocatedMap(dict):
    """A YAML mapping with the line of the mapping and of each of its keys (1-based)."""

    line: int = 0
    key_lines: dict

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class LocatedList(list):
    """A YAML sequence with its own line and the line of each item (1-based)."""

    line: int = 0
    item_lines: list

    def line_of(self, index: int) -> int:
        return self.item_lines[index] if 0 <= index < len(self.item_lines) else self.line


class _DuplicateKey(Exception):
    def __init__(self, key: str, line: int, first: int):
        self.key, self.line, self.first = key, line, first


class _Loader(_BaseLoader):  # type: ignore[misc,valid-type]
    pass


def _construct_map(loader: _Loader, node: yaml.MappingNode) -> LocatedMap:
    result = LocatedMap()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        key_line = key_node.start_mark.line + 1
        if not isinstance(key, str):
            key = str(key)
        if key in result.key_lines:
            raise _DuplicateKey(key, key_line, result.key_lines[key])
        result.key_lines[key] = key_line
        result[key] = loader.construct_object(value_node, deep=True)
    return result


def _construct_seq(loader: _Loader, node: yaml.SequenceNode) -> LocatedList:
    result = LocatedList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


def _construct_timestamp_as_text(loader: _Loader, node: yaml.ScalarNode) -> str:
    """Dates stay text here; validation parses them and reports bad ones with their line."""
    return loader.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_map)
_Loader.add_constructor("tag:yaml.org,2002:seq", _construct_seq)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp_as_text)


def read_yaml(path: Path, display: str | None = None) -> Any:
    """Parse one YAML file; any syntax problem becomes a RollcallError with file and line."""
    name = display or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise RollcallError.at(name, 1, f"not UTF-8 text ({exc.reason})") from None
    except OSError as exc:
        raise RollcallError.at(name, 1, f"cannot read file: {exc.strerror}") from None
    return parse_yaml(text, name)


def parse_yaml(text: str, name: str) -> Any:
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except _DuplicateKey as exc:
        raise RollcallError.at(
            name, exc.line, f"duplicate key '{exc.key}' (first at line {exc.first})"
        ) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        what = exc.problem or "malformed YAML"
        if exc.context:
            what = f"{what} ({exc.context})"
        raise RollcallError([Problem(name, line, f"malformed YAML: {what}")]) from None
    except yaml.YAMLError as exc:
        raise RollcallError.at(name, 1, f"malformed YAML: {exc}") from None
