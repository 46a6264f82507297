"""What the page says about each resource, computed from the history alone.

Uptime follows the contract: among the last N runs, the share of those in which the
entry was checked and the runner was online in which it was not ``broken``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from statistics import median

from catalogbot.check.result import Status
from catalogbot.site.codec import STATUS_OF_LETTER
from catalogbot.site.history import CHECKED_LETTERS, UP_LETTERS, History

NOT_CHECKED = "-"
"""Letter of a run that did not check the entry (``check --only``, or not in the catalog yet)."""
OFFLINE = "x"
"""Letter of a run whose runner was offline: it says nothing about the entry."""
VERDICT_LETTERS = CHECKED_LETTERS | {"s"}
WINDOWS = (30, 90)


@dataclass(frozen=True)
class Change:
    """A stretch of runs with the same verdict (and reason), oldest first."""

    letter: str
    reason: str
    first_at: str
    last_at: str
    runs: int


@dataclass(frozen=True)
class Figures:
    """One resource's figures."""

    id: str
    status: Status | None
    """The latest verdict from a run whose runner was online; None when never checked."""
    reason: str
    since: str | None
    """When the current verdict began, as far as the history tells."""
    uptime: dict[int, float | None]
    """Uptime in percent over the last 30 and 90 runs (None: no run counted)."""
    uptime_all: float | None
    median_ms: int | None
    letters: str
    """One letter per kept run, oldest first; ``-`` not checked, ``x`` runner offline."""
    reasons: dict[int, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Overview:
    """The figures of the whole catalog, for the top of the index."""

    counts: Counter[Status | None]
    previous_counts: Counter[Status | None] | None
    last_at: str | None
    last_offline: bool
    runs: int
    folded_runs: int
    uptime_recent: float | None
    uptime_before: float | None
    """Catalog-wide uptime over the last 30 runs, and over the 30 before them."""


def percent(up: int, checked: int) -> float | None:
    """``up`` out of ``checked`` in percent; None when nothing was checked."""
    return None if checked == 0 else 100.0 * up / checked


def _uptime(letters: str | bytes) -> tuple[int, int]:
    text = letters if isinstance(letters, str) else letters.decode("ascii")
    checked = sum(text.count(c) for c in CHECKED_LETTERS)
    return checked - text.count("b"), checked


def compute(history: History, ids: Iterable[str]) -> dict[str, Figures]:
    """Figures for each of ``ids`` (the catalog's resources) from ``history``."""
    runs = history.runs
    wanted = list(dict.fromkeys(ids))
    columns = {i: bytearray(NOT_CHECKED.encode() * len(runs)) for i in wanted}
    reasons: dict[str, dict[int, str]] = {i: {} for i in wanted}
    times: dict[str, list[int]] = {i: [] for i in wanted}
    recent_from = len(runs) - max(WINDOWS)
    for n, run in enumerate(runs):
        if run.offline:
            for every in columns.values():
                every[n] = ord(OFFLINE)
            continue
        letters = run.letters.encode("ascii")
        for position, resource_id in enumerate(run.ids):
            column = columns.get(resource_id)
            if column is None:
                continue
            column[n] = letters[position]
            if n >= recent_from and chr(letters[position]) in UP_LETTERS:
                times[resource_id].append(run.times[position])
        for position, reason in run.reasons.items():
            if run.ids[position] in reasons:
                reasons[run.ids[position]][n] = reason
    return {i: _figures(i, history, columns[i].decode(), reasons[i], times[i]) for i in wanted}


def _figures(
    resource_id: str, history: History, letters: str, reasons: dict[int, str], times: list[int]
) -> Figures:
    runs = history.runs
    folded = history.summary.entries.get(resource_id) if history.summary else None
    current, since, reason = "", None, ""
    for n in range(len(letters) - 1, -1, -1):
        letter = letters[n]
        if letter not in VERDICT_LETTERS:
            continue
        if not current:
            current, reason = letter, reasons.get(n, "")
        elif letter != current:
            break
        since = runs[n].at
    else:
        if folded is not None and folded.last and (not current or folded.last == current):
            current, since = folded.last, folded.since
    up, checked = _uptime(letters)
    if folded is not None:
        up, checked = up + folded.up, checked + folded.checked
    return Figures(
        id=resource_id,
        status=STATUS_OF_LETTER[current] if current else None,
        reason=reason,
        since=since,
        uptime={w: percent(*_uptime(letters[-w:])) for w in WINDOWS},
        uptime_all=percent(up, checked),
        median_ms=round(median(times)) if times else None,
        letters=letters,
        reasons=reasons,
    )


def changes(figures: Figures, history: History) -> list[Change]:
    """The stretches of equal verdicts in the kept runs, newest first."""
    stretches: list[Change] = []
    for n, letter in enumerate(figures.letters):
        if letter in (NOT_CHECKED, OFFLINE):
            continue
        reason = figures.reasons.get(n, "")
        at = history.runs[n].at
        last = stretches[-1] if stretches else None
        if last is not None and last.letter == letter and last.reason == reason:
            stretches[-1] = Change(letter, reason, last.first_at, at, last.runs + 1)
        else:
            stretches.append(Change(letter, reason, at, at, 1))
    return stretches[::-1]


def overview(history: History, figures: dict[str, Figures]) -> Overview:
    """Counts by status, the last check, and the catalog-wide trend."""
    counts: Counter[Status | None] = Counter(f.status for f in figures.values())
    online = [n for n, run in enumerate(history.runs) if not run.offline]
    previous: Counter[Status | None] | None = None
    if len(online) >= 2:
        n = online[-2]
        previous = Counter(
            STATUS_OF_LETTER.get(f.letters[n]) for f in figures.values() if f.letters[n] != "-"
        )
    recent = before = (0, 0)
    for f in figures.values():
        a, b = _uptime(f.letters[-30:]), _uptime(f.letters[-60:-30] if len(f.letters) > 30 else "")
        recent, before = (recent[0] + a[0], recent[1] + a[1]), (before[0] + b[0], before[1] + b[1])
    last = history.runs[-1] if history.runs else None
    return Overview(
        counts=counts,
        previous_counts=previous,
        last_at=last.at if last else None,
        last_offline=bool(last and last.offline),
        runs=len(history.runs),
        folded_runs=history.summary.runs if history.summary else 0,
        uptime_recent=percent(*recent),
        uptime_before=percent(*before),
    )
