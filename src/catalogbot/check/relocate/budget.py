"""How many requests one entry's search may make, counting its share of the site's."""

from __future__ import annotations

from dataclasses import dataclass

MAX_REQUESTS = 60
"""Requests one broken entry's search may cost, shared fetches included."""


@dataclass
class Shared:
    """Requests made once per site for all its searched entries (robots.txt, sitemaps)."""

    entries: int
    requests: int = 0


@dataclass
class Budget:
    """One entry's requests: its own, plus an equal share of its site's shared ones."""

    shared: Shared
    own: int = 0
    limit: int = MAX_REQUESTS

    @property
    def spent(self) -> float:
        return self.own + self.shared.requests / max(self.shared.entries, 1)

    def take(self) -> bool:
        """Count one more request of this entry's own, if the budget allows it."""
        if self.spent + 1 > self.limit:
            return False
        self.own += 1
        return True
