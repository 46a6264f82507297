"""Settings of one check run, with the defaults a careful person would choose."""

from __future__ import annotations

from dataclasses import dataclass

from catalogbot import __version__

DEFAULT_USER_AGENT = (
    f"catalogbot/{__version__} (+https://github.com/catalogbot/catalogbot; "
    "checks that links in a public resource catalog still work)"
)

DEFAULT_CANARIES = ("https://www.gstatic.com/generate_204", "https://api.github.com/")
"""Answered by any working connection to the internet; asked only when many hosts fail."""


@dataclass(frozen=True)
class VideoProvider:
    """A video site whose pages answer 200 even for removed videos, and its oEmbed endpoint."""

    name: str
    hosts: tuple[str, ...]
    oembed: str
    """Endpoint URL; the video's URL is passed as the ``url`` query parameter."""


DEFAULT_VIDEO_PROVIDERS = (
    VideoProvider(
        "YouTube",
        ("youtube.com", "www.youtube.com", "m.youtube.com", "youtu.be"),
        "https://www.youtube.com/oembed",
    ),
    VideoProvider(
        "Vimeo",
        ("vimeo.com", "www.vimeo.com", "player.vimeo.com"),
        "https://vimeo.com/api/oembed.json",
    ),
)


@dataclass(frozen=True)
class CheckOptions:
    """How a run checks links. Every field has a sensible default."""

    timeout: float = 20.0
    """Seconds one attempt may take as a whole: connect, headers and body."""
    retries: int = 2
    """Attempts allowed after the first, for failures that may be temporary."""
    concurrency: int = 32
    """Requests in flight at once, over all hosts."""
    per_host: int = 4
    """Requests in flight at once to one host."""
    host_interval: float = 0.0
    """Least seconds between the starts of two requests to one host (raised after a 429)."""
    allow_private: bool = False
    """Let requests reach loopback, private and link-local addresses (tests, intranets)."""
    max_bytes: int = 10 * 1024 * 1024
    """Most bytes of a body read, before and after decompression."""
    max_redirects: int = 10
    user_agent: str = DEFAULT_USER_AGENT
    backoff: float = 0.5
    """First retry waits about this long; each later one about twice as long, with jitter."""
    retry_after_cap: float = 60.0
    """Longest a server's Retry-After is honoured; beyond it the link is not retried."""
    canaries: tuple[str, ...] = DEFAULT_CANARIES
    video_providers: tuple[VideoProvider, ...] = DEFAULT_VIDEO_PROVIDERS
    extract_timeout: float = 20.0
    """Seconds the text of one page may take to extract before it is given up."""
    workers: int | None = None
    """Processes that extract page text (None: one per spare CPU, at most four)."""
    soft404_probe: bool = True
    """Ask each host for a path that cannot exist, to recognise its 'not found' pages."""
    relocate: bool = True
    """Look for broken resources that have a baseline on their own site (see relocate/)."""
