"""``sync`` across several runs against a fake GitHub that refuses what GitHub refuses."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from catalogbot.catalog import parse_catalog
from catalogbot.catalog.load import CatalogFile
from catalogbot.check.result import CheckResult, Hop, Reason, Status
from catalogbot.github.client import GitHubClient
from catalogbot.github.plan import SyncOptions
from catalogbot.github.sync import Results, Syncer, SyncReport
from fakegithub import FakeGitHub, Fault
from support.results import results_text

CATALOG = """\
# The catalog, with a comment that must survive every edit.
version: 1
resources:
  - id: alpha
    title: Alpha toolkit
    url: https://alpha.example.org/toolkit
  - id: beta
    title: "Beta guide"
    url: 'https://beta.example.org/guide'   # moved last year?
  - id: gamma
    title: Gamma video
    url: https://gamma.example.org/watch
"""
URLS = {
    "alpha": "https://alpha.example.org/toolkit",
    "beta": "https://beta.example.org/guide",
    "gamma": "https://gamma.example.org/watch",
}


TYPICAL_REASON = {
    Status.OK: Reason.OK,
    Status.BROKEN: Reason.http(404),
    Status.DRIFTED: Reason.CONTENT_CHANGED,
    Status.REDIRECTED: Reason.MOVED_PERMANENTLY,
    Status.UNVERIFIABLE: Reason.HTTP_403,
    Status.SKIPPED: Reason.EXCLUDED,
}


def result(entry: str, status: str = "ok", reason: str | None = None, **fields: Any) -> CheckResult:
    """A result as check would write it."""
    return CheckResult(
        id=entry,
        url=fields.pop("url", URLS[entry]),
        status=Status(status),
        reason=Reason(reason) if reason else TYPICAL_REASON[Status(status)],
        detail=fields.pop("detail", f"{entry} is {status}"),
        **fields,
    )


def moved(entry: str, to: str) -> CheckResult:
    return result(
        entry,
        "redirected",
        "moved_permanently",
        final_url=to,
        suggested_url=to,
        redirects=(Hop(URLS[entry], 301, to),),
    )


@pytest.fixture
def fake_github_files() -> dict[str, str]:
    return {"catalog.yaml": CATALOG, "README.md": "# catalog\n"}


class Bot:
    """Runs sync in-process against the fake, one run per call."""

    def __init__(self, fake: FakeGitHub, catalog_text: str = CATALOG, **options: Any) -> None:
        self.fake = fake
        self.catalog_text = catalog_text
        self.options = SyncOptions(**options)
        self.runs = 0
        self.lookups: list[str] = []
        self.run_link: str | None = None

    def catalog(self) -> CatalogFile:
        text, document, catalog = parse_catalog(self.catalog_text.encode())
        return CatalogFile(Path("catalog.yaml"), text, catalog, document)

    def run(
        self,
        *results: CheckResult,
        dry_run: bool = False,
        offline: bool = False,
        partial: bool = False,
        check: str | None = None,
    ) -> SyncReport:
        """One sync run; entries of the catalog not in ``results`` were ok, unless the run
        is ``partial`` (check --only). Each run syncs a new check unless ``check`` names
        the finished_at of one synced before."""
        self.runs += 1
        if not partial:
            given = {r.id for r in results}
            results += tuple(
                result(r.id, url=r.url)
                for r in self.catalog().catalog.resources
                if r.id not in given
            )
        client = GitHubClient(
            self.fake.token, self.fake.repo, self.fake.url, write_interval=0, sleep=lambda _: None
        )
        try:
            syncer = Syncer(
                client,
                self.catalog(),
                "catalog.yaml",
                self.options,
                dry_run=dry_run,
                now=f"2026-11-{self.runs:02d}T06:23:00Z",
                archive=self,
                run_link=self.run_link,
            )
            finished = check if check is not None else f"2026-11-{self.runs:02d}T06:30:00Z"
            return syncer.sync(Results(list(results), offline, finished))
        finally:
            client.close()

    def closest(self, url: str) -> str | None:
        """The archive the bot asks (a fake one that always has a copy)."""
        self.lookups.append(url)
        return f"https://web.archive.org/web/2024/{url}"

    def writes(self) -> list[str]:
        return [f"{r.method} {r.path}" for r in self.fake.requests if r.method != "GET"]


@pytest.fixture
def bot(fake_github: FakeGitHub) -> Bot:
    return Bot(fake_github)


def entry_issues(fake: FakeGitHub) -> list[dict[str, Any]]:
    return [i for i in fake.issues() if "catalogbot:entry=" in (i["body"] or "")]


def open_pulls(fake: FakeGitHub) -> list[dict[str, Any]]:
    return [i for i in fake.issues("open", pulls=True) if "pull_request" in i]


def dashboard(fake: FakeGitHub) -> dict[str, Any]:
    (board,) = [i for i in fake.issues() if "catalogbot:dashboard" in (i["body"] or "")]
    return board


def test_first_failure_waits_for_confirmation_then_opens_one_issue(bot: Bot) -> None:
    """Run 1: listed on the dashboard as waiting. Run 2: one issue, labelled, with the title."""
    bot.run(result("alpha", "broken", "http_404"), result("beta"))
    assert entry_issues(bot.fake) == []
    assert "**Waiting for another check (1):** **Alpha toolkit**." in dashboard(bot.fake)["body"]
    bot.run(result("alpha", "broken", "http_404"), result("beta"))
    (issue,) = entry_issues(bot.fake)
    assert "Alpha toolkit" in issue["title"]
    assert {label["name"] for label in issue["labels"]} == {"catalogbot", "link: broken"}
    assert "<!-- catalogbot:entry=alpha " in issue["body"]
    assert "catalog.yaml, line 6" in issue["body"]
    assert "web.archive.org" in issue["body"]
    assert f"#{issue['number']}" in dashboard(bot.fake)["body"]
    assert set(bot.fake.label_names()) >= {"catalogbot", "link: broken", "link: drifted"}


def test_same_result_again_writes_nothing(bot: Bot) -> None:
    """Once GitHub matches the results, syncing them again sends no write at all, and a
    new check with the same findings only moves the dashboard's last-check time."""
    for _ in range(2):
        bot.run(result("alpha", "broken", "http_404"))
    before = len(bot.writes())
    again = result("alpha", "broken", "http_404", detail="slightly different words")
    report = bot.run(again, check="2026-11-02T06:30:00Z")
    assert report.outcomes == []
    assert len(bot.writes()) == before
    report = bot.run(again)
    assert [o.action.kind for o in report.outcomes] == ["save-dashboard"]
    assert "4 November 2026, 06:30 UTC" in dashboard(bot.fake)["body"]


def test_status_change_adds_one_comment(bot: Bot) -> None:
    """broken (404) becoming broken (dns): one comment, the body refreshed, no new issue."""
    for _ in range(2):
        bot.run(result("alpha", "broken", "http_404"))
    bot.run(result("alpha", "broken", "dns", detail="the name does not resolve"))
    (issue,) = entry_issues(bot.fake)
    comments = bot.fake.requests_to("POST", "/repos/{owner}/{repo}/issues/{issue_number}/comments")
    assert len(comments) == 1
    assert "address no longer exists" in comments[0].json["body"]
    assert "reason=dns" in issue["body"]


def test_recovery_closes_and_a_relapse_reopens(bot: Bot) -> None:
    """A healthy link closes its issue with a comment; breaking again reopens the same one."""
    for _ in range(2):
        bot.run(result("alpha", "broken", "http_404"))
    bot.run(result("alpha"))
    (issue,) = entry_issues(bot.fake)
    assert (issue["state"], issue["state_reason"]) == ("closed", "completed")
    for _ in range(2):
        bot.run(result("alpha", "broken", "http_500"))
    (issue,) = entry_issues(bot.fake)
    assert issue["state"] == "open"


def test_not_planned_silences_until_the_url_changes(bot: Bot) -> None:
    """A maintainer's 'not planned' stops reports; a new URL for the entry starts them again."""
    for _ in range(2):
        bot.run(result("alpha", "broken", "http_404"))
    (issue,) = entry_issues(bot.fake)
    bot.fake.close_issue(issue["number"], reason="not_planned")
    before = len(bot.writes())
    bot.run(result("alpha", "broken", "http_404"))
    assert [w for w in bot.writes()[before:] if "/issues/" in w and "comments" in w] == []
    new_url = "https://alpha.example.org/toolkit-2025"
    bot.catalog_text = CATALOG.replace(URLS["alpha"], new_url)
    for _ in range(2):
        bot.run(result("alpha", "broken", "http_404", url=new_url))
    issues = entry_issues(bot.fake)
    assert len(issues) == 2
    assert sorted(i["state"] for i in issues) == ["closed", "open"]


def test_unverifiable_is_on_the_dashboard_and_never_issued(bot: Bot) -> None:
    """A bot wall is listed for people and gets no issue, however long it lasts."""
    for _ in range(3):
        bot.run(result("gamma", "unverifiable", "bot_challenge"))
    assert entry_issues(bot.fake) == []
    assert "## Open in a browser now and then (1)" in dashboard(bot.fake)["body"]
    # The page itself is one click away, under its title rather than a long address.
    assert f"- **[Gamma video](<{URLS['gamma']}>)**" in dashboard(bot.fake)["body"]


def test_new_issues_are_capped_per_run(fake_github: FakeGitHub) -> None:
    """A bad day opens at most the configured number of issues; the rest wait."""
    bot = Bot(fake_github, max_new_issues=1)
    failing = [result(e, "broken", "dns") for e in URLS]
    for _ in range(2):
        bot.run(*failing)
    assert len(entry_issues(fake_github)) == 1
    assert "issue not opened yet" in dashboard(fake_github)["body"]
    assert (
        "**Not opened yet:** 2 issues, because catalogbot opens at most 1 new"
        in (dashboard(fake_github)["body"])
    )
    bot.run(*failing)
    assert len(entry_issues(fake_github)) == 2


def test_remote_text_is_neutralised(bot: Bot) -> None:
    """Mentions, references and HTML from a remote page cannot ping, link or inject."""
    hostile = "Moved to <script>alert(1)</script> by @octocat, see #1 and [x](javascript:evil)"
    for _ in range(2):
        bot.run(result("alpha", "broken", "http_404", detail=hostile, excerpt="-old\n+new @admin"))
    (issue,) = entry_issues(bot.fake)
    body = issue["body"]
    assert "<script>" not in body
    assert "@octocat" not in body
    assert "@\u200boctocat" in body
    assert "#1 " not in body
    assert "](javascript" not in body
    assert len(body) < 65_536


def test_huge_evidence_stays_under_the_body_limit(bot: Bot) -> None:
    """However long the detail and diff, an issue body stays under 65,536 characters."""
    for _ in range(2):
        bot.run(
            result(
                "alpha",
                "drifted",
                "content_changed",
                excerpt="+x\n" * 100_000,
                detail="y" * 100_000,
            )
        )
    (issue,) = entry_issues(bot.fake)
    assert len(issue["body"]) < 65_536


def test_redirect_pull_request_lifecycle(bot: Bot) -> None:
    """Moved links: one PR that edits only those lines; updated in place; closed when done."""
    to_beta = "https://beta.example.org/guides/beta"
    for _ in range(2):
        bot.run(moved("beta", to_beta), result("alpha"))
    (pull,) = open_pulls(bot.fake)
    assert "beta" in pull["body"]
    edited = bot.fake.read_file("catalog.yaml", "catalogbot/redirects")
    assert edited is not None
    changed = [
        (a, b)
        for a, b in zip(CATALOG.splitlines(), edited.decode().splitlines(), strict=True)
        if a != b
    ]
    assert changed == [
        (
            "    url: 'https://beta.example.org/guide'   # moved last year?",
            f"    url: '{to_beta}'   # moved last year?",
        )
    ]
    to_alpha = "https://alpha.example.org/new"
    for _ in range(2):
        bot.run(moved("beta", to_beta), moved("alpha", to_alpha))
    (pull,) = open_pulls(bot.fake)
    assert "alpha" in pull["body"]
    assert "beta" in pull["body"]
    edited = bot.fake.read_file("catalog.yaml", "catalogbot/redirects")
    assert edited is not None
    assert to_alpha in edited.decode()
    bot.run(result("alpha"), result("beta"))
    assert open_pulls(bot.fake) == []
    assert "catalogbot/redirects" not in bot.fake.branches()


def test_a_person_pushing_to_the_branch_is_left_alone(bot: Bot) -> None:
    """When a maintainer commits to the bot's branch, the bot stops touching that PR."""
    to_beta = "https://beta.example.org/guides/beta"
    for _ in range(2):
        bot.run(moved("beta", to_beta))
    bot.fake.push_commit("catalogbot/redirects", {"NOTES.md": "checked by hand\n"}, by="alice")
    before = len(bot.writes())
    bot.run(result("beta"))
    assert [w for w in bot.writes()[before:] if "pulls" in w or "git/refs" in w] == []
    assert len(open_pulls(bot.fake)) == 1


def test_snapshot_pull_request_shows_the_page_change(bot: Bot) -> None:
    """A confirmed drift gets a PR that writes the new snapshot file."""
    snapshot = "catalogbot-snapshot: 1\nid: alpha\n\nnew words\n"
    drifted = result("alpha", "drifted", "content_changed", snapshot=snapshot)
    for _ in range(2):
        bot.run(drifted)
    (pull,) = open_pulls(bot.fake)
    assert pull["title"] == "Accept changes to pages"
    assert bot.fake.read_file("snapshots/alpha.txt", "catalogbot/snapshots") == snapshot.encode()


def test_rate_limits_and_server_errors_cause_no_duplicates(bot: Bot) -> None:
    """A secondary rate limit and a 502 in the middle of a run: no duplicate, nothing lost."""
    bot.run(result("alpha", "broken", "dns"), result("beta", "broken", "dns"))
    bot.fake.fail_next("POST", "/repos/{owner}/{repo}/issues", Fault.SECONDARY_RATE_LIMIT)
    bot.fake.fail_next("POST", "/repos/{owner}/{repo}/issues", Fault.BAD_GATEWAY)
    bot.fake.fail_next("PATCH", "/repos/{owner}/{repo}/issues/{issue_number}", Fault.BAD_GATEWAY)
    report = bot.run(result("alpha", "broken", "dns"), result("beta", "broken", "dns"))
    assert report.failed == []
    assert sorted(i["title"] for i in entry_issues(bot.fake)) == [
        "Broken link: Alpha toolkit",
        "Broken link: Beta guide",
    ]


def test_dry_run_sends_no_write(bot: Bot) -> None:
    """--dry-run plans everything and sends only reads."""
    bot.run(result("alpha", "broken", "dns"))
    before = len(bot.writes())
    report = bot.run(result("alpha", "broken", "dns"), dry_run=True)
    assert [a.kind for a in report.planned] == ["open-issue", "save-dashboard"]
    assert len(bot.writes()) == before


def test_dry_run_of_every_kind_of_write_sends_none(fake_github: FakeGitHub) -> None:
    """A first dry run that would create labels, issues, both fix pull requests and the
    dashboard plans each of them and sends reads only."""
    bot = Bot(fake_github, confirm_runs=1)
    snapshot = "catalogbot-snapshot: 1\nid: gamma\n\nnew words\n"
    report = bot.run(
        result("alpha", "broken", "dns"),
        moved("beta", "https://beta.example.org/new"),
        result("gamma", "drifted", "content_changed", snapshot=snapshot),
        dry_run=True,
    )
    kinds = {a.kind for a in report.planned}
    assert kinds >= {"create-label", "open-issue", "sync-pull", "save-dashboard"}
    assert sum(a.kind == "sync-pull" for a in report.planned) == 2
    assert bot.writes() == []


def test_offline_results_change_nothing(bot: Bot) -> None:
    """Results from a machine that was offline neither close nor open anything."""
    report = bot.run(result("alpha", "unverifiable", "runner_offline"), offline=True)
    assert report.planned == []
    assert bot.fake.requests == []


def test_entry_removed_from_the_catalog_closes_its_issue(bot: Bot) -> None:
    """An issue about an entry the catalog no longer lists is closed."""
    for _ in range(2):
        bot.run(result("gamma", "broken", "dns"))
    bot.catalog_text = CATALOG.split("  - id: gamma", maxsplit=1)[0]
    bot.run(result("alpha"))
    (issue,) = entry_issues(bot.fake)
    assert issue["state"] == "closed"


def test_results_file_reading(tmp_path: Path) -> None:
    """A results file written by check is read back whole."""
    from catalogbot.github.sync import read_results

    path = tmp_path / "r.json"
    path.write_text(results_text(result("alpha")))
    assert read_results(path).results[0].id == "alpha"


def test_partial_run_keeps_the_dashboard_whole(bot: Bot) -> None:
    """A run that checked only some entries still lists the others that need attention."""
    for _ in range(2):
        bot.run(result("alpha", "broken", "dns"), result("beta", "broken", "dns"))
    bot.run(result("beta"), partial=True)  # check --only beta
    body = dashboard(bot.fake)["body"]
    assert "Alpha toolkit" in body
    assert "Beta guide" not in body
    (alpha,) = [i for i in entry_issues(bot.fake) if "Alpha" in i["title"]]
    assert alpha["state"] == "open"


def test_stored_streak_this_version_does_not_know_is_skipped(bot: Bot) -> None:
    """A dashboard state naming a reason this version does not know (a rename, a hand
    edit) is left out of a partial run's dashboard instead of stopping the sync."""
    bot.run(result("alpha", "broken", "dns"))
    board = dashboard(bot.fake)
    issue = bot.fake.state.issue(board["number"])
    issue.body = (issue.body or "").replace('"dns"', '"renamed_reason"')
    report = bot.run(result("beta"), partial=True)
    assert "Alpha toolkit" not in dashboard(bot.fake)["body"]
    assert report.failed == []


def test_open_pull_requests_are_capped(fake_github: FakeGitHub) -> None:
    """With a cap of 1, moved links get a pull request and changed pages wait for room."""
    bot = Bot(fake_github, max_open_pulls=1)
    snapshot = "catalogbot-snapshot: 1\nid: alpha\n\nnew words\n"
    drifted = result("alpha", "drifted", "content_changed", snapshot=snapshot)
    for _ in range(2):
        report = bot.run(moved("beta", "https://beta.example.org/new"), drifted)
    (pull,) = open_pulls(fake_github)
    assert pull["title"] == "Update links that moved"
    assert any("limit of 1 open pull requests" in note for note in report.notes)


def test_partial_run_leaves_fix_pull_requests_alone(bot: Bot) -> None:
    """A run that checked only some entries neither shrinks nor closes a fix PR."""
    to_alpha, to_beta = "https://alpha.example.org/new", "https://beta.example.org/new"
    for _ in range(2):
        bot.run(moved("alpha", to_alpha), moved("beta", to_beta))
    (pull,) = open_pulls(bot.fake)
    report = bot.run(result("beta", "unverifiable", "bot_challenge"), partial=True)
    assert open_pulls(bot.fake) == [pull]
    assert any("left as they are" in note for note in report.notes)


def test_dashboard_state_survives_a_large_catalog(fake_github: FakeGitHub) -> None:
    """Hundreds of failing entries: the streaks are still read back on the next run."""
    lines = ["version: 1", "resources:"]
    for i in range(400):
        lines += [
            f"  - id: entry-{i:03d}",
            f"    title: Entry {i} " + "x" * 60,
            f"    url: https://h{i}.example.org/p",
        ]
    catalog = "\n".join(lines) + "\n"
    bot = Bot(fake_github, catalog_text=catalog, max_new_issues=0)
    failing = [
        CheckResult(
            f"entry-{i:03d}",
            f"https://h{i}.example.org/p",
            Status.BROKEN if i % 2 else Status.UNVERIFIABLE,
            Reason.DNS,
            "x" * 200,
        )
        for i in range(400)
    ]
    bot.run(*failing)
    bot.run(*failing)
    body = dashboard(fake_github)["body"]
    assert len(body) < 65_536
    from catalogbot.github.markers import parse_state

    state = parse_state(body)
    assert len(state.streaks) == 200
    assert {s.runs for s in state.streaks.values()} == {2}


def test_maintainer_labels_survive_an_update(bot: Bot) -> None:
    """A label a maintainer added stays when the bot updates the issue."""
    for _ in range(2):
        bot.run(result("alpha", "broken", "http_404"))
    (issue,) = entry_issues(bot.fake)
    bot.fake.label_issue(issue["number"], "needs-volunteer")
    bot.run(result("alpha", "drifted", "content_changed"))
    (issue,) = entry_issues(bot.fake)
    assert {label["name"] for label in issue["labels"]} == {
        "catalogbot", "link: drifted", "needs-volunteer",
    }  # fmt: skip


def test_archive_is_asked_only_for_issues_being_opened(bot: Bot) -> None:
    """Archive lookups are slow; they happen once, when an issue is opened."""
    for _ in range(4):
        bot.run(result("alpha", "broken", "http_404"))
    assert bot.lookups == [URLS["alpha"]]
