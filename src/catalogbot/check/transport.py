"""Send one GET to a catalog host and translate every failure into a value.

This is the I/O edge of checking: the transport's exceptions end here (named by
``failures.py``), and what leaves is a RawResponse or a TransportFailure.

Requests go over ``http11.py``'s connections, one pool of them per origin, opened by
the private-address guard (``backend.py``). Neither httpx's request and URL models
nor a pool shared by all hosts is on the way: the models cost 15% of a 10,000-link
run's CPU, and a shared pool scanned all its connections for every request, which
made the same run CPU-bound (71 s instead of 4.3 s, measured).
"""

from __future__ import annotations

import asyncio
import functools
import ssl
import typing
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import quote, urlsplit

import httpcore

from catalogbot.catalog.urls import DEFAULT_PORTS
from catalogbot.check.backend import PHASE, GuardedBackend, Phase, Resolver
from catalogbot.check.decode import BoundedDecoder
from catalogbot.check.failures import TransportFailure, failure_from
from catalogbot.check.guard import Resolution, ResolveError, resolve
from catalogbot.check.http11 import OriginPool
from catalogbot.check.result import FailureKind

ACCEPT = "text/html,application/xhtml+xml,application/pdf;q=0.9,*/*;q=0.8"
_SAFE_PATH = "/%:@!$&'()*+,;=-._~?"


class Headers(Mapping[str, str]):
    """Response headers, looked up without regard to case."""

    def __init__(self, raw: Iterable[tuple[bytes, bytes]]) -> None:
        self._all: dict[str, list[str]] = {}
        for name, value in raw:
            self._all.setdefault(name.decode("latin-1").lower(), []).append(value.decode("latin-1"))

    def __getitem__(self, name: str) -> str:
        return self._all[name.lower()][0]

    def __iter__(self) -> typing.Iterator[str]:
        return iter(self._all)

    def __len__(self) -> int:
        return len(self._all)

    def get_list(self, name: str) -> list[str]:
        """Every value of a header that may repeat (Set-Cookie)."""
        return list(self._all.get(name.lower(), ()))


@dataclass(frozen=True)
class RawResponse:
    """One HTTP answer, with its body read up to the cap."""

    status: int
    headers: Headers = field(default_factory=lambda: Headers(()))
    body: bytes = b""
    truncated: bool = False
    """The body was longer than the cap; only its beginning was read."""
    undecodable: bool = False
    """The Content-Encoding could not be undone; ``body`` holds what was decoded."""
    cut_short: bool = False
    """The connection broke before the body was complete (not the cap: a fault)."""


@dataclass(frozen=True)
class Target:
    """A URL taken apart the way a request needs it."""

    scheme: bytes
    host: str
    port: int
    path: bytes
    """Path and query, percent-encoded."""


def parse_target(url: str) -> Target | None:
    """The request target of ``url``, or None when it cannot be requested."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not host:
        return None
    try:
        ascii_host = host if host.isascii() else host.encode("idna").decode("ascii")
    except UnicodeError:
        return None
    path = quote(parts.path or "/", safe=_SAFE_PATH)
    if parts.query:
        path += "?" + quote(parts.query, safe=_SAFE_PATH)
    return Target(scheme.encode(), ascii_host, port or DEFAULT_PORTS[scheme], path.encode())


class Transports:
    """The keep-alive pools of one run, one per origin, with DNS answers cached per host."""

    def __init__(
        self,
        *,
        per_host: int,
        allow_private: bool,
        max_bytes: int,
        user_agent: str,
        ssl_context: ssl.SSLContext | None = None,
        resolver: Resolver | None = None,
    ) -> None:
        """``resolver`` defaults to the private-address guard over the system's DNS."""
        self._per_host = per_host
        self._resolver = resolver or functools.partial(resolve, allow_private=allow_private)
        self._max_bytes = max_bytes
        self._headers = [
            (b"User-Agent", user_agent.encode("latin-1", "replace")),
            (b"Accept", ACCEPT.encode()),
            (b"Accept-Language", b"en-US,en;q=0.8"),
            (b"Accept-Encoding", b"gzip, deflate"),
        ]
        self._ssl = ssl_context
        if ssl_context is not None:
            ssl_context.set_alpn_protocols(["http/1.1"])
        self._pools: dict[tuple[bytes, str, int], OriginPool] = {}
        self._resolutions: dict[tuple[str, int], asyncio.Future[Resolution]] = {}
        self._backend = GuardedBackend(self._resolve)

    async def _resolve(self, host: str, port: int) -> Resolution:
        key = (host, port)
        if key not in self._resolutions:
            self._resolutions[key] = asyncio.ensure_future(self._resolver(host, port))
        try:
            return await asyncio.shield(self._resolutions[key])
        except ResolveError as error:
            if error.temporary:
                self._forget(host, port)  # a retry should ask the resolver again
            raise

    def _forget(self, host: str, port: int) -> None:
        """Drop a host's cached resolution; requests waiting on it still get its answer."""
        self._resolutions.pop((host, port), None)

    def _pool(self, target: Target) -> OriginPool:
        key = (target.scheme, target.host, target.port)
        pool = self._pools.get(key)
        if pool is None:
            if self._ssl is None and target.scheme == b"https":
                self._ssl = default_ssl_context()  # loading CA certificates takes ~15 ms
            pool = OriginPool(
                *key, backend=self._backend, ssl_context=self._ssl, keep=self._per_host
            )
            self._pools[key] = pool
        return pool

    async def get(
        self, url: str, *, timeout: float, headers: Mapping[str, str] | None = None
    ) -> RawResponse | TransportFailure:
        """GET ``url`` once, within ``timeout`` seconds overall; never raises for the network."""
        target = parse_target(url)
        if target is None:
            return TransportFailure(FailureKind.INVALID_URL, f"{url!r} cannot be requested")
        default = DEFAULT_PORTS[target.scheme.decode()] == target.port
        host = f"[{target.host}]" if ":" in target.host else target.host  # IPv6 literal
        host_header = host if default else f"{host}:{target.port}"
        request_headers = [(b"Host", host_header.encode("ascii")), *self._headers]
        if headers:
            request_headers += [(k.encode(), v.encode()) for k, v in headers.items()]
        phase = Phase()
        token = PHASE.set(phase)
        try:
            async with asyncio.timeout(timeout):
                return await self._exchange(self._pool(target), target, request_headers)
        except TimeoutError:
            if phase.name == "resolving":
                self._forget(target.host, target.port)
                return TransportFailure(
                    FailureKind.DNS,
                    f"looking up {target.host} took longer than {timeout:g} s",
                    network_level=True,
                    retryable=True,
                )
            if phase.name == "connecting":
                return TransportFailure(
                    FailureKind.TIMEOUT,
                    f"connecting to {target.host} took longer than {timeout:g} s",
                    network_level=True,
                    retryable=True,
                )
            return TransportFailure(
                FailureKind.TIMEOUT, f"no complete answer within {timeout:g} s", retryable=True
            )
        finally:
            PHASE.reset(token)

    async def _exchange(
        self, pool: OriginPool, target: Target, headers: list[tuple[bytes, bytes]]
    ) -> RawResponse | TransportFailure:
        try:
            exchange = await pool.request(target.path, headers)
        except (httpcore.ConnectError, httpcore.ProtocolError, httpcore.NetworkError,
                OSError) as exc:  # fmt: skip
            return failure_from(exc, target.host)
        response_headers = Headers(exchange.headers)
        decoder = BoundedDecoder(response_headers.get("content-encoding"), self._max_bytes)
        undecodable = False
        cut_short = False
        try:
            while (chunk := await exchange.next_chunk()) is not None:
                try:
                    decoder.feed(chunk)
                except Exception:  # any zlib failure means the same: unreadable
                    undecodable = True
                    break
                if decoder.done:
                    break
        except (httpcore.ProtocolError, httpcore.NetworkError, OSError):
            # The status and headers arrived; a body cut short (a reset, fewer bytes than
            # Content-Length) does not make the page missing. Judge what was read.
            cut_short = True
        finally:
            await exchange.aclose()
        return RawResponse(
            status=exchange.status,
            headers=response_headers,
            body=decoder.body(),
            truncated=decoder.truncated,
            undecodable=undecodable or decoder.unsupported is not None,
            cut_short=cut_short,
        )

    async def aclose(self) -> None:
        """Close every pool's idle connections."""
        for pool in self._pools.values():
            await pool.aclose()
        self._pools.clear()


def default_ssl_context() -> ssl.SSLContext:
    """Certificates from SSL_CERT_FILE/SSL_CERT_DIR when set, else certifi's bundle.

    One context serves every pool: loading a CA bundle costs about 15 ms each time.
    """
    import os

    if os.environ.get("SSL_CERT_FILE") or os.environ.get("SSL_CERT_DIR"):
        context = ssl.create_default_context()
    else:
        import certifi

        context = ssl.create_default_context(cafile=certifi.where())
    context.set_alpn_protocols(["http/1.1"])
    return context
