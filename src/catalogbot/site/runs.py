"""One run as the history records it, read from a results file.

This is the only place that reads results files for the site, so a change of reader is
a change of one function.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from catalogbot.check.result import CheckResult, Status
from catalogbot.errors import UsageError

if TYPE_CHECKING:
    from catalogbot.report.results_file import ResultsFile

MAX_EXCERPT = 4_000
"""Characters of a drift excerpt kept as evidence (the results file may hold more)."""
MAX_HOPS = 20

ATTENTION = frozenset({Status.BROKEN, Status.DRIFTED, Status.REDIRECTED, Status.UNVERIFIABLE})


@dataclass(frozen=True)
class Entry:
    """What one run found for one resource: only what the history keeps."""

    status: Status
    reason: str
    elapsed_ms: int


@dataclass(frozen=True)
class Run:
    """One finished run: when, whether the runner was online, and each entry's verdict."""

    finished_at: str
    offline: bool
    entries: dict[str, Entry]
    evidence: dict[str, dict[str, Any]] = field(default_factory=dict)
    """The latest evidence of entries that need a look (drift excerpt, redirects...)."""


def read_results(path: Path) -> ResultsFile:
    """The results file through the project's reader (UsageError when unusable)."""
    from catalogbot.report.results_file import read_results as read

    return read(path)


def read_run(path: Path) -> Run:
    """The run a results file records; UsageError when it cannot be recorded."""
    results = read_results(path)
    finished_at = results.finished_at
    if not finished_at:
        raise UsageError(f"{path}: has no finished_at, so the run cannot be recorded")
    entries: dict[str, Entry] = {}
    evidence: dict[str, dict[str, Any]] = {}
    for result in results.results:
        if result.id in entries:
            raise UsageError(f"{path}: the entry {result.id!r} appears twice")
        entries[result.id] = Entry(result.status, result.reason, max(0, result.elapsed_ms))
        if result.status in ATTENTION:
            evidence[result.id] = evidence_of(result, finished_at)
    return Run(finished_at, results.offline, entries, evidence)


def evidence_of(result: CheckResult, at: str) -> dict[str, Any]:
    """The parts of a result the resource page shows, as plain data."""
    relocation = result.relocation
    data: dict[str, Any] = {
        "at": at,
        "status": result.status.value,
        "reason": result.reason,
        "detail": result.detail,
        "url": result.url,
        "http_status": result.http_status,
        "final_url": result.final_url,
        "suggested_url": result.suggested_url,
        "redirects": [[h.url, h.status, h.location] for h in result.redirects[:MAX_HOPS]],
        "excerpt": (result.excerpt or "")[:MAX_EXCERPT] or None,
        "similarity": result.similarity,
    }
    if relocation is not None:
        data["relocation_source"] = relocation.source
    return {key: value for key, value in data.items() if value not in (None, "", [])}
