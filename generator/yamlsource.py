"""Read YAML so that every mapping and list remembers the line it (and each key) came from.

Plain YAML loaders forget where a value was written and silently keep the last of two
duplicate keys; Rollcall reports both as `file:line` problems instead.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator

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
_MISSING = object()
_BUILD = {
    "tag:yaml.org,2002:int": _SCALARS.construct_yaml_int,
    "tag:yaml.org,2002:float": _SCALARS.construct_yaml_float,
    "tag:yaml.org,2002:bool": _SCALARS.construct_yaml_bool,
}
_IMPLICIT = yaml.resolver.Resolver.yaml_implicit_resolvers
"""First character -> the implicit types a plain scalar starting with it may have."""
_MAY_BE_TYPED = frozenset(first for first, resolvers in _IMPLICIT.items() if first and resolvers)
"""The first characters of plain scalars that may be something other than text (any may be,
should a resolver ever be registered for every first character, or the scalar be empty)."""
_EVERY_FIRST = bool(_IMPLICIT.get(None))
_PLAIN: dict[str, Any] = {}
"""Short plain scalars already resolved -> their values (all immutable): the same few keys
and values recur thousands of times in a department's files."""


def _plain(value: str) -> Any:
    """A plain (unquoted) scalar that may be typed (its first character one of _MAY_BE_TYPED,
    or empty: the reader keeps all other plain scalars as text without asking), as the full
    loader constructs it: tags resolved by PyYAML's own resolver, dates kept as text; a tag it
    does not build here is unusual."""
    tag = _RESOLVER.resolve(yaml.ScalarNode, value, (True, False))
    if tag in ("tag:yaml.org,2002:str", "tag:yaml.org,2002:timestamp"):
        built: Any = value
    elif tag == "tag:yaml.org,2002:null":
        built = None
    elif tag in _BUILD:
        built = _BUILD[tag](yaml.ScalarNode(tag, value))
    else:
        raise _Unusual
    if len(value) <= 40 and len(_PLAIN) < 10_000:
        _PLAIN[value] = built
    return built


# libyaml's binding (PyYAML's `_yaml` module) makes a Python event object, with five or six
# attributes set by a Python `__init__`, for each of the hundreds of thousands of events a
# department's files give; the quick reader needs two or three values of each. While it reads,
# the binding is given these makers instead, which return plain tuples: (kind, line, …). Only
# the event-level API (`CParser.get_event`, used by nothing else here) calls them: the C
# loaders compose their nodes without event objects.
_SCALAR, _MAPPING, _SEQUENCE, _END, _DOCUMENT_END, _STREAM_END, _OTHER = range(7)
_END_EVENT, _DOCUMENT_END_EVENT, _STREAM_END_EVENT, _OTHER_EVENT = (_END,), (_DOCUMENT_END,), (_STREAM_END,), (_OTHER,)
_TUPLE_EVENTS: dict[str, Any] = {
    "ScalarEvent": lambda anchor, tag, implicit, value, start, end, style:
        (_SCALAR, start.line, value, implicit[0], anchor is not None or tag is not None),
    "MappingStartEvent": lambda anchor, tag, implicit, start, end, flow_style:
        (_MAPPING, start.line, anchor is not None or not implicit),
    "SequenceStartEvent": lambda anchor, tag, implicit, start, end, flow_style:
        (_SEQUENCE, start.line, anchor is not None or not implicit),
    "MappingEndEvent": lambda start, end: _END_EVENT,
    "SequenceEndEvent": lambda start, end: _END_EVENT,
    "DocumentEndEvent": lambda start, end, explicit=None: _DOCUMENT_END_EVENT,
    "DocumentStartEvent": lambda *args, **kwargs: _OTHER_EVENT,
    "StreamStartEvent": lambda *args, **kwargs: _OTHER_EVENT,
    "StreamEndEvent": lambda *args, **kwargs: _STREAM_END_EVENT,
    "AliasEvent": lambda *args, **kwargs: _OTHER_EVENT,
}
_TUPLES_LOCK = threading.Lock()


def _binding() -> Any:
    """PyYAML's libyaml binding, if it has the event names the quick reader replaces."""
    try:
        from yaml import _yaml as binding
    except ImportError:  # pragma: no cover - libyaml missing
        return None
    return binding if all(hasattr(binding, name) for name in _TUPLE_EVENTS) else None


_YAML_BINDING = _binding()


@contextmanager
def _tuple_events() -> Iterator[None]:
    binding = _YAML_BINDING
    with _TUPLES_LOCK:
        saved = {name: getattr(binding, name) for name in _TUPLE_EVENTS}
        for name, maker in _TUPLE_EVENTS.items():
            setattr(binding, name, maker)
        try:
            yield
        finally:
            for name, original in saved.items():
                setattr(binding, name, original)


def _quick_load(text: str) -> Any:
    """The same located values as `yaml.load(text, Loader=_Loader)`, read from libyaml's events
    without building a node tree; anything unusual (anchors, aliases, tags, merge keys, complex
    or duplicate keys, several documents, a syntax error) raises _Unusual, for the full loader."""
    if _CParser is None or _YAML_BINDING is None:  # pragma: no cover - libyaml missing
        raise _Unusual
    with _tuple_events():
        return _read_events(_CParser(text).get_event)


def _read_events(get: Callable[[], tuple]) -> Any:
    """The document from a stream of tuple events (see _TUPLE_EVENTS). The loop is written for
    speed: it runs once per scalar of every file a check reads."""
    get()  # stream start
    if get() is _STREAM_END_EVENT:  # an empty stream; otherwise a document starts
        return None
    plain_get, no_key, missing, may_be_typed = _PLAIN.get, _NO_KEY, _MISSING, _MAY_BE_TYPED
    every_first = _EVERY_FIRST
    document: Any = None
    stack: list[tuple[Any, Any, Any]] = []
    current: Any = None  # the open mapping or list, or None at the top
    lines: Any = None  # its key_lines (a mapping) or item_lines (a list)
    in_mapping = False
    key: Any = no_key
    while True:
        event = get()
        kind = event[0]
        if kind == _SCALAR:
            _, line, value, plain, unusual = event
            if unusual:
                raise _Unusual
            if plain:
                built = plain_get(value, missing)
                if built is not missing:
                    value = built
                elif value[:1] in may_be_typed or not value or every_first:
                    value = _plain(value)
            line += 1
        elif kind == _END:
            value = current
            line = value.line
            current, lines, key = stack.pop()
            in_mapping = type(current) is LocatedMap
        elif kind == _MAPPING or kind == _SEQUENCE:
            if event[2]:
                raise _Unusual
            stack.append((current, lines, key))
            if kind == _MAPPING:
                current = LocatedMap()
                lines = current.key_lines = {}
                in_mapping = True
            else:
                current = LocatedList()
                lines = current.item_lines = []
                in_mapping = False
            current.line = event[1] + 1
            key = no_key
            continue
        elif kind == _DOCUMENT_END:
            break
        else:  # an alias
            raise _Unusual
        if current is None:
            document = value
        elif in_mapping:
            if key is no_key:
                if type(value) is not str:
                    if isinstance(value, (LocatedMap, LocatedList)):
                        raise _Unusual
                    value = str(value)
                if value in lines:
                    raise _Unusual
                lines[value] = line
                key = value
            else:
                current[key] = value
                key = no_key
        else:
            current.append(value)
            lines.append(line)
    if get() is not _STREAM_END_EVENT:  # a second document
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
