"""What ``catalogbot accept`` prints: one line per resource, then the counts."""

from __future__ import annotations

import os
from collections.abc import Sequence

from catalogbot.accept import Accepted
from catalogbot.report.annotations import one_line


def _shown(path: str) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return path


def accept_lines(outcomes: Sequence[Accepted], *, quiet: bool = False) -> list[str]:
    """One line per resource (only the ones that need a look when ``quiet``) and a total."""
    lines = []
    for outcome in outcomes:
        rid = outcome.result.id
        if outcome.path is not None:
            if not quiet:
                lines.append(f"recorded {rid}: {_shown(str(outcome.path))}")
            if outcome.warning:
                lines.append(f"warning  {rid}: {one_line(outcome.warning)}")
        elif outcome.skipped is not None:
            if not quiet:
                lines.append(f"skipped  {rid}: {one_line(outcome.skipped)}")
        elif outcome.unwritten is not None:
            lines.append(f"FAILED   {rid}: {one_line(outcome.unwritten)}")
        else:
            lines.append(f"refused  {rid}: {one_line(outcome.refused or '')}")
    recorded = sum(1 for o in outcomes if o.path is not None)
    refused = sum(1 for o in outcomes if o.refused is not None)
    skipped = sum(1 for o in outcomes if o.skipped is not None)
    unwritten = sum(1 for o in outcomes if o.unwritten is not None)
    total = f"{recorded} recorded, {refused} refused"
    if skipped:
        total += f", {skipped} skipped by the catalog"
    if unwritten:
        total += f", {unwritten} could not be written"
    if not quiet or refused or unwritten:
        lines.append(total)
    return lines


def offline_line(detail: str) -> str:
    """The message for a run on a machine without network."""
    return (
        "NO NETWORK: this machine could not reach the internet, so no baseline was "
        f"recorded ({one_line(detail)})."
    )
