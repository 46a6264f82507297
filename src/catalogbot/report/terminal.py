"""What ``catalogbot check`` prints: the links that need a look, then a summary line."""

from __future__ import annotations

import sys
from types import TracebackType
from typing import IO, TYPE_CHECKING

from catalogbot.check.result import (
    REPORT_ORDER,
    CheckResult,
    DriftEvidence,
    Reason,
    ResultWarning,
    Status,
)
from catalogbot.drift.similarity import opening
from catalogbot.report.annotations import one_line
from catalogbot.report.context import ReportContext
from catalogbot.report.presentation import STATUSES, VERBOSE_WARNINGS, warning_text

INDENT = " " * 9
"""Where the lines under an entry's first line start."""
SHOWN_OPENING = 160
"""Characters of a drifted page's opening shown, before and now, to keep lines short."""

if TYPE_CHECKING:
    from rich.progress import Progress as RichProgress
    from rich.progress import TaskID


def _line(context: ReportContext, result: CheckResult, *, verbose: bool) -> str:
    line, _ = context.position(result.id)
    text = f"{STATUSES[result.status].symbol:<8} {result.id} (line {line}) {one_line(result.url)}\n"
    text += f"{INDENT}{one_line(result.reason)}: {one_line(result.detail)}"
    if result.relocation is not None:
        text += f"\n{INDENT}found at {one_line(result.relocation.url)} ({_found_how(result)})"
    elif result.suggested_url:
        text += f"\n{INDENT}new address: {one_line(result.suggested_url)}"
    if result.evidence is not None:
        text += "".join(f"\n{INDENT}{part}" for part in _before_and_now(result.evidence))
    text += "".join(
        f"\n{INDENT}note: {warning_text(w, markdown=False)}" for w in _notes(result, verbose)
    )
    return text


def _quoted(text: str, limit: int = 200) -> str:
    """Page text in quotes on one line, its control characters escaped: whole sentences
    up to ``limit`` characters, else its first words."""
    return f"\u201c{one_line(opening(text, limit))}\u201d" if text else "(none)"


def _before_and_now(evidence: DriftEvidence) -> list[str]:
    """A drifted page's title and opening, as reviewed and now: a line each."""
    lines = []
    if evidence.title_before == evidence.title_now:
        if evidence.title_now:
            lines.append(f"title: {_quoted(evidence.title_now)} (unchanged)")
    else:
        before, now = _quoted(evidence.title_before), _quoted(evidence.title_now)
        lines.append(f"title was: {before} / now: {now}")
    if evidence.text_before or evidence.text_now:
        before = _quoted(evidence.text_before, SHOWN_OPENING)
        now = _quoted(evidence.text_now, SHOWN_OPENING)
        lines.append(f"text was: {before} / now: {now}")
    return lines


def _notes(result: CheckResult, verbose: bool) -> list[ResultWarning]:
    """The warnings a result's entry shows (the routine ones only when ``verbose``)."""
    return [w for w in result.warnings if verbose or w not in VERBOSE_WARNINGS]


def _found_how(result: CheckResult) -> str:
    """How a relocation was found and how much of the reviewed text it has."""
    relocation = result.relocation
    assert relocation is not None
    where = {"sitemap": "the site's sitemap", "site_links": "a link on the site"}
    how = where.get(relocation.source, "the address pattern of the site's other moves")
    return f"through {how}; {relocation.similarity:.0%} of the reviewed text"


def _shown(result: CheckResult, *, verbose: bool, quiet: bool) -> bool:
    """Whether the report lists ``result``: a healthy link only when it carries a warning
    worth a look (a baseline that cannot be read, a page whose text cannot), or when
    ``verbose``."""
    if quiet:
        return result.status.needs_attention
    if verbose or result.status not in (Status.OK, Status.SKIPPED):
        return True
    return bool(_notes(result, verbose))


def render_terminal(context: ReportContext, *, verbose: bool = False, quiet: bool = False) -> str:
    """Results worth a look (every result when ``verbose``; only those that need a person
    when ``quiet``), most urgent first, then a summary line. Text from the catalog and
    from servers is printed with its control characters escaped."""
    shown = [
        r
        for status in REPORT_ORDER
        for r in context.by_status(status)
        if _shown(r, verbose=verbose, quiet=quiet)
        and r.reason != Reason.RUNNER_OFFLINE  # summed up in the one NO NETWORK line
    ]
    lines = [_line(context, r, verbose=verbose) for r in shown]
    if context.run.offline:
        unchecked = sum(1 for r in context.run.results if r.reason == Reason.RUNNER_OFFLINE)
        lines.append(
            "NO NETWORK: this machine could not reach the internet "
            f"({one_line(context.run.offline_detail)}). The {unchecked} links it could not "
            "reach were not judged, and none of them is called broken."
        )
    if not quiet or lines:
        lines.append(context.summary_line())
    return "\n".join(lines) + "\n"


class Progress:
    """A progress bar on an interactive terminal; nothing otherwise (rich is imported only
    when it is drawn, to keep the command's start-up short)."""

    def __init__(self, stream: IO[str] | None = None) -> None:
        self._stream = stream or sys.stderr
        self._enabled = self._stream.isatty()
        self._bar: RichProgress | None = None
        self._task: TaskID | None = None

    def __enter__(self) -> Progress:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._bar is not None:
            self._bar.stop()

    def started(self, total: int) -> None:
        if not self._enabled:
            return
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, TimeElapsedColumn
        from rich.progress import Progress as Bar

        self._bar = Bar(
            "checking links",
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=Console(file=self._stream),
            transient=True,
        )
        self._task = self._bar.add_task("check", total=total)
        self._bar.start()

    def finished(self, result: CheckResult) -> None:
        del result
        if self._bar is not None and self._task is not None:
            self._bar.advance(self._task)
