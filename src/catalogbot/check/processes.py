"""One run over several worker processes: every core of one machine, hosts kept whole.

The fetching process of a large run is CPU-bound (TLS, HTTP parsing, page analysis),
so ``check --processes N`` spreads the catalog's hosts over N processes with the
assignment shards use (``shards.py``): all of a host's links live in one process, so
per-host limits, soft-404 probes and a host's learned pauses hold as in one process.
The global concurrency is split between them.

Each worker only checks its links; the run is judged as a whole here, afterwards:
whether the runner was offline is decided over all hosts (a process that happened to
get the failing ones must not decide alone), and relocation searches run here once
the workers are done, so no host is ever talked to by two processes at once. The
results come back in catalog order, as one process gives them.

Workers are started with SIGINT ignored: Ctrl-C interrupts only this process, which
then stops every worker, so nothing prints a traceback.
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from multiprocessing.connection import Connection, wait
from multiprocessing.context import ForkContext, SpawnContext
from multiprocessing.process import BaseProcess

from catalogbot.catalog.model import Resource
from catalogbot.catalog.urls import host_of
from catalogbot.check.loop import run_loop
from catalogbot.check.options import CheckOptions
from catalogbot.check.result import CheckResult, FailureKind
from catalogbot.check.run import CheckRun, LinksChecked, Observer, check_links, judge_links
from catalogbot.check.shards import assign_hosts, host_weights
from catalogbot.clock import now_iso
from catalogbot.drift.snapshot import SnapshotStore
from catalogbot.errors import CatalogbotError

MAX_DEFAULT_PROCESSES = 8
"""Most processes chosen by default, however many CPUs there are."""
MIN_LINKS_PER_PROCESS = 2500
"""Each process gets at least this many links by default: a process and its text worker
cost time to start, and a short run is over before a second one pays for itself."""
MIN_CONCURRENCY_PER_PROCESS = 128
"""Each process gets at least this much of ``--concurrency`` by default. One process
keeps up with 128 requests in flight: on 10,000 links answering after 50 ms on a
2-core machine, one process took 5.15 s and two 5.27 s; with 256 in flight, one took
3.95 s and two 3.21 s (measured, every page with its baseline)."""
PROGRESS_BATCH = 64

PROGRESS_DELAY = 0.1
"""Seconds a worker holds finished results before it reports them anyway."""


def usable_cpus() -> int:
    """The CPUs this process may run on (fewer than the machine's in a container)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def default_processes(
    resources: Sequence[Resource], concurrency: int, cpus: int | None = None
) -> int:
    """The usable CPUs (``cpus`` when given), but at most eight, one per host with links
    to fetch, one per MIN_LINKS_PER_PROCESS links and one per
    MIN_CONCURRENCY_PER_PROCESS requests in flight."""
    cpus = usable_cpus() if cpus is None else cpus
    cap = min(
        cpus,
        MAX_DEFAULT_PROCESSES,
        len(resources) // MIN_LINKS_PER_PROCESS,
        concurrency // MIN_CONCURRENCY_PER_PROCESS,
    )
    if cap <= 1:
        return 1  # without reading every link's host (30 ms for 10,000 links)
    weights = host_weights(resources)
    hosts = sum(1 for weight in weights.values() if weight)
    links = sum(weights.values())
    return max(1, min(cap, hosts, links // MIN_LINKS_PER_PROCESS))


def split(resources: Sequence[Resource], count: int) -> list[list[Resource]]:
    """The resources of each process, whole hosts each, in catalog order within each."""
    hosts = [host_of(resource.url) for resource in resources]  # read once: 3 us a link
    assigned = assign_hosts(host_weights(resources, hosts), count)
    parts: list[list[Resource]] = [[] for _ in range(count)]
    for resource, host in zip(resources, hosts, strict=True):
        parts[assigned[host] - 1].append(resource)
    return [part for part in parts if part]


def _share(total: int, parts: int, index: int) -> int:
    """Part ``index`` of ``total`` split as evenly as whole numbers allow, at least 1."""
    return max(1, total // parts + (1 if index < total % parts else 0))


class WorkerError(CatalogbotError):
    """A worker process ended without its results (killed, or out of memory)."""


class _Reporter:
    """A worker's observer: sends finished results to the parent in small batches."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self._held: list[CheckResult] = []
        self._last = time.monotonic()

    def started(self, total: int) -> None:
        del total

    def finished(self, result: CheckResult) -> None:
        self._held.append(result)
        if len(self._held) >= PROGRESS_BATCH or time.monotonic() - self._last > PROGRESS_DELAY:
            self.flush()

    def flush(self) -> None:
        if self._held:
            self._conn.send(("results", self._held))
            self._held = []
        self._last = time.monotonic()


def _work(
    conn: Connection,
    resources: list[Resource],
    options: CheckOptions,
    snapshots: SnapshotStore | None,
    prepare: Callable[[], None] | None,
) -> None:
    """A worker's life: check its links, send the results, then what judging needs."""
    if prepare is not None:
        prepare()
    reporter = _Reporter(conn)
    checked = run_loop(check_links(resources, options, snapshots=snapshots, observer=reporter))
    reporter.flush()
    conn.send(("checked", (checked.host_outcomes, checked.unanswered)))
    conn.close()


def _context() -> ForkContext | SpawnContext:
    """Fork where it is safe: a forked worker starts at once with the catalog and the
    modules already loaded, where a spawned one imports everything and unpickles its
    share of the catalog first (about 0.25 s per worker for 10,000 links, one worker
    after the other, measured). Fork is safe only while this process runs a single
    thread, and only on Linux (macOS's system libraries may not survive a fork, which is
    why Python spawns there by default); otherwise workers are spawned."""
    if sys.platform.startswith("linux") and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


@contextmanager
def _sigint_ignored() -> Iterator[None]:
    """SIGINT ignored while workers start, so they inherit ignoring it."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    before = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, before)


def check_in_processes(
    resources: Sequence[Resource],
    options: CheckOptions,
    count: int,
    *,
    snapshots: SnapshotStore | None = None,
    observer: Observer | None = None,
    prepare: Callable[[], None] | None = None,
) -> CheckRun:
    """Check ``resources`` over ``count`` processes; the run as ``check_resources`` gives it.

    ``snapshots`` holds the baselines (None: no drift); ``prepare`` is run first
    in each worker (process tuning). Must not be called from a running event loop.
    """
    started_at = now_iso()
    parts = split(resources, max(1, min(count, options.concurrency)))
    if observer is not None:
        observer.started(len(resources))
    context = _context()
    workers: list[tuple[BaseProcess, Connection]] = []
    found: dict[str, CheckResult] = {}
    outcomes: list[tuple[str, bool]] = []
    unanswered: dict[str, FailureKind] = {}
    try:
        with _sigint_ignored():
            for index, part in enumerate(parts):
                mine = dataclasses.replace(
                    options, concurrency=_share(options.concurrency, len(parts), index)
                )
                ours, theirs = context.Pipe(duplex=False)
                process: BaseProcess = context.Process(
                    target=_work,
                    args=(theirs, part, mine, snapshots, prepare),
                    name=f"catalogbot-check-{index + 1}",
                )
                process.start()
                theirs.close()
                workers.append((process, ours))
        waiting = {conn: process for process, conn in workers}
        while waiting:
            for ready in wait(list(waiting)):
                assert isinstance(ready, Connection)
                try:
                    kind, payload = ready.recv()
                except (EOFError, OSError):
                    process = waiting.pop(ready)
                    process.join()
                    raise WorkerError(
                        f"a checking process ended without its results (exit code "
                        f"{process.exitcode}); try again with --processes 1"
                    ) from None
                if kind == "results":
                    for result in payload:
                        found[result.id] = result
                        if observer is not None:
                            observer.finished(result)
                else:
                    more_outcomes, more_unanswered = payload
                    outcomes.extend(more_outcomes)
                    unanswered.update(more_unanswered)
                    waiting.pop(ready)
    finally:
        for process, conn in workers:
            conn.close()
            if process.is_alive():
                process.terminate()
            process.join()
    checked = LinksChecked(tuple(found[r.id] for r in resources), tuple(outcomes), unanswered, {})
    results, offline, why = run_loop(judge_links(checked, resources, options, snapshots))
    return CheckRun(tuple(results), started_at, now_iso(), offline, why)
