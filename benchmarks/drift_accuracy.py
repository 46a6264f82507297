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
import json
import random
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from drift_alterations import CHANGES, NOISE, Case, Page, title_of

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
