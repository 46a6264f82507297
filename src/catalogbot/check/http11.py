"""HTTP/1.1 exchanges with one origin over kept-alive connections, on h11.

h11 does the protocol (framing, parsing, keep-alive rules); this module only moves its
bytes over the connections ``backend.py`` opens and keeps idle ones for the next
request. It replaces httpcore's connection pool and HTTP/1.1 connection, which guard
every request with anyio locks and cancel scopes: each lock yields to the event loop
once, so on a busy run every request waited behind the whole ready queue several
times over. ``benchmarks/http_ab.py`` runs the same check with either, alternately;
see its docstring for what this saved. Run it again before changing this module.

The failures raised are httpcore's exception classes (``failures.py`` names them), so
what a failed request is called does not depend on which of the two carried it.
Checking has its own deadline around every attempt (``transport.py``), and the
limiter bounds the requests in flight to a host, so nothing here waits for a
connection: a request takes an idle one or opens its own.
"""

from __future__ import annotations

import contextlib
import ssl
import typing
from collections.abc import Sequence

import h11
import httpcore

from catalogbot.check.backend import GuardedBackend
from catalogbot.check.sockets import AsyncioStream

READ_BYTES = 64 * 1024
MAX_HEAD_BYTES = 100 * 1024
"""Most bytes of a status line and headers accepted (as httpcore allowed)."""


class _Unanswered(httpcore.RemoteProtocolError):
    """The connection closed before any part of an answer."""


class Exchange:
    """One response: its status and headers at once, its body as it is read."""

    def __init__(self, pool: OriginPool, connection: _Connection, response: h11.Response) -> None:
        self.status = response.status_code
        self.headers: Sequence[tuple[bytes, bytes]] = response.headers
        self._pool = pool
        self._connection: _Connection | None = connection

    async def next_chunk(self) -> bytes | None:
        """The body's next bytes, None at its end (httpcore errors for a broken
        connection)."""
        if self._connection is None:
            return None
        event = await self._connection.next_event()
        return bytes(event.data) if isinstance(event, h11.Data) else None  # else the end

    async def aclose(self) -> None:
        """Give the connection back when the exchange is complete, else close it.
        Never waits: it runs while a deadline cancels the request."""
        connection, self._connection = self._connection, None
        if connection is not None:
            self._pool.release(connection)


class _Connection:
    """One connection and the protocol state of its current exchange."""

    def __init__(self, stream: AsyncioStream) -> None:
        self.stream = stream
        self.state = h11.Connection(h11.CLIENT, max_incomplete_event_size=MAX_HEAD_BYTES)

    async def next_event(self) -> h11.Event | type[h11.PAUSED]:
        state = self.state
        while True:
            try:
                event = state.next_event()
            except h11.RemoteProtocolError as error:
                raise httpcore.RemoteProtocolError(str(error)) from error
            if event is not h11.NEED_DATA:
                return typing.cast(h11.Event | type[h11.PAUSED], event)
            data = await self.stream.read(READ_BYTES)
            if not data and state.their_state is h11.SEND_RESPONSE:
                raise _Unanswered("the server closed the connection unanswered")
            state.receive_data(data)

    def reusable(self) -> bool:
        """Idle, and not closed by the server meanwhile (which makes it readable)."""
        return (
            self.state.our_state is h11.IDLE
            and self.state.their_state is h11.IDLE
            and not self.stream.get_extra_info("is_readable")
        )

    def close(self) -> None:
        # Nothing is left to say on a connection given up: abort it, synchronously, so
        # that closing never yields (it runs while a deadline cancels the request).
        self.stream.abort()


class OriginPool:
    """The kept-alive connections to one origin (scheme, host, port)."""

    def __init__(
        self,
        scheme: bytes,
        host: str,
        port: int,
        *,
        backend: GuardedBackend,
        ssl_context: ssl.SSLContext | None,
        keep: int,
    ) -> None:
        self._scheme = scheme
        self._host = host
        self._port = port
        self._backend = backend
        self._ssl = ssl_context
        self._keep = keep
        self._idle: list[_Connection] = []
        self._closed = False

    async def request(self, target: bytes, headers: list[tuple[bytes, bytes]]) -> Exchange:
        """Send ``GET target`` and read the response's status and headers.

        A kept-alive connection the server closed just as it was reused fails before
        any answer; the request is then sent once more on a new connection, as
        browsers do (a GET may be repeated).
        """
        try:
            request = h11.Request(method=b"GET", target=target, headers=headers)
        except h11.LocalProtocolError as error:
            raise httpcore.LocalProtocolError(str(error)) from error
        connection = self._idle_connection()
        if connection is not None:
            with contextlib.suppress(_Unanswered, httpcore.ReadError, httpcore.WriteError):
                return await self._send(connection, request)
        return await self._send(await self._connect(), request)

    async def _send(self, connection: _Connection, request: h11.Request) -> Exchange:
        try:
            state = connection.state
            await connection.stream.write(
                (state.send(request) or b"") + (state.send(h11.EndOfMessage()) or b"")
            )
            while True:
                event = await connection.next_event()
                if isinstance(event, h11.Response):
                    return Exchange(self, connection, event)
                if not isinstance(event, h11.InformationalResponse):  # 100, 103: skipped
                    raise _Unanswered("the server ended the exchange unanswered")
        except BaseException:
            connection.close()
            raise

    def _idle_connection(self) -> _Connection | None:
        while self._idle:
            connection = self._idle.pop()
            if connection.reusable():
                return connection
            connection.close()
        return None

    async def _connect(self) -> _Connection:
        stream = await self._backend.connect_tcp(self._host, self._port)
        if self._scheme == b"https":
            assert self._ssl is not None, "an https origin needs an SSL context"
            stream = await stream.start_tls(self._ssl, server_hostname=self._host)
        return _Connection(stream)

    def release(self, connection: _Connection) -> None:
        """Keep a connection whose exchange is complete; close any other."""
        state = connection.state
        if state.our_state is h11.DONE and state.their_state is h11.DONE:
            state.start_next_cycle()
            if not self._closed and len(self._idle) < self._keep and connection.reusable():
                self._idle.append(connection)
                return
        connection.close()

    async def aclose(self) -> None:
        """Close the idle connections; those in use close when their exchange ends."""
        self._closed = True
        idle, self._idle = self._idle, []
        for connection in idle:
            connection.close()
