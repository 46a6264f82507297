"""Failures a test can inject, and the rate-limit bookkeeping behind GitHub's headers."""

from __future__ import annotations

import enum
import time
from dataclasses import dataclass
from fnmatch import fnmatchcase

from .calls import Reply
from .errors import DOCS_URL

RATE_DOCS = "https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api"
SECONDARY_MESSAGE = (
    "You have exceeded a secondary rate limit. Please wait a few minutes before you try "
    "again. If you reach out to GitHub Support for help, please include the request ID {id}."
)


class Fault(enum.Enum):
    """The failures GitHub really produces, each as it looks on the wire."""

    BAD_GATEWAY = "502 Bad Gateway"
    SECONDARY_RATE_LIMIT = "403 with retry-after: secondary rate limit"
    PRIMARY_RATE_LIMIT = "403 with x-ratelimit-remaining: 0: primary rate limit"
    FORBIDDEN = "403 Resource not accessible by integration"
    TOO_MANY_REQUESTS = "429 with retry-after"
    NOT_FOUND = "404 Not Found (a branch deleted between two reads, a hiccup of a replica)"


@dataclass
class Injection:
    """Fail the next ``times`` requests matching ``method`` and ``path``.

    ``path`` is a shell-style pattern over the request path (``*`` crosses slashes,
    e.g. ``/repos/octo/catalog/issues/*``) or an OpenAPI template
    (``/repos/{owner}/{repo}/issues``); ``method`` is ``"*"`` for any.
    """

    fault: Fault
    method: str
    path: str
    times: int
    retry_after: int = 1
    reset_in: int = 60
    used: int = 0

    @property
    def remaining(self) -> int:
        """How many more requests this injection will fail."""
        return self.times - self.used

    def matches(self, method: str, path: str, template: str) -> bool:
        """Whether this injection fails a ``method`` request to ``path``."""
        if self.remaining <= 0 or self.method not in ("*", method.upper()):
            return False
        return fnmatchcase(path, self.path) or self.path == template


class RateLimit:
    """The core rate limit: 5000 requests an hour, counted per request as GitHub counts."""

    def __init__(self, limit: int = 5000) -> None:
        self.limit = limit
        self.used = 0
        self.reset = int(time.time()) + 3600

    @property
    def remaining(self) -> int:
        """Requests left in this window."""
        return max(self.limit - self.used, 0)

    def consume(self) -> bool:
        """Count one request; ``False`` when the window is spent (GitHub answers 403)."""
        if time.time() >= self.reset:
            self.used, self.reset = 0, int(time.time()) + 3600
        if self.remaining == 0:
            return False
        self.used += 1
        return True

    def headers(self) -> dict[str, str]:
        """The ``x-ratelimit-*`` headers every GitHub response carries."""
        return {
            "x-ratelimit-limit": str(self.limit),
            "x-ratelimit-remaining": str(self.remaining),
            "x-ratelimit-reset": str(self.reset),
            "x-ratelimit-used": str(self.used),
            "x-ratelimit-resource": "core",
        }


def primary_limit_reply(rate: RateLimit, reset: int) -> Reply:
    """403 for a spent primary rate limit: remaining 0 and the reset time."""
    body = {
        "message": "API rate limit exceeded for installation ID 4242.",
        "documentation_url": f"{RATE_DOCS}#about-primary-rate-limits",
        "status": "403",
    }
    headers = {
        **rate.headers(),
        "x-ratelimit-remaining": "0",
        "x-ratelimit-used": str(rate.limit),
        "x-ratelimit-reset": str(reset),
    }
    return Reply(403, body, headers)


def permission_for(operation_id: str, method: str) -> str:
    """The fine-grained permission GitHub names in ``x-accepted-github-permissions``."""
    area = operation_id.split("/", 1)[0]
    scope = {"issues": "issues", "pulls": "pull_requests", "git": "contents"}.get(area, "contents")
    if operation_id == "repos/get":
        scope = "metadata"
    return f"{scope}={'read' if method == 'GET' else 'write'}"


def fault_reply(
    injection: Injection, request_id: str, rate: RateLimit, operation_id: str, method: str
) -> Reply:
    """The response for a request failed by ``injection``."""
    fault = injection.fault
    retry = {"retry-after": str(injection.retry_after)}
    if fault is Fault.BAD_GATEWAY:
        return Reply(502, {"message": "Server Error", "status": "502"})
    if fault is Fault.NOT_FOUND:
        return Reply(404, {"message": "Not Found", "documentation_url": DOCS_URL, "status": "404"})
    if fault is Fault.PRIMARY_RATE_LIMIT:
        return primary_limit_reply(rate, int(time.time()) + injection.reset_in)
    if fault is Fault.FORBIDDEN:
        body = {
            "message": "Resource not accessible by integration",
            "documentation_url": DOCS_URL,
            "status": "403",
        }
        permission = permission_for(operation_id, method)
        return Reply(403, body, {"x-accepted-github-permissions": permission})
    status = 403 if fault is Fault.SECONDARY_RATE_LIMIT else 429
    body = {
        "message": SECONDARY_MESSAGE.format(id=request_id),
        "documentation_url": f"{RATE_DOCS}#about-secondary-rate-limits",
        "status": str(status),
    }
    return Reply(status, body, retry)
