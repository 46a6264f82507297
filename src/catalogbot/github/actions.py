"""The writes sync can make on GitHub, each a small frozen value.

Planning (``plan``) returns these; ``apply`` carries them out, one ``match`` arm each.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import ClassVar


class ActionKind(StrEnum):
    """What kind of write an action is (also what --dry-run lists)."""

    CREATE_LABEL = "create-label"
    OPEN_ISSUE = "open-issue"
    UPDATE_ISSUE = "update-issue"
    CLOSE_ISSUE = "close-issue"
    SAVE_DASHBOARD = "save-dashboard"
    SYNC_PULL = "sync-pull"
    CLOSE_PULL = "close-pull"


@dataclass(frozen=True)
class CreateLabel:
    kind: ClassVar[ActionKind] = ActionKind.CREATE_LABEL
    summary: str
    """One line for people (and for --dry-run)."""
    name: str
    color: str
    description: str
    entry: None = None


@dataclass(frozen=True)
class OpenIssue:
    kind: ClassVar[ActionKind] = ActionKind.OPEN_ISSUE
    summary: str
    entry: str
    title: str
    body: str
    labels: tuple[str, ...]


@dataclass(frozen=True)
class UpdateIssue:
    kind: ClassVar[ActionKind] = ActionKind.UPDATE_ISSUE
    summary: str
    number: int
    entry: str
    title: str
    body: str
    labels: tuple[str, ...] | None
    """None leaves the issue's labels as they are."""
    reopen: bool = False
    comment: str | None = None
    """Posted after the update; None when the change is not worth a notification."""


@dataclass(frozen=True)
class CloseIssue:
    kind: ClassVar[ActionKind] = ActionKind.CLOSE_ISSUE
    summary: str
    number: int
    entry: str
    comment: str


@dataclass(frozen=True)
class SaveDashboard:
    kind: ClassVar[ActionKind] = ActionKind.SAVE_DASHBOARD
    summary: str
    number: int | None
    """None: create the dashboard issue."""
    title: str
    body: str
    labels: tuple[str, ...]
    reopen: bool = False
    entry: None = None


@dataclass(frozen=True)
class SyncPull:
    kind: ClassVar[ActionKind] = ActionKind.SYNC_PULL
    summary: str
    pull_kind: str
    number: int | None
    """The open pull request to update; None opens one."""
    title: str
    body: str
    branch: str
    files: Mapping[str, str] = field(default_factory=dict)
    restore: tuple[str, ...] = ()
    """Files the open pull request no longer changes: put back as the default branch
    has them (its branch only gains commits)."""
    entry: None = None


@dataclass(frozen=True)
class ClosePull:
    kind: ClassVar[ActionKind] = ActionKind.CLOSE_PULL
    summary: str
    number: int | None
    """None: only delete the leftover branch."""
    branch: str
    comment: str | None = None
    body: str | None = None
    """The pull request's body as it is closed (marked as withdrawn by the bot)."""
    entry: None = None


Action = CreateLabel | OpenIssue | UpdateIssue | CloseIssue | SaveDashboard | SyncPull | ClosePull
