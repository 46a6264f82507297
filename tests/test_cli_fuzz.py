"""Random commands, option values and file contents: the command line always answers
with an exit code from its table, never a traceback, and never changes the catalog."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clirun import run
from support.webserver import closed_port

DEAD = closed_port()
URL = f"http://127.0.0.1:{DEAD}/page"

CATALOG_PIECES = st.sampled_from(
    [
        "version: 1\n",
        "resources:\n",
        "  - id: a\n",
        "  - id: b\n",
        "    title: T\n",
        f"    url: {URL}\n",
        f"    url: {URL}?b\n",
        "    check: {skip: later}\n",
        '"k\\n::warning::x": 1\n',
        "\x1b[31m",
        "- ",
        ": ",
        "[",
        "{",
        "&a ",
        "*a ",
        "\t",
        "\n",
        "é",
        "\x00",
    ]
)

VALUES = st.sampled_from(
    [
        "0", "1", "-1", "2", "10", "11", "1e3", "inf", "-inf", "nan", "0.5", "601", "abc", "",
        " ", "\n", "::warning::x", "-", "catalog.yaml", "out.json", "snapshots", "/dev/null",
        "/proc/x.json", "not a url", "file:///etc/passwd", f"http://127.0.0.1:{DEAD}/",
        "a", "b", "zz", "Ä", "99999999999999999999",
    ]
)  # fmt: skip

OPTIONS = st.sampled_from(
    [
        "--timeout", "--retries", "--concurrency", "--per-host", "--host-interval",
        "--max-bytes", "--user-agent", "--canary", "--workers", "--only", "--json",
        "--markdown", "--catalog", "--all", "-q", "-v", "--allow-private", "--max-problems",
        "--results", "--dry-run", "--confirm-runs", "--write-interval", "--bogus",
    ]
)  # fmt: skip

OWN_COMMAND = re.compile(r"::(error|warning) file=[^:]*,line=\d+,col=\d+,title=|::notice::")

COMMANDS = st.sampled_from(["validate", "check", "accept", "schema", "changed-ids", "sync"])

ARGS = st.lists(st.one_of(OPTIONS, VALUES), max_size=8)


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY", "GITHUB_TOKEN", "GITHUB_REPOSITORY"):
        monkeypatch.delenv(name, raising=False)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    command=COMMANDS,
    args=ARGS,
    content=st.lists(CATALOG_PIECES, max_size=14),
    actions=st.booleans(),
)
def test_no_traceback_whatever_the_input(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path, *,
    command: str, args: list[str], content: list[str], actions: bool,
) -> None:  # fmt: skip
    """Exit 0-3, every failure explained on stderr, the catalog untouched, and in GitHub
    Actions no workflow command but catalogbot's own annotations."""
    if actions:
        monkeypatch.setenv("GITHUB_ACTIONS", "true")
    else:
        monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    catalog = tmp_path / "catalog.yaml"
    catalog.write_text("".join(content), encoding="utf-8")
    before = catalog.read_bytes()
    # Never spawn text workers or ask a real canary: the fuzz is about the command line.
    safe = ["--workers", "0", "--canary", f"http://127.0.0.1:{DEAD}/", "--retries", "0"]
    tail = safe if command in ("check", "accept") and "--workers" not in args else []
    done = run(capsys, command, *args, *tail)
    assert done.code in (0, 1, 2, 3), done.both
    if done.code == 2:
        assert done.err.strip(), done.out
    assert catalog.read_bytes() == before
    for line in done.both.splitlines():
        assert "\x1b" not in line
        if actions and line.lstrip().startswith(("::", "##[")):
            assert OWN_COMMAND.match(line), line
