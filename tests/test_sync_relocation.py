"""``sync`` proposing the new address of a broken link whose resource was found again on
its site, across several runs against the fake GitHub."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from catalogbot.check.result import CheckResult, Relocation
from catalogbot.github.actions import CloseIssue
from catalogbot.github.markers import EntryMarker
from catalogbot.github.plan import SyncOptions, plan_issues
from catalogbot.github.remote import ClosedChange, Issue, RemoteState
from catalogbot.github.render import Entry
from fakegithub import FakeGitHub
from test_cli_sync import sync
from test_sync import CATALOG, URLS, Bot, dashboard, entry_issues, moved, open_pulls, result

PULLS = "/repos/{owner}/{repo}/pulls"
ALPHA_NEW = "https://alpha.example.org/resources/toolkit"
BETA_NEW = "https://beta.example.org/guides/beta"


def found(entry: str, to: str, source: str = "sitemap", similarity: float = 0.934) -> CheckResult:
    """A broken link whose resource check found at ``to`` and verified by its text."""
    return result(
        entry,
        "broken",
        "http_404",
        http_status=404,
        detail="the server answered 404 Not Found",
        suggested_url=to,
        relocation=Relocation(to, source, similarity),
    )


def changed_lines(before: str, after: bytes | None) -> list[tuple[str, str]]:
    assert after is not None
    pairs = zip(before.splitlines(), after.decode().splitlines(), strict=True)
    return [(a, b) for a, b in pairs if a != b]


def issue_of(fake: FakeGitHub, title: str) -> dict[str, Any]:
    (issue,) = [i for i in entry_issues(fake) if title in i["title"]]
    return issue


@pytest.fixture
def fake_github_files() -> dict[str, str]:
    return {"catalog.yaml": CATALOG, "README.md": "# catalog\n"}


@pytest.fixture
def bot(fake_github: FakeGitHub) -> Bot:
    return Bot(fake_github)


def test_a_found_resource_is_proposed_linked_and_closed_by_the_merge(bot: Bot) -> None:
    """Confirmed broken: an issue that names the pull request near the top, a pull
    request that edits only that url and closes the issue; merging it settles both."""
    bot.run(found("alpha", ALPHA_NEW))
    assert open_pulls(bot.fake) == []  # not confirmed yet: neither issue nor pull request
    assert entry_issues(bot.fake) == []
    bot.run(found("alpha", ALPHA_NEW))
    (pull,) = open_pulls(bot.fake)
    issue = issue_of(bot.fake, "Alpha toolkit")
    assert pull["title"] == "Fix broken links: the resources were found at new addresses"
    assert f"Closes #{issue['number']}" in pull["body"]
    top = issue["body"].split("### About this resource")[0]
    assert f"**A fix is proposed in pull request #{pull['number']}.**" in top
    assert f"<{ALPHA_NEW}>" in top
    assert "in the site's sitemap" in top
    assert "93% of the text reviewed for it" in top
    assert f"merge #{pull['number']}; merging it closes this issue" in top
    edited = bot.fake.read_file("catalog.yaml", "catalogbot/redirects")
    assert changed_lines(CATALOG, edited) == [
        (f"    url: {URLS['alpha']}", f"    url: {ALPHA_NEW}")
    ]
    board = dashboard(bot.fake)["body"]
    assert f"issue #{issue['number']}; fix proposed in #{pull['number']}" in board
    assert (
        bot.fake.requests_to("POST", "/repos/{owner}/{repo}/issues/{issue_number}/comments") == []
    )

    report = bot.run(found("alpha", ALPHA_NEW))  # the same findings: only the check time moves
    assert [o.action.kind for o in report.outcomes] == ["save-dashboard"]

    bot.fake.merge_pull(pull["number"], by="alice")
    assert bot.fake.issue(issue["number"])["state"] == "closed"
    merged = bot.fake.read_file("catalog.yaml")
    assert merged is not None
    bot.catalog_text = merged.decode()  # the next check reads the merged catalog
    bot.run(result("alpha", url=ALPHA_NEW))
    assert bot.fake.issue(issue["number"])["state"] == "closed"
    assert open_pulls(bot.fake) == []
    assert len(bot.fake.requests_to("POST", PULLS)) == 1
    assert "Alpha toolkit" not in dashboard(bot.fake)["body"].split("checked:**")[1]


def test_a_redirect_and_a_found_resource_share_one_pull_request(bot: Bot) -> None:
    """One pull request, a title for both kinds, a section each with its own evidence,
    and exactly the two url lines changed."""
    for _ in range(2):
        bot.run(found("alpha", ALPHA_NEW, "site_links", 0.871), moved("beta", BETA_NEW))
    (pull,) = open_pulls(bot.fake)
    issue = issue_of(bot.fake, "Alpha toolkit")
    body = pull["body"]
    assert pull["title"] == "Update links that moved, and broken links found at new addresses"
    moved_part, found_part = body.split("## Broken links whose resource was found")
    assert "## Links that moved (1)" in moved_part
    assert f"- **New address:** <{BETA_NEW}>" in moved_part
    assert "Beta guide" in moved_part
    assert "Alpha toolkit" not in moved_part
    assert (
        f"- **Old address:** <{URLS['alpha']}>\n- **What is wrong with it:** the page is gone"
        in found_part
    )
    assert f"- **New address:** <{ALPHA_NEW}>" in found_part
    assert "- **Where it was found:** on a page of the site that links to it" in found_part
    assert (
        "- **Text match:** 87% of the text reviewed for this resource is on the new page"
        in found_part
    )
    assert "please open each new address and confirm it is the same resource" in body
    assert f"Closes #{issue['number']}" in found_part
    edited = bot.fake.read_file("catalog.yaml", "catalogbot/redirects")
    assert changed_lines(CATALOG, edited) == [
        (f"    url: {URLS['alpha']}", f"    url: {ALPHA_NEW}"),
        (
            "    url: 'https://beta.example.org/guide'   # moved last year?",
            f"    url: '{BETA_NEW}'   # moved last year?",
        ),
    ]
    assert f"fix proposed in #{pull['number']}" in dashboard(bot.fake)["body"]
    report = bot.run(found("alpha", ALPHA_NEW, "site_links", 0.871), moved("beta", BETA_NEW))
    assert [o.action.kind for o in report.outcomes] == ["save-dashboard"]


def test_a_declined_relocation_is_not_proposed_again(bot: Bot) -> None:
    """Closing the pull request unmerged declines that new address: never proposed
    again, the issue drops the link and the dashboard says so; another address is."""
    for _ in range(2):
        bot.run(found("alpha", ALPHA_NEW))
    (pull,) = open_pulls(bot.fake)
    issue = issue_of(bot.fake, "Alpha toolkit")
    bot.fake.close_pull(pull["number"], by="alice")
    for _ in range(3):
        bot.run(found("alpha", ALPHA_NEW))
    assert open_pulls(bot.fake) == []
    assert len(bot.fake.requests_to("POST", PULLS)) == 1
    assert (
        f"the new address found was declined in #{pull['number']}" in (dashboard(bot.fake)["body"])
    )
    body = bot.fake.issue(issue["number"])["body"]
    assert "A fix is proposed" not in body
    assert f"**The new address found was declined in #{pull['number']}.**" in body
    assert f"catalogbot found the resource at <{ALPHA_NEW}>" in body
    assert "Search for the resource by its title" in body
    elsewhere = "https://alpha.example.org/library/toolkit"
    bot.run(found("alpha", elsewhere, "url_pattern", 0.99))
    (again,) = open_pulls(bot.fake)
    assert again["number"] != pull["number"]
    assert "by the pattern the site's other moved pages follow" in again["body"]
    assert (
        f"proposed in pull request #{again['number']}" in (bot.fake.issue(issue["number"])["body"])
    )


def test_a_relocation_that_changes_target_updates_the_pull_request(bot: Bot) -> None:
    """A new verified address moves the same pull request on (a commit on top) and
    refreshes the issue quietly; it still closes the same issue."""
    for _ in range(2):
        bot.run(found("alpha", ALPHA_NEW))
    (pull,) = open_pulls(bot.fake)
    issue = issue_of(bot.fake, "Alpha toolkit")
    first = bot.fake.branch_sha("catalogbot/redirects")
    newer = "https://alpha.example.org/2026/toolkit"
    bot.run(found("alpha", newer))
    (still,) = open_pulls(bot.fake)
    assert still["number"] == pull["number"]
    assert newer in still["body"]
    assert ALPHA_NEW not in still["body"]
    assert f"Closes #{issue['number']}" in still["body"]
    edited = bot.fake.read_file("catalog.yaml", "catalogbot/redirects")
    assert changed_lines(CATALOG, edited) == [(f"    url: {URLS['alpha']}", f"    url: {newer}")]
    assert first in [c.sha for c in bot.fake.commits("catalogbot/redirects")]
    body = bot.fake.issue(issue["number"])["body"]
    assert f"<{newer}>" in body
    assert f"#{pull['number']}" in body
    assert (
        bot.fake.requests_to("POST", "/repos/{owner}/{repo}/issues/{issue_number}/comments") == []
    )


def test_a_resource_found_later_notifies_the_issue_and_links_the_fix(bot: Bot) -> None:
    """An issue opened for a plain 404 gets one comment when the resource is found, and
    its body then names the pull request; nothing is proposed for unconfirmed entries."""
    for _ in range(2):
        bot.run(result("alpha", "broken", "http_404"))
    issue = issue_of(bot.fake, "Alpha toolkit")
    bot.run(found("alpha", ALPHA_NEW), found("beta", BETA_NEW))
    (pull,) = open_pulls(bot.fake)
    assert "Beta guide" not in pull["body"]  # seen broken once only: not yet
    path = f"/repos/{bot.fake.repo}/issues/{issue['number']}/comments"
    comments = [r.json["body"] for r in bot.fake.requests if r.method == "POST" and r.path == path]
    assert len(comments) == 1
    assert f"**News:** catalogbot found the resource at <{ALPHA_NEW}>" in comments[0]
    assert "open the new address and confirm it is the same resource" in comments[0]
    assert f"proposed in pull request #{pull['number']}" in bot.fake.issue(issue["number"])["body"]


def test_an_address_on_another_site_is_never_proposed(bot: Bot) -> None:
    """Resources are only searched for on their own site: a found address elsewhere (a
    results file edited by hand) gets no pull request, and the issue links none."""
    elsewhere = "https://mirror.example.net/toolkit"
    other_port = "https://alpha.example.org:8443/toolkit"
    for _ in range(2):
        bot.run(found("alpha", elsewhere), found("beta", other_port.replace("alpha", "beta")))
    assert open_pulls(bot.fake) == []
    assert bot.fake.requests_to("POST", PULLS) == []
    assert all("A fix is proposed" not in i["body"] for i in entry_issues(bot.fake))


def test_an_issue_left_open_after_the_merge_closes_naming_the_new_address() -> None:
    """When a merged fix did not close the issue itself, the healthy link closes it
    saying the new address was put in the catalog (not that a page change was accepted)."""
    remote = RemoteState("main", "https://github.com/octo/catalog", "octo")
    marker = EntryMarker("alpha", "0" * 16, None, None)
    remote.issues["alpha"] = Issue(3, "Broken link", "", "open", None, frozenset(), marker)
    remote.closed[("alpha", "1" * 16)] = ClosedChange("redirects", 4, merged=True)
    entry = Entry(result("alpha", url=ALPHA_NEW), "Alpha toolkit", 6, "https://x/#L6")
    (action,) = plan_issues({"alpha": entry}, remote, {"alpha"}, SyncOptions())
    assert isinstance(action, CloseIssue)
    assert (
        action.comment == "The new address was put in the catalog in #4, so this issue is closed."
    )


def test_a_muted_link_gets_no_proposal(bot: Bot) -> None:
    """An issue closed as not planned keeps the bot quiet about that link, found
    address included."""
    for _ in range(2):
        bot.run(result("alpha", "broken", "http_404"))
    issue = issue_of(bot.fake, "Alpha toolkit")
    bot.fake.close_issue(issue["number"], reason="not_planned")
    for _ in range(2):
        bot.run(found("alpha", ALPHA_NEW))
    assert open_pulls(bot.fake) == []
    assert bot.fake.issue(issue["number"])["state"] == "closed"


def test_the_command_reads_a_relocation_from_the_results_file(
    tmp_path: Path, fake_github: FakeGitHub
) -> None:
    """``catalogbot sync`` on a results file as check writes it: the found address is
    proposed and the issue links the pull request, exit 0."""
    (tmp_path / "catalog.yaml").write_text(CATALOG)
    rows: list[dict[str, object]] = [
        {"id": i, "url": u, "status": "ok", "reason": "ok"} for i, u in URLS.items()
    ]
    rows[0] = {
        "id": "alpha", "url": URLS["alpha"], "status": "broken", "reason": "http_404",
        "http_status": 404, "suggested_url": ALPHA_NEW,
        "relocation": {"url": ALPHA_NEW, "source": "site_links", "similarity": 0.9},
    }  # fmt: skip
    document = {"offline": False, "finished_at": "2026-11-01T06:30:00Z", "results": rows}
    (tmp_path / "results.json").write_text(json.dumps(document))
    code, output = sync(tmp_path, fake_github, "--confirm-runs", "1")
    assert code == 0, output
    (pull,) = open_pulls(fake_github)
    assert "link pull request" in output
    issue = issue_of(fake_github, "Alpha toolkit")
    assert f"A fix is proposed in pull request #{pull['number']}" in issue["body"]
    assert "on a page of the site that links to it" in pull["body"]


def test_a_pull_request_a_person_took_over_stays_linked(bot: Bot) -> None:
    """Once a maintainer commits to the fix branch the bot leaves it alone: the issue
    keeps pointing at it without being rewritten, and stops when the address found is
    no longer the one it proposes."""
    for _ in range(2):
        bot.run(found("alpha", ALPHA_NEW))
    (pull,) = open_pulls(bot.fake)
    issue = issue_of(bot.fake, "Alpha toolkit")
    bot.fake.push_commit("catalogbot/redirects", {"NOTES.md": "checked\n"}, by="alice")
    report = bot.run(found("alpha", ALPHA_NEW))
    assert [o.action.kind for o in report.outcomes] == ["save-dashboard"]
    assert f"fix proposed in #{pull['number']}" in dashboard(bot.fake)["body"]
    elsewhere = "https://alpha.example.org/elsewhere"
    bot.run(found("alpha", elsewhere))
    body = bot.fake.issue(issue["number"])["body"]
    assert "A fix is proposed" not in body
    assert f"**New address found:** catalogbot found the resource at <{elsewhere}>" in body
    report = bot.run(found("alpha", elsewhere))
    assert [o.action.kind for o in report.outcomes] == ["save-dashboard"]
