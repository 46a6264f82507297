"""Running ``catalogbot.cli.main`` in this process, as a person would type the command."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from catalogbot.cli import main


@dataclass(frozen=True)
class Ran:
    code: int
    out: str
    err: str

    @property
    def both(self) -> str:
        return self.out + self.err


def run(capsys: pytest.CaptureFixture[str], *args: str) -> Ran:
    """Run the command line with ``args``; its exit code and what it printed."""
    code = main(list(args))
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    return Ran(code, captured.out, captured.err)


def catalog(path: Path, entries: list[tuple[str, str]], extra: str = "") -> Path:
    """A small valid catalog with one resource per (id, url)."""
    lines = ["version: 1", "resources:"]
    for rid, url in entries:
        lines += [f"  - id: {rid}", f"    title: Title of {rid}", f'    url: "{url}"']
    path.write_text("\n".join(lines) + "\n" + extra)
    return path
