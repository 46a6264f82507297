"""Which fix pull request each entry's issue points to.

A broken link whose resource was found at a new address gets that address proposed in
the fix pull request, and its issue says so near the top. The issues are written before
the pull request (which names them, to close them when merged), so a second, quiet pass
points them at it once its number is known.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from catalogbot.check.result import Status
from catalogbot.github.actions import Action, UpdateIssue
from catalogbot.github.plan import SyncOptions, confirmed
from catalogbot.github.pulls import address_change
from catalogbot.github.remote import RemoteState
from catalogbot.github.render import Entry, issue_body, issue_title
from catalogbot.github.streaks import NEEDS_ISSUE


def fix_links(entries: Mapping[str, Entry], pulls: Mapping[str, int]) -> dict[str, int]:
    """The fix pull request each entry's issue links: only broken entries whose resource
    was found at a new address (the pull request puts it in the catalog)."""
    return {
        entry_id: number
        for entry_id, number in pulls.items()
        if (entry := entries.get(entry_id)) is not None
        and entry.result.status == Status.BROKEN
        and entry.result.relocation is not None
    }


def plan_fix_links(
    entries: Mapping[str, Entry],
    *,
    written: Mapping[str, int],
    proposed: Mapping[str, int],
    issues: Mapping[str, int],
    options: SyncOptions,
) -> list[Action]:
    """Point open issues at the fix pull request that now proposes their new address (or
    no longer does). ``written`` is what the issues say after this run's first pass,
    ``proposed`` what the pull requests hold now. Quiet updates: GitHub itself shows the
    pull request in the issue's timeline."""
    actions: list[Action] = []
    for entry_id, entry in entries.items():
        number = issues.get(entry_id)
        if (
            number is None
            or written.get(entry_id) == proposed.get(entry_id)
            or entry.result.status not in NEEDS_ISSUE
            or not confirmed(entry, options)
        ):
            continue
        linked = dataclasses.replace(entry, pull=proposed.get(entry_id))
        said = f"link pull request #{linked.pull}" if linked.pull else "unlink its pull request"
        actions.append(
            UpdateIssue(
                f"update issue #{number} for '{entry_id}': {said}",
                number=number,
                entry=entry_id,
                title=issue_title(linked),
                body=issue_body(linked),
                labels=None,
            )
        )
    return actions


def declined_fix(entry: Entry, remote: RemoteState) -> int | None:
    """The pull request in which a maintainer declined the new address found for a
    broken entry, if they did."""
    result = entry.result
    if result.status != Status.BROKEN or result.relocation is None:
        return None
    change = address_change(entry)
    closed = remote.declined(result.id, change) if change else None
    return closed.number if closed is not None else None


def _hands_off(remote: RemoteState) -> bool:
    """Whether the bot leaves the fix pull request as it is this run."""
    held = remote.pulls.get("redirects")
    return "redirects" in remote.unreadable or (held is not None and held.person_pushed)


def held_links(entries: Mapping[str, Entry], remote: RemoteState) -> dict[str, int]:
    """The fix pull request each issue should link as GitHub holds it before this run:
    the open pull request that proposes the entry's current change."""
    held = remote.pulls.get("redirects")
    if held is None:
        return {}
    return fix_links(
        entries,
        {
            i: held.number
            for i, tag in held.changes.items()
            if tag and i in entries and address_change(entries[i]) == tag
        },
    )


def proposed_links(
    entries: Mapping[str, Entry], remote: RemoteState, proposing: Mapping[str, int]
) -> dict[str, int]:
    """The fix pull request each issue should link after this run: the one now proposing
    the entry's change (``proposing``: entry to pull request number), or, when the bot
    left it as it was, the one that held that change already."""
    return held_links(entries, remote) if _hands_off(remote) else fix_links(entries, proposing)
