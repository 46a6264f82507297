"""Hidden markers in issue and pull request bodies: how the bot finds its own work again.

GitHub is the bot's memory. An entry's issue carries ``<!-- catalogbot:entry=ID ... -->``
with the status it last reported; the dashboard issue carries the failure streaks that
``--confirm-runs`` needs as JSON in ``<!-- catalogbot:state ... -->``.

Everything read back is parsed into typed values. Bodies can be edited by anyone with
write access, so whatever does not parse (an unknown status, a value with characters
the bot never writes) is dropped and named in a warning, never a crash.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import quote, unquote

from catalogbot.check.result import Reason, Status

LABEL = "catalogbot"
DASHBOARD_MARKER = "<!-- catalogbot:dashboard -->"
MAX_STATE_CHARS = 50_000
"""The state must fit in the dashboard's body (GitHub allows 65,536 characters)."""

_ENTRY = re.compile(r"<!-- catalogbot:entry=([a-z0-9-]{1,80})((?: [a-z_]+=[^\s>]{0,300}){0,8}) -->")
_STATE = re.compile(r"<!-- catalogbot:state (\{.*?\}) -->", re.DOTALL)
_FIXES = re.compile(r"<!-- catalogbot:fixes=([a-z0-9-]{1,80})(?: change=([0-9a-f]{16}))? -->")
_PR = re.compile(r"<!-- catalogbot:pr=([a-z]+) digest=([0-9a-f]{16}) -->")
_TAG = re.compile(r"[0-9a-f]{16}\Z")
_REASON = re.compile(r"[^\x00-\x1f\x7f]{1,100}\Z")
"""A reason as the bot could have written it: printable, one line, not too long."""


def url_tag(url: str) -> str:
    """A short digest of a URL, recorded so a 'not planned' issue stays quiet until it changes."""
    return change_tag(url)


def _encode(value: str) -> str:
    """A marker value that holds no space, ``>`` or ``-``: percent-encoded."""
    return quote(value, safe="_.~").replace("-", "%2D")


@dataclass(frozen=True)
class EntryMarker:
    """What an entry's issue last said about it."""

    entry: str
    url: str = ""
    """The url_tag of the URL the issue was about."""
    status: Status | None = None
    """None when the issue's marker holds no status the bot knows."""
    reason: Reason | None = None
    """None when the issue's marker holds no reason this version knows."""
    pull: int | None = None
    """The fix pull request the issue links, if any."""
    found: str = ""
    """The url_tag of the new address the issue reports for a broken resource, if any."""

    def render(self) -> str:
        status = self.status.value if self.status else ""
        reason = self.reason.value if self.reason else ""
        pull = f" pull={self.pull}" if self.pull is not None else ""
        pull += f" found={self.found}" if self.found else ""
        return (
            f"<!-- catalogbot:entry={self.entry} url={self.url} status={status} "
            f"reason={_encode(reason)}{pull} -->"
        )


def parse_entry(body: str | None) -> EntryMarker | None:
    """The entry marker of an issue body, or None when there is none.

    Only the entry id must be well formed (it is how the bot finds its issue); a status
    or reason it cannot read counts as unknown, which at worst adds one comment.
    """
    match = _ENTRY.search(body or "")
    if match is None:
        return None
    fields = dict(part.split("=", 1) for part in match.group(2).split())
    url = fields.get("url", "")
    try:
        status: Status | None = Status(fields.get("status", ""))
    except ValueError:
        status = None
    pull = fields.get("pull", "")
    return EntryMarker(
        match.group(1),
        url if _TAG.match(url) else "",
        status,
        known_reason(unquote(fields.get("reason", ""))),
        int(pull) if pull.isascii() and pull.isdigit() and len(pull) < 10 else None,
        found if _TAG.match(found := fields.get("found", "")) else "",
    )


def known_reason(text: str) -> Reason | None:
    """``text`` as a Reason, or None when this version does not know it."""
    try:
        return Reason(text) if _REASON.match(text) else None
    except ValueError:
        return None


@dataclass(frozen=True)
class Streak:
    """Consecutive runs an entry has needed attention, and since when."""

    status: Status
    reason: Reason
    since: str
    """When the streak began (ISO 8601, UTC)."""
    runs: int
    url: str
    """url_tag of the URL that failed."""


@dataclass
class DashboardState:
    """What the dashboard remembers between runs."""

    streaks: dict[str, Streak] = field(default_factory=dict)
    last_run: str = ""
    """The check run the streaks last counted (its finished_at), so that syncing the same
    results again does not count it twice."""
    warnings: list[str] = field(default_factory=list, compare=False)
    """What could not be read back and was dropped."""

    def _text(self, keys: list[str]) -> str:
        """The state as compact JSON, remembering only the streaks of ``keys``."""
        data: dict[str, Any] = {
            "v": 1,
            "s": {
                key: [s.status.value, s.reason.value, s.since, s.runs, s.url]
                for key in sorted(keys)
                for s in (self.streaks[key],)
            },
        }
        if self.last_run:
            data["r"] = self.last_run
        return json.dumps(data, sort_keys=True, separators=(",", ":"))

    def render(self) -> str:
        """The hidden state as one compact comment: ``id: [status, reason, since, runs,
        url tag]`` per entry."""
        # Too many failing entries to remember: the newest streaks are forgotten first.
        # The longest run of oldest ones that fits is found by halving (dropping one at a
        # time and measuring again took minutes for 10,000 failing entries).
        oldest_first = sorted(self.streaks, key=lambda key: (self.streaks[key].since, key))
        text = self._text(oldest_first)
        if len(text) > MAX_STATE_CHARS:
            fits, too_many = 0, len(oldest_first)
            while too_many - fits > 1:  # _text(first fits) fits; _text(first too_many) not
                middle = (fits + too_many) // 2
                if len(self._text(oldest_first[:middle])) <= MAX_STATE_CHARS:
                    fits = middle
                else:
                    too_many = middle
            text = self._text(oldest_first[:fits])
        # "-->" must never appear inside the comment; JSON allows escaping ">".
        return f"<!-- catalogbot:state {text.replace('>', chr(92) + 'u003e')} -->"


def _streak(value: Any) -> Streak:
    """One stored streak; ValueError naming what is wrong with it."""
    if not isinstance(value, list) or len(value) != 5:
        raise ValueError("not a list of five values")
    status, reason, since, runs, url = value
    try:
        known = Status(status)
    except ValueError:
        raise ValueError(f"unknown status {str(status)[:40]!r}") from None
    known_why = known_reason(reason) if isinstance(reason, str) else None
    if known_why is None:
        raise ValueError(f"unknown reason {str(reason)[:40]!r}")
    if not isinstance(since, str):
        raise ValueError("no start time")
    try:
        datetime.fromisoformat(since)
    except ValueError:
        raise ValueError(f"unreadable start time {since[:40]!r}") from None
    if not isinstance(runs, int) or isinstance(runs, bool) or runs < 1:
        raise ValueError(f"unreadable count of runs {str(runs)[:20]!r}")
    if not isinstance(url, str) or not _TAG.match(url):
        raise ValueError("unreadable link tag")
    return Streak(known, known_why, since, runs, url)


def parse_state(body: str | None) -> DashboardState:
    """The streaks recorded in a dashboard body; what is malformed is dropped, with a
    warning for each."""
    match = _STATE.search(body or "")
    if match is None:
        return DashboardState()
    if len(match.group(1)) > 2 * MAX_STATE_CHARS:
        return DashboardState(warnings=["the dashboard's saved state is too large; started afresh"])
    try:
        data: Any = json.loads(match.group(1))
    except ValueError:
        return DashboardState(warnings=["the dashboard's saved state is not JSON; started afresh"])
    if not isinstance(data, dict):
        return DashboardState(warnings=["the dashboard's saved state is unreadable"])
    state = DashboardState()
    raw = data.get("s")
    for key, value in raw.items() if isinstance(raw, dict) else ():
        try:
            if not re.fullmatch(r"[a-z0-9-]{1,80}", key):
                raise ValueError("not a resource id")
            state.streaks[key] = _streak(value)
        except ValueError as error:
            state.warnings.append(
                f"dropped the saved streak of {_encode(str(key))[:80]!r} ({error})"
            )
    last = data.get("r")
    if isinstance(last, str) and len(last) <= 64:
        state.last_run = last
    return state


def change_tag(*parts: str) -> str:
    """A short digest of one proposed change (an entry's old and new address, or its new
    page text), so a change a maintainer declined is recognised when it comes back."""
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()[:16]


def fixes_marker(entry: str, change: str) -> str:
    return f"<!-- catalogbot:fixes={entry} change={change} -->"


def parse_fixes(body: str | None) -> dict[str, str]:
    """The entries a fix pull request says it fixes, each with its change tag ("" when
    the pull request predates change tags)."""
    return dict(_FIXES.findall(body or ""))


WITHDRAWN_MARKER = "<!-- catalogbot:withdrawn -->"
"""Added to a fix pull request the bot closes itself, so that its changes are not
mistaken for ones a maintainer declined."""


def pr_marker(kind: str, digest: str) -> str:
    return f"<!-- catalogbot:pr={kind} digest={digest} -->"


def parse_pr(body: str | None) -> tuple[str, str] | None:
    """(kind, digest of the changes) of a fix pull request, or None."""
    match = _PR.search(body or "")
    return (match.group(1), match.group(2)) if match else None
