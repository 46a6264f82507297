"""Soft 404s: pages that say 200 OK but are the site's 'not found' page, or its home page.

Once per host and run, a path that cannot exist is requested. A host that answers it
with a real 404 is honest, and a page of its that merely mentions "not found" is fine.
A host that answers with 200, or redirects it, shows what its missing pages look like;
a resource page that looks the same is gone.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from urllib.parse import urlsplit

from catalogbot.check.result import Reason, Status

PROBE_SIMILARITY = 0.9
SHELL_WORDS = 30
"""A page this short that looks like a made-up path's is likely a JavaScript app's shell."""
HOME_PATHS = frozenset(
    {"", "/", "/index.html", "/index.htm", "/index.php", "/home", "/default.aspx"}
)
_NOT_FOUND = re.compile(
    r"not found|404|no longer (?:available|exists)|does not exist|doesn t exist|"
    r"cannot be found|can t be found|could not be found|page (?:is )?missing|moved or deleted",
)


@dataclass(frozen=True)
class Probe:
    """How a host answered a path that cannot exist."""

    url: str
    status: int | None
    """Status of the final answer; None when the probe got no answer."""
    final_url: str
    redirected: bool
    text: str | None = None
    """Normalised text of a 2xx answer."""


def probe_url(origin: str) -> str:
    """A URL on ``origin`` (scheme://host:port) that no site has."""
    return f"{origin}/catalogbot-probe-{secrets.token_hex(12)}"


def is_deep_link(url: str) -> bool:
    """Whether ``url`` names something below a site's home page."""
    parts = urlsplit(url)
    return parts.path not in HOME_PATHS or bool(parts.query)


def lands_on_home(url: str, final_url: str) -> bool:
    """A deep link whose redirects end on the site's home page."""
    return is_deep_link(url) and not is_deep_link(final_url) and url != final_url


@dataclass(frozen=True)
class Soft404:
    """The verdict when a page is not what it claims."""

    status: Status
    """broken (the page is gone) or unverifiable (a JavaScript shell we cannot judge)."""
    reason: Reason
    detail: str


def judge(
    url: str,
    *,
    final_url: str,
    redirected: bool,
    probe: Probe | None,
    probe_similarity: float | None,
    lead: str,
    words: int,
) -> Soft404 | None:
    """Whether a 2xx page is really a missing page, judged against the host's probe."""
    if lands_on_home(url, final_url):
        return Soft404(
            Status.BROKEN,
            Reason.SOFT_404,
            f"the link now redirects to the site's home page ({final_url})",
        )
    if probe is None or probe.status is None or not is_deep_link(url):
        return None
    if redirected and probe.redirected and probe.final_url == final_url:
        return Soft404(
            Status.BROKEN,
            Reason.SOFT_404,
            f"the link redirects to {final_url}, where the site sends addresses that do not exist",
        )
    if not 200 <= probe.status < 300 or probe_similarity is None:
        return None
    if probe_similarity < PROBE_SIMILARITY:
        return None
    if not _NOT_FOUND.search(lead) and words < SHELL_WORDS:
        return Soft404(
            Status.UNVERIFIABLE,
            Reason.JAVASCRIPT_REQUIRED,
            "the page is the same near-empty shell the site serves for any address; "
            "its content is drawn by JavaScript, which catalogbot does not run",
        )
    return Soft404(
        Status.BROKEN,
        Reason.SOFT_404,
        f"the page is the same as what the site shows for an address that does not exist "
        f"({probe_similarity:.0%} alike)",
    )
