"""The time, as every record catalogbot writes states it."""

from __future__ import annotations

import functools
import time
from datetime import UTC, datetime


def now_iso() -> str:
    """The current time in UTC, to the second, as ISO 8601 (``2026-11-28T12:00:00Z``)."""
    return _iso(int(time.time()))


@functools.lru_cache(maxsize=1)
def _iso(second: int) -> str:
    """Formatted once a second: a large run stamps thousands of results in each."""
    return datetime.fromtimestamp(second, UTC).isoformat().replace("+00:00", "Z")
