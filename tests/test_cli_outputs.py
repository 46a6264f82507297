"""Where ``check`` writes: never over an input, never two reports in one file, and a
report that cannot be written never takes the run's report or exit code with it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from clirun import catalog, run
from conftest import Serve
from support.webserver import Reply, RunningSite, Site, page


def live(site: RunningSite) -> tuple[str, ...]:
    """Options for a run against the loopback site: it is also the canary, so a slow
    moment on a busy machine is never taken for an offline one; no text workers."""
    return ("--allow-private", "--workers", "0", "--canary", site.url("/"))


@pytest.fixture
def site(sites: Serve) -> RunningSite:
    (running,) = sites(Site({"/ok": page("Healthy page", "content"), "/gone": Reply(404, b"")}))
    return running


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY"):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["c.yaml", "--json", "c.yaml"], "is c.yaml, which this command reads"),
        (["c.yaml", "--markdown", "./c.yaml"], "which this command reads"),
        (["--catalog", "c.yaml", "--json", "link.yaml"], "which this command reads"),
        (["c.yaml", "--json", "r.out", "--markdown", "r.out"], "is also the file of --json"),
        (["c.yaml", "--json", "-", "--markdown", "-"], "only one report can go to standard"),
        (["c.yaml", "--json", "snapshots/r.json"], "where baselines live"),
        (["c.yaml", "--json", "sub"], "is a directory"),
        (["c.yaml", "--json", "/dev/null"], "is not a regular file"),
        (["c.yaml", "--json", ""], "give a file name"),
    ],
)
def test_an_output_that_would_clobber_an_input_is_refused_first(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, args: list[str], message: str
) -> None:
    """Exit 2 before any request, and every input byte for byte as it was."""
    written = catalog(tmp_path / "c.yaml", [("a", "http://127.0.0.1:9/")])
    (tmp_path / "link.yaml").symlink_to(written)
    (tmp_path / "snapshots").mkdir()
    (tmp_path / "sub").mkdir()
    before = written.read_bytes()
    done = run(capsys, "check", *args)
    assert done.code == 2
    assert message in done.err
    assert written.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.yaml", "link.yaml", "snapshots", "sub"]


def test_a_report_that_cannot_be_written_keeps_the_run(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, site: RunningSite
) -> None:
    """The write fails after the run: the broken link is still reported and exit stays 1;
    the other report is written and the failure is named."""
    catalog(tmp_path / "c.yaml", [("gone", site.url("/gone"))])
    done = run(
        capsys, "check", "c.yaml", *live(site), "--markdown", "r.md",
        "--json", "/proc/catalogbot-results.json",
    )  # fmt: skip
    assert done.code == 1
    assert "BROKEN   gone" in done.out
    assert "/proc/catalogbot-results.json: cannot be written" in done.err
    assert "the report above is complete" in done.err
    assert "## Broken links (1)" in (tmp_path / "r.md").read_text()


def test_json_to_standard_output_keeps_it_pure(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, site: RunningSite
) -> None:
    """--json - prints only the JSON document on stdout; the report goes to stderr."""
    catalog(tmp_path / "c.yaml", [("gone", site.url("/gone")), ("ok", site.url("/ok"))])
    done = run(capsys, "check", "c.yaml", *live(site), "--json", "-")
    assert done.code == 1
    document = json.loads(done.out)
    assert {r["id"] for r in document["results"]} == {"gone", "ok"}
    assert "BROKEN   gone" in done.err


def test_quiet_prints_only_what_needs_attention(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, site: RunningSite
) -> None:
    """-q: nothing at all for a healthy catalog; the broken link alone otherwise."""
    catalog(tmp_path / "c.yaml", [("ok", site.url("/ok"))])
    healthy = run(capsys, "check", "c.yaml", *live(site), "-q")
    assert (healthy.code, healthy.out) == (0, "")
    assert run(capsys, "validate", "c.yaml", "-q").out == ""
    catalog(tmp_path / "c.yaml", [("ok", site.url("/ok")), ("gone", site.url("/gone"))])
    broken = run(capsys, "check", "c.yaml", *live(site), "--quiet", "-v")
    assert broken.code == 1
    assert "gone" in broken.out
    assert "(line 3)" not in broken.out  # the healthy entry is not listed


def test_markdown_names_the_real_catalog_file(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    site: RunningSite,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The report and the annotations point at my-list.yaml, not at catalog.yaml."""
    catalog(tmp_path / "my-list.yaml", [("gone", site.url("/gone"))])
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(tmp_path / "summary.md"))
    done = run(capsys, "check", "my-list.yaml", *live(site), "--markdown", "r.md")
    assert done.code == 1, done.both
    report = (tmp_path / "r.md").read_text()
    assert "my\\-list.yaml line 5" in report, report
    assert "catalog.yaml line" not in report, report
    assert "::error file=my-list.yaml,line=5" in done.out, done.out


@pytest.mark.parametrize(
    "command", ["validate", "check", "accept", "sync", "changed-ids", "schema"]
)
def test_every_help_lists_its_exit_codes(capsys: pytest.CaptureFixture[str], command: str) -> None:
    """--help ends with the command's exit codes, and exits 0."""
    done = run(capsys, command, "--help")
    assert done.code == 0
    codes = done.out.split("exit codes:", 1)[1]
    assert "  0  " in codes
    assert "  2  " in codes


def test_schema_on_a_full_disk_is_one_line_and_exit_2(tmp_path: Path) -> None:
    """schema > /dev/full: a clear message, exit 2, no traceback."""
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "catalogbot", "schema"],
            stdout=full, stderr=subprocess.PIPE, text=True, cwd=tmp_path, check=False,
        )  # fmt: skip
    assert done.returncode == 2
    assert done.stderr.strip() == (
        "error: standard output could not be written (No space left on device)"
    )


def test_schema_with_a_catalog_validates_it_first(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """schema CATALOG is not ignored: an invalid catalog exits 2 with its problems."""
    (tmp_path / "bad.yaml").write_text("version: 1\nresources: 7\n")
    bad = run(capsys, "schema", "bad.yaml")
    assert bad.code == 2
    assert "bad.yaml:2:" in bad.out
    catalog(tmp_path / "good.yaml", [("a", "https://example.org/")])
    good = run(capsys, "schema", "--catalog", "good.yaml")
    assert good.code == 0
    assert json.loads(good.out)["title"] == "catalogbot catalog"


def test_a_narrow_output_encoding_gets_escapes_not_a_traceback(tmp_path: Path) -> None:
    """PYTHONIOENCODING=ascii and a non-ASCII key: the problem is printed with escapes."""
    (tmp_path / "c.yaml").write_text("version: 1\nresources: []\n\u00e9: 1\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "catalogbot", "validate", "c.yaml"],
        capture_output=True, text=True, cwd=tmp_path, check=False,
        env={**os.environ, "PYTHONIOENCODING": "ascii"},
    )  # fmt: skip
    assert done.returncode == 1
    assert "c.yaml:3:1: \\xe9: unknown field" in done.stdout
    assert "Traceback" not in done.stderr


def test_readme_exit_code_table_matches_the_help() -> None:
    """Each command's column in the README lists exactly the codes its --help lists."""
    from catalogbot.commands.help import EXIT_CODES

    readme = (Path(__file__).parent.parent / "README.md").read_text()
    table = readme.split("### Exit codes", 1)[1].split("\n\n", 2)[1].splitlines()
    commands = [cell.strip().strip("`") for cell in table[0].split("|")[2:-1]]
    documented: dict[str, set[int]] = {name: set() for name in commands}
    for row in table[2:]:
        code, *cells = [cell.strip() for cell in row.split("|")[1:-1]]
        for name, cell in zip(commands, cells, strict=True):
            if cell:
                documented[name].add(int(code))
    for name in commands:
        assert documented[name] == {int(line.split()[0]) for line in EXIT_CODES[name]}, name


def test_a_reader_that_stops_early_is_no_error(tmp_path: Path) -> None:
    """validate | head -c 1: the closed pipe drops the rest quietly, and the exit code is
    still validate's own."""
    lines = ["version: 1", "resources:"]
    for index in range(3000):
        lines += [f"  - id: e{index}", "    title: T"]
    (tmp_path / "catalog.yaml").write_text("\n".join(lines) + "\n")
    with subprocess.Popen(
        [sys.executable, "-m", "catalogbot", "validate", "--max-problems", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path,
    ) as process:  # fmt: skip
        assert process.stdout is not None
        assert process.stderr is not None
        assert process.stdout.read(1) == b"c"
        process.stdout.close()
        error = process.stderr.read().decode()
        code = process.wait(timeout=30)
    assert error == "catalog.yaml: 3,000 problems found\n"
    assert code == 1
