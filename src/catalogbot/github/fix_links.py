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
from catalogbot.github.pulls import address_change, snapshot_change
from catalogbot.github.remote import PULL_KINDS, RemoteState
from catalogbot.github.render import Entry, issue_body, issue_title
from catalogbot.github.streaks import NEEDS_ISSUE


def _linked(entry: Entry) -> bool:
    """Whether an entry's issue links the fix pull request that changes it: a broken
    link whose resource was found at a new address (the pull request puts it in the
    catalog), or a changed page (the pull request accepts the change)."""
    result = entry.result
    return (result.status == Status.BROKEN and result.relocation is not None) or (
        result.status == Status.DRIFTED and result.snapshot is not None
    )


def pull_change(entry: Entry) -> str | None:
    """The change tag of what a fix pull request proposes for an entry, if anything."""
    result = entry.result
    if result.status == Status.DRIFTED and result.snapshot is not None:
        return snapshot_change(result.id, result.snapshot)
    return address_change(entry)


def fix_links(entries: Mapping[str, Entry], pulls: Mapping[str, int]) -> dict[str, int]:
    """The fix pull request each entry's issue links (see ``_linked``)."""
    return {
        entry_id: number
        for entry_id, number in pulls.items()
        if (entry := entries.get(entry_id)) is not None and _linked(entry)
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


def _hands_off(remote: RemoteState, kind: str) -> bool:
    """Whether the bot leaves the fix pull request of ``kind`` as it is this run."""
    held = remote.pulls.get(kind)
    return kind in remote.unreadable or (held is not None and held.person_pushed)


def _held(entries: Mapping[str, Entry], remote: RemoteState, kind: str) -> dict[str, int]:
    held = remote.pulls.get(kind)
    if held is None:
        return {}
    return fix_links(
        entries,
        {
            i: held.number
            for i, tag in held.changes.items()
            if tag and i in entries and pull_change(entries[i]) == tag
        },
    )


def held_links(entries: Mapping[str, Entry], remote: RemoteState) -> dict[str, int]:
    """The fix pull request each issue should link as GitHub holds it before this run:
    the open pull request that proposes the entry's current change."""
    return {i: n for kind in PULL_KINDS for i, n in _held(entries, remote, kind).items()}


def proposed_links(
    entries: Mapping[str, Entry],
    remote: RemoteState,
    proposing: Mapping[str, Mapping[str, int]],
) -> dict[str, int]:
    """The fix pull request each issue should link after this run: per kind, the one now
    proposing the entry's change (``proposing``: kind to entry to pull request number),
    or, when the bot left it as it was, the one that held that change already."""
    linked: dict[str, int] = {}
    for kind in PULL_KINDS:
        if _hands_off(remote, kind):
            linked.update(_held(entries, remote, kind))
        else:
            linked.update(fix_links(entries, proposing.get(kind, {})))
    return linked
