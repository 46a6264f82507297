"""Decide what GitHub should look like after a run: pure functions, no I/O.

``plan_*`` compare the results with what GitHub holds and return the writes that would
bring it in line, and nothing when it already is: the same result twice writes nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from catalogbot.check.result import CheckResult, Status
from catalogbot.github.markers import (
    LABEL,
    DashboardState,
    EntryMarker,
    Streak,
    fixes_marker,
    pr_marker,
    url_tag,
)
from catalogbot.github.remote import Issue, RemoteState, branch_for
from catalogbot.github.render import (
    STATUS_LABELS,
    DashboardRow,
    Entry,
    change_comment,
    dashboard_body,
    issue_body,
    issue_title,
    pull_body,
    recovered_comment,
    removed_comment,
    reopened_comment,
    skipped_comment,
)
from catalogbot.report.escape import inline, url

NEEDS_ISSUE = (Status.BROKEN, Status.DRIFTED)
TRACKED = (Status.BROKEN, Status.DRIFTED, Status.REDIRECTED)
DASHBOARD_TITLE = "catalogbot: link health dashboard"

LABELS = {
    LABEL: ("5319e7", "Reported by catalogbot"),
    "link: broken": ("d73a4a", "A catalog link is broken"),
    "link: drifted": ("fbca04", "A catalog page changed since it was reviewed"),
}


@dataclass(frozen=True)
class Action:
    """One write to GitHub."""

    kind: str
    """create-label, open-issue, update-issue, comment, close-issue, save-dashboard,
    sync-pull or close-pull."""
    summary: str
    """One line for people (and for --dry-run)."""
    number: int | None = None
    entry: str | None = None
    title: str | None = None
    body: str | None = None
    labels: tuple[str, ...] = ()
    reopen: bool = False
    comment: str | None = None
    files: Mapping[str, str] = field(default_factory=dict)
    branch: str | None = None
    color: str | None = None


@dataclass(frozen=True)
class SyncOptions:
    confirm_runs: int = 2
    max_new_issues: int = 10
    max_open_pulls: int = 2
    """Fix pull requests the bot may have open at once (one for moved links, one for
    changed pages); 0 turns them off."""


def update_streaks(
    previous: DashboardState, results: Sequence[CheckResult], confirm_runs: int, now: str
) -> DashboardState:
    """Count consecutive runs each entry has needed attention, capped at ``confirm_runs``.

    The cap keeps the dashboard from changing on every run once an entry is confirmed.
    Entries not in ``results`` (a partial run) keep their streak.
    """
    streaks = dict(previous.streaks)
    for result in results:
        old = streaks.get(result.id)
        if result.status not in TRACKED:
            if result.status != Status.UNVERIFIABLE:
                streaks.pop(result.id, None)
            continue
        tag = url_tag(result.url)
        same = (
            old is not None
            and old.url == tag
            and (old.status in NEEDS_ISSUE) == (result.status in NEEDS_ISSUE)
        )
        if old is not None and same:
            streaks[result.id] = Streak(
                result.status.value,
                result.reason,
                old.since,
                min(old.runs + 1, confirm_runs),
                tag,
            )
        else:
            streaks[result.id] = Streak(result.status.value, result.reason, now, 1, tag)
    return DashboardState(streaks)


def plan_labels(remote: RemoteState) -> list[Action]:
    return [
        Action("create-label", f"create label '{name}'", title=name, color=color, body=text)
        for name, (color, text) in LABELS.items()
        if name not in remote.labels
    ]


def _labels_for(result: CheckResult) -> tuple[str, ...]:
    return (LABEL, STATUS_LABELS[result.status])


def _silenced(issue: Issue, result: CheckResult) -> bool:
    """A maintainer closed the entry's issue as not planned, for this same URL."""
    return (
        issue.state == "closed"
        and issue.state_reason == "not_planned"
        and issue.marker is not None
        and issue.marker.url == url_tag(result.url)
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
        confirmed = entry.streak is not None and entry.streak.runs >= options.confirm_runs
        if result.status in NEEDS_ISSUE and confirmed:
            if issue is not None and _silenced(issue, result):
                continue
            if issue is None or (issue.state == "closed" and issue.state_reason == "not_planned"):
                if opened >= options.max_new_issues:
                    continue
                opened += 1
                actions.append(
                    Action(
                        "open-issue",
                        f"open an issue for '{entry_id}': {result.status.value} ({result.reason})",
                        entry=entry_id,
                        title=issue_title(entry),
                        body=issue_body(entry),
                        labels=_labels_for(result),
                    )
                )
                continue
            previous = issue.marker or EntryMarker(entry_id)
            unchanged = (previous.status, previous.reason, previous.url) == (
                result.status.value,
                result.reason,
                url_tag(result.url),
            )
            if issue.state == "open" and unchanged:
                continue
            reopen = issue.state != "open"
            kept = sorted(issue.labels - set(STATUS_LABELS.values()) - {LABEL})
            actions.append(
                Action(
                    "update-issue",
                    f"{'reopen' if reopen else 'update'} issue #{issue.number} for '{entry_id}': "
                    f"{result.status.value} ({result.reason})",
                    number=issue.number,
                    entry=entry_id,
                    title=issue_title(entry),
                    body=issue_body(entry),
                    labels=(*_labels_for(result), *kept),  # a maintainer's labels stay
                    reopen=reopen,
                    comment=reopened_comment(entry) if reopen else change_comment(entry, previous),
                )
            )
        elif issue is not None and issue.state == "open":
            if result.status == Status.OK:
                comment = recovered_comment(result)
            elif result.status == Status.SKIPPED:
                comment = skipped_comment(result)
            else:
                continue  # unverifiable, or moved (the fix PR covers it): keep it open
            actions.append(
                Action(
                    "close-issue",
                    f"close issue #{issue.number}: '{entry_id}' is {result.status.value} now",
                    number=issue.number,
                    entry=entry_id,
                    comment=comment,
                )
            )
    for entry_id, issue in remote.issues.items():
        if entry_id not in catalog_ids and issue.state == "open":
            actions.append(
                Action(
                    "close-issue",
                    f"close issue #{issue.number}: '{entry_id}' left the catalog",
                    number=issue.number,
                    entry=entry_id,
                    comment=removed_comment(entry_id),
                )
            )
    return actions


def plan_dashboard(
    entries: Mapping[str, Entry],
    remote: RemoteState,
    *,
    issue_numbers: Mapping[str, int],
    state: DashboardState,
    options: SyncOptions,
    notes: Sequence[str] = (),
) -> Action | None:
    """Create or update the dashboard issue, if its content changed."""
    attention: list[DashboardRow] = []
    waiting: list[DashboardRow] = []
    unverifiable: list[DashboardRow] = []
    for entry_id, entry in entries.items():
        row = DashboardRow(entry, issue_numbers.get(entry_id))
        status = entry.result.status
        if status == Status.UNVERIFIABLE:
            unverifiable.append(row)
        elif status in TRACKED:
            runs = entry.streak.runs if entry.streak else 1
            (attention if runs >= options.confirm_runs else waiting).append(row)
    body = dashboard_body(
        attention=attention,
        waiting=waiting,
        unverifiable=unverifiable,
        notes=list(notes),
        state=state.render(),
        confirm_runs=options.confirm_runs,
    )
    current = remote.dashboard
    if current is not None and current.body == body and current.state == "open":
        return None
    return Action(
        "save-dashboard",
        "create the dashboard issue"
        if current is None
        else f"update the dashboard issue #{current.number}",
        number=current.number if current else None,
        title=DASHBOARD_TITLE,
        body=body,
        labels=(LABEL,),
        reopen=current is not None and current.state != "open",
    )


def _digest(files: Mapping[str, str]) -> str:
    data = "\0".join(f"{path}\0{content}" for path, content in sorted(files.items()))
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:16]


def plan_pull(
    kind: str,
    *,
    changes: Mapping[str, str],
    files: Mapping[str, str],
    lines: Sequence[str],
    remote: RemoteState,
    title: str,
    may_open: bool = True,
) -> list[Action]:
    """Open, update or close the fix pull request of ``kind`` for ``files``.

    ``changes`` maps each entry the pull request fixes to a description of the fix;
    a new pull request is opened only when ``may_open`` (the cap allows it).
    """
    branch = branch_for(kind)
    existing = remote.pulls.get(kind)
    if existing is not None and existing.person_pushed:
        return []  # someone is working on it; the bot keeps its hands off
    if not files:
        actions = []
        if existing is not None:
            actions.append(
                Action(
                    "close-pull",
                    f"close pull request #{existing.number}: nothing left to fix",
                    number=existing.number,
                    branch=branch,
                    comment="Nothing in this pull request is needed any more. Closing.",
                )
            )
        elif branch in remote.branches:
            actions.append(Action("close-pull", f"delete branch {branch}", branch=branch))
        return actions
    digest = _digest(files)
    if existing is not None and existing.digest == digest:
        return []
    if existing is None and not may_open:
        return []
    markers = [fixes_marker(entry) for entry in changes]
    body = pull_body(kind, list(lines), markers, pr_marker(kind, digest))
    return [
        Action(
            "sync-pull",
            f"{'update' if existing else 'open'} the {kind} pull request ({', '.join(changes)})",
            number=existing.number if existing else None,
            title=title,
            body=body,
            files=dict(files),
            branch=branch,
        )
    ]


def redirect_lines(entries: Mapping[str, Entry]) -> list[str]:
    return [
        f"- **{inline(e.title, 200)}** (`{i}`, line {e.line}): {url(e.result.url)} → "
        f"{url(e.result.suggested_url or '')}"
        for i, e in entries.items()
    ]
