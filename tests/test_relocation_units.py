"""The pure parts of the relocation search: robots.txt, sitemaps, ranking, rewrites."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from catalogbot.check.relocate import needs_search
from catalogbot.check.relocate.budget import Budget, Shared
from catalogbot.check.relocate.rank import best
from catalogbot.check.relocate.rewrite import apply, learn
from catalogbot.check.relocate.robots import parse_robots, robots_for_status
from catalogbot.check.relocate.search import parents
from catalogbot.check.relocate.sitemaps import expand, read_sitemap
from catalogbot.check.result import CheckResult, Reason, Status
from conftest import Serve
from support.reorganised import doc, urlset, xml
from support.webserver import Site
from test_cli_check import cli, write_catalog


def test_robots_rules_and_sitemap_lines() -> None:
    """Rules for every agent apply; Sitemap lines are read wherever they are."""
    robots = parse_robots(
        "Sitemap: https://a.test/s1.xml\nUser-agent: *\nDisallow: /private/\n"
        "sitemap: https://a.test/s2.xml.gz\n"
    )
    assert robots.sitemaps == ("https://a.test/s1.xml", "https://a.test/s2.xml.gz")
    assert robots.allows("https://a.test/docs/x", "catalogbot/1.0")
    assert not robots.allows("https://a.test/private/x", "catalogbot/1.0")
    assert robots_for_status(404, "").allows("https://a.test/private/x", "catalogbot")
    assert not robots_for_status(503, "").allows("https://a.test/", "catalogbot")


def test_sitemaps_plain_gzipped_and_indexes() -> None:
    """Both kinds of sitemap, plain or gzipped; the protocol's namespace or none."""
    plain = read_sitemap(urlset(["https://a.test/x", " https://a.test/y "]), "s")
    assert plain.pages == ("https://a.test/x", "https://a.test/y")
    gzipped = gzip.compress(b"<sitemapindex><sitemap><loc>/m.xml</loc></sitemap></sitemapindex>")
    index = read_sitemap(gzipped, "https://a.test/maps/s.xml")
    assert (index.children, index.note) == (("https://a.test/m.xml",), None)
    assert read_sitemap(b"<html></html>", "s").note == "s is not a sitemap (its root is <html>)"
    assert expand(gzip.compress(b"x" * 100), cap=99) is None
    assert expand(gzip.compress(b"x" * 100)[:-4]) is None


def test_ranking_prefers_the_same_words() -> None:
    """Among many addresses, the one sharing the old slug and title words ranks first."""
    pool = [(f"https://a.test/library/item-{n}", "") for n in range(5000)]
    pool.insert(2500, ("https://a.test/library/naloxone-guide.html", ""))
    ranked = best(pool, "https://a.test/chapters/naloxone-guide", "Naloxone Guide", 3)
    assert ranked[0] == "https://a.test/library/naloxone-guide.html"
    assert best(pool, "https://a.test/zzz", "Qqq", 3) == []


def test_rewrites_learned_from_a_redirect() -> None:
    """A prefix (and extension) change carries over to siblings; nothing else does."""
    rewrite = learn("https://a.test/chapters/intro", "https://a.test/book/intro")
    assert rewrite is not None
    assert apply(rewrite, "https://a.test/chapters/peers") == "https://a.test/book/peers"
    assert apply(rewrite, "https://a.test/other/peers") is None
    assert apply(rewrite, "https://b.test/chapters/peers") is None
    html = learn("https://a.test/a/b/x.html", "https://a.test/c/b/x")
    assert html is not None
    assert apply(html, "https://a.test/a/b/y.html") == "https://a.test/c/b/y"
    assert learn("https://a.test/a/x", "https://a.test/a/y") is None
    assert learn("https://a.test/a/x", "https://b.test/b/x") is None


def test_parents_nearest_first_then_home() -> None:
    assert parents("https://a.test/a/b/c") == [
        "https://a.test/a/b/", "https://a.test/a/", "https://a.test/",
    ]  # fmt: skip


def test_only_missing_pages_are_searched() -> None:
    """4xx and soft 404 are searched; a DNS failure or a drifted page is not."""
    cases = {
        ("broken", "http_404"): True, ("broken", "http_410"): True,
        ("broken", "soft_404"): True, ("broken", "dns"): False,
        ("broken", "parked"): False, ("drifted", "content_changed"): False,
    }  # fmt: skip
    for (status, reason), searched in cases.items():
        assert (
            needs_search(CheckResult("a", "https://a.test/", Status(status), Reason(reason)))
            is searched
        )


def test_the_command_line_finds_it_and_can_be_told_not_to(sites: Serve, tmp_path: Path) -> None:
    """accept, move, check: 'found at' and the JSON relocation; --no-relocate asks nothing."""
    (site,) = sites(Site({"/docs/naloxone-guide": doc("Title of guide", "guide")}))
    write_catalog(tmp_path / "catalog.yaml", [("guide", site.url("/docs/naloxone-guide"))])
    assert cli("accept", "--all", "--allow-private", cwd=tmp_path).returncode == 0
    new = site.url("/new/naloxone-guide")
    site.site.routes.clear()
    site.site.routes.update(
        {"/sitemap.xml": xml(urlset([new])), "/new/naloxone-guide": doc("Title of guide", "guide")}
    )
    done = cli("check", "--allow-private", "--json", "r.json", cwd=tmp_path)
    assert done.returncode == 1
    assert f"found at {new}" in done.stdout
    (result,) = json.loads((tmp_path / "r.json").read_text())["results"]
    assert result["relocation"] == {"url": new, "source": "sitemap", "similarity": 1.0}
    site.site.log.clear()
    done = cli("check", "--allow-private", "--no-relocate", "--json", "r.json", cwd=tmp_path)
    assert done.returncode == 1
    assert "found at" not in done.stdout
    assert "/robots.txt" not in site.site.paths()
    (result,) = json.loads((tmp_path / "r.json").read_text())["results"]
    assert (result["relocation"], result["suggested_url"]) == (None, None)


def test_shared_requests_are_spread_over_the_sites_entries() -> None:
    """Four entries share eight site-wide requests: each has 58 of its own left."""
    shared = Shared(entries=4, requests=8)
    budget = Budget(shared)
    taken = sum(budget.take() for _ in range(100))
    assert (taken, budget.spent) == (58, 60.0)
