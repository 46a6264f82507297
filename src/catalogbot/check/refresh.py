"""Pages that forward at once with ``<meta http-equiv="refresh" content="0; url=...">``.

Static hosts and old content systems move pages this way: the old address answers 200
with a page whose only job is to send the browser on. Such a page has moved for good,
so the fetcher follows it like a permanent redirect. A ``Refresh`` response header says
the same as the tag (the tag only stands in for it). Only the start of an HTML page is
read, with a regular expression: parsing whole pages here would cost the event loop.
Browsers obey the tag in the body as well as in the head, and read the delay as HTML
does: its whole seconds only, so ``0.5`` forwards at once.
"""

from __future__ import annotations

import re

HEAD_BYTES = 16 * 1024
"""A refresh must be near the top of the page to forward it at once."""

_META = re.compile(rb"<meta\b[^>]*>", re.IGNORECASE)
_HIDDEN = re.compile(
    rb"<!--.*?(?:-->|$)|<(noscript|script|template|textarea)\b.*?(?:</\1\s*>|$)", re.I | re.S
)
"""Comments, text that is not markup (scripts, templates, text areas), and the refresh
many script-driven sites offer browsers without JavaScript."""
_ATTRIBUTE = re.compile(rb"""([a-z-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.IGNORECASE)
_CONTENT = re.compile(
    r"""^\s*(?:0+(?:\.[0-9.]*)?|\.[0-9.]*)\s*[;,]\s*(?:url\s*=\s*)?(['"]?)(.+?)\1\s*$""", re.I
)
"""A delay of zero whole seconds (``0``, ``0.5``, ``.5``), then the address."""


def header_target(value: str | None) -> str | None:
    """The address a ``Refresh: 0; url=...`` response header forwards to at once, or None."""
    if not value:
        return None
    match = _CONTENT.match(value)
    return (match.group(2).strip() or None) if match else None


def refresh_target(content_type: str | None, body: bytes) -> str | None:
    """The (possibly relative) address an HTML page forwards to at once, or None.

    A refresh with a delay is a page people are meant to read first: not a move.
    """
    if content_type is None or "html" not in content_type.lower():
        return None
    head = body[:HEAD_BYTES]
    if b"refresh" not in head.lower():
        # Most pages: the tag cannot be there. (Lowering and finding took 9 us for 16 KB
        # where a case-blind regular expression took 55 us, measured.)
        return None
    for tag in _META.finditer(_HIDDEN.sub(b"", head)):
        attributes = {
            name.lower(): (a or b or c) for name, a, b, c in _ATTRIBUTE.findall(tag.group(0))
        }
        if attributes.get(b"http-equiv", b"").strip().lower() != b"refresh":
            continue
        target = header_target(attributes.get(b"content", b"").decode("utf-8", "replace"))
        if target:
            return target
    return None
