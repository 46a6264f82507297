"""The error replies the fake gives, shaped like GitHub's.

Two families: ``ApiError`` is a refusal a correct client can meet in normal work (a
missing issue, a label that already exists, a stale file sha); ``RejectedError`` is a request
that GitHub's OpenAPI description does not allow at all, so it is always a client bug
and is recorded in ``FakeGitHub.rejections``.
"""

from __future__ import annotations

from typing import Any

DOCS_URL = "https://docs.github.com/rest"


class ApiError(Exception):
    """A reply GitHub gives when it refuses a request; raising it changes no state."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        errors: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
        documentation_url: str = DOCS_URL,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.errors = errors
        self.headers = dict(headers or {})
        self.documentation_url = documentation_url

    def payload(self) -> dict[str, Any]:
        """The JSON body, with the fields GitHub puts in every error."""
        body: dict[str, Any] = {"message": self.message}
        if self.errors is not None:
            body["errors"] = self.errors
        body["documentation_url"] = self.documentation_url
        body["status"] = str(self.status)
        return body


class RejectedError(ApiError):
    """A request outside GitHub's OpenAPI description: always a client bug.

    ``kind`` names what was wrong (``unknown_route``, ``unknown_method``, ``path_param``,
    ``query_param``, ``body``, ``auth``, ``api_version``, ``unknown_repo``,
    ``not_served``) and ``reason`` says it in words for the test's failure message.
    """

    def __init__(
        self,
        status: int,
        message: str,
        *,
        kind: str,
        reason: str,
        errors: list[dict[str, Any]] | None = None,
    ) -> None:
        super().__init__(status, message, errors=errors)
        self.kind = kind
        self.reason = reason


def not_found() -> ApiError:
    """GitHub's answer for a resource that does not exist."""
    return ApiError(404, "Not Found")


def invalid(resource: str, field: str, code: str = "invalid", **extra: Any) -> ApiError:
    """A 422 ``Validation Failed`` naming one field, as GitHub reports semantic errors."""
    error: dict[str, Any] = {"resource": resource, "code": code, "field": field, **extra}
    return ApiError(422, "Validation Failed", errors=[error])


def custom(resource: str, message: str) -> ApiError:
    """A 422 ``Validation Failed`` whose error carries its own message (code ``custom``)."""
    error = {"resource": resource, "code": "custom", "message": message}
    return ApiError(422, "Validation Failed", errors=[error])


def unprocessable(message: str) -> ApiError:
    """A bare 422 with a message, as the git and contents endpoints answer."""
    return ApiError(422, message)


def not_served(what: str) -> RejectedError:
    """A valid request the fake does not implement: extend the fake rather than the client."""
    return RejectedError(
        501,
        f"fakegithub does not implement {what}",
        kind="not_served",
        reason=f"valid on GitHub, but the fake does not implement {what}",
    )
