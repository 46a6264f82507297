"""Video pages answer 200 even when the video is gone; their oEmbed endpoints do not."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

from catalogbot.check.options import VideoProvider
from catalogbot.check.result import ResultWarning


def oembed_request(
    url: str, providers: tuple[VideoProvider, ...]
) -> tuple[VideoProvider, str] | None:
    """The provider and oEmbed URL to ask about a video page, or None for other pages."""
    host = (urlsplit(url).hostname or "").lower()
    for provider in providers:
        if host in provider.hosts:
            return provider, f"{provider.oembed}?{urlencode({'url': url, 'format': 'json'})}"
    return None


@dataclass(frozen=True)
class VideoVerdict:
    """What the provider said about the video."""

    gone: bool
    detail: str
    warning: ResultWarning | None = None


def judge_oembed(provider: VideoProvider, status: int | None) -> VideoVerdict | None:
    """Read the oEmbed status: 404 gone, 401/403 private or not embeddable but there."""
    if status == 404:
        return VideoVerdict(True, f"{provider.name} says the video does not exist or was removed")
    if status in (401, 403):
        return VideoVerdict(
            False,
            f"{provider.name} does not allow embedding this video; the video itself exists",
            warning=ResultWarning.VIDEO_NOT_EMBEDDABLE,
        )
    return None
