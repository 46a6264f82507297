"""CPU cost of analysing one page, the part of a check that lychee does not do.

Runs catalogbot's page analysis (HTML extraction, normalisation, comparison) on the
benchmark's 20 KB pages in this process and prints milliseconds per page: without a
baseline; with a baseline the page still matches (the page digests are equal, so the
text is not normalised); and with a baseline it no longer matches (the text is
normalised and compared word by word).

    python benchmarks/parse_cost.py
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from latency_server import page

from catalogbot.drift.analyse import PageInput, analyse
from catalogbot.drift.snapshot import Snapshot, SnapshotStore

PAGES = [page(n) for n in range(200)]


def per_page(inputs: list[PageInput], rounds: int = 5) -> float:
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        for item in inputs:
            analyse(item)
        best = min(best, (time.perf_counter() - started) / len(inputs))
    return best * 1000


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="catalogbot-parse-") as folder:
        measure(SnapshotStore(Path(folder) / "catalog.yaml"))


def measure(store: SnapshotStore) -> None:
    """Baselines are read from their files, as the page analysis in a worker does."""
    html = "text/html; charset=utf-8"
    plain = [PageInput(body, html, catalog_text="Resource") for body in PAGES]
    same, changed = [], []
    for n, body in enumerate(PAGES):
        accepted = analyse(PageInput(body, html, want_text=True))
        baseline = Snapshot.of(
            id=f"r-{n}", url="u", final_url="u", content_type="text/html", kind="html",
            size=len(body), title=accepted.title, text=accepted.text or "", accepted_at="t",
            page_digest=accepted.page_digest,
        )  # fmt: skip
        path = str(store.save(baseline))
        same.append(PageInput(body, html, baseline_file=path, resource_id=f"r-{n}"))
        other = PAGES[(n + 1) % len(PAGES)]
        changed.append(PageInput(other, html, baseline_file=path, resource_id=f"r-{n}"))
    print(f"{len(PAGES[0]):,} byte pages")
    print(f"without a baseline:          {per_page(plain):.3f} ms per page")
    print(f"with a baseline, unchanged:  {per_page(same):.3f} ms per page")
    print(f"with a baseline, changed:    {per_page(changed):.3f} ms per page")


if __name__ == "__main__":
    main()
