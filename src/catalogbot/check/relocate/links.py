"""The links of a fetched page that stay on its site, with their text."""

from __future__ import annotations

from urllib.parse import urldefrag, urljoin

from catalogbot.catalog.urls import origin_of

MAX_LINKS = 2000
"""Links read from one page (a page with more is a directory, not a guide to one)."""


def page_links(body: bytes, base: str) -> list[tuple[str, str]]:
    """(address, link text) for each link of an HTML page to the same origin as ``base``."""
    from selectolax.lexbor import LexborHTMLParser  # only pages searched for links need it

    tree = LexborHTMLParser(body)
    origin = origin_of(base)
    found: dict[str, str] = {}
    for anchor in tree.css("a[href]")[:MAX_LINKS]:
        href = (anchor.attributes.get("href") or "").strip()
        if not href or href.startswith(("#", "mailto:", "javascript:", "tel:")):
            continue
        try:
            url = urldefrag(urljoin(base, href)).url
            same = origin_of(url) == origin
        except ValueError:
            continue
        if same and url not in found:
            found[url] = anchor.text(separator=" ", strip=True)[:200]
    return list(found.items())
