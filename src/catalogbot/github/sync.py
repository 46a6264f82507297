"""Reconcile GitHub with a results file: issues, the dashboard and fix pull requests.

This module reads the results file; ``syncer`` runs the reconciliation.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from catalogbot.check.result import CheckResult
from catalogbot.github.syncer import Syncer, SyncReport
from catalogbot.report import results_file

__all__ = ["Results", "SyncReport", "Syncer", "read_results"]


@dataclass(frozen=True)
class Results:
    """A results file as sync reads it."""

    results: list[CheckResult]
    offline: bool
    finished_at: str


def read_results(path: Path) -> Results:
    """Read a results file written by ``catalogbot check --json``; UsageError if unusable."""
    document = results_file.read_results(path)
    return Results(list(document.results), document.offline, document.finished_at)
