"""The body of a fix pull request: what it changes, the evidence, and what to confirm."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from catalogbot.github.markers import fixes_marker
from catalogbot.github.render import CONFIDENCE_WORDS, Entry, cap, code, listed_on, seen
from catalogbot.github.words import when
from catalogbot.report.escape import code_block, inline, url

INTROS = {
    "redirects": (
        "These links now forward to new addresses, and have done so in every check since "
        "the date shown. This pull request replaces each old address in `catalog.yaml` "
        "with the new one and changes nothing else."
    ),
    "snapshots": (
        "These pages changed since they were last reviewed. This pull request records "
        "their new text as the reviewed version, so the diff of each file under "
        "`snapshots/` is the change on that page."
    ),
}
CONFIRM = {
    "redirects": (
        "**Before merging, please open each new address and confirm it is the same "
        "resource** (same publisher, same document, not a home page or a search page). "
        "If one is not, close this pull request and fix that entry by hand; catalogbot "
        "will not propose the same change again."
    ),
    "snapshots": (
        "**Before merging, please open each page and confirm it is still the right "
        "resource.** If one is not, close this pull request and find the resource's new "
        "address; catalogbot will not propose the same change again."
    ),
}


@dataclass(frozen=True)
class PullItem:
    """One entry a fix pull request changes."""

    entry: Entry
    change: str
    """The change's tag (see markers.change_tag)."""
    issue: int | None = None
    """The entry's open issue, which merging closes."""


def _item(kind: str, item: PullItem) -> list[str]:
    entry, result = item.entry, item.entry.result
    out = [f"### {inline(entry.title, 200)}", ""]
    if kind == "redirects":
        out += [
            f"- **Old address:** {url(result.url)}",
            f"- **New address:** {url(result.suggested_url or '')}",
        ]
    else:
        out.append(f"- **Page:** {url(result.url)}")
    if entry.streak is not None:
        label = "Forwarding" if kind == "redirects" else "Changed"
        out.append(f"- **{label} since:** {when(entry.streak.since)} ({seen(entry.streak.runs)})")
    out.append(f"- **Listed on:** {listed_on(entry)}")
    out.append(f"- **In the catalog:** [line {entry.line}]({entry.catalog_link})")
    if entry.confidence:
        out.append(f"- **Confidence:** {CONFIDENCE_WORDS.get(entry.confidence, '')}")
    if entry.note:
        out.append(f"- **Curators' note:** {inline(entry.note, 600)}")
    if item.issue is not None:
        out.append(f"- Closes #{item.issue}")
    evidence = [f"{code(result.status.value)} ({code(result.reason)})"]
    evidence += [
        f"{url(hop.url)} answered {hop.status}, pointing to {url(hop.location)}"
        for hop in result.redirects
    ]
    if result.similarity is not None:
        evidence.append(f"similarity to the reviewed text: {result.similarity:.0%}")
    out += [
        "",
        "<details><summary>Evidence</summary>",
        "",
        *(f"- {line}" for line in evidence),
    ]
    if result.excerpt:
        out += ["", code_block(result.excerpt, "diff", 3000)]
    out += ["", "</details>", ""]
    return out


def pull_body(kind: str, items: Sequence[PullItem], pr_marker: str) -> str:
    """A fix pull request's body: its markers first (one per entry it fixes, so that
    cutting a long body to size never drops one), then what it changes and why."""
    out = [pr_marker, *(fixes_marker(i.entry.result.id, i.change) for i in items)]
    out += [INTROS[kind], "", CONFIRM[kind], ""]
    for item in items:
        out += _item(kind, item)
    out.append("_Opened by catalogbot, which updates it after each check._")
    return cap("\n".join(out))
