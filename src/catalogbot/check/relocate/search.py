"""One broken entry's search for its new address on its own site.

The sources are tried from cheapest to dearest: rewrites other entries' redirects
reveal, then the site's sitemaps (ranked, only the best few fetched), then the pages
that link into that part of the site, breadth first. The first candidate whose text
matches the baseline wins; nothing unverified is ever proposed.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from catalogbot.catalog.model import Resource
from catalogbot.check.fetch import Fetched
from catalogbot.check.relocate.budget import Budget
from catalogbot.check.relocate.links import page_links
from catalogbot.check.relocate.rank import best
from catalogbot.check.relocate.rewrite import Rewrite, apply
from catalogbot.check.relocate.site import SearchStopError, SiteSearch
from catalogbot.check.relocate.verify import Verifier
from catalogbot.check.result import Relocation

SITEMAP_CANDIDATES = 8
"""Best-ranked sitemap addresses fetched per entry."""
LINK_PAGES = 4
"""Pages read for their links per entry (parent paths first, then the home page)."""
LINKS_PER_PAGE = 5
"""Best-ranked links of one page fetched as candidates."""
MAX_PAGES_READ = 8
"""Pages read for their links per entry, candidates that were not the resource included."""


@dataclass(frozen=True)
class Outcome:
    """What the search for one entry came to."""

    relocation: Relocation | None
    requests: float
    """Requests it cost: its own and its share of the site's shared ones."""
    note: str | None = None
    """Why the search stopped early, when it did."""


def parents(url: str) -> list[str]:
    """The folders above ``url``, nearest first, then the home page."""
    parts = urlsplit(url)
    segments = [s for s in parts.path.split("/") if s]
    found = [
        f"{parts.scheme}://{parts.netloc}/" + "/".join(segments[:i]) + "/"
        for i in range(len(segments) - 1, 0, -1)
    ]
    return [*found, f"{parts.scheme}://{parts.netloc}/"]


class EntrySearch:
    """The search for one resource; ``run`` never raises for what a site does."""

    def __init__(
        self,
        resource: Resource,
        title: str,
        site: SiteSearch,
        verifier: Verifier,
        rewrites: Sequence[Rewrite],
    ) -> None:
        self.resource = resource
        self.title = title
        self.site = site
        self.verifier = verifier
        self.rewrites = rewrites
        self.budget = Budget(site.shared)
        self.tried: set[str] = {resource.url}

    async def run(self, deadline: float, rewrites: Sequence[Rewrite] | None = None) -> Outcome:
        """Search every source; with ``rewrites``, try only the addresses they give (a
        second pass, with what other entries' relocations revealed)."""
        try:
            async with asyncio.timeout(deadline):
                if rewrites is None:
                    found = await self._search()
                else:
                    found = await self._patterns(rewrites)
        except SearchStopError as stop:
            return Outcome(None, self.budget.spent, f"the search stopped: {stop}")
        except TimeoutError:
            return Outcome(None, self.budget.spent, f"the search took longer than {deadline:g} s")
        except Exception as error:  # a fault in catalogbot costs this search, not the run
            return Outcome(
                None,
                self.budget.spent,
                f"catalogbot failed while searching ({type(error).__name__}: {error}); "
                "please report it",
            )
        return Outcome(found, self.budget.spent)

    async def _search(self) -> Relocation | None:
        old = self.resource.url
        robots = await self.site.robots()
        if not robots.allows(old, self.site.agent):
            return None  # the site asks robots to keep out of this part of it
        if found := await self._patterns(self.rewrites):
            return found
        sitemap = await self.site.sitemap()
        if sitemap.note is not None:
            raise SearchStopError(sitemap.note)
        ranked = sitemap.pages.best(old, self.title, SITEMAP_CANDIDATES)
        for candidate in ranked:
            if found := await self._try(candidate, "sitemap"):
                return found
        return await self._links()

    async def _patterns(self, rewrites: Sequence[Rewrite]) -> Relocation | None:
        for rewrite in rewrites:
            target = apply(rewrite, self.resource.url)
            if target is not None and (found := await self._try(target, "url_pattern")):
                return found
        return None

    async def _links(self) -> Relocation | None:
        """Breadth first from the parent folders and the home page: each page's links
        that look most like the lost page are tried, and those that are not it are read
        for their own links in turn (a section page leads to its resources)."""
        robots = await self.site.robots()
        queue: deque[tuple[str, Fetched | None]] = deque(
            (url, None) for url in parents(self.resource.url)
        )
        fetched_for_links = read = 0
        while queue and read < MAX_PAGES_READ:
            url, fetched = queue.popleft()
            if fetched is None:
                if fetched_for_links >= LINK_PAGES or not robots.allows(url, self.site.agent):
                    continue
                if self.budget.spent + 1 > self.budget.limit:
                    raise SearchStopError(f"it used its {self.budget.limit} requests")
                fetched = await self._page(url)
                fetched_for_links += 1
            read += 1
            if fetched is None or not _is_html_page(fetched):
                continue
            assert fetched.response is not None
            links = page_links(fetched.response.body, fetched.final_url)
            for candidate in best(links, self.resource.url, self.title, LINKS_PER_PAGE):
                found, page = await self._candidate(candidate, "site_links")
                if found is not None:
                    return found
                if page is not None:
                    queue.append((candidate, page))
        return None

    async def _page(self, url: str) -> Fetched | None:
        """A linking page, fetched once per site for all the entries that want it."""
        cached = self.site.cached(url)
        if cached is None:
            robots = await self.site.robots()
            cached = self.site.fetch_once(url, self._allowed, robots)
        return await asyncio.shield(cached)

    async def _try(self, url: str, source: str) -> Relocation | None:
        found, _ = await self._candidate(url, source)
        return found

    async def _candidate(self, url: str, source: str) -> tuple[Relocation | None, Fetched | None]:
        """Fetch a candidate (following redirects that stay on the site) and verify it:
        the relocation when it is the resource, else the page fetched, if any."""
        robots = await self.site.robots()
        if url in self.tried or not robots.allows(url, self.site.agent):
            return None, None
        self.tried.add(url)
        if self.budget.spent + 1 > self.budget.limit:
            raise SearchStopError(f"it used its {self.budget.limit} requests")
        fetched = await self.site.follow(url, self._allowed, robots)
        if fetched is None:
            return None, None
        similarity = await self.verifier.similarity(self.resource, fetched)
        if similarity is None:
            return None, fetched
        return Relocation(fetched.final_url, source, round(similarity, 3)), fetched

    def _allowed(self) -> bool:
        """Charge one request to this entry (redirect targets obey robots.txt too)."""
        return self.budget.take()


def _is_html_page(fetched: Fetched) -> bool:
    response = fetched.response
    return (
        response is not None
        and response.status == 200
        and "html" in response.headers.get("content-type", "").lower()
    )
