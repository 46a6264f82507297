"""``sync`` as maintainers live with it for months: closed and merged pull requests,
unchanged pages, repeated and odd results files, failing reads, and text for people."""

from __future__ import annotations

import pytest

from catalogbot.check.result import CheckResult
from catalogbot.github.markers import parse_entry, parse_state
from fakegithub import FakeGitHub, Fault
from test_sync import CATALOG, URLS, Bot, dashboard, entry_issues, moved, open_pulls, result

CONTEXT_CATALOG = CATALOG.replace(
    "    url: https://alpha.example.org/toolkit\n",
    "    url: https://alpha.example.org/toolkit\n"
    "    confidence: low\n"
    "    note: The fallback address is https://alpha.example.org/archive/toolkit.pdf\n",
) + (
    "strategies:\n"
    "  - id: naloxone\n"
    "    title: Naloxone distribution\n"
    "    url: https://strategies.example.org/naloxone\n"
    "    resources:\n"
    "      introductory: [alpha, beta]\n"
)
SNAPSHOT = "catalogbot-snapshot: 1\nid: alpha\naccepted-at: {at}\n\n{words}\n"
PULLS = "/repos/{owner}/{repo}/pulls"


def drifted(run: int, words: str = "new words") -> CheckResult:
    """A drifted page whose candidate snapshot is stamped with the check time."""
    snapshot = SNAPSHOT.format(at=f"2026-11-{run:02d}T06:23:00Z", words=words)
    return result("alpha", "drifted", "content_changed", snapshot=snapshot)


def comments_on(fake: FakeGitHub, number: int) -> list[str]:
    path = f"/repos/{fake.repo}/issues/{number}/comments"
    return [r.json["body"] for r in fake.requests if r.method == "POST" and r.path == path]


def git_writes(bot: Bot, since: int) -> list[str]:
    return [w for w in bot.writes()[since:] if "/git/" in w or "/contents/" in w or "pulls" in w]


@pytest.fixture
def fake_github_files() -> dict[str, str]:
    return {"catalog.yaml": CONTEXT_CATALOG, "README.md": "# catalog\n"}


@pytest.fixture
def bot(fake_github: FakeGitHub) -> Bot:
    return Bot(fake_github)


@pytest.fixture
def context_bot(fake_github: FakeGitHub) -> Bot:
    return Bot(fake_github, catalog_text=CONTEXT_CATALOG)


def test_a_declined_change_is_not_proposed_again(bot: Bot) -> None:
    """Closing the redirects pull request unmerged: the same change never comes back and
    the dashboard says it was declined; a different new address is proposed."""
    to_beta = "https://beta.example.org/guides/beta"
    for _ in range(2):
        bot.run(moved("beta", to_beta))
    (pull,) = open_pulls(bot.fake)
    bot.fake.close_pull(pull["number"], by="alice")
    for _ in range(3):
        bot.run(moved("beta", to_beta))
    assert open_pulls(bot.fake) == []
    assert len(bot.fake.requests_to("POST", PULLS)) == 1
    assert f"declined in #{pull['number']}" in dashboard(bot.fake)["body"]
    elsewhere = "https://beta.example.org/library/beta"
    for _ in range(2):
        bot.run(moved("beta", elsewhere))
    (again,) = open_pulls(bot.fake)
    assert again["number"] != pull["number"]
    assert elsewhere in again["body"]


def test_an_unchanged_page_leaves_the_snapshot_pull_request_alone(bot: Bot) -> None:
    """The candidate snapshot's time changes every check; the pull request does not. A
    real change on the page adds a commit on top; the pull request stays the same one."""
    for run in (1, 2):
        bot.run(drifted(run))
    (pull,) = open_pulls(bot.fake)
    first = bot.fake.branch_sha("catalogbot/snapshots")
    before = len(bot.writes())
    for run in (3, 4, 5):
        bot.run(drifted(run))
    assert git_writes(bot, before) == []
    assert bot.fake.branch_sha("catalogbot/snapshots") == first
    bot.run(drifted(6, "words changed again"))
    (still,) = open_pulls(bot.fake)
    assert still["number"] == pull["number"]
    assert [w for w in bot.writes()[before:] if "/git/refs" in w] == []  # never reset
    shas = [c.sha for c in bot.fake.commits("catalogbot/snapshots")]
    assert first in shas
    assert shas[0] != first
    content = bot.fake.read_file("snapshots/alpha.txt", "catalogbot/snapshots")
    assert content is not None
    assert b"words changed again" in content


def test_dashboard_counts_groups_and_links(bot: Bot, monkeypatch: pytest.MonkeyPatch) -> None:
    """Counts by status first, the last check with its run, each row linking its issue or
    pull request, muted entries as such, and one line for what is waiting."""
    bot.run_link = "https://github.com/octo/catalog/actions/runs/42"
    for _ in range(2):
        bot.run(result("alpha", "broken", "http_404"), moved("beta", "https://beta.example.org/n"))
    body = dashboard(bot.fake)["body"]
    assert "**3 links checked:** 1 broken · 1 moved · 1 fine" in body
    assert "[the run](https://github.com/octo/catalog/actions/runs/42)" in body
    assert "2 November 2026, 06:30 UTC" in body
    (issue,) = entry_issues(bot.fake)
    (pull,) = open_pulls(bot.fake)
    assert f"**Alpha toolkit** (since 1 November 2026): issue #{issue['number']}" in body
    assert f"**Beta guide** (since 1 November 2026): review pull request #{pull['number']}" in body
    assert "Nothing needs your attention" not in body
    assert "not opened yet" not in body
    bot.fake.close_issue(issue["number"], reason="not_planned")
    bot.run(result("alpha", "broken", "http_404"), result("gamma", "broken", "dns"))
    body = dashboard(bot.fake)["body"]
    assert "## Muted (1)" in body
    assert "**Waiting for another check (1):** **Gamma video**." in body
    # The counts add up to the lists: the muted and the waiting link are not "broken".
    assert "**3 links checked:** 1 waiting for another check · 1 muted · 1 fine" in body
    bot.run()
    body = dashboard(bot.fake)["body"]
    assert "**3 links checked:** 3 fine" in body
    assert "Nothing needs your attention right now." in body
    assert "Muted" not in body  # a muted link that works again is no longer listed


def test_a_failed_read_leaves_that_pull_request_alone_and_the_run_goes_on(bot: Bot) -> None:
    """A 404 on listing the bot branch's commits: the pull request is left as it is, the
    issues are still updated, nothing counts as a failed write."""
    for _ in range(2):
        bot.run(moved("beta", "https://beta.example.org/n"), result("alpha", "broken", "dns"))
    bot.fake.fail_next("GET", "/repos/{owner}/{repo}/commits", Fault.NOT_FOUND)
    report = bot.run(result("alpha"), result("beta"))
    assert report.failed == []
    assert any("redirects pull request was left as it is" in n for n in report.notes)
    assert len(open_pulls(bot.fake)) == 1
    (issue,) = entry_issues(bot.fake)
    assert issue["state"] == "closed"
    report = bot.run(result("alpha"), result("beta"))
    assert open_pulls(bot.fake) == []


def test_a_reason_with_a_space_keeps_its_issue(bot: Bot) -> None:
    """An issue whose marker holds a reason this version cannot read (edited by hand, or
    written by another version): still one issue, found again every run, no duplicate."""
    for _ in range(2):
        bot.run(result("alpha", "broken", "http_404"))
    (issue,) = entry_issues(bot.fake)
    stored = bot.fake.state.issues[issue["number"]]
    assert stored.body is not None
    assert "reason=http_404 -->" in stored.body
    stored.body = stored.body.replace(
        "reason=http_404 -->", "reason=gone%20for%20good%20%2D%2D%3E%20%3Cb%3E -->"
    )
    for _ in range(3):
        bot.run(result("alpha", "broken", "http_404"))
    (again,) = entry_issues(bot.fake)
    assert again["number"] == issue["number"]
    marker = parse_entry(again["body"])
    assert marker is not None
    assert marker.reason == "http_404"


def test_unknown_status_in_the_saved_state_is_dropped_with_a_note(bot: Bot) -> None:
    """Someone edits the dashboard's hidden state: the unreadable streak is dropped and
    named in a note; the run carries on."""
    bot.run(result("alpha", "broken", "dns"), result("beta", "broken", "dns"))
    board = dashboard(bot.fake)
    edited = board["body"].replace('"alpha":["broken"', '"alpha":["exploded"')
    bot.fake.state.issues[board["number"]].body = edited  # as if edited on github.com
    report = bot.run(result("alpha", "broken", "dns"), result("beta", "broken", "dns"))
    assert any("alpha" in n and "unknown status" in n for n in report.notes)
    assert report.failed == []
    assert [i["title"] for i in entry_issues(bot.fake)] == ["Broken link: Beta guide"]


def test_the_same_check_synced_again_counts_once(bot: Bot) -> None:
    """Syncing one results file three times is one run for --confirm-runs."""
    for _ in range(3):
        bot.run(result("alpha", "broken", "dns"), check="2026-11-01T06:30:00Z")
    assert entry_issues(bot.fake) == []
    bot.run(result("alpha", "broken", "dns"))
    assert len(entry_issues(bot.fake)) == 1


def test_an_id_repeated_in_one_file_does_not_open_its_issue_at_once(bot: Bot) -> None:
    """An entry listed twice in one results file counts as one failing run."""
    bot.run(result("alpha", "broken", "dns"), result("alpha", "broken", "dns"))
    assert entry_issues(bot.fake) == []
    state = parse_state(dashboard(bot.fake)["body"])
    assert state.streaks["alpha"].runs == 1


def test_a_change_with_the_same_advice_posts_no_comment(bot: Bot) -> None:
    """404 to 410, a timeout to a 503: the issue is refreshed quietly; dns is new advice."""
    for _ in range(2):
        bot.run(result("alpha", "broken", "http_404"))
    (issue,) = entry_issues(bot.fake)
    bot.run(result("alpha", "broken", "http_410"))
    bot.run(result("alpha", "broken", "timeout"))
    bot.run(result("alpha", "broken", "http_503"))
    assert len(comments_on(bot.fake, issue["number"])) == 1  # 410 to timeout: new advice
    assert "reason=http_503" in entry_issues(bot.fake)[0]["body"]
    bot.run(result("alpha", "broken", "dns"))
    assert len(comments_on(bot.fake, issue["number"])) == 2


def test_a_merged_snapshot_closes_the_issue_as_accepted(bot: Bot) -> None:
    """After a maintainer merges the snapshots pull request, the page's issue closes
    saying the change was accepted, not that the link works again."""
    for run in (1, 2):
        bot.run(drifted(run))
    (issue,) = entry_issues(bot.fake)
    (pull,) = open_pulls(bot.fake)
    assert f"Closes #{issue['number']}" in pull["body"]
    bot.fake.merge_pull(pull["number"], by="alice")
    bot.fake.reopen_issue(issue["number"])  # as if merged without closing keywords
    bot.run(result("alpha"))
    (comment,) = comments_on(bot.fake, issue["number"])
    assert f"accepted in #{pull['number']}" in comment
    assert "works again" not in comment


def test_issue_speaks_plainly_first_and_keeps_codes_in_details(context_bot: Bot) -> None:
    """A soft 404 issue opens with what is wrong and what to do; codes, HTTP status and
    similarity only inside the details; a date people read; no '1 runs'."""
    soft = result("beta", "broken", "soft_404", http_status=200, similarity=0.02)
    for _ in range(2):
        context_bot.run(soft)
    (issue,) = entry_issues(context_bot.fake)
    body: str = issue["body"]
    head = body.split("\n", 1)[1].split("<details>", 1)[0]  # below the hidden marker
    assert "“not found” page" in head
    assert "**What to do:**" in head
    for code in ("soft_404", "HTTP status", "200", "Similarity", "2%"):
        assert code not in head
    details = body.split("<details><summary>Technical details</summary>", 1)[1]
    assert "`soft_404`" in details
    assert "| HTTP status | 200 |" in details
    assert "1 November 2026, 06:23 UTC, and in every check after that" in head
    context_bot.options = type(context_bot.options)(confirm_runs=1)
    context_bot.run(result("gamma", "broken", "dns"))
    gamma = next(i for i in entry_issues(context_bot.fake) if "Gamma" in i["title"])
    assert "- **First seen:** 3 November 2026, 06:23 UTC\n" in gamma["body"]
    assert "1 checks" not in gamma["body"]


def test_issue_and_pull_request_carry_the_catalogs_context(context_bot: Bot) -> None:
    """The note, the confidence and the strategy pages appear; the fix PR shows its
    evidence, the pages to open, the issue it closes and asks to confirm the resource."""
    for _ in range(2):
        context_bot.run(result("alpha", "broken", "dns"))
    (issue,) = entry_issues(context_bot.fake)
    body = issue["body"]
    assert "alpha.example.org/archive/toolkit.pdf" in body
    assert "**Confidence:** low" in body
    assert "[Naloxone distribution](<https://strategies.example.org/naloxone>)" in body
    new = "https://alpha.example.org/toolkit-v2"
    for _ in range(2):
        context_bot.run(moved("alpha", new))
    (pull,) = open_pulls(context_bot.fake)
    text: str = pull["body"]
    assert f"Closes #{issue['number']}" in text
    assert "confirm it is the same resource" in text
    assert "**Forwarding since:** 3 November 2026" in text
    assert URLS["alpha"] in text
    assert new in text
    assert "answered 301" in text
    assert "Naloxone distribution" in text


def test_every_request_is_in_githubs_description(bot: Bot) -> None:
    """Many runs of every kind: not one request GitHub's description refuses."""
    to_beta = "https://beta.example.org/guides/beta"
    for run in range(1, 7):
        bot.run(moved("beta", to_beta), drifted(run), result("gamma", "broken", "dns"))
        if run == 3:
            (pull,) = [p for p in open_pulls(bot.fake) if "moved" in p["title"]]
            bot.fake.close_pull(pull["number"])
    bot.fake.assert_no_rejections()
    assert bot.fake.rejections == []


def test_a_pull_request_the_bot_withdrew_is_not_a_declined_one(bot: Bot) -> None:
    """The bot closes its own pull request when the link recovers; when the same move
    comes back, it is proposed again."""
    to_beta = "https://beta.example.org/guides/beta"
    for _ in range(2):
        bot.run(moved("beta", to_beta))
    (first,) = open_pulls(bot.fake)
    bot.run(result("beta"))
    assert open_pulls(bot.fake) == []
    for _ in range(2):
        bot.run(moved("beta", to_beta))
    (second,) = open_pulls(bot.fake)
    assert second["number"] != first["number"]
    assert "declined" not in dashboard(bot.fake)["body"]


def test_a_page_that_leaves_the_snapshot_pull_request_is_put_back(bot: Bot) -> None:
    """When one of two changed pages no longer needs accepting, its file on the open
    pull request's branch goes back to the reviewed version, on top, without a reset."""
    reviewed = "catalogbot-snapshot: 1\nid: beta\naccepted-at: 2026-01-01T00:00:00Z\n\nold\n"
    bot.fake.push_commit("main", {"snapshots/beta.txt": reviewed}, by="alice")
    beta = SNAPSHOT.format(at="2026-11-01T06:23:00Z", words="beta words").replace("alpha", "beta")
    beta_drift = result("beta", "drifted", "content_changed", snapshot=beta)
    for run in (1, 2):
        bot.run(drifted(run), beta_drift)
    (pull,) = open_pulls(bot.fake)
    assert bot.fake.read_file("snapshots/beta.txt", "catalogbot/snapshots") == beta.encode()
    before = len(bot.writes())
    bot.run(drifted(3), result("beta"))
    (still,) = open_pulls(bot.fake)
    assert still["number"] == pull["number"]
    assert "beta" not in still["body"].split("-->", 2)[2]
    assert bot.fake.read_file("snapshots/beta.txt", "catalogbot/snapshots") == reviewed.encode()
    assert [w for w in bot.writes()[before:] if "/git/refs" in w] == []


def test_a_partial_run_still_links_the_open_fix_pull_request(bot: Bot) -> None:
    """check --only leaves the fix pull requests alone; the dashboard still links the
    one that updates a moved link instead of saying there is none."""
    for _ in range(2):
        bot.run(moved("beta", "https://beta.example.org/n"))
    (pull,) = open_pulls(bot.fake)
    bot.run(result("alpha"), partial=True)
    body = dashboard(bot.fake)["body"]
    assert f"**Beta guide** (since 1 November 2026): review pull request #{pull['number']}" in body
    assert "no pull request yet" not in body


def test_a_changed_pages_issue_links_the_pull_request_that_accepts_it(bot: Bot) -> None:
    """Once the snapshots pull request is open, the changed page's issue names it near
    the top (a quiet update, no comment); the same results again write nothing."""
    for run in (1, 2):
        bot.run(drifted(run))
    (pull,) = open_pulls(bot.fake)
    (issue,) = entry_issues(bot.fake)
    head = issue["body"].split("### About", 1)[0]
    assert f"**The change is ready to accept in pull request #{pull['number']}.**" in head
    assert f"merge #{pull['number']}" in head
    assert (
        bot.fake.requests_to("POST", "/repos/{owner}/{repo}/issues/{issue_number}/comments") == []
    )
    before = len(bot.writes())
    report = bot.run(drifted(3))  # the page seen again, unchanged: only the check time moves
    assert [o.action.kind for o in report.outcomes] == ["save-dashboard"]
    assert len(bot.writes()) == before + 1
