"""What makes a catalog URL acceptable, and when two URLs name the same page."""

from __future__ import annotations

from urllib.parse import SplitResult, urlsplit

MAX_URL_LENGTH = 2048
DEFAULT_PORTS = {"http": 80, "https": 443}


def url_problem(url: str) -> str | None:
    """Why ``url`` cannot be a catalog link, or None when it can."""
    if len(url) > MAX_URL_LENGTH:
        return f"URL is longer than {MAX_URL_LENGTH} characters"
    for char in url:
        if char.isspace():
            return "URL contains whitespace; encode a space as %20"
        if ord(char) < 0x20 or 0x7F <= ord(char) < 0xA0:
            return f"URL contains the control character U+{ord(char):04X}"
    if "\\" in url:
        return "URL contains a backslash; use / in URLs"
    try:
        parts = urlsplit(url)
    except ValueError as error:
        return f"URL cannot be parsed ({error})"
    if parts.scheme.lower() not in DEFAULT_PORTS:
        return "URL must start with http:// or https://"
    if not url.lower().startswith(f"{parts.scheme.lower()}://"):
        return "URL must start with http:// or https://"
    if "@" in parts.netloc:
        return "URL must not carry a user name or password (user:pass@)"
    if not parts.hostname:
        return "URL has no host name"
    try:
        parts.port  # noqa: B018 - raises for a port that is out of range or not a number
    except ValueError:
        return "URL has an invalid port"
    return _host_problem(parts.hostname)


def _host_problem(host: str) -> str | None:
    if host.startswith("[") or ":" in host:  # an IPv6 literal, already checked by urlsplit
        return None
    if host.endswith("."):
        host = host[:-1]
    try:
        ascii_host = host.encode("idna").decode("ascii")
    except UnicodeError:
        return f"URL host {host!r} is not a valid host name"
    labels = ascii_host.split(".")
    for label in labels:
        if not label or len(label) > 63:
            return f"URL host {host!r} is not a valid host name"
        if not all(c.isalnum() or c in "-_" for c in label) or label.startswith("-"):
            return f"URL host {host!r} is not a valid host name"
    return None


def _host_for(parts: SplitResult) -> str:
    host = (parts.hostname or "").lower().rstrip(".")
    return f"[{host}]" if ":" in host else host


def normalise_url(url: str) -> str:
    """A form of ``url`` under which two spellings of the same link compare equal.

    Scheme and host are case-insensitive, a default port is the same as none, an empty
    path is the root, and the fragment never reaches the server.
    """
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    port = parts.port
    netloc = _host_for(parts)
    if port is not None and port != DEFAULT_PORTS.get(scheme):
        netloc = f"{netloc}:{port}"
    path = parts.path or "/"
    query = f"?{parts.query}" if parts.query else ""
    return f"{scheme}://{netloc}{path}{query}"


def origin_of(url: str) -> str:
    """``scheme://host[:port]`` of a URL: the unit that limits, probes and pools are kept for."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    port = parts.port or DEFAULT_PORTS.get(scheme, 0)
    return f"{scheme}://{_host_for(parts)}:{port}"
