"""How many requests may be in flight, overall and per host, and how often a host is asked."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

MAX_INTERVAL = 10.0
"""A host that keeps answering 429 is asked at most this rarely, not less."""
MIN_RAISED = 0.25
"""Below this, a spacing a 429 added is dropped altogether once the host answers again."""


@dataclass
class _Host:
    slots: asyncio.Semaphore
    interval: float
    next_start: float = 0.0
    paused_until: float = 0.0


class _Slot:
    """Holding one request slot of a host and one global slot (a class rather than a
    generator-based context manager: it is entered for every request)."""

    __slots__ = ("_global", "_host")

    def __init__(self, global_slots: asyncio.Semaphore, host: _Host) -> None:
        self._global = global_slots
        self._host = host

    async def __aenter__(self) -> None:
        host = self._host
        await host.slots.acquire()
        try:
            now = asyncio.get_running_loop().time()
            start = max(now, host.next_start, host.paused_until)
            host.next_start = start + host.interval
            if start > now:
                await asyncio.sleep(start - now)
            await self._global.acquire()
        except BaseException:
            host.slots.release()
            raise

    async def __aexit__(self, kind: type[BaseException] | None, *_: object) -> None:
        self._global.release()
        self._host.slots.release()
        if kind is None:
            # Let the request that takes this slot go out before the answer just
            # received is looked at: the loop runs waiting work in order, and the slot's
            # next holder was woken first.
            await asyncio.sleep(0)


class Limiter:
    """A global cap, a cap per host and a least interval per host, shared by one run.

    A request first waits for its host's slot and only then for a global one, so that a
    request to a busy host never holds a global slot another host could use.
    """

    def __init__(self, concurrency: int, per_host: int, interval: float) -> None:
        self._global = asyncio.Semaphore(concurrency)
        self._per_host = per_host
        self._interval = interval
        self._hosts: dict[str, _Host] = {}

    def _host(self, key: str) -> _Host:
        host = self._hosts.get(key)
        if host is None:
            host = _Host(asyncio.Semaphore(self._per_host), self._interval)
            self._hosts[key] = host
        return host

    def slot(self, key: str) -> _Slot:
        """One request slot for host ``key`` (and one global slot), held while inside."""
        return _Slot(self._global, self._host(key))

    def answered(self, key: str) -> None:
        """The host answered without a 429: halve the spacing a 429 added, back to the
        run's own interval, so that one rate-limited path does not slow the host's
        other links for the rest of the run."""
        host = self._hosts.get(key)
        if host is None or host.interval <= self._interval:
            return
        halved = host.interval / 2
        host.interval = halved if halved >= max(self._interval, MIN_RAISED) else self._interval

    def slow_down(self, key: str, pause: float) -> None:
        """The host asked us to back off (429): pause all its requests and space them out."""
        host = self._host(key)
        now = asyncio.get_running_loop().time()
        host.paused_until = max(host.paused_until, now + pause)
        host.interval = min(max(host.interval * 2, 1.0), MAX_INTERVAL)
