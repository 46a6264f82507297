"""Plain words for maintainers: what a result means, counts with their plurals, dates."""

from __future__ import annotations

from datetime import UTC, datetime

from catalogbot.check.result import CheckResult, Status
from catalogbot.report.presentation import advice

_BY_REASON = {
    "dns": "the website's address no longer exists",
    "parked": "the website's domain has lapsed and shows a parking page",
    "soft_404": "the site shows its “not found” page or its home page instead of the resource",
    "http_404": "the page is gone (the site says “not found”)",
    "http_410": "the page was removed for good (the site says “gone”)",
    "http_401": "the page now asks for a login",
    "http_403": "the site refuses to show the page",
    "timeout": "the site did not answer in time",
    "tls": "the site's security certificate is not valid",
    "connection_refused": "the site refused the connection",
    "connection_failed": "the site could not be reached",
    "connection_reset": "the site dropped the connection",
    "too_many_redirects": "the link goes round in circles between addresses",
    "bad_redirect": "the link forwards to an address that does not work",
    "blocked_address": "the address points into a private network",
    "video_unavailable": "the video was removed or made private",
    "title_changed": "the page's title changed",
    "format_changed": "the link now leads to a different kind of file",
    "content_changed": "the page's text changed a lot since it was last reviewed",
    "moved_permanently": "the page moved to a new address for good",
    "bot_challenge": "the site blocks automated checks",
    "rate_limited": "the site asked the checker to slow down",
    "javascript_required": "the page only shows its content to full browsers",
}
_BY_STATUS = {
    Status.BROKEN: "the link does not lead to the resource any more",
    Status.DRIFTED: "the page changed since it was last reviewed",
    Status.REDIRECTED: "the page moved to a new address",
    Status.UNVERIFIABLE: "the checker could not tell whether the link works",
    Status.OK: "the link works",
    Status.SKIPPED: "the catalog says not to check this link",
}
STATUS_NAMES = {
    Status.BROKEN: "broken",
    Status.DRIFTED: "changed",
    Status.REDIRECTED: "moved",
    Status.UNVERIFIABLE: "can't be checked automatically",
    Status.OK: "fine",
    Status.SKIPPED: "not checked",
}
"""How the dashboard names each status."""


def what_is_wrong(result: CheckResult) -> str:
    """What a result means, in a few plain words (no codes)."""
    if result.reason in _BY_REASON:
        return _BY_REASON[result.reason]
    if result.reason.startswith("http_5"):
        return "the site has a server error"
    if result.reason.startswith("http_4"):
        return "the site refuses the page"
    return _BY_STATUS.get(result.status, "the link needs attention")


_UNREACHABLE = frozenset({"timeout", "connection_failed", "connection_refused", "connection_reset"})
_GONE = frozenset({"http_404", "http_410"})


FOUND_BY = {
    "sitemap": "in the site's sitemap (its list of pages)",
    "site_links": "on a page of the site that links to it",
    "url_pattern": "by the pattern the site's other moved pages follow",
}
"""Where a broken resource's new address was found, by the relocation's source."""


def found_by(source: str) -> str:
    """Where a relocation was found, in plain words."""
    return FOUND_BY.get(source, "elsewhere on the same site")


def percent(fraction: float) -> str:
    """A similarity as people read it; never rounded up to a perfect match."""
    value = max(0.0, min(fraction, 1.0)) * 100
    whole = int(value) if value < 100 else 100
    return f"{whole}%"


def advice_key(result: CheckResult, *, found: bool | None = None) -> str:
    """What a maintainer is asked to do, as a key: two results with the same key need the
    same action, so moving between them (404 to 410, a timeout to a 503 on a flaky
    site) is not worth a notification. ``found`` overrides whether the resource was
    found at a new address (a result rebuilt from an issue's marker has no relocation)."""
    if found is None:
        found = result.relocation is not None
    if result.status == Status.BROKEN and found:
        return "found"
    if result.reason in _UNREACHABLE or result.reason.startswith("http_5"):
        return "unreachable"
    if result.reason in _GONE:
        return "gone"
    return advice(result)


def plural(count: int, one: str, many: str | None = None) -> str:
    """``1 check``, ``2 checks``; ``many`` for irregular plurals."""
    return f"{count} {one if count == 1 else (many or one + 's')}"


def _moment(timestamp: str) -> datetime | None:
    """An ISO 8601 time in UTC (taken as UTC when it names no zone), or None."""
    try:
        moment = datetime.fromisoformat(timestamp)
    except ValueError:
        return None
    return moment.astimezone(UTC) if moment.tzinfo is not None else moment


def when(timestamp: str) -> str:
    """An ISO 8601 time as people read it (``1 December 2026, 06:23 UTC``); the text as
    it is when it is not a time."""
    moment = _moment(timestamp)
    return f"{moment.day} {moment:%B %Y, %H:%M} UTC" if moment else timestamp


def day(timestamp: str) -> str:
    """Only the date of an ISO 8601 time (``1 December 2026``)."""
    moment = _moment(timestamp)
    return f"{moment.day} {moment:%B %Y}" if moment else timestamp
