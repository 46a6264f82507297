"""Carry out planned actions through the REST API, one by one, each failure kept apart."""

from __future__ import annotations

import base64
import contextlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

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
from catalogbot.github.client import GitHubAuthError, GitHubClient, GitHubError, NotFoundError
from catalogbot.github.markers import LABEL, parse_entry
from catalogbot.github.remote import BOT_COMMIT_PREFIX, RemoteState


@dataclass(frozen=True)
class Outcome:
    """How one action went."""

    action: Action
    error: str | None = None
    number: int | None = None
    """The issue or pull request it created or changed."""


class Applier:
    """Executes actions against one repository."""

    def __init__(self, client: GitHubClient, remote: RemoteState) -> None:
        self._client = client
        self._remote = remote

    def apply(self, action: Action) -> Outcome:
        """Run one action; a GitHubError becomes the outcome's error, except a refused
        token, which stops the run (every further write would fail the same way)."""
        try:
            return Outcome(action, number=self._dispatch(action))
        except GitHubAuthError:
            raise
        except GitHubError as error:
            return Outcome(action, error=str(error))

    def _dispatch(self, action: Action) -> int | None:
        match action:
            case CreateLabel():
                self._create_label(action)
                return None
            case OpenIssue():
                return self._open_issue(action.entry, action.title, action.body, action.labels)
            case UpdateIssue():
                return self._update_issue(action)
            case CloseIssue():
                return self._close_issue(action)
            case SaveDashboard():
                return self._save_dashboard(action)
            case SyncPull():
                return self._sync_pull(action)
            case ClosePull():
                return self._close_pull(action)

    def _post_once(self, path: str, body: Any, find: Callable[[], Any | None]) -> Any:
        """POST, and after a server error look whether it took effect before trying again,
        so that a flaky answer never creates anything twice."""
        try:
            return self._client.post(path, body)
        except GitHubError as error:
            if 0 < error.status < 500:
                raise
            found = find()  # a server error or no answer: did it take effect anyway?
            if found is not None:
                return found
            return self._client.post(path, body)

    def _create_label(self, action: CreateLabel) -> None:
        path = self._client.repo_path("/labels")
        body = {"name": action.name, "color": action.color, "description": action.description}
        try:
            self._post_once(path, body, lambda: self._find_label(action.name))
        except GitHubError as error:
            if error.status != 422:  # 422: it already exists
                raise
        self._remote.labels.add(action.name)

    def _find_label(self, name: str) -> Any | None:
        try:
            return self._client.get(self._client.repo_path(f"/labels/{name}"))
        except NotFoundError:
            return None

    def _find_issue(self, entry: str | None, title: str | None) -> Any | None:
        """The newest open issue of the bot with this entry marker (or title)."""
        listing = self._client.get(
            self._client.repo_path("/issues"),
            {"labels": LABEL, "state": "open", "sort": "created", "direction": "desc"},
        )
        for data in listing:
            marker = parse_entry(data.get("body"))
            if (entry and marker and marker.entry == entry) or (
                not entry and data.get("title") == title
            ):
                return data
        return None

    def _open_issue(self, entry: str | None, title: str, text: str, labels: Sequence[str]) -> int:
        body = {"title": title, "body": text, "labels": list(labels)}
        created = self._post_once(
            self._client.repo_path("/issues"), body, lambda: self._find_issue(entry, title)
        )
        return int(created["number"])

    def _comment(self, number: int, text: str) -> None:
        path = self._client.repo_path(f"/issues/{number}/comments")

        def find() -> Any | None:
            comments = list(self._client.paginate(path))
            return comments[-1] if comments and comments[-1].get("body") == text else None

        self._post_once(path, {"body": text}, find)

    def _update_issue(self, action: UpdateIssue) -> int:
        body: dict[str, Any] = {"title": action.title, "body": action.body}
        if action.labels is not None:
            body["labels"] = list(action.labels)
        if action.reopen:
            body["state"] = "open"
        self._client.patch(self._client.repo_path(f"/issues/{action.number}"), body)
        if action.comment:
            self._comment(action.number, action.comment)
        return action.number

    def _close_issue(self, action: CloseIssue) -> int:
        self._comment(action.number, action.comment)
        self._client.patch(
            self._client.repo_path(f"/issues/{action.number}"),
            {"state": "closed", "state_reason": "completed"},
        )
        return action.number

    def _save_dashboard(self, action: SaveDashboard) -> int:
        if action.number is None:
            return self._open_issue(None, action.title, action.body, action.labels)
        body: dict[str, Any] = {"title": action.title, "body": action.body}
        if action.reopen:
            body["state"] = "open"
        self._client.patch(self._client.repo_path(f"/issues/{action.number}"), body)
        return action.number

    def _sync_pull(self, action: SyncPull) -> int:
        """Commit the files and open or update the pull request.

        While a pull request is open its branch only gains commits: resetting it to the
        default branch, even for a moment, can make GitHub close the pull request. With
        none open, the branch starts afresh from the default branch's head.
        """
        client, remote = self._client, self._remote
        if action.number is None:
            base = client.get(client.repo_path(f"/git/ref/heads/{remote.default_branch}"))
            base_sha = base["object"]["sha"]
            if action.branch in remote.branches:
                client.patch(
                    client.repo_path(f"/git/refs/heads/{action.branch}"),
                    {"sha": base_sha, "force": True},
                )
            else:
                client.post(
                    client.repo_path("/git/refs"),
                    {"ref": f"refs/heads/{action.branch}", "sha": base_sha},
                )
                remote.branches.add(action.branch)
        for path, content in sorted(action.files.items()):
            self._put_file(action.branch, path, content, action.title)
        for path in action.restore:
            original = self._read_file(path, remote.default_branch)
            if original is not None:
                self._put_file(action.branch, path, original, action.title)
        if action.number is not None:
            client.patch(
                client.repo_path(f"/pulls/{action.number}"),
                {"title": action.title, "body": action.body},
            )
            return action.number
        created = self._post_once(
            client.repo_path("/pulls"),
            {
                "title": action.title,
                "head": action.branch,
                "base": remote.default_branch,
                "body": action.body,
            },
            lambda: self._find_pull(action.branch),
        )
        return int(created["number"])

    def _find_pull(self, branch: str) -> Any | None:
        pulls = self._client.get(
            self._client.repo_path("/pulls"),
            {"state": "open", "head": f"{self._remote.owner}:{branch}"},
        )
        return pulls[0] if pulls else None

    def _read_file(self, path: str, ref: str) -> str | None:
        """A text file's content on ``ref``; None when it is not there or not text."""
        client = self._client
        try:
            data = client.get(client.repo_path(f"/contents/{quote(path)}"), {"ref": ref})
            return base64.b64decode(data.get("content") or "").decode("utf-8")
        except NotFoundError:
            return None
        except (ValueError, UnicodeDecodeError, AttributeError):
            return None

    def _put_file(self, branch: str, path: str, content: str, title: str) -> None:
        client = self._client
        path = quote(path)
        try:
            current = client.get(client.repo_path(f"/contents/{path}"), {"ref": branch})
            sha: str | None = current["sha"]
        except NotFoundError:
            sha = None
        else:
            with contextlib.suppress(ValueError, TypeError):
                if base64.b64decode(current.get("content") or "") == content.encode("utf-8"):
                    return  # already there: an empty commit would only add noise
        body: dict[str, Any] = {
            "message": f"{BOT_COMMIT_PREFIX}{title}",
            "content": base64.b64encode(content.encode("utf-8")).decode("ascii"),
            "branch": branch,
        }
        if sha is not None:
            body["sha"] = sha
        client.put(client.repo_path(f"/contents/{path}"), body)

    def _close_pull(self, action: ClosePull) -> int | None:
        client = self._client
        if action.number is not None:
            if action.comment:
                self._comment(action.number, action.comment)
            change: dict[str, Any] = {"state": "closed"}
            if action.body is not None:
                change["body"] = action.body
            client.patch(client.repo_path(f"/pulls/{action.number}"), change)
        with contextlib.suppress(NotFoundError):
            client.delete(client.repo_path(f"/git/refs/heads/{action.branch}"))
        self._remote.branches.discard(action.branch)
        return action.number
