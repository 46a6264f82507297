"""Check every resource of a catalog: fetch, gather evidence, decide, all concurrently."""

from __future__ import annotations

import asyncio
import dataclasses
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from catalogbot.catalog.model import Resource
from catalogbot.catalog.urls import host_of, origin_of
from catalogbot.check.classify import Evidence, classify
from catalogbot.check.fetch import Fetched, Fetcher
from catalogbot.check.limiter import Limiter
from catalogbot.check.offline import suspect_outage
from catalogbot.check.options import CheckOptions
from catalogbot.check.result import CheckResult, FailureKind, Reason, ResultWarning, Status
from catalogbot.check.signals import bot_challenge
from catalogbot.check.soft404 import Probe, is_deep_link, judge, probe_url
from catalogbot.check.transport import Transports
from catalogbot.check.video import judge_oembed, oembed_request
from catalogbot.clock import now_iso
from catalogbot.drift.analyse import PageAnalysis, PageInput
from catalogbot.drift.pool import Analyser, InlineAnalyser, ProcessAnalyser, default_workers
from catalogbot.drift.snapshot import Snapshot, SnapshotStore


class Observer(Protocol):
    """Hears about progress; the command line draws it, the library never prints."""

    def started(self, total: int) -> None: ...

    def finished(self, result: CheckResult) -> None: ...


@dataclass(frozen=True)
class Page:
    """A fetched page and its analysis, kept when a run records new baselines."""

    fetched: Fetched
    analysis: PageAnalysis


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


class _Prober:
    """Requests a path that cannot exist, once per host and run, on first need."""

    def __init__(self, fetcher: Fetcher, analyser: Analyser, options: CheckOptions) -> None:
        self._fetcher = fetcher
        self._analyser = analyser
        self._options = options
        self._probes: dict[str, asyncio.Future[Probe]] = {}

    def probe_soon(self, origin: str) -> asyncio.Future[Probe]:
        """Start probing ``origin`` unless already started."""
        if origin not in self._probes:
            self._probes[origin] = asyncio.ensure_future(self._run(origin))
        return self._probes[origin]

    async def probe(self, origin: str) -> Probe:
        return await asyncio.shield(self.probe_soon(origin))

    async def cancel(self) -> None:
        """Stop probes nobody waits for any more (a host whose links all failed)."""
        pending = [p for p in self._probes.values() if not p.done()]
        for probe in pending:
            probe.cancel()
        await asyncio.gather(*pending, return_exceptions=True)

    async def _run(self, origin: str) -> Probe:
        url = probe_url(origin)
        fetched = await self._fetcher.fetch(url)
        response = fetched.response
        if response is None:
            return Probe(url, None, fetched.final_url, bool(fetched.hops))
        text = None
        if 200 <= response.status < 300:
            analysis = await self._analyser.analyse(
                PageInput(response.body, response.headers.get("content-type"), want_text=True)
            )
            text = analysis.text
        return Probe(url, response.status, fetched.final_url, bool(fetched.hops), text)


class _Run:
    """The shared machinery of one run and the checking of each resource."""

    def __init__(
        self,
        options: CheckOptions,
        snapshots: SnapshotStore | None,
        keep_pages: bool,
        analyser: Analyser,
    ) -> None:
        self.options = options
        self.snapshots = snapshots
        self.keep_pages = keep_pages
        self.transports = Transports(
            per_host=options.per_host,
            allow_private=options.allow_private,
            max_bytes=options.max_bytes,
            user_agent=options.user_agent,
        )
        self.fetcher = Fetcher(
            self.transports,
            Limiter(options.concurrency, options.per_host, options.host_interval),
            options,
        )
        self.analyser = analyser
        self.prober = _Prober(self.fetcher, analyser, options)
        self.host_outcomes: list[tuple[str, bool]] = []
        self.unanswered: dict[str, FailureKind] = {}
        """Resources that got no HTTP answer: on an offline machine, none is judged."""
        self.pages: dict[str, Page] = {}

    async def check(self, resource: Resource) -> CheckResult:
        """The result for one resource; a fault in catalogbot itself becomes a result too,
        so that one odd answer cannot cost the run everybody else's results."""
        try:
            return await self._check(resource)
        except Exception as error:  # reported in the result, never swallowed
            return CheckResult(
                resource.id,
                resource.url,
                Status.UNVERIFIABLE,
                Reason.INTERNAL_ERROR,
                f"catalogbot failed while checking this link ({type(error).__name__}: "
                f"{error}); please report it",
                checked_at=now_iso(),
            )

    async def _check(self, resource: Resource) -> CheckResult:
        """Fetch one resource, gather the evidence its answer calls for, and decide."""
        started = time.monotonic()
        if resource.check.skip:
            return CheckResult(
                resource.id,
                resource.url,
                Status.SKIPPED,
                Reason.EXCLUDED,
                f"not checked: {resource.check.skip}",
                checked_at=now_iso(),
            )
        fetched = await self.fetcher.fetch(resource.url)
        failure = fetched.failure
        failed = failure is not None and failure.network_level
        self.host_outcomes.append((host_of(fetched.final_url), failed))
        if failure is not None and not failure.kind.network_independent:
            self.unanswered[resource.id] = failure.kind
        accept = frozenset(resource.check.accept_status)
        evidence = Evidence(resource.url, fetched, accept)
        analysis: PageAnalysis | None = None
        warnings: list[ResultWarning] = []
        response = fetched.response
        if response is not None:
            healthy = 200 <= response.status < 300 or response.status in accept
            # For a healthy answer only the headers are read here: the page analysis, in
            # its worker, recognises a bot wall by the page itself.
            challenge = bot_challenge(
                response.status, response.headers, b"" if healthy else response.body
            )
            if healthy and challenge is None:
                evidence, analysis = await self._page_evidence(resource, evidence, warnings)
            else:
                evidence = Evidence(resource.url, fetched, accept, challenge=challenge)
        verdict = classify(evidence)
        snapshot = None
        if verdict.status == Status.DRIFTED and analysis is not None:
            candidate = page_snapshot(resource.id, resource.url, Page(fetched, analysis))
            if candidate is not None and len(text := candidate.render()) <= MAX_CANDIDATE:
                snapshot = text  # for the pull request that would accept the change
        return CheckResult(
            id=resource.id,
            url=resource.url,
            status=verdict.status,
            reason=verdict.reason,
            detail=verdict.detail,
            http_status=response.status if response is not None else None,
            final_url=fetched.final_url,
            suggested_url=verdict.suggested_url,
            attempts=fetched.attempts,
            elapsed_ms=int((time.monotonic() - started) * 1000),
            redirects=fetched.hops,
            content_type=response.headers.get("content-type") if response is not None else None,
            title=analysis.title if analysis is not None else None,
            digest=(analysis.digest or None) if analysis is not None else None,
            similarity=analysis.similarity if analysis is not None else None,
            excerpt=analysis.excerpt if analysis is not None else None,
            warnings=tuple(dict.fromkeys([*verdict.warnings, *warnings])),
            checked_at=now_iso(),
            snapshot=snapshot,
        )

    async def _page_evidence(
        self, resource: Resource, evidence: Evidence, warnings: list[ResultWarning]
    ) -> tuple[Evidence, PageAnalysis]:
        """What a healthy answer's content says: drift, soft 404, parking, video status."""
        fetched = evidence.fetched
        response = fetched.response
        assert response is not None
        probe = None
        if self.options.soft404_probe and is_deep_link(resource.url):
            probe = await self.prober.probe(origin_of(fetched.final_url))
        analysis = await self.analyser.analyse(
            PageInput(
                body=response.body,
                content_type=response.headers.get("content-type"),
                selector=resource.check.selector,
                ignore=tuple(resource.check.ignore),
                threshold=resource.check.threshold,
                baseline_file=(
                    str(self.snapshots.path_for(resource.id)) if self.snapshots else None
                ),
                resource_id=resource.id,
                incomplete=response.cut_short,
                probe_text=probe.text if probe is not None else None,
                catalog_text=f"{resource.title} {resource.description or ''}",
                want_text=self.keep_pages,
            )
        )
        if response.cut_short:
            warnings.append(ResultWarning.INCOMPLETE_BODY)
        if analysis.baseline == "unreadable":
            warnings.append(ResultWarning.BASELINE_UNREADABLE)
        elif analysis.baseline == "absent" and self.snapshots is not None:
            warnings.append(ResultWarning.NO_BASELINE)
        if self.keep_pages:
            self.pages[resource.id] = Page(fetched, analysis)
        if analysis.challenge is not None:
            # The page is a bot wall: what it says tells nothing about the resource.
            return dataclasses.replace(evidence, challenge=analysis.challenge), analysis
        video = None
        oembed = oembed_request(fetched.final_url, self.options.video_providers)
        if oembed is not None:
            provider, oembed_url = oembed
            answer = await self.fetcher.fetch(oembed_url)
            video = judge_oembed(provider, answer.response.status if answer.response else None)
        soft404 = judge(
            resource.url,
            final_url=fetched.final_url,
            redirected=bool(fetched.hops),
            probe=probe,
            probe_similarity=analysis.probe_similarity,
            lead=analysis.lead,
            words=analysis.words,
        )
        return (
            dataclasses.replace(
                evidence, parked=analysis.parked, soft404=soft404, video=video, analysis=analysis
            ),
            analysis,
        )

    async def runner_is_online(self) -> tuple[bool, str]:
        """Ask the canaries; the runner is online when any of them answers at all."""
        canaries = self.options.canaries
        if not canaries:
            return True, "no canary is configured, so the failures are taken at face value"
        outcomes = await asyncio.gather(*(self.fetcher.fetch(url) for url in canaries))
        for url, outcome in zip(canaries, outcomes, strict=True):
            if outcome.response is not None:
                return True, f"the canary {url} answered"
        reasons = "; ".join(
            f"{url}: {o.failure.message}"
            for url, o in zip(canaries, outcomes, strict=True)
            if o.failure
        )
        return False, reasons


MAX_CANDIDATE = 200_000
"""Largest snapshot carried in the results, for a pull request that accepts a change."""


def page_snapshot(resource_id: str, url: str, page: Page) -> Snapshot | None:
    """The snapshot that accepting this fetched page would record (None without text)."""
    response = page.fetched.response
    if response is None or page.analysis.text is None:
        return None
    return Snapshot.of(
        id=resource_id,
        url=url,
        final_url=page.fetched.final_url,
        content_type=response.headers.get("content-type", ""),
        kind=page.analysis.kind,
        size=len(response.body),
        title=page.analysis.title,
        text=page.analysis.text,
        accepted_at=now_iso(),
        page_digest=page.analysis.page_digest,
    )


def _offline_result(result: CheckResult, kind: FailureKind) -> CheckResult:
    return CheckResult(
        id=result.id,
        url=result.url,
        status=Status.UNVERIFIABLE,
        reason=Reason.RUNNER_OFFLINE,
        detail=f"not checked: this machine could not reach the internet ({result.detail})",
        final_url=result.final_url,
        attempts=result.attempts,
        elapsed_ms=result.elapsed_ms,
        checked_at=result.checked_at,
        network_error=kind,
    )


async def check_resources(
    resources: Sequence[Resource],
    options: CheckOptions | None = None,
    *,
    snapshots: SnapshotStore | None = None,
    observer: Observer | None = None,
    keep_pages: bool = False,
    analyser: Analyser | None = None,
) -> CheckRun:
    """Check ``resources`` and return every result, in catalog order."""
    options = options or CheckOptions()
    started_at = now_iso()
    owned = analyser is None
    if analyser is None:
        workers = default_workers() if options.workers is None else options.workers
        analyser = (
            ProcessAnalyser(workers, options.extract_timeout) if workers else InlineAnalyser()
        )
    run = _Run(options, snapshots, keep_pages, analyser)
    if observer is not None:
        observer.started(len(resources))
    if options.soft404_probe:
        # Probe each host before its links, so its probe is first in the host's queue and
        # pages do not wait for it (a page is judged only once its host's probe is back).
        for origin in dict.fromkeys(
            origin_of(r.url) for r in resources if not r.check.skip and is_deep_link(r.url)
        ):
            run.prober.probe_soon(origin)

    async def one(resource: Resource) -> CheckResult:
        result = await run.check(resource)
        if observer is not None:
            observer.finished(result)
        return result

    try:
        results = list(await asyncio.gather(*(one(r) for r in resources)))
        offline, why = False, ""
        if suspect_outage(run.host_outcomes):
            online, why = await run.runner_is_online()
            offline = not online
        if offline:
            results = [
                _offline_result(r, run.unanswered[r.id]) if r.id in run.unanswered else r
                for r in results
            ]
    finally:
        await run.prober.cancel()
        await run.transports.aclose()
        if owned:
            await analyser.aclose()
    return CheckRun(tuple(results), started_at, now_iso(), offline, why, run.pages)
