"""What a handler receives (a validated call) and returns (a reply), and pagination."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar
from urllib.parse import urlencode

from .errors import RejectedError
from .model import User, parse_iso
from .spec import Operation
from .state import RepoState

T = TypeVar("T")

MAX_PER_PAGE = 100


@dataclass(frozen=True)
class Call:
    """A request that passed routing and validation.

    ``params`` and ``query`` are converted to their declared types, with defaults for
    absent query parameters; ``query_pairs`` is the query string as sent, kept for
    building pagination links.
    """

    operation: Operation
    path: str
    params: dict[str, Any]
    query: dict[str, Any]
    query_pairs: list[tuple[str, str]]
    body: Any
    user: User


@dataclass
class Reply:
    """A response: status, JSON body (``None`` for no body) and extra headers."""

    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)


Handler = Callable[[RepoState, Call], Reply]


def paginate(
    state: RepoState,
    call: Call,
    items: Sequence[T],
    render: Callable[[T], Any],
) -> Reply:
    """One page of ``items`` with a ``Link`` header like GitHub's.

    ``per_page`` is capped at 100 as GitHub caps it; a page past the end is empty.
    """
    per_page = min(max(int(call.query.get("per_page", 30)), 1), MAX_PER_PAGE)
    page = max(int(call.query.get("page", 1)), 1)
    last = max(1, -(-len(items) // per_page))
    chunk = items[(page - 1) * per_page : page * per_page]
    headers = {}
    link = _link_header(state, call, page, last)
    if link:
        headers["link"] = link
    return Reply(200, [render(item) for item in chunk], headers)


def _link_header(state: RepoState, call: Call, page: int, last: int) -> str:
    """``<url>; rel="..."`` entries for the pages around ``page``."""
    kept = [(k, v) for k, v in call.query_pairs if k != "page"]

    def url(number: int) -> str:
        query = urlencode([*kept, ("page", str(number))])
        return f"{state.api_url}{call.path}?{query}"

    links = []
    if page > 1:
        links.append(f'<{url(min(page - 1, last))}>; rel="prev"')
    if page < last:
        links.append(f'<{url(page + 1)}>; rel="next"')
        links.append(f'<{url(last)}>; rel="last"')
    if page > 1:
        links.append(f'<{url(1)}>; rel="first"')
    return ", ".join(links)


def since(call: Call, name: str = "since") -> datetime | None:
    """A date-time query parameter, refused as GitHub's description requires."""
    text = call.query.get(name)
    if text is None:
        return None
    try:
        return parse_iso(str(text))
    except ValueError:
        reason = f"query parameter {name}={text!r} is not an ISO 8601 date-time"
        raise RejectedError(422, "Validation Failed", kind="query_param", reason=reason) from None
