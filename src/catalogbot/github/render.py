"""Issue, comment, dashboard and pull request text, written for maintainers.

Everything that came from a remote page (titles, details, URLs, diffs) goes through
report.escape, and every body is cut to fit GitHub's 65,536-character limit.
"""

from __future__ import annotations

from dataclasses import dataclass

from catalogbot.check.result import CheckResult, Status
from catalogbot.github.markers import DASHBOARD_MARKER, EntryMarker, Streak, url_tag
from catalogbot.report.escape import code_block, inline, url
from catalogbot.report.presentation import advice

MAX_BODY = 60_000
"""Below GitHub's 65,536-character limit on issue and comment bodies, with room to spare."""

HEADLINES = {
    Status.BROKEN: "is broken",
    Status.DRIFTED: "changed since it was reviewed",
    Status.REDIRECTED: "has moved",
}
TITLES = {
    Status.BROKEN: "Broken link",
    Status.DRIFTED: "Changed page",
    Status.REDIRECTED: "Moved link",
}
STATUS_LABELS = {Status.BROKEN: "link: broken", Status.DRIFTED: "link: drifted"}
FOOTER = (
    "_catalogbot keeps this issue up to date and closes it when the link works again. "
    "To stop reports about this link, close the issue as **not planned**; they resume "
    "if its URL changes._"
)


@dataclass(frozen=True)
class Entry:
    """A result with what the catalog and the repository add to it."""

    result: CheckResult
    title: str
    line: int
    catalog_link: str
    """Link to the url's line of catalog.yaml on the default branch."""
    streak: Streak | None = None
    archived: str | None = None
    """The closest Wayback Machine copy, when one was found."""


def cap(text: str, limit: int = MAX_BODY) -> str:
    """``text`` cut to ``limit`` characters, saying so."""
    if len(text) <= limit:
        return text
    note = "\n\n… (shortened to fit GitHub's limit)\n"
    return text[: limit - len(note)] + note


def issue_title(entry: Entry) -> str:
    title = " ".join(entry.title.split())
    return f"{TITLES.get(entry.result.status, 'Link')}: {title}"[:250]


def marker(entry: Entry) -> EntryMarker:
    result = entry.result
    return EntryMarker(result.id, url_tag(result.url), result.status.value, result.reason)


def _evidence(entry: Entry) -> list[str]:
    result = entry.result
    rows = [
        ("Resource", f"{inline(entry.title, 200)} (`{result.id}`)"),
        ("Link", url(result.url)),
        ("In the catalog", f"[catalog.yaml line {entry.line}]({entry.catalog_link})"),
        ("What is wrong", inline(result.detail, 500)),
        ("Status", f"{result.status.value} (`{result.reason}`)"),
    ]
    if result.http_status is not None:
        rows.append(("HTTP status", str(result.http_status)))
    if result.final_url and result.final_url != result.url:
        rows.append(("Ends at", url(result.final_url)))
    if result.suggested_url:
        rows.append(("New address", url(result.suggested_url)))
    if result.similarity is not None:
        rows.append(("Similarity to the reviewed version", f"{result.similarity:.0%}"))
    if entry.streak is not None:
        rows.append(
            ("First seen", f"{entry.streak.since} (confirmed over {entry.streak.runs} runs)")
        )
    return ["| | |", "|---|---|", *(f"| {k} | {v} |" for k, v in rows)]


def issue_body(entry: Entry) -> str:
    """The whole body of an entry's issue."""
    result = entry.result
    headline = HEADLINES.get(result.status, "needs attention")
    out = [
        marker(entry).render(),
        f"**The link to “{inline(entry.title, 200)}” {headline}.**",
        "",
        *_evidence(entry),
        "",
        "### What to do",
        "",
        advice(result),
    ]
    if entry.archived:
        out += ["", f"An archived copy is at {url(entry.archived)} (Internet Archive)."]
    if result.excerpt:
        out += [
            "",
            "<details><summary>What changed on the page</summary>",
            "",
            code_block(result.excerpt, "diff", 6000),
            "",
            "</details>",
        ]
    out += ["", FOOTER]
    return cap("\n".join(out))


def change_comment(entry: Entry, previous: EntryMarker) -> str:
    """The comment added when an entry's status or reason changes."""
    result = entry.result
    was = f"{previous.status} (`{previous.reason}`)" if previous.status else "unknown"
    out = [
        f"Status changed: was {was}, now **{result.status.value}** (`{result.reason}`).",
        "",
        f"{inline(result.detail, 500)}",
    ]
    if result.excerpt:
        out += ["", code_block(result.excerpt, "diff", 3000)]
    return cap("\n".join(out))


def recovered_comment(result: CheckResult) -> str:
    return cap(
        f"The link works again: **{result.status.value}** (`{result.reason}`, "
        f"{inline(result.detail, 300)}). Closing."
    )


def skipped_comment(result: CheckResult) -> str:
    return cap(f"The catalog no longer checks this link ({inline(result.detail, 300)}). Closing.")


def removed_comment(entry_id: str) -> str:
    return f"`{entry_id}` is no longer in the catalog. Closing."


def reopened_comment(entry: Entry) -> str:
    return cap(
        f"The link needs attention again: **{entry.result.status.value}** "
        f"(`{entry.result.reason}`). {inline(entry.result.detail, 300)}"
    )


@dataclass(frozen=True)
class DashboardRow:
    entry: Entry
    issue: int | None
    """The entry's issue number, once it has one."""


def dashboard_body(
    *,
    attention: list[DashboardRow],
    waiting: list[DashboardRow],
    unverifiable: list[DashboardRow],
    notes: list[str],
    state: str,
    confirm_runs: int,
) -> str:
    """The dashboard: everything needing attention, for people, and the streaks, hidden."""
    out = [
        DASHBOARD_MARKER,
        state,
        "# Catalog link health",
        "",
        "catalogbot updates this issue after each scheduled check. Each link below has "
        "its own issue with the details.",
        "",
    ]
    if attention:
        out += [
            f"## Needs attention ({len(attention)})",
            "",
            "| resource | status | since | issue |",
            "|---|---|---|---|",
        ]
        for row in attention:
            since = row.entry.streak.since if row.entry.streak else ""
            issue = f"#{row.issue}" if row.issue else "not opened yet"
            status = f"{row.entry.result.status.value} (`{row.entry.result.reason}`)"
            out.append(f"| {inline(row.entry.title, 120)} | {status} | {since} | {issue} |")
        out.append("")
    else:
        out += ["Every checked link is healthy.", ""]
    if waiting:
        out += [
            f"## Failing, waiting for confirmation ({len(waiting)})",
            "",
            f"An issue is opened after {confirm_runs} runs in a row.",
            "",
        ]
        for row in waiting:
            runs = row.entry.streak.runs if row.entry.streak else 1
            out.append(
                f"- {inline(row.entry.title, 120)}: {row.entry.result.status.value} "
                f"(`{row.entry.result.reason}`), {runs} of {confirm_runs} runs"
            )
        out.append("")
    if unverifiable:
        out += [
            f"## Could not be checked automatically ({len(unverifiable)})",
            "",
            "These sites refuse automated checks. Open them in a browser now and then.",
            "",
        ]
        out += [
            f"- {inline(r.entry.title, 120)}: {url(r.entry.result.url)} (`{r.entry.result.reason}`)"
            for r in unverifiable
        ]
        out.append("")
    if notes:
        out += ["## Notes", "", *(f"- {note}" for note in notes), ""]
    # The state comes first, so cutting the body to size only ever shortens the lists.
    return cap("\n".join(out))


def pull_body(kind: str, lines: list[str], markers: list[str], pr_marker: str) -> str:
    """A fix pull request's body: its markers first (one per entry it fixes, so that
    cutting a long body to size never drops one), then what it changes."""
    intro = {
        "redirects": "These links moved for good (permanent redirects). This pull request "
        "replaces each old address in `catalog.yaml` with the new one and changes nothing "
        "else.",
        "snapshots": "These pages changed since they were reviewed. This pull request "
        "updates their snapshots, so the diff below is the change on each page. Merge it "
        "if every page is still the right resource.",
    }[kind]
    out = [pr_marker, *markers, intro, "", *lines, "", "_Opened by catalogbot._"]
    return cap("\n".join(out))
