"""The command line under bad input: each case a clear line, the documented exit code,
no traceback, and nothing the user had lost."""

from __future__ import annotations

import functools
import os
import threading
from pathlib import Path

import pytest

from catalogbot.github import client as github_client
from clirun import Ran, catalog, run
from conftest import Serve
from support.webserver import Reply, RunningSite, Site, closed_port, page

WORDS = "naloxone reverses opioid overdoses and every county can distribute it " * 10


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY", "GITHUB_TOKEN", "GITHUB_REPOSITORY"):
        monkeypatch.delenv(name, raising=False)


def live(site: RunningSite) -> tuple[str, ...]:
    """Options for a run against the loopback site: it is also the canary, so a slow
    moment on a busy machine is never taken for an offline one; no text workers."""
    return ("--allow-private", "--workers", "0", "--canary", site.url("/"))


@pytest.fixture
def site(sites: Serve) -> RunningSite:
    (running,) = sites(
        Site(
            {
                "/a": page("Naloxone Saves", WORDS),
                "/b": page("Recovery courts", WORDS[::-1]),
                "/busy": Reply(503, b"", headers=(("Retry-After", "251606000000"),)),
            }
        )
    )
    return running


def dead_canary() -> str:
    return f"http://127.0.0.30:{closed_port('127.0.0.30')}/"


@pytest.mark.parametrize("command", [["check", "--only", "d0"], ["accept", "d0"]])
def test_one_entry_on_an_offline_machine_is_offline_not_broken(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, command: list[str]
) -> None:
    """The pull-request workflow checks one entry: its host and the canary fail, so the
    machine is offline (exit 3), not the link broken."""
    entries = [(f"d{i}", f"https://host{i}.catalogbot-test.invalid/") for i in range(4)]
    catalog(tmp_path / "catalog.yaml", entries)
    done = run(capsys, *command, "--canary", dead_canary(), "--allow-private", "--retries", "0")
    assert done.code == 3, done.both
    assert "NO NETWORK" in done.out
    assert "BROKEN" not in done.out
    assert not (tmp_path / "snapshots").exists()


def test_validate_cannot_inject_workflow_commands(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A YAML key with a line break and a workflow command in it is printed escaped; the
    only command lines are the error annotations catalogbot writes itself."""
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    (tmp_path / "catalog.yaml").write_text(
        'version: 1\n"x\\n::warning file=a::owned\\n##[error]too": 1\nresources: []\n'
    )
    done = run(capsys, "validate")
    assert done.code == 1
    for line in (done.out + done.err).splitlines():
        assert not line.lstrip().startswith(("::warning", "##[")), line
        if line.startswith("::"):
            assert line.startswith("::error file=catalog.yaml,line=2,")
    assert "\\n::warning file=a::owned" in done.out


def test_accept_catalog_then_option_then_id(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, site: RunningSite
) -> None:
    """accept CATALOG --allow-private ID works, and a file named like an id is an id."""
    catalog(tmp_path / "my.yaml", [("a", site.url("/a")), ("b", site.url("/b"))])
    (tmp_path / "b").write_text("not a catalog")
    done = run(capsys, "accept", "my.yaml", *live(site), "b")
    assert done.code == 0, done.both
    assert [p.name for p in (tmp_path / "snapshots").iterdir()] == ["b.txt"]
    unknown = run(capsys, "accept", "--catalog", "my.yaml", "b", "zz", *live(site))
    assert unknown.code == 2
    assert "no resource has the id 'zz' in my.yaml" in unknown.err


def test_accept_all_leaves_skipped_entries_alone(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, site: RunningSite
) -> None:
    """A skip: entry is neither recorded nor a failure: exit 0."""
    catalog(
        tmp_path / "catalog.yaml",
        [("a", site.url("/a")), ("s", site.url("/b"))],
        extra="    check:\n      skip: checked by hand\n",
    )
    done = run(capsys, "accept", "--all", *live(site))
    assert done.code == 0, done.both
    assert "skipped  s: not checked: checked by hand" in done.out
    assert "1 recorded, 0 refused, 1 skipped by the catalog" in done.out


@pytest.mark.parametrize("where", ["file", "directory"])
def test_accept_when_snapshots_cannot_be_written(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, site: RunningSite, where: str
) -> None:
    """snapshots/ is a file, or a snapshot's path is a folder: exit 2 and one clear line;
    the file in the way is untouched."""
    catalog(tmp_path / "catalog.yaml", [("a", site.url("/a"))])
    if where == "file":
        (tmp_path / "snapshots").write_text("mine")
    else:
        (tmp_path / "snapshots" / "a.txt").mkdir(parents=True)
    done = run(capsys, "accept", "a", *live(site))
    assert done.code == 2
    if where == "file":
        assert "snapshots is not a folder; move that file away" in done.err
        assert (tmp_path / "snapshots").read_text() == "mine"
    else:
        assert "FAILED   a: " in done.out
        assert "a.txt: cannot be written (is a directory)" in done.out
        assert (tmp_path / "snapshots" / "a.txt").is_dir()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--canary", "not a url"], "'not a url' is not a usable web address"),
        (["--canary", "file:///etc/passwd"], "must start with http:// or https://"),
        (["--retries", "1000000"], "must be 10 or less"),
        (["--timeout", "inf"], "must be 600 seconds or less"),
        (["--timeout", "nan"], "not a number"),
        (["--timeout", "-1"], "must be more than 0 seconds"),
        (["--workers", "99"], "must be 32 or less"),
        (["--concurrency", "10000000"], "must be 1024 or less"),
        (["--per-host", "1e3"], "not a whole number"),
        (["--max-bytes", "99999999999999"], "or less"),
        (["--host-interval", "-0.5"], "must be 0 seconds or more"),
        (["--user-agent", "x" * 2000], "at most 1000 characters"),
    ],
)
def test_option_ranges(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, args: list[str], message: str
) -> None:
    """Every network option has both bounds, in check and in accept alike."""
    catalog(tmp_path / "catalog.yaml", [("a", "http://127.0.0.1:9/")])
    for command in (["check"], ["accept", "a"]):
        done = run(capsys, *command, *args)
        assert done.code == 2
        assert message in done.err, done.err
        assert len(done.err.splitlines()) == 1


def test_sync_option_ranges(capsys: pytest.CaptureFixture[str]) -> None:
    """sync's counts and its interval have upper bounds too."""
    for args in (["--confirm-runs", "1000"], ["--write-interval", "inf"]):
        done = run(capsys, "sync", "--results", "r.json", *args)
        assert done.code == 2
        assert "or less" in done.err


def test_a_fifo_as_the_catalog_is_refused_at_once(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A named pipe would block the read for ever; it is refused without waiting."""
    os.mkfifo(tmp_path / "catalog.yaml")
    finished: list[Ran] = []
    worker = threading.Thread(target=lambda: finished.append(run(capsys, "validate")))
    worker.start()
    worker.join(timeout=10)
    (done,) = finished
    assert done.code == 2
    assert "catalog.yaml: cannot be read: not a regular file (a pipe" in done.err


def test_sync_with_a_non_ascii_token(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A token pasted with a typographic character: exit 2, and the token is not printed."""
    catalog(tmp_path / "catalog.yaml", [("a", "https://example.org/")])
    (tmp_path / "r.json").write_text('{"results": []}')
    monkeypatch.setenv("GITHUB_TOKEN", "ghp_abc\u2019def")
    monkeypatch.setenv("GITHUB_REPOSITORY", "octo/catalog")
    done = run(capsys, "sync", "--results", "r.json")
    assert done.code == 2
    assert "GITHUB_TOKEN contains spaces or characters that are not plain ASCII" in done.err
    assert "abc" not in done.both


def test_sync_dry_run_without_github_is_exit_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """GitHub cannot be reached for a dry run: nothing failed to write, so not exit 1."""
    catalog(tmp_path / "catalog.yaml", [("a", "https://example.org/")])
    (tmp_path / "r.json").write_text('{"results": []}')
    monkeypatch.setenv("GITHUB_TOKEN", "t0ken")
    monkeypatch.setenv("GITHUB_REPOSITORY", "octo/catalog")
    monkeypatch.setenv("GITHUB_API_URL", f"http://127.0.0.1:{closed_port()}")
    quick = functools.partial(github_client.GitHubClient, sleep=lambda _: None)
    monkeypatch.setattr(github_client, "GitHubClient", quick)
    done = run(capsys, "sync", "--results", "r.json", "--dry-run")
    assert done.code == 2
    assert "no answer from GitHub" in done.err
    assert "nothing was written" in done.err


def test_a_huge_retry_after_is_said_in_words(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, site: RunningSite
) -> None:
    """Retry-After: 251606000000 prints as 'more than a year', not 2.51606e+11 s."""
    catalog(tmp_path / "catalog.yaml", [("busy", site.url("/busy"))])
    done = run(capsys, "check", *live(site), "-v")
    assert "come back in more than a year" in done.out
    assert "e+" not in done.out


def test_validate_caps_a_flood_of_problems(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """3,000 bad entries: the first 1,000 problems, then how many more; all on request."""
    lines = ["version: 1", "resources:"]
    for index in range(3000):
        lines += [f"  - id: e{index}", "    title: T"]
    (tmp_path / "catalog.yaml").write_text("\n".join(lines) + "\n")
    done = run(capsys, "validate")
    assert done.code == 1
    shown = done.out.splitlines()
    assert len(shown) == 1001
    assert shown[-1] == (
        "catalog.yaml: ... and 2,000 more problems not shown (--max-problems 0 shows all)"
    )
    assert "3,000 problems found" in done.err
    assert len(run(capsys, "validate", "--max-problems", "0").out.splitlines()) == 3000


def test_a_canary_the_guard_refuses_is_refused_up_front(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A loopback canary without --allow-private could never answer: exit 2 at once."""
    catalog(tmp_path / "catalog.yaml", [("a", "http://127.0.0.1:9/")])
    for canary in ("http://127.0.0.1/", "http://localhost:8080/", "http://[::ffff:10.0.0.1]/"):
        done = run(capsys, "check", "--canary", canary)
        assert done.code == 2
        assert "the address guard refuses it" in done.err


def test_text_workers_never_outnumber_the_links() -> None:
    """--workers 12 for one link starts one worker; 0 stays 0."""
    from catalogbot.cli import _parse
    from catalogbot.commands.network import check_options

    assert check_options(_parse(["check", "--workers", "12"]), links=1).workers == 1
    assert check_options(_parse(["check", "--workers", "0"]), links=5).workers == 0
    assert check_options(_parse(["check"]), links=1).workers == 1
    options = check_options(_parse(["check", "--timeout", "90", "--retries", "0"]), links=3)
    assert (options.timeout, options.retries, options.extract_timeout) == (90.0, 0, 90.0)


def test_a_fifo_in_snapshots_does_not_hang_check(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, site: RunningSite
) -> None:
    """A named pipe where a baseline should be is an unreadable baseline, not a hang."""
    catalog(tmp_path / "catalog.yaml", [("a", site.url("/a"))])
    (tmp_path / "snapshots").mkdir()
    os.mkfifo(tmp_path / "snapshots" / "a.txt")
    finished: list[Ran] = []
    args = ("check", *live(site), "--workers", "0", "--json", "-")
    worker = threading.Thread(target=lambda: finished.append(run(capsys, *args)))
    worker.start()
    worker.join(timeout=20)
    (done,) = finished
    assert done.code == 0
    assert "baseline_unreadable" in done.out


def test_sync_refuses_a_results_pipe(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--results naming a FIFO is refused without waiting for a writer."""
    catalog(tmp_path / "catalog.yaml", [("a", "https://example.org/")])
    os.mkfifo(tmp_path / "r.json")
    monkeypatch.setenv("GITHUB_TOKEN", "t0ken")
    monkeypatch.setenv("GITHUB_REPOSITORY", "octo/catalog")
    done = run(capsys, "sync", "--results", "r.json")
    assert done.code == 2
    assert "r.json: not a regular file" in done.err
