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
    from yaml.cyaml import CParser as _CParser

    _BaseLoader = yaml.CSafeLoader
except (ImportError, AttributeError):  # pragma: no cover - libyaml missing
    _CParser = None
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


class _Unusual(Exception):
    """Something the quick reader leaves to the full loader."""


_RESOLVER = yaml.resolver.Resolver()
_SCALARS = yaml.constructor.SafeConstructor()
_NO_KEY = object()
_PLAIN_TAGS: dict[str, str] = {}
_BUILD = {
    "tag:yaml.org,2002:int": _SCALARS.construct_yaml_int,
    "tag:yaml.org,2002:float": _SCALARS.construct_yaml_float,
    "tag:yaml.org,2002:bool": _SCALARS.construct_yaml_bool,
}


def _scalar(event: Any) -> Any:
    """A scalar as the full loader constructs it: tags resolved by PyYAML's own resolver, dates
    kept as text. Explicit tags, anchors and merge keys are unusual."""
    if event.tag is not None or event.anchor is not None:
        raise _Unusual
    value = event.value
    if not event.implicit[0]:  # quoted: always a string
        return value
    tag = _PLAIN_TAGS.get(value)
    if tag is None:
        tag = _RESOLVER.resolve(yaml.ScalarNode, value, event.implicit)
        if len(value) <= 40 and len(_PLAIN_TAGS) < 10_000:
            _PLAIN_TAGS[value] = tag
    if tag in ("tag:yaml.org,2002:str", "tag:yaml.org,2002:timestamp"):
        return value
    if tag == "tag:yaml.org,2002:null":
        return None
    build = _BUILD.get(tag)
    if build is None:
        raise _Unusual
    return build(yaml.ScalarNode(tag, value))


def _quick_load(text: str) -> Any:
    """The same located values as `yaml.load(text, Loader=_Loader)`, read from libyaml's events
    without building a node tree; anything unusual (anchors, aliases, tags, merge keys, complex
    or duplicate keys, several documents, a syntax error) raises _Unusual, for the full loader."""
    if _CParser is None:  # pragma: no cover - libyaml missing
        raise _Unusual
    get = _CParser(text).get_event
    get()  # stream start
    if type(get()) is yaml.StreamEndEvent:
        return None
    document: Any = None
    stack: list[tuple[Any, Any]] = []
    current: Any = None
    key: Any = _NO_KEY
    while True:
        event = get()
        kind = type(event)
        if kind is yaml.ScalarEvent:
            value, line = _scalar(event), event.start_mark.line + 1
        elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
            if event.anchor is not None or not event.implicit:
                raise _Unusual
            container: Any = LocatedMap() if kind is yaml.MappingStartEvent else LocatedList()
            container.line = event.start_mark.line + 1
            if kind is yaml.MappingStartEvent:
                container.key_lines = {}
            else:
                container.item_lines = []
            stack.append((current, key))
            current, key = container, _NO_KEY
            continue
        elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            value = current
            line = value.line
            current, key = stack.pop()
        elif kind is yaml.DocumentEndEvent:
            break
        else:  # an alias
            raise _Unusual
        if current is None:
            document = value
        elif type(current) is LocatedMap:
            if key is _NO_KEY:
                if isinstance(value, (LocatedMap, LocatedList)):
                    raise _Unusual
                key = value if isinstance(value, str) else str(value)
                if key in current.key_lines:
                    raise _Unusual
                current.key_lines[key] = line
            else:
                current[key] = value
                key = _NO_KEY
        else:
            current.append(value)
            current.item_lines.append(line)
    if type(get()) is not yaml.StreamEndEvent:
        raise _Unusual
    return document


def parse_yaml(text: str, name: str) -> Any:
    try:
        return _quick_load(text)
    except (_Unusual, yaml.YAMLError):
        pass  # the full loader reads it, or says exactly what is wrong
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
