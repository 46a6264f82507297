"""What a request that got no HTTP answer came to, as a value.

httpcore's exceptions, and the OS errors under them, end here: ``failure_from`` names
each as a FailureKind with one sentence for people, and says whether it points at the
network path (what the outage check counts) and whether a retry may help.
"""

from __future__ import annotations

import errno
import ssl
from dataclasses import dataclass

import httpcore

from catalogbot.check.backend import BlockedError, UnresolvedError
from catalogbot.check.result import FailureKind


@dataclass(frozen=True)
class TransportFailure:
    """A request that got no HTTP answer, as a value."""

    kind: FailureKind
    message: str
    network_level: bool = False
    """Whether the failure says the network path is broken (DNS or connect): what the
    outage check counts."""
    retryable: bool = False


def _chain(exc: BaseException) -> list[BaseException]:
    chain: list[BaseException] = []
    cursor: BaseException | None = exc
    while cursor is not None and len(chain) < 10:
        chain.append(cursor)
        cursor = cursor.__cause__ or cursor.__context__
    return chain


def failure_from(exc: BaseException, host: str) -> TransportFailure:
    """Name what went wrong, from httpcore's exception and the OS error under it."""
    if isinstance(exc, BlockedError):
        return TransportFailure(FailureKind.BLOCKED_ADDRESS, str(exc))
    if isinstance(exc, UnresolvedError):
        return TransportFailure(
            FailureKind.DNS, str(exc), network_level=True, retryable=exc.temporary
        )
    chain = _chain(exc)
    for cause in chain:
        if isinstance(cause, ssl.SSLCertVerificationError):
            return TransportFailure(
                FailureKind.TLS, f"TLS certificate problem: {cause.verify_message or cause.reason}"
            )
        if isinstance(cause, ssl.SSLError):
            return TransportFailure(
                FailureKind.TLS, f"TLS handshake failed: {cause.reason or cause}"
            )
    if isinstance(exc, httpcore.ConnectTimeout):
        return TransportFailure(
            FailureKind.TIMEOUT,
            f"connecting to {host} timed out",
            network_level=True,
            retryable=True,
        )
    if isinstance(exc, httpcore.TimeoutException):
        return TransportFailure(FailureKind.TIMEOUT, "the server stopped answering", retryable=True)
    for cause in chain:
        if isinstance(cause, ConnectionRefusedError):
            return TransportFailure(
                FailureKind.CONNECTION_REFUSED,
                f"{host} refused the connection",
                network_level=True,
                retryable=True,
            )
        if isinstance(cause, ConnectionResetError | BrokenPipeError):
            return TransportFailure(
                FailureKind.CONNECTION_RESET, "the connection was reset", retryable=True
            )
        if isinstance(cause, OSError) and cause.errno in (
            errno.ENETUNREACH,
            errno.EHOSTUNREACH,
            errno.EADDRNOTAVAIL,
            errno.ENETDOWN,
        ):
            return TransportFailure(
                FailureKind.CONNECTION_FAILED,
                f"{host} cannot be reached ({cause.strerror})",
                network_level=True,
                retryable=True,
            )
    if isinstance(exc, httpcore.ConnectError):
        return TransportFailure(
            FailureKind.CONNECTION_FAILED,
            f"cannot connect to {host} ({exc})",
            network_level=True,
            retryable=True,
        )
    if isinstance(exc, httpcore.RemoteProtocolError):
        return TransportFailure(
            FailureKind.PROTOCOL, f"the server broke the HTTP protocol ({exc})", retryable=True
        )
    if isinstance(exc, httpcore.ReadError | httpcore.WriteError):
        return TransportFailure(
            FailureKind.CONNECTION_RESET, "the connection was lost", retryable=True
        )
    return TransportFailure(
        FailureKind.PROTOCOL, f"the request failed ({type(exc).__name__}: {exc})"
    )
