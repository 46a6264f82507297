"""Finding an archived copy of a broken page: the Internet Archive's availability API,
behind a one-method interface so sync can run without it and tests can use a loopback
server."""

from __future__ import annotations

from typing import Any, Protocol

import httpx

WAYBACK_API = "https://archive.org/wayback/available"


class Archive(Protocol):
    """Where to look for an archived copy of a page."""

    def closest(self, url: str) -> str | None:
        """The address of the closest archived copy of ``url``; None when there is none
        or the archive cannot be asked (never fatal)."""


class NoArchive:
    """An archive that never has anything (lookups turned off)."""

    def closest(self, url: str) -> str | None:  # noqa: ARG002 (the interface's argument)
        return None


class Wayback:
    """The Internet Archive's Wayback Machine availability API."""

    def __init__(self, endpoint: str = WAYBACK_API, *, timeout: float = 10.0) -> None:
        self.endpoint = endpoint
        self.timeout = timeout

    def closest(self, url: str) -> str | None:
        try:
            response = httpx.get(self.endpoint, params={"url": url}, timeout=self.timeout)
            response.raise_for_status()
            data: Any = response.json()
            closest = data["archived_snapshots"]["closest"]
        except (httpx.HTTPError, ValueError, KeyError, TypeError):
            return None
        if not isinstance(closest, dict) or closest.get("available") is not True:
            return None
        found = closest.get("url")
        if not isinstance(found, str) or not found.startswith(("http://", "https://")):
            return None
        return found


def archive_from(setting: str | None) -> Archive:
    """The archive a setting names: unset is the Wayback Machine, empty turns lookups
    off, anything else is another endpoint of the same API."""
    if setting is None:
        return Wayback()
    return Wayback(setting) if setting else NoArchive()
