"""Results files for tests that start from results rather than from a check."""

from __future__ import annotations

from collections import Counter

from catalogbot.check.result import REPORT_ORDER, CheckResult
from catalogbot.report.results_file import (
    RESULTS_FORMAT,
    ResultLine,
    ResultsFile,
    dump_results,
)


def results_document(
    *results: CheckResult, offline: bool = False, finished_at: str = "2026-11-28T12:01:00Z"
) -> ResultsFile:
    """A results file holding ``results``, as check would write it."""
    counts = Counter(r.status for r in results)
    return ResultsFile(
        format=RESULTS_FORMAT,
        tool="catalogbot test",
        catalog="catalog.yaml",
        started_at="2026-11-28T12:00:00Z",
        finished_at=finished_at,
        offline=offline,
        offline_detail=None,
        summary={status: counts[status] for status in REPORT_ORDER},
        results=tuple(ResultLine.of(r, r.id, i + 1) for i, r in enumerate(results)),
    )


def results_text(
    *results: CheckResult, offline: bool = False, finished_at: str = "2026-11-28T12:01:00Z"
) -> str:
    """The text of a results file holding ``results``."""
    return dump_results(results_document(*results, offline=offline, finished_at=finished_at))
