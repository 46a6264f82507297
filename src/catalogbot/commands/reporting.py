"""What ``check`` and ``merge`` do with a finished run: the files asked for, the
terminal report, the Actions annotations and job summary, and the exit code."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from catalogbot.commands.common import EXIT_ATTENTION, EXIT_OFFLINE, EXIT_OK, EXIT_USAGE
from catalogbot.commands.console import Console
from catalogbot.commands.outputs import Output, write_output

if TYPE_CHECKING:
    from catalogbot.report.context import ReportContext
    from catalogbot.report.results_file import ResultLines


def report_run(
    context: ReportContext,
    outputs: Iterable[Output],
    console: Console,
    catalog: Path,
    *,
    verbose: bool = False,
    lines: ResultLines | None = None,
) -> int:
    """Write and print the run's reports; the exit code of a check with these results.
    ``lines`` holds the results file's lines rendered during the run, if they were.

    A report file that cannot be written is named after the terminal report, which is
    complete; the code stays 1 or 3 when the links need attention or the machine was
    offline, and is 2 only when nothing else did.
    """
    from catalogbot.report.actions import check_annotations, job_summary
    from catalogbot.report.markdown import render_markdown
    from catalogbot.report.results_file import render_results_pieces
    from catalogbot.report.terminal import render_terminal

    # The results go to a file piece by piece: a large run's file is tens of megabytes.
    renderers: dict[str, Callable[[ReportContext], str | Iterable[str]]] = {
        "--json": functools.partial(render_results_pieces, lines=lines),
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
    console.say(render_terminal(context, verbose=verbose, quiet=console.quiet))
    if console.actions:
        for line in check_annotations(context, str(catalog)):
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
    run = context.run
    code = EXIT_OFFLINE if run.offline else EXIT_ATTENTION if context.needs_attention else EXIT_OK
    for failure in failures:
        console.warn(f"error: {failure}; the report above is complete")
    return code if code != EXIT_OK or not failures else EXIT_USAGE
