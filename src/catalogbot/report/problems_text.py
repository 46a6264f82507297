"""A catalog's problems as ``PATH:LINE:COL: message`` lines, capped for huge files."""

from __future__ import annotations

from catalogbot.catalog.errors import CatalogError
from catalogbot.report.annotations import MAX_ANNOTATIONS, annotation, one_line

DEFAULT_MAX_PROBLEMS = 1000
"""Lines shown by default; a file with more problems gets a count of the rest."""


def problem_lines(error: CatalogError, limit: int | None = DEFAULT_MAX_PROBLEMS) -> list[str]:
    """Each problem on one line (the first ``limit``; None or 0 for all), then a note of
    how many were left out."""
    shown = error.problems if not limit else error.problems[:limit]
    lines = [one_line(problem.render(error.path)) for problem in shown]
    hidden = len(error.problems) - len(shown)
    if hidden:
        lines.append(
            f"{one_line(error.path)}: ... and {hidden:,} more problems not shown "
            "(--max-problems 0 shows all)"
        )
    return lines


def problem_annotations(error: CatalogError, catalog_name: str) -> list[str]:
    """GitHub Actions error annotations on the first problems' lines, and a notice for
    the rest."""
    lines = [
        annotation(
            "error",
            problem.message,
            file=error.path,
            line=problem.where.line,
            col=problem.where.column,
            title=f"{catalog_name} is not valid",
        )
        for problem in error.problems[:MAX_ANNOTATIONS]
    ]
    hidden = len(error.problems) - MAX_ANNOTATIONS
    if hidden > 0:
        lines.append(annotation("notice", f"{hidden:,} more problems in {catalog_name}"))
    return lines


def problem_count(error: CatalogError) -> str:
    """The closing line: how many problems the file has."""
    count = len(error.problems)
    return f"{one_line(error.path)}: {count:,} problem{'s' if count != 1 else ''} found"
