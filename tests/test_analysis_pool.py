"""Page analysis in worker processes: same answers as inline, bounded in time."""

from __future__ import annotations

import asyncio

from catalogbot.drift.analyse import PageAnalysis, PageInput
from catalogbot.drift.pool import ProcessAnalyser
from catalogbot.drift.worker import safe_analyse


def page(i: int) -> bytes:
    return f"<html><title>Page {i}</title><main><p>text of page {i}</p></main></html>".encode()


async def analyse_all(pool: ProcessAnalyser, pages: list[PageInput]) -> list[PageAnalysis]:
    try:
        return list(await asyncio.gather(*(pool.analyse(p) for p in pages)))
    finally:
        await pool.aclose()


def test_workers_give_the_same_answers_as_inline() -> None:
    """Fifty pages through two workers, in batches: the same results, in order."""
    pages = [PageInput(page(i), "text/html") for i in range(50)]
    results = asyncio.run(analyse_all(ProcessAnalyser(2, 10), pages))
    assert results == [safe_analyse(p) for p in pages]


def test_a_page_that_takes_too_long_is_given_up_alone() -> None:
    """A catastrophic ignore pattern stalls one page; its worker is killed, the rest finish."""
    slow = PageInput(
        b"<main>" + b"a" * 40 + b"!</main>", "text/html", ignore=("(a+)+$",), want_text=True
    )
    pages = [PageInput(page(1), "text/html"), slow, PageInput(page(2), "text/html")]
    pool = ProcessAnalyser(1, 1.0)
    first, stalled, last = asyncio.run(analyse_all(pool, pages))
    assert first.title == "Page 1"
    assert last.title == "Page 2"
    assert stalled.error is not None
    assert "longer than 1 s" in stalled.error


def test_closing_stops_every_worker() -> None:
    """After aclose no worker process is left running."""
    pool = ProcessAnalyser(2, 10)
    asyncio.run(analyse_all(pool, [PageInput(page(1), "text/html")]))
    assert all(not w.process.is_alive() for w in pool._workers)
