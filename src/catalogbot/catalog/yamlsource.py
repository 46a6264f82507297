"""Read YAML text into plain values, remembering where every key and value was written.

PyYAML's own loaders keep the last of two equal keys without a word, expand aliases
(a few lines of anchors can stand for billions of nodes), recurse once per nesting
level, and resolve YAML 1.1 scalars, so that a title such as ``No`` becomes ``False``.
A catalog arrives in pull requests from strangers and is edited by people who are
not programmers, so this module walks libyaml's event stream itself: iteratively,
with limits on depth and size, refusing aliases and application tags, reporting
duplicate keys, and resolving plain scalars by the YAML 1.2 core schema.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml

from catalogbot.catalog.problems import Position, Problem

try:  # libyaml's parser is several times faster; the pure-Python one gives the same events
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - libyaml is in every wheel we install
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

Path = tuple[str | int, ...]

MAX_DEPTH = 64
"""Deepest nesting accepted; a catalog needs about six levels."""

MAX_NODES = 2_000_000
"""Most nodes accepted in one document (a 10,000-resource catalog has about 100,000)."""

_CORE_TAG = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {f"{_CORE_TAG}{name}" for name in ("str", "int", "float", "bool", "null")}
_COLLECTION_TAGS = {f"{_CORE_TAG}map", f"{_CORE_TAG}seq", f"{_CORE_TAG}omap"}

_NULL = {"", "~", "null", "Null", "NULL"}
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}
_INT = re.compile(r"[-+]?[0-9]+\Z")
_OCT = re.compile(r"0o[0-7]+\Z")
_HEX = re.compile(r"0x[0-9a-fA-F]+\Z")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\Z")
_INF = re.compile(r"[-+]?\.(inf|Inf|INF)\Z")
_NAN = re.compile(r"\.(nan|NaN|NAN)\Z")


@dataclass
class Document:
    """A YAML document as plain values, with where each part of it was written."""

    data: Any
    values: dict[Path, Position] = field(default_factory=dict)
    """Where the value at each path starts."""
    keys: dict[Path, Position] = field(default_factory=dict)
    """Where the key of each mapping entry is written (the path names the entry)."""
    problems: list[Problem] = field(default_factory=list)
    """Problems that did not stop the reading, such as a duplicate key (the first is kept)."""
    ends: dict[Path, Position] = field(default_factory=dict)
    """Where each scalar value ends (just after its last character or closing quote)."""

    def position(self, path: Path) -> Position:
        """The best position for a problem at ``path``: the value, else its nearest ancestor."""
        for end in range(len(path), -1, -1):
            found = self.values.get(path[:end])
            if found is not None:
                return found
        return Position(1, 1)

    def key_position(self, path: Path) -> Position:
        """Where the key naming ``path`` is written, else the best position for its value."""
        return self.keys.get(path) or self.position(path)


class YamlError(Exception):
    """The text is not YAML this reader accepts; ``problems`` says where and why."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems


def _position(mark: Any) -> Position:
    return Position(mark.line + 1, mark.column + 1)


def _position_of_offset(text: str, offset: int) -> Position:
    line = text.count("\n", 0, offset) + 1
    return Position(line, offset - (text.rfind("\n", 0, offset) + 1) + 1)


def resolve_plain(value: str) -> Any:
    """Resolve an untagged plain scalar by the YAML 1.2 core schema."""
    if value in _NULL:
        return None
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    if _INT.match(value):
        return int(value)
    if _OCT.match(value):
        return int(value[2:], 8)
    if _HEX.match(value):
        return int(value[2:], 16)
    if _FLOAT.match(value):
        return float(value)
    if _INF.match(value):
        return float("-inf") if value.startswith("-") else float("inf")
    if _NAN.match(value):
        return float("nan")
    return value


def _scalar(event: yaml.ScalarEvent) -> Any:
    tag = event.tag
    if tag in (None, "!"):
        return resolve_plain(event.value) if event.style == "" and tag is None else event.value
    if tag == f"{_CORE_TAG}str":
        return event.value
    value = resolve_plain(event.value)
    kind = tag.removeprefix(_CORE_TAG)
    number = isinstance(value, int | float) and not isinstance(value, bool)
    fits = {
        "int": number and isinstance(value, int),
        "float": number,
        "bool": isinstance(value, bool),
        "null": value is None,
    }
    if not fits[kind]:
        raise _RefusedError(f"{event.value!r} is not a valid !!{kind}", _position(event.start_mark))
    return float(value) if kind == "float" else value


class _RefusedError(Exception):
    def __init__(self, message: str, where: Position) -> None:
        super().__init__(message)
        self.problem = Problem(where, message)


@dataclass
class _Frame:
    container: dict[str, Any] | list[Any]
    path: Path
    key: str | None = None
    """For a mapping: the key whose value comes next, once read."""
    dropping: bool = False
    """For a mapping: the next value belongs to a duplicate key and is read, then dropped."""


def _check_tag(tag: str | None, allowed: set[str], where: Position) -> None:
    if tag not in (None, "!") and tag not in allowed:
        raise _RefusedError(
            f"the YAML tag {tag!r} is not allowed in a catalog; "
            "remove it and write the value plainly",
            where,
        )


class _Builder:
    """Turns libyaml events into values; one instance per document."""

    def __init__(self, document: Document) -> None:
        self.doc = document
        self.stack: list[_Frame] = []
        self.nodes = 0
        self.problems = document.problems
        self.root_set = False

    def _expects_key(self) -> bool:
        if not self.stack:
            return False
        top = self.stack[-1]
        return isinstance(top.container, dict) and top.key is None and not top.dropping

    def _key(self, frame: _Frame, key: str, where: Position) -> None:
        path = (*frame.path, key)
        assert isinstance(frame.container, dict)
        first = self.doc.keys.get(path)
        if first is not None:
            self.problems.append(
                Problem(
                    where,
                    f"duplicate key {key!r} (first written at line {first.line}); "
                    "YAML would silently keep only the last one",
                )
            )
            frame.dropping = True
        else:
            frame.key = key
            self.doc.keys[path] = where

    def _place(self, value: Any, where: Position) -> Path:
        """Attach a finished or newly opened value to its parent; return its path."""
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise _RefusedError(
                f"the document has more than {MAX_NODES:,} values; refusing it", where
            )
        if not self.stack:
            self.doc.data = value
            self.root_set = True
            self.doc.values[()] = where
            return ()
        frame = self.stack[-1]
        if isinstance(frame.container, list):
            path: Path = (*frame.path, len(frame.container))
            frame.container.append(value)
        elif frame.dropping:
            frame.dropping = False
            return (*frame.path, f"\0dropped {self.nodes}")
        else:
            assert frame.key is not None
            path = (*frame.path, frame.key)
            frame.container[frame.key] = value
            frame.key = None
        self.doc.values[path] = where
        return path

    def _open(self, container: dict[str, Any] | list[Any], where: Position) -> None:
        if len(self.stack) >= MAX_DEPTH:
            raise _RefusedError(
                f"the document nests deeper than {MAX_DEPTH} levels; refusing it", where
            )
        if self._expects_key():
            raise _RefusedError("a mapping key must be plain text, not a list or mapping", where)
        self.stack.append(_Frame(container, self._place(container, where)))

    def feed(self, event: yaml.Event) -> None:
        if isinstance(event, yaml.AliasEvent):
            raise _RefusedError(
                f"aliases (*{event.anchor}) are not allowed in a catalog; "
                "write the value out in full",
                _position(event.start_mark),
            )
        if isinstance(event, yaml.ScalarEvent):
            where = _position(event.start_mark)
            _check_tag(event.tag, _ALLOWED_TAGS, where)
            if self._expects_key():
                self.nodes += 1
                self._key(self.stack[-1], event.value, where)
            else:
                self.doc.ends[self._place(_scalar(event), where)] = _position(event.end_mark)
        elif isinstance(event, yaml.MappingStartEvent):
            where = _position(event.start_mark)
            _check_tag(event.tag, _COLLECTION_TAGS, where)
            self._open({}, where)
        elif isinstance(event, yaml.SequenceStartEvent):
            where = _position(event.start_mark)
            _check_tag(event.tag, _COLLECTION_TAGS, where)
            self._open([], where)
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            self.stack.pop()


def _events(text: str) -> Iterator[yaml.Event]:
    loader = _Loader(text)
    try:
        while loader.check_event():
            event = loader.get_event()
            if event is not None:
                yield event
    finally:
        loader.dispose()


def _syntax_problem(text: str, error: yaml.YAMLError) -> Problem:
    if isinstance(error, yaml.reader.ReaderError):
        where = _position_of_offset(text, error.position)
        char = error.character
        code = ord(char) if isinstance(char, str) else int(char)
        return Problem(where, f"character #x{code:04x} is not allowed in YAML; remove it")
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    where = _position(mark) if mark is not None else Position(1, 1)
    problem = getattr(error, "problem", None) or str(error)
    context = getattr(error, "context", None)
    message = f"YAML syntax error: {problem}" + (f" ({context})" if context else "")
    if "nesting depth" in problem:
        message = f"the document nests deeper than {MAX_DEPTH} levels; refusing it"
    return Problem(where, message)


def _tab_problems(text: str) -> list[Problem]:
    problems = []
    for number, line in enumerate(text.split("\n"), start=1):
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        if "\t" in indent and line.strip():
            problems.append(
                Problem(
                    Position(number, indent.index("\t") + 1),
                    "a tab is used for indentation; YAML indents with spaces only",
                )
            )
    return problems


def read_yaml(text: str) -> Document:
    """Parse one YAML document; raise YamlError when it cannot be read at all.

    Problems that leave the document readable (a duplicate key, whose first value is
    kept) are listed in ``Document.problems`` instead, so they are reported together
    with everything else that is wrong.
    """
    doc = Document(data=None)
    builder = _Builder(doc)
    documents = 0
    # The parser allocates one object per event; the cyclic garbage collector, run on
    # every few hundred allocations, would otherwise cost several times the parse itself.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        for event in _events(text):
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise _RefusedError(
                        "the file holds more than one YAML document (a second '---'); "
                        "a catalog is one document",
                        _position(event.start_mark),
                    )
            else:
                builder.feed(event)
    except _RefusedError as refused:
        raise YamlError([*builder.problems, refused.problem]) from None
    except yaml.YAMLError as error:
        tabs = _tab_problems(text)
        raise YamlError(tabs or [_syntax_problem(text, error)]) from None
    finally:
        if was_enabled:
            gc.enable()
    if not builder.root_set:
        raise YamlError([Problem(Position(1, 1), "the catalog is empty")])
    return doc
