"""CPU cost of analysing one page, the part of a check that lychee does not do.

Runs catalogbot's page analysis (HTML extraction, normalisation, comparison) on the
benchmark's 20 KB pages in this process and prints milliseconds per page: without a
baseline (what every page costs) and with one (what a page with an accepted snapshot
costs: its text is normalised and compared).

    python benchmarks/parse_cost.py
"""

from __future__ import annotations

import time

from latency_server import page

from catalogbot.drift.analyse import PageInput, analyse
from catalogbot.drift.extract import extract
from catalogbot.drift.normalise import normalise
from catalogbot.drift.snapshot import Snapshot

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
    plain = [PageInput(body, "text/html; charset=utf-8", catalog_text="Resource") for body in PAGES]
    compared = []
    for n, body in enumerate(PAGES):
        extracted = extract(body, "text/html")
        baseline = Snapshot.of(
            id=f"r-{n}", url="u", final_url="u", content_type="text/html", kind="html",
            size=len(body), title=extracted.title, text=normalise(extracted.text), accepted_at="t",
        )  # fmt: skip
        compared.append(PageInput(body, "text/html; charset=utf-8", baseline=baseline))
    print(f"{len(PAGES[0]):,} byte pages")
    print(f"without a baseline: {per_page(plain):.3f} ms per page")
    print(f"with a baseline:    {per_page(compared):.3f} ms per page")


if __name__ == "__main__":
    main()
