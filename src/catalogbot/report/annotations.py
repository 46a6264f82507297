"""GitHub Actions workflow commands: annotations that point at a file, line and column.

https://docs.github.com/actions/reference/workflow-commands-for-github-actions
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping

MAX_ANNOTATIONS = 10
"""GitHub shows at most ten error annotations per step; more would only be dropped, so
the rest go in one notice."""


def in_github_actions(environ: Mapping[str, str] | None = None) -> bool:
    """Whether this process runs as a step of a GitHub Actions job."""
    return (environ if environ is not None else os.environ).get("GITHUB_ACTIONS") == "true"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(
    level: str,
    message: str,
    *,
    file: str | None = None,
    line: int | None = None,
    col: int | None = None,
    title: str | None = None,
) -> str:
    """One ``::error``/``::warning``/``::notice`` command line."""
    props = []
    if file is not None:
        props.append(f"file={_escape_property(file)}")
    if line is not None:
        props.append(f"line={line}")
    if col is not None:
        props.append(f"col={col}")
    if title is not None:
        props.append(f"title={_escape_property(title)}")
    head = f"::{level} {','.join(props)}" if props else f"::{level}"
    return f"{head}::{_escape_data(message)}"


_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u2028-\u202e\u2066-\u2069]")
_COMMAND_START = re.compile(r"^(\s*)(::|##\[)", re.MULTILINE)


def one_line(text: str) -> str:
    """Untrusted text (catalog values, page titles, server messages) made safe to print
    inside a line of plain output: every control character, line break and terminal
    escape is shown as a visible escape, so the text can neither start a line of its own
    (a GitHub Actions workflow command) nor drive the terminal; so is every mark that
    changes the direction of text, which could make a line show other text than it
    holds."""
    return _UNSAFE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def guard_commands(text: str) -> str:
    """Plain output for a GitHub Actions log: a line that would read as a workflow
    command (``::name ...`` or the older ``##[name]``) gets a zero-width space in front,
    which the runner does not trim, so it is shown instead of obeyed."""
    return _COMMAND_START.sub(lambda m: f"{m.group(1)}\u200b{m.group(2)}", text)
