"""Reconcile GitHub with a results file: issues, the dashboard and fix pull requests."""

from __future__ import annotations

import base64
import dataclasses
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import httpx

from catalogbot.catalog.edit import EditError, replace_urls
from catalogbot.catalog.errors import CatalogError
from catalogbot.catalog.load import CatalogFile, parse_catalog
from catalogbot.check.result import CheckResult, Reason, Status
from catalogbot.drift.snapshot import SNAPSHOT_DIR
from catalogbot.github.apply import Applier, Outcome
from catalogbot.github.client import GitHubClient, NotFoundError
from catalogbot.github.markers import DashboardState
from catalogbot.github.plan import (
    Action,
    SyncOptions,
    plan_dashboard,
    plan_issues,
    plan_labels,
    plan_pull,
    redirect_lines,
    update_streaks,
)
from catalogbot.github.remote import RemoteState, read_remote
from catalogbot.github.render import Entry
from catalogbot.report import results_file
from catalogbot.report.escape import inline

WAYBACK_API = "https://archive.org/wayback/available"


@dataclass(frozen=True)
class Results:
    """A results file as sync reads it."""

    results: list[CheckResult]
    offline: bool
    finished_at: str


def read_results(path: Path) -> Results:
    """Read a results file written by ``catalogbot check --json``; UsageError if unusable."""
    document = results_file.read_results(path)
    return Results(list(document.results), document.offline, document.finished_at)


def wayback_lookup(url: str, api: str | None = None) -> str | None:
    """The closest Internet Archive copy of ``url``; None on any failure (never fatal)."""
    endpoint = api if api is not None else os.environ.get("CATALOGBOT_WAYBACK_URL", WAYBACK_API)
    if not endpoint:
        return None
    try:
        response = httpx.get(endpoint, params={"url": url}, timeout=10.0)
        closest = response.json()["archived_snapshots"]["closest"]
    except (httpx.HTTPError, ValueError, KeyError, TypeError):
        return None
    if not isinstance(closest, dict) or not closest.get("available"):
        return None
    found = closest.get("url")
    return found if isinstance(found, str) and found.startswith(("http://", "https://")) else None


@dataclass
class SyncReport:
    """What sync did, or would do with --dry-run."""

    planned: list[Action] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.error]


class Syncer:
    """One sync run: read GitHub, plan, apply in phases (numbers of new issues feed the
    dashboard)."""

    def __init__(
        self,
        client: GitHubClient,
        catalog: CatalogFile,
        catalog_repo_path: str,
        options: SyncOptions,
        *,
        dry_run: bool,
        now: str,
        lookup: Callable[[str], str | None] = wayback_lookup,
    ) -> None:
        self.client = client
        self.catalog = catalog
        self.catalog_repo_path = catalog_repo_path
        self.options = options
        self.dry_run = dry_run
        self.now = now
        self.lookup = lookup
        self.report = SyncReport()

    def _entries(
        self, results: list[CheckResult], remote: RemoteState, state: DashboardState
    ) -> dict[str, Entry]:
        titles = {r.id: r.title for r in self.catalog.catalog.resources}
        entries = {}
        for result in results:
            if result.id not in titles:
                continue  # the results are older than the catalog
            line = self.catalog.url_position(result.id).line
            link = (
                f"{remote.html_url}/blob/{quote(remote.default_branch)}/"
                f"{quote(self.catalog_repo_path)}#L{line}"
            )
            streak = state.streaks.get(result.id)
            entries[result.id] = Entry(result, titles[result.id], line, link, streak)
        return entries

    def _run(self, actions: list[Action], applier: Applier) -> dict[str, int]:
        """Apply actions (or only record them, in a dry run); return entry issue numbers."""
        numbers: dict[str, int] = {}
        self.report.planned.extend(actions)
        if self.dry_run:
            return numbers
        for action in actions:
            outcome = applier.apply(action)
            self.report.outcomes.append(outcome)
            if outcome.number is not None and action.entry:
                numbers[action.entry] = outcome.number
        return numbers

    def sync(self, results: Results) -> SyncReport:
        if results.offline:
            self.report.notes.append(
                "the results say the checking machine was offline; nothing was changed"
            )
            return self.report
        remote = read_remote(self.client)
        applier = Applier(self.client, remote)
        state = update_streaks(remote.state, results.results, self.options.confirm_runs, self.now)
        catalog_ids = {r.id for r in self.catalog.catalog.resources}
        state.streaks = {i: s for i, s in state.streaks.items() if i in catalog_ids}
        entries = self._entries(results.results, remote, state)
        numbers = {i: issue.number for i, issue in remote.issues.items() if issue.state == "open"}
        self._run(plan_labels(remote), applier)
        issue_actions = plan_issues(entries, remote, catalog_ids, self.options)
        opening = [a.entry for a in issue_actions if a.kind == "open-issue" and a.entry]
        if self._add_archived(entries, opening):
            issue_actions = plan_issues(entries, remote, catalog_ids, self.options)
        numbers.update(self._run(issue_actions, applier))
        confirmed = {
            i: e
            for i, e in entries.items()
            if e.streak is not None and e.streak.runs >= self.options.confirm_runs
        }
        checked = {r.id for r in results.results}
        if catalog_ids - checked:
            # A partial run (check --only) knows nothing of the other entries' fixes.
            self.report.notes.append(
                f"this run checked {len(checked & catalog_ids)} of {len(catalog_ids)} "
                "entries; the fix pull requests were left as they are"
            )
        else:
            self._run(self._redirect_pull(confirmed, remote), applier)
            # After the redirects pull request, so that the cap counts it.
            self._run(self._snapshot_pull(confirmed, remote), applier)
        dashboard = plan_dashboard(
            {**entries, **self._carried(entries, state, remote)},
            remote,
            issue_numbers=numbers,
            state=state,
            options=self.options,
            notes=self.report.notes,
        )
        self._run([dashboard] if dashboard else [], applier)
        return self.report

    def _carried(
        self, entries: dict[str, Entry], state: DashboardState, remote: RemoteState
    ) -> dict[str, Entry]:
        """Entries a partial run (check --only) did not check but that still need
        attention: the dashboard keeps listing them with what was last seen."""
        carried = {}
        for resource in self.catalog.catalog.resources:
            streak = state.streaks.get(resource.id)
            if resource.id in entries or streak is None:
                continue
            try:
                status, reason = Status(streak.status), Reason(streak.reason)
            except ValueError:
                continue  # a state this version does not know counts as none
            last = CheckResult(
                resource.id, resource.url, status, reason, "not checked in the latest run"
            )
            carried.update(self._entries([last], remote, state))
        return carried

    def _add_archived(self, entries: dict[str, Entry], opening: list[str]) -> bool:
        """Look up archived copies for broken entries about to get a new issue (only
        those: each lookup can take seconds). Whether any was found."""
        found = False
        for entry_id in opening:
            entry = entries[entry_id]
            if entry.result.status != Status.BROKEN:
                continue
            archived = self.lookup(entry.result.url)
            if archived:
                entries[entry_id] = dataclasses.replace(entry, archived=archived)
                found = True
        return found

    def _remote_catalog(self, remote: RemoteState) -> str:
        """The catalog as the default branch has it; EditError when it cannot be read."""
        try:
            data = self.client.get(
                self.client.repo_path(f"/contents/{quote(self.catalog_repo_path)}"),
                {"ref": remote.default_branch},
            )
        except NotFoundError:
            raise EditError(f"{self.catalog_repo_path} is not on {remote.default_branch}") from None
        content = data.get("content") if isinstance(data, dict) else None
        if not content:  # files over 1 MB come without their content
            raise EditError(f"{self.catalog_repo_path} is too large for the contents API")
        try:
            return base64.b64decode(content).decode("utf-8")
        except (ValueError, UnicodeDecodeError):
            raise EditError(f"{self.catalog_repo_path} on GitHub is not UTF-8 text") from None

    def _may_open(self, remote: RemoteState, kind: str) -> bool:
        """Whether the cap on open pull requests leaves room for a new one of ``kind``."""
        opening = sum(1 for a in self.report.planned if a.kind == "sync-pull" and a.number is None)
        room = len(remote.pulls) + opening < self.options.max_open_pulls
        if not room and kind not in remote.pulls:
            self.report.notes.append(
                f"no {kind} pull request opened: the limit of {self.options.max_open_pulls} "
                "open pull requests is reached"
            )
        return room

    def _redirect_pull(self, confirmed: dict[str, Entry], remote: RemoteState) -> list[Action]:
        moved = {
            i: e
            for i, e in confirmed.items()
            if e.result.status == Status.REDIRECTED and e.result.suggested_url
        }
        files: dict[str, str] = {}
        if moved:
            try:
                text = self._remote_catalog(remote)
                current = {r.id: r.url for r in parse_catalog(text.encode("utf-8"))[2].resources}
                moved = {i: e for i, e in moved.items() if current.get(i) == e.result.url}
                changes = {i: str(e.result.suggested_url) for i, e in moved.items()}
                if changes:
                    files[self.catalog_repo_path] = replace_urls(
                        text, changes, self.catalog_repo_path
                    )
            except CatalogError as error:
                self.report.notes.append(
                    f"no pull request for moved links: the catalog on {remote.default_branch} "
                    f"is not valid ({len(error.problems)} problems)"
                )
                moved, files = {}, {}
            except EditError as error:
                self.report.notes.append(f"no pull request for moved links: {error}")
                moved, files = {}, {}
        return plan_pull(
            "redirects",
            changes={i: str(e.result.suggested_url) for i, e in moved.items()},
            files=files,
            lines=redirect_lines(moved),
            remote=remote,
            title="Update links that moved",
            may_open=not moved or self._may_open(remote, "redirects"),
        )

    def _snapshot_pull(self, confirmed: dict[str, Entry], remote: RemoteState) -> list[Action]:
        folder = Path(self.catalog_repo_path).parent / SNAPSHOT_DIR
        changed = {
            i: e
            for i, e in confirmed.items()
            if e.result.status == Status.DRIFTED and e.result.snapshot is not None
        }
        files = {
            (folder / f"{i}.txt").as_posix(): str(e.result.snapshot) for i, e in changed.items()
        }
        lines = [
            f"- **{inline(e.title, 200)}** (`{i}`): {inline(e.result.detail, 300)}"
            for i, e in changed.items()
        ]
        return plan_pull(
            "snapshots",
            changes=dict.fromkeys(changed, "snapshot"),
            files=files,
            lines=lines,
            remote=remote,
            title="Accept changes to pages",
            may_open=not changed or self._may_open(remote, "snapshots"),
        )
