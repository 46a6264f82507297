"""Which candidate addresses look most like a lost resource, by their words.

A reorganised site usually keeps a page's slug or title words in its new address
(``/chapters/naloxone-guide`` becomes ``/resources/2024/naloxone-guide.html``). Scoring
is cheap and runs on tens of thousands of sitemap addresses; only the best few are
ever fetched.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Iterable
from urllib.parse import unquote, urlsplit

from catalogbot.drift.analyse import STOPWORDS

_WORD = re.compile(r"[a-z0-9]+")
_NOISE = STOPWORDS | {"www", "http", "https", "html", "htm", "php", "aspx", "index", "pdf"}


def words(text: str) -> set[str]:
    """Content words of an address or a title."""
    return {w for w in _WORD.findall(unquote(text).lower()) if w not in _NOISE and len(w) > 1}


def _slug(url: str) -> set[str]:
    """Words of the last non-empty path segment: the part that names the page."""
    segments = [s for s in urlsplit(url).path.split("/") if s]
    return words(segments[-1]) if segments else set()


def score(candidate: str, old_url: str, title: str, label: str = "") -> float:
    """How much ``candidate`` (and the text of a link to it) looks like the lost page."""
    found = words(urlsplit(candidate).path) | words(label)
    slug, path, wanted = _slug(old_url), words(urlsplit(old_url).path), words(title)
    if not found:
        return 0.0
    hits = 3 * len(found & slug) + len(found & path) + 2 * len(found & wanted)
    return hits / (1 + 0.05 * len(found))


def best(candidates: Iterable[tuple[str, str]], old_url: str, title: str, limit: int) -> list[str]:
    """The ``limit`` best (address, link text) candidates with any word in common."""
    scored = (
        (score(url, old_url, title, label), -len(url), url)
        for url, label in candidates
        if url != old_url
    )
    top = heapq.nlargest(limit, (s for s in scored if s[0] > 0))
    return [url for _, _, url in top]
