"""The comments sync adds to an entry's issue: each says what changed and what to do now.

A comment notifies everyone watching the issue, so the bot writes one only when the
status or the advice changed, the issue reopens or closes (see ``plan``).
"""

from __future__ import annotations

from catalogbot.check.result import CheckResult
from catalogbot.github.render import Entry, cap, code, found_at, to_do
from catalogbot.github.words import what_is_wrong
from catalogbot.report.escape import inline

FOUND_TO_DO = (
    "open the new address and confirm it is the same resource. catalogbot proposes it in "
    "a pull request that updates the catalog; the top of this issue links it once it is "
    "open."
)


def change_comment(entry: Entry) -> str:
    """The comment added when an entry's status or the advice for it changes."""
    result = entry.result
    if result.relocation is not None:
        out = [
            f"**News:** {found_at(entry)}.",
            "",
            "**What to do now:** "
            + (
                FOUND_TO_DO
                if entry.declined is None
                else f"this address was declined in #{entry.declined}; find the resource's "
                "address by hand and put it in catalog.yaml."
            ),
            "",
        ]
    else:
        out = [
            f"**This changed:** {what_is_wrong(result)}.",
            "",
            f"**What to do now:** {to_do(result)}",
            "",
        ]
    out += [
        "<details><summary>Technical details</summary>",
        "",
        f"{code(result.status.value)} ({code(result.reason)}): {inline(result.detail, 500)}",
        "",
        "</details>",
    ]
    return cap("\n".join(out))


def recovered_comment(result: CheckResult) -> str:
    return cap(
        "The link works again, so this issue is closed.\n\n"
        f"<details><summary>Technical details</summary>\n\n{code(result.status.value)} "
        f"({code(result.reason)}): {inline(result.detail, 300)}\n\n</details>"
    )


def accepted_comment(number: int, kind: str = "snapshots") -> str:
    if kind == "redirects":
        return f"The new address was put in the catalog in #{number}, so this issue is closed."
    return (
        f"The change to this page was accepted in #{number}, so catalogbot now compares "
        "the page with its new version, and this issue is closed."
    )


def skipped_comment(result: CheckResult) -> str:
    return cap(
        f"The catalog no longer checks this link ({inline(result.detail, 300)}), so this "
        "issue is closed."
    )


def removed_comment(entry_id: str) -> str:
    return (
        f"This resource was removed from the catalog (its entry {code(entry_id)}), so this "
        "issue is closed."
    )


def reopened_comment(entry: Entry) -> str:
    return cap(
        f"The link needs attention again: {what_is_wrong(entry.result)}.\n\n"
        f"**What to do:** {to_do(entry.result)}"
    )
