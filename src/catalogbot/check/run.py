"""Check every resource of a catalog, concurrently: the run as a whole.

One run shares its connection pools, limits, soft-404 probes and page-analysis
workers across its links (``link.py`` checks each one), then asks whether the
runner itself was offline (``offline.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from catalogbot.catalog.model import Resource
from catalogbot.catalog.urls import host_of, origin_of
from catalogbot.check.backend import Resolver
from catalogbot.check.evidence import EvidenceGatherer
from catalogbot.check.fetch import Fetcher
from catalogbot.check.lanes import in_lanes
from catalogbot.check.limiter import Limiter
from catalogbot.check.link import LinkChecker, Page
from catalogbot.check.offline import ask_canaries, not_judged, suspect_outage
from catalogbot.check.options import CheckOptions
from catalogbot.check.result import CheckResult, FailureKind
from catalogbot.check.shards import Shard
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
    shard: Shard | None = None
    """The part of the catalog the run checked (None: chosen otherwise, as by ``--only``)."""


def _analyser(options: CheckOptions) -> Analyser:
    workers = default_workers() if options.workers is None else options.workers
    return ProcessAnalyser(workers, options.extract_timeout) if workers else InlineAnalyser()


@dataclass(frozen=True)
class LinksChecked:
    """The links of a run checked, before the run as a whole is judged (offline? moved?).

    What a worker process sends back when hosts are spread over several
    (``processes.py``): the runner is judged offline over all hosts, not per process.
    """

    results: tuple[CheckResult, ...]
    host_outcomes: tuple[tuple[str, bool], ...]
    """(host, failed at the network level) for every link: see offline.suspect_outage."""
    unanswered: dict[str, FailureKind]
    """Links that got no HTTP answer, and why."""
    pages: dict[str, Page] = field(default_factory=dict)


class _Session:
    """What one process's part of a run shares: pools, limits, probes, analysers."""

    def __init__(
        self,
        options: CheckOptions,
        analyser: Analyser | None,
        resolver: Resolver | None,
        snapshots: SnapshotStore | None,
        keep_pages: bool,
    ) -> None:
        self.options = options
        self.owned = analyser is None
        self.analyser = analyser or _analyser(options)
        self.transports = Transports(
            per_host=options.per_host,
            allow_private=options.allow_private,
            max_bytes=options.max_bytes,
            user_agent=options.user_agent,
            resolver=resolver,
        )
        limiter = Limiter(options.concurrency, options.per_host, options.host_interval)
        self.fetcher = Fetcher(self.transports, limiter, options)
        self.gatherer = EvidenceGatherer(
            self.fetcher, self.analyser, options, snapshots, keep_pages
        )
        self.links = LinkChecker(self.fetcher, self.gatherer, keep_pages)
        self.snapshots = snapshots

    async def check_links(
        self, resources: Sequence[Resource], observer: Observer | None
    ) -> LinksChecked:
        async def one(resource: Resource) -> CheckResult:
            result = await self.links.check(resource)
            if observer is not None:
                observer.finished(result)
            return result

        results = await in_lanes(
            resources,
            lane_of=lambda resource: host_of(resource.url),
            # Four lanes per request slot: while a lane's answer is looked at (sent
            # to a text worker, when the page has to be read), other lanes' links are
            # already waiting for the slot. One lane per slot made each lane's links a
            # chain whose last ones ran alone (2,000 links: 3.45 s against 3.36 s); two
            # per slot still left slots idle behind pages waiting for a text worker
            # (10,000 links without baselines: 5.49 s against 5.09 s with four).
            width=4 * self.options.per_host,
            work=one,
            before=self._probe_hosts_of,
        )
        links = self.links
        return LinksChecked(
            tuple(results), tuple(links.host_outcomes), dict(links.unanswered), links.pages
        )

    def _probe_hosts_of(self, resources: Sequence[Resource]) -> None:
        """Start the soft-404 probe of each host of ``resources`` not probed yet, before
        their links: the probe is then first in its host's queue and pages do not wait
        for it (a page is judged only once its probe is back)."""
        if self.options.soft404_probe:
            for resource in resources:
                if not resource.check.skip and is_deep_link(resource.url):
                    self.gatherer.prober.probe_soon(origin_of(resource.url))

    async def judge(
        self, checked: LinksChecked, resources: Sequence[Resource]
    ) -> tuple[list[CheckResult], bool, str]:
        """The results once the run is judged as a whole, whether the runner was offline
        and why it is judged so."""
        return await judge_run(
            checked,
            resources,
            fetcher=self.fetcher,
            analyser=self.analyser,
            options=self.options,
            snapshots=self.snapshots,
        )

    async def aclose(self) -> None:
        await self.gatherer.prober.cancel()
        await self.transports.aclose()
        if self.owned:
            await self.analyser.aclose()


async def judge_run(
    checked: LinksChecked,
    resources: Sequence[Resource],
    *,
    fetcher: Fetcher,
    analyser: Analyser,
    options: CheckOptions,
    snapshots: SnapshotStore | None,
) -> tuple[list[CheckResult], bool, str]:
    """Was the runner offline (then no unanswered link is judged)? Else, where did broken
    entries go? The results, offline, and why the runner is judged so."""
    results = list(checked.results)
    offline, why = False, ""
    if suspect_outage(checked.host_outcomes):
        online, why = await ask_canaries(fetcher, options.canaries)
        offline = not online
    if offline:
        unanswered = checked.unanswered
        results = [not_judged(r, unanswered[r.id]) if r.id in unanswered else r for r in results]
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
    return results, offline, why


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
    session = _Session(options, analyser, resolver, snapshots, keep_pages)
    if observer is not None:
        observer.started(len(resources))
    try:
        checked = await session.check_links(resources, observer)
        results, offline, why = await session.judge(checked, resources)
    finally:
        await session.aclose()
    return CheckRun(tuple(results), started_at, now_iso(), offline, why, checked.pages)


async def check_links(
    resources: Sequence[Resource],
    options: CheckOptions,
    *,
    snapshots: SnapshotStore | None = None,
    observer: Observer | None = None,
) -> LinksChecked:
    """Only the links of ``resources``, without judging the run: a worker's part."""
    session = _Session(options, None, None, snapshots, False)
    try:
        return await session.check_links(resources, observer)
    finally:
        await session.aclose()


async def judge_links(
    checked: LinksChecked,
    resources: Sequence[Resource],
    options: CheckOptions,
    snapshots: SnapshotStore | None,
) -> tuple[list[CheckResult], bool, str]:
    """Judge links checked elsewhere (worker processes) as one run: see ``judge_run``."""
    session = _Session(options, None, None, snapshots, False)
    try:
        return await session.judge(checked, resources)
    finally:
        await session.aclose()
