"""The fix pull requests: which changes each should hold, read against the default branch.

Pure choices live in ``plan.plan_pull``; this module gathers what they need (the catalog
as the default branch has it) and leaves out the changes a maintainer declined before.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from urllib.parse import quote, urlsplit

from catalogbot.catalog.edit import EditError, replace_urls
from catalogbot.catalog.errors import CatalogError
from catalogbot.catalog.load import parse_catalog
from catalogbot.check.result import Status
from catalogbot.drift.snapshot import SNAPSHOT_DIR
from catalogbot.github.actions import Action, SyncPull
from catalogbot.github.client import GitHubAuthError, GitHubClient, GitHubError, NotFoundError
from catalogbot.github.markers import change_tag
from catalogbot.github.plan import SyncOptions, muted, plan_pull
from catalogbot.github.pull_text import PullItem, pull_title
from catalogbot.github.remote import RemoteState
from catalogbot.github.render import Entry


def snapshot_change(entry_id: str, snapshot: str) -> str:
    """The change tag of a new snapshot: its text without the time it was taken, so the
    same page seen again is the same change."""
    kept = [line for line in snapshot.splitlines() if not line.startswith("accepted-at:")]
    return change_tag(entry_id, "\n".join(kept))


_SNAPSHOT_NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")


def snapshot_path(catalog_repo_path: str, entry_id: str) -> str | None:
    """Where an entry's snapshot lives in the repository, next to the catalog; None for
    an id that could name another place (the catalog's ids never do, but the fix pull
    request must write nowhere else whatever reaches it)."""
    if not _SNAPSHOT_NAME.match(entry_id) or len(entry_id) > 80:
        return None
    return (PurePosixPath(catalog_repo_path).parent / SNAPSHOT_DIR / f"{entry_id}.txt").as_posix()


def _site(address: str) -> tuple[str, str, int | None] | None:
    """Scheme, host and port of a web address (None when it is not one)."""
    try:
        parts = urlsplit(address)
        port = parts.port or {"http": 80, "https": 443}.get(parts.scheme.lower())
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return parts.scheme.lower(), parts.hostname.lower().rstrip("."), port


def new_address(entry: Entry) -> str | None:
    """The address the catalog should hold for an entry instead of its own: where a
    permanent redirect leads, or where a broken resource was found again and verified.

    A resource is only ever searched for on its own site, so a found address elsewhere
    (a results file edited by hand, or a bug) is not proposed."""
    result = entry.result
    if result.status == Status.REDIRECTED and result.suggested_url:
        return result.suggested_url
    relocation = result.relocation
    if result.status != Status.BROKEN or relocation is None or not relocation.url:
        return None
    site = _site(relocation.url)
    return relocation.url if site is not None and site == _site(result.url) else None


def address_change(entry: Entry) -> str | None:
    """The change tag of the catalog edit an entry needs, if it needs one."""
    new = new_address(entry)
    return change_tag(entry.result.id, entry.result.url, new) if new else None


def _muted_broken(remote: RemoteState, entry_id: str, entry: Entry) -> bool:
    """A broken link whose issue a maintainer closed as not planned: the bot stays quiet
    about it, found address included."""
    result = entry.result
    return result.status == Status.BROKEN and muted(remote.issues.get(entry_id), result)


@dataclass
class FixPulls:
    """Plans both fix pull requests of one run."""

    client: GitHubClient
    remote: RemoteState
    catalog_repo_path: str
    options: SyncOptions
    issues: Mapping[str, int]
    """Open entry issues, which a pull request closes when merged."""
    notes: list[str] = field(default_factory=list)
    declined: dict[str, int] = field(default_factory=dict)
    """Entries whose proposed change a maintainer declined, with that pull request."""
    items: dict[str, list[PullItem]] = field(default_factory=dict)
    """Per kind, the changes the pull request should hold."""

    def _keep(self, entry: Entry, change: str) -> PullItem | None:
        closed = self.remote.declined(entry.result.id, change)
        if closed is not None:
            self.declined[entry.result.id] = closed.number
            return None
        return PullItem(entry, change, self.issues.get(entry.result.id))

    def _may_open(self, kind: str, planned: list[Action]) -> bool:
        """Whether the cap on open pull requests leaves room for a new one of ``kind``."""
        if kind in self.remote.pulls:
            return True
        opening = sum(1 for a in planned if isinstance(a, SyncPull) and a.number is None)
        if len(self.remote.pulls) + opening < self.options.max_open_pulls:
            return True
        self.notes.append(
            f"no {kind} pull request opened: the limit of {self.options.max_open_pulls} "
            "open pull requests is reached"
        )
        return False

    def _remote_catalog(self) -> str:
        """The catalog as the default branch has it; EditError when it cannot be read."""
        branch = self.remote.default_branch
        try:
            data = self.client.get(
                self.client.repo_path(f"/contents/{quote(self.catalog_repo_path)}"),
                {"ref": branch},
            )
        except NotFoundError:
            raise EditError(f"{self.catalog_repo_path} is not on {branch}") from None
        except GitHubAuthError:
            raise
        except GitHubError as error:
            raise EditError(f"{self.catalog_repo_path} could not be read ({error})") from None
        content = data.get("content") if isinstance(data, dict) else None
        if not content:  # files over 1 MB come without their content
            raise EditError(f"{self.catalog_repo_path} is too large for the contents API")
        try:
            return base64.b64decode(content).decode("utf-8")
        except (ValueError, UnicodeDecodeError):
            raise EditError(f"{self.catalog_repo_path} on GitHub is not UTF-8 text") from None

    def redirects(self, confirmed: Mapping[str, Entry], planned: list[Action]) -> list[Action]:
        """The pull request that puts new addresses in the catalog: links that moved for
        good, and broken links whose resource was found again on its site (unless a
        maintainer muted the link's issue: "not planned" means quiet)."""
        moved = {
            i: (e, new)
            for i, e in confirmed.items()
            if (new := new_address(e)) and not _muted_broken(self.remote, i, e)
        }
        files: dict[str, str] = {}
        items: list[PullItem] = []
        if moved:
            try:
                text = self._remote_catalog()
                current = {r.id: r.url for r in parse_catalog(text.encode("utf-8"))[2].resources}
                changes: dict[str, str] = {}
                for i, (e, new) in moved.items():
                    item = self._keep(e, change_tag(i, e.result.url, new))
                    if item is not None and current.get(i) == e.result.url:
                        items.append(item)
                        changes[i] = new
                if changes:
                    files[self.catalog_repo_path] = replace_urls(
                        text, changes, self.catalog_repo_path
                    )
            except CatalogError as error:
                self.notes.append(
                    f"no pull request for moved links: the catalog on "
                    f"{self.remote.default_branch} is not valid ({len(error.problems)} problems)"
                )
                return []
            except EditError as error:
                self.notes.append(f"no pull request for moved links: {error}")
                return []
        self.items["redirects"] = items
        return plan_pull(
            "redirects",
            items=items,
            files=files,
            remote=self.remote,
            title=pull_title("redirects", items),
            may_open=not items or self._may_open("redirects", planned),
        )

    def snapshots(self, confirmed: Mapping[str, Entry], planned: list[Action]) -> list[Action]:
        files: dict[str, str] = {}
        items: list[PullItem] = []
        for i, e in confirmed.items():
            snapshot = e.result.snapshot
            path = snapshot_path(self.catalog_repo_path, i)
            if e.result.status != Status.DRIFTED or snapshot is None or path is None:
                continue
            item = self._keep(e, snapshot_change(i, snapshot))
            if item is not None:
                items.append(item)
                files[path] = snapshot
        self.items["snapshots"] = items
        held = self.remote.pulls.get("snapshots")
        dropped = set(held.changes) - {i.entry.result.id for i in items} if held else set()
        return plan_pull(
            "snapshots",
            items=items,
            files=files,
            remote=self.remote,
            title=pull_title("snapshots", items),
            may_open=not items or self._may_open("snapshots", planned),
            restore=[p for i in sorted(dropped) if (p := snapshot_path(self.catalog_repo_path, i))],
        )
