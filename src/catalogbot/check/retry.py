"""When to try a request again, and how long to wait first. Pure functions."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

_RANDOM = random.Random()  # noqa: S311 - jitter for retries, not a secret

RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
"""Statuses that are often temporary; 501 and 505 say the server never will."""


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds a ``Retry-After`` header asks to wait (delta-seconds or HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    current = now or datetime.now(UTC)
    return max(0.0, (when - current).total_seconds())


def backoff_delay(attempt: int, base: float, rng: random.Random | None = None) -> float:
    """Wait before retry number ``attempt`` (1 for the first retry): exponential, jittered.

    Half the exponential step is fixed and half random, so retries from many links to
    one host spread out instead of arriving together.
    """
    step = base * 2.0 ** (attempt - 1)
    return step / 2 + (rng or _RANDOM).uniform(0, step / 2)


def delay_before_retry(
    attempt: int, base: float, retry_after: float | None, cap: float
) -> float | None:
    """How long to wait before retry ``attempt``; None when the server asks for longer than
    ``cap`` and the attempt should not be made at all."""
    if retry_after is not None:
        return None if retry_after > cap else retry_after
    return min(backoff_delay(attempt, base), cap)
