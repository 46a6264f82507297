"""How well ``check`` finds where broken resources went, on reorganised loopback sites.

Builds H loopback sites with K resources of each kind, accepts every baseline, then
reorganises the sites: some resources move to an address their sitemap lists (among
F filler addresses; some keep their slug, some are renamed and keep only title words),
some like the sitemap's pages but unlisted (found by the renaming the others reveal),
some to one only a link from a section page reveals, some by a rewrite a sibling's 301
reveals, some into a folder robots.txt closes (not to be proposed), some are deleted,
some are replaced by a decoy with the same title and other text at a plausible address.
It then checks twice, without and with the relocation search, and prints:

- found: the share of moved resources whose new address was proposed;
- wrong: proposals that are not the resource's true new address (must be 0);
- requests per broken entry: the requests the search added, per broken entry.

    python benchmarks/relocation.py -H 3 -K 6 -F 20000
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import random
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from catalogbot.accept import accept_resources
from catalogbot.catalog.model import Resource
from catalogbot.check import CheckOptions, check_resources
from catalogbot.drift.snapshot import SnapshotStore
from support.reorganised import doc, links_page, robots, sitemap_index, urlset, xml
from support.webserver import Reply, RunningSite, Site, redirect, serve

KINDS = ("sitemap", "renamed", "learned", "links", "pattern", "deleted", "decoy", "disallowed")
FINDABLE = ("sitemap", "renamed", "learned", "links", "pattern")
_TOPICS = """naloxone diversion reentry housing courts peers pharmacy treatment outreach
    deflection prevention youth family employer grants navigators"""
TOPICS = _TOPICS.split()
OPTIONS = CheckOptions(timeout=5.0, retries=0, allow_private=True, canaries=(), workers=0)


@dataclasses.dataclass
class Case:
    resource: Resource
    kind: str
    new_path: str | None
    """Where it really went (None: gone)."""


def build(
    site: RunningSite, host: int, k: int, filler: int
) -> tuple[list[Case], dict[str, object]]:
    """The site's cases, with their pages served as before; returns the routes after."""
    rng = random.Random(host)  # noqa: S311 - reproducible layouts
    cases: list[Case] = []
    after: dict[str, object] = {}
    listed: list[str] = []
    sections: dict[str, list[tuple[str, str]]] = {}
    for kind in KINDS:
        for n in range(k):
            topic = rng.choice(TOPICS)
            slug = f"{topic}-{kind}-{host}-{n}"
            title = f"{topic.title()} {kind} toolkit {host} {n}"
            old = {
                "sitemap": f"/chapters/{slug}",
                "renamed": f"/chapters/{slug}",
                "learned": f"/chapters/{slug}",
                "disallowed": f"/chapters/{slug}",
                "links": f"/programs/{topic}/{slug}",
                "pattern": f"/guides/{slug}",
                "deleted": f"/old/{slug}",
                "decoy": f"/reports/{slug}",
            }[kind]
            new = {
                "sitemap": f"/library/2025/{slug}.html",
                "renamed": f"/documents/{topic}-toolkit-{host}{n}x.html",
                "learned": f"/library/2025/{slug}.html",
                "disallowed": f"/admin/{slug}",
                "links": f"/topics/{topic}/{slug}-resource",
                "pattern": f"/handbook/{slug}",
            }.get(kind)
            site.site.routes[old] = doc(title, slug)
            resource = Resource(id=slug, title=title, url=site.url(old))
            cases.append(Case(resource, kind, new if kind in FINDABLE else None))
            if new is not None:
                after[new] = doc(title, slug)
            if kind in ("sitemap", "renamed", "disallowed"):
                listed.append(site.url(new or ""))
            elif kind == "links":
                sections.setdefault(topic, []).append((new or "", title))
            elif kind == "decoy":
                after[f"/library/2025/{slug}.html"] = doc(title, f"{slug} second edition")
                listed.append(site.url(f"/library/2025/{slug}.html"))
    sibling = f"/guides/sibling-{host}"
    site.site.routes[sibling] = doc(f"Sibling {host}", f"sibling {host}")
    after[sibling] = redirect(f"/handbook/sibling-{host}")
    after[f"/handbook/sibling-{host}"] = doc(f"Sibling {host}", f"sibling {host}")
    cases.append(Case(Resource(id=f"sibling-{host}", title=f"Sibling {host}",
                               url=site.url(sibling)), "redirect", None))  # fmt: skip
    fill = [site.url(f"/archive/{rng.choice(TOPICS)}/item-{i}.html") for i in range(filler)]
    rng.shuffle(listed)
    after["/robots.txt"] = robots(
        f"User-agent: *\nDisallow: /admin/\nSitemap: {site.url('/s.xml')}\n"
    )
    after["/s.xml"] = xml(sitemap_index([site.url("/s1.xml.gz")]))
    after["/s1.xml.gz"] = xml(urlset([*fill[: filler // 2], *listed, *fill[filler // 2 :]]),
                              gzipped=True)  # fmt: skip
    for topic, links in sections.items():  # the old section pages are gone
        after[f"/topics/{topic}/"] = links_page(topic.title(), [("/", "Home"), *links])
    after["/"] = links_page("Home", [(f"/topics/{t}/", t.title()) for t in sections])
    return cases, after


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-H", type=int, default=3, help="sites")
    parser.add_argument("-K", type=int, default=6, help="resources of each kind per site")
    parser.add_argument("-F", type=int, default=20_000, help="filler addresses per sitemap")
    args = parser.parse_args()
    running = serve([Site() for _ in range(args.H)], first=40)
    try:
        cases: list[Case] = []
        afters = []
        for host, site in enumerate(running):
            host_cases, after = build(site, host, args.K, args.F)
            cases += host_cases
            afters.append(after)
        resources = [c.resource for c in cases]
        with tempfile.TemporaryDirectory() as root:
            store = SnapshotStore(Path(root) / "catalog.yaml")
            asyncio.run(accept_resources(resources, OPTIONS, store))
            for site, after in zip(running, afters, strict=True):
                site.site.routes.clear()
                site.site.routes.update(after)  # type: ignore[arg-type]
                site.site.fallback = Reply(404, b"not found")
            counts = []
            for relocate in (False, True):
                for site in running:
                    site.site.log.clear()
                options = dataclasses.replace(OPTIONS, relocate=relocate)
                run = asyncio.run(check_resources(resources, options, snapshots=store))
                counts.append(sum(len(s.site.log) for s in running))
    finally:
        for site in running:
            site.stop()
    by_id = {c.resource.id: c for c in cases}
    moved = [c for c in cases if c.new_path is not None]  # where a search may look
    broken = [r for r in run.results if r.status == "broken"]
    found = wrong = 0
    for result in run.results:
        case = by_id[result.id]
        if result.relocation is None:
            continue
        truth = case.resource.url.split("/", 3)[:3]
        if case.new_path is not None and result.relocation.url == "/".join(truth) + case.new_path:
            found += 1
        else:
            wrong += 1
    for r in run.results:
        if by_id[r.id].new_path is not None and r.relocation is None:
            print("  missed", r.id, r.detail[:300], r.warnings)
    print(f"sites {args.H}, resources {len(cases)}, moved {len(moved)}, broken {len(broken)}")
    for kind in KINDS:
        hits = sum(
            1 for r in run.results
            if by_id[r.id].kind == kind and r.relocation is not None
        )  # fmt: skip
        print(f"  {kind:<8} proposed {hits}/{args.K * args.H}")
    print(f"found {found}/{len(moved)} = {found / max(len(moved), 1):.0%}")
    print(f"wrong suggestions {wrong}")
    added = counts[1] - counts[0]
    print(f"requests per broken entry {added / max(len(broken), 1):.1f} "
          f"({added} added to {counts[0]} without the search)")  # fmt: skip


if __name__ == "__main__":
    main()
