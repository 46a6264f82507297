"""Hidden markers in issue and pull request bodies: how the bot finds its own work again.

GitHub is the bot's memory. An entry's issue carries ``<!-- catalogbot:entry=ID ... -->``
with the status it last reported; the dashboard issue carries the failure streaks that
``--confirm-runs`` needs as JSON in ``<!-- catalogbot:state ... -->``.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import Any

LABEL = "catalogbot"
DASHBOARD_MARKER = "<!-- catalogbot:dashboard -->"
MAX_STATE_CHARS = 50_000
"""The state must fit in the dashboard's body (GitHub allows 65,536 characters)."""

_ENTRY = re.compile(r"<!-- catalogbot:entry=([a-z0-9-]{1,80})((?: [a-z_]+=[^\s>]{0,100}){0,8}) -->")
_STATE = re.compile(r"<!-- catalogbot:state (\{.*?\}) -->", re.DOTALL)
_PR = re.compile(r"<!-- catalogbot:pr=([a-z]+) digest=([0-9a-f]{16}) -->")


def url_tag(url: str) -> str:
    """A short digest of a URL, recorded so a 'not planned' issue stays quiet until it changes."""
    return hashlib.sha256(url.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class EntryMarker:
    """What an entry's issue last said about it."""

    entry: str
    url: str = ""
    """The url_tag of the URL the issue was about."""
    status: str = ""
    reason: str = ""

    def render(self) -> str:
        return (
            f"<!-- catalogbot:entry={self.entry} url={self.url} status={self.status} "
            f"reason={self.reason} -->"
        )


def parse_entry(body: str | None) -> EntryMarker | None:
    """The entry marker of an issue body, or None when there is none."""
    match = _ENTRY.search(body or "")
    if match is None:
        return None
    fields = dict(part.split("=", 1) for part in match.group(2).split())
    return EntryMarker(
        match.group(1), fields.get("url", ""), fields.get("status", ""), fields.get("reason", "")
    )


@dataclass(frozen=True)
class Streak:
    """Consecutive runs an entry has needed attention, and since when."""

    status: str
    reason: str
    since: str
    runs: int
    url: str
    """url_tag of the URL that failed."""


@dataclass
class DashboardState:
    """What the dashboard remembers between runs."""

    streaks: dict[str, Streak] = field(default_factory=dict)

    def render(self) -> str:
        """The hidden state as one compact comment: ``id: [status, reason, since, runs,
        url tag]`` per entry."""
        streaks = dict(self.streaks)
        while True:
            data = {
                "v": 1,
                "s": {
                    key: [s.status, s.reason, s.since, s.runs, s.url]
                    for key, s in sorted(streaks.items())
                },
            }
            text = json.dumps(data, sort_keys=True, separators=(",", ":"))
            if len(text) <= MAX_STATE_CHARS or not streaks:
                break
            # Too many failing entries to remember: forget the newest streaks first.
            newest = max(streaks, key=lambda key: (streaks[key].since, key))
            del streaks[newest]
        # "-->" must never appear inside the comment; JSON allows escaping ">".
        return f"<!-- catalogbot:state {text.replace('>', chr(92) + 'u003e')} -->"


def parse_state(body: str | None) -> DashboardState:
    """The streaks recorded in a dashboard body; anything malformed counts as none."""
    match = _STATE.search(body or "")
    if match is None or len(match.group(1)) > 2 * MAX_STATE_CHARS:
        return DashboardState()
    try:
        data: Any = json.loads(match.group(1))
    except ValueError:
        return DashboardState()
    streaks: dict[str, Streak] = {}
    raw = data.get("s") if isinstance(data, dict) else None
    for key, value in raw.items() if isinstance(raw, dict) else ():
        try:
            status, reason, since, runs, url = value
            streaks[str(key)] = Streak(
                str(status), str(reason), str(since), max(1, int(runs)), str(url)
            )
        except (TypeError, ValueError):
            continue
    return DashboardState(streaks)


def fixes_marker(entry: str) -> str:
    return f"<!-- catalogbot:fixes={entry} -->"


def pr_marker(kind: str, digest: str) -> str:
    return f"<!-- catalogbot:pr={kind} digest={digest} -->"


def parse_pr(body: str | None) -> tuple[str, str] | None:
    """(kind, digest of the changes) of a fix pull request, or None."""
    match = _PR.search(body or "")
    return (match.group(1), match.group(2)) if match else None
