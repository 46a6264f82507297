"""One site's part of a search: its robots.txt and sitemaps, fetched once per run and
shared by all its broken entries, and single requests that stay on the site."""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urljoin

from catalogbot.catalog.urls import origin_of
from catalogbot.check.fetch import Fetched, Fetcher
from catalogbot.check.relocate.budget import Shared
from catalogbot.check.relocate.rank import Index
from catalogbot.check.relocate.robots import Robots, robots_for_status
from catalogbot.check.relocate.sitemaps import read_sitemap

MAX_HOPS = 3
"""Redirects followed from one address, each one staying on the site."""
MAX_SITEMAPS = 12
"""Sitemap documents read per site (an index naming more is cut short)."""
MAX_DEPTH = 2
"""Sitemap indexes followed below the first level."""
MAX_PAGES = 200_000
"""Page addresses kept from all of a site's sitemaps."""
FATAL = frozenset(
    {"blocked_address", "timeout", "dns", "tls", "connection_refused", "connection_failed"}
)
"""Failures that end a search: the site cannot be searched safely or at all."""


class SearchStopError(Exception):
    """Ends one entry's search; the message is the note that says why."""


@dataclass(frozen=True)
class SiteMap:
    """The page addresses a site's sitemaps list, and why reading them stopped, if so."""

    pages: Index
    note: str | None = None


class SiteSearch:
    """The shared search state of one origin (scheme, host and port) for one run."""

    def __init__(self, origin: str, fetcher: Fetcher, agent: str, entries: int) -> None:
        self.origin = origin
        self.agent = agent
        self.shared = Shared(entries)
        self._fetcher = fetcher
        self._robots: asyncio.Future[Robots] | None = None
        self._sitemap: asyncio.Future[SiteMap] | None = None
        self._pages: dict[str, asyncio.Future[Fetched | None]] = {}

    async def request(self, url: str) -> Fetched:
        """One request, no redirect followed (the fetcher's options say so)."""
        fetched = await self._fetcher.fetch(url)
        failure = fetched.failure
        if failure is not None and failure.kind in FATAL:
            raise SearchStopError(f"{url}: {failure.message}")
        return fetched

    async def follow(
        self, url: str, charge: Callable[[], bool], robots: Robots | None = None
    ) -> Fetched | None:
        """``url`` with the redirects that stay on the site followed; each request is
        first charged (None when ``charge`` refuses: the budget is spent). Redirects to
        other sites are not followed: the search never leaves its site."""
        for _ in range(MAX_HOPS + 1):
            if origin_of(url) != self.origin:
                return None
            if robots is not None and not robots.allows(url, self.agent):
                return None
            if not charge():
                return None
            fetched = await self.request(url)
            if fetched.response is not None or not fetched.hops:
                return fetched
            url = urljoin(url, fetched.hops[-1].location)
        return None

    def _share(self) -> bool:
        self.shared.requests += 1
        return True

    def cached(self, url: str) -> asyncio.Future[Fetched | None] | None:
        return self._pages.get(url)

    def fetch_once(
        self, url: str, charge: Callable[[], bool], robots: Robots
    ) -> asyncio.Future[Fetched | None]:
        """A page fetched at most once per run for all entries (pages that link)."""
        if url not in self._pages:
            self._pages[url] = asyncio.ensure_future(self.follow(url, charge, robots))
        return self._pages[url]

    async def aclose(self) -> None:
        """Stop shared fetches nobody waits for any more (their entries ran out of time)."""
        futures = [f for f in (self._robots, self._sitemap, *self._pages.values()) if f]
        for future in futures:
            future.cancel()
        await asyncio.gather(*futures, return_exceptions=True)

    async def robots(self) -> Robots:
        if self._robots is None:
            self._robots = asyncio.ensure_future(self._read_robots())
        return await asyncio.shield(self._robots)

    async def sitemap(self) -> SiteMap:
        if self._sitemap is None:
            self._sitemap = asyncio.ensure_future(self._read_sitemaps())
        return await asyncio.shield(self._sitemap)

    async def _read_robots(self) -> Robots:
        fetched = await self.follow(f"{self.origin}/robots.txt", self._share)
        response = fetched.response if fetched is not None else None
        if response is None:
            return Robots()  # a robots.txt that redirects or fails: no rules to obey
        return robots_for_status(response.status, response.body.decode("utf-8", "replace"))

    async def _read_sitemaps(self) -> SiteMap:
        robots = await self.robots()
        start = list(robots.sitemaps) or [f"{self.origin}/sitemap.xml"]
        queue = deque((url, 0) for url in start)
        seen: set[str] = set()
        pages: dict[str, None] = {}
        while queue:
            url, depth = queue.popleft()
            if url in seen:
                continue  # named twice by the same index
            seen.add(url)
            if origin_of(url) != self.origin or not robots.allows(url, self.agent):
                continue  # a sitemap elsewhere is not this site's to vouch for
            if len(seen) > MAX_SITEMAPS:
                return SiteMap(Index(()), f"the site has more than {MAX_SITEMAPS} sitemaps")
            fetched = await self.follow(url, self._share, robots)
            response = fetched.response if fetched is not None else None
            if response is None or response.status != 200:
                continue
            if response.truncated or response.undecodable:
                return SiteMap(Index(()), f"the sitemap {url} is too large or undecodable")
            # In a thread: a large sitemap takes a moment to expand and parse, and the
            # event loop must keep serving every other request meanwhile.
            doc = await asyncio.to_thread(read_sitemap, response.body, url)
            if doc.note is not None:
                return SiteMap(Index(()), doc.note)
            for page in doc.pages:
                if len(pages) >= MAX_PAGES:
                    return SiteMap(Index(()), f"the sitemaps list over {MAX_PAGES:,} pages")
                pages[page] = None
            for child in doc.children:
                if child in seen:
                    return SiteMap(Index(()), f"the sitemaps form a loop at {child}")
                if depth >= MAX_DEPTH:
                    return SiteMap(Index(()), f"the sitemap indexes nest deeper than {MAX_DEPTH}")
                queue.append((child, depth + 1))
        return SiteMap(await asyncio.to_thread(Index, pages))
