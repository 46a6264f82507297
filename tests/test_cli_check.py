"""``catalogbot check`` as a person or a scheduled run uses it: exit codes and files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import Serve
from support.webserver import Reply, RunningSite, Site, closed_port, page, redirect

RESULT_KEYS = {
    "id",
    "url",
    "status",
    "reason",
    "http_status",
    "final_url",
    "attempts",
    "elapsed_ms",
}


def write_catalog(path: Path, entries: list[tuple[str, str]], extra: str = "") -> Path:
    lines = ["version: 1", "resources:"]
    for rid, url in entries:
        lines += [f"  - id: {rid}", f"    title: Title of {rid}", f'    url: "{url}"']
    path.write_text("\n".join(lines) + "\n" + extra)
    return path


def cli(
    *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
    return subprocess.run(
        [sys.executable, "-m", "catalogbot", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**base, **(env or {})},
        check=False,
        timeout=120,
    )


@pytest.fixture
def site(sites: Serve) -> RunningSite:
    (running,) = sites(
        Site(
            {
                "/ok": page("Healthy page", "content"),
                "/gone": Reply(404, b"gone"),
                "/old": redirect("/new", 301),
                "/new": page("New home", "content"),
            }
        )
    )
    return running


def test_all_healthy_exits_0_and_writes_the_results(tmp_path: Path, site: RunningSite) -> None:
    """Exit 0, and the JSON has one result per entry with the contract's keys."""
    url = site.url("/ok")
    catalog = write_catalog(tmp_path / "catalog.yaml", [("a", url)])
    done = cli("check", "--allow-private", "--json", "out.json", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    data = json.loads((tmp_path / "out.json").read_text())
    (result,) = data["results"]
    assert result.keys() >= RESULT_KEYS
    assert (result["id"], result["status"], result["http_status"]) == ("a", "ok", 200)
    assert data["summary"]["ok"] == 1
    assert data["offline"] is False
    assert catalog.name in data["catalog"]


def test_broken_or_moved_exits_1_with_a_report(tmp_path: Path, site: RunningSite) -> None:
    """Exit 1; the terminal lists what needs attention; the Markdown report says what to do."""
    entries = [("ok", site.url("/ok")), ("gone", site.url("/gone")), ("moved", site.url("/old"))]
    write_catalog(tmp_path / "catalog.yaml", entries)
    done = cli(
        "check", "catalog.yaml", "--allow-private", "--json", "r.json", "--markdown", "r.md",
        cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 1
    assert "BROKEN" in done.stdout
    assert "http_404" in done.stdout
    assert "3 links: 1 broken, 1 redirected, 1 ok" in done.stdout
    statuses = {
        r["id"]: r["status"] for r in json.loads((tmp_path / "r.json").read_text())["results"]
    }
    assert statuses == {"ok": "ok", "gone": "broken", "moved": "redirected"}
    report = (tmp_path / "r.md").read_text()
    assert "## Broken links (1)" in report
    assert "What to do" in report
    assert site.url("/new") in report


def test_only_checks_the_named_entries(tmp_path: Path, site: RunningSite) -> None:
    """--only ID limits the run to those entries."""
    entries = [("ok", site.url("/ok")), ("gone", site.url("/gone"))]
    write_catalog(tmp_path / "catalog.yaml", entries)
    done = cli("check", "--allow-private", "--only", "ok", "--json", "r.json", cwd=tmp_path)
    assert done.returncode == 0
    ids = [r["id"] for r in json.loads((tmp_path / "r.json").read_text())["results"]]
    assert ids == ["ok"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--only", "nope"], "no resource has the id 'nope'"),
        (["--timeout", "0"], "must be more than 0"),
        (["--timeout", "soon"], "not a number"),
        (["--retries", "-1"], "must be 0 or more"),
        (["--concurrency", "0"], "must be 1 or more"),
        (["--json", "missing-dir/out.json"], "does not exist"),
        (["--user-agent", "bot\r\nX-Evil: 1"], "printable ASCII text on one line"),
        (["--host-interval", "1e300"], "60 seconds or less"),
        (["--frobnicate"], "unrecognized arguments"),
    ],
)
def test_usage_errors_exit_2(tmp_path: Path, args: list[str], message: str) -> None:
    """Bad options exit 2 with one clear line, before any request."""
    write_catalog(tmp_path / "catalog.yaml", [("a", "https://example.org/")])
    done = cli("check", *args, cwd=tmp_path)
    assert done.returncode == 2
    assert message in done.stderr
    assert "Traceback" not in done.stderr


def test_invalid_catalog_exits_2_with_its_problems(tmp_path: Path) -> None:
    """check refuses a broken catalog with the same located messages as validate."""
    (tmp_path / "catalog.yaml").write_text("version: 1\nresources:\n  - id: a\n    title: A\n")
    done = cli("check", cwd=tmp_path)
    assert done.returncode == 2
    assert "catalog.yaml:3:5: resources[0]: missing required field 'url'" in done.stdout


def test_missing_catalog_exits_2(tmp_path: Path) -> None:
    """No catalog.yaml where one is expected: exit 2, saying which file."""
    done = cli("check", cwd=tmp_path)
    assert done.returncode == 2
    assert "catalog.yaml: no such file" in done.stderr


def test_offline_machine_exits_3_and_still_writes_results(tmp_path: Path) -> None:
    """Every host fails and so does the canary: exit 3, a clear message, nothing broken."""
    dead = [(f"d{i}", f"https://host{i}.catalogbot-test.invalid/page") for i in range(4)]
    write_catalog(tmp_path / "catalog.yaml", dead)
    canary = f"http://127.0.0.30:{closed_port('127.0.0.30')}/"
    done = cli("check", "--json", "r.json", "--canary", canary, "--allow-private", cwd=tmp_path)
    assert done.returncode == 3, done.stdout + done.stderr
    assert "NO NETWORK" in done.stdout
    data = json.loads((tmp_path / "r.json").read_text())
    assert data["offline"] is True
    assert data["summary"]["broken"] == 0
    assert {r["reason"] for r in data["results"]} == {"runner_offline"}


def test_github_actions_annotations_and_summary(tmp_path: Path, site: RunningSite) -> None:
    """In Actions: an annotation on the failing URL's line, and a job summary."""
    entries = [("ok", site.url("/ok")), ("gone", site.url("/gone"))]
    write_catalog(tmp_path / "catalog.yaml", entries)
    summary = tmp_path / "summary.md"
    env = {"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)}
    done = cli("check", "--allow-private", cwd=tmp_path, env=env)
    assert done.returncode == 1
    (annotation,) = [line for line in done.stdout.splitlines() if line.startswith("::")]
    assert annotation.startswith(
        "::error file=catalog.yaml,line=8,col=10,title=broken%3A Title of gone::"
    )
    assert "## Broken links (1)" in summary.read_text()


def test_skip_in_the_catalog_is_reported_and_exits_0(tmp_path: Path, site: RunningSite) -> None:
    """A skipped entry needs no attention; its reason is in the results."""
    catalog = write_catalog(tmp_path / "catalog.yaml", [("s", site.url("/gone"))])
    catalog.write_text(catalog.read_text() + "    check:\n      skip: checked by hand\n")
    done = cli("check", "--allow-private", "--json", "r.json", cwd=tmp_path)
    assert done.returncode == 0
    (result,) = json.loads((tmp_path / "r.json").read_text())["results"]
    assert (result["status"], result["detail"]) == ("skipped", "not checked: checked by hand")


def test_results_that_cannot_be_written_exit_2(tmp_path: Path, site: RunningSite) -> None:
    """A --json path that cannot be written: a clear error after the run, no traceback."""
    write_catalog(tmp_path / "catalog.yaml", [("ok", site.url("/ok"))])
    done = cli("check", "--allow-private", "--json", "/proc/version", cwd=tmp_path)
    assert done.returncode == 2
    assert "/proc/version: cannot be written" in done.stderr
    assert "Traceback" not in done.stderr
