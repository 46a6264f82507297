"""Finding where a broken resource went, on loopback sites that reorganised themselves."""

from __future__ import annotations

import asyncio
import dataclasses
import json
from pathlib import Path

from catalogbot.catalog import parse_catalog
from catalogbot.catalog.load import CatalogFile
from catalogbot.check import CheckResult, CheckRun, Status, check_resources
from catalogbot.check.result import Reason, Relocation
from catalogbot.drift.snapshot import SnapshotStore
from catalogbot.report.context import ReportContext
from catalogbot.report.markdown import render_markdown
from catalogbot.report.results_file import parse_results
from catalogbot.report.terminal import render_terminal
from conftest import Serve
from support.checking import FAST, resource
from support.pdfs import make_pdf
from support.reorganised import (
    accept_then_check,
    doc,
    links_page,
    robots,
    sitemap_index,
    urlset,
    xml,
)
from support.results import results_text
from support.webserver import Reply, Site, redirect

GUIDE = "Naloxone Distribution Guide"


def _only(results: tuple[CheckResult, ...], rid: str) -> CheckResult:
    return next(r for r in results if r.id == rid)


def test_found_through_a_gzipped_sitemap_in_an_index(sites: Serve, tmp_path: Path) -> None:
    """robots.txt names an index naming a gzipped sitemap among thousands of addresses."""
    (site,) = sites(Site({"/chapters/naloxone-guide": doc(GUIDE, "guide")}))
    entry = resource(site.url("/chapters/naloxone-guide"), "guide", title=GUIDE)
    new = site.url("/library/2024/naloxone-guide.html")
    others = [site.url(f"/library/item-{n}.html") for n in range(20_000)]
    after = {
        "/robots.txt": robots(
            f"User-agent: *\nDisallow:\nSitemap: {site.url('/maps/index.xml')}\n"
        ),
        "/maps/index.xml": xml(sitemap_index([site.url("/maps/pages.xml.gz")])),
        "/maps/pages.xml.gz": xml(urlset([*others[:9000], new, *others[9000:]]), gzipped=True),
        "/library/2024/naloxone-guide.html": doc(GUIDE, "guide"),
    }
    (result,) = accept_then_check(site, [entry], after, tmp_path).results
    assert (result.status, result.reason) == ("broken", "http_404")
    assert result.suggested_url == new
    assert result.relocation == Relocation(new, "sitemap", 1.0)
    written = json.loads(results_text(result))["results"][0]["relocation"]
    assert written == {"url": new, "source": "sitemap", "similarity": 1.0}
    assert len(site.log) < 20


def test_found_through_the_pages_that_link_there(sites: Serve, tmp_path: Path) -> None:
    """No sitemap: the section's page links to the resource's new address."""
    (site,) = sites(Site({"/programs/courts/diversion": doc("Court Diversion", "court")}))
    entry = resource(site.url("/programs/courts/diversion"), "court", title="Court Diversion")
    after = {
        "/": links_page("Home", [("/programs/", "Programs"), ("https://elsewhere.test/", "x")]),
        "/programs/": links_page(
            "Programs",
            [("/about", "About us"), ("/topics/justice/court-diversion", "Court diversion")],
        ),
        "/topics/justice/court-diversion": doc("Court Diversion", "court"),
    }
    (result,) = accept_then_check(site, [entry], after, tmp_path).results
    assert result.relocation == Relocation(
        site.url("/topics/justice/court-diversion"), "site_links", 1.0
    )


def test_found_through_another_entrys_redirect(sites: Serve, tmp_path: Path) -> None:
    """One entry's 301 from /chapters/x to /book/x suggests /book/y for /chapters/y."""
    (site,) = sites(
        Site({"/chapters/intro": doc("Intro", "intro"), "/chapters/peers": doc("Peers", "peer")})
    )
    entries = [
        resource(site.url("/chapters/intro"), "intro", title="Intro"),
        resource(site.url("/chapters/peers"), "peers", title="Peers"),
    ]
    after = {
        "/chapters/intro": redirect("/book/intro"),
        "/book/intro": doc("Intro", "intro"),
        "/book/peers": doc("Peers", "peer"),
    }
    run = accept_then_check(site, entries, after, tmp_path)
    assert _only(run.results, "intro").status == "redirected"
    moved = _only(run.results, "peers")
    assert moved.relocation == Relocation(site.url("/book/peers"), "url_pattern", 1.0)
    assert moved.suggested_url == site.url("/book/peers")


def test_a_decoy_with_the_same_title_is_refused(sites: Serve, tmp_path: Path) -> None:
    """A new edition (same title, other text) at a matching address is not the resource."""
    (site,) = sites(Site({"/docs/naloxone-guide": doc(GUIDE, "guide")}))
    entry = resource(site.url("/docs/naloxone-guide"), "guide", title=GUIDE)
    after = {
        "/sitemap.xml": xml(urlset([site.url("/new/naloxone-guide")])),
        "/new/naloxone-guide": doc(GUIDE, "second edition"),
        "/": links_page("Home", [("/new/naloxone-guide", GUIDE)]),
    }
    (result,) = accept_then_check(site, [entry], after, tmp_path).results
    assert (result.status, result.suggested_url, result.relocation) == ("broken", None, None)
    assert "/new/naloxone-guide" in site.site.paths()


def test_a_deleted_page_gets_no_suggestion_within_budget(sites: Serve, tmp_path: Path) -> None:
    """A resource removed from its site: nothing is proposed; few requests are made."""
    (site,) = sites(Site({"/a/b/c/naloxone-guide": doc(GUIDE, "guide")}))
    entry = resource(site.url("/a/b/c/naloxone-guide"), "guide", title=GUIDE)
    many = [(f"/naloxone/guide-{n}", f"Naloxone guide {n}") for n in range(300)]
    after = {
        "/sitemap.xml": xml(urlset(site.url(p) for p, _ in many)),
        "/": links_page("Home", many),
        "/a/b/": links_page("Section", many),
        **{p: doc(label, p) for p, label in many},
    }
    (result,) = accept_then_check(site, [entry], after, tmp_path, soft404_probe=False).results
    assert (result.status, result.suggested_url) == ("broken", None)
    assert 1 < len(site.log) <= 1 + 60


def test_a_folder_robots_disallow_is_not_searched(sites: Serve, tmp_path: Path) -> None:
    """The new address is in a folder robots.txt closes: never requested, not proposed."""
    (site,) = sites(Site({"/docs/naloxone-guide": doc(GUIDE, "guide")}))
    entry = resource(site.url("/docs/naloxone-guide"), "guide", title=GUIDE)
    after = {
        "/robots.txt": robots("User-agent: *\nDisallow: /private/\n"),
        "/sitemap.xml": xml(urlset([site.url("/private/naloxone-guide")])),
        "/": links_page("Home", [("/private/naloxone-guide", GUIDE)]),
        "/private/naloxone-guide": doc(GUIDE, "guide"),
    }
    (result,) = accept_then_check(site, [entry], after, tmp_path).results
    assert result.suggested_url is None
    assert not any(p.startswith("/private/") for p in site.site.paths())


def test_many_broken_entries_share_the_sites_fetches(sites: Serve, tmp_path: Path) -> None:
    """Ten deleted pages: robots.txt and the sitemap once, at most 60 requests each."""
    (site,) = sites(Site({f"/old/doc-{n}": doc(f"Doc {n}", f"d{n}") for n in range(10)}))
    entries = [resource(site.url(f"/old/doc-{n}"), f"d{n}", title=f"Doc {n}") for n in range(10)]
    many = [(f"/doc-{n}/v{v}", f"Doc {n}") for n in range(10) for v in range(30)]
    after = {
        "/sitemap.xml": xml(urlset(site.url(p) for p, _ in many)),
        "/": links_page("Home", many),
        **{p: doc(label, p) for p, label in many},
    }
    run = accept_then_check(site, entries, after, tmp_path, soft404_probe=False)
    assert all(r.suggested_url is None for r in run.results)
    paths = site.site.paths()
    assert paths.count("/robots.txt") == 1
    assert paths.count("/sitemap.xml") == 1
    assert len(paths) - len(entries) <= 60 * len(entries)


def test_hosts_needing_no_search_get_no_request(sites: Serve, tmp_path: Path) -> None:
    """Healthy hosts, entries without a baseline and --no-relocate ask nothing more."""
    healthy, unbaselined = sites(
        Site({"/ok": doc("Fine", "fine")}), Site({"/gone": doc("Gone", "gone")})
    )
    store = SnapshotStore(tmp_path / "catalog.yaml")
    ok = resource(healthy.url("/ok"), "ok", title="Fine")
    gone = resource(unbaselined.url("/gone"), "gone", title="Gone")
    unbaselined.site.routes.clear()
    run = asyncio.run(check_resources([ok, gone], FAST, snapshots=store))
    assert [r.status for r in run.results] == ["ok", "broken"]
    for site in (healthy, unbaselined):
        assert "/robots.txt" not in site.site.paths()
        assert "/sitemap.xml" not in site.site.paths()


def test_no_relocate_turns_the_search_off(sites: Serve, tmp_path: Path) -> None:
    """With relocation off, a broken entry with a baseline costs one request."""
    (site,) = sites(Site({"/docs/guide": doc(GUIDE, "guide")}))
    entry = resource(site.url("/docs/guide"), "guide", title=GUIDE)
    after = {
        "/sitemap.xml": xml(urlset([site.url("/new/guide")])),
        "/new/guide": doc(GUIDE, "guide"),
    }
    (result,) = accept_then_check(site, [entry], after, tmp_path, relocate=False).results
    assert result.suggested_url is None
    assert "/robots.txt" not in site.site.paths()
    assert dataclasses.replace(FAST).relocate


def test_a_moved_pdf_is_found_by_its_text(sites: Serve, tmp_path: Path) -> None:
    """A PDF that moved is compared by its text like any page."""
    body = make_pdf(["Naloxone distribution guide for county health departments"] * 20)
    pdf = (("Content-Type", "application/pdf"),)

    (site,) = sites(Site({"/files/guide.pdf": Reply(body=body, headers=pdf)}))
    entry = resource(site.url("/files/guide.pdf"), "pdf", title=GUIDE)
    after = {
        "/sitemap.xml": xml(urlset([site.url("/uploads/2025/guide.pdf")])),
        "/uploads/2025/guide.pdf": Reply(body=body, headers=pdf),
    }
    (result,) = accept_then_check(site, [entry], after, tmp_path).results
    assert result.relocation == Relocation(site.url("/uploads/2025/guide.pdf"), "sitemap", 1.0)


def test_the_report_says_where_it_was_found() -> None:
    """The JSON reads back; the terminal and Markdown reports say 'found at'."""
    relocated = CheckResult(
        "r0", "https://h0.org/p", Status.BROKEN, Reason.http(404), "gone",
        suggested_url="https://h0.org/new",
        relocation=Relocation("https://h0.org/new", "site_links", 0.93),
    )  # fmt: skip
    (again,) = parse_results(results_text(relocated)).results
    assert again.relocation == relocated.relocation
    plain = dataclasses.replace(relocated, relocation=None, suggested_url=None)
    (again,) = parse_results(results_text(plain)).results
    assert again.relocation is None
    text = "version: 1\nresources:\n  - id: r0\n    title: Guide\n    url: https://h0.org/p\n"
    source, document, catalog = parse_catalog(text.encode())
    loaded = CatalogFile(Path("catalog.yaml"), source, catalog, document)
    context = ReportContext(loaded, CheckRun((relocated,), "start", "end"))
    assert "found at https://h0.org/new" in render_terminal(context)
    assert "found at <https://h0.org/new>" in render_markdown(context)


def test_a_deep_link_sent_home_is_searched_too(sites: Serve, tmp_path: Path) -> None:
    """A soft 404 (the old address now redirects to the home page) is looked for."""
    (site,) = sites(Site({"/docs/naloxone-guide": doc(GUIDE, "guide")}))
    entry = resource(site.url("/docs/naloxone-guide"), "guide", title=GUIDE)
    after = {
        "/docs/naloxone-guide": redirect("/", 302),
        "/": links_page("Home", [("/about", "About"), ("/kits/naloxone-guide", GUIDE)]),
        "/kits/naloxone-guide": doc(GUIDE, "guide"),
    }
    (result,) = accept_then_check(site, [entry], after, tmp_path).results
    assert (result.status, result.reason) == ("broken", "soft_404")
    assert result.relocation == Relocation(site.url("/kits/naloxone-guide"), "site_links", 1.0)


def test_links_are_followed_one_level_further(sites: Serve, tmp_path: Path) -> None:
    """Home page, then the section page it links to, then the resource."""
    (site,) = sites(Site({"/old/naloxone-guide": doc(GUIDE, "guide")}))
    entry = resource(site.url("/old/naloxone-guide"), "guide", title=GUIDE)
    after = {
        "/": links_page("Home", [("/about", "About"), ("/resources/", "Naloxone resources")]),
        "/resources/": links_page("Resources", [("/resources/2025-distribution", GUIDE)]),
        "/resources/2025-distribution": doc(GUIDE, "guide"),
    }
    (result,) = accept_then_check(site, [entry], after, tmp_path).results
    assert result.relocation == Relocation(
        site.url("/resources/2025-distribution"), "site_links", 1.0
    )


def test_a_relocation_found_reveals_the_sites_renaming(sites: Serve, tmp_path: Path) -> None:
    """One page found in the sitemap shows how the site renamed the other, unlisted one."""
    (site,) = sites(
        Site({"/chapters/intro": doc("Intro", "intro"), "/chapters/peers": doc("Peers", "peer")})
    )
    entries = [
        resource(site.url("/chapters/intro"), "intro", title="Intro"),
        resource(site.url("/chapters/peers"), "peers", title="Peers"),
    ]
    after = {
        "/sitemap.xml": xml(urlset([site.url("/library/2025/intro.html")])),
        "/library/2025/intro.html": doc("Intro", "intro"),
        "/library/2025/peers.html": doc("Peers", "peer"),
    }
    run = accept_then_check(site, entries, after, tmp_path)
    assert _only(run.results, "intro").relocation == Relocation(
        site.url("/library/2025/intro.html"), "sitemap", 1.0
    )
    assert _only(run.results, "peers").relocation == Relocation(
        site.url("/library/2025/peers.html"), "url_pattern", 1.0
    )
