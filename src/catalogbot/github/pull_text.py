"""The body of a fix pull request: what it changes, the evidence, and what to confirm."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from catalogbot.check.result import Relocation, Status
from catalogbot.github.markers import fixes_marker
from catalogbot.github.render import (
    Entry,
    before_and_now,
    cap,
    catalog_context,
    code,
    since,
)
from catalogbot.github.words import found_by, percent, what_is_wrong
from catalogbot.report.escape import code_block, inline, url

INTROS = {
    "redirects": (
        "This pull request replaces the old address of each resource below with its new "
        "one in `catalog.yaml` and changes nothing else."
    ),
    "snapshots": (
        "These pages changed since they were last reviewed. This pull request records "
        "their new text as the reviewed version, so the diff of each file under "
        "`snapshots/` is the change on that page."
    ),
}
SECTIONS = {
    "moved": (
        "Links that moved",
        "These links forward to a new address, and have done so in every check since the "
        "date shown.",
    ),
    "found": (
        "Broken links whose resource was found at a new address",
        "These links no longer lead to the resource, but catalogbot found it elsewhere on "
        "the same site: the page at the new address has the text that was reviewed for "
        "the resource, and a title that matches.",
    ),
}
TITLES = {
    ("moved",): "Update links that moved",
    ("found",): "Fix broken links: the resources were found at new addresses",
    ("found", "moved"): "Update links that moved, and broken links found at new addresses",
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

    @property
    def found(self) -> bool:
        """A broken link whose resource was found at a new address (not a redirect)."""
        result = self.entry.result
        return result.status == Status.BROKEN and result.relocation is not None

    @property
    def new_url(self) -> str:
        """The address the catalog edit puts in place of the old one."""
        result = self.entry.result
        if self.found and result.relocation is not None:
            return result.relocation.url
        return result.suggested_url or ""


def _section(item: PullItem) -> str:
    return "found" if item.found else "moved"


def pull_title(kind: str, items: Sequence[PullItem]) -> str:
    """The title of a fix pull request, for what it holds."""
    if kind != "redirects":
        return "Accept changes to pages"
    return TITLES.get(tuple(sorted({_section(i) for i in items})), TITLES[("moved",)])


def _found(item: PullItem, relocation: Relocation) -> list[str]:
    """The evidence for a broken link's new address, for a reviewer."""
    result = item.entry.result
    out = [
        f"- **Old address:** {url(result.url)}",
        f"- **What is wrong with it:** {what_is_wrong(result)}",
    ]
    if item.entry.streak is not None:
        out.append(f"- **Broken since:** {since(item.entry.streak)}")
    return [
        *out,
        f"- **New address:** {url(relocation.url)}",
        f"- **Where it was found:** {found_by(relocation.source)}",
        f"- **Text match:** {percent(relocation.similarity)} of the text reviewed for this "
        "resource is on the new page",
    ]


def _item(kind: str, item: PullItem) -> list[str]:
    entry, result = item.entry, item.entry.result
    out = [f"### {inline(entry.title, 200)}", ""]
    if item.found and result.relocation is not None:
        out += _found(item, result.relocation)
    elif kind == "redirects":
        out += [
            f"- **Old address:** {url(result.url)}",
            f"- **New address:** {url(item.new_url)}",
        ]
    else:
        if result.evidence is not None:  # what the page said and says now, first
            out += [*before_and_now(result.evidence)[1:], ""]
        out.append(f"- **Page:** {url(result.url)}")
    if entry.streak is not None and not item.found:
        label = "Forwarding" if kind == "redirects" else "Changed"
        out.append(f"- **{label} since:** {since(entry.streak)}")
    out += catalog_context(entry)
    if item.issue is not None:
        out.append(f"- Closes #{item.issue}")
    evidence = [f"{code(result.status.value)} ({code(result.reason)})"]
    if result.http_status is not None and item.found:
        evidence.append(f"the old address answered HTTP {result.http_status}")
    if result.detail and item.found:
        evidence.append(inline(result.detail, 500))
    evidence += [
        f"{url(hop.url)} answered {hop.status}, pointing to {url(hop.location)}"
        for hop in result.redirects
    ]
    if result.relocation is not None and item.found:
        evidence.append(
            f"new address found by {code(result.relocation.source)}, "
            f"{percent(result.relocation.similarity)} similar to the reviewed text"
        )
    elif result.similarity is not None:
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
    if kind != "redirects":
        for item in items:
            out += _item(kind, item)
    for section, (heading, text) in SECTIONS.items() if kind == "redirects" else ():
        chosen = [i for i in items if _section(i) == section]
        if chosen:
            out += [f"## {heading} ({len(chosen)})", "", text, ""]
            for item in chosen:
                out += _item(kind, item)
    out.append("_Opened by catalogbot, which updates it after each check._")
    return cap("\n".join(out))
