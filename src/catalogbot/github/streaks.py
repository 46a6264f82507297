"""Failure streaks: how many checks in a row each entry has needed attention."""

from __future__ import annotations

from collections.abc import Sequence

from catalogbot.check.result import CheckResult, Status
from catalogbot.github.markers import DashboardState, Streak, url_tag

NEEDS_ISSUE = (Status.BROKEN, Status.DRIFTED)


def update_streaks(
    previous: DashboardState,
    results: Sequence[CheckResult],
    confirm_runs: int,
    now: str,
    run: str = "",
) -> DashboardState:
    """Count consecutive check runs each entry has needed attention, capped at
    ``confirm_runs``.

    ``run`` names the check the results come from (its finished_at): results of a check
    already counted count nothing again, however often they are synced, and an entry
    listed twice in one file counts once. The cap keeps the dashboard from changing on
    every run once an entry is confirmed. Entries not in ``results`` (a partial run)
    keep their streak.
    """
    if run and run == previous.last_run:
        return DashboardState(dict(previous.streaks), run)
    streaks = dict(previous.streaks)
    seen: set[str] = set()
    for result in results:
        if result.id in seen:
            continue
        seen.add(result.id)
        old = streaks.get(result.id)
        if not result.status.needs_attention:
            if result.status != Status.UNVERIFIABLE:
                streaks.pop(result.id, None)
            continue
        tag = url_tag(result.url)
        same = (
            old is not None
            and old.url == tag
            and (old.status in NEEDS_ISSUE) == (result.status in NEEDS_ISSUE)
        )
        if old is not None and same:
            runs = min(old.runs + 1, confirm_runs)
            streaks[result.id] = Streak(result.status, result.reason, old.since, runs, tag)
        else:
            streaks[result.id] = Streak(result.status, result.reason, now, 1, tag)
    return DashboardState(streaks, run)
