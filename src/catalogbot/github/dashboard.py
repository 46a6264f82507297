"""The dashboard issue's text: counts first, then what to do, grouped, each row linked."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from catalogbot.check.result import PRECEDENCE, Status
from catalogbot.github.markers import DASHBOARD_MARKER
from catalogbot.github.render import Entry, cap
from catalogbot.github.words import STATUS_NAMES, day, plural, when
from catalogbot.report.escape import inline, link, url

DASHBOARD_TITLE = "catalogbot: link health dashboard"
NOT_CHECKED = "not checked in the latest run"
"""The detail of a row a partial run (check --only) carries over from an earlier check:
listed, but not counted as checked."""


@dataclass(frozen=True)
class DashboardRow:
    entry: Entry
    issue: int | None = None
    """The entry's open issue, once it has one."""
    pull: int | None = None
    """The open fix pull request that changes it."""
    declined: int | None = None
    """The closed pull request in which a maintainer declined the same change."""
    muted: bool = False
    """Its issue was closed as not planned, for this same address."""
    confirmed: bool = True
    """Seen in enough checks in a row to be reported."""


@dataclass(frozen=True)
class Board:
    """Everything the dashboard shows."""

    rows: Sequence[DashboardRow]
    checked_at: str
    """When the latest check finished (ISO 8601), or ""."""
    run_url: str | None
    confirm_runs: int
    max_new_issues: int
    notes: Sequence[str] = ()
    state: str = ""


def _name(row: DashboardRow) -> str:
    return f"**{inline(row.entry.title, 120)}**"


def _since(row: DashboardRow) -> str:
    streak = row.entry.streak
    return f" (since {day(streak.since)})" if streak is not None else ""


def _issue(row: DashboardRow) -> str:
    if row.issue is not None:
        return f"issue #{row.issue}"
    return "issue not opened yet"


def _broken(row: DashboardRow) -> str:
    relocation = row.entry.result.relocation
    if relocation is None:
        fix = ""
    elif row.pull is not None:
        fix = f"; fix proposed in #{row.pull}"
    elif row.declined is not None:
        fix = f"; the new address found was declined in #{row.declined}"
    else:
        fix = f"; new address found: {url(relocation.url)}"
    return f"- {_name(row)}{_since(row)}: {_issue(row)}{fix}"


def _changed(row: DashboardRow) -> str:
    review = f"; review pull request #{row.pull}" if row.pull is not None else ""
    return f"- {_name(row)}{_since(row)}: {_issue(row)}{review}"


def _moved(row: DashboardRow) -> str:
    if row.pull is not None:
        return f"- {_name(row)}{_since(row)}: review pull request #{row.pull}"
    if row.declined is not None:
        return (
            f"- {_name(row)}: the change to {url(row.entry.result.suggested_url or '')} was "
            f"declined in #{row.declined}; fix the address by hand in catalog.yaml"
        )
    new = url(row.entry.result.suggested_url or "")
    return f"- {_name(row)}: no pull request yet (see the notes below); new address {new}"


def _counts(rows: Sequence[DashboardRow]) -> str:
    """Counts that add up to the lists below: a link waiting for confirmation or muted
    is counted as such, not as broken."""
    counts = Counter(_counted_as(row) for row in rows)
    parts = [f"{counts[name]} {name}" for name in _COUNTED if counts[name]]
    total = sum(counts.values())
    return f"**{plural(total, 'link')} checked:** " + (" · ".join(parts) or "none")


_COUNTED = (
    *(STATUS_NAMES[status] for status in PRECEDENCE if status != Status.OK),
    "waiting for another check",
    "muted",
    STATUS_NAMES[Status.OK],
    STATUS_NAMES[Status.SKIPPED],
)


def _counted_as(row: DashboardRow) -> str:
    status = row.entry.result.status
    if row.muted:
        return "muted"
    if not row.confirmed and status.needs_attention:
        return "waiting for another check"
    return STATUS_NAMES[status]


def _group(title: str, advice: str, lines: list[str]) -> list[str]:
    if not lines:
        return []
    return [f"## {title} ({len(lines)})", "", advice, "", *lines, ""]


def dashboard_body(board: Board) -> str:
    """The dashboard for people, and the streaks, hidden."""
    confirmed = [r for r in board.rows if r.confirmed and not r.muted]

    def of(status: Status) -> list[DashboardRow]:
        return [r for r in confirmed if r.entry.result.status == status]

    waiting = [r for r in board.rows if not r.confirmed and r.entry.result.status.needs_attention]
    muted = [r for r in board.rows if r.muted]
    checked = (
        f"**Last check:** {when(board.checked_at)}"
        if board.checked_at
        else "**Last check:** unknown"
    )
    if board.run_url:
        checked += f" ([the run]({board.run_url}))"
    out = [
        DASHBOARD_MARKER,
        board.state,
        "# Catalog link health",
        "",
        checked + ". catalogbot checks every day; if this date is more than two days old, "
        "the scheduled check has stopped: open the repository's Actions tab.",
        "",
        _counts([r for r in board.rows if r.entry.result.detail != NOT_CHECKED]),
        "",
    ]
    todo = [r for r in confirmed if r.entry.result.status != Status.UNVERIFIABLE]
    if not todo:
        out += ["Nothing needs your attention right now.", ""]
    out += _group(
        "Broken links",
        "Find where each resource went and put its new address in catalog.yaml, or remove "
        "the entry. Each issue has the details. Where catalogbot found the new address, "
        "review the pull request that puts it in the catalog.",
        [_broken(r) for r in of(Status.BROKEN)],
    )
    out += _group(
        "Changed pages",
        "Open each page and decide whether it is still the right resource. Each issue "
        "shows what changed.",
        [_changed(r) for r in of(Status.DRIFTED)],
    )
    out += _group(
        "Moved links",
        "These pages forward to a new address. Review the pull request that updates them.",
        [_moved(r) for r in of(Status.REDIRECTED)],
    )
    out += _group(
        "Open in a browser now and then",
        "These sites refuse automated checks, so catalogbot cannot tell whether they work.",
        [f"- **{link(r.entry.title, r.entry.result.url, 120)}**" for r in of(Status.UNVERIFIABLE)],
    )
    out += _group(
        "Muted",
        "A maintainer closed these issues as not planned; reports resume if the address changes.",
        [f"- {_name(r)}: issue #{r.issue}" if r.issue else f"- {_name(r)}" for r in muted],
    )
    if waiting:
        names = ", ".join(_name(r) for r in waiting[:10])
        more = f" and {len(waiting) - 10} more" if len(waiting) > 10 else ""
        out += [
            f"**Waiting for another check ({len(waiting)}):** {names}{more}. catalogbot "
            f"reports a problem once it is seen in {plural(board.confirm_runs, 'check')} in a row, "
            "since sites often fail for a day.",
            "",
        ]
    unopened = [r for r in todo if r.issue is None and r.entry.result.status != Status.REDIRECTED]
    if unopened:
        out += [
            f"**Not opened yet:** {plural(len(unopened), 'issue')}, because catalogbot opens "
            f"at most {board.max_new_issues} new issues per check so that a bad day stays "
            "readable; the rest follow in the next checks.",
            "",
        ]
    if board.notes:
        out += ["<details><summary>Notes from the latest run</summary>", ""]
        out += [f"- {inline(note, 500)}" for note in board.notes]
        out += ["", "</details>", ""]
    # The state comes first, so cutting the body to size only ever shortens the lists.
    return cap("\n".join(out))
