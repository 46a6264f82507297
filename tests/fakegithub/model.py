"""The records the fake keeps: users, labels, issues (pull requests are issues too)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta


def iso(moment: datetime) -> str:
    """A timestamp as GitHub writes it: ``2024-05-01T12:00:00Z``."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_iso(text: str) -> datetime:
    """An ISO 8601 timestamp (``Z`` or an offset) as an aware datetime."""
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class Clock:
    """The fake's time: it starts at the real present and moves one second per write.

    Every write getting its own second keeps ``created_at``/``updated_at`` strictly
    ordered, so sorting is deterministic; ``advance`` lets a test put days between runs.
    """

    def __init__(self, start: datetime | None = None) -> None:
        now = start or datetime.now(UTC)
        self._now = now.replace(microsecond=0)

    def now(self) -> datetime:
        """The current fake time."""
        return self._now

    def tick(self) -> datetime:
        """Move one second on and return the new time (call once per write)."""
        self._now += timedelta(seconds=1)
        return self._now

    def advance(self, delta: timedelta) -> None:
        """Move the clock forward by ``delta``."""
        self._now += delta


@dataclass
class User:
    """A GitHub account. ``association`` is what GitHub reports for it on this repo."""

    login: str
    id: int
    type: str = "User"
    name: str | None = None
    email: str = ""
    association: str = "NONE"

    def __post_init__(self) -> None:
        if not self.email:
            self.email = f"{self.id}+{self.login}@users.noreply.github.com"
        if self.name is None:
            self.name = self.login


@dataclass
class Label:
    """A repository label."""

    id: int
    name: str
    color: str = "ededed"
    description: str | None = None
    default: bool = False


@dataclass
class Comment:
    """A comment on an issue or pull request."""

    id: int
    body: str
    user: User
    created_at: datetime
    updated_at: datetime


@dataclass
class PullData:
    """What a pull request has beyond its issue.

    ``head_sha`` is the head branch's commit when last seen; it follows the branch while
    the branch exists and stays put once the branch is deleted, as on GitHub.
    """

    head_ref: str
    head_sha: str
    base_ref: str
    draft: bool = False
    maintainer_can_modify: bool = False
    merged_at: datetime | None = None
    merged_by: User | None = None
    merge_commit_sha: str | None = None


@dataclass
class Issue:
    """An issue, or the issue side of a pull request (``pull`` is then set)."""

    id: int
    number: int
    title: str
    body: str | None
    user: User
    created_at: datetime
    updated_at: datetime
    state: str = "open"
    state_reason: str | None = None
    closed_at: datetime | None = None
    closed_by: User | None = None
    labels: list[Label] = field(default_factory=list)
    assignees: list[User] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    pull: PullData | None = None
