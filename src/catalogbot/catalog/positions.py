"""Where each part of a YAML document was written, kept compactly.

A 100,000-resource catalog holds about a million values. A path tuple and a Position
object for each of them cost several hundred megabytes, so a position is a packed int
(line above bit 32, column below) and each mapping or sequence keeps its entries'
positions in one array.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass, field
from typing import Any

from catalogbot.catalog.problems import Position, Problem

Path = tuple[str | int, ...]


def pack(mark: Any) -> int:
    """A mark's line and column, both counted from 1, in one int (0 means none)."""
    line: int = mark.line
    column: int = mark.column
    return (line + 1) << 32 | (column + 1)


def unpack(packed: int) -> Position:
    return Position(packed >> 32, packed & 0xFFFFFFFF)


class Node:
    """Where the entries of one mapping or sequence were written: three packed ints per
    entry in one array, for where the value starts, where its key starts (0 in a
    sequence) and where a scalar value ends (0 for a mapping or sequence)."""

    __slots__ = ("children", "keys", "marks")

    def __init__(
        self,
        keys: tuple[str, ...] | dict[str, int] | None,
        marks: array[int],
        children: tuple[Node | None, ...] | None,
    ) -> None:
        self.keys = keys
        """A mapping's keys in order (a dict to their index when there are many);
        None for a sequence."""
        self.marks = marks
        self.children = children
        """Per entry, the node of an entry that is a mapping or sequence; None when no
        entry is."""

    def index(self, part: str | int) -> int | None:
        """The index of the entry ``part`` names, or None when there is no such entry."""
        keys = self.keys
        if keys is None:
            size = len(self.marks) // 3
            if isinstance(part, bool) or not isinstance(part, int):
                return None
            return part if 0 <= part < size else None
        if not isinstance(part, str):
            return None
        if isinstance(keys, dict):
            return keys.get(part)
        return keys.index(part) if part in keys else None


@dataclass
class Document:
    """A YAML document as plain values, with where each part of it was written."""

    data: Any
    """The plain values; None in a catalog's document once they are validated."""
    problems: list[Problem] = field(default_factory=list)
    """Problems that did not stop the reading, such as a duplicate key (the first is kept)."""
    root: int = 0
    """Where the document's value starts (packed, see ``pack``)."""
    node: Node | None = None
    """Where the entries of the root mapping or sequence were written."""

    def _locate(self, path: Path) -> tuple[int, int, int, int]:
        """How many leading parts of ``path`` are in the document, and the packed value
        start, key start and value end of the deepest of them."""
        start, key, end = self.root, 0, 0
        node = self.node
        depth = 0
        for part in path:
            index = node.index(part) if node is not None else None
            if node is None or index is None:
                break
            start, key, end = node.marks[3 * index : 3 * index + 3]
            node = node.children[index] if node.children is not None else None
            depth += 1
        return depth, start, key, end

    def position(self, path: Path) -> Position:
        """The best position for a problem at ``path``: the value, else its nearest ancestor."""
        _, start, _, _ = self._locate(path)
        return unpack(start) if start else Position(1, 1)

    def key_position(self, path: Path) -> Position:
        """Where the key naming ``path`` is written, else the best position for its value."""
        depth, start, key, _ = self._locate(path)
        if depth == len(path) and key:
            return unpack(key)
        return unpack(start) if start else Position(1, 1)

    def span(self, path: Path) -> tuple[Position, Position]:
        """Where the scalar at ``path`` starts and where it ends (just after its last
        character or closing quote); KeyError when ``path`` names no scalar."""
        depth, start, _, end = self._locate(path)
        if depth != len(path) or not end:
            raise KeyError(path)
        return unpack(start), unpack(end)
