"""Renderers: the terminal progress bar, and GitHub Actions annotations and summaries."""

from __future__ import annotations

import io
from pathlib import Path

from catalogbot.catalog import parse_catalog
from catalogbot.catalog.load import CatalogFile
from catalogbot.check import CheckResult, Reason, Status
from catalogbot.check.run import CheckRun
from catalogbot.report.actions import SUMMARY_LIMIT, check_annotations, job_summary
from catalogbot.report.annotations import MAX_ANNOTATIONS
from catalogbot.report.context import ReportContext
from catalogbot.report.terminal import Progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_only_on_a_terminal() -> None:
    """On a terminal a bar is drawn; piped into a file, nothing is written."""
    for stream, drawn in [(Terminal(), True), (io.StringIO(), False)]:
        with Progress(stream) as progress:
            progress.started(2)
            progress.finished(CheckResult("a", "https://a.org/", Status.OK, Reason.OK))
        assert bool(stream.getvalue()) is drawn


def context(count: int, detail: str = "gone") -> ReportContext:
    lines = ["version: 1", "resources:"]
    for i in range(count):
        lines += [f"  - id: r{i}", f"    title: Resource {i}", f"    url: https://h{i}.org/p"]
    text, document, catalog = parse_catalog(("\n".join(lines) + "\n").encode())
    loaded = CatalogFile(Path("catalog.yaml"), text, catalog, document)
    results = tuple(
        CheckResult(f"r{i}", f"https://h{i}.org/p", Status.BROKEN, Reason.http(404), detail)
        for i in range(count)
    )
    return ReportContext(loaded, CheckRun(results, "start", "end"))


def test_annotations_are_capped_and_the_rest_summarised() -> None:
    """Ten error annotations at most, each on its url's line; one notice for the rest."""
    lines = check_annotations(context(25), "catalog.yaml")
    errors = [line for line in lines if line.startswith("::error")]
    assert len(errors) == MAX_ANNOTATIONS
    assert errors[0].startswith("::error file=catalog.yaml,line=5,col=10,")
    assert lines[-1].startswith("::notice::15 more links need attention")


def test_job_summary_stays_under_a_mebibyte() -> None:
    """Thousands of failing links still make a summary GitHub accepts."""
    summary = job_summary(context(3000, detail="x" * 400))
    assert len(summary.encode()) < 1024 * 1024
    assert len(summary.encode()) <= SUMMARY_LIMIT
    assert summary.rstrip().endswith(
        "(report shortened; the full report is in the run's artifacts)"
    )
