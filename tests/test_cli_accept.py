"""``catalogbot accept`` from the command line, and what ``check`` does with its baselines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import Serve
from support.webserver import Reply, RunningSite, Site, page
from test_cli_check import cli, write_catalog

WORDS = "naloxone reverses opioid overdoses and every county can distribute it freely " * 10


@pytest.fixture
def site(sites: Serve) -> RunningSite:
    (running,) = sites(
        Site(
            {
                "/a": page("Naloxone Saves", WORDS),
                "/b": page("Recovery courts", WORDS[::-1]),
                "/thin": page("Apply", "Use the form below to apply."),
                "/gone": Reply(404, b""),
            }
        )
    )
    return running


def test_accept_all_then_check_is_ok(tmp_path: Path, site: RunningSite) -> None:
    """accept --all records one snapshot per entry; check then finds nothing changed."""
    write_catalog(tmp_path / "catalog.yaml", [("a", site.url("/a")), ("b", site.url("/b"))])
    done = cli("accept", "--all", "--allow-private", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "recorded a: snapshots/a.txt" in done.stdout
    assert sorted(p.name for p in (tmp_path / "snapshots").iterdir()) == ["a.txt", "b.txt"]
    checked = cli("check", "--allow-private", "--json", "r.json", cwd=tmp_path)
    assert checked.returncode == 0
    results = json.loads((tmp_path / "r.json").read_text())["results"]
    assert {r["similarity"] for r in results} == {1.0}


def test_accept_warns_when_a_baseline_has_almost_no_text(tmp_path: Path, site: RunningSite) -> None:
    """A baseline of a few words cannot protect anything: recorded, with a warning."""
    write_catalog(tmp_path / "catalog.yaml", [("a", site.url("/a")), ("thin", site.url("/thin"))])
    done = cli("accept", "--all", "--allow-private", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "warning  thin: the baseline has only 7 words" in done.stdout
    assert "selector" in done.stdout
    assert "warning  a:" not in done.stdout


def test_accept_named_ids_with_the_catalog_first(tmp_path: Path, site: RunningSite) -> None:
    """accept CATALOG ID records only that entry."""
    write_catalog(tmp_path / "my.yaml", [("a", site.url("/a")), ("b", site.url("/b"))])
    done = cli("accept", "my.yaml", "b", "--allow-private", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert [p.name for p in (tmp_path / "snapshots").iterdir()] == ["b.txt"]


def test_drift_after_accept_exits_1_and_the_report_shows_the_change(
    tmp_path: Path, site: RunningSite
) -> None:
    """The page is replaced after it was accepted: exit 1, drifted, a diff in the report."""
    write_catalog(tmp_path / "catalog.yaml", [("a", site.url("/a"))])
    assert cli("accept", "a", "--allow-private", cwd=tmp_path).returncode == 0
    site.site.routes["/a"] = page(
        "Naloxone Saves", "quarterly budget tables and meeting minutes " * 10
    )
    done = cli("check", "--allow-private", "--markdown", "r.md", cwd=tmp_path)
    assert done.returncode == 1
    assert "CHANGED" in done.stdout
    assert "\n         title: “Naloxone Saves” (unchanged)\n" in done.stdout
    assert "text was: “Naloxone Saves naloxone reverses opioid overdoses" in done.stdout
    assert "/ now: “Naloxone Saves quarterly budget tables and meeting" in done.stdout
    report = (tmp_path / "r.md").read_text()
    assert "## Pages that changed (1)" in report
    assert "- Now it begins: “Naloxone Saves quarterly budget tables" in report
    assert "```diff" in report
    assert "catalogbot accept a" in report


def test_accept_refuses_a_broken_page(tmp_path: Path, site: RunningSite) -> None:
    """A 404 is not recorded: exit 1 and the reason."""
    write_catalog(tmp_path / "catalog.yaml", [("gone", site.url("/gone"))])
    done = cli("accept", "--all", "--allow-private", cwd=tmp_path)
    assert done.returncode == 1
    assert "refused  gone: broken (http_404)" in done.stdout
    assert not (tmp_path / "snapshots").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "say which resources to accept"),
        (["--all", "a"], "either --all or resource ids"),
        (["nope"], "no resource has the id 'nope'"),
    ],
)
def test_accept_usage_errors(tmp_path: Path, args: list[str], message: str) -> None:
    """Nothing to accept, both forms, or an unknown id: exit 2 with a clear line."""
    write_catalog(tmp_path / "catalog.yaml", [("a", "https://example.org/")])
    done = cli("accept", *args, cwd=tmp_path)
    assert done.returncode == 2
    assert message in done.stderr
