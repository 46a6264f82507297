"""GitHub Actions output for a check: annotations on catalog.yaml lines and a job summary."""

from __future__ import annotations

from catalogbot.check.result import REPORT_ORDER
from catalogbot.report.annotations import MAX_ANNOTATIONS, annotation
from catalogbot.report.context import ReportContext
from catalogbot.report.markdown import render_markdown
from catalogbot.report.presentation import STATUSES

SUMMARY_LIMIT = 1000 * 1024
"""Bytes: a step summary must stay under 1 MiB."""


def check_annotations(context: ReportContext, catalog_name: str) -> list[str]:
    """An annotation on the url line of each link that needs attention, capped."""
    failing = [r for s in REPORT_ORDER if STATUSES[s].annotation for r in context.by_status(s)]
    lines = []
    for result in failing[:MAX_ANNOTATIONS]:
        line, col = context.position(result.id)
        lines.append(
            annotation(
                STATUSES[result.status].annotation or "notice",
                f"{result.reason}: {result.detail}",
                file=catalog_name,
                line=line,
                col=col,
                title=f"{result.status.value}: {context.title(result.id)}"[:200],
            )
        )
    if len(failing) > MAX_ANNOTATIONS:
        lines.append(
            annotation(
                "notice",
                f"{len(failing) - MAX_ANNOTATIONS} more links need attention; "
                "see the job summary or the report artifact",
            )
        )
    return lines


def job_summary(context: ReportContext) -> str:
    """The Markdown report, cut to fit a step summary."""
    return render_markdown(context, max_bytes=SUMMARY_LIMIT)
