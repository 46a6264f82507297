"""One sync run: read GitHub, plan, apply in phases, and report what happened."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import quote

from catalogbot.catalog.load import CatalogFile
from catalogbot.check.result import CheckResult, Status
from catalogbot.github.actions import Action, ActionKind, SyncPull
from catalogbot.github.apply import Applier, Outcome
from catalogbot.github.client import GitHubClient
from catalogbot.github.dashboard import NOT_CHECKED, Board
from catalogbot.github.fix_links import (
    declined_fix,
    held_links,
    plan_fix_links,
    proposed_links,
)
from catalogbot.github.markers import DashboardState
from catalogbot.github.plan import (
    SyncOptions,
    confirmed,
    dashboard_rows,
    plan_dashboard,
    plan_issues,
    plan_labels,
)
from catalogbot.github.pulls import FixPulls
from catalogbot.github.remote import RemoteState, read_remote
from catalogbot.github.render import Entry, Listing
from catalogbot.github.streaks import update_streaks
from catalogbot.github.wayback import Archive, NoArchive

if TYPE_CHECKING:
    from catalogbot.github.sync import Results


@dataclass
class SyncReport:
    """What sync did, or would do with --dry-run."""

    planned: list[Action] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.error]


def run_url(environ: Mapping[str, str]) -> str | None:
    """The link to the GitHub Actions run this process is part of, when it is one."""
    parts = [environ.get(k, "").strip() for k in ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY")]
    run_id = environ.get("GITHUB_RUN_ID", "").strip()
    if not all(parts) or not run_id.isdigit() or not parts[0].startswith("https://"):
        return None
    return f"{parts[0].rstrip('/')}/{parts[1]}/actions/runs/{run_id}"


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
        archive: Archive | None = None,
        run_link: str | None = None,
    ) -> None:
        self.client = client
        self.catalog = catalog
        self.catalog_repo_path = catalog_repo_path
        self.options = options
        self.dry_run = dry_run
        self.now = now
        self.archive = archive if archive is not None else NoArchive()
        self.run_link = run_link
        self.report = SyncReport()

    def _listings(self) -> dict[str, tuple[Listing, ...]]:
        found: dict[str, list[Listing]] = {}
        for strategy in self.catalog.catalog.strategies:
            listing = Listing(strategy.title, strategy.url)
            ids = {h.resource for h in strategy.highlights}
            for level in strategy.resources.by_level().values():
                ids.update(level)
            for entry_id in sorted(ids):
                found.setdefault(entry_id, []).append(listing)
        return {k: tuple(v) for k, v in found.items()}

    def _entries(
        self, results: list[CheckResult], remote: RemoteState, state: DashboardState
    ) -> dict[str, Entry]:
        resources = self.catalog.by_id
        listings = self._listings()
        entries: dict[str, Entry] = {}
        for result in results:
            resource = resources.get(result.id)
            if resource is None or result.id in entries:
                continue  # older than the catalog, or listed twice: the first counts
            line = self.catalog.url_position(result.id).line
            link = (
                f"{remote.html_url}/blob/{quote(remote.default_branch)}/"
                f"{quote(self.catalog_repo_path)}#L{line}"
            )
            entries[result.id] = Entry(
                result,
                resource.title,
                line,
                link,
                state.streaks.get(result.id),
                note=resource.note,
                confidence=resource.confidence.value if resource.confidence else None,
                listed_on=listings.get(result.id, ()),
            )
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
        self.report.notes.extend(remote.notes)
        applier = Applier(self.client, remote)
        state = update_streaks(
            remote.state, results.results, self.options.confirm_runs, self.now, results.finished_at
        )
        catalog_ids = {r.id for r in self.catalog.catalog.resources}
        state.streaks = {i: s for i, s in state.streaks.items() if i in catalog_ids}
        entries = self._entries(results.results, remote, state)
        written = held_links(entries, remote)
        entries = {
            i: dataclasses.replace(e, pull=written.get(i), declined=declined_fix(e, remote))
            for i, e in entries.items()
        }
        numbers = {i: issue.number for i, issue in remote.issues.items() if issue.state == "open"}
        self._run(plan_labels(remote), applier)
        issue_actions = plan_issues(entries, remote, catalog_ids, self.options)
        opening = [a.entry for a in issue_actions if a.kind == ActionKind.OPEN_ISSUE and a.entry]
        if self._add_archived(entries, opening):
            issue_actions = plan_issues(entries, remote, catalog_ids, self.options)
        numbers.update(self._run(issue_actions, applier))
        pulls = FixPulls(self.client, remote, self.catalog_repo_path, self.options, numbers)
        checked = {r.id for r in results.results}
        if catalog_ids - checked:
            # A partial run (check --only) knows nothing of the other entries' fixes.
            self.report.notes.append(
                f"this run checked {len(checked & catalog_ids)} of {len(catalog_ids)} "
                "entries; the fix pull requests were left as they are"
            )
            pull_numbers = {e: p.number for p in remote.pulls.values() for e in p.changes}
        else:
            pull_numbers = self._sync_pulls(
                entries, pulls, remote, applier, written=written, numbers=numbers
            )
        board = Board(
            dashboard_rows(
                {**entries, **self._carried(entries, state, remote)},
                remote,
                issue_numbers=numbers,
                pull_numbers=pull_numbers,
                declined=pulls.declined,
                options=self.options,
            ),
            checked_at=results.finished_at,
            run_url=self.run_link,
            confirm_runs=self.options.confirm_runs,
            max_new_issues=self.options.max_new_issues,
            notes=self.report.notes,
            state=state.render(),
        )
        dashboard = plan_dashboard(board, remote)
        self._run([dashboard] if dashboard else [], applier)
        return self.report

    def _sync_pulls(
        self,
        entries: dict[str, Entry],
        pulls: FixPulls,
        remote: RemoteState,
        applier: Applier,
        *,
        written: dict[str, int],
        numbers: dict[str, int],
    ) -> dict[str, int]:
        """Bring both fix pull requests in line, then point the issues at the one that
        proposes their new address; ``entries`` are updated with that link. Returns the
        pull request that changes each entry."""
        ready = {i: e for i, e in entries.items() if confirmed(e, self.options)}
        pull_numbers: dict[str, int] = {}
        by_kind: dict[str, dict[str, int]] = {}
        # Redirects first, so that the cap counts it.
        for kind, plan in (("redirects", pulls.redirects), ("snapshots", pulls.snapshots)):
            actions = plan(ready, self.report.planned)
            self.report.notes.extend(pulls.notes)
            pulls.notes.clear()
            self._run(actions, applier)
            by_kind[kind] = self._pull_numbers(kind, pulls, remote)
            pull_numbers.update(by_kind[kind])
        proposed = proposed_links(entries, remote, by_kind)
        relink = plan_fix_links(
            entries, written=written, proposed=proposed, issues=numbers, options=self.options
        )
        self._run(relink, applier)
        entries.update(
            {i: dataclasses.replace(e, pull=proposed.get(i)) for i, e in entries.items()}
        )
        return pull_numbers

    def _pull_numbers(self, kind: str, pulls: FixPulls, remote: RemoteState) -> dict[str, int]:
        """Entry to the number of the open pull request of ``kind`` that changes it."""
        number = remote.pulls[kind].number if kind in remote.pulls else None
        for outcome in self.report.outcomes:
            action = outcome.action
            if isinstance(action, SyncPull) and action.pull_kind == kind and outcome.number:
                number = outcome.number
        if number is None:
            return {}
        if kind in remote.unreadable or (kind in remote.pulls and remote.pulls[kind].person_pushed):
            return dict.fromkeys(remote.pulls[kind].changes, number) if kind in remote.pulls else {}
        return {item.entry.result.id: number for item in pulls.items.get(kind, [])}

    def _carried(
        self, entries: dict[str, Entry], state: DashboardState, remote: RemoteState
    ) -> dict[str, Entry]:
        """Entries a partial run (check --only) did not check but that still need
        attention: the dashboard keeps listing them with what was last seen."""
        last_seen = []
        for resource in self.catalog.catalog.resources:
            streak = state.streaks.get(resource.id)
            if resource.id in entries or streak is None:
                continue
            last_seen.append(
                CheckResult(resource.id, resource.url, streak.status, streak.reason, NOT_CHECKED)
            )
        return self._entries(last_seen, remote, state)

    def _add_archived(self, entries: dict[str, Entry], opening: list[str]) -> bool:
        """Look up archived copies for broken entries about to get a new issue (only
        those: each lookup can take seconds). Whether any was found."""
        found = False
        for entry_id in opening:
            entry = entries[entry_id]
            if entry.result.status != Status.BROKEN:
                continue
            archived = self.archive.closest(entry.result.url)
            if archived:
                entries[entry_id] = dataclasses.replace(entry, archived=archived)
                found = True
        return found
