"""Plain output in a GitHub Actions log: catalog and page text can never become a
workflow command, a second line, or a terminal escape."""

from __future__ import annotations

import io

import pytest

from catalogbot.accept import Accepted
from catalogbot.check.result import CheckResult, Reason, Status
from catalogbot.commands.console import Console
from catalogbot.report.accept_text import accept_lines
from catalogbot.report.annotations import guard_commands, one_line

HOSTILE = "fine\n::warning file=x::owned\r\n  ##[error]old style\u2028::notice::u2028\x1b[2J"


def test_one_line_escapes_every_line_break_and_control_character() -> None:
    """The text stays readable and on one line."""
    text = one_line(HOSTILE)
    for raw in ("\n", "\r", "\x1b", "\u2028"):
        assert raw not in text
    assert text.startswith("fine\\n::warning file=x::owned\\r\\n")


@pytest.mark.parametrize(
    "line", ["::warning::x", "  ::error::x", "\t##[group]x", "::stop-commands::tok"]
)
def test_guard_commands_defuses_command_lines(line: str) -> None:
    """A line that the runner would obey starts with a zero-width space instead."""
    guarded = guard_commands(f"ok\n{line}")
    assert guarded.splitlines()[0] == "ok"
    assert not guarded.splitlines()[1].lstrip().startswith(("::", "##["))


def test_console_in_actions_guards_text_but_not_its_own_commands() -> None:
    """say() and warn() are guarded; command() writes the annotation as built."""
    out, err = io.StringIO(), io.StringIO()
    console = Console(out=out, err=err, actions=True)
    console.say("a\n::warning::injected")
    console.warn("::error::also injected")
    console.command("::error file=c.yaml,line=1::real")
    lines = out.getvalue().splitlines()
    assert lines[1] == "\u200b::warning::injected"
    assert lines[2] == "::error file=c.yaml,line=1::real"
    assert err.getvalue() == "\u200b::error::also injected\n"


def test_accept_lines_escape_server_text() -> None:
    """A refusal carries the server's words; they stay on the entry's line."""
    result = CheckResult("a", "https://a.example.org/", Status.BROKEN, Reason.http(404))
    lines = accept_lines([Accepted(result, refused=HOSTILE)])
    assert len(lines) == 2
    assert lines[0].startswith("refused  a: fine\\n::warning")
