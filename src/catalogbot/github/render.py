"""Issue, comment and pull request text, written for maintainers.

The first lines say in plain words what is wrong and what to do; codes and figures go in
a details section. Everything that came from a remote page (titles, details, URLs,
diffs) goes through report.escape, and every body is cut to fit GitHub's limit.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from datetime import UTC, datetime

from catalogbot.check.result import CheckResult, DriftEvidence, Status
from catalogbot.github.markers import EntryMarker, Streak, url_tag
from catalogbot.github.words import found_by, percent, what_is_wrong, when
from catalogbot.report.escape import code_block, inline, link, neutralise, prose, url
from catalogbot.report.presentation import STATUSES, advice

_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")
MAX_BODY = 60_000
"""Below GitHub's 65,536-character limit on issue and comment bodies, with room to spare."""

STATUS_LABELS = {Status.BROKEN: "link: broken", Status.DRIFTED: "link: drifted"}
FOOTER = (
    "_catalogbot keeps this issue up to date and closes it when {closes}. To stop "
    "reports about this link, close the issue as **not planned**; they resume if its "
    "address changes._"
)
CLOSES = {
    Status.DRIFTED: "the change is accepted or the page reads as it did",
    Status.BROKEN: "the link works again or its new address is in the catalog",
}
DRIFTED_TO_DO = (
    "Open the page and decide whether it is still the right resource. If it is, accept "
    "the change by merging catalogbot's pull request “Accept changes to pages” (linked "
    "here once it is open); if it is not, find the resource's new address and put it in "
    "catalog.yaml."
)
CONFIDENCE_WORDS = {
    "high": "high (the curators are sure this address is the right resource)",
    "medium": "medium (the curators are fairly sure this address is the right resource)",
    "low": "low (the curators were not sure this address is the right resource)",
}


@dataclass(frozen=True)
class Listing:
    """A strategy page that lists a resource."""

    title: str
    url: str | None = None


@dataclass(frozen=True)
class Entry:
    """A result with what the catalog and the repository add to it."""

    result: CheckResult
    title: str
    line: int
    catalog_link: str
    """Link to the url's line of catalog.yaml on the default branch."""
    streak: Streak | None = None
    archived: str | None = None
    """The closest Wayback Machine copy, when one was found."""
    note: str | None = None
    """The catalog's note for maintainers."""
    confidence: str | None = None
    listed_on: tuple[Listing, ...] = ()
    pull: int | None = None
    """The open fix pull request that settles the entry: puts a broken resource's new
    address (found again on its site) in the catalog, or accepts a changed page."""
    declined: int | None = None
    """The closed pull request in which a maintainer declined that new address."""


def cap(text: str, limit: int = MAX_BODY) -> str:
    """``text`` cut to ``limit`` characters, saying so."""
    if len(text) <= limit:
        return text
    note = "\n\n… (shortened to fit GitHub's limit)\n"
    return text[: limit - len(note)] + note


def issue_title(entry: Entry) -> str:
    """The issue's title: the catalog's title, with no mention or reference in it."""
    title = neutralise(" ".join(entry.title.split()))
    return f"{STATUSES[entry.result.status].issue_title or 'Link'}: {title}"[:250]


def marker(entry: Entry) -> EntryMarker:
    result = entry.result
    found = url_tag(result.relocation.url) if result.relocation is not None else ""
    return EntryMarker(
        result.id, url_tag(result.url), result.status, result.reason, entry.pull, found
    )


def code(text: str, limit: int = 80) -> str:
    """A short code (a reason, a status) as inline code: no backticks or line breaks can
    break out of it, and no reference in it pings anyone or closes an issue."""
    cleaned = neutralise(" ".join(text.replace("`", "'").split())[:limit])
    return f"`{cleaned}`" if cleaned else ""


def confidence(value: str) -> str:
    """The catalog's confidence in an entry's address, explained."""
    return CONFIDENCE_WORDS.get(value, inline(value, 40))


def listed_on(entry: Entry) -> str:
    """The strategy pages that list the resource, linked where they are published."""
    if not entry.listed_on:
        return "no strategy page (the resource is in the catalog only)"
    return ", ".join(link(s.title, s.url, 120) for s in entry.listed_on)


def since(streak: Streak) -> str:
    """Since when a problem has been seen. Streaks stop counting once confirmed, so
    their count says only that the problem lasted, not for how many checks (and a count
    of one may be a cap of one: nothing is said then)."""
    later = ", and in every check after that" if streak.runs > 1 else ""
    return f"{when(streak.since)}{later}"


def catalog_context(entry: Entry) -> list[str]:
    """What the catalog says about an entry, as list items: the strategy pages that list
    it, its line, and the curators' confidence and note."""
    rows = [
        f"- **Listed on:** {listed_on(entry)}",
        f"- **In the catalog:** [catalog.yaml, line {entry.line}]({entry.catalog_link})",
    ]
    if entry.confidence:
        rows.append(f"- **Confidence:** {confidence(entry.confidence)}")
    if entry.note:
        rows.append(f"- **Curators' note:** {prose(entry.note, 1000)}")
    return rows


def _about(entry: Entry) -> list[str]:
    rows = [f"- **Link:** {url(entry.result.url)}", *catalog_context(entry)]
    if entry.streak is not None:
        rows.append(f"- **First seen:** {since(entry.streak)}")
    return rows


def _cell(text: str) -> str:
    """Text for a table cell: a pipe ends a cell even inside a code span, unless escaped."""
    return _UNESCAPED_PIPE.sub(r"\\|", text)


def _details(entry: Entry) -> list[str]:
    result = entry.result
    rows = [
        ("Resource id", code(result.id)),
        ("Status", code(result.status.value)),
        ("Reason code", code(result.reason)),
        ("Checker's words", inline(result.detail, 500)),
    ]
    if result.http_status is not None:
        rows.append(("HTTP status", str(result.http_status)))
    if result.final_url and result.final_url != result.url:
        rows.append(("Ends at", url(result.final_url)))
    if result.suggested_url:
        rows.append(("New address", url(result.suggested_url)))
    if result.similarity is not None:
        rows.append(("Similarity to the reviewed version", f"{result.similarity:.0%}"))
    if result.relocation is not None:
        rows.append(("New address found by", code(result.relocation.source)))
        rows.append(("Similarity of the new page", percent(result.relocation.similarity)))
    if result.status == Status.DRIFTED:
        rows.append(("To accept the change by hand", code(f"catalogbot accept {result.id}")))
    return [
        "<details><summary>Technical details</summary>",
        "",
        "| | |",
        "|---|---|",
        *(f"| {k} | {_cell(v)} |" for k, v in rows),
        "",
        "</details>",
    ]


def to_do(result: CheckResult) -> str:
    """What a maintainer is asked to do, in the words of GitHub (a pull request to merge
    rather than a command to run)."""
    return DRIFTED_TO_DO if result.status == Status.DRIFTED else advice(result)


def found_at(entry: Entry) -> str:
    """Where a broken resource was found again, and how much of its text is there."""
    relocation = entry.result.relocation
    if relocation is None:
        return ""
    return (
        f"catalogbot found the resource at {url(relocation.url)}, "
        f"{found_by(relocation.source)}; {percent(relocation.similarity)} of the text "
        "reviewed for it is on that page"
    )


def _what_to_do(entry: Entry) -> list[str]:
    result = entry.result
    if result.relocation is not None and entry.pull is not None:
        return [
            f"**A fix is proposed in pull request #{entry.pull}.** {found_at(entry)}. "
            "The pull request puts this address in catalog.yaml.",
            "",
            "**What to do:** open the new address and confirm it is the same resource, "
            f"then merge #{entry.pull}; merging it closes this issue. If it is not the "
            "same resource, close the pull request and fix the entry by hand.",
        ]
    if result.status == Status.DRIFTED and entry.pull is not None:
        return [
            f"**The change is ready to accept in pull request #{entry.pull}.**",
            "",
            "**What to do:** open the page and decide whether it is still the right "
            f"resource. If it is, merge #{entry.pull}, which records the new text as the "
            "reviewed one and closes this issue; if it is not, close the pull request and "
            "find the resource's new address.",
        ]
    if result.relocation is not None and entry.declined is not None:
        return [
            f"**The new address found was declined in #{entry.declined}.** "
            f"{found_at(entry)}. A maintainer closed that pull request without merging it, "
            "so catalogbot does not propose this address again.",
            "",
            f"**What to do:** {advice(dataclasses.replace(result, relocation=None))}",
        ]
    out = [f"**What to do:** {to_do(result)}"]
    if result.relocation is not None:
        out += ["", f"**New address found:** {found_at(entry)}."]
    return out


def _titled(title: str) -> str:
    return f"“{inline(title, 200)}”" if title else "empty"


def before_and_now(evidence: DriftEvidence) -> list[str]:
    """What a drifted page said when it was reviewed and what it says now, in plain
    words, its text quoted (escaped: page text cannot ping, link or inject)."""
    before, now = evidence.title_before, evidence.title_now
    out = []
    if before != now:
        out += ["", f"The page's title was {_titled(before)} and is now {_titled(now)}."]
    elif now:
        out += ["", f"The page's title is still {_titled(now)}."]
    if evidence.text_before:
        out += ["", "It used to begin:", "", f"> {inline(evidence.text_before, 400)}"]
    if evidence.text_now:
        out += ["", "Now it begins:", "", f"> {inline(evidence.text_now, 400)}"]
    elif evidence.text_before:
        out += ["", "Now it has no text that catalogbot can read."]
    return out


_WAYBACK_TIME = re.compile(r"/web/(\d{4})(\d{2})?(\d{2})?")


def _saved(address: str) -> str:
    """When the Internet Archive saved a copy, from its address (``/web/20250312...``)."""
    match = _WAYBACK_TIME.search(address)
    if match is None:
        return ""
    year, month, day_ = match.groups()
    try:
        moment = datetime(int(year), int(month or 1), int(day_ or 1), tzinfo=UTC)
    except ValueError:
        return ""
    if day_:
        return f" from {moment.day} {moment:%B %Y}"
    return f" from {moment:%B %Y}" if month else f" from {year}"


def archived_copy(address: str) -> str:
    """Where the Internet Archive keeps a copy of the page, and from when, as one
    sentence with a short link (the copy's address repeats the page's, which is long)."""
    return f"The Internet Archive has {link(f'a copy of the page{_saved(address)}', address)}."


def issue_body(entry: Entry) -> str:
    """The whole body of an entry's issue."""
    result = entry.result
    out = [
        marker(entry).render(),
        f"**The link to “{link(entry.title, result.url, 200)}” needs attention: "
        f"{what_is_wrong(result)}.**",
    ]
    if result.evidence is not None:
        out += before_and_now(result.evidence)
    out += ["", *_what_to_do(entry)]
    if entry.archived:
        out += ["", archived_copy(entry.archived)]
    out += ["", "### About this resource", "", *_about(entry), "", *_details(entry)]
    if result.excerpt:
        out += [
            "",
            "<details><summary>What changed in the compared text (lower case, numbers left "
            "out)</summary>",
            "",
            code_block(result.excerpt, "diff", 6000),
            "",
            "</details>",
        ]
    closes = CLOSES.get(result.status, "the link works again")
    out += ["", FOOTER.format(closes=closes)]
    return cap("\n".join(out))
