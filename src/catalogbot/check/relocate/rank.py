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


class Wanted:
    """The words that tell a lost page: its slug, its whole path and its title."""

    def __init__(self, old_url: str, title: str) -> None:
        self.old_url = old_url
        self.slug = _slug(old_url)
        self.path = words(urlsplit(old_url).path)
        self.title = words(title)

    def score(self, found: set[str] | frozenset[str]) -> float:
        """How much an address with the words ``found`` looks like the lost page."""
        if not found:
            return 0.0
        hits = 3 * len(found & self.slug) + len(found & self.path) + 2 * len(found & self.title)
        return hits / (1 + 0.05 * len(found))

    def best(
        self, candidates: Iterable[tuple[str, set[str] | frozenset[str]]], limit: int
    ) -> list[str]:
        """The ``limit`` best (address, its words) candidates with any word in common."""
        scored = (
            (self.score(found), -len(url), url) for url, found in candidates if url != self.old_url
        )
        return [url for _, _, url in heapq.nlargest(limit, (s for s in scored if s[0] > 0))]


def best(candidates: Iterable[tuple[str, str]], old_url: str, title: str, limit: int) -> list[str]:
    """The ``limit`` best (address, link text) candidates with any word in common."""
    wanted = Wanted(old_url, title)
    return wanted.best(
        ((url, words(urlsplit(url).path) | words(label)) for url, label in candidates), limit
    )


class Index:
    """A site's sitemap addresses by word, so that each lost page scores only the
    addresses sharing a word with it (tens of thousands of addresses, many entries)."""

    def __init__(self, urls: Iterable[str]) -> None:
        self._words: dict[str, frozenset[str]] = {}
        self._postings: dict[str, list[str]] = {}
        for url in urls:
            found = frozenset(words(urlsplit(url).path))
            self._words[url] = found
            for word in found:
                self._postings.setdefault(word, []).append(url)

    def __len__(self) -> int:
        return len(self._words)

    def best(self, old_url: str, title: str, limit: int) -> list[str]:
        wanted = Wanted(old_url, title)
        pool = {
            url
            for word in wanted.slug | wanted.path | wanted.title
            for url in self._postings.get(word, ())
        }
        return wanted.best(((url, self._words[url]) for url in pool), limit)
