"""``catalogbot sync`` from the command line: configuration, exit codes, and the token."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from catalogbot.check.result import CheckResult, Reason, Status
from conftest import Serve
from fakegithub import FakeGitHub, Fault
from support.results import results_text
from support.webserver import Reply, Site
from test_cli_check import cli

CATALOG = "version: 1\nresources:\n  - id: alpha\n    title: Alpha toolkit\n    url: https://alpha.example.org/toolkit\n"


@pytest.fixture
def fake_github_files() -> dict[str, str]:
    return {"catalog.yaml": CATALOG}


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    (tmp_path / "catalog.yaml").write_text(CATALOG)
    broken = CheckResult(
        "alpha", "https://alpha.example.org/toolkit", Status.BROKEN, Reason.http(404)
    )
    (tmp_path / "results.json").write_text(results_text(broken))
    return tmp_path


def env_for(fake: FakeGitHub, **extra: str) -> dict[str, str]:
    return {
        "GITHUB_TOKEN": fake.token,
        "GITHUB_REPOSITORY": fake.repo,
        "GITHUB_API_URL": fake.url,
        "CATALOGBOT_WAYBACK_URL": "",
        **extra,
    }


def sync(workdir: Path, fake: FakeGitHub, *args: str, **env: str) -> tuple[int, str]:
    done = cli(
        "sync", "--results", "results.json", "--write-interval", "0", *args,
        cwd=workdir, env=env_for(fake, **env),
    )  # fmt: skip
    output = done.stdout + done.stderr
    assert "Traceback" not in output
    assert fake.token not in output
    return done.returncode, output


def test_two_runs_open_an_issue_and_exit_0(workdir: Path, fake_github: FakeGitHub) -> None:
    """With --confirm-runs 2 the second check's results open the issue; both exit 0."""
    assert sync(workdir, fake_github)[0] == 0
    broken = CheckResult(
        "alpha", "https://alpha.example.org/toolkit", Status.BROKEN, Reason.http(404)
    )
    (workdir / "results.json").write_text(results_text(broken, finished_at="2026-11-29T06:23:00Z"))
    code, output = sync(workdir, fake_github)
    assert code == 0
    assert "open an issue for 'alpha'" in output
    titles = [i["title"] for i in fake_github.issues()]
    assert "Broken link: Alpha toolkit" in titles


def test_confirm_runs_1_opens_at_once(workdir: Path, fake_github: FakeGitHub) -> None:
    """--confirm-runs 1 reports on the first failing run."""
    code, _ = sync(workdir, fake_github, "--confirm-runs", "1")
    assert code == 0
    assert any(i["title"] == "Broken link: Alpha toolkit" for i in fake_github.issues())


def test_dry_run_prints_the_plan_and_writes_nothing(workdir: Path, fake_github: FakeGitHub) -> None:
    """--dry-run lists what it would do and sends no write."""
    code, output = sync(workdir, fake_github, "--dry-run", "--confirm-runs", "1")
    assert code == 0
    assert "would open an issue for 'alpha'" in output
    assert [r for r in fake_github.requests if r.method != "GET"] == []


def test_bad_token_is_a_configuration_error(workdir: Path, fake_github: FakeGitHub) -> None:
    """GitHub refusing the token: exit 2, a message saying so, the token nowhere in it."""
    fake_github.expect_rejections()
    code, output = sync(workdir, fake_github, GITHUB_TOKEN="ghp_wrongwrongwrong0123456789")
    assert code == 2
    assert "GitHub refused the token" in output
    assert "ghp_wrongwrong" not in output


def test_missing_permission_names_it(workdir: Path, fake_github: FakeGitHub) -> None:
    """A permissions 403 on creating issues says which permission the workflow needs."""
    fake_github.fail_next("POST", "/repos/{owner}/{repo}/issues", Fault.FORBIDDEN, times=5)
    code, output = sync(workdir, fake_github, "--confirm-runs", "1")
    assert code == 2
    assert "issues: write" in output


def test_server_errors_that_persist_fail_the_action_with_exit_1(
    workdir: Path, fake_github: FakeGitHub
) -> None:
    """A write GitHub keeps failing is reported, the rest goes on, and the exit code is 1."""
    fake_github.fail_next("POST", "/repos/{owner}/{repo}/issues", Fault.BAD_GATEWAY, times=4)
    code, output = sync(workdir, fake_github, "--confirm-runs", "1")
    assert code == 1
    assert "FAILED open an issue for 'alpha'" in output


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"GITHUB_TOKEN": ""}, "GITHUB_TOKEN is not set"),
        ({"GITHUB_REPOSITORY": "just-a-name"}, "owner/name"),
        ({"GITHUB_API_URL": "ftp://x"}, "http(s) URL"),
    ],
)
def test_configuration_errors_exit_2(
    workdir: Path, fake_github: FakeGitHub, env: dict[str, str], message: str
) -> None:
    """A missing token or a malformed repository or API URL: exit 2 before any request."""
    code, output = sync(workdir, fake_github, **env)
    assert code == 2
    assert message in output
    assert fake_github.requests == []


def test_unreadable_results_file_exits_2(workdir: Path, fake_github: FakeGitHub) -> None:
    """A results file that is not JSON: exit 2, naming the file."""
    (workdir / "results.json").write_text("{not json")
    code, output = sync(workdir, fake_github)
    assert code == 2
    assert "results.json: not JSON" in output


@pytest.mark.parametrize(
    ("field", "value"),
    [("similarity", "0.3"), ("final_url", 5), ("status", "fine"), ("redirects", "none")],
)
def test_malformed_results_exit_2(
    workdir: Path, fake_github: FakeGitHub, field: str, value: object
) -> None:
    """A hand-edited results file with a wrong field: exit 2 naming it, before any write."""
    data = json.loads((workdir / "results.json").read_text())
    data["results"][0][field] = value
    (workdir / "results.json").write_text(json.dumps(data))
    code, output = sync(workdir, fake_github)
    assert code == 2
    assert "result 0 is malformed" in output
    assert [r for r in fake_github.requests if r.method != "GET"] == []


def test_unknown_repository_is_a_configuration_error(
    workdir: Path, fake_github: FakeGitHub
) -> None:
    """A repository the token cannot see: exit 2, saying what to check."""
    fake_github.expect_rejections()
    code, output = sync(workdir, fake_github, GITHUB_REPOSITORY="octo/nonexistent")
    assert code == 2
    assert "GITHUB_REPOSITORY" in output


def test_unparseable_api_url_is_a_configuration_error(
    workdir: Path, fake_github: FakeGitHub
) -> None:
    """GITHUB_API_URL that is not a URL: exit 2, no traceback."""
    code, output = sync(workdir, fake_github, GITHUB_API_URL="http://[::1")
    assert code == 2
    assert "GITHUB_API_URL" in output


def test_archive_and_run_link_come_from_the_environment(
    workdir: Path, fake_github: FakeGitHub, sites: Serve
) -> None:
    """CATALOGBOT_WAYBACK_URL names the archive asked for a copy; the Actions variables
    give the dashboard its link to the run."""
    copy = "https://web.archive.org/web/2024/https://alpha.example.org/toolkit"
    data = {"archived_snapshots": {"closest": {"available": True, "url": copy}}}
    reply = Reply(200, json.dumps(data).encode(), (("Content-Type", "application/json"),))
    (archive,) = sites(Site({"/available": reply}))
    env = {
        "CATALOGBOT_WAYBACK_URL": archive.url("/available"),
        "GITHUB_SERVER_URL": "https://github.com",
        "GITHUB_RUN_ID": "987",
    }
    code, _ = sync(workdir, fake_github, "--confirm-runs", "1", **env)
    assert code == 0
    (issue,) = [i for i in fake_github.issues() if i["title"].startswith("Broken")]
    assert f"The Internet Archive has [a copy of the page from 2024](<{copy}>)." in issue["body"]
    assert [r.path for r in archive.log] == [
        "/available?url=https%3A%2F%2Falpha.example.org%2Ftoolkit"
    ]
    (board,) = [i for i in fake_github.issues() if "catalogbot:dashboard" in i["body"]]
    assert f"https://github.com/{fake_github.repo}/actions/runs/987" in board["body"]


def test_the_same_results_file_synced_again_is_one_run(
    workdir: Path, fake_github: FakeGitHub
) -> None:
    """A results file from one check, synced twice, counts once for --confirm-runs."""
    data = json.loads((workdir / "results.json").read_text())
    data["finished_at"] = "2026-11-30T06:40:00Z"
    (workdir / "results.json").write_text(json.dumps(data))
    for _ in range(2):
        assert sync(workdir, fake_github)[0] == 0
    assert not any(i["title"].startswith("Broken") for i in fake_github.issues())
    data["finished_at"] = "2026-12-01T06:40:00Z"
    (workdir / "results.json").write_text(json.dumps(data))
    assert sync(workdir, fake_github)[0] == 0
    assert any(i["title"] == "Broken link: Alpha toolkit" for i in fake_github.issues())
