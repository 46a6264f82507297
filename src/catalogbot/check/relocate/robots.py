"""What a site's robots.txt allows, and the sitemaps it names.

The standard library's parser is used for the rules; ``Sitemap:`` lines are read here,
since they may appear anywhere in the file and belong to no group.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.robotparser import RobotFileParser

MAX_SITEMAP_LINES = 20
"""Sitemaps taken from one robots.txt; a file naming more is padding, not a site map."""


@dataclass(frozen=True)
class Robots:
    """The rules for one site. Without rules everything is allowed."""

    parser: RobotFileParser | None = field(default=None, compare=False)
    sitemaps: tuple[str, ...] = ()
    deny_all: bool = False

    def allows(self, url: str, agent: str) -> bool:
        if self.deny_all:
            return False
        return self.parser is None or self.parser.can_fetch(agent, url)


def parse_robots(text: str) -> Robots:
    """Rules and sitemaps of a robots.txt file's text."""
    lines = text.splitlines()
    parser = RobotFileParser()
    parser.parse(lines)
    sitemaps: list[str] = []
    for line in lines:
        name, _, value = line.partition(":")
        if name.strip().lower() == "sitemap" and value.strip():
            sitemaps.append(value.strip())
    return Robots(parser, tuple(dict.fromkeys(sitemaps))[:MAX_SITEMAP_LINES])


def robots_for_status(status: int, text: str) -> Robots:
    """The rules a robots.txt answer sets: a missing file allows everything; a refused
    or failing one (401, 403, 5xx) allows nothing, as RFC 9309 asks."""
    if 200 <= status < 300:
        return parse_robots(text)
    if status in (401, 403) or status >= 500:
        return Robots(deny_all=True)
    return Robots()
