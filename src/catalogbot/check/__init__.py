"""Checking links: fetch each one carefully and decide what its answer means.

The package's values are re-exported here; the run itself is ``check.run``
(``check_resources``), which is not imported eagerly, so that the page analysis in
``drift`` can use these values without importing the whole checker.
"""

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

__all__ = [
    "PRECEDENCE",
    "CheckOptions",
    "CheckResult",
    "FailureKind",
    "Hop",
    "Reason",
    "ResultWarning",
    "Status",
    "VideoProvider",
]
