"""What ``catalogbot sync`` prints: the writes it made (or would make), then a total."""

from __future__ import annotations

from catalogbot.github.sync import SyncReport
from catalogbot.report.annotations import one_line


def sync_lines(report: SyncReport, *, dry_run: bool, quiet: bool = False) -> list[str]:
    """Notes, one line per write, and a total; only failures and notes when ``quiet``."""
    lines = [f"note: {one_line(note)}" for note in report.notes]
    if dry_run:
        if not quiet:
            lines += [f"would {one_line(action.summary)}" for action in report.planned]
            lines.append(f"dry run: {len(report.planned)} planned writes, none sent")
        return lines
    for outcome in report.outcomes:
        if outcome.error:
            lines.append(f"FAILED {one_line(outcome.action.summary)}: {one_line(outcome.error)}")
        elif not quiet:
            lines.append(f"done   {one_line(outcome.action.summary)}")
    failed = len(report.failed)
    if not report.outcomes:
        if not quiet:
            lines.append("GitHub already matches the results; nothing to write")
    elif failed or not quiet:
        lines.append(f"{len(report.outcomes) - failed} writes done, {failed} failed")
    return lines
