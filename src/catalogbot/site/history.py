"""Every run the site has seen: the newest in full, older ones folded into a summary.

The history grows by one run per check for years, so it keeps the newest ``keep_runs``
runs letter by letter and folds older ones into per-entry totals (runs checked, runs
up, the verdict they ended on and since when). Nothing is dropped without being counted.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Literal

from catalogbot.check.result import Status
from catalogbot.site.codec import LETTERS
from catalogbot.site.runs import Run

DEFAULT_KEEP_RUNS = 400
"""Runs kept in full: more than a year of daily runs, and far more than the 90 shown."""
MIN_KEEP_RUNS = 90

UP_LETTERS = frozenset("ordu")
"""Verdicts that count as up: checked and not broken (skipped is not checked)."""
CHECKED_LETTERS = frozenset("ordub")


@dataclass(frozen=True)
class StoredRun:
    """One run as the history keeps it: a letter and a time per entry, in ``ids`` order."""

    at: str
    offline: bool
    ids: tuple[str, ...]
    letters: str
    times: list[int]
    reasons: dict[int, str] = field(default_factory=dict)
    """The reason code of each entry (by position) whose verdict was not ok or skipped."""


@dataclass(frozen=True)
class Folded:
    """One entry's totals over the runs folded into the summary."""

    checked: int
    up: int
    last: str
    """The letter of its last verdict among the folded runs ('' when never checked)."""
    since: str
    """When that verdict began, as far as the folded runs tell."""


@dataclass(frozen=True)
class Summary:
    """Totals of the runs older than the kept ones."""

    runs: int
    first_at: str
    last_at: str
    entries: dict[str, Folded]


@dataclass
class History:
    """The whole history: summary of old runs, kept runs oldest first, latest evidence."""

    runs: list[StoredRun] = field(default_factory=list)
    summary: Summary | None = None
    evidence: dict[str, dict[str, Any]] = field(default_factory=dict)


Added = Literal["added", "already recorded", "older than the kept history"]


def when(at: str) -> datetime:
    """A run's time as a datetime; ValueError for anything but ISO 8601 with a zone."""
    moment = datetime.fromisoformat(at)
    if moment.tzinfo is None:
        raise ValueError(f"{at!r} has no time zone")
    return moment


def stored(run: Run) -> StoredRun:
    """The compact form of a run read from a results file."""
    ids = tuple(sorted(run.entries))
    entries = [run.entries[i] for i in ids]
    return StoredRun(
        at=run.finished_at,
        offline=run.offline,
        ids=ids,
        letters="".join(LETTERS[e.status] for e in entries),
        times=[e.elapsed_ms for e in entries],
        reasons={
            n: e.reason
            for n, e in enumerate(entries)
            if e.status not in (Status.OK, Status.SKIPPED) and e.reason
        },
    )


def add_run(history: History, run: Run, keep_runs: int = DEFAULT_KEEP_RUNS) -> Added:
    """Record ``run`` in ``history`` (in time order), then fold runs beyond ``keep_runs``."""
    moment = when(run.finished_at)
    if any(when(r.at) == moment for r in history.runs):
        return "already recorded"
    if history.summary is not None and moment <= when(history.summary.last_at):
        return "older than the kept history"
    new = stored(run)
    later = [r for r in history.runs if when(r.at) > moment]
    history.runs.insert(len(history.runs) - len(later), new)
    if not later and not run.offline:
        for resource_id in run.entries:
            history.evidence.pop(resource_id, None)
        history.evidence.update(run.evidence)
    fold(history, keep_runs)
    return "added"


def fold(history: History, keep_runs: int) -> None:
    """Fold the runs beyond the newest ``keep_runs`` into the summary."""
    excess = len(history.runs) - keep_runs
    if excess <= 0:
        return
    old, history.runs = history.runs[:excess], history.runs[excess:]
    summary = history.summary or Summary(0, old[0].at, old[0].at, {})
    entries = dict(summary.entries)
    for run in old:
        if run.offline:
            continue
        for index, resource_id in enumerate(run.ids):
            letter = run.letters[index]
            if letter not in CHECKED_LETTERS:
                continue
            before = entries.get(resource_id) or Folded(0, 0, "", run.at)
            entries[resource_id] = Folded(
                checked=before.checked + 1,
                up=before.up + (letter in UP_LETTERS),
                last=letter,
                since=before.since if before.last == letter else run.at,
            )
    history.summary = replace(
        summary, runs=summary.runs + len(old), last_at=old[-1].at, entries=entries
    )
    known = {i for run in history.runs for i in run.ids} | entries.keys()
    history.evidence = {k: v for k, v in history.evidence.items() if k in known}
