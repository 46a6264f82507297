"""Decide what GitHub should look like after a run: pure functions, no I/O.

``plan_*`` compare the results with what GitHub holds and return the writes that would
bring it in line, and nothing when it already is: the same result twice writes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from catalogbot.check.result import CheckResult, Status
from catalogbot.github.actions import (
    Action,
    CloseIssue,
    ClosePull,
    CreateLabel,
    OpenIssue,
    SaveDashboard,
    SyncPull,
    UpdateIssue,
)
from catalogbot.github.comments import (
    accepted_comment,
    change_comment,
    recovered_comment,
    removed_comment,
    reopened_comment,
    skipped_comment,
)
from catalogbot.github.dashboard import DASHBOARD_TITLE, Board, DashboardRow, dashboard_body
from catalogbot.github.markers import (
    LABEL,
    WITHDRAWN_MARKER,
    EntryMarker,
    change_tag,
    pr_marker,
    url_tag,
)
from catalogbot.github.pull_text import PullItem, pull_body
from catalogbot.github.remote import Issue, RemoteState, branch_for
from catalogbot.github.render import STATUS_LABELS, Entry, issue_body, issue_title, marker
from catalogbot.github.streaks import NEEDS_ISSUE
from catalogbot.github.words import advice_key

LABELS = {
    LABEL: ("5319e7", "Reported by catalogbot"),
    "link: broken": ("d73a4a", "A catalog link is broken"),
    "link: drifted": ("fbca04", "A catalog page changed since it was reviewed"),
}


@dataclass(frozen=True)
class SyncOptions:
    confirm_runs: int = 2
    max_new_issues: int = 10
    max_open_pulls: int = 2
    """Fix pull requests the bot may have open at once (one for moved links, one for
    changed pages); 0 turns them off."""


def confirmed(entry: Entry, options: SyncOptions) -> bool:
    return entry.streak is not None and entry.streak.runs >= options.confirm_runs


def plan_labels(remote: RemoteState) -> list[Action]:
    return [
        CreateLabel(f"create label '{name}'", name, color, text)
        for name, (color, text) in LABELS.items()
        if name not in remote.labels
    ]


def _labels_for(result: CheckResult) -> tuple[str, ...]:
    return (LABEL, STATUS_LABELS[result.status])


def muted(issue: Issue | None, result: CheckResult) -> bool:
    """A maintainer closed the entry's issue as not planned, for this same URL."""
    return (
        issue is not None
        and issue.state == "closed"
        and issue.state_reason == "not_planned"
        and issue.marker is not None
        and issue.marker.url == url_tag(result.url)
    )


def _advice_was(entry: Entry, previous: EntryMarker) -> str | None:
    if previous.status is None or previous.reason is None:
        return None
    before = CheckResult(entry.result.id, entry.result.url, previous.status, previous.reason)
    return advice_key(before, found=bool(previous.found))


def _update(entry: Entry, issue: Issue) -> UpdateIssue | None:
    """Bring an existing issue in line; a comment (a notification) only when the status
    or the advice changed, or the issue reopens."""
    result = entry.result
    previous = issue.marker or EntryMarker(result.id)
    said = (previous.status, previous.reason, previous.url, previous.pull, previous.found)
    now = (result.status, result.reason, url_tag(result.url), entry.pull, marker(entry).found)
    if issue.state == "open" and said == now:
        return None
    reopen = issue.state != "open"
    if reopen:
        comment: str | None = reopened_comment(entry)
    elif previous.status != result.status or _advice_was(entry, previous) != advice_key(result):
        comment = change_comment(entry)
    else:
        comment = None
    kept = sorted(issue.labels - set(STATUS_LABELS.values()) - {LABEL})
    return UpdateIssue(
        f"{'reopen' if reopen else 'update'} issue #{issue.number} for '{result.id}': "
        f"{result.status.value} ({result.reason})",
        number=issue.number,
        entry=result.id,
        title=issue_title(entry),
        body=issue_body(entry),
        labels=(*_labels_for(result), *kept),  # a maintainer's labels stay
        reopen=reopen,
        comment=comment,
    )


def _close(entry_id: str, result: CheckResult, issue: Issue, remote: RemoteState) -> Action | None:
    accepted = remote.accepted(entry_id)
    if result.status == Status.OK and accepted is not None and accepted.number > issue.number:
        comment = accepted_comment(accepted.number, accepted.kind)
    elif result.status == Status.OK:
        comment = recovered_comment(result)
    elif result.status == Status.SKIPPED:
        comment = skipped_comment(result)
    else:
        return None  # unverifiable, or moved (the fix PR covers it): keep it open
    return CloseIssue(
        f"close issue #{issue.number}: '{entry_id}' is {result.status.value} now",
        number=issue.number,
        entry=entry_id,
        comment=comment,
    )


def plan_issues(
    entries: Mapping[str, Entry],
    remote: RemoteState,
    catalog_ids: set[str],
    options: SyncOptions,
) -> list[Action]:
    """Open, update, comment on and close entry issues to match the results."""
    actions: list[Action] = []
    opened = 0
    for entry_id, entry in entries.items():
        result = entry.result
        issue = remote.issues.get(entry_id)
        if result.status in NEEDS_ISSUE and confirmed(entry, options):
            if muted(issue, result):
                continue
            if issue is None or (issue.state == "closed" and issue.state_reason == "not_planned"):
                if opened >= options.max_new_issues:
                    continue
                opened += 1
                actions.append(
                    OpenIssue(
                        f"open an issue for '{entry_id}': {result.status.value} ({result.reason})",
                        entry=entry_id,
                        title=issue_title(entry),
                        body=issue_body(entry),
                        labels=_labels_for(result),
                    )
                )
                continue
            update = _update(entry, issue)
            if update is not None:
                actions.append(update)
        elif issue is not None and issue.state == "open":
            close = _close(entry_id, result, issue, remote)
            if close is not None:
                actions.append(close)
    for entry_id, issue in remote.issues.items():
        if entry_id not in catalog_ids and issue.state == "open":
            actions.append(
                CloseIssue(
                    f"close issue #{issue.number}: '{entry_id}' left the catalog",
                    number=issue.number,
                    entry=entry_id,
                    comment=removed_comment(entry_id),
                )
            )
    return actions


def plan_dashboard(board: Board, remote: RemoteState) -> Action | None:
    """Create or update the dashboard issue, if its content changed."""
    body = dashboard_body(board)
    current = remote.dashboard
    if current is not None and current.body == body and current.state == "open":
        return None
    return SaveDashboard(
        "create the dashboard issue"
        if current is None
        else f"update the dashboard issue #{current.number}",
        number=current.number if current else None,
        title=DASHBOARD_TITLE,
        body=body,
        labels=(LABEL,),
        reopen=current is not None and current.state != "open",
    )


def dashboard_rows(
    entries: Mapping[str, Entry],
    remote: RemoteState,
    *,
    issue_numbers: Mapping[str, int],
    pull_numbers: Mapping[str, int],
    declined: Mapping[str, int],
    options: SyncOptions,
) -> list[DashboardRow]:
    return [
        DashboardRow(
            entry,
            issue=issue_numbers.get(entry_id)
            or (issue.number if (issue := remote.issues.get(entry_id)) else None),
            pull=pull_numbers.get(entry_id),
            declined=declined.get(entry_id),
            muted=entry.result.status in NEEDS_ISSUE
            and muted(remote.issues.get(entry_id), entry.result),
            confirmed=confirmed(entry, options) or entry.result.status == Status.UNVERIFIABLE,
        )
        for entry_id, entry in entries.items()
    ]


def changes_digest(changes: Mapping[str, str]) -> str:
    """A short digest of a pull request's changes (entry to change tag)."""
    return change_tag(*(f"{entry}\0{tag}" for entry, tag in sorted(changes.items())))


def plan_pull(
    kind: str,
    *,
    items: Sequence[PullItem],
    files: Mapping[str, str],
    remote: RemoteState,
    title: str,
    may_open: bool = True,
    restore: Sequence[str] = (),
) -> list[Action]:
    """Open, update or close the fix pull request of ``kind`` for ``files``.

    ``items`` are the changes it proposes (declined ones already left out). An open pull
    request is touched only when that set of changes differs from what it holds; a new
    one is opened only when ``may_open`` (the cap allows it).
    """
    if kind in remote.unreadable:
        return []  # its state could not be read: leave it as it is
    branch = branch_for(kind)
    existing = remote.pulls.get(kind)
    if existing is not None and existing.person_pushed:
        return []  # someone is working on it; the bot keeps its hands off
    if not files:
        if existing is not None:
            return [
                ClosePull(
                    f"close pull request #{existing.number}: nothing left to fix",
                    number=existing.number,
                    branch=branch,
                    comment="Nothing in this pull request is needed any more, so catalogbot "
                    "closes it.",
                    body=f"{existing.body}\n{WITHDRAWN_MARKER}",
                )
            ]
        if branch in remote.branches:
            return [ClosePull(f"delete branch {branch}", number=None, branch=branch)]
        return []
    digest = changes_digest({i.entry.result.id: i.change for i in items})
    if existing is not None and existing.digest == digest:
        return []
    if existing is None and not may_open:
        return []
    names = ", ".join(i.entry.result.id for i in items)
    return [
        SyncPull(
            f"{'update' if existing else 'open'} the {kind} pull request ({names})",
            pull_kind=kind,
            number=existing.number if existing else None,
            title=title,
            body=pull_body(kind, items, pr_marker(kind, digest)),
            branch=branch,
            files=dict(files),
            restore=tuple(sorted(set(restore) - set(files))) if existing else (),
        )
    ]
