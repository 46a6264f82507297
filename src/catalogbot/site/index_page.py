"""The index: a summary, then every resource grouped by strategy and level, in pages."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from catalogbot.catalog import Catalog
from catalogbot.check.result import Status
from catalogbot.site.figures import Figures, Overview
from catalogbot.site.html import (
    LEGEND,
    ORDER,
    WORDS,
    duration,
    esc,
    moment,
    page,
    pct,
    status_badge,
    timeline,
)

ROWS_PER_PAGE = 250
"""About 400 KB of HTML a page, whatever the size of the catalog."""
INDEX_RUNS = 30
MAX_ATTENTION = 200
UNGROUPED = "Not on any strategy page"


@dataclass(frozen=True)
class Row:
    """One line of the index: a resource under a strategy and a level."""

    group: str
    group_anchor: str
    level: str
    resource_id: str


def rows(catalog: Catalog) -> list[Row]:
    """Resources in the catalog's order: by strategy, then level; unlisted ones last."""
    listed: set[str] = set()
    out = []
    for strategy in catalog.strategies:
        for level, ids in strategy.resources.by_level().items():
            for resource_id in ids:
                listed.add(resource_id)
                out.append(Row(strategy.title, f"s-{strategy.id}", level.value, resource_id))
    for resource in catalog.resources:
        if resource.id not in listed:
            out.append(Row(UNGROUPED, "ungrouped", "", resource.id))
    return out


def page_name(number: int) -> str:
    """The file of the index's page ``number`` (1-based)."""
    return "index.html" if number == 1 else f"index-{number}.html"


def pages_of(all_rows: list[Row]) -> list[list[Row]]:
    """The rows split into pages."""
    return [all_rows[i : i + ROWS_PER_PAGE] for i in range(0, len(all_rows), ROWS_PER_PAGE)] or [[]]


def render_index(
    catalog: Catalog,
    figures: dict[str, Figures],
    view: Overview,
    ats: list[str],
    pages: list[list[Row]],
) -> Iterator[tuple[str, str]]:
    """Each index page as (file name, HTML)."""
    title = f"{catalog.title or 'Catalog'}: link health"
    titles = {r.id: r.title for r in catalog.resources}
    recent_ats = ats[-INDEX_RUNS:]
    contents = _contents(pages)
    for number, rows_here in enumerate(pages, 1):
        parts = [f"<h1>{esc(title)}</h1>"]
        if len(pages) > 1:
            parts.append(f'<p class="why">Page {number} of {len(pages)}</p>')
            parts.append(_pager(number, len(pages), "Pages of the index"))
        if number == 1:
            parts.append(_summary(view))
            parts.append(_attention(figures, titles))
            if contents:
                parts.append(contents)
        parts.append("<h2>Resources by strategy and level</h2>" + LEGEND)
        parts.append(_groups(rows_here, figures, titles, recent_ats))
        parts.append(_pager(number, len(pages), "Pages of the index, again"))
        yield page_name(number), page(title, "\n".join(parts))


def _summary(view: Overview) -> str:
    items = []
    for status in ORDER:
        count = view.counts.get(status, 0)
        if not count and status in (None, Status.SKIPPED):
            continue
        before = ""
        if view.previous_counts is not None:
            before = f" (previous run: {view.previous_counts.get(status, 0)})"
        items.append(f"<li><strong>{count}</strong> {esc(WORDS[status].lower())}{before}</li>")
    last = moment(view.last_at)
    if view.last_offline:
        last += " (the runner was offline: nothing was judged)"
    kept = f"{view.runs} runs kept in full"
    if view.folded_runs:
        kept += f", {view.folded_runs} older runs summarised"
    trend = f"Uptime across the catalog over the last 30 runs: {pct(view.uptime_recent)}"
    if view.uptime_before is not None and view.uptime_recent is not None:
        delta = view.uptime_recent - view.uptime_before
        word = "up from" if delta > 0.05 else "down from" if delta < -0.05 else "steady at"
        trend += f", {word} {pct(view.uptime_before)} over the 30 runs before."
    else:
        trend += "."
    return (
        '<h2 id="summary">Summary</h2>'
        f'<ul class="sum">{"".join(items)}</ul>'
        f"<p>Last check: {last}. {esc(kept)}.</p><p>{esc(trend)}</p>"
    )


def _attention(figures: dict[str, Figures], titles: dict[str, str]) -> str:
    needing = [f for f in figures.values() if f.status is not None and f.status.needs_attention]
    if not needing:
        return (
            "<h2>Needs attention</h2>"
            "<p>Nothing: every checked link is up or cannot be verified.</p>"
        )
    needing.sort(key=lambda f: (ORDER.index(f.status), f.since or "", f.id))
    body = "".join(
        f'<tr><th scope="row"><a href="resources/{esc(f.id)}.html">{esc(titles[f.id])}</a></th>'
        f"<td>{status_badge(f.status, f.reason)}</td><td>{moment(f.since)}</td></tr>"
        for f in needing[:MAX_ATTENTION]
    )
    more = ""
    if len(needing) > MAX_ATTENTION:
        more = f"<p>{len(needing) - MAX_ATTENTION} more are listed below with their groups.</p>"
    return (
        f"<h2>Needs attention ({len(needing)})</h2><table><thead><tr>"
        '<th scope="col">Resource</th><th scope="col">Status</th><th scope="col">Since</th>'
        f"</tr></thead><tbody>{body}</tbody></table>{more}"
    )


def _contents(pages: list[list[Row]]) -> str:
    if len(pages) < 2:
        return ""
    seen: dict[str, str] = {}
    for number, rows_here in enumerate(pages, 1):
        for row in rows_here:
            link = f"{page_name(number)}#{row.group_anchor}"
            seen.setdefault(
                row.group_anchor,
                f'<li><a href="{esc(link)}">{esc(row.group)}</a> (page {number})</li>',
            )
    return f"<h2>Strategies</h2><ul>{''.join(seen.values())}</ul>"


def _groups(
    rows_here: list[Row], figures: dict[str, Figures], titles: dict[str, str], ats: list[str]
) -> str:
    out: list[str] = []
    group = level = None
    for row in rows_here:
        if row.group_anchor != group:
            if level is not None:
                out.append("</tbody></table>")
            group, level = row.group_anchor, None
            out.append(f'<h3 id="{esc(row.group_anchor)}">{esc(row.group)}</h3>')
        if row.level != level:
            if level is not None:
                out.append("</tbody></table>")
            level = row.level
            caption = f"{row.group}: {row.level}" if row.level else row.group
            out.append(
                f'<table class="res"><caption>{esc(caption)}</caption><thead><tr>'
                '<th scope="col">Resource</th><th scope="col">Status</th>'
                '<th scope="col">Since</th><th scope="col">Uptime, 30 runs</th>'
                '<th scope="col">Uptime, 90 runs</th><th scope="col">Median response</th>'
                f'<th scope="col">Last {INDEX_RUNS} runs</th></tr></thead><tbody>'
            )
        f = figures[row.resource_id]
        out.append(
            f'<tr><th scope="row"><a href="resources/{esc(f.id)}.html">'
            f"{esc(titles[f.id])}</a></th><td>{status_badge(f.status, f.reason)}</td>"
            f'<td>{moment(f.since)}</td><td class="num">{pct(f.uptime[30])}</td>'
            f'<td class="num">{pct(f.uptime[90])}</td><td class="num">{duration(f.median_ms)}</td>'
            f"<td>{timeline(f.letters[-INDEX_RUNS:], ats, width=4)}</td></tr>"
        )
    if level is not None:
        out.append("</tbody></table>")
    return "\n".join(out)


def _pager(number: int, count: int, label: str) -> str:
    if count < 2:
        return ""
    links = []
    for n in range(1, count + 1):
        if n == number:
            links.append(f'<span aria-current="page">{n}</span>')
        else:
            links.append(f'<a href="{page_name(n)}">{n}</a>')
    return f'<nav class="pages" aria-label="{label}">Pages: {" ".join(links)}</nav>'
