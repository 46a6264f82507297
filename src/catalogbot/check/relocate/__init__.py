"""Finding where a broken resource went: its own site, searched politely, candidates
verified against the reviewed baseline.

``relocate`` takes a run's first-pass results and returns them with verified new
addresses. Only ``broken`` entries with a 4xx or a soft 404 and an accepted baseline
are searched; a host none of whose entries needs a search is never asked anything.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Sequence
from typing import TYPE_CHECKING

from catalogbot.catalog.urls import origin_of
from catalogbot.check.result import CheckResult, ResultWarning, Status

if TYPE_CHECKING:  # the search's modules load only when some entry needs a search
    from catalogbot.catalog.model import Resource
    from catalogbot.check.fetch import Fetcher
    from catalogbot.check.options import CheckOptions
    from catalogbot.check.relocate.rewrite import Rewrite
    from catalogbot.check.relocate.search import Outcome
    from catalogbot.drift.pool import Analyser
    from catalogbot.drift.snapshot import SnapshotStore

__all__ = ["needs_search", "relocate"]


def needs_search(result: CheckResult) -> bool:
    """Broken for a reason a site reorganisation explains: a 4xx or a soft 404."""
    return result.status == Status.BROKEN and (
        result.reason.startswith("http_4") or result.reason == "soft_404"
    )


def _rewrites(results: Sequence[CheckResult]) -> dict[str, list[Rewrite]]:
    """Rewrites by origin, from the permanent redirects other entries showed."""
    from catalogbot.check.relocate.rewrite import learn

    found: dict[str, list[Rewrite]] = {}
    for result in results:
        if result.status == Status.REDIRECTED and result.suggested_url:
            rewrite = learn(result.url, result.suggested_url)
            if rewrite is not None and rewrite not in found.get(rewrite.origin, []):
                found.setdefault(rewrite.origin, []).append(rewrite)
    return found


def _learned(
    wanted: Sequence[CheckResult], outcomes: Sequence[Outcome], known: dict[str, list[Rewrite]]
) -> dict[str, list[Rewrite]]:
    """New rewrites by origin, from the relocations the first pass verified."""
    from catalogbot.check.relocate.rewrite import learn

    found: dict[str, list[Rewrite]] = {}
    for result, outcome in zip(wanted, outcomes, strict=True):
        if outcome.relocation is None:
            continue
        rewrite = learn(result.url, outcome.relocation.url)
        if rewrite is None or rewrite in known.get(rewrite.origin, []):
            continue
        if rewrite not in found.get(rewrite.origin, []):
            found.setdefault(rewrite.origin, []).append(rewrite)
    return found


def _with(result: CheckResult, outcome: Outcome) -> CheckResult:
    if outcome.relocation is not None:
        return dataclasses.replace(
            result, suggested_url=outcome.relocation.url, relocation=outcome.relocation
        )
    if outcome.note is not None:
        return dataclasses.replace(
            result,
            detail=f"{result.detail}; no new address was found ({outcome.note})",
            warnings=(*result.warnings, ResultWarning.RELOCATION_STOPPED),
        )
    return result


async def relocate(
    results: Sequence[CheckResult],
    resources: Sequence[Resource],
    *,
    fetcher: Fetcher,
    analyser: Analyser,
    snapshots: SnapshotStore,
    options: CheckOptions,
) -> list[CheckResult]:
    """``results`` with a verified new address for each broken entry that has one."""
    by_id = {r.id: r for r in resources}
    wanted = [
        r
        for r in results
        if needs_search(r) and r.id in by_id and snapshots.path_for(r.id).is_file()
    ]
    if not wanted:
        return list(results)
    from catalogbot.check.relocate.search import EntrySearch
    from catalogbot.check.relocate.site import SiteSearch
    from catalogbot.check.relocate.verify import Verifier

    verifier = Verifier(analyser, snapshots)
    per_origin: dict[str, int] = {}
    for result in wanted:
        per_origin[origin_of(result.url)] = per_origin.get(origin_of(result.url), 0) + 1
    searching = fetcher.variant(dataclasses.replace(options, retries=0, max_redirects=0))
    sites = {
        origin: SiteSearch(origin, searching, options.user_agent, count)
        for origin, count in per_origin.items()
    }
    rewrites = _rewrites(results)
    deadline = max(60.0, 4 * options.timeout)
    searches = [
        EntrySearch(
            by_id[r.id],
            by_id[r.id].title,
            sites[origin_of(r.url)],
            verifier,
            rewrites.get(origin_of(r.url), []),
        )
        for r in wanted
    ]
    try:
        outcomes = list(await asyncio.gather(*(s.run(deadline) for s in searches)))
        # What was found reveals how the site renamed its pages: try that on the rest.
        learned = _learned(wanted, outcomes, rewrites)
        again = [
            i
            for i, outcome in enumerate(outcomes)
            if outcome.relocation is None
            and outcome.note is None
            and learned.get(origin_of(wanted[i].url))
        ]
        retried = await asyncio.gather(
            *(searches[i].run(deadline, learned[origin_of(wanted[i].url)]) for i in again)
        )
        for i, outcome in zip(again, retried, strict=True):
            outcomes[i] = outcome
    finally:
        for site in sites.values():
            await site.aclose()
    found = {r.id: o for r, o in zip(wanted, outcomes, strict=True)}
    return [_with(r, found[r.id]) if r.id in found else r for r in results]
