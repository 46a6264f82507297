"""The files a command writes its reports to: refused before the run when they would
clobber an input or each other, written atomically after it, and a failed write never
takes the report with it."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from catalogbot.errors import UsageError
from catalogbot.files import write_atomic

STDOUT = "-"


@dataclass(frozen=True)
class Output:
    """Where one report goes: a file, or standard output when ``path`` is None."""

    flag: str
    path: Path | None

    @property
    def to_stdout(self) -> bool:
        return self.path is None

    def __str__(self) -> str:
        return "standard output" if self.path is None else str(self.path)


def _same(one: Path, other: Path) -> bool:
    """Whether two paths name one file (also through links and different spellings)."""
    try:
        return os.path.samefile(one, other)
    except OSError:
        return one.resolve() == other.resolve()


def _problem(target: Path, inputs: Sequence[Path], protected: Sequence[Path]) -> str | None:
    for source in inputs:
        if _same(target, source):
            return f"is {source}, which this command reads; give another file name"
    resolved = target.resolve()
    for folder in protected:
        if resolved.parent == folder.resolve():
            return f"is inside {folder}, where baselines live; give another folder"
    try:
        mode = target.stat().st_mode
    except FileNotFoundError:
        mode = None
    except OSError as error:
        return f"cannot be used ({error.strerror or error})"
    if mode is not None and stat.S_ISDIR(mode):
        return "is a directory; give a file name"
    if mode is not None and not stat.S_ISREG(mode):
        return "is not a regular file (a pipe or a device); give a file name, or - for the screen"
    parent = target.parent
    if not parent.is_dir():
        return f"the folder {parent} does not exist"
    if not os.access(parent, os.W_OK | os.X_OK):
        return f"the folder {parent} is not writable"
    return None


def plan_outputs(
    requested: Sequence[tuple[str, str | None]],
    inputs: Sequence[Path] = (),
    protected: Sequence[Path] = (),
) -> list[Output]:
    """Check each (flag, path) before the run; UsageError names the first unusable one.

    A path may not be an input of the command (``inputs``), lie in a ``protected``
    folder, or be given to two flags; ``-`` (standard output) may be given to one.
    """
    outputs: list[Output] = []
    for flag, text in requested:
        if text is None:
            continue
        if text == STDOUT:
            if any(o.to_stdout for o in outputs):
                raise UsageError(f"{flag} -: only one report can go to standard output")
            outputs.append(Output(flag, None))
            continue
        if not text.strip():
            raise UsageError(f"{flag}: give a file name, or - for standard output")
        target = Path(text)
        for other in outputs:
            if other.path is not None and _same(target, other.path):
                raise UsageError(
                    f"{flag} {text}: is also the file of {other.flag}; give each its own file"
                )
        problem = _problem(target, inputs, protected)
        if problem:
            raise UsageError(f"{flag} {text}: {problem}")
        outputs.append(Output(flag, target))
    return outputs


def write_output(output: Output, text: str | Iterable[str]) -> str | None:
    """Write one report file atomically; the reason it could not be, or None."""
    assert output.path is not None
    try:
        write_atomic(output.path, text)
    except OSError as error:
        return f"{output.path}: cannot be written ({error.strerror or error}; {output.flag})"
    return None
