"""``catalogbot check``: check links, print the report, write the requested files."""

from __future__ import annotations

import argparse
from dataclasses import replace
from typing import TYPE_CHECKING

from catalogbot.collector import paused_gc
from catalogbot.commands.common import (
    catalog_path,
    load_catalog,
    prepare_process,
    run_async,
    selected,
)
from catalogbot.commands.console import Console
from catalogbot.commands.network import check_options
from catalogbot.commands.outputs import plan_outputs
from catalogbot.commands.reporting import report_run
from catalogbot.errors import UsageError

if TYPE_CHECKING:
    from catalogbot.check.result import CheckResult
    from catalogbot.check.run import Observer


def run_check(args: argparse.Namespace, console: Console) -> int:
    # Start-up (the modules, the catalog) makes no reference cycles: collecting during
    # it walked the same objects again and again for nothing (20 ms of a 0.45 s start,
    # measured).
    with paused_gc():
        from catalogbot.check.processes import check_in_processes, default_processes
        from catalogbot.check.run import check_resources
        from catalogbot.check.shards import WHOLE, select
        from catalogbot.drift.snapshot import SnapshotStore
        from catalogbot.report.context import ReportContext
        from catalogbot.report.results_file import ResultLines
        from catalogbot.report.terminal import Progress

        path = catalog_path(args)
        store = SnapshotStore(path)
        outputs = plan_outputs(
            [("--json", args.json), ("--markdown", args.markdown)],
            inputs=[path],
            protected=[store.root],
        )
        if args.only and args.shard is not None:
            raise UsageError(
                "--shard and --only cannot be combined: a shard is a share of the whole catalog"
            )
        loaded = load_catalog(path)
        resources = selected(list(loaded.catalog.resources), args.only, path)
        shard = None if args.only else args.shard or WHOLE
        if shard is not None:
            resources = select(resources, shard)
        options = replace(check_options(args, len(resources)), relocate=args.relocate)
        processes = args.processes or default_processes(resources, options.concurrency)
        if processes > 1 and args.net_workers is None and options.workers:
            # Each fetching process gets its share of the text workers, at least one: reading
            # pages in the fetching process instead made a 10,000-link run with two
            # processes 1.7 times slower (inline 11.6 s, one worker each 6.9 s, measured).
            options = replace(options, workers=max(1, options.workers // processes))
        # The results file's lines are rendered as the results arrive, when one is asked for.
        lines = ResultLines(loaded) if any(o.flag == "--json" for o in outputs) else None
        prepare_process()  # freezes what start-up loaded before the collector runs again
    with Progress() as progress:
        observer = progress if lines is None else Observers(progress, lines)
        if processes > 1:
            run = check_in_processes(
                resources,
                options,
                processes,
                snapshots=store,
                observer=observer,
                prepare=prepare_process,
            )
        else:
            run = run_async(check_resources(resources, options, snapshots=store, observer=observer))
    run = replace(run, shard=shard)
    context = ReportContext(loaded, run)
    return report_run(context, outputs, console, path, verbose=args.verbose, lines=lines)


class Observers:
    """Several observers of one run, told in turn."""

    def __init__(self, *observers: Observer) -> None:
        self._observers = observers

    def started(self, total: int) -> None:
        for observer in self._observers:
            observer.started(total)

    def finished(self, result: CheckResult) -> None:
        for observer in self._observers:
            observer.finished(result)
