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

from array import array
from collections.abc import Callable
from typing import Any

import yaml

from catalogbot.catalog.positions import Document, Node, pack
from catalogbot.catalog.problems import Position, Problem
from catalogbot.catalog.scalars import resolve_plain
from catalogbot.collector import paused_gc

try:  # libyaml's parser is several times faster; the pure-Python one gives the same events
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - libyaml is in every wheel we install
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_DEPTH = 64
"""Deepest nesting accepted; a catalog needs about six levels."""

MAX_NODES = 2_000_000
"""Most nodes accepted in one document (a 10,000-resource catalog has about 100,000)."""

_CORE_TAG = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {f"{_CORE_TAG}{name}" for name in ("str", "int", "float", "bool", "null")}
_COLLECTION_TAGS = {f"{_CORE_TAG}map", f"{_CORE_TAG}seq", f"{_CORE_TAG}omap"}


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


def _resolve(event: yaml.ScalarEvent) -> Any:
    try:
        return resolve_plain(event.value)
    except ValueError:  # Python refuses to read an int of more than 4,300 digits
        raise _RefusedError(
            f"a number of {len(event.value):,} digits is too long; put it in quotes if it is text",
            _position(event.start_mark),
        ) from None


def _scalar(event: yaml.ScalarEvent) -> Any:
    tag = event.tag
    if tag in (None, "!"):
        return _resolve(event) if event.style == "" and tag is None else event.value
    if tag == f"{_CORE_TAG}str":
        return event.value
    value = _resolve(event)
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


_FEW_KEYS = 16
"""Mappings with at most this many keys keep them as a (shared) tuple, searched in order."""


class _Frame:
    """A mapping or sequence being read."""

    __slots__ = ("children", "container", "dropping", "key", "key_mark", "keys", "marks", "slot")

    def __init__(self, container: dict[str, Any] | list[Any], slot: int) -> None:
        self.container = container
        self.slot = slot
        """Its entry's index in the parent; -1 when it is dropped or is the root."""
        self.marks: array[int] = array("Q")
        self.keys: dict[str, int] | None = {} if isinstance(container, dict) else None
        """For a mapping: each key read so far, to its entry's index."""
        self.children: list[Node | None] | None = None
        self.key: str | None = None
        """For a mapping: the key whose value comes next, once read."""
        self.key_mark = 0
        self.dropping = False
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
        self.shapes: dict[tuple[str, ...], tuple[str, ...]] = {}
        """Key tuples already seen: the entries of a catalog share a few shapes."""
        self.documents = 0
        self.names: dict[str, str] = {}
        """Mapping keys already seen, so that each is held once, not once per entry."""

    def _expects_key(self) -> bool:
        if not self.stack:
            return False
        top = self.stack[-1]
        return top.keys is not None and top.key is None and not top.dropping

    def _key(self, frame: _Frame, key: str, mark: Any) -> None:
        assert frame.keys is not None
        first = frame.keys.get(key)
        if first is not None:
            line = frame.marks[3 * first + 1] >> 32
            self.problems.append(
                Problem(
                    _position(mark),
                    f"duplicate key {key!r} (first written at line {line}); "
                    "YAML would silently keep only the last one",
                )
            )
            frame.dropping = True
        else:
            frame.key = key
            frame.key_mark = pack(mark)

    def _place(self, value: Any, start: int, end: int, where: Any) -> int:
        """Attach a finished or newly opened value to its parent; return its entry's
        index there (-1 for the root and for a dropped value)."""
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise _RefusedError(
                f"the document has more than {MAX_NODES:,} values; refusing it", _position(where)
            )
        if not self.stack:
            self.doc.data = value
            self.doc.root = start
            self.root_set = True
            return -1
        frame = self.stack[-1]
        if frame.dropping:
            frame.dropping = False
            return -1
        slot = len(frame.marks) // 3
        if frame.keys is None:
            assert isinstance(frame.container, list)
            frame.container.append(value)
            frame.marks.extend((start, 0, end))
        else:
            assert frame.key is not None
            assert isinstance(frame.container, dict)
            frame.container[frame.key] = value
            frame.keys[frame.key] = slot
            frame.marks.extend((start, frame.key_mark, end))
            frame.key = None
        return slot

    def _open(self, container: dict[str, Any] | list[Any], mark: Any) -> None:
        if len(self.stack) >= MAX_DEPTH:
            raise _RefusedError(
                f"the document nests deeper than {MAX_DEPTH} levels; refusing it", _position(mark)
            )
        if self._expects_key():
            raise _RefusedError(
                "a mapping key must be plain text, not a list or mapping", _position(mark)
            )
        self.stack.append(_Frame(container, self._place(container, pack(mark), 0, mark)))

    def _close(self) -> None:
        frame = self.stack.pop()
        keys: tuple[str, ...] | dict[str, int] | None = frame.keys
        if frame.keys is not None and len(frame.keys) <= _FEW_KEYS:
            shape = tuple(frame.keys)
            keys = self.shapes.setdefault(shape, shape)
        children = None
        if frame.children is not None:
            missing = len(frame.marks) // 3 - len(frame.children)
            children = (*frame.children, *([None] * missing))
        node = Node(keys, frame.marks, children)
        if not self.stack:
            self.doc.node = node
        elif frame.slot >= 0:
            parent = self.stack[-1]
            if parent.children is None:
                parent.children = []
            parent.children.extend([None] * (frame.slot - len(parent.children)))
            parent.children.append(node)

    def scalar(self, event: yaml.ScalarEvent) -> None:
        mark = event.start_mark
        if event.tag is not None:
            _check_tag(event.tag, _ALLOWED_TAGS, _position(mark))
        if self.stack:
            top = self.stack[-1]
            if top.keys is not None and top.key is None and not top.dropping:
                self.nodes += 1
                self._key(top, self.names.setdefault(event.value, event.value), mark)
                return
        self._place(_scalar(event), pack(mark), pack(event.end_mark), mark)

    def mapping(self, event: yaml.MappingStartEvent) -> None:
        if event.tag is not None:
            _check_tag(event.tag, _COLLECTION_TAGS, _position(event.start_mark))
        self._open({}, event.start_mark)

    def sequence(self, event: yaml.SequenceStartEvent) -> None:
        if event.tag is not None:
            _check_tag(event.tag, _COLLECTION_TAGS, _position(event.start_mark))
        self._open([], event.start_mark)

    def end(self, _event: yaml.Event) -> None:
        self._close()

    def alias(self, event: yaml.AliasEvent) -> None:
        raise _RefusedError(
            f"aliases (*{event.anchor}) are not allowed in a catalog; write the value out in full",
            _position(event.start_mark),
        )

    def document(self, event: yaml.DocumentStartEvent) -> None:
        self.documents += 1
        if self.documents > 1:
            raise _RefusedError(
                "the file holds more than one YAML document (a second '---'); "
                "a catalog is one document",
                _position(event.start_mark),
            )

    def handlers(self) -> dict[type, Callable[[Any], None]]:
        """What to do with each kind of event; kinds not listed carry nothing to keep."""
        return {
            yaml.ScalarEvent: self.scalar,
            yaml.MappingStartEvent: self.mapping,
            yaml.SequenceStartEvent: self.sequence,
            yaml.MappingEndEvent: self.end,
            yaml.SequenceEndEvent: self.end,
            yaml.AliasEvent: self.alias,
            yaml.DocumentStartEvent: self.document,
        }


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
    handlers = builder.handlers()
    loader = _Loader(text)
    try:
        with paused_gc():
            while loader.check_event():
                event = loader.get_event()
                handler = handlers.get(type(event))
                if handler is not None:
                    handler(event)
    except _RefusedError as refused:
        raise YamlError([*builder.problems, refused.problem]) from None
    except yaml.YAMLError as error:
        tabs = _tab_problems(text)
        raise YamlError(tabs or [_syntax_problem(text, error)]) from None
    finally:
        loader.dispose()
    if not builder.root_set:
        raise YamlError([Problem(Position(1, 1), "the catalog is empty")])
    return doc
