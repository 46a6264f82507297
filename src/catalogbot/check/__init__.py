"""Checking links: fetch each one carefully and decide what its answer means."""

from catalogbot.check.engine import CheckRun, Observer, check_resources
from catalogbot.check.options import CheckOptions, VideoProvider
from catalogbot.check.result import CheckResult, Hop, Status

__all__ = [
    "CheckOptions",
    "CheckResult",
    "CheckRun",
    "Hop",
    "Observer",
    "Status",
    "VideoProvider",
    "check_resources",
]
