"""The time, as every record catalogbot writes states it."""

from __future__ import annotations

from datetime import UTC, datetime


def now_iso() -> str:
    """The current time in UTC, to the second, as ISO 8601 (``2026-11-28T12:00:00Z``)."""
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
