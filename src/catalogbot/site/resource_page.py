"""One page per resource: its figures, its timeline, its latest evidence and its history."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote_plus

from catalogbot.catalog import Resource
from catalogbot.site.figures import Change, Figures
from catalogbot.site.html import (
    LEGEND,
    MARK_NAMES,
    MEANING,
    duration,
    esc,
    external,
    moment,
    page,
    pct,
    reason_words,
    status_badge,
    timeline,
)

PAGE_RUNS = 90
MAX_CHANGES = 200


def issue_search(server: str, repository: str, resource_id: str) -> str:
    """The repository's search for this entry's issue and fix pull request."""
    query = quote_plus(f'label:catalogbot "catalogbot:entry={resource_id}"')
    return f"{server.rstrip('/')}/{repository}/issues?q={query}"


def render_resource(  # noqa: PLR0917 (the page's inputs, each from another place)
    resource: Resource,
    figures: Figures,
    stretches: list[Change],
    evidence: dict[str, Any] | None,
    ats: list[str],
    groups: list[str],
    index_link: str,
    github: tuple[str, str] | None,
) -> str:
    """The resource's page."""
    f = figures
    parts = [
        f'<nav><a href="../{esc(index_link)}">Back to the index</a></nav>',
        f"<h1>{esc(resource.title)}</h1>",
        f"<p>Address: {external(resource.url)}</p>",
    ]
    if resource.publisher:
        parts.append(f"<p>Publisher: {esc(resource.publisher)}</p>")
    if groups:
        parts.append(f"<p>Listed under: {esc('; '.join(groups))}</p>")
    parts.append(
        "<h2>Now</h2><table><tbody>"
        f'<tr><th scope="row">Status</th><td>{status_badge(f.status, f.reason)} '
        f"({esc(MEANING[f.status])})</td></tr>"
        f'<tr><th scope="row">Since</th><td>{moment(f.since)}</td></tr>'
        f'<tr><th scope="row">Uptime, last 30 runs</th><td>{pct(f.uptime[30])}</td></tr>'
        f'<tr><th scope="row">Uptime, last 90 runs</th><td>{pct(f.uptime[90])}</td></tr>'
        f'<tr><th scope="row">Uptime, all recorded runs</th><td>{pct(f.uptime_all)}</td></tr>'
        f'<tr><th scope="row">Median response (last 90 runs)</th>'
        f"<td>{duration(f.median_ms)}</td></tr></tbody></table>"
    )
    if github is not None:
        parts.append(
            f'<p><a href="{esc(issue_search(*github, resource.id))}">Its issue on GitHub</a>, '
            "when it has one (the issue links any pull request that fixes it).</p>"
        )
    recent = f.letters[-PAGE_RUNS:]
    parts.append(
        f"<h2>Last {len(recent)} runs</h2>{LEGEND}"
        f"<p>{timeline(recent, ats[-PAGE_RUNS:], width=6, titles=True)}</p>"
    )
    parts.append(_evidence(evidence))
    parts.append(_history(stretches))
    return page(f"{resource.title}: link health", "\n".join(parts))


def _evidence(evidence: dict[str, Any] | None) -> str:
    if not evidence:
        return "<h2>Latest evidence</h2><p>None: the last check found nothing to look at.</p>"
    rows = [("Checked", moment(str(evidence.get("at", ""))))]
    if evidence.get("reason"):
        reason = str(evidence["reason"])
        rows.append(("Reason", f"{esc(reason_words(reason))} (<code>{esc(reason)}</code>)"))
    if evidence.get("detail"):
        rows.append(("What was seen", esc(evidence["detail"])))
    if evidence.get("http_status") is not None:
        rows.append(("HTTP status", esc(evidence["http_status"])))
    if evidence.get("final_url"):
        rows.append(("Landed on", external(str(evidence["final_url"]))))
    if evidence.get("suggested_url"):
        source = evidence.get("relocation_source")
        found = f" (found through {esc(source)})" if source else ""
        rows.append(("Suggested new address", external(str(evidence["suggested_url"])) + found))
    similarity = evidence.get("similarity")
    if isinstance(similarity, int | float):
        rows.append(("Similarity to the baseline", esc(f"{similarity:.2f}")))
    table = "".join(f'<tr><th scope="row">{esc(k)}</th><td>{v}</td></tr>' for k, v in rows)
    out = [f"<h2>Latest evidence</h2><table><tbody>{table}</tbody></table>"]
    hops = evidence.get("redirects")
    hops = hops if isinstance(hops, list) else []
    if hops:
        body = "".join(
            f"<tr><td>{external(str(h[0]))}</td><td>{esc(h[1])}</td><td>{external(str(h[2]))}</td></tr>"
            for h in hops
            if isinstance(h, list) and len(h) == 3
        )
        out.append(
            '<h3>Redirect chain</h3><table><thead><tr><th scope="col">Requested</th>'
            '<th scope="col">Answer</th><th scope="col">Sent to</th></tr></thead>'
            f"<tbody>{body}</tbody></table>"
        )
    if evidence.get("excerpt"):
        out.append(
            "<h3>What changed (excerpt of the difference, as written)</h3>"
            f"<pre>{esc(evidence['excerpt'])}</pre>"
        )
    return "\n".join(out)


def _history(stretches: list[Change]) -> str:
    if not stretches:
        return "<h2>History</h2><p>No run has checked it yet.</p>"
    body = "".join(
        f"<tr><td>{moment(c.first_at)}</td><td>{moment(c.last_at)}</td>"
        f'<td class="num">{c.runs}</td><td>{esc(MARK_NAMES[c.letter].capitalize())}</td>'
        f"<td>{esc(reason_words(c.reason))}</td></tr>"
        for c in stretches[:MAX_CHANGES]
    )
    more = ""
    if len(stretches) > MAX_CHANGES:
        more = f"<p>{len(stretches) - MAX_CHANGES} older stretches are not shown.</p>"
    return (
        "<h2>History</h2><p>Runs with the same verdict, newest first.</p><table><thead><tr>"
        '<th scope="col">From</th><th scope="col">To</th><th scope="col">Runs</th>'
        '<th scope="col">Verdict</th><th scope="col">Reason</th></tr></thead>'
        f"<tbody>{body}</tbody></table>{more}"
    )
