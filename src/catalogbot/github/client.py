"""A small GitHub REST client: authentication, pagination, rate limits, retries.

Everything that goes wrong here becomes a GitHubError with a message a maintainer can act
on; httpx's exceptions do not leave this module, and the token never appears in any
message, log or exception.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import httpx

from catalogbot import __version__
from catalogbot.errors import CatalogbotError

API_VERSION = "2022-11-28"
DEFAULT_API_URL = "https://api.github.com"
MAX_WAIT = 300.0
"""Longest pause for a rate limit; a longer one fails the action instead."""
RETRIES = 3
_NEXT = re.compile(r'<([^>]+)>;\s*rel="next"')

PERMISSIONS = (
    ("/pulls", "pull-requests: write"),
    ("/issues", "issues: write"),
    ("/labels", "issues: write"),
    ("/git/", "contents: write"),
    ("/contents/", "contents: write"),
)
"""Which workflow permission a request path needs, for messages about a 403."""


class GitHubError(CatalogbotError):
    """A request to GitHub failed; ``status`` is its HTTP status (0 without one)."""

    def __init__(self, message: str, status: int = 0) -> None:
        super().__init__(message)
        self.status = status


class GitHubAuthError(GitHubError):
    """The token is missing, invalid or lacks a permission: no further request can help."""


class NotFoundError(GitHubError):
    """The thing asked for does not exist (404)."""


def _permission_for(path: str) -> str:
    for fragment, permission in PERMISSIONS:
        if fragment in path:
            return permission
    return "the permission this request needs"


class GitHubClient:
    """Talks to one repository's REST API; ``sleep`` and ``clock`` are injectable for tests."""

    def __init__(
        self,
        token: str,
        repository: str,
        api_url: str = DEFAULT_API_URL,
        *,
        write_interval: float = 1.0,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self._token = token
        self.repository = repository
        self._sleep = sleep
        self._clock = clock
        self._write_interval = write_interval
        self._last_write = 0.0
        self._http = httpx.Client(
            base_url=api_url.rstrip("/"),
            headers={
                "Authorization": f"Bearer {token}",
                "Accept": "application/vnd.github+json",
                "X-GitHub-Api-Version": API_VERSION,
                "User-Agent": f"catalogbot/{__version__}",
            },
            timeout=httpx.Timeout(30.0),
            transport=transport,
            follow_redirects=False,
        )

    def close(self) -> None:
        self._http.close()

    def _redact(self, text: str) -> str:
        return text.replace(self._token, "***") if self._token else text

    def repo_path(self, suffix: str = "") -> str:
        """``/repos/OWNER/NAME`` followed by ``suffix``."""
        return f"/repos/{self.repository}{suffix}"

    def _wait_for(self, response: httpx.Response) -> float | None:
        """Seconds a rate-limited answer asks us to wait, or None when it is no rate limit."""
        if response.status_code not in (403, 429):
            return None
        headers = response.headers
        retry_after = headers.get("retry-after", "").strip()
        if retry_after.isascii() and retry_after.isdigit():
            return float(retry_after)
        if headers.get("x-ratelimit-remaining") == "0":
            reset = headers.get("x-ratelimit-reset", "")
            if reset.isascii() and reset.isdigit():
                return max(1.0, float(reset) - self._clock())
            return 60.0
        message = _message(response).lower()
        if "secondary rate limit" in message or response.status_code == 429:
            return 60.0  # GitHub asks for at least a minute when it gives no time
        return None

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str | int] | None = None,
        json: Any = None,
    ) -> httpx.Response:
        """Send one request with rate limits and server errors handled; raise GitHubError."""
        writing = method != "GET"
        if writing and self._write_interval:
            pause = self._last_write + self._write_interval - self._clock()
            if pause > 0:
                self._sleep(pause)
        failures = 0
        while True:
            try:
                response = self._http.request(method, path, params=params, json=json)
            except httpx.HTTPError as error:
                failures += 1
                unsent = isinstance(error, httpx.ConnectError | httpx.ConnectTimeout)
                if failures > RETRIES or (method == "POST" and not unsent):
                    # A POST that may have reached GitHub is not sent again here; its
                    # caller looks whether it took effect first.
                    raise GitHubError(
                        f"{method} {path}: no answer from GitHub ({type(error).__name__})"
                    ) from None
                self._sleep(2.0**failures)
                continue
            if writing:
                self._last_write = self._clock()
            wait = self._wait_for(response)
            if wait is not None:
                failures += 1
                if wait > MAX_WAIT or failures > RETRIES:
                    raise GitHubError(
                        f"{method} {path}: GitHub's rate limit asks to wait {wait:.0f} s; "
                        "try again later",
                        response.status_code,
                    )
                self._sleep(wait)
                continue
            if response.status_code >= 500 and method != "POST":
                # A POST may have taken effect before the error; its caller decides
                # whether to look and try again, so that nothing is created twice.
                failures += 1
                if failures > RETRIES:
                    raise GitHubError(
                        f"{method} {path}: GitHub answered {response.status_code} {failures} times",
                        response.status_code,
                    )
                self._sleep(2.0**failures)
                continue
            self._raise_for(method, path, response)
            return response

    def _raise_for(self, method: str, path: str, response: httpx.Response) -> None:
        status = response.status_code
        if status < 300:
            return
        message = self._redact(_message(response))
        where = f"{method} {path}"
        if status == 401:
            raise GitHubAuthError(
                f"{where}: GitHub refused the token ({message}); check GITHUB_TOKEN", status
            )
        if status == 403:
            raise GitHubAuthError(
                f"{where}: GitHub says the token may not do this ({message}); the workflow "
                f"needs '{_permission_for(path)}' (and, for pull requests, the repository "
                "setting that allows GitHub Actions to create them)",
                status,
            )
        if status == 404:
            raise NotFoundError(f"{where}: not found ({message})", status)
        raise GitHubError(f"{where}: GitHub answered {status} ({message})", status)

    def get(self, path: str, params: Mapping[str, str | int] | None = None) -> Any:
        return self.request("GET", path, params=params).json()

    def paginate(self, path: str, params: Mapping[str, str | int] | None = None) -> Iterator[Any]:
        """Every item of a list endpoint, following ``Link: rel="next"``."""
        response = self.request("GET", path, params={"per_page": 100, **(params or {})})
        while True:
            yield from response.json()
            match = _NEXT.search(response.headers.get("link", ""))
            if match is None:
                return
            following = httpx.URL(match.group(1))
            if following.host != self._http.base_url.host:
                raise GitHubError(f"GET {path}: the next page is on another host; not following")
            response = self.request("GET", str(following))

    def post(self, path: str, body: Any) -> Any:
        return self.request("POST", path, json=body).json()

    def patch(self, path: str, body: Any) -> Any:
        return self.request("PATCH", path, json=body).json()

    def put(self, path: str, body: Any) -> Any:
        return self.request("PUT", path, json=body).json()

    def delete(self, path: str) -> None:
        self.request("DELETE", path)


def _message(response: httpx.Response) -> str:
    try:
        data = response.json()
    except ValueError:
        return response.reason_phrase or str(response.status_code)
    if isinstance(data, dict) and isinstance(data.get("message"), str):
        return str(data["message"])[:300]
    return response.reason_phrase or str(response.status_code)
