"""The results JSON: what ``sync`` reads, and what any other tool can."""

from __future__ import annotations

import json
from typing import Any

from catalogbot import __version__
from catalogbot.report.context import ORDER, ReportContext

RESULTS_FORMAT = 1


def results_document(context: ReportContext) -> dict[str, Any]:
    """The results file's content as plain data."""
    run = context.run
    return {
        "format": RESULTS_FORMAT,
        "tool": f"catalogbot {__version__}",
        "catalog": str(context.catalog.path),
        "started_at": run.started_at,
        "finished_at": run.finished_at,
        "offline": run.offline,
        "offline_detail": run.offline_detail or None,
        "summary": {status.value: context.counts[status] for status in ORDER},
        "results": [_with_line(context, r.to_json(), r.id) for r in run.results],
    }


def _with_line(context: ReportContext, data: dict[str, Any], resource_id: str) -> dict[str, Any]:
    data["catalog_title"] = context.title(resource_id)
    data["line"] = context.position(resource_id)[0]
    return data


def render_json(context: ReportContext) -> str:
    """The results file's text."""
    return json.dumps(results_document(context), indent=2, ensure_ascii=False) + "\n"
