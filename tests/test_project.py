"""The promises the README makes about setting up and testing hold."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def readme_commands() -> list[str]:
    """The shell commands in the README's 'Set up' section, in order."""
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Set up", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", section)


def test_readme_has_one_install_and_run_and_one_test_command() -> None:
    """Two one-line commands: install and run the main job, install and run the tests."""
    run, test = readme_commands()
    assert "pip install" in run
    assert "catalogbot " in run
    assert "pip install" in test
    assert "pytest" in test


def test_ci_runs_the_readme_test_command_exactly() -> None:
    """.ci/run runs the README's test command verbatim, so the two cannot drift apart."""
    _, test = readme_commands()
    ci = (ROOT / ".ci" / "run").read_text().splitlines()
    assert test in ci
    assert ci[0] == "#!/usr/bin/env bash"
    assert "set -euo pipefail" in ci


def test_each_layer_imports_first_without_a_cycle() -> None:
    """The page analysis uses check's vocabulary while check runs the analysis: importing
    either side first, in a fresh interpreter, must work (no eager import of the run)."""
    import subprocess
    import sys

    for statement in (
        "import catalogbot.drift.analyse",
        "import catalogbot.check",
        "import catalogbot.check.run",
        "from catalogbot.check import check_resources",
    ):
        done = subprocess.run(
            [sys.executable, "-c", statement], capture_output=True, text=True, check=False
        )
        assert done.returncode == 0, done.stderr
