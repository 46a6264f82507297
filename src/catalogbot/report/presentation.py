"""How every status, reason and warning is shown to people: one table each.

The terminal, the Markdown report, GitHub annotations and GitHub's issues all read
these tables, so a verdict has one symbol, one heading and one piece of advice
wherever it appears. The codes themselves are defined in ``check/result.py``; the
order statuses are listed in is its ``REPORT_ORDER``.
"""

from __future__ import annotations

from dataclasses import dataclass
from http import HTTPStatus

from catalogbot.check.result import CheckResult, Reason, ResultWarning, Status


@dataclass(frozen=True)
class StatusLook:
    """How one status is shown."""

    symbol: str
    """The terminal report's first column (at most eight characters)."""
    label: str
    """The status in a few words, for people."""
    advice: str
    """What to do, unless the reason has advice of its own; ``{id}`` is the entry's id."""
    heading: str | None = None
    """The Markdown report's section; None: listed among the healthy links."""
    issue_title: str | None = None
    """How an entry's GitHub issue title starts; None: no issue of its own."""
    annotation: str | None = None
    """GitHub annotation level on the catalog's line (error, warning); None: none."""


@dataclass(frozen=True)
class ReasonLook:
    """How one reason code is shown."""

    label: str
    """What happened, in a few words, for people."""
    advice: str | None = None
    """What to do; None: the status's advice."""


_SEARCH = (
    "Search for the resource by its title; if it has moved, put the new address in "
    "catalog.yaml, otherwise remove the entry"
)

STATUSES: dict[Status, StatusLook] = {
    Status.BROKEN: StatusLook(
        "BROKEN",
        "broken",
        f"Open the link to confirm. {_SEARCH} or ask the publisher.",
        heading="Broken links",
        issue_title="Broken link",
        annotation="error",
    ),
    Status.DRIFTED: StatusLook(
        "CHANGED",
        "changed since it was reviewed",
        "The page changed a lot since it was last reviewed. Open it and decide: if it is "
        "still the right resource, accept the change (`catalogbot accept {id}` or merge the "
        "bot's snapshot pull request); if not, find the resource's new address.",
        heading="Pages that changed",
        issue_title="Changed page",
        annotation="warning",
    ),
    Status.REDIRECTED: StatusLook(
        "MOVED",
        "moved",
        "The resource has moved for good. Replace the URL in catalog.yaml with the new "
        "address (catalogbot opens a pull request that does this).",
        heading="Links that moved",
        issue_title="Moved link",
        annotation="warning",
    ),
    Status.UNVERIFIABLE: StatusLook(
        "UNSURE",
        "could not be checked automatically",
        "The site refuses automated checks, so catalogbot cannot tell. Open the link in a "
        "browser once in a while.",
        heading="Links that could not be checked automatically",
    ),
    Status.OK: StatusLook("ok", "works", ""),
    Status.SKIPPED: StatusLook("skip", "not checked, as the catalog asks", ""),
}

REASONS: dict[Reason, ReasonLook] = {
    Reason.OK: ReasonLook("works"),
    Reason.EXCLUDED: ReasonLook("excluded by the catalog"),
    Reason.DNS: ReasonLook(
        "the domain does not exist",
        f"The web address's domain no longer exists. {_SEARCH}.",
    ),
    Reason.CONNECTION_REFUSED: ReasonLook("the server refused the connection"),
    Reason.CONNECTION_FAILED: ReasonLook("the server cannot be reached"),
    Reason.CONNECTION_RESET: ReasonLook("the connection was cut"),
    Reason.TIMEOUT: ReasonLook(
        "no answer in time",
        "The site did not answer in time, several times in a row. If it stays this way, "
        "find another copy of the resource.",
    ),
    Reason.TLS: ReasonLook(
        "invalid security certificate",
        "The site's security certificate is not valid, so browsers warn visitors too. "
        "Tell the publisher, or link to another copy of the resource.",
    ),
    Reason.PROTOCOL: ReasonLook("the server broke the rules of HTTP"),
    Reason.INVALID_URL: ReasonLook("not a usable web address"),
    Reason.BLOCKED_ADDRESS: ReasonLook(
        "an address in a private network",
        "The address points into a private network, which catalogbot never contacts. Use "
        "the resource's public address.",
    ),
    Reason.BAD_REDIRECT: ReasonLook("redirects to something that is not a web address"),
    Reason.TOO_MANY_REDIRECTS: ReasonLook("redirects in circles"),
    Reason.SOFT_404: ReasonLook(
        "a 'not found' page served as if it were the resource",
        "The page answers, but it is the site's 'not found' page or its home page. Find "
        "the resource's new address on the site, or remove the entry.",
    ),
    Reason.PARKED: ReasonLook(
        "a parked or for-sale domain",
        "The domain has lapsed and now shows a parking or for-sale page. Find where the "
        "publisher moved the resource, or remove the entry.",
    ),
    Reason.VIDEO_UNAVAILABLE: ReasonLook(
        "the video was removed or made private",
        "The video was removed or made private. Find another copy from the publisher, or "
        "remove the entry.",
    ),
    Reason.CONTENT_CHANGED: ReasonLook("the text changed"),
    Reason.TITLE_CHANGED: ReasonLook("the title changed"),
    Reason.FORMAT_CHANGED: ReasonLook("the format changed"),
    Reason.MOVED_PERMANENTLY: ReasonLook("moved for good"),
    Reason.HTTP_401: ReasonLook("asks for a login"),
    Reason.HTTP_403: ReasonLook("refuses automated checks"),
    Reason.HTTP_999: ReasonLook("refuses automated checks"),
    Reason.RATE_LIMITED: ReasonLook("asks to be asked less often"),
    Reason.BOT_CHALLENGE: ReasonLook("shows a bot check instead of the page"),
    Reason.JAVASCRIPT_REQUIRED: ReasonLook(
        "drawn by JavaScript",
        "The page's content is drawn by JavaScript, which catalogbot does not run. Open "
        "the link in a browser once in a while.",
    ),
    Reason.RUNNER_OFFLINE: ReasonLook(
        "not checked: this machine was offline",
        "Nothing to do about the link: the machine that checked it could not reach the "
        "internet. The next run on a connected machine will tell.",
    ),
    Reason.INTERNAL_ERROR: ReasonLook(
        "catalogbot failed on this link",
        "catalogbot itself failed while checking this link. Open the link to check it by "
        "hand, and report the failure to catalogbot's maintainers.",
    ),
}

WARNINGS: dict[ResultWarning, str] = {
    ResultWarning.NO_BASELINE: "no reviewed baseline yet",
    ResultWarning.BASELINE_UNREADABLE: "the reviewed baseline cannot be read",
    ResultWarning.TITLE_MISMATCH: "the page does not mention the catalog's title",
    ResultWarning.CONTENT_UNREADABLE: "the page's text cannot be read",
    ResultWarning.INCOMPLETE_BODY: "the page arrived incomplete",
    ResultWarning.VIDEO_NOT_EMBEDDABLE: "the video may not be embedded elsewhere",
    ResultWarning.RELOCATION_STOPPED: "the search for a new address ended early",
}
"""Each warning in a few words, for people."""

VERBOSE_WARNINGS = frozenset({ResultWarning.NO_BASELINE})
"""Warnings the terminal shows only when asked for every detail (``-v``): expected of
every entry until its first ``accept``, so they would drown the others."""


def reason_look(reason: Reason) -> ReasonLook:
    """How ``reason`` is shown; an ``http_NNN`` code without an entry gets its status."""
    look = REASONS.get(reason)
    if look is not None:
        return look
    code = reason.http_status
    try:
        phrase = HTTPStatus(code).phrase if code is not None else ""
    except ValueError:
        phrase = ""
    return ReasonLook(f"the server answered {code} {phrase}".rstrip())


def advice(result: CheckResult) -> str:
    """One or two sentences on what to do next ("" when nothing is to be done)."""
    if result.status == Status.REDIRECTED and not result.suggested_url:
        return ""
    if result.status == Status.BROKEN and result.relocation is not None:
        return (
            "The resource was found at a new address on the same site, with the text "
            "that was reviewed. Check it and replace the URL in the catalog."
        )
    text = reason_look(result.reason).advice or STATUSES[result.status].advice
    return text.replace("{id}", result.id)


def warning_text(warning: ResultWarning, *, markdown: bool = True) -> str:
    """A warning for people, with its code: ``no reviewed baseline yet (`no_baseline`)``
    (the code without backticks when not ``markdown``)."""
    code = f"`{warning.value}`" if markdown else warning.value
    return f"{WARNINGS[warning]} ({code})"
