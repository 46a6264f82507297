"""The GitHub Actions workflows keep their security properties.

Pure YAML reading: no network, no linters. The linters (zizmor, actionlint) run from
scripts/lint-workflows; these tests pin the promises that matter most, so that an edit that
breaks one fails the test suite even where the linters are not installed.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW_DIR = ROOT / ".github" / "workflows"
WORKFLOWS = sorted([*WORKFLOW_DIR.glob("*.yml"), *WORKFLOW_DIR.glob("*.yaml")])
SCHEDULED = WORKFLOW_DIR / "catalogbot.yml"
PULL_REQUEST = WORKFLOW_DIR / "catalog-pr.yml"

# The only jobs that may hold a token that can write: (workflow file name, job id).
WRITERS = {
    ("catalogbot.yml", "sync"),
    ("catalogbot.yml", "history"),  # pushes the health page's history branch
    ("catalogbot.yml", "pages"),  # deploys the health page
}
# The job that keeps the schedule alive may write to Actions and nothing else, and
# checks nothing out.
KEEP_ALIVE = ("catalogbot.yml", "keep-alive")

PINNED = re.compile(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_./-]+@[0-9a-f]{40}")
USES_LINE = re.compile(r"^\s*(?:-\s+)?uses:\s*(?P<ref>\S+)(?P<rest>.*)$")
VERSION_COMMENT = re.compile(r"\s+#\s*v\d+(?:\.\d+)*\s*$")
READ_ONLY = {"read", "none"}


def load(path: Path) -> dict[str, Any]:
    """One workflow file as a mapping."""
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(document, dict), f"{path.name}: not a mapping"
    return document


def triggers(workflow: dict[Any, Any]) -> dict[str, Any]:
    """The workflow's `on:` as a mapping (YAML 1.1 reads the key `on` as True)."""
    on = workflow.get("on", workflow.get(True))
    if isinstance(on, str):
        return {on: None}
    if isinstance(on, list):
        return dict.fromkeys(on)
    assert isinstance(on, dict), "`on:` is missing or malformed"
    return on


def jobs(workflow: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The workflow's jobs by id."""
    found = workflow.get("jobs")
    assert isinstance(found, dict)
    assert found, "a workflow without jobs"
    return found


def steps(job: dict[str, Any]) -> list[dict[str, Any]]:
    """A job's steps (none for a job that calls a reusable workflow)."""
    found = job.get("steps", [])
    assert isinstance(found, list)
    return found


def write_scopes(permissions: Any) -> list[str]:
    """The scopes a `permissions:` value grants write access to ('*' for write-all)."""
    if permissions is None or permissions == {}:
        return []
    if isinstance(permissions, str):
        return [] if permissions == "read-all" else ["*"]
    assert isinstance(permissions, dict), f"permissions of an unknown form: {permissions!r}"
    return sorted(scope for scope, level in permissions.items() if level not in READ_ONLY)


def ids(paths: list[Path]) -> list[str]:
    """Test ids: the workflow file names."""
    return [path.name for path in paths]


def test_the_expected_workflows_exist() -> None:
    """The CI, scheduled-check and pull-request workflows are all there to be tested."""
    names = {path.name for path in WORKFLOWS}
    assert {"ci.yml", SCHEDULED.name, PULL_REQUEST.name} <= names


@pytest.mark.parametrize("path", WORKFLOWS, ids=ids(WORKFLOWS))
def test_every_action_is_pinned_to_a_commit(path: Path) -> None:
    """Every remote `uses:` names a full 40-hex commit, never a movable tag or branch."""
    for job_id, job in jobs(load(path)).items():
        refs = [job["uses"]] if "uses" in job else []
        refs += [step["uses"] for step in steps(job) if "uses" in step]
        for ref in refs:
            if ref.startswith("./"):
                continue  # an action or workflow of this repository, at this commit
            assert PINNED.fullmatch(ref), f"{path.name}: job {job_id}: {ref} is not pinned"


@pytest.mark.parametrize("path", WORKFLOWS, ids=ids(WORKFLOWS))
def test_every_pinned_action_names_its_version(path: Path) -> None:
    """Each pinned `uses:` line carries a `# vX.Y.Z` comment, so a reviewer can read it."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        match = USES_LINE.match(line)
        if match is None or match["ref"].startswith("./"):
            continue
        assert VERSION_COMMENT.fullmatch(match["rest"]), (
            f"{path.name}:{number}: no version comment after {match['ref']}"
        )


@pytest.mark.parametrize("path", WORKFLOWS, ids=ids(WORKFLOWS))
def test_no_workflow_runs_privileged_on_pull_requests(path: Path) -> None:
    """No workflow uses pull_request_target, which runs fork code with the base's token."""
    assert "pull_request_target" not in triggers(load(path))


def test_pull_request_workflow_is_unprivileged() -> None:
    """The catalog PR workflow runs on pull_request with a read-only token and no secrets."""
    workflow = load(PULL_REQUEST)
    assert "pull_request" in triggers(workflow)
    assert workflow.get("permissions") == {"contents": "read"}
    assert "secrets." not in PULL_REQUEST.read_text(encoding="utf-8")


@pytest.mark.parametrize("path", WORKFLOWS, ids=ids(WORKFLOWS))
def test_top_level_permissions_are_empty_or_read_only(path: Path) -> None:
    """Each workflow states its default permissions, and they grant no write access."""
    workflow = load(path)
    assert "permissions" in workflow, f"{path.name}: no top-level permissions"
    assert write_scopes(workflow["permissions"]) == []


@pytest.mark.parametrize("path", WORKFLOWS, ids=ids(WORKFLOWS))
def test_only_the_writer_jobs_may_write(path: Path) -> None:
    """Write permissions appear on the scheduled workflow's writers and nowhere else."""
    for job_id, job in jobs(load(path)).items():
        if (path.name, job_id) in WRITERS:
            continue
        if (path.name, job_id) == KEEP_ALIVE:
            assert job["permissions"] == {"actions": "write"}
            assert not any("uses" in step for step in job["steps"])
            assert "/enable" in job["steps"][0]["run"]
            continue
        assert write_scopes(job.get("permissions")) == [], f"{path.name}: job {job_id}"


def test_sync_job_holds_exactly_the_write_scopes_it_needs() -> None:
    """The sync job can write contents, issues and pull requests, and nothing more."""
    sync = jobs(load(SCHEDULED))["sync"]
    assert sync["permissions"] == {
        "contents": "write",
        "issues": "write",
        "pull-requests": "write",
    }


def test_check_job_reads_contents_only() -> None:
    """The job that fetches pages from anywhere holds a contents: read token and no more."""
    check = jobs(load(SCHEDULED))["check"]
    assert check["permissions"] == {"contents": "read"}


def test_token_reaches_only_the_steps_that_need_it() -> None:
    """Secrets appear only as GITHUB_TOKEN in the env of the steps that talk to GitHub."""
    workflow = load(SCHEDULED)
    holders = [
        (job_id, step.get("name"), key)
        for job_id, job in jobs(workflow).items()
        for step in steps(job)
        for key, value in (step.get("env") or {}).items()
        if "secrets." in str(value)
    ]
    assert holders == [
        ("sync", "Sync GitHub with the results", "GITHUB_TOKEN"),
        ("history", "Fetch the history", "GITHUB_TOKEN"),
        ("history", "Push the history", "GITHUB_TOKEN"),
    ]
    assert SCHEDULED.read_text(encoding="utf-8").count("secrets.") == 3


def test_health_page_jobs_hold_only_what_they_need() -> None:
    """Recording the history writes contents only; publishing the page writes Pages only."""
    workflow = jobs(load(SCHEDULED))
    assert workflow["history"]["permissions"] == {"contents": "write"}
    assert workflow["pages"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert [step.get("uses", "").split("@")[0] for step in steps(workflow["pages"])] == [
        "actions/deploy-pages"
    ]


@pytest.mark.parametrize("path", WORKFLOWS, ids=ids(WORKFLOWS))
def test_no_expression_inside_a_run_script(path: Path) -> None:
    """No `run:` script contains `${{`: values reach scripts through env, never by splicing."""
    for job_id, job in jobs(load(path)).items():
        for step in steps(job):
            if "run" in step:
                assert "${{" not in step["run"], f"{path.name}: job {job_id}: {step['run']!r}"


@pytest.mark.parametrize("path", WORKFLOWS, ids=ids(WORKFLOWS))
def test_every_job_has_a_timeout(path: Path) -> None:
    """Every job sets timeout-minutes to a positive whole number, well below the default 6 h."""
    for job_id, job in jobs(load(path)).items():
        if "uses" in job:
            continue  # a reusable-workflow call takes its timeouts from that workflow
        timeout = job.get("timeout-minutes")
        assert isinstance(timeout, int), f"{path.name}: job {job_id} has no timeout-minutes"
        assert 0 < timeout <= 120, f"{path.name}: job {job_id}: timeout-minutes {timeout}"


@pytest.mark.parametrize("path", WORKFLOWS, ids=ids(WORKFLOWS))
def test_checkout_keeps_no_credentials(path: Path) -> None:
    """Every actions/checkout step sets persist-credentials: false."""
    for job_id, job in jobs(load(path)).items():
        for step in steps(job):
            if str(step.get("uses", "")).startswith("actions/checkout@"):
                options = step.get("with") or {}
                assert options.get("persist-credentials") is False, f"{path.name}: {job_id}"


def test_schedule_runs_at_a_fixed_minute_other_than_the_hour() -> None:
    """Every cron of the scheduled check fires at one minute past 0, not at :00 or `*`."""
    schedule = triggers(load(SCHEDULED))["schedule"]
    assert schedule, "the scheduled check has no schedule"
    for entry in schedule:
        minute = entry["cron"].split()[0]
        assert minute.isdigit(), f"minute {minute!r} is not one fixed minute"
        assert 1 <= int(minute) <= 59, f"minute {minute!r}"


def test_scheduled_check_can_be_started_by_hand() -> None:
    """workflow_dispatch offers the dry-run (boolean) and only (string) inputs."""
    inputs = triggers(load(SCHEDULED))["workflow_dispatch"]["inputs"]
    assert inputs["dry-run"]["type"] == "boolean"
    assert inputs["dry-run"]["default"] is False
    assert inputs["only"]["type"] == "string"


def test_scheduled_runs_never_overlap() -> None:
    """The scheduled workflow has a concurrency group that never cancels a running sync."""
    concurrency = load(SCHEDULED).get("concurrency")
    assert isinstance(concurrency, dict), "no concurrency on the scheduled workflow"
    assert concurrency.get("group")
    assert concurrency.get("cancel-in-progress") is False


def test_sync_is_skipped_when_the_runner_was_offline() -> None:
    """sync needs the merged results and does not run when they say offline (exit 3)."""
    sync = jobs(load(SCHEDULED))["sync"]
    assert sync["needs"] == "merge"
    assert re.fullmatch(r"needs\.merge\.outputs\.exit-code != '3'", sync["if"])


def test_check_runs_as_a_matrix_of_shards_through_the_action() -> None:
    """An input sets how many shards (default 1); each matrix job runs check --shard
    through the repository's own action and uploads its results as its own artifact."""
    workflow = load(SCHEDULED)
    shards = triggers(workflow)["workflow_dispatch"]["inputs"]["shards"]
    assert (shards["type"], shards["default"]) == ("choice", "1")
    check = jobs(workflow)["check"]
    assert check["needs"] == "plan"
    assert check["strategy"]["matrix"]["shard"] == "${{ fromJSON(needs.plan.outputs.shards) }}"
    assert check["strategy"]["fail-fast"] is False
    (run,) = [step for step in steps(check) if step.get("uses") == "./"]
    assert run["with"]["command"] == "check"
    assert "matrix.shard" in run["with"]["shard"]
    (upload,) = [s for s in steps(check) if "upload-artifact" in s.get("uses", "")]
    assert upload["with"]["name"] == "shard-${{ matrix.shard }}"


def test_one_job_merges_the_shards_for_sync_and_history() -> None:
    """merge downloads every shard, runs catalogbot merge through the action, and uploads
    check-results, which sync and history download (once each)."""
    workflow = jobs(load(SCHEDULED))
    merge = workflow["merge"]
    assert merge["needs"] == ["plan", "check"]
    assert merge["permissions"] == {"contents": "read"}
    (download,) = [s for s in steps(merge) if "download-artifact" in s.get("uses", "")]
    assert download["with"]["pattern"] == "shard-*"
    assert [s["with"]["command"] for s in steps(merge) if s.get("uses") == "./"] == ["merge"]
    (upload,) = [s for s in steps(merge) if "upload-artifact" in s.get("uses", "")]
    assert upload["with"]["name"] == "check-results"
    for reader in ("sync", "history"):
        assert workflow[reader]["needs"] == "merge"
        names = [
            s["with"]["name"]
            for s in steps(workflow[reader])
            if "download-artifact" in s.get("uses", "")
        ]
        assert names == ["check-results"]


@pytest.mark.parametrize("path", WORKFLOWS, ids=ids(WORKFLOWS))
def test_no_dependency_cache(path: Path) -> None:
    """No job restores a cache another run could have poisoned."""
    for job_id, job in jobs(load(path)).items():
        for step in steps(job):
            uses = str(step.get("uses", ""))
            assert not uses.startswith("actions/cache"), f"{path.name}: job {job_id}"
            assert "cache" not in (step.get("with") or {}), f"{path.name}: job {job_id}"
