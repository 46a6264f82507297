"""The failures that stop a run, as opposed to a link's outcome, which is a value.

The command line turns each into one clear message and an exit code; nothing below
it prints.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from catalogbot.catalog.problems import Problem


class CatalogbotError(Exception):
    """Base of every error catalogbot raises on purpose."""


class UsageError(CatalogbotError):
    """The command was asked for something it cannot do (a missing file, a bad option)."""


class CatalogError(CatalogbotError):
    """The catalog file is not valid; ``problems`` lists everything wrong, in file order."""

    def __init__(self, path: str, problems: list[Problem]) -> None:
        super().__init__(f"{path}: {len(problems)} problem(s)")
        self.path = path
        self.problems = problems

    def lines(self) -> list[str]:
        """Each problem as ``PATH:LINE:COL: message``."""
        return [problem.render(self.path) for problem in self.problems]
