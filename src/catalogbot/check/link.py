"""Check one link: fetch it, gather the evidence its answer calls for, decide, and
assemble the result."""

from __future__ import annotations

import time
from dataclasses import dataclass

from catalogbot.catalog.model import Resource
from catalogbot.catalog.urls import host_of
from catalogbot.check.classify import classify
from catalogbot.check.evidence import EvidenceGatherer, Findings
from catalogbot.check.fetch import Fetched, Fetcher
from catalogbot.check.result import CheckResult, DriftEvidence, FailureKind, Reason, Status
from catalogbot.clock import now_iso
from catalogbot.drift.analyse import PageAnalysis
from catalogbot.drift.snapshot import Snapshot

MAX_CANDIDATE = 200_000
"""Largest snapshot carried in the results, for a pull request that accepts a change."""


@dataclass(frozen=True)
class Page:
    """A fetched page and its analysis, kept when a run records new baselines."""

    fetched: Fetched
    analysis: PageAnalysis


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
        opening=page.analysis.opening,
        answer_digest=page.analysis.answer_digest,
    )


class LinkChecker:
    """Checks the links of one run, and remembers what the run's outage check needs."""

    def __init__(self, fetcher: Fetcher, gatherer: EvidenceGatherer, keep_pages: bool) -> None:
        self._fetcher = fetcher
        self._gatherer = gatherer
        self._keep_pages = keep_pages
        self.host_outcomes: list[tuple[str, bool]] = []
        """(host, failed at the network level) for every link: see offline.suspect_outage."""
        self.unanswered: dict[str, FailureKind] = {}
        """Links that got no HTTP answer, and why: on an offline machine, none is judged."""
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
                final_url=resource.url,
                checked_at=now_iso(),
            )

    async def _check(self, resource: Resource) -> CheckResult:
        started = time.monotonic()
        if resource.check.skip:
            return CheckResult(
                resource.id,
                resource.url,
                Status.SKIPPED,
                Reason.EXCLUDED,
                f"not checked: {resource.check.skip}",
                final_url=resource.url,  # every result has one: here, no request moved it
                checked_at=now_iso(),
            )
        fetched = await self._fetcher.fetch(resource.url)
        failure = fetched.failure
        self.host_outcomes.append(
            (host_of(fetched.final_url), failure is not None and failure.network_level)
        )
        if failure is not None and not failure.kind.network_independent:
            self.unanswered[resource.id] = failure.kind
        findings = await self._gatherer.gather(resource, fetched)
        if self._keep_pages and findings.analysis is not None:
            self.pages[resource.id] = Page(fetched, findings.analysis)
        return assemble(resource, findings, int((time.monotonic() - started) * 1000))


def drift_evidence(analysis: PageAnalysis) -> DriftEvidence:
    """What a drifted page said when reviewed and says now, as people read it."""
    return DriftEvidence(
        title_before=analysis.baseline_title,
        title_now=analysis.title,
        text_before=analysis.baseline_opening,
        text_now=analysis.opening,
    )


def assemble(resource: Resource, findings: Findings, elapsed_ms: int) -> CheckResult:
    """The result: the verdict on the evidence, with what was seen on the way."""
    verdict = classify(findings.evidence)
    fetched = findings.evidence.fetched
    response = fetched.response
    analysis = findings.analysis
    snapshot = None
    evidence = None
    if verdict.status == Status.DRIFTED and analysis is not None:
        evidence = drift_evidence(analysis)
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
        elapsed_ms=elapsed_ms,
        redirects=fetched.hops,
        content_type=response.headers.get("content-type") if response is not None else None,
        title=analysis.title if analysis is not None else None,
        digest=(analysis.digest or None) if analysis is not None else None,
        similarity=analysis.similarity if analysis is not None else None,
        excerpt=analysis.excerpt if analysis is not None else None,
        warnings=tuple(dict.fromkeys([*verdict.warnings, *findings.warnings])),
        checked_at=now_iso(),
        snapshot=snapshot,
        evidence=evidence,
    )
