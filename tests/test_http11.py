"""HTTP/1.1 on kept-alive connections, against scripted servers that write raw bytes.

Each scripted server answers the requests it reads, in order, with the replies it is
given, and counts the connections it accepted: what the connection handling does is
seen from the server's side.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import pytest

from catalogbot.check.failures import TransportFailure
from catalogbot.check.result import FailureKind
from catalogbot.check.transport import RawResponse, Transports

HANG_UP = b""
"""A scripted reply that closes the connection without answering."""


def reply(body: bytes = b"hello", *head: bytes, status: bytes = b"200 OK") -> bytes:
    lines = [b"HTTP/1.1 " + status, *head]
    if not any(line.lower().startswith((b"content-length", b"transfer-encoding")) for line in head):
        lines.append(b"Content-Length: %d" % len(body))
    return b"\r\n".join(lines) + b"\r\n\r\n" + body


@dataclass
class Scripted:
    """A loopback server answering request n with ``replies[n]``."""

    replies: list[bytes]
    close_after: set[int] = field(default_factory=set)
    """Requests after whose reply the server closes the connection."""
    connections: int = 0
    requests: list[bytes] = field(default_factory=list)
    base: str = ""

    def serve(self, listener: socket.socket) -> None:
        while len(self.requests) < len(self.replies):
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._talk, args=(conn,), daemon=True).start()

    def _talk(self, conn: socket.socket) -> None:
        with conn:
            buffer = b""
            while True:
                while b"\r\n\r\n" not in buffer:
                    data = conn.recv(65536)
                    if not data:
                        return
                    buffer += data
                head, _, buffer = buffer.partition(b"\r\n\r\n")
                number = len(self.requests)
                self.requests.append(head)
                answer = self.replies[number]
                if answer == HANG_UP:
                    return
                conn.sendall(answer)
                if number in self.close_after:
                    return


@contextmanager
def scripted(replies: list[bytes], close_after: frozenset[int] = frozenset()) -> Iterator[Scripted]:
    """A scripted server on loopback while inside; its ``base`` URL is set."""
    server = Scripted(replies, set(close_after))
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        server.base = f"http://127.0.0.1:{listener.getsockname()[1]}"
        thread = threading.Thread(target=server.serve, args=(listener,), daemon=True)
        thread.start()
        yield server
        with contextlib.suppress(OSError):
            listener.shutdown(socket.SHUT_RDWR)  # wakes the accept() waiting for more
        thread.join(5)
        assert not thread.is_alive()


def fetch_all(server: Scripted, count: int | None = None) -> list[RawResponse | TransportFailure]:
    """GET ``count`` paths (one per scripted reply), in turn, over one run's pools."""

    async def go() -> list[RawResponse | TransportFailure]:
        transports = Transports(
            per_host=4, allow_private=True, max_bytes=1 << 20, user_agent="catalogbot-test"
        )
        try:
            return [
                await transports.get(f"{server.base}/{n}", timeout=5)
                for n in range(len(server.replies) if count is None else count)
            ]
        finally:
            await transports.aclose()

    return asyncio.run(go())


def outcomes(results: list[RawResponse | TransportFailure]) -> list[object]:
    return [(r.status, r.body) if isinstance(r, RawResponse) else r.kind for r in results]


def test_one_connection_serves_requests_one_after_another() -> None:
    with scripted([reply(b"one"), reply(b"two"), reply(b"three")]) as server:
        results = fetch_all(server)
    assert outcomes(results) == [(200, b"one"), (200, b"two"), (200, b"three")]
    assert server.connections == 1


def test_a_connection_the_server_closed_is_not_used_again() -> None:
    """Closed after the answer (by saying so, or by just hanging up): a new one is opened."""
    replies = [reply(b"one", b"Connection: close"), reply(b"two"), reply(b"three")]
    with scripted(replies, close_after=frozenset({1})) as server:
        results = fetch_all(server)
    assert outcomes(results) == [(200, b"one"), (200, b"two"), (200, b"three")]
    assert server.connections == 3


def test_a_kept_connection_closed_as_it_is_reused_gets_the_request_again() -> None:
    """The server hangs up on the second request of a kept-alive connection: the
    request is sent again on a new connection and answered, not reported broken."""
    with scripted([reply(b"one"), HANG_UP, reply(b"two again")]) as server:
        results = fetch_all(server, 2)
    assert outcomes(results) == [(200, b"one"), (200, b"two again")]
    assert server.connections == 2


def test_a_new_connection_closed_unanswered_is_a_failure_not_a_retry() -> None:
    with scripted([HANG_UP, reply(b"late")]) as server:
        results = fetch_all(server, 1)
    assert outcomes(results) == [FailureKind.PROTOCOL]
    assert len(server.requests) == 1


def test_informational_answers_before_the_response_are_skipped() -> None:
    early = b"HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n"
    with scripted([early + reply(b"page"), reply(b"next")]) as server:
        results = fetch_all(server)
    assert outcomes(results) == [(200, b"page"), (200, b"next")]
    assert server.connections == 1


def test_chunked_and_read_until_closed_bodies_arrive_whole() -> None:
    chunked = reply(b"5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n", b"Transfer-Encoding: chunked")
    until_closed = b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nto the end"
    with scripted([chunked, until_closed, reply(b"after")], close_after=frozenset({1})) as server:
        results = fetch_all(server)
    assert outcomes(results) == [(200, b"hello world"), (200, b"to the end"), (200, b"after")]
    assert server.connections == 2


@pytest.mark.parametrize(
    "answer",
    [
        b"HTTP/1.1 200 OK\r\nX-Flood: " + b"a" * 200_000 + b"\r\n\r\n",
        b"HTTP/1.1 two hundred\r\n\r\n",
        b"SSH-2.0-OpenSSH_9.6\r\n\r\n",
    ],
    ids=["head-too-large", "bad-status-line", "not-http"],
)
def test_malformed_answers_are_protocol_failures(answer: bytes) -> None:
    with scripted([answer], close_after=frozenset({0})) as server:
        (result,) = fetch_all(server)
    assert isinstance(result, TransportFailure)
    assert result.kind == FailureKind.PROTOCOL


def test_request_carries_the_host_and_only_one_request_line() -> None:
    with scripted([reply()]) as server:
        fetch_all(server)
    (head,) = server.requests
    lines = head.split(b"\r\n")
    assert lines[0] == b"GET /0 HTTP/1.1"
    assert lines[1] == b"Host: " + server.base.removeprefix("http://").encode()
