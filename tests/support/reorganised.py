"""Websites that reorganise themselves between two runs, for the relocation search.

A test serves a site's pages, accepts their baselines, then swaps the site's routes for
its reorganised layout and checks again with the baselines: what the search proposes
can then be compared with where each page really went.
"""

from __future__ import annotations

import asyncio
import dataclasses
import gzip
import random
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from catalogbot.accept import accept_resources
from catalogbot.catalog.model import Resource
from catalogbot.check import CheckRun, check_resources
from catalogbot.drift.snapshot import SnapshotStore
from support.checking import FAST
from support.webserver import Reply, RunningSite, html

_TEXT = """
    naloxone overdose recovery court diversion program county health department treatment
    support harm reduction crisis response rural community law enforcement training
    evaluation toolkit guide strategy funding partners services outcomes people justice
    system addiction prevention education outreach peer housing jail reentry medication
    pharmacy hospital emergency clinic nurse counselor family youth school employer grant
    data report survey measure plan budget council board state federal local tribal
    officer deflection referral screening assessment navigator coordinator volunteer
    transport shelter meal childcare insurance medicaid license policy statute ordinance
"""
_VOCABULARY = _TEXT.split()


def text_of(seed: str, words: int = 160) -> str:
    """A paragraph of plausible words, different for every seed."""
    rng = random.Random(seed)
    return " ".join(rng.choice(_VOCABULARY) for _ in range(words))


def doc(title: str, seed: str) -> Reply:
    """A resource page: a title and a paragraph of its own."""
    return Reply(body=html(title, f"<main><h1>{title}</h1><p>{text_of(seed)}</p></main>"))


def links_page(title: str, links: Iterable[tuple[str, str]]) -> Reply:
    """A page that links to others, with each link's text."""
    items = "".join(f"<li><a href='{href}'>{label}</a></li>" for href, label in links)
    return Reply(body=html(title, f"<nav><ul>{items}</ul></nav>"))


def urlset(urls: Iterable[str]) -> bytes:
    """A sitemap listing ``urls``."""
    entries = "".join(f"<url><loc>{u}</loc></url>" for u in urls)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</urlset>'
    ).encode()


def sitemap_index(urls: Iterable[str]) -> bytes:
    """A sitemap index naming the sitemaps at ``urls``."""
    entries = "".join(f"<sitemap><loc>{u}</loc></sitemap>" for u in urls)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}'
        "</sitemapindex>"
    ).encode()


def xml(body: bytes, *, gzipped: bool = False) -> Reply:
    """An XML document, or a gzipped file (as a .xml.gz sitemap is served)."""
    if gzipped:
        return Reply(body=gzip.compress(body), headers=(("Content-Type", "application/gzip"),))
    return Reply(body=body, headers=(("Content-Type", "application/xml"),))


def robots(text: str) -> Reply:
    return Reply(body=text.encode(), headers=(("Content-Type", "text/plain"),))


def accept_then_check(
    site: RunningSite,
    resources: Sequence[Resource],
    after: dict[str, Any],
    root: Path,
    *,
    fallback: Reply | None = None,
    **options: Any,
) -> CheckRun:
    """Accept every resource as the site is now, move the site to ``after``, check again."""
    store = SnapshotStore(root / "catalog.yaml")
    _, outcomes = asyncio.run(accept_resources(resources, FAST, store))
    assert all(o.path is not None for o in outcomes), [o.refused for o in outcomes]
    site.site.routes.clear()
    site.site.routes.update(after)
    if fallback is not None:
        site.site.fallback = fallback
    site.site.log.clear()
    return asyncio.run(
        check_resources(resources, dataclasses.replace(FAST, **options), snapshots=store)
    )
