"""How well drift detection tells noise from real change on a folder of real pages.

Serves every ``*.html.gz`` page of CORPUS_DIR from loopback, runs ``catalogbot accept
--all`` on them, then serves each page in one altered version at a time and runs
``catalogbot check`` (the same commands, process pool and analysis that users get).
Noise a site produces between two visits must stay ``ok``; real changes must be
``drifted``. Prints false alarms and missed changes per kind and the pages concerned.

    python benchmarks/drift_accuracy.py ../shared/realpages
    python benchmarks/drift_accuracy.py ../shared/realpages --only noise:menu change:stub

The corpus folder may hold a MANIFEST.tsv (columns id, site, ...): pages of one site are
used as each other's "same-site article". Pages are read from the folder and never
written anywhere else.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import html
import json
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

_PARTS = re.compile(
    r"(<!--.*?-->|<script\b.*?</script\s*>|<style\b.*?</style\s*>|<[^>]*>)", re.I | re.S
)
_TITLE = re.compile(r"(<title\b[^>]*>)(.*?)(</title\s*>)", re.I | re.S)
_H1 = re.compile(r"(<h1\b[^>]*>)(.*?)(</h1\s*>)", re.I | re.S)
_BODY_OPEN = re.compile(r"<body\b[^>]*>", re.I)
_SEPARATORS = re.compile(r"\s+(?:\||-|\u2013|\u2014|::|\u00b7)\s+")
PROSE_WORDS = 8
"""A run of text between two tags with at least this many words is prose, not a label."""

VOCABULARY = [
    "council",
    "budget",
    "river",
    "station",
    "report",
    "winter",
    "garden",
    "police",
    "market",
    "school",
    "museum",
    "library",
    "harbour",
    "project",
    "village",
    "festival",
    "energy",
    "health",
    "transport",
    "housing",
    "airport",
    "bridge",
    "election",
    "summit",
    "climate",
    "hospital",
    "farmers",
    "teachers",
    "research",
    "program",
    "county",
]


@dataclass(frozen=True)
class Page:
    id: str
    site: str
    html: str


@dataclass(frozen=True)
class Case:
    """One page to alter, another page to borrow from, and a seeded generator."""

    page: Page
    donor: Page
    rng: random.Random


# --- text surgery: operate on the runs of text between tags, never on markup ---------


def segments(page: str) -> list[str]:
    """The page split into markup (odd indexes) and text (even indexes)."""
    return _PARTS.split(page)


def body_text_indexes(parts: list[str]) -> list[int]:
    """Indexes of text runs inside <body> (or everywhere after <head> without one)."""
    in_body = not any(_BODY_OPEN.fullmatch(p) for p in parts[1::2])
    found = []
    for i, part in enumerate(parts):
        if i % 2:
            if _BODY_OPEN.fullmatch(part):
                in_body = True
            continue
        if in_body and part.strip():
            found.append(i)
    return found


_TAG_NAME = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)")
_BLOCK_TAGS = frozenset(
    ["p", "div", "ul", "ol", "li", "table", "tr", "td", "h1", "h2", "h3", "h4", "h5", "h6",
     "section", "article", "blockquote", "dl", "dd", "dt", "pre", "form", "header", "footer",
     "main", "aside", "nav", "figure"]
)  # fmt: skip


def prose_units(parts: list[str]) -> list[list[int]]:
    """Paragraphs of prose: the text runs of each <p> with at least PROSE_WORDS words
    outside links, and runs of as many words outside any <p> or link."""
    inside_body = set(body_text_indexes(parts))
    units: list[list[int]] = []
    paragraph: list[int] | None = None
    in_link = False

    def close() -> None:
        if paragraph and sum(len(parts[i].split()) for i in paragraph if i >= 0) >= PROSE_WORDS:
            units.append([abs(i) for i in paragraph])

    for i, part in enumerate(parts):
        if i % 2:
            tag = _TAG_NAME.match(part)
            if tag is None:
                continue
            closing, name = tag.group(1) == "/", tag.group(2).lower()
            if name == "a":
                in_link = not closing
            elif name in _BLOCK_TAGS and paragraph is not None:
                close()
                paragraph = None
            if name == "p" and not closing:
                paragraph = []
            continue
        if i not in inside_body:
            continue
        if paragraph is not None:
            paragraph.append(-i if in_link else i)  # negative: link text, not counted
        elif not in_link and len(html.unescape(part).split()) >= PROSE_WORDS:
            units.append([i])
    close()
    return units


def replace_unit(parts: list[str], unit: list[int], text: str) -> None:
    parts[unit[0]] = text
    for i in unit[1:]:
        parts[i] = ""


def unit_text(parts: list[str], unit: list[int]) -> str:
    return " ".join(parts[i] for i in unit)


def after_body_open(page: str, snippet: str) -> str:
    match = _BODY_OPEN.search(page)
    at = match.end() if match else 0
    return page[:at] + snippet + page[at:]


def before_content_end(page: str, snippet: str) -> str:
    """Insert inside the page's article or main element when it has one (harshest)."""
    lowered = page.lower()
    for closing in ("</article>", "</main>", "</body>"):
        at = lowered.rfind(closing)
        if at >= 0:
            return page[:at] + snippet + page[at:]
    return page + snippet


def site_name(page: Page) -> str:
    match = _TITLE.search(page.html)
    title = html.unescape(match.group(2)).strip() if match else ""
    parts = [p for p in _SEPARATORS.split(title) if p.strip()]
    return parts[-1].strip() if len(parts) > 1 else page.site


def title_of(page: Page) -> str:
    match = _TITLE.search(page.html)
    return html.unescape(match.group(2)).strip() if match else ""


def set_title(page: str, title: str) -> str:
    escaped = html.escape(title)
    if _TITLE.search(page):
        return _TITLE.sub(lambda m: m.group(1) + escaped + m.group(3), page, count=1)
    return f"<title>{escaped}</title>" + page


def headline(rng: random.Random, words: int = 8) -> str:
    return " ".join(rng.choice(VOCABULARY) for _ in range(words)).capitalize()


# --- noise: what a site does between two visits ------------------------------------


_DIGIT_OR_ENTITY = re.compile(r"&#?\w+;|\d")


def _shift_digit(match: re.Match[str]) -> str:
    found = match.group()
    return found if found.startswith("&") else str((int(found) + 3) % 10)


def noise_dates(case: Case) -> str:
    page = case.page
    parts = segments(page.html)
    for i in body_text_indexes(parts):
        parts[i] = _DIGIT_OR_ENTITY.sub(_shift_digit, parts[i])
    stamp = '<p class="updated">Last updated on Friday, 9 October 2026 at 14:05</p>'
    return after_body_open("".join(parts), stamp)


def noise_counters(case: Case) -> str:
    page, rng = case.page, case.rng
    counters = (
        f'<div class="meta"><span>{rng.randint(1000, 99999):,} views</span> '
        f"<span>{rng.randint(2, 400)} comments</span> "
        f"<span>{rng.randint(2, 90)} shares</span></div>"
    )
    if _H1.search(page.html):
        return _H1.sub(lambda m: m.group(0) + counters, page.html, count=1)
    return after_body_open(page.html, counters)


def noise_cookie(case: Case) -> str:
    page = case.page
    notice = (
        '<div id="cookie-law-info-bar" class="cookie-notice"><p>We use cookies to give you '
        "the best experience on our website and to analyse our traffic. By clicking accept "
        "you agree to our use of cookies as described in our privacy policy.</p>"
        '<a href="#">Accept all</a> <a href="#">Reject</a> <a href="#">Settings</a></div>'
    )
    return after_body_open(page.html, notice)


def noise_banner(case: Case) -> str:
    page = case.page
    banner = (
        '<div class="site-alert"><p><strong>Notice:</strong> Our offices will be closed on '
        'Monday for the public holiday. <a href="/hours">See opening hours</a></p></div>'
    )
    return after_body_open(page.html, banner)


def noise_menu(case: Case) -> str:
    page, rng = case.page, case.rng
    labels = [" ".join(rng.sample(VOCABULARY, 2)).title() for _ in range(30)]
    items = "".join(
        f'<div class="menu-item"><a href="/section/{n}">{label}</a></div>'
        for n, label in enumerate(labels)
    )
    return after_body_open(page.html, f'<div class="menu-wrap">{items}</div>')


def noise_sidebar(case: Case) -> str:
    page, rng = case.page, case.rng

    def teaser_list(name: str) -> str:
        items = "".join(
            f'<li><a href="/story/{rng.randint(1, 10**6)}">{headline(rng)}</a></li>'
            for _ in range(8)
        )
        return f'<div class="widget"><h2>{name}</h2><ul>{items}</ul></div>'

    return before_content_end(page.html, teaser_list("Most popular") + teaser_list("Related"))


def noise_scripts(case: Case) -> str:
    page, rng = case.page, case.rng
    state = json.dumps({"session": f"{rng.getrandbits(64):x}", "ab": rng.choice("ABC")})
    script = f"<script>window.__STATE__ = {state};</script>"
    style = f"<style>.x{rng.randint(1, 999)} {{ color: #{rng.getrandbits(24):06x} }}</style>"
    page_with = after_body_open(page.html, script + style)
    return before_content_end(page_with, f'<script src="/app.{rng.getrandbits(32):x}.js"></script>')


def noise_word_edits(case: Case) -> str:
    """One word in twenty of the prose replaced by another word."""
    page, rng = case.page, case.rng
    parts = segments(page.html)
    count = 0
    for unit in prose_units(parts):
        for i in unit:
            words = parts[i].split(" ")
            for w in range(len(words)):
                if words[w].isalpha():
                    count += 1
                    if count % 20 == 0:
                        words[w] = rng.choice(VOCABULARY)
            parts[i] = " ".join(words)
    return "".join(parts)


# --- real changes ------------------------------------------------------------------


def change_replaced_body(case: Case) -> str:
    """The same template, title and heading; every paragraph is another site's prose."""
    page, donor = case.page, case.donor
    donor_parts = segments(donor.html)
    donor_prose = [unit_text(donor_parts, unit) for unit in prose_units(donor_parts)]
    parts = segments(page.html)
    for n, unit in enumerate(prose_units(parts)):
        replace_unit(parts, unit, donor_prose[n % len(donor_prose)] if donor_prose else "")
    return "".join(parts)


STUB = (
    " This page has moved. Our website has been reorganised and this content now lives "
    "at a new address; please update your bookmarks. "
)


def change_stub(case: Case) -> str:
    """The same template and title, the prose gone but one 'moved' sentence."""
    parts = segments(case.page.html)
    units = prose_units(parts)
    for unit in units:
        replace_unit(parts, unit, "")
    if units:
        parts[units[0][0]] = STUB
        return "".join(parts)
    return after_body_open("".join(parts), f"<p>{STUB}</p>")


def change_home_page(case: Case) -> str:
    """The site's home page: its name as title, teasers where the article was."""
    page, rng = case.page, case.rng
    name = html.escape(site_name(page))
    parts = segments(page.html)
    for unit in prose_units(parts):
        teaser = f'<a href="/story/{rng.randint(1, 10**6)}">{headline(rng)}</a>'
        replace_unit(parts, unit, teaser)
    home = _H1.sub(lambda m: m.group(1) + name + m.group(3), "".join(parts), count=1)
    return set_title(home, site_name(page))


FIRST_WORDS = 40
"""A first paragraph longer than this (a page written as one block) is cut to it."""


def change_first_paragraph(case: Case) -> str:
    parts = segments(case.page.html)
    units = prose_units(parts)
    for unit in units[1:]:
        replace_unit(parts, unit, "")
    if units:
        words = html.unescape(unit_text(parts, units[0])).split()
        if len(words) > FIRST_WORDS:
            replace_unit(parts, units[0], html.escape(" ".join(words[:FIRST_WORDS])))
    return "".join(parts)


def change_new_title(case: Case) -> str:
    page, donor, rng = case.page, case.donor, case.rng
    return set_title(page.html, title_of(donor) or headline(rng))


def change_same_site(case: Case) -> str:
    donor = case.donor
    return donor.html


Alteration = Callable[[Case], str]
NOISE: dict[str, Alteration] = {
    "dates": noise_dates,
    "counters": noise_counters,
    "cookie": noise_cookie,
    "banner": noise_banner,
    "menu": noise_menu,
    "sidebar": noise_sidebar,
    "scripts": noise_scripts,
    "word_edits": noise_word_edits,
}
CHANGES: dict[str, Alteration] = {
    "replaced_body": change_replaced_body,
    "same_site": change_same_site,
    "stub": change_stub,
    "home_page": change_home_page,
    "first_paragraph": change_first_paragraph,
    "new_title": change_new_title,
}


# --- corpus, server and commands ---------------------------------------------------


def load_corpus(folder: Path) -> list[Page]:
    sites: dict[str, str] = {}
    manifest = folder / "MANIFEST.tsv"
    if manifest.exists():
        rows = [line for line in manifest.read_text().splitlines() if not line.startswith("#")]
        for row in csv.DictReader(rows, delimiter="\t"):
            sites[row["id"]] = row["site"]
    pages = []
    for path in sorted(folder.glob("*.html.gz")):
        pid = path.name.removesuffix(".html.gz")
        text = gzip.decompress(path.read_bytes()).decode("utf-8", errors="replace")
        pages.append(Page(pid, sites.get(pid, pid.rsplit("-", 1)[0]), text))
    return pages


class Corpus:
    """What the server serves: each page in the version named by ``variant``."""

    def __init__(self, pages: list[Page]) -> None:
        self.pages = {p.id: p for p in pages}
        self.bodies: dict[str, str] = {}

    def use(self, bodies: dict[str, str]) -> None:
        self.bodies = bodies


def serve(corpus: Corpus) -> tuple[ThreadingHTTPServer, str]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = corpus.bodies.get(self.path.strip("/").split("?")[0])
            if body is None:
                self.send_response(404)
                payload = b"<html><title>Not found</title><body>Not found</body></html>"
            else:
                self.send_response(200)
                payload = body.encode("utf-8")
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def write_catalog(path: Path, pages: list[Page], base: str) -> None:
    lines = ["version: 1", "resources:"]
    for page in pages:
        title = json.dumps(title_of(page)[:150] or page.id)
        lines += [f"  - id: {page.id}", f"    title: {title}", f'    url: "{base}/{page.id}"']
    path.write_text("\n".join(lines) + "\n")


COMMON = ["--allow-private", "--retries", "0", "--per-host", "8", "--timeout", "30"]


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "catalogbot", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )


def check(cwd: Path, ids: list[str]) -> dict[str, dict[str, object]]:
    out = cwd / "results.json"
    run("check", "--json", str(out), *COMMON, "--only", *ids, cwd=cwd)
    data = json.loads(out.read_text())
    return {r["id"]: r for r in data["results"]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--only", nargs="*", default=[], help="kinds such as noise:menu")
    parser.add_argument("--seed", type=int, default=11)
    options = parser.parse_args()
    pages = load_corpus(options.corpus)
    if not pages:
        print(f"no *.html.gz pages in {options.corpus}", file=sys.stderr)
        return 2
    by_site: dict[str, list[Page]] = {}
    for page in pages:
        by_site.setdefault(page.site, []).append(page)
    corpus = Corpus(pages)
    server, base = serve(corpus)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        cwd = Path(folder)
        write_catalog(cwd / "catalog.yaml", pages, base)
        corpus.use({p.id: p.html for p in pages})
        accepted = run("accept", "--all", *COMMON, cwd=cwd)
        snapshots = {p.stem for p in (cwd / "snapshots").glob("*.txt")}
        refused = [p.id for p in pages if p.id not in snapshots]
        print(f"{len(pages)} pages, {len(by_site)} sites; accept exit {accepted.returncode}")
        if refused:
            print(f"not accepted ({len(refused)}): {' '.join(refused)}")
        live = [p for p in pages if p.id not in refused]
        kinds = [("noise", n) for n in NOISE] + [("change", c) for c in CHANGES]
        if options.only:
            kinds = [k for k in kinds if f"{k[0]}:{k[1]}" in options.only]
        rows: list[tuple[str, str, int, int, list[str]]] = []
        for group, name in kinds:
            bodies: dict[str, str] = {}
            for n, page in enumerate(live):
                rng = random.Random(f"{options.seed}:{name}:{page.id}")  # noqa: S311
                siblings = [
                    p
                    for p in by_site[page.site]
                    if p.id != page.id and title_of(p) != title_of(page)
                ]
                others = [p for p in live if p.site != page.site]
                donor = others[(n * 7 + 3) % len(others)]
                if name == "same_site":
                    if not siblings:
                        continue
                    donor = siblings[0]
                alter = NOISE[name] if group == "noise" else CHANGES[name]
                bodies[page.id] = alter(Case(page, donor, rng))
            corpus.use(bodies)
            results = check(cwd, sorted(bodies))
            bad = []
            for pid in sorted(bodies):
                status = str(results.get(pid, {}).get("status", "missing"))
                wrong = status != "ok" if group == "noise" else status == "ok"
                if wrong:
                    sim = results.get(pid, {}).get("similarity")
                    bad.append(f"{pid}({status},{sim})")
            rows.append((group, name, len(bodies), len(bad), bad))
            label = "false alarms" if group == "noise" else "missed"
            print(f"{group:6} {name:16} {len(bad):3} {label} of {len(bodies)}", flush=True)
    server.shutdown()
    print()
    for group, label in (("noise", "false alarms"), ("change", "missed changes")):
        total = sum(r[2] for r in rows if r[0] == group)
        missed = sum(r[3] for r in rows if r[0] == group)
        share = missed / total if total else 0.0
        print(f"{label}: {missed} of {total} ({share:.1%})")
    per_page: dict[str, list[str]] = {}
    for _group, name, _, _, bad in rows:
        for item in bad:
            per_page.setdefault(item.split("(")[0], []).append(f"{name}{item[item.index('(') :]}")
    if per_page:
        print("\nby page:")
        for pid in sorted(per_page):
            print(f"  {pid}: {', '.join(per_page[pid])}")
    print(f"\n{time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
