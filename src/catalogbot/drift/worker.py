"""What a page-analysing worker process runs.

Kept apart from the pool so that a starting worker imports only the page analysis, not
asyncio and the pool's machinery: a worker that is ready sooner reads the first pages
while the run is still starting.
"""

from __future__ import annotations

from multiprocessing.connection import Connection

from catalogbot.drift.analyse import PageAnalysis, PageInput, analyse


def safe_analyse(page: PageInput) -> PageAnalysis:
    """analyse(), with any failure turned into a result that says so."""
    try:
        return analyse(page)
    except Exception as error:
        return PageAnalysis("other", error=f"the content could not be analysed ({error!r:.200})")


def worker_main(conn: Connection) -> None:
    """A worker's life: receive a batch, answer it, until told to stop."""
    while True:
        try:
            batch = conn.recv()
        except (EOFError, OSError):
            return
        if batch is None:
            return
        conn.send([safe_analyse(page) for page in batch])
