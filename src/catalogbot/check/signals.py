"""Recognise pages that answer but are not the resource: bot walls and parked domains.

Both are read from the raw bytes of the start of the body and from the headers, without
parsing the page: a challenge page or a registrar's parking page says what it is early.
Bot walls are recognised by the checker, since they come with refusals (403, 503) too;
parking pages by the page analysis, which runs in a worker process.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

SNIFF_BYTES = 32 * 1024
PARKED_MAX_BYTES = 256 * 1024
"""Parking pages are small; a large page that mentions a domain sale is an article."""

_TITLE = re.compile(rb"<title[^>]*>([^<]{0,200})</title", re.IGNORECASE)
_CHALLENGE_TITLES = (
    b"just a moment...",
    b"attention required! | cloudflare",
    b"access denied",
    b"ddos-guard",
    b"please wait...",
    b"verifying you are human",
    b"are you a robot?",
    b"human verification",
    b"security check",
    b"pardon our interruption",
)
_CHALLENGE_MARKERS = (b"window._cf_chl_opt", b"cf-browser-verification", b"_incapsula_resource")
"""Markers that appear only on challenge pages, whatever their status."""
_CHALLENGE_WHEN_REFUSED = (
    b"g-recaptcha",
    b"hcaptcha.com",
    b"px-captcha",
    b"perimeterx",
    b"captcha-delivery.com",
    b"you don't have permission to access",
    b"reference #",
)
"""Markers that also appear on ordinary pages (a contact form's captcha), so they count
only on an answer that refused us (403, 429, 503)."""

_PARKED_MARKERS = (
    b"domain is for sale",
    b"domain may be for sale",
    b"domain name is for sale",
    b"buy this domain",
    b"this domain has expired",
    b"domain has been parked",
    b"this domain is parked",
    b"parked free, courtesy of",
    b"parked free courtesy of",
    b"sedoparking.com",
    b"parkingcrew.net",
    b"bodis.com",
    b"above.com/marketplace",
    b"hugedomains.com",
    b"dan.com/buy-domain",
    b"afternic.com",
    b"window.park",
    b"domainmarket.com",
    b"undeveloped.com",
)


def _title(head: bytes) -> bytes:
    match = _TITLE.search(head, 0, 8192)
    return b" ".join(match.group(1).split()) if match else b""


def _found(marker: bytes) -> str:
    return marker.decode("ascii", "replace")


def bot_challenge(status: int, headers: Mapping[str, str], body: bytes) -> str | None:
    """What shows the answer is a bot wall rather than the page, or None."""
    if headers.get("cf-mitigated", "").lower() == "challenge":
        return "the server answered with a Cloudflare challenge (cf-mitigated header)"
    head = body[:SNIFF_BYTES].lower()
    title = _title(head)
    if title in _CHALLENGE_TITLES:
        return f"the page is a bot check (titled {_found(title)!r})"
    markers: tuple[bytes, ...] = _CHALLENGE_MARKERS
    if status in (403, 429, 503):
        markers += _CHALLENGE_WHEN_REFUSED
    for marker in markers:
        if marker in head:
            return f"the page is a bot check ({_found(marker)!r})"
    return None


def parked_domain(body: bytes) -> str | None:
    """What shows the page is a parked or for-sale domain, or None."""
    if len(body) > PARKED_MAX_BYTES:
        return None
    head = body[:SNIFF_BYTES].lower()
    for marker in _PARKED_MARKERS:
        if marker in head:
            return f"the domain shows a parking or for-sale page ({_found(marker)!r})"
    return None
