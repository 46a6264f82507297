"""What a link's answer says beyond its status code: bot walls, soft 404s, parked
domains, removed videos and drift from the accepted baseline.

The one bot-wall check is ``bot_wall`` below: whatever the answer, a challenge page
is recognised here and nowhere else decides it (``classify`` only reads the finding).
"""

from __future__ import annotations

import asyncio
import dataclasses

from catalogbot.catalog.model import Resource
from catalogbot.catalog.urls import origin_of
from catalogbot.check.classify import Evidence, healthy
from catalogbot.check.fetch import Fetched, Fetcher
from catalogbot.check.options import CheckOptions
from catalogbot.check.result import ResultWarning
from catalogbot.check.signals import bot_challenge
from catalogbot.check.soft404 import Probe, is_deep_link, judge, probe_url
from catalogbot.check.transport import RawResponse
from catalogbot.check.video import judge_oembed, oembed_request
from catalogbot.drift.analyse import PageAnalysis, PageInput
from catalogbot.drift.pool import Analyser
from catalogbot.drift.snapshot import SnapshotStore
from catalogbot.drift.unchanged import unchanged_analysis


def bot_wall(response: RawResponse, analysis: PageAnalysis | None) -> str | None:
    """What shows the answer is a bot wall rather than the resource, or None.

    Headers are read here for every answer, and so is the body of a refusal. The body
    of a page that was analysed is read by the page analysis, in its worker process
    (``analysis.challenge``, by the same ``bot_challenge``): sniffing every healthy
    page here cost the fetching process about 25 us a page (measured).
    """
    body = b"" if analysis is not None else response.body
    found = bot_challenge(response.status, response.headers, body)
    if found is None and analysis is not None:
        found = analysis.challenge
    return found


class Prober:
    """Requests a path that cannot exist, once per host and run, on first need."""

    def __init__(self, fetcher: Fetcher, analyser: Analyser) -> None:
        self._fetcher = fetcher
        self._analyser = analyser
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


@dataclasses.dataclass(frozen=True)
class Findings:
    """The evidence about one link, with the page analysis and warnings it produced."""

    evidence: Evidence
    analysis: PageAnalysis | None = None
    warnings: tuple[ResultWarning, ...] = ()


class EvidenceGatherer:
    """Gathers the evidence each answer calls for, sharing a run's fetcher and workers."""

    def __init__(
        self,
        fetcher: Fetcher,
        analyser: Analyser,
        options: CheckOptions,
        snapshots: SnapshotStore | None,
        keep_text: bool,
    ) -> None:
        self._fetcher = fetcher
        self._analyser = analyser
        self._options = options
        self._snapshots = snapshots
        self._keep_text = keep_text
        self.prober = Prober(fetcher, analyser)

    async def gather(self, resource: Resource, fetched: Fetched) -> Findings:
        """Everything the answer to ``resource`` says (its failure, when it got none)."""
        accept = frozenset(resource.check.accept_status)
        evidence = Evidence(resource.url, fetched, accept)
        response = fetched.response
        if response is None:
            return Findings(evidence)
        if not healthy(response.status, accept):
            return Findings(dataclasses.replace(evidence, challenge=bot_wall(response, None)))
        return await self._page(resource, evidence, response)

    async def _page(
        self, resource: Resource, evidence: Evidence, response: RawResponse
    ) -> Findings:
        """What a healthy answer's content says: drift, soft 404, parking, video status."""
        fetched = evidence.fetched
        probe = None
        if self._options.soft404_probe and is_deep_link(resource.url):
            probe = await self.prober.probe(origin_of(fetched.final_url))
        baseline = str(self._snapshots.path_for(resource.id)) if self._snapshots else None
        page = page_input(
            resource,
            response,
            baseline,
            incomplete=response.cut_short,
            probe_text=probe.text if probe is not None else None,
            catalog_text=f"{resource.title} {resource.description or ''}",
            want_text=self._keep_text,
        )
        analysis = unchanged_analysis(page) or await self._analyser.analyse(page)
        warnings = []
        if response.cut_short:
            warnings.append(ResultWarning.INCOMPLETE_BODY)
        if analysis.baseline == "unreadable":
            warnings.append(ResultWarning.BASELINE_UNREADABLE)
        elif analysis.baseline == "absent" and self._snapshots is not None:
            warnings.append(ResultWarning.NO_BASELINE)
        wall = bot_wall(response, analysis)
        if wall is not None:
            # What a bot wall says tells nothing about the resource: no more questions.
            return Findings(
                dataclasses.replace(evidence, challenge=wall), analysis, tuple(warnings)
            )
        video = None
        oembed = oembed_request(fetched.final_url, self._options.video_providers)
        if oembed is not None:
            provider, oembed_url = oembed
            answer = await self._fetcher.fetch(oembed_url)
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
        found = dataclasses.replace(
            evidence, parked=analysis.parked, soft404=soft404, video=video, analysis=analysis
        )
        return Findings(found, analysis, tuple(warnings))


def page_input(
    resource: Resource,
    response: RawResponse,
    baseline_file: str | None,
    *,
    incomplete: bool = False,
    probe_text: str | None = None,
    catalog_text: str = "",
    want_text: bool = False,
) -> PageInput:
    """What the page analysis needs to compare ``response`` with the resource's baseline,
    under the resource's own check settings (and, when given, what else to compare it
    with: see PageInput)."""
    return PageInput(
        body=response.body,
        content_type=response.headers.get("content-type"),
        selector=resource.check.selector,
        ignore=tuple(resource.check.ignore),
        threshold=resource.check.threshold,
        baseline_file=baseline_file,
        resource_id=resource.id,
        incomplete=incomplete,
        probe_text=probe_text,
        catalog_text=catalog_text,
        want_text=want_text,
    )
