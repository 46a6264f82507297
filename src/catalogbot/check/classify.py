"""Decide a link's status and reason from the evidence gathered for it. Pure: no I/O.

When several verdicts apply, the first in this order wins: broken, drifted,
redirected, unverifiable, ok.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from http import HTTPStatus

from catalogbot.check.fetch import Fetched
from catalogbot.check.result import Reason, ResultWarning, Status, worst
from catalogbot.check.soft404 import Soft404
from catalogbot.check.video import VideoVerdict
from catalogbot.drift.analyse import PageAnalysis

UNVERIFIABLE_STATUSES = {
    401: Reason.HTTP_401,
    403: Reason.HTTP_403,
    429: Reason.RATE_LIMITED,
    999: Reason.HTTP_999,
}
"""Answers that refuse automated checks: they say nothing about whether the page exists."""


@dataclass(frozen=True)
class Evidence:
    """What was learned about one link."""

    url: str
    fetched: Fetched
    accept_status: frozenset[int] = frozenset()
    challenge: str | None = None
    parked: str | None = None
    soft404: Soft404 | None = None
    video: VideoVerdict | None = None
    analysis: PageAnalysis | None = None


@dataclass(frozen=True)
class Verdict:
    """A link's status, reason code, one sentence for people, and what to do about it."""

    status: Status
    reason: Reason
    detail: str
    suggested_url: str | None = None
    warnings: tuple[ResultWarning, ...] = ()


def _status_text(code: int) -> str:
    try:
        return f"{code} {HTTPStatus(code).phrase}"
    except ValueError:
        return str(code)


def _failure_verdict(evidence: Evidence) -> Verdict:
    failure = evidence.fetched.failure
    assert failure is not None
    attempts = evidence.fetched.attempts
    tried = f" (after {attempts} attempts)" if attempts > 1 else ""
    return Verdict(Status.BROKEN, Reason.of(failure.kind), f"{failure.message}{tried}")


def wait_text(seconds: float) -> str:
    """A wait a server asked for, in seconds up to two days, then in days ('3 days');
    absurd values (a Retry-After of years) are named as such, not printed in full."""
    if not seconds < 365 * 86400:
        return "more than a year"
    if seconds >= 2 * 86400:
        return f"{seconds / 86400:.0f} days"
    return f"{seconds:.0f} s"


def healthy(code: int, accept: Collection[int]) -> bool:
    """A 2xx, or a status the catalog says this resource answers normally."""
    return 200 <= code < 300 or code in accept


def _http_verdict(evidence: Evidence, code: int) -> Verdict | None:
    """The verdict an error status gives on its own, or None for a healthy answer."""
    fetched = evidence.fetched
    if healthy(code, evidence.accept_status):
        return None
    if code in UNVERIFIABLE_STATUSES:
        detail = f"the server answered {_status_text(code)}"
        if code == 429 and fetched.retry_after is not None:
            detail += f" and asked to wait {wait_text(fetched.retry_after)}"
        detail += "; it refuses automated checks, so a person should look"
        return Verdict(Status.UNVERIFIABLE, UNVERIFIABLE_STATUSES[code], detail)
    tried = f" (after {fetched.attempts} attempts)" if fetched.attempts > 1 else ""
    if code == 503 and fetched.retry_after is not None:
        # Broken like any 5xx that outlasts the retries; only the wording says the site
        # calls it temporary (--confirm-runs keeps a short maintenance from raising an issue).
        return Verdict(
            Status.BROKEN,
            Reason.http(code),
            f"the server answered {_status_text(code)}{tried}: it says it is down for now "
            f"and asks to come back in {wait_text(fetched.retry_after)}",
        )
    if 300 <= code < 400:
        return Verdict(
            Status.BROKEN,
            Reason.http(code),
            f"the server answered {_status_text(code)} without saying where to go",
        )
    return Verdict(
        Status.BROKEN, Reason.http(code), f"the server answered {_status_text(code)}{tried}"
    )


def _permanent_target(fetched: Fetched) -> str | None:
    """Where the catalog should point: the end of the leading run of permanent redirects."""
    target = None
    for hop in fetched.hops:
        if not hop.permanent:
            break
        target = hop.location
    return target


def classify(evidence: Evidence) -> Verdict:
    """The one verdict for a link, by the order broken, drifted, redirected, unverifiable."""
    fetched = evidence.fetched
    if fetched.failure is not None:
        return _failure_verdict(evidence)
    response = fetched.response
    assert response is not None
    code = response.status
    # A bot wall (found by evidence.bot_wall) says nothing about the resource: on a
    # refusal it is the verdict; on a healthy answer it competes like any other.
    wall = None
    if evidence.challenge:
        wall = Verdict(Status.UNVERIFIABLE, Reason.BOT_CHALLENGE, evidence.challenge)
    error = _http_verdict(evidence, code)
    if error is not None:
        return wall or error
    warnings: list[ResultWarning] = []
    verdicts: list[Verdict] = [wall] if wall else []
    if evidence.parked:
        verdicts.append(Verdict(Status.BROKEN, Reason.PARKED, evidence.parked))
    if evidence.soft404 is not None:
        soft = evidence.soft404
        verdicts.append(Verdict(soft.status, soft.reason, soft.detail))
    if evidence.video is not None:
        if evidence.video.gone:
            verdicts.append(Verdict(Status.BROKEN, Reason.VIDEO_UNAVAILABLE, evidence.video.detail))
        elif evidence.video.warning:
            warnings.append(evidence.video.warning)
    analysis = evidence.analysis
    if analysis is not None:
        if analysis.drift:
            verdicts.append(Verdict(Status.DRIFTED, analysis.drift, analysis.drift_detail))
        if analysis.title_mismatch:
            warnings.append(ResultWarning.TITLE_MISMATCH)
        if analysis.error:
            warnings.append(ResultWarning.CONTENT_UNREADABLE)
    target = _permanent_target(fetched)
    if target is not None and target != evidence.url:
        verdicts.append(
            Verdict(
                Status.REDIRECTED,
                Reason.MOVED_PERMANENTLY,
                f"the link permanently redirects to {target}; update the catalog",
                suggested_url=target,
            )
        )
    if not verdicts:
        temporary = " (through a temporary redirect)" if fetched.hops else ""
        return Verdict(
            Status.OK, Reason.OK, f"{_status_text(code)}{temporary}", None, tuple(warnings)
        )
    chosen = worst(*(v.status for v in verdicts))
    verdict = next(v for v in verdicts if v.status == chosen)
    # A permanent redirect's target is proposed even when the page there also drifted;
    # never when it is not the resource (the site's home page, a parking page).
    suggested = target if target != evidence.url and chosen != Status.BROKEN else None
    return Verdict(verdict.status, verdict.reason, verdict.detail, suggested, tuple(warnings))
