"""What issue and pull request text says to a maintainer, built without GitHub."""

from __future__ import annotations

import dataclasses
import re

from catalogbot.check.result import CheckResult, DriftEvidence, Reason, Relocation, Status
from catalogbot.github.comments import change_comment
from catalogbot.github.markers import Streak
from catalogbot.github.pull_text import PullItem, pull_body
from catalogbot.github.render import Entry, issue_body

URL = "https://e.org/page"


def entry(status: Status, reason: Reason, **fields: object) -> Entry:
    result = CheckResult("alpha", URL, status, reason, "what was seen", **fields)  # type: ignore[arg-type]
    streak = Streak(status, reason, "2026-11-01T06:23:00Z", 2, "0" * 16)
    note = "The fallback is https://e.org/law-enforcement/, said the publisher."
    return Entry(
        result, "Alpha", 4, "https://github.com/o/r/blob/main/catalog.yaml#L4", streak, note=note
    )


def test_a_changed_page_asks_for_the_pull_request_not_a_command() -> None:
    """The drifted issue's advice names the pull request to merge (the command only in
    the details), and its footer says when it closes for a changed page."""
    body = issue_body(entry(Status.DRIFTED, Reason.CONTENT_CHANGED))
    head, details = body.split("<details>", 1)
    assert "merging catalogbot's pull request “Accept changes to pages”" in head
    assert "catalogbot accept" not in head
    assert "`catalogbot accept alpha`" in details
    assert "closes it when the change is accepted or the page reads as it did" in body
    assert "when the link works again" not in body


def test_issue_links_the_address_a_note_names_and_says_since_when_plainly() -> None:
    """A note's address is a link, not text broken by escaping; a confirmed streak says
    it lasted, not a count that stopped at the confirmation."""
    body = issue_body(entry(Status.BROKEN, Reason.http(404)))
    assert "The fallback is <https://e.org/law-enforcement/>, said the publisher." in body
    assert "1 November 2026, 06:23 UTC, and in every check after that" in body
    assert "closes it when the link works again or its new address is in the catalog" in body


def test_snapshot_pull_request_shows_what_each_page_said_and_says_first() -> None:
    """Each changed page in the snapshots pull request starts with its title and opening
    before and now, escaped, above the links."""
    evidence = DriftEvidence("Old title", "New title", "It said this.", "It says **that**.")
    item = PullItem(entry(Status.DRIFTED, Reason.CONTENT_CHANGED, evidence=evidence), "0" * 16)
    body = pull_body("snapshots", [item], "<!-- marker -->")
    section = body.split("### Alpha", 1)[1]
    assert section.index("was “Old title” and is now “New title”") < section.index("**Page:**")
    assert "> It says \\*\\*that\\*\\*." in section


def test_a_found_address_is_news_with_the_right_next_step() -> None:
    """The comment for a newly found address says so first (not that the status changed),
    and asks to confirm it, or, once declined, to find the address by hand."""
    found = entry(
        Status.BROKEN,
        Reason.http(404),
        relocation=Relocation("https://e.org/new", "sitemap", 0.9),
    )
    text = change_comment(found)
    assert text.startswith("**News:** catalogbot found the resource at <https://e.org/new>")
    assert "confirm it is the same resource" in text
    declined = change_comment(dataclasses.replace(found, declined=12))
    assert "declined in #12; find the resource's address by hand" in declined


def test_a_pipe_in_a_code_cannot_split_the_details_table() -> None:
    """A relocation source with a pipe (a results file can say anything) stays in its
    cell: every row of the details table has exactly three cell borders."""
    odd = entry(
        Status.BROKEN,
        Reason.http(404),
        relocation=Relocation("https://e.org/new", "site|map", 0.9),
    )
    table = issue_body(odd).split("<details><summary>Technical details</summary>", 1)[1]
    rows = [line for line in table.split("</details>", 1)[0].splitlines() if line.startswith("|")]
    assert "| New address found by | `site\\|map` |" in rows
    assert all(len(re.findall(r"(?<!\\)\|", row)) == 3 for row in rows)


def test_the_first_line_links_the_page_and_the_archive_copy_is_dated() -> None:
    """The opening sentence links the resource; the archived copy is a short dated link,
    not its long address."""
    copy = "https://web.archive.org/web/20250312094501/https://e.org/page"
    body = issue_body(dataclasses.replace(entry(Status.BROKEN, Reason.http(404)), archived=copy))
    assert body.splitlines()[1].startswith(f"**The link to “[Alpha](<{URL}>)” needs attention")
    assert f"The Internet Archive has [a copy of the page from 12 March 2025](<{copy}>)." in body
