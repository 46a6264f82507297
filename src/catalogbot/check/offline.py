"""Tell a dead link from a runner that has lost its network.

When more than half of the distinct hosts in a run, and at least three (or all of them,
when the run touches fewer than three: ``check --only ID``, ``accept ID``), fail before
any HTTP is spoken (DNS or connect), the links are probably fine and the runner is not. A
canary URL that any working connection reaches settles it; on an offline runner, the
links that got no answer are reported as not judged, never as broken.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable

from catalogbot.check.fetch import Fetcher
from catalogbot.check.result import CheckResult, FailureKind, Reason, Status

MIN_FAILED_HOSTS = 3


def suspect_outage(host_outcomes: Iterable[tuple[str, bool]]) -> bool:
    """Whether the run looks like the runner's network failed.

    ``host_outcomes`` holds (host, failed at the network level) for every request made;
    a host counts as failed when none of its requests got through.
    """
    reached: dict[str, bool] = {}
    for host, network_failed in host_outcomes:
        reached[host] = reached.get(host, False) or not network_failed
    failed = sum(1 for ok in reached.values() if not ok)
    needed = min(MIN_FAILED_HOSTS, len(reached))
    return failed > 0 and failed >= needed and failed * 2 > len(reached)


async def ask_canaries(fetcher: Fetcher, canaries: tuple[str, ...]) -> tuple[bool, str]:
    """Whether the runner is online (any canary answered at all), and why it is judged so."""
    if not canaries:
        return True, "no canary is configured, so the failures are taken at face value"
    outcomes = await asyncio.gather(*(fetcher.fetch(url) for url in canaries))
    for url, outcome in zip(canaries, outcomes, strict=True):
        if outcome.response is not None:
            return True, f"the canary {url} answered"
    reasons = "; ".join(
        f"{url}: {o.failure.message}"
        for url, o in zip(canaries, outcomes, strict=True)
        if o.failure
    )
    return False, reasons


def not_judged(result: CheckResult, kind: FailureKind) -> CheckResult:
    """``result`` of a link that got no answer, as reported on an offline runner."""
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
