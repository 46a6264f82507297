"""Where a command's text goes: standard output and error, kept safe for CI logs."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from typing import TextIO

from catalogbot.errors import CatalogbotError
from catalogbot.report.annotations import guard_commands, in_github_actions


class OutputError(CatalogbotError):
    """Standard output or error cannot take more text (a full disk, a closed device)."""


@dataclass
class Console:
    """Prints a command's lines.

    In GitHub Actions a printed line that looks like a workflow command is shown, not
    obeyed; only ``command`` writes real workflow commands. ``report_to_stderr`` moves
    the human-readable report to standard error when standard output carries data
    (``--json -``).
    """

    out: TextIO | None = field(default_factory=lambda: sys.stdout)
    err: TextIO | None = field(default_factory=lambda: sys.stderr)
    actions: bool = field(default_factory=in_github_actions)
    quiet: bool = False
    report_to_stderr: bool = False

    closed: bool = False
    """The reader of standard output has gone (``| head``): the rest is dropped and the
    command still ends with its own exit code."""

    def _write(self, stream: TextIO | None, text: str) -> None:
        if stream is None:  # Python leaves sys.stderr None when the stream was closed
            return
        if stream is self.out and self.closed:
            return
        try:
            try:
                stream.write(text)
            except UnicodeEncodeError:
                # A terminal or pipe set to a narrow encoding (PYTHONIOENCODING=ascii):
                # show what it cannot take as escapes rather than fail.
                encoding = getattr(stream, "encoding", None) or "ascii"
                stream.write(text.encode(encoding, "backslashreplace").decode(encoding))
        except BrokenPipeError:
            if stream is not self.out:
                return
            self.closed = True
            silence_stdout()
        except OSError as error:
            name = "standard error" if stream is sys.stderr else "standard output"
            raise OutputError(f"{name} could not be written ({error.strerror or error})") from None

    def _safe(self, text: str) -> str:
        return guard_commands(text) if self.actions else text

    def say(self, text: str) -> None:
        """One or more lines of the command's report."""
        if text.strip("\n"):
            stream = self.err if self.report_to_stderr else self.out
            self._write(stream, self._safe(text.rstrip("\n")) + "\n")

    def data(self, text: str) -> None:
        """Machine-readable output (a JSON document, a schema), written as it is."""
        self._write(self.out, text)

    def warn(self, text: str) -> None:
        """A message about the run itself, on standard error."""
        self._write(self.err, self._safe(text.rstrip("\n")) + "\n")

    def command(self, line: str) -> None:
        """A GitHub Actions workflow command, built with report.annotations."""
        self._write(self.out, line + "\n")


def silence_stdout() -> None:
    """Nothing more can reach standard output: point it at /dev/null, so that flushing
    what is left at exit cannot fail again (with a traceback)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
