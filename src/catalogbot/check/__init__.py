"""Checking links: fetch each one carefully and decide what its answer means.

The vocabulary of results (``check/result.py``) and the settings are imported here at
once. The run itself (``check/run.py``: ``check_resources``, ``CheckRun``,
``Observer``) is imported only when first asked for, so that the page analysis in
``drift``, which the run uses, can use this package's values without a cycle.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from catalogbot.check.options import CheckOptions, VideoProvider
from catalogbot.check.result import (
    PRECEDENCE,
    CheckResult,
    FailureKind,
    Hop,
    Reason,
    ResultWarning,
    Status,
)

if TYPE_CHECKING:
    from catalogbot.check.run import CheckRun, Observer, check_resources

_RUN_NAMES = frozenset({"CheckRun", "Observer", "check_resources"})

__all__ = [
    "PRECEDENCE",
    "CheckOptions",
    "CheckResult",
    "CheckRun",
    "FailureKind",
    "Hop",
    "Observer",
    "Reason",
    "ResultWarning",
    "Status",
    "VideoProvider",
    "check_resources",
]


def __getattr__(name: str) -> Any:
    if name in _RUN_NAMES:
        from catalogbot.check import run

        return getattr(run, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
