"""``catalogbot validate`` and ``catalogbot schema`` as a maintainer runs them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from catalogbot.cli import main

ROOT = Path(__file__).resolve().parent.parent
BAD = "version: 1\nresources:\n  - id: a\n    tittle: A\n    url: ftp://a\n"


def run(
    *args: str, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the installed command line in a child process."""
    return subprocess.run(
        [sys.executable, "-m", "catalogbot", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        check=False,
        timeout=60,
    )


def test_bundled_catalog_is_valid() -> None:
    """The catalog in the repository passes its own validator."""
    result = run("validate", str(ROOT / "catalog.yaml"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "valid (9 resources)" in result.stdout


def test_default_catalog_is_the_one_in_the_working_directory() -> None:
    """With no argument, ./catalog.yaml is validated."""
    result = run("validate", cwd=ROOT)
    assert result.returncode == 0, result.stderr


def test_invalid_catalog_lists_every_problem(tmp_path: Path) -> None:
    """Exit 1 and one PATH:LINE:COL line per problem."""
    catalog = tmp_path / "catalog.yaml"
    catalog.write_text(BAD)
    result = run("validate", str(catalog))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines == [
        f"{catalog}:3:5: resources[0]: missing required field 'title'",
        f"{catalog}:4:5: resources[0].tittle: unknown field 'tittle' (did you mean 'title'?)",
        f"{catalog}:5:10: resources[0].url: URL must start with http:// or https://",
    ]
    assert "3 problems" in result.stderr
    assert "Traceback" not in result.stderr


def test_catalog_option_is_the_same_as_the_argument(tmp_path: Path) -> None:
    """--catalog PATH works like the positional CATALOG."""
    catalog = tmp_path / "c.yaml"
    catalog.write_text(BAD)
    assert main(["validate", "--catalog", str(catalog)]) == 1
    assert main(["validate", str(catalog), "--catalog", str(catalog)]) == 1


def test_two_different_catalogs_are_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Giving both forms with different paths is ambiguous: exit 2."""
    assert main(["validate", "a.yaml", "--catalog", "b.yaml"]) == 2
    assert "two different catalogs" in capsys.readouterr().err


@pytest.mark.parametrize("make", ["missing", "directory", "unreadable"])
def test_unreadable_file_is_a_usage_error(
    tmp_path: Path, make: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A file that cannot be read exits 2 with one line saying why."""
    path = tmp_path / "catalog.yaml"
    if make == "directory":
        path.mkdir()
    elif make == "unreadable":
        path.write_text("version: 1\n")
        path.chmod(0)
        try:
            path.read_bytes()
        except PermissionError:
            pass
        else:
            path.chmod(0o600)
            path.unlink()
            path.mkdir()  # running as root: a directory is just as unreadable as a catalog
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert str(path) in err
    assert err.count("\n") == 1


def test_github_annotations_in_actions(tmp_path: Path) -> None:
    """In GitHub Actions every problem is also an ::error annotation on its line."""
    catalog = tmp_path / "catalog.yaml"
    catalog.write_text(BAD)
    env = {"GITHUB_ACTIONS": "true", "PATH": "/usr/bin:/bin"}
    result = run("validate", str(catalog), env=env)
    annotations = [line for line in result.stdout.splitlines() if line.startswith("::error")]
    assert len(annotations) == 3
    assert annotations[0].startswith(f"::error file={catalog},line=3,col=5,title=")
    assert annotations[1].endswith(
        "::resources[0].tittle: unknown field 'tittle' (did you mean 'title'?)"
    )


def test_no_annotations_outside_actions(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a laptop the output is only the plain problem lines."""
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    catalog = tmp_path / "catalog.yaml"
    catalog.write_text(BAD)
    main(["validate", str(catalog)])
    assert "::error" not in capsys.readouterr().out


def test_unknown_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    """A mistyped command exits 2 with argparse's message, not a traceback."""
    assert main(["valdate"]) == 2
    assert "invalid choice" in capsys.readouterr().err


def test_version() -> None:
    """--version names the program."""
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.startswith("catalogbot ")


def test_committed_schema_is_current() -> None:
    """catalog.schema.json is what `catalogbot schema` prints; regenerate it when this fails."""
    result = run("schema")
    assert result.returncode == 0
    committed = (ROOT / "catalog.schema.json").read_text()
    assert result.stdout == committed, "run: catalogbot schema > catalog.schema.json"
    schema = json.loads(committed)
    assert schema["required"] == ["version", "resources"]
    assert schema["additionalProperties"] is False


def test_catalog_points_editors_at_the_schema() -> None:
    """The catalog's first line tells YAML editors where the schema is."""
    first = (ROOT / "catalog.yaml").read_text().splitlines()[0]
    assert first == "# yaml-language-server: $schema=./catalog.schema.json"


def test_one_catalog_spelled_two_ways_is_one_catalog(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The same file as CATALOG and as --catalog, through another spelling or a link."""
    catalog = tmp_path / "catalog.yaml"
    catalog.write_text("version: 1\nresources:\n  - id: a\n    title: A\n    url: https://a.org/\n")
    (tmp_path / "link.yaml").symlink_to(catalog)
    assert main(["validate", str(catalog), "--catalog", str(tmp_path / "." / "catalog.yaml")]) == 0
    assert main(["validate", str(catalog), "--catalog", str(tmp_path / "link.yaml")]) == 0
    capsys.readouterr()
