"""A report a maintainer can read: what is wrong, and what to do about it."""

from __future__ import annotations

from catalogbot.check.result import REPORT_ORDER, CheckResult, DriftEvidence, Status
from catalogbot.report.context import ReportContext
from catalogbot.report.escape import code_block, inline, url
from catalogbot.report.presentation import STATUSES, advice, warning_text


def _entry(context: ReportContext, result: CheckResult) -> list[str]:
    line, _ = context.position(result.id)
    catalog_name = inline(context.catalog.path.name, 100)
    lines = [
        f"### {inline(context.title(result.id), 200)}",
        "",
        f"- Link: {url(result.url)} (`{result.id}`, {catalog_name} line {line})",
        f"- What is wrong: {inline(result.detail, 500)} (`{result.reason}`)",
    ]
    if result.final_url and result.final_url != result.url:
        lines.append(f"- Ends at: {url(result.final_url)}")
    if result.relocation is not None:
        lines.append(
            f"- New address: found at {url(result.relocation.url)} (through "
            f"`{result.relocation.source}`; {result.relocation.similarity:.0%} of the "
            "reviewed text is there)"
        )
    if result.similarity is not None and result.status == Status.DRIFTED:
        lines.append(f"- Similarity to the accepted version: {result.similarity:.0%}")
    if result.evidence is not None:
        lines += _before_and_now(result.evidence)
    if result.warnings:
        lines.append(f"- Notes: {'; '.join(warning_text(w) for w in result.warnings)}")
    todo = advice(result)
    if todo:
        lines.append(f"- What to do: {todo}")
    if result.excerpt:
        lines += ["", "What changed:", "", code_block(result.excerpt, "diff", 2000)]
    return [*lines, ""]


def _quoted(text: str, limit: int = 400) -> str:
    """Page text, escaped, in quotes on one line ("(none)" when empty)."""
    return f"\u201c{inline(text, limit)}\u201d" if text else "(none)"


def _before_and_now(evidence: DriftEvidence) -> list[str]:
    """A drifted page's title and opening as reviewed and now, one item each."""
    if evidence.title_before == evidence.title_now:
        lines = [f"- Title: {_quoted(evidence.title_now, 200)} (unchanged)"]
    else:
        lines = [
            f"- Title: was {_quoted(evidence.title_before, 200)}, "
            f"now {_quoted(evidence.title_now, 200)}"
        ]
    if evidence.text_before or evidence.text_now:
        lines += [
            f"- It used to begin: {_quoted(evidence.text_before)}",
            f"- Now it begins: {_quoted(evidence.text_now)}",
        ]
    return lines


def render_markdown(context: ReportContext, *, max_bytes: int | None = None) -> str:
    """The whole report; cut to ``max_bytes`` of UTF-8 with a note, when given."""
    run = context.run
    out = [
        "# catalogbot link report",
        "",
        f"Checked {context.summary_line()} in `{context.catalog.path.name}`, "
        f"{run.started_at} to {run.finished_at}.",
        "",
    ]
    if run.offline:
        out += [
            "> **This runner could not reach the internet**, so links that failed to connect "
            "were not judged. Nothing below is marked broken for that reason.",
            f"> ({inline(run.offline_detail, 500)})",
            "",
        ]
    if not context.needs_attention:
        out += ["Every link is healthy or could not be judged automatically.", ""]
    for status in REPORT_ORDER:
        heading = STATUSES[status].heading
        results = context.by_status(status)
        if heading is None or not results:
            continue
        out += [f"## {heading} ({len(results)})", ""]
        for result in results:
            out += _entry(context, result)
    healthy = [r for s in REPORT_ORDER if STATUSES[s].heading is None for r in context.by_status(s)]
    if healthy:
        out += [f"<details><summary>Healthy or skipped ({len(healthy)})</summary>", ""]
        out += [
            f"- {inline(context.title(r.id), 120)}: {url(r.url)} ({r.status.value}"
            + (f"; {inline(r.detail, 200)}" if r.status == Status.SKIPPED else "")
            + ")"
            for r in healthy
        ]
        out += ["", "</details>", ""]
    text = "\n".join(out)
    if max_bytes is not None and len(encoded := text.encode("utf-8")) > max_bytes:
        note = "\n\n… (report shortened; the full report is in the run's artifacts)\n"
        room = max_bytes - len(note.encode("utf-8"))
        text = encoded[:room].decode("utf-8", "ignore") + note
    return text
