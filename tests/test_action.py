"""The composite action and the pre-commit hook keep their promises.

Pure YAML reading; zizmor (scripts/lint-workflows) audits action.yml in depth.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
PINNED = re.compile(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_./-]+@[0-9a-f]{40}\Z")


def load(name: str) -> Any:
    return yaml.safe_load((ROOT / name).read_text(encoding="utf-8"))


def test_action_runs_no_input_as_shell_code() -> None:
    """No expression is expanded inside a script; inputs reach scripts as variables."""
    action = load("action.yml")
    assert action["runs"]["using"] == "composite"
    scripts = [step["run"] for step in action["runs"]["steps"] if "run" in step]
    assert scripts
    for script in scripts:
        assert "${{" not in script
    for step in action["runs"]["steps"]:
        if "uses" in step:
            assert PINNED.match(step["uses"]), step["uses"]


def test_action_installs_itself_and_offers_every_command() -> None:
    """catalogbot comes from the action's own checkout; its inputs cover the commands."""
    action = load("action.yml")
    assert {"command", "catalog", "shard", "args"} <= set(action["inputs"])
    install = next(s for s in action["runs"]["steps"] if s.get("id") == "install")
    assert install["env"]["ACTION_PATH"] == "${{ github.action_path }}"
    run = next(s for s in action["runs"]["steps"] if s.get("id") == "run")
    for command in ("validate", "check", "accept", "sync", "merge", "site"):
        assert command in run["run"]
    assert "GITHUB_TOKEN" not in run["env"], "the token is given to sync only"


def test_pre_commit_hook_validates_the_catalog() -> None:
    """The hook runs `catalogbot validate` when catalog.yaml changes."""
    [hook] = load(".pre-commit-hooks.yaml")
    assert hook["entry"] == "catalogbot validate"
    assert hook["language"] == "python"
    assert re.search(hook["files"], "catalog.yaml")
    assert not re.search(hook["files"], "docs/catalog.yaml.md")
    assert hook["pass_filenames"] is False
