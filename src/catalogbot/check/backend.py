"""Where connections are opened: only to addresses the private-address guard allowed.

Every connection, including each redirect hop's, goes through ``GuardedBackend``,
which resolves the host with the guard's resolver and connects to an allowed address,
while TLS and the Host header keep the real name. It records how far each request got
(resolving, connecting, connected), so that a deadline can say which step hung.
"""

from __future__ import annotations

import asyncio
import contextvars
import typing
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass

import httpcore

from catalogbot.check.guard import Resolution, ResolveError
from catalogbot.check.sockets import AsyncioStream, open_stream


class BlockedError(httpcore.ConnectError):
    """Every address of the host is one the guard refuses."""


class UnresolvedError(httpcore.ConnectError):
    """The host name does not resolve."""

    def __init__(self, error: ResolveError) -> None:
        super().__init__(str(error))
        self.temporary = error.temporary


Resolver = Callable[[str, int], Awaitable[Resolution]]
"""Resolves (host, port) to the addresses the guard allows and those it refuses;
raises ResolveError when the name does not resolve."""


@dataclass
class Phase:
    """How far the current request got in opening a connection (set by the backend)."""

    name: str = "idle"
    """idle (a kept-alive connection was used, or none was needed yet), resolving,
    connecting or connected."""


PHASE: contextvars.ContextVar[Phase] = contextvars.ContextVar("catalogbot_phase")


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """Opens connections only to addresses the guard allowed for the host."""

    def __init__(self, resolver: Resolver) -> None:
        self._resolve = resolver

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,  # noqa: ARG002 - each attempt has its own deadline
        local_address: str | None = None,  # noqa: ARG002 - never set by catalogbot
        socket_options: Iterable[typing.Any] | None = None,  # noqa: ARG002 - never set
    ) -> AsyncioStream:
        phase = PHASE.get(None) or Phase()
        phase.name = "resolving"
        try:
            resolution = await self._resolve(host, port)
        except ResolveError as error:
            raise UnresolvedError(error) from None
        phase.name = "connecting"
        if not resolution.allowed:
            refused = ", ".join(f"{a} ({why})" for a, why in resolution.refused)
            raise BlockedError(
                f"{host} resolves only to addresses catalogbot does not contact: {refused}"
            )
        failure: Exception | None = None
        for address in resolution.allowed:
            try:
                stream = await open_stream(address, port)
            except httpcore.ConnectError as error:
                failure = error  # try the next address (an IPv6 one may be unreachable)
                continue
            phase.name = "connected"
            return stream
        assert failure is not None
        raise failure

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,  # noqa: ARG002 - the interface's signature
        socket_options: Iterable[typing.Any] | None = None,  # noqa: ARG002
    ) -> httpcore.AsyncNetworkStream:
        raise BlockedError(f"unix sockets such as {path} are never used")

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)
