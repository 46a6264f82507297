"""Check every resource of a catalog, concurrently: the run as a whole.

One run shares its connection pools, limits, soft-404 probes and page-analysis
workers across its links (``link.py`` checks each one), then asks whether the
runner itself was offline (``offline.py``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from catalogbot.catalog.model import Resource
from catalogbot.catalog.urls import origin_of
from catalogbot.check.backend import Resolver
from catalogbot.check.evidence import EvidenceGatherer
from catalogbot.check.fetch import Fetcher
from catalogbot.check.limiter import Limiter
from catalogbot.check.link import LinkChecker, Page
from catalogbot.check.offline import ask_canaries, not_judged, suspect_outage
from catalogbot.check.options import CheckOptions
from catalogbot.check.result import CheckResult
from catalogbot.check.soft404 import is_deep_link
from catalogbot.check.transport import Transports
from catalogbot.clock import now_iso
from catalogbot.drift.pool import Analyser, InlineAnalyser, ProcessAnalyser, default_workers
from catalogbot.drift.snapshot import SnapshotStore


class Observer(Protocol):
    """Hears about progress; the command line draws it, the library never prints."""

    def started(self, total: int) -> None: ...

    def finished(self, result: CheckResult) -> None: ...


@dataclass(frozen=True)
class CheckRun:
    """The outcome of one run over a catalog."""

    results: tuple[CheckResult, ...]
    started_at: str
    finished_at: str
    offline: bool = False
    offline_detail: str = ""
    pages: dict[str, Page] = field(default_factory=dict)
    """Fetched pages by resource id, when the run was asked to keep them."""


def _analyser(options: CheckOptions) -> Analyser:
    workers = default_workers() if options.workers is None else options.workers
    return ProcessAnalyser(workers, options.extract_timeout) if workers else InlineAnalyser()


async def check_resources(
    resources: Sequence[Resource],
    options: CheckOptions | None = None,
    *,
    snapshots: SnapshotStore | None = None,
    observer: Observer | None = None,
    keep_pages: bool = False,
    analyser: Analyser | None = None,
    resolver: Resolver | None = None,
) -> CheckRun:
    """Check ``resources`` and return every result, in catalog order.

    ``resolver`` replaces the private-address guard's DNS resolution (tests).
    """
    options = options or CheckOptions()
    started_at = now_iso()
    owned = analyser is None
    analyser = analyser or _analyser(options)
    transports = Transports(
        per_host=options.per_host,
        allow_private=options.allow_private,
        max_bytes=options.max_bytes,
        user_agent=options.user_agent,
        resolver=resolver,
    )
    limiter = Limiter(options.concurrency, options.per_host, options.host_interval)
    fetcher = Fetcher(transports, limiter, options)
    gatherer = EvidenceGatherer(fetcher, analyser, options, snapshots, keep_pages)
    links = LinkChecker(fetcher, gatherer, keep_pages)
    if observer is not None:
        observer.started(len(resources))
    if options.soft404_probe:
        # Probe each host before its links, so its probe is first in the host's queue and
        # pages do not wait for it (a page is judged only once its host's probe is back).
        for origin in dict.fromkeys(
            origin_of(r.url) for r in resources if not r.check.skip and is_deep_link(r.url)
        ):
            gatherer.prober.probe_soon(origin)

    async def one(resource: Resource) -> CheckResult:
        result = await links.check(resource)
        if observer is not None:
            observer.finished(result)
        return result

    try:
        results = list(await asyncio.gather(*(one(r) for r in resources)))
        offline, why = False, ""
        if suspect_outage(links.host_outcomes):
            online, why = await ask_canaries(fetcher, options.canaries)
            offline = not online
        if offline:
            unanswered = links.unanswered
            results = [
                not_judged(r, unanswered[r.id]) if r.id in unanswered else r for r in results
            ]
        elif options.relocate and snapshots is not None:
            # Relocation: search broken entries' own sites for them (see check/relocate/).
            from catalogbot.check.relocate import relocate

            results = await relocate(
                results,
                resources,
                fetcher=fetcher,
                analyser=analyser,
                snapshots=snapshots,
                options=options,
            )
    finally:
        await gatherer.prober.cancel()
        await transports.aclose()
        if owned:
            await analyser.aclose()
    return CheckRun(tuple(results), started_at, now_iso(), offline, why, links.pages)
