"""Reading one sitemap document: the page addresses it lists and the sitemaps it names.

Sitemaps come from strangers' servers, so reading one is bounded: gzip is expanded
only up to a cap (a few kilobytes can expand to gigabytes), XML is parsed with
defusedxml (no entity expansion, no DTD, no external entities) and only so many
addresses are kept. Any of these ends with a note, never an exception.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from urllib.parse import urljoin
from xml.etree.ElementTree import Element, ParseError

MAX_EXPANDED = 20 * 1024 * 1024
"""Most bytes a gzipped sitemap may expand to (the sitemap protocol allows 50 MB)."""
MAX_URLS = 50_000
"""Addresses kept from one sitemap (the protocol's own limit)."""
GZIP_MAGIC = b"\x1f\x8b"


@dataclass(frozen=True)
class SitemapDoc:
    """What one sitemap lists; ``note`` says why it could not be read (whole)."""

    pages: tuple[str, ...] = ()
    children: tuple[str, ...] = ()
    """Sitemaps a sitemap index names."""
    note: str | None = None


def expand(body: bytes, cap: int = MAX_EXPANDED) -> bytes | None:
    """A gzipped body expanded (all its members), or None when it expands beyond
    ``cap`` or is corrupt."""
    out = bytearray()
    rest = body
    while rest:
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            out += inflater.decompress(rest, cap + 1 - len(out))
        except zlib.error:
            return None
        if len(out) > cap or inflater.unconsumed_tail:
            return None
        if not inflater.eof:
            return None  # cut short
        rest = inflater.unused_data
    return bytes(out)


def _name(element: Element) -> str:
    return element.tag.rsplit("}", 1)[-1].lower()


def read_sitemap(body: bytes, url: str) -> SitemapDoc:
    """The addresses a sitemap (plain or gzipped XML) at ``url`` lists, made absolute,
    with a note when it fails."""
    if body.startswith(GZIP_MAGIC):
        expanded = expand(body)
        if expanded is None:
            return SitemapDoc(
                note=f"the sitemap {url} is corrupt or expands beyond "
                f"{MAX_EXPANDED // (1024 * 1024)} MB"
            )
        body = expanded
    from defusedxml import DefusedXmlException  # only sites searched for need it
    from defusedxml.ElementTree import fromstring

    try:
        root = fromstring(body, forbid_dtd=True)
    except (ParseError, DefusedXmlException, ValueError) as error:
        return SitemapDoc(note=f"the sitemap {url} is not readable XML ({type(error).__name__})")
    kind = _name(root)
    if kind not in ("urlset", "sitemapindex"):
        return SitemapDoc(note=f"{url} is not a sitemap (its root is <{kind}>)")
    found: list[str] = []
    note = None
    for item in root:
        loc = next((c for c in item if _name(c) == "loc"), None)
        if loc is None or not loc.text or not loc.text.strip():
            continue
        if len(found) >= MAX_URLS:
            note = f"the sitemap {url} lists more than {MAX_URLS:,} addresses; the rest are unread"
            break
        found.append(urljoin(url, loc.text.strip()))
    if kind == "sitemapindex":
        return SitemapDoc(children=tuple(found), note=note)
    return SitemapDoc(pages=tuple(found), note=note)
