"""Record what resources say now as their reviewed baselines (``catalogbot accept``).

A page is recorded only when checking it found a real page: a broken link, a soft
404, a parked domain or a bot wall would become a baseline that hides the problem.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from catalogbot.catalog.model import Resource
from catalogbot.check.link import page_snapshot
from catalogbot.check.options import CheckOptions
from catalogbot.check.result import CheckResult, Status
from catalogbot.check.run import CheckRun, Observer, check_resources
from catalogbot.drift.snapshot import Snapshot, SnapshotStore, SnapshotWriteError

REFUSED = (Status.BROKEN, Status.UNVERIFIABLE)
THIN_BASELINE_WORDS = 50
"""A baseline with fewer words than this cannot tell a changed page from noise."""


@dataclass(frozen=True)
class Accepted:
    """What happened to one resource: where its snapshot went, or why it was not recorded.

    At most one of ``path``, ``refused``, ``skipped`` and ``unwritten`` is set.
    """

    result: CheckResult
    path: Path | None = None
    refused: str | None = None
    """The page is not one to record (broken, a bot wall, unreadable)."""
    skipped: str | None = None
    """The catalog says not to check this entry; nothing to record, nothing wrong."""
    unwritten: str | None = None
    """The snapshot could not be written; the message names the file and why."""
    warning: str | None = None
    """Why the recorded baseline may not protect the resource (a page read as almost
    no text, say)."""


def thin_baseline(snapshot: Snapshot) -> str | None:
    """A warning when the baseline has too little text to notice a change, if it does."""
    if snapshot.kind not in ("html", "text", "pdf"):
        return None
    words = len(snapshot.text.split())
    if words >= THIN_BASELINE_WORDS:
        return None
    return (
        f"the baseline has only {words} word{'s' if words != 1 else ''} of text, too few "
        "to notice a change; set check.selector to the part of the page that matters"
    )


def _snapshot(result: CheckResult, run: CheckRun) -> Snapshot | str:
    """The baseline to record for ``result``, or why none is."""
    if result.status in REFUSED:
        return f"{result.status.value} ({result.reason}): {result.detail}"
    page = run.pages.get(result.id)
    if page is None or page.fetched.response is None:
        return "no page content was fetched"
    if page.fetched.response.cut_short:
        return "the connection broke before the whole page arrived; try again"
    snapshot = page_snapshot(result.id, result.url, page)
    if snapshot is None:
        return f"the page could not be read: {page.analysis.error or 'no text'}"
    return snapshot


async def accept_resources(
    resources: Sequence[Resource],
    options: CheckOptions,
    store: SnapshotStore,
    observer: Observer | None = None,
) -> tuple[CheckRun, list[Accepted]]:
    """Fetch each resource and record its baseline; refuse pages that are not real."""
    run = await check_resources(resources, options, observer=observer, keep_pages=True)
    outcomes = []
    for result in run.results:
        if result.status == Status.SKIPPED:
            outcomes.append(Accepted(result, skipped=result.detail))
            continue
        snapshot = _snapshot(result, run)
        if isinstance(snapshot, str):
            outcomes.append(Accepted(result, refused=snapshot))
        elif not run.offline:
            try:
                outcomes.append(
                    Accepted(result, path=store.save(snapshot), warning=thin_baseline(snapshot))
                )
            except SnapshotWriteError as error:
                outcomes.append(Accepted(result, unwritten=str(error)))
    return run, outcomes
