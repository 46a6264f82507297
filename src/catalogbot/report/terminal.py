"""What ``catalogbot check`` prints: the links that need a look, then a summary line."""

from __future__ import annotations

import sys
from types import TracebackType
from typing import IO

from catalogbot.check.result import CheckResult, Status
from catalogbot.report.context import ORDER, ReportContext

SYMBOLS = {
    Status.OK: "ok",
    Status.REDIRECTED: "MOVED",
    Status.DRIFTED: "CHANGED",
    Status.BROKEN: "BROKEN",
    Status.UNVERIFIABLE: "UNSURE",
    Status.SKIPPED: "skip",
}


def _line(context: ReportContext, result: CheckResult) -> str:
    line, _ = context.position(result.id)
    text = f"{SYMBOLS[result.status]:<8} {result.id} (line {line}) {result.url}\n"
    text += f"         {result.reason}: {result.detail}"
    if result.suggested_url:
        text += f"\n         new address: {result.suggested_url}"
    return text


def render_terminal(context: ReportContext, *, verbose: bool = False) -> str:
    """Results worth a look (every result when ``verbose``), most urgent first."""
    shown = [
        r
        for status in ORDER
        for r in context.by_status(status)
        if (verbose or status not in (Status.OK, Status.SKIPPED)) and r.reason != "runner_offline"
    ]
    lines = [_line(context, r) for r in shown]
    if context.run.offline:
        unchecked = sum(1 for r in context.run.results if r.reason == "runner_offline")
        lines.append(
            f"NO NETWORK: this machine could not reach the internet, so {unchecked} links "
            "that could not be connected to were not checked and none of them is called "
            f"broken. ({context.run.offline_detail})"
        )
    lines.append(context.summary_line())
    return "\n".join(lines) + "\n"


class Progress:
    """A progress bar on an interactive terminal; nothing otherwise."""

    def __init__(self, stream: IO[str] | None = None) -> None:
        self._stream = stream or sys.stderr
        self._enabled = self._stream.isatty()
        self._bar: object | None = None
        self._task: object | None = None

    def __enter__(self) -> Progress:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._bar is not None:
            self._bar.stop()  # type: ignore[attr-defined]

    def started(self, total: int) -> None:
        if not self._enabled:
            return
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

        bar = Progress(
            "checking links",
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=Console(file=self._stream),
            transient=True,
        )
        self._task = bar.add_task("check", total=total)
        bar.start()
        self._bar = bar

    def finished(self, result: CheckResult) -> None:
        del result
        if self._bar is not None:
            self._bar.advance(self._task)  # type: ignore[attr-defined]
