"""The one failure of the catalog layer: a file that is not a valid catalog."""

from __future__ import annotations

from catalogbot.catalog.problems import Problem
from catalogbot.errors import CatalogbotError


class CatalogError(CatalogbotError):
    """The catalog file is not valid; ``problems`` lists everything wrong, in file order."""

    def __init__(self, path: str, problems: list[Problem]) -> None:
        super().__init__(f"{path}: {len(problems)} problem(s)")
        self.path = path
        self.problems = problems
