"""Read what GitHub holds of the bot's work: its labels, issues, dashboard and pull requests."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from catalogbot.github.client import GitHubAuthError, GitHubClient, GitHubError, NotFoundError
from catalogbot.github.markers import (
    DASHBOARD_MARKER,
    LABEL,
    WITHDRAWN_MARKER,
    DashboardState,
    EntryMarker,
    parse_entry,
    parse_fixes,
    parse_pr,
    parse_state,
)

BOT_COMMIT_PREFIX = "catalogbot: "
"""Every commit the bot makes starts so; any other commit on its branch is a person's."""

PULL_KINDS = ("redirects", "snapshots")


def branch_for(kind: str) -> str:
    return f"catalogbot/{kind}"


@dataclass(frozen=True)
class Issue:
    number: int
    title: str
    body: str
    state: str
    state_reason: str | None
    labels: frozenset[str]
    marker: EntryMarker | None


@dataclass(frozen=True)
class Pull:
    number: int
    body: str
    digest: str
    """Digest of the changes the bot last put in it."""
    person_pushed: bool
    """Someone other than the bot committed to its branch (or that could not be read):
    the bot leaves it alone."""
    changes: dict[str, str] = field(default_factory=dict)
    """Entry id to change tag of each change it proposes."""


@dataclass(frozen=True)
class ClosedChange:
    """A change a fix pull request proposed before it was closed."""

    kind: str
    number: int
    merged: bool


@dataclass
class RemoteState:
    default_branch: str
    html_url: str
    owner: str
    labels: set[str] = field(default_factory=set)
    issues: dict[str, Issue] = field(default_factory=dict)
    """The issue that speaks for each entry: an open one if any, else the newest."""
    dashboard: Issue | None = None
    state: DashboardState = field(default_factory=DashboardState)
    pulls: dict[str, Pull] = field(default_factory=dict)
    branches: set[str] = field(default_factory=set)
    """The bot's branches that exist."""
    closed: dict[tuple[str, str], ClosedChange] = field(default_factory=dict)
    """(entry id, change tag) of every change in a closed fix pull request: merged ones
    were accepted, the others declined and are not proposed again."""
    unreadable: set[str] = field(default_factory=set)
    """Pull request kinds whose history could not be read: none is opened this run."""
    notes: list[str] = field(default_factory=list)
    """Reads that failed and what the run did without them."""

    def declined(self, entry: str, change: str) -> ClosedChange | None:
        """The closed, unmerged pull request that proposed this very change, if any."""
        closed = self.closed.get((entry, change))
        return closed if closed is not None and not closed.merged else None

    def accepted(self, entry: str) -> ClosedChange | None:
        """The newest merged fix pull request that changed this entry, if any."""
        merged = [c for (e, _), c in self.closed.items() if e == entry and c.merged]
        return max(merged, key=lambda c: c.number) if merged else None


def _issue(data: dict[str, Any]) -> Issue:
    body = data.get("body") or ""
    return Issue(
        number=int(data["number"]),
        title=str(data.get("title") or ""),
        body=body,
        state=str(data.get("state")),
        state_reason=data.get("state_reason"),
        labels=frozenset(str(label["name"]) for label in data.get("labels") or ()),
        marker=parse_entry(body),
    )


def _better(current: Issue | None, candidate: Issue) -> bool:
    """Whether ``candidate`` should speak for its entry instead of ``current``."""
    if current is None:
        return True
    if (candidate.state == "open") != (current.state == "open"):
        return candidate.state == "open"
    return candidate.number > current.number


def read_remote(client: GitHubClient) -> RemoteState:
    """Everything sync needs to know, read with GETs only."""
    try:
        repo = client.get(client.repo_path())
    except NotFoundError:
        raise GitHubAuthError(
            f"the repository {client.repository} does not exist or the token cannot see it; "
            "check GITHUB_REPOSITORY and GITHUB_TOKEN",
            404,
        ) from None
    remote = RemoteState(
        default_branch=str(repo["default_branch"]),
        html_url=str(repo["html_url"]),
        owner=str(repo["owner"]["login"]),
    )
    remote.labels = {str(label["name"]) for label in client.paginate(client.repo_path("/labels"))}
    listing = client.paginate(client.repo_path("/issues"), {"labels": LABEL, "state": "all"})
    for data in listing:
        if "pull_request" in data:
            continue
        issue = _issue(data)
        if DASHBOARD_MARKER in issue.body:
            if remote.dashboard is None or _better(remote.dashboard, issue):
                remote.dashboard = issue
            continue
        if issue.marker is not None and _better(remote.issues.get(issue.marker.entry), issue):
            remote.issues[issue.marker.entry] = issue
    if remote.dashboard is not None:
        remote.state = parse_state(remote.dashboard.body)
        remote.notes.extend(remote.state.warnings)
    for kind in PULL_KINDS:
        _read_pulls(client, remote, kind)
    return remote


def _read_pulls(client: GitHubClient, remote: RemoteState, kind: str) -> None:
    """The open and closed pull requests of ``kind``. These reads are not essential: one
    that fails leaves that kind's pull request as it is for this run, and is noted."""
    branch = branch_for(kind)
    head = f"{remote.owner}:{branch}"
    try:
        for data in client.paginate(client.repo_path("/pulls"), {"state": "closed", "head": head}):
            body = data.get("body") or ""
            merged = bool(data.get("merged_at"))
            if WITHDRAWN_MARKER in body and not merged:
                continue  # the bot closed it itself: nobody declined anything
            closed = ClosedChange(kind, int(data["number"]), merged)
            for entry, change in parse_fixes(body).items():
                if change and (entry, change) not in remote.closed:
                    remote.closed[(entry, change)] = closed
        client.get(client.repo_path(f"/git/ref/heads/{branch}"))
    except NotFoundError:
        return  # no branch: no open pull request either
    except GitHubAuthError:
        raise
    except GitHubError as error:
        remote.unreadable.add(kind)
        remote.notes.append(f"the {kind} pull request was left as it is: {error}")
        return
    remote.branches.add(branch)
    try:
        pulls = client.get(client.repo_path("/pulls"), {"state": "open", "head": head})
        if not pulls:
            return
        data = pulls[0]
        marker = parse_pr(data.get("body"))
        number = int(data["number"])
        pull = Pull(
            number=number,
            body=data.get("body") or "",
            digest=marker[1] if marker else "",
            person_pushed=True,
            changes=parse_fixes(data.get("body")),
        )
        remote.pulls[kind] = pull
        remote.pulls[kind] = dataclasses.replace(
            pull, person_pushed=_person_pushed(client, branch, remote.default_branch)
        )
    except GitHubAuthError:
        raise
    except GitHubError as error:
        remote.unreadable.add(kind)
        remote.notes.append(f"the {kind} pull request was left as it is: {error}")


def _person_pushed(client: GitHubClient, branch: str, base: str) -> bool:
    """Whether someone other than the bot committed to ``branch``.

    The bot only ever points its branch at the default branch's head and commits on
    top, so the newest commit tells: the bot's own, or one still on the default branch
    (nothing committed yet), means nobody else has touched it.
    """
    commits = client.get(client.repo_path("/commits"), {"sha": branch, "per_page": 1})
    if not commits:
        return False
    newest = commits[0]
    message = str(newest.get("commit", {}).get("message") or "")
    if message.startswith(BOT_COMMIT_PREFIX):
        return False
    base_commits = client.get(client.repo_path("/commits"), {"sha": base, "per_page": 100})
    return newest["sha"] not in {c["sha"] for c in base_commits}
