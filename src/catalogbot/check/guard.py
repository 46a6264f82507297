"""The private-address guard: catalog URLs come from strangers, so where may a request go?

A catalog entry such as ``http://169.254.169.254/latest/meta-data/`` would make the bot
read the cloud runner's credentials and publish them in an issue. Every host is resolved
first, every address it resolves to is judged here, and the request is then sent to an
address that passed, so a second, different DNS answer cannot slip past the check.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from dataclasses import dataclass

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_BLOCKED_V4 = [
    (ipaddress.ip_network(net), why)
    for net, why in (
        ("0.0.0.0/8", "this-network"),
        ("10.0.0.0/8", "private"),
        ("100.64.0.0/10", "carrier-grade NAT"),
        ("127.0.0.0/8", "loopback"),
        ("169.254.0.0/16", "link-local (cloud metadata)"),
        ("172.16.0.0/12", "private"),
        ("192.0.0.0/24", "IETF protocol assignments"),
        ("192.0.2.0/24", "documentation"),
        ("192.88.99.0/24", "6to4 relay"),
        ("192.168.0.0/16", "private"),
        ("198.18.0.0/15", "benchmarking"),
        ("198.51.100.0/24", "documentation"),
        ("203.0.113.0/24", "documentation"),
        ("224.0.0.0/4", "multicast"),
        ("240.0.0.0/4", "reserved"),
        ("255.255.255.255/32", "broadcast"),
    )
]
_BLOCKED_V6 = [
    (ipaddress.ip_network(net), why)
    for net, why in (
        ("::/128", "unspecified"),
        ("::1/128", "loopback"),
        ("100::/64", "discard"),
        ("2001:db8::/32", "documentation"),
        ("fc00::/7", "unique local (private)"),
        ("::ffff:0:0:0/96", "IPv4-translated"),
        ("fe80::/10", "link-local"),
        ("fec0::/10", "site-local"),
        ("ff00::/8", "multicast"),
    )
]
_NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))
CLOUD_METADATA = frozenset(
    ipaddress.ip_address(a)
    for a in (
        "169.254.169.254",  # AWS, Azure, Google Cloud, DigitalOcean, Oracle...
        "169.254.170.2",  # AWS container credentials
        "169.254.170.23",  # AWS EKS pod identity
        "100.100.100.200",  # Alibaba Cloud
        "fd00:ec2::254",  # AWS over IPv6
        "fd00:ec2::23",
    )
)
"""Where cloud machines hand out their credentials: refused even with --allow-private,
which is for tests and intranets, never for reading the runner's secrets."""
_SIX_TO_FOUR = ipaddress.ip_network("2002::/16")


def blocked_because(address: IPAddress) -> str | None:
    """Why a request must not go to ``address``, or None when it may."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = _embedded_v4(address)
        if embedded is not None:
            why = blocked_because(embedded)
            return f"{why} (inside an IPv6 address)" if why else None
        for network, why in _BLOCKED_V6:
            if address in network:
                return why
        return None if address.is_global else "not globally routable"
    for network, why in _BLOCKED_V4:
        if address in network:
            return why
    return None


def metadata_because(address: IPAddress) -> str | None:
    """Why ``address`` is refused even when private addresses are allowed, or None."""
    if isinstance(address, ipaddress.IPv6Address):
        address = ipaddress.IPv6Address(address.packed)  # without a zone id
        embedded = _embedded_v4(address)
        if embedded is not None:
            return metadata_because(embedded)
    return "cloud metadata service" if address in CLOUD_METADATA else None


def _embedded_v4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address that an IPv4-mapped, -compatible, NAT64 or 6to4 address reaches."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if any(address in network for network in _NAT64):  # well-known and local-use NAT64
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    packed = int(address)
    if packed >> 32 == 0 and packed > 1:  # deprecated IPv4-compatible ::a.b.c.d
        return ipaddress.IPv4Address(packed)
    return None


class ResolveError(Exception):
    """The host name does not resolve; ``temporary`` for a resolver failure, not NXDOMAIN."""

    def __init__(self, message: str, *, temporary: bool) -> None:
        super().__init__(message)
        self.temporary = temporary


@dataclass(frozen=True)
class Resolution:
    """The addresses a host may be reached at, and those the guard refused."""

    allowed: tuple[str, ...]
    refused: tuple[tuple[str, str], ...]
    """(address, why) for each address the guard refused."""


def literal_address(host: str) -> IPAddress | None:
    """The address when ``host`` is an IP literal (brackets allowed), else None."""
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


async def resolve(host: str, port: int, *, allow_private: bool) -> Resolution:
    """Resolve ``host`` and sort its addresses into allowed and refused.

    Raises ResolveError when the name does not resolve at all.
    """
    literal = literal_address(host)
    if literal is not None:
        candidates = [literal]
    else:
        loop = asyncio.get_running_loop()
        try:
            infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except socket.gaierror as error:
            temporary = error.errno in (socket.EAI_AGAIN, getattr(socket, "EAI_SYSTEM", -11))
            raise ResolveError(
                f"the name {host} does not resolve ({error.strerror or error})",
                temporary=temporary,
            ) from None
        except UnicodeError:
            raise ResolveError(
                f"the name {host} is not a valid host name", temporary=False
            ) from None
        seen: dict[str, IPAddress] = {}
        for family, _, _, _, sockaddr in infos:
            if family in (socket.AF_INET, socket.AF_INET6):
                text = str(sockaddr[0]).split("%", 1)[0]
                seen.setdefault(text, ipaddress.ip_address(text))
        candidates = list(seen.values())
    allowed: list[str] = []
    refused: list[tuple[str, str]] = []
    for address in candidates:
        why = metadata_because(address) if allow_private else blocked_because(address)
        if why is None:
            allowed.append(str(address))
        else:
            refused.append((str(address), why))
    return Resolution(tuple(allowed), tuple(refused))
