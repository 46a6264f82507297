"""Real HTTP and HTTPS servers on loopback addresses, each playing a kind of website.

Every 127.x.y.z address reaches this machine, so a test can stand up several "hosts"
at once (soft-404 probing and per-host limits are per host). Each site is a table of
paths to replies; a reply can drip its body slowly, answer differently on each
request, or redirect. Every request is logged, so a test can prove a request was
never made.
"""

from __future__ import annotations

import gzip
import http.server
import socket
import ssl
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Reply:
    """What the server answers to one request."""

    status: int = 200
    body: bytes = b""
    headers: tuple[tuple[str, str], ...] = (("Content-Type", "text/html; charset=utf-8"),)
    drip: float = 0.0
    """Seconds between single bytes of the body (a server that never quite finishes)."""
    chunks: Iterator[bytes] | None = None
    """A body streamed chunk by chunk (for bodies too large to hold)."""


Handler = Callable[["Request"], Reply]


@dataclass(frozen=True)
class Request:
    """One request as the server saw it."""

    method: str
    path: str
    headers: dict[str, str]
    host: str
    """The address the connection arrived at."""


def html(title: str, body: str, *, head: str = "") -> bytes:
    """A small, well-formed HTML page."""
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title>{head}</head>"
        f"<body>{body}</body></html>"
    ).encode()


def page(title: str, words: str = "") -> Reply:
    """A 200 HTML page with the given title and text."""
    return Reply(body=html(title, f"<main><h1>{title}</h1><p>{words}</p></main>"))


def redirect(location: str, status: int = 301) -> Reply:
    return Reply(status=status, headers=(("Location", location),), body=b"moved")


def sequence(*replies: Reply) -> Handler:
    """A path that answers each request with the next reply, repeating the last."""
    lock = threading.Lock()
    queue = list(replies)

    def handler(_: Request) -> Reply:
        with lock:
            return queue.pop(0) if len(queue) > 1 else queue[0]

    return handler


def gzip_bomb(expanded: int) -> Reply:
    """``expanded`` bytes of zeros, sent gzip-compressed (about a thousandth of the size)."""
    block = b"\0" * (1024 * 1024)
    compressor = gzip.compress(block, compresslevel=9)
    count = max(1, expanded // len(block))
    # Concatenated gzip members are one valid gzip stream.
    return Reply(
        headers=(("Content-Type", "text/html"), ("Content-Encoding", "gzip")),
        body=compressor * count,
    )


@dataclass
class Site:
    """One host: its routes, what it answers for anything else, and its request log."""

    routes: dict[str, Reply | Handler] = field(default_factory=dict)
    fallback: Reply | Handler = field(
        default_factory=lambda: Reply(404, html("Not Found", "<h1>Not Found</h1>"))
    )
    log: list[Request] = field(default_factory=list)

    def answer(self, request: Request) -> Reply:
        self.log.append(request)
        path = request.path.split("?", 1)[0]
        route = self.routes.get(request.path, self.routes.get(path, self.fallback))
        return route(request) if callable(route) else route

    def paths(self) -> list[str]:
        """The paths requested so far, in order."""
        return [r.path for r in self.log]


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def do_GET(self) -> None:
        site = self.server.site
        request = Request(
            "GET", self.path, {k.lower(): v for k, v in self.headers.items()}, self.server.address
        )
        reply = site.answer(request)
        try:
            self._send(reply)
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError, OSError):
            self.close_connection = True

    def _send(self, reply: Reply) -> None:
        self.send_response_only(reply.status)
        names = {name.lower() for name, _ in reply.headers}
        for name, value in reply.headers:
            self.send_header(name, value)
        if reply.chunks is not None or reply.drip:
            self.send_header("Connection", "close")
            self.close_connection = True
        elif "content-length" not in names:
            self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        if reply.chunks is not None:
            for chunk in reply.chunks:
                self.wfile.write(chunk)
        elif reply.drip:
            for index in range(len(reply.body)):
                self.wfile.write(reply.body[index : index + 1])
                self.wfile.flush()
                if self.server.stopping.wait(reply.drip):
                    return
        else:
            self.wfile.write(reply.body)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the site's own log is what tests read."""


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: str, site: Site, tls: ssl.SSLContext | None) -> None:
        self.site = site
        self.address = address
        self.tls = tls
        self.stopping = threading.Event()
        self.connections = 0
        super().__init__((address, 0), _Handler)

    def get_request(self) -> tuple[socket.socket, Any]:
        sock, addr = super().get_request()
        self.connections += 1
        if self.tls is not None:
            sock.settimeout(5)
            try:
                sock = self.tls.wrap_socket(sock, server_side=True)
            except (ssl.SSLError, OSError):
                sock.close()
                raise
            sock.settimeout(None)
        return sock, addr


class RunningSite:
    """A Site being served on one loopback address."""

    def __init__(self, site: Site, address: str, tls: ssl.SSLContext | None = None) -> None:
        self.site = site
        self._server = _Server(address, site, tls)
        self.port = self._server.server_address[1]
        self.scheme = "https" if tls else "http"
        self.address = address
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )
        self._thread.start()

    def url(self, path: str = "/", host: str | None = None) -> str:
        return f"{self.scheme}://{host or self.address}:{self.port}{path}"

    @property
    def log(self) -> list[Request]:
        return self.site.log

    @property
    def connections(self) -> int:
        """Connections accepted so far."""
        return self._server.connections

    def stop(self) -> None:
        self._server.stopping.set()
        self._server.shutdown()
        self._server.server_close()


def closed_port(address: str = "127.0.0.1") -> int:
    """A port on ``address`` that nothing listens on: connecting is refused."""
    with socket.socket() as sock:
        sock.bind((address, 0))
        return int(sock.getsockname()[1])


def serve(
    sites: Sequence[Site], *, tls: ssl.SSLContext | None = None, first: int = 2
) -> list[RunningSite]:
    """Serve each site on its own address 127.0.0.<first>, 127.0.0.<first+1>, ..."""
    return [RunningSite(site, f"127.0.0.{first + i}", tls) for i, site in enumerate(sites)]
