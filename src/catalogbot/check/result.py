"""What checking one link found: a value, never an exception."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Status(StrEnum):
    """A link's verdict, as the results JSON and the reports name it."""

    OK = "ok"
    REDIRECTED = "redirected"
    DRIFTED = "drifted"
    BROKEN = "broken"
    UNVERIFIABLE = "unverifiable"
    SKIPPED = "skipped"

    @property
    def needs_attention(self) -> bool:
        """Whether a maintainer should act (the run exits 1 when any entry does)."""
        return self in (Status.BROKEN, Status.DRIFTED, Status.REDIRECTED)


PRECEDENCE = (Status.BROKEN, Status.DRIFTED, Status.REDIRECTED, Status.UNVERIFIABLE, Status.OK)
"""When several verdicts apply, the first in this order wins."""


def worst(*statuses: Status) -> Status:
    """The verdict that wins among ``statuses`` by PRECEDENCE."""
    return min(statuses, key=lambda s: PRECEDENCE.index(s) if s in PRECEDENCE else len(PRECEDENCE))


@dataclass(frozen=True)
class Hop:
    """One redirect: the URL requested, the status it answered and where it pointed."""

    url: str
    status: int
    location: str

    @property
    def permanent(self) -> bool:
        """301 and 308 say the resource has moved for good; so does a 200 page that
        forwards at once with a meta refresh (recorded with its status, 200)."""
        return self.status in (301, 308, 200)


@dataclass(frozen=True)
class Relocation:
    """Where a broken resource was found again on its own site, verified by its text."""

    url: str
    source: str
    """How it was found: ``sitemap``, ``site_links`` or ``url_pattern``."""
    similarity: float
    """Similarity of the page found to the resource's accepted baseline."""


@dataclass(frozen=True)
class CheckResult:
    """Everything a report, an issue or a fix needs to know about one link."""

    id: str
    url: str
    status: Status
    reason: str
    """Short stable code such as ``http_404``, ``dns``, ``soft_404`` or ``ok``."""
    detail: str = ""
    """One sentence for people: what was seen."""
    http_status: int | None = None
    final_url: str | None = None
    """Where the last hop landed."""
    suggested_url: str | None = None
    """For a permanent redirect: the URL the catalog should use instead."""
    attempts: int = 0
    elapsed_ms: int = 0
    redirects: tuple[Hop, ...] = ()
    content_type: str | None = None
    title: str | None = None
    digest: str | None = None
    """Digest of the page's normalised text (its fingerprint)."""
    similarity: float | None = None
    """Similarity to the accepted baseline (1.0 identical), when there is one."""
    excerpt: str | None = None
    """A few lines of unified diff against the baseline, for drifted pages."""
    warnings: tuple[str, ...] = ()
    checked_at: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    relocation: Relocation | None = None
    """For a broken entry: its verified new address (also its ``suggested_url``)."""

    def to_json(self) -> dict[str, Any]:
        """The result as the results JSON writes it."""
        data: dict[str, Any] = {
            "id": self.id,
            "url": self.url,
            "status": self.status.value,
            "reason": self.reason,
            "detail": self.detail,
            "http_status": self.http_status,
            "final_url": self.final_url,
            "suggested_url": self.suggested_url,
            "attempts": self.attempts,
            "elapsed_ms": self.elapsed_ms,
            "redirects": [
                {"url": h.url, "status": h.status, "location": h.location} for h in self.redirects
            ],
            "content_type": self.content_type,
            "title": self.title,
            "digest": self.digest,
            "similarity": self.similarity,
            "excerpt": self.excerpt,
            "warnings": list(self.warnings),
            "checked_at": self.checked_at,
            "relocation": (
                None
                if self.relocation is None
                else {
                    "url": self.relocation.url,
                    "source": self.relocation.source,
                    "similarity": self.relocation.similarity,
                }
            ),
        }
        data.update(self.extra)
        return data

    @classmethod
    def from_json(cls, data: Any) -> CheckResult:
        """Read back a result written by ``to_json`` (for ``sync``).

        Results files can be edited or truncated by hand, so every field is checked;
        ValueError says which one is wrong.
        """
        if not isinstance(data, dict):
            raise ValueError("a result must be a JSON object")
        known = {
            "id", "url", "status", "reason", "detail", "http_status", "final_url",
            "suggested_url", "attempts", "elapsed_ms", "redirects", "content_type", "title",
            "digest", "similarity", "excerpt", "warnings", "checked_at", "relocation",
        }  # fmt: skip
        redirects = data.get("redirects") or []
        warnings = data.get("warnings") or []
        if not isinstance(redirects, list) or not isinstance(warnings, list):
            raise ValueError("redirects and warnings must be lists")
        return cls(
            id=_text(data, "id", required=True) or "",
            url=_text(data, "url", required=True) or "",
            status=Status(_text(data, "status", required=True) or ""),
            reason=_text(data, "reason") or "",
            detail=_text(data, "detail") or "",
            http_status=_integer(data, "http_status"),
            final_url=_text(data, "final_url"),
            suggested_url=_text(data, "suggested_url"),
            attempts=_integer(data, "attempts") or 0,
            elapsed_ms=_integer(data, "elapsed_ms") or 0,
            redirects=tuple(
                Hop(
                    _text(h, "url", required=True) or "",
                    _integer(h, "status") or 0,
                    _text(h, "location") or "",
                )
                for h in redirects
                if isinstance(h, dict)
            ),
            content_type=_text(data, "content_type"),
            title=_text(data, "title"),
            digest=_text(data, "digest"),
            similarity=_fraction(data, "similarity"),
            excerpt=_text(data, "excerpt"),
            warnings=tuple(str(w) for w in warnings if isinstance(w, str)),
            checked_at=_text(data, "checked_at") or "",
            extra={k: v for k, v in data.items() if k not in known},
            relocation=_relocation(data.get("relocation")),
        )


def _relocation(value: Any) -> Relocation | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise ValueError("'relocation' must be an object or null")
    return Relocation(
        _text(value, "url", required=True) or "",
        _text(value, "source", required=True) or "",
        _fraction(value, "similarity") or 0.0,
    )


def _text(data: dict[str, Any], key: str, *, required: bool = False) -> str | None:
    value = data.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str):
        raise ValueError(f"'{key}' must be text")
    return value


def _integer(data: dict[str, Any], key: str) -> int | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"'{key}' must be a whole number")
    return value


def _fraction(data: dict[str, Any], key: str) -> float | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"'{key}' must be a number")
    return float(value)
