"""Fetch one URL the way a careful person would: redirects by hand, retries, a record of
every hop. The outcome is a value (Fetched), whatever happened."""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass
from http.cookies import CookieError, SimpleCookie
from urllib.parse import quote, urljoin, urlsplit, urlunsplit

from catalogbot.catalog.urls import host_of, normalise_url
from catalogbot.check.failures import TransportFailure
from catalogbot.check.limiter import Limiter
from catalogbot.check.options import CheckOptions
from catalogbot.check.refresh import header_target, refresh_target
from catalogbot.check.result import FailureKind, Hop
from catalogbot.check.retry import RETRY_STATUSES, delay_before_retry, retry_after_seconds
from catalogbot.check.transport import RawResponse, Transports

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
RETRY_ALSO = frozenset({999})
"""LinkedIn's 'request denied', which often passes."""


@dataclass(frozen=True)
class Fetched:
    """What fetching a URL came to: a final response or a failure, and the way there."""

    url: str
    final_url: str
    hops: tuple[Hop, ...] = ()
    response: RawResponse | None = None
    failure: TransportFailure | None = None
    attempts: int = 1
    """How many times the last URL in the chain was requested."""
    retry_after: float | None = None
    """What the last answer's Retry-After asked for, when it asked for too long."""


class Fetcher:
    """Fetches URLs for one run, sharing its pools, limits and options."""

    def __init__(self, transports: Transports, limiter: Limiter, options: CheckOptions) -> None:
        self._transports = transports
        self._limiter = limiter
        self._options = options

    def variant(self, options: CheckOptions) -> Fetcher:
        """A fetcher with other options sharing this one's pools, guard and limits."""
        return Fetcher(self._transports, self._limiter, options)

    async def fetch(self, url: str) -> Fetched:
        """Follow ``url`` through at most ``max_redirects`` redirects."""
        hops: list[Hop] = []
        cookies: dict[str, dict[str, str]] = {}
        seen: set[tuple[str, str]] = set()
        current = url
        for _ in range(self._options.max_redirects + 1):
            jar = cookies.get(host_of(current), {})
            cookie_header = "; ".join(f"{k}={v}" for k, v in sorted(jar.items()))
            key = (normalise_url(current), cookie_header)
            if key in seen:
                chain = " → ".join([h.url for h in hops] + [current])
                return Fetched(
                    url,
                    current,
                    tuple(hops),
                    failure=TransportFailure(
                        FailureKind.TOO_MANY_REDIRECTS, f"redirect loop: {chain}"
                    ),
                )
            seen.add(key)
            headers = {"Cookie": cookie_header} if cookie_header else None
            outcome, attempts, retry_after = await self._request(current, headers)
            if isinstance(outcome, TransportFailure):
                return Fetched(url, current, tuple(hops), failure=outcome, attempts=attempts)
            location = outcome.headers.get("location")
            if outcome.status == 200:  # an immediate refresh is a permanent hop
                refresh = header_target(outcome.headers.get("refresh"))
                if refresh is not None:
                    location = _resolve_location(current, refresh)
                else:
                    refresh = refresh_target(outcome.headers.get("content-type"), outcome.body)
                    location = refresh and _resolve_location(current, refresh, header=False)
            if (outcome.status not in REDIRECT_STATUSES and outcome.status != 200) or not location:
                return Fetched(
                    url,
                    current,
                    tuple(hops),
                    response=outcome,
                    attempts=attempts,
                    retry_after=retry_after,
                )
            target = _resolve_location(current, location)
            hops.append(Hop(current, outcome.status, target or location))
            if target is None:
                return Fetched(
                    url,
                    current,
                    tuple(hops),
                    failure=TransportFailure(
                        FailureKind.BAD_REDIRECT,
                        f"redirected to {location!r}, which is not a web address",
                    ),
                    attempts=attempts,
                )
            _remember_cookies(cookies, host_of(current), outcome)
            current = target
        return Fetched(
            url,
            current,
            tuple(hops),
            failure=TransportFailure(
                FailureKind.TOO_MANY_REDIRECTS,
                f"more than {self._options.max_redirects} redirects",
            ),
        )

    async def _request(
        self, url: str, headers: dict[str, str] | None
    ) -> tuple[RawResponse | TransportFailure, int, float | None]:
        """One URL with retries: (outcome, attempts made, Retry-After that was too long)."""
        options = self._options
        key = host_of(url)
        attempt = 1
        while True:
            async with self._limiter.slot(key):
                outcome = await self._transports.get(url, timeout=options.timeout, headers=headers)
                # The host's pace is set before its slot passes to its next request.
                if isinstance(outcome, TransportFailure):
                    retry = outcome.retryable
                    wait_hint = None
                else:
                    retry = (
                        outcome.status in RETRY_STATUSES
                        or outcome.status in RETRY_ALSO
                        or outcome.cut_short
                    )
                    wait_hint = retry_after_seconds(outcome.headers.get("retry-after"))
                    if outcome.status == 429:
                        # The host's other links wait as long as it asked, when that can
                        # be honoured; waiting part of a longer wish (an hour) helps
                        # nobody and would stall every link of the host for the whole cap.
                        pause = 1.0 if wait_hint is None else wait_hint
                        self._limiter.slow_down(
                            key, pause if pause <= options.retry_after_cap else 0
                        )
                    else:
                        self._limiter.answered(key)
            if not retry or attempt > options.retries:
                return outcome, attempt, None
            delay = delay_before_retry(attempt, options.backoff, wait_hint, options.retry_after_cap)
            if delay is None:
                return outcome, attempt, wait_hint
            await asyncio.sleep(delay)
            attempt += 1


_KEEP = "!#$%&'()*+,/:;=?@[]~{}|^"
"""Characters left as they are in a redirect's path and query; spaces, quotes, angle
brackets, controls and non-ASCII are percent-encoded, as a browser does."""


def _resolve_location(base: str, location: str, *, header: bool = True) -> str | None:
    """The absolute URL a Location header (or a refresh) points to, as a browser would
    request it, or None if it is not http(s).

    A header arrives as bytes read as Latin-1; servers send UTF-8 in them, so the bytes
    are read again as UTF-8 when they are. A user name or password in the target is
    dropped: catalogbot never sends credentials, and a suggested address must not
    carry them.
    """
    if header:
        with contextlib.suppress(UnicodeError):
            location = location.encode("latin-1").decode("utf-8")
    try:
        target = urljoin(base, location.strip())
        parts = urlsplit(target)
        port = parts.port
    except ValueError:
        return None
    host = parts.hostname
    if parts.scheme.lower() not in ("http", "https") or not host or port == 0:
        return None
    if "@" in parts.netloc:
        netloc = f"[{host}]" if ":" in host else host
        netloc = netloc if port is None else f"{netloc}:{port}"
        parts = parts._replace(netloc=netloc)
    return urlunsplit(
        parts._replace(
            path=quote(parts.path, safe=_KEEP),
            query=quote(parts.query, safe=_KEEP),
            fragment=quote(parts.fragment, safe=_KEEP),
        )
    )


def _remember_cookies(cookies: dict[str, dict[str, str]], host: str, response: RawResponse) -> None:
    """Keep cookies a redirect sets, for the same host only: some sites redirect until
    their session cookie comes back, and a cookie must never travel to another host."""
    for header in response.headers.get_list("set-cookie"):
        jar = SimpleCookie()
        try:
            jar.load(header)
        except CookieError:
            continue
        for name, morsel in jar.items():
            cookies.setdefault(host, {})[name] = morsel.value
