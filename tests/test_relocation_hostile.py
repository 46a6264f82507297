"""Sites that make the relocation search hard: each ends the search with a note."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from conftest import Serve
from support.checking import resource
from support.reorganised import accept_then_check, doc, robots, sitemap_index, urlset, xml
from support.webserver import Reply, Site

GUIDE = "Naloxone Distribution Guide"

LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE urlset [<!ENTITY a "aaaaaaaaaa">'
    b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
    b"<urlset><url><loc>&c;</loc></url></urlset>"
)


def _bomb_file() -> Reply:
    """A .xml.gz file (no Content-Encoding) that expands to 25 MiB of zeros."""
    member = gzip.compress(b"\0" * (1024 * 1024), compresslevel=9)
    return Reply(body=member * 25, headers=(("Content-Type", "application/gzip"),))


def _bomb_encoding() -> Reply:
    """A sitemap sent with Content-Encoding: gzip that expands to 12 MiB."""
    body = gzip.compress(b" " * (12 * 1024 * 1024), compresslevel=9)
    return Reply(body=body, headers=(("Content-Type", "text/xml"), ("Content-Encoding", "gzip")))


@pytest.mark.parametrize(
    ("routes", "note"),
    [
        ({"/sitemap.xml": xml(b"<urlset><url><loc>/a</loc></url")}, "not readable XML"),
        ({"/sitemap.xml": xml(LAUGHS)}, "not readable XML"),
        ({"/sitemap.xml": _bomb_file()}, "expands beyond"),
        ({"/sitemap.xml": _bomb_encoding()}, "too large"),
        (
            {"/sitemap.xml": xml(urlset(f"/p/{n}" for n in range(50_001)))},
            "more than 50,000",
        ),
        (
            {
                "/sitemap.xml": xml(sitemap_index(["/maps/b.xml"])),
                "/maps/b.xml": xml(sitemap_index(["/sitemap.xml"])),
            },
            "loop",
        ),
        ({"/sitemap.xml": Reply(body=b"<urlset>" + b" " * 4000, drip=0.01)}, "within 1 s"),
    ],
    ids=["malformed", "entities", "gzip-file-bomb", "gzip-encoding-bomb", "huge", "loop", "slow"],
)
def test_a_hostile_sitemap_ends_the_search_with_a_note(
    sites: Serve, tmp_path: Path, routes: dict[str, Reply], note: str
) -> None:
    """Malformed, expanding, huge, looping or endless sitemaps: a note, no suggestion."""
    (site,) = sites(Site({"/docs/naloxone-guide": doc(GUIDE, "guide")}))
    entry = resource(site.url("/docs/naloxone-guide"), "guide", title=GUIDE)
    after = {**routes, "/new/naloxone-guide": doc(GUIDE, "guide")}
    (result,) = accept_then_check(site, [entry], after, tmp_path, timeout=1.0).results
    assert (result.status, result.reason, result.suggested_url) == ("broken", "http_404", None)
    assert "relocation_stopped" in result.warnings
    assert "no new address was found" in result.detail
    assert note in result.detail
    assert "/new/naloxone-guide" not in site.site.paths()


def test_the_search_never_leaves_the_site(sites: Serve, tmp_path: Path) -> None:
    """Sitemaps, links and redirects to other hosts are not followed; no request there."""
    home, elsewhere = sites(
        Site({"/docs/naloxone-guide": doc(GUIDE, "guide")}),
        Site({"/naloxone-guide": doc(GUIDE, "guide")}),
    )
    entry = resource(home.url("/docs/naloxone-guide"), "guide", title=GUIDE)
    away = elsewhere.url("/naloxone-guide")
    after = {
        "/robots.txt": robots(f"Sitemap: {elsewhere.url('/sitemap.xml')}\n"),
        "/docs/": Reply(
            body=f"<a href='{away}'>{GUIDE}</a><a href='/naloxone-guide'>.</a>".encode()
        ),
        "/naloxone-guide": Reply(301, headers=(("Location", away),)),
    }
    (result,) = accept_then_check(home, [entry], after, tmp_path).results
    assert result.suggested_url is None
    assert elsewhere.site.log == []
    assert "/naloxone-guide" in home.site.paths()
