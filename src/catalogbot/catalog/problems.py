"""Problems found in a catalog, each tied to the line and column a person should look at."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True, slots=True)
class Position:
    """A place in the catalog file; both numbers count from 1, as editors do."""

    line: int
    column: int


@dataclass(frozen=True, order=True, slots=True)
class Problem:
    """One thing wrong with the catalog, and where."""

    where: Position
    message: str

    def render(self, path: str) -> str:
        """The ``PATH:LINE:COL: message`` form that editors and CI logs link to."""
        return f"{path}:{self.where.line}:{self.where.column}: {self.message}"
