"""What checking one link found: a value, never an exception.

This module is the check layer's vocabulary. Every status, reason code, failure kind
and warning that a result can carry is defined here, once; the results file, the
reports and GitHub write their ``.value`` strings, which never change. How each is
shown to people (symbol, heading, label, advice) lives in ``report/presentation.py``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class Status(StrEnum):
    """A link's verdict, as the results JSON and the reports name it."""

    OK = "ok"
    REDIRECTED = "redirected"
    DRIFTED = "drifted"
    BROKEN = "broken"
    UNVERIFIABLE = "unverifiable"
    SKIPPED = "skipped"

    @property
    def needs_attention(self) -> bool:
        """Whether a maintainer should act (the run exits 1 when any entry does)."""
        return self in (Status.BROKEN, Status.DRIFTED, Status.REDIRECTED)


PRECEDENCE = (Status.BROKEN, Status.DRIFTED, Status.REDIRECTED, Status.UNVERIFIABLE, Status.OK)
"""When several verdicts apply, the first in this order wins."""

REPORT_ORDER = (*PRECEDENCE, Status.SKIPPED)
"""Statuses in the order reports and the results summary list them: most urgent first."""


def worst(*statuses: Status) -> Status:
    """The verdict that wins among ``statuses`` by PRECEDENCE."""
    return min(statuses, key=REPORT_ORDER.index)


class FailureKind(StrEnum):
    """Why a request got no HTTP answer. Each is also the result's reason code."""

    DNS = "dns"
    CONNECTION_REFUSED = "connection_refused"
    CONNECTION_FAILED = "connection_failed"
    CONNECTION_RESET = "connection_reset"
    TIMEOUT = "timeout"
    TLS = "tls"
    PROTOCOL = "protocol"
    INVALID_URL = "invalid_url"
    BLOCKED_ADDRESS = "blocked_address"
    """The private-address guard refused every address of the host."""
    BAD_REDIRECT = "bad_redirect"
    TOO_MANY_REDIRECTS = "too_many_redirects"

    @property
    def network_independent(self) -> bool:
        """Decided without the network, so a runner's outage cannot explain it."""
        return self in _NOT_NETWORK


_NOT_NETWORK = frozenset(
    {
        FailureKind.BLOCKED_ADDRESS,
        FailureKind.BAD_REDIRECT,
        FailureKind.INVALID_URL,
        FailureKind.TOO_MANY_REDIRECTS,
    }
)

_HTTP_REASON = re.compile(r"http_[1-9][0-9][0-9]")


class Reason(StrEnum):
    """A result's short, stable reason code.

    Besides the members below, ``http_NNN`` names an HTTP status that decided the
    verdict (``Reason.http(404)`` is ``http_404``): one code per status, made on first
    use, so that every three-digit status has its code without a member of its own.
    """

    OK = "ok"
    EXCLUDED = "excluded"
    """The catalog says not to check the link (status skipped)."""
    # broken: the failures that kept a request from an HTTP answer (see FailureKind)
    DNS = "dns"
    CONNECTION_REFUSED = "connection_refused"
    CONNECTION_FAILED = "connection_failed"
    CONNECTION_RESET = "connection_reset"
    TIMEOUT = "timeout"
    TLS = "tls"
    PROTOCOL = "protocol"
    INVALID_URL = "invalid_url"
    BLOCKED_ADDRESS = "blocked_address"
    BAD_REDIRECT = "bad_redirect"
    TOO_MANY_REDIRECTS = "too_many_redirects"
    # broken: an answer that is not the resource
    SOFT_404 = "soft_404"
    PARKED = "parked"
    VIDEO_UNAVAILABLE = "video_unavailable"
    # drifted
    CONTENT_CHANGED = "content_changed"
    TITLE_CHANGED = "title_changed"
    FORMAT_CHANGED = "format_changed"
    # redirected
    MOVED_PERMANENTLY = "moved_permanently"
    # unverifiable
    HTTP_401 = "http_401"
    HTTP_403 = "http_403"
    HTTP_999 = "http_999"
    RATE_LIMITED = "rate_limited"
    BOT_CHALLENGE = "bot_challenge"
    JAVASCRIPT_REQUIRED = "javascript_required"
    RUNNER_OFFLINE = "runner_offline"
    """Not judged: the checking machine could not reach the internet."""
    INTERNAL_ERROR = "internal_error"
    """catalogbot itself failed on this link."""

    @classmethod
    def http(cls, code: int) -> Reason:
        """The reason code of an HTTP status, ``http_NNN``."""
        return cls(f"http_{code}")

    @classmethod
    def of(cls, kind: FailureKind) -> Reason:
        """The reason code of a failed request."""
        return cls(kind.value)

    @property
    def http_status(self) -> int | None:
        """The HTTP status an ``http_NNN`` code names, else None."""
        return int(self.value[5:]) if _HTTP_REASON.fullmatch(self.value) else None

    @classmethod
    def _missing_(cls, value: object) -> Reason | None:
        if not isinstance(value, str) or not _HTTP_REASON.fullmatch(value):
            return None
        member = str.__new__(cls, value)
        member._name_ = value.upper()
        member._value_ = value
        return cls._value2member_map_.setdefault(value, member)  # type: ignore[return-value]


class ResultWarning(StrEnum):
    """Something worth knowing about a result that does not change its status."""

    NO_BASELINE = "no_baseline"
    """No accepted snapshot yet, so the page was not compared."""
    BASELINE_UNREADABLE = "baseline_unreadable"
    TITLE_MISMATCH = "title_mismatch"
    """The page shares no word with the catalog's title and description."""
    CONTENT_UNREADABLE = "content_unreadable"
    INCOMPLETE_BODY = "incomplete_body"
    """The connection broke before the body was complete; what arrived was judged."""
    VIDEO_NOT_EMBEDDABLE = "video_not_embeddable"
    RELOCATION_STOPPED = "relocation_stopped"
    """The search for a broken resource's new address ended early (see the detail)."""


@dataclass(frozen=True, slots=True)
class Hop:
    """One redirect: the URL requested, the status it answered and where it pointed."""

    url: str
    status: int
    location: str

    @property
    def permanent(self) -> bool:
        """301 and 308 say the resource has moved for good; so does a 200 page that
        forwards at once with a meta refresh (recorded with its status, 200)."""
        return self.status in (301, 308, 200)


@dataclass(frozen=True, slots=True)
class Relocation:
    """Where a broken resource was found again on its own site, verified by its text."""

    url: str
    source: str
    """How it was found: ``sitemap``, ``site_links`` or ``url_pattern``."""
    similarity: float
    """Similarity of the page found to the resource's accepted baseline."""


@dataclass(frozen=True, slots=True)
class DriftEvidence:
    """What a drifted page said when it was reviewed and what it says now, for people.

    Every field is untrusted page text: whoever shows it escapes it for its medium.
    """

    title_before: str
    """The title the accepted baseline recorded."""
    title_now: str
    """The page's title now."""
    text_before: str
    """The first sentences of the reviewed text: as written when the baseline recorded
    them (its ``opening`` header), else its normalised words (lower case, no numbers)."""
    text_now: str
    """The first sentences of the page's text now, as written (at most about 300
    characters)."""


@dataclass(frozen=True, slots=True)
class CheckResult:
    """Everything a report, an issue or a fix needs to know about one link.

    The results file (``report/results_file.py``) writes these fields in this order.
    """

    id: str
    url: str
    status: Status
    reason: Reason
    detail: str = ""
    """One sentence for people: what was seen."""
    http_status: int | None = None
    final_url: str | None = None
    """Where the last hop landed."""
    suggested_url: str | None = None
    """For a permanent redirect: the URL the catalog should use instead."""
    attempts: int = 0
    elapsed_ms: int = 0
    redirects: tuple[Hop, ...] = ()
    content_type: str | None = None
    title: str | None = None
    digest: str | None = None
    """Digest of the page's normalised text (its fingerprint)."""
    similarity: float | None = None
    """Similarity to the accepted baseline (1.0 identical), when there is one."""
    excerpt: str | None = None
    """A few lines of unified diff against the baseline, for drifted pages."""
    warnings: tuple[ResultWarning, ...] = ()
    checked_at: str = ""
    network_error: FailureKind | None = None
    """For a result not judged because the runner was offline: what the request met."""
    snapshot: str | None = None
    """For a drifted page: the snapshot file that accepting the change would write (what
    the pull request that accepts it commits)."""
    relocation: Relocation | None = None
    """For a broken entry: its verified new address (also its ``suggested_url``)."""
    evidence: DriftEvidence | None = None
    """For a drifted page: its title and opening before and now, as people read them."""
