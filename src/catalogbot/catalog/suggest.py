"""'Did you mean ...?' for a misspelt id, without comparing it with every id there is.

difflib compares a word with each candidate in turn. With 100,000 ids and thousands of
misspelt references that is billions of comparisons, so a large catalog offers only the
ids next to the word in alphabetical order, and next to it when both are read backwards:
a slip of the keyboard usually leaves the start or the end of an id intact.
"""

from __future__ import annotations

import difflib
from bisect import bisect_left
from collections.abc import Iterable

WINDOW = 24
"""Ids taken from each side of the word, in each of the two orders."""


class Suggestions:
    """Close matches among a fixed set of words."""

    def __init__(self, words: Iterable[str]) -> None:
        self._forward = sorted(set(words))
        self._backward = sorted(word[::-1] for word in self._forward)
        self._found: dict[str, str | None] = {}

    def _near(self, word: str) -> list[str]:
        """The candidates for ``word``: every word of a small set, else its neighbours."""
        if len(self._forward) <= 4 * WINDOW:
            return self._forward
        at = bisect_left(self._forward, word)
        near = set(self._forward[max(0, at - WINDOW) : at + WINDOW])
        drow = word[::-1]
        at = bisect_left(self._backward, drow)
        near.update(w[::-1] for w in self._backward[max(0, at - WINDOW) : at + WINDOW])
        return sorted(near)

    def closest(self, word: str) -> str | None:
        """The closest word by difflib's measure (at least 0.6 alike), or None."""
        if word not in self._found:
            found = difflib.get_close_matches(word, self._near(word), n=1)
            self._found[word] = found[0] if found else None
        return self._found[word]
