"""``catalogbot check``: check links, print the report, write the requested files."""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable, Iterable
from dataclasses import replace

from catalogbot.commands.common import (
    EXIT_ATTENTION,
    EXIT_OFFLINE,
    EXIT_OK,
    EXIT_USAGE,
    catalog_path,
    load_catalog,
    prepare_process,
    run_async,
    selected,
)
from catalogbot.commands.console import Console
from catalogbot.commands.network import check_options
from catalogbot.commands.outputs import plan_outputs, write_output
from catalogbot.errors import UsageError


def run_check(args: argparse.Namespace, console: Console) -> int:
    from catalogbot.check.processes import check_in_processes, default_processes
    from catalogbot.check.run import check_resources
    from catalogbot.check.shards import WHOLE, select
    from catalogbot.drift.snapshot import SnapshotStore
    from catalogbot.report.actions import check_annotations, job_summary
    from catalogbot.report.context import ReportContext
    from catalogbot.report.markdown import render_markdown
    from catalogbot.report.results_file import render_results_pieces
    from catalogbot.report.terminal import Progress, render_terminal

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
    processes = args.processes or default_processes(resources)
    if processes > 1 and args.net_workers is None and options.workers:
        # Each fetching process gets its share of the text workers, at least one: reading
        # pages in the fetching process instead made a 10,000-link run with two
        # processes 1.7 times slower (inline 11.6 s, one worker each 6.9 s, measured).
        options = replace(options, workers=max(1, options.workers // processes))
    prepare_process()
    with Progress() as progress:
        if processes > 1:
            run = check_in_processes(
                resources,
                options,
                processes,
                snapshots=store,
                observer=progress,
                prepare=prepare_process,
            )
        else:
            run = run_async(check_resources(resources, options, snapshots=store, observer=progress))
    run = replace(run, shard=shard)
    context = ReportContext(loaded, run)
    # The results go to a file piece by piece: a large run's file is tens of megabytes.
    renderers: dict[str, Callable[[ReportContext], str | Iterable[str]]] = {
        "--json": render_results_pieces,
        "--markdown": render_markdown,
    }
    failures = []
    for output in outputs:
        text = renderers[output.flag](context)
        if output.to_stdout:
            console.report_to_stderr = True
            console.data(text if isinstance(text, str) else "".join(text))
        elif (failure := write_output(output, text)) is not None:
            failures.append(failure)
    console.say(render_terminal(context, verbose=args.verbose, quiet=console.quiet))
    if console.actions:
        for line in check_annotations(context, str(path)):
            console.command(line)
        summary = os.environ.get("GITHUB_STEP_SUMMARY")
        if summary:
            try:
                with open(summary, "a", encoding="utf-8") as handle:
                    handle.write(job_summary(context))
            except OSError as error:
                console.warn(
                    f"warning: the job summary cannot be written: {error.strerror or error}"
                )
    code = EXIT_OFFLINE if run.offline else EXIT_ATTENTION if context.needs_attention else EXIT_OK
    for failure in failures:
        console.warn(f"error: {failure}; the report above is complete")
    return code if code != EXIT_OK or not failures else EXIT_USAGE
