"""Reconcile GitHub with a results file: issues, the dashboard and fix pull requests.

This module reads the results file; ``syncer`` runs the reconciliation.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from catalogbot.check.result import CheckResult
from catalogbot.errors import UsageError
from catalogbot.github.syncer import Syncer, SyncReport

__all__ = ["MAX_RESULTS_BYTES", "Results", "SyncReport", "Syncer", "read_results"]

MAX_RESULTS_BYTES = 200 * 1024 * 1024


@dataclass(frozen=True)
class Results:
    """A results file as sync reads it."""

    results: list[CheckResult]
    offline: bool
    finished_at: str


def read_results(path: Path) -> Results:
    """Read a results file written by ``catalogbot check --json``; UsageError if unusable."""
    try:
        if path.stat().st_size > MAX_RESULTS_BYTES:
            raise UsageError(f"{path}: larger than {MAX_RESULTS_BYTES:,} bytes")
        data: Any = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsageError(f"{path}: no such results file (write one with check --json)") from None
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"{path}: cannot be read ({error})") from None
    except (ValueError, RecursionError) as error:
        raise UsageError(f"{path}: not JSON ({error})") from None
    if not isinstance(data, dict) or not isinstance(data.get("results"), list):
        raise UsageError(f"{path}: not a catalogbot results file (no 'results' list)")
    results = []
    for index, item in enumerate(data["results"]):
        try:
            results.append(CheckResult.from_json(item))
        except ValueError as error:
            raise UsageError(f"{path}: result {index} is malformed: {error}") from None
    return Results(results, bool(data.get("offline")), str(data.get("finished_at") or ""))
