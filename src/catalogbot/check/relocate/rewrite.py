"""URL rewrites one entry's redirect reveals about its whole site.

When ``/chapters/intro`` now redirects permanently to ``/book/intro``, the site has
probably moved ``/chapters/other`` to ``/book/other`` too. A rewrite is learned from
the path segments the two addresses share at their end (the page's own name,
extension aside) and applied to other addresses under the same old prefix.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from catalogbot.catalog.urls import origin_of


@dataclass(frozen=True)
class Rewrite:
    """Replace ``old_prefix`` by ``new_prefix`` and the last segment's extension."""

    origin: str
    old_prefix: tuple[str, ...]
    new_prefix: tuple[str, ...]
    old_ext: str
    new_ext: str


def _segments(path: str) -> list[str]:
    return [s for s in path.split("/") if s]


def learn(old_url: str, new_url: str) -> Rewrite | None:
    """The rewrite that turns ``old_url`` into ``new_url``, when one path prefix changed."""
    if origin_of(old_url) != origin_of(new_url):
        return None
    old, new = _segments(urlsplit(old_url).path), _segments(urlsplit(new_url).path)
    if not old or not new:
        return None
    (old_stem, old_ext), (new_stem, new_ext) = (
        posixpath.splitext(old[-1]),
        posixpath.splitext(new[-1]),
    )
    if old_stem != new_stem:
        return None
    shared = 1
    while shared < min(len(old), len(new)) and old[-1 - shared] == new[-1 - shared]:
        shared += 1
    rewrite = Rewrite(
        origin_of(old_url),
        tuple(old[: len(old) - shared]),
        tuple(new[: len(new) - shared]),
        old_ext,
        new_ext,
    )
    if rewrite.old_prefix == rewrite.new_prefix and old_ext == new_ext:
        return None
    return rewrite


def apply(rewrite: Rewrite, url: str) -> str | None:
    """Where ``url`` would be after ``rewrite``, or None when the rewrite does not fit it."""
    if origin_of(url) != rewrite.origin:
        return None
    parts = urlsplit(url)
    segments = _segments(parts.path)
    prefix = len(rewrite.old_prefix)
    if len(segments) <= prefix or tuple(segments[:prefix]) != rewrite.old_prefix:
        return None
    stem, ext = posixpath.splitext(segments[-1])
    if ext != rewrite.old_ext:
        return None
    rest = [*segments[prefix:-1], stem + rewrite.new_ext]
    path = "/" + "/".join([*rewrite.new_prefix, *rest])
    if parts.path.endswith("/") and not rewrite.new_ext:
        path += "/"
    return urlunsplit((parts.scheme, parts.netloc, path, parts.query, ""))
