"""A drifted page's evidence for people: its title and opening as reviewed and now,
shown escaped in the terminal, the Markdown report and the GitHub issue.

Pages are served from loopback, accepted, then changed; hostile page text must stay
inert in every channel.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from catalogbot.catalog import parse_catalog
from catalogbot.catalog.load import CatalogFile
from catalogbot.check import CheckResult, Reason, ResultWarning, Status
from catalogbot.check.result import DriftEvidence
from catalogbot.check.run import CheckRun
from catalogbot.drift.analyse import PageInput, analyse
from catalogbot.drift.similarity import opening
from catalogbot.drift.snapshot import Snapshot, parse_snapshot
from catalogbot.github.render import Entry, issue_body
from catalogbot.report.context import ReportContext
from catalogbot.report.markdown import render_markdown
from catalogbot.report.terminal import render_terminal
from conftest import Serve
from fakegithub import FakeGitHub
from support.webserver import Site, html
from test_drift import Scenario, toolkit_page
from test_sync import Bot, entry_issues
from test_sync import result as sync_result

PRESS = (
    "The Department announced $4.2 million for 12 county programs on Monday. "
    "Applications open in March, and the first awards follow in June. "
) * 6
HOSTILE_TITLE = "Update ::warning::pwned @octocat #1 <script>alert(1)</script>"
HOSTILE_TEXT = (
    "::error::owned by @octocat, see #1 and GH-2 &lt;script&gt;alert(1)&lt;/script&gt; "
    "[click](javascript:evil) "
) * 8


@pytest.fixture
def toolkit(sites: Serve, tmp_path: Path) -> Scenario:
    (site,) = sites(Site({"/toolkit": toolkit_page()}))
    return Scenario(site, tmp_path)


def context(*results: CheckResult) -> ReportContext:
    """The report context of a run over a catalog listing exactly these results."""
    lines = ["version: 1", "resources:"]
    for r in results:
        lines += [f"  - id: {r.id}", f"    title: Title of {r.id}", f"    url: {r.url}"]
    text, document, catalog = parse_catalog(("\n".join(lines) + "\n").encode())
    loaded = CatalogFile(Path("catalog.yaml"), text, catalog, document)
    return ReportContext(loaded, CheckRun(results, "start", "end", False, ""))


def entry_lines(text: str) -> list[str]:
    """The terminal report's lines without the summary line."""
    return text.splitlines()[:-1]


def test_drifted_page_shows_titles_and_openings_as_written(toolkit: Scenario) -> None:
    """A new title and a new body: the terminal and Markdown show both titles and both
    openings with their case, numbers and punctuation, not the normalised words."""
    toolkit.accept()
    toolkit.serve(toolkit_page(title="Funding Announcement", body=PRESS))
    result = toolkit.check()
    assert (result.status, result.reason) == ("drifted", "content_changed")
    evidence = result.evidence
    assert evidence is not None
    assert evidence.title_before == "Jail-based Overdose Prevention Toolkit"
    assert evidence.title_now == "Funding Announcement"
    assert evidence.text_before.startswith(
        "This toolkit explains how to establish a jail based overdose prevention education "
        "program. It covers staff training,"
    )
    assert evidence.text_now.startswith("The Department announced $4.2 million for 12 county")
    assert len(evidence.text_now) <= 301

    terminal = render_terminal(context(result))
    assert (
        "         title was: “Jail-based Overdose Prevention Toolkit” / now: “Funding "
        "Announcement”\n" in terminal
    )
    (text_line,) = [line for line in terminal.splitlines() if "text was:" in line]
    assert text_line.startswith("         text was: “This toolkit explains how to establish")
    assert "/ now: “The Department announced $4.2 million for 12 county programs" in text_line

    markdown = render_markdown(context(result))
    assert (
        "- Title: was “Jail\\-based Overdose Prevention Toolkit”, now “Funding Announcement”"
        in markdown
    )
    assert "- It used to begin: “This toolkit explains how to establish a jail based" in markdown
    assert "- Now it begins: “The Department announced $4.2 million for 12 county" in markdown


def test_an_unchanged_title_is_said_once(toolkit: Scenario) -> None:
    """Only the body changed: the title is shown once, marked unchanged."""
    toolkit.accept()
    toolkit.serve(toolkit_page(body=PRESS))
    result = toolkit.check()
    terminal = render_terminal(context(result))
    assert "title: “Jail-based Overdose Prevention Toolkit” (unchanged)" in terminal
    assert "title was:" not in terminal
    assert "- Title: “Jail\\-based Overdose Prevention Toolkit” (unchanged)" in (
        render_markdown(context(result))
    )


def test_old_snapshot_without_an_opening_still_works(toolkit: Scenario) -> None:
    """A snapshot recorded before the opening was kept loads as before, and the text it
    began with is shown from its normalised words."""
    recorded = toolkit.accept()
    path = toolkit.store.path_for("toolkit")
    old = "".join(line for line in recorded.splitlines(True) if not line.startswith("opening:"))
    assert old != recorded
    path.write_text(old)
    toolkit.serve(toolkit_page())
    assert toolkit.check().status == "ok"
    toolkit.serve(toolkit_page(title="Funding Announcement", body=PRESS))
    result = toolkit.check()
    assert result.status == "drifted"
    assert result.evidence is not None
    assert result.evidence.text_before.startswith(
        "jail based overdose prevention toolkit this toolkit explains"
    )
    assert result.evidence.title_before == "Jail-based Overdose Prevention Toolkit"


def test_the_candidate_snapshot_records_the_new_opening(toolkit: Scenario) -> None:
    """The snapshot a drifted result carries (for the pull request that accepts it) has
    the new page's opening, so the next change is shown against it as written."""
    toolkit.accept()
    toolkit.serve(toolkit_page(title="Funding Announcement", body=PRESS))
    result = toolkit.check()
    assert result.snapshot is not None
    candidate = parse_snapshot(result.snapshot, "candidate")
    assert result.evidence is not None
    assert candidate.opening == result.evidence.text_now


def test_hostile_page_text_stays_inert_in_the_terminal_and_markdown(toolkit: Scenario) -> None:
    """Workflow commands, mentions, references and HTML from the page: no line of the
    terminal report starts a workflow command; the Markdown pings, links and injects
    nothing."""
    toolkit.accept()
    toolkit.serve(toolkit_page(title=HOSTILE_TITLE, body=HOSTILE_TEXT))
    result = toolkit.check()
    assert result.status == "drifted"
    assert result.evidence is not None
    assert "<script>" in result.evidence.title_now
    assert "::error::owned by @octocat" in result.evidence.text_now

    terminal = render_terminal(context(result))
    assert all(line.startswith(("CHANGED ", "         ")) for line in entry_lines(terminal))
    assert "/ now: “Update ::warning::pwned @octocat #1" in terminal

    markdown = render_markdown(context(result))
    for unsafe in ("<script>", "@octocat", "#1", "GH-2", "](javascript"):
        assert unsafe not in markdown
    assert "&lt;script&gt;" in markdown
    assert "@\u200boctocat" in markdown
    assert "GH\u200b\\-2" in markdown


def test_control_characters_in_evidence_are_escaped_in_the_terminal() -> None:
    """Evidence read from a results file may hold anything: line breaks, terminal
    escapes, carriage returns and direction overrides are shown escaped, never obeyed,
    and each part stays on its line."""
    hostile = "a\r\n::warning::x\x1b[31mred\x07\u2028\u202egnirts"
    evidence = DriftEvidence(hostile, "new", "before\n::error::boom", hostile)
    result = CheckResult(
        "a",
        "https://a.example.org/p",
        Status.DRIFTED,
        Reason.CONTENT_CHANGED,
        "changed",
        evidence=evidence,
    )
    terminal = render_terminal(context(result))
    lines = entry_lines(terminal)
    assert len(lines) == 4
    assert all(line.startswith(("CHANGED ", "         ")) for line in lines)
    assert "\x1b" not in terminal
    assert "\x07" not in terminal
    assert "\r" not in terminal
    assert "\\x1b[31mred\\x07" in lines[2]
    assert "\\u202egnirts" in lines[2]
    assert "\u202e" not in terminal


def test_snapshot_opening_is_one_bounded_line() -> None:
    """An opening with line breaks, a blank line, control characters or direction
    overrides cannot break the header or hide what the file says; it is kept short."""
    hostile = "First line.\n\nkind: pdf\r\n\x1b[2J\u202eevil\u2028" + "x" * 1000
    snapshot = Snapshot.of(
        id="a",
        url="https://a.example.org/",
        final_url="https://a.example.org/",
        content_type="text/html",
        kind="html",
        size=10,
        title="T",
        text="first line kind pdf",
        accepted_at="2026-11-28T12:00:00Z",
        opening=hostile,
    )
    rendered = snapshot.render()
    header = rendered.split("\n\n", 1)[0].splitlines()
    (opening,) = [line for line in header if line.startswith("opening: ")]
    assert opening.startswith("opening: First line. kind: pdf [2J evil xxx")
    assert len(opening) <= len("opening: ") + 400
    back = parse_snapshot(rendered, "a.txt")
    assert back == snapshot
    assert back.kind == "html"
    assert back.text == "first line kind pdf"


@pytest.mark.parametrize(
    ("warning", "words", "default", "verbose"),
    [
        (ResultWarning.BASELINE_UNREADABLE, "the reviewed baseline cannot be read", True, True),
        (ResultWarning.CONTENT_UNREADABLE, "the page's text cannot be read", True, True),
        (ResultWarning.TITLE_MISMATCH, "the page does not mention the catalog's title", True, True),
        (ResultWarning.NO_BASELINE, "no reviewed baseline yet", False, True),
    ],
)
def test_terminal_shows_warnings_in_words(
    warning: ResultWarning, words: str, default: bool, verbose: bool
) -> None:
    """A healthy link with a warning worth a look is listed with the warning in words
    and its code; no_baseline, which every new entry has, only with -v; -q never."""
    ok = CheckResult(
        "a", "https://a.example.org/p", Status.OK, Reason.OK, "200 OK", warnings=(warning,)
    )
    note = f"         note: {words} ({warning.value})"
    assert (note in render_terminal(context(ok))) is default
    assert (note in render_terminal(context(ok), verbose=True)) is verbose
    assert "note:" not in render_terminal(context(ok), quiet=True)


def test_relocation_stopped_is_noted_on_the_broken_entry() -> None:
    """A warning on an entry that needs a person is noted under it."""
    broken = CheckResult(
        "a",
        "https://a.example.org/p",
        Status.BROKEN,
        Reason.http(404),
        "404 Not Found",
        warnings=(ResultWarning.RELOCATION_STOPPED,),
    )
    assert (
        "\n         note: the search for a new address ended early (relocation_stopped)\n"
        in render_terminal(context(broken), quiet=True)
    )


def test_unreadable_baseline_is_shown_in_the_terminal(toolkit: Scenario) -> None:
    """A damaged snapshot leaves the page ok, and the terminal says the baseline cannot
    be read (it said nothing before: the warning was only in the results file)."""
    toolkit.store.root.mkdir()
    toolkit.store.path_for("toolkit").write_text("not a snapshot\n")
    result = toolkit.check()
    assert result.status == "ok"
    text = render_terminal(context(result))
    assert "ok       toolkit (line 5)" in text
    assert "note: the reviewed baseline cannot be read (baseline_unreadable)" in text


def drifted_result(evidence: DriftEvidence) -> CheckResult:
    return sync_result(
        "alpha",
        "drifted",
        "content_changed",
        detail="only 4% of the accepted text is still there (below 50%)",
        excerpt="-jail based overdose prevention\n+funding announcement",
        evidence=evidence,
    )


def test_issue_body_says_what_the_page_said_and_says_now(fake_github: FakeGitHub) -> None:
    """The issue for a drifted page says in plain words how its title changed, and
    quotes how it used to begin and how it begins now, before the advice; the
    normalised diff stays in its details section."""
    bot = Bot(fake_github)
    evidence = DriftEvidence(
        "Jail-based Overdose Prevention Toolkit",
        "Funding Announcement",
        "This toolkit explains how to establish a jail-based program.",
        "The Department announced $4.2 million for 12 county programs on Monday.",
    )
    for _ in range(2):
        bot.run(drifted_result(evidence))
    (issue,) = entry_issues(fake_github)
    body = issue["body"]
    expected = (
        "The page's title was “Jail\\-based Overdose Prevention Toolkit” and is now "
        "“Funding Announcement”.\n\n"
        "It used to begin:\n\n"
        "> This toolkit explains how to establish a jail\\-based program.\n\n"
        "Now it begins:\n\n"
        "> The Department announced $4.2 million for 12 county programs on Monday.\n\n"
        "**What to do:**"
    )
    assert expected in body
    assert body.index("<details><summary>What changed in the compared text") > body.index(expected)
    assert "+funding announcement" in body


def test_issue_body_keeps_hostile_page_text_inert(fake_github: FakeGitHub) -> None:
    """Page text in the issue cannot ping people, link issues, inject HTML or break out
    of its quote."""
    bot = Bot(fake_github)
    evidence = DriftEvidence(
        "Toolkit", HOSTILE_TITLE, "Before.", "line one\n\n## Heading\n> @admin\n" + HOSTILE_TEXT
    )
    for _ in range(2):
        bot.run(drifted_result(evidence))
    (issue,) = entry_issues(fake_github)
    body = issue["body"]
    for unsafe in ("<script>", "@octocat", "@admin", "#1", "GH-2", "](javascript", "\n## "):
        assert unsafe not in body
    (quote,) = [line for line in body.splitlines() if line.startswith("> line one")]
    assert "\\#\\# Heading &gt; @\u200badmin" in quote
    assert "GH\u200b\\-2" in quote


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("<main><h1>Toolkit</h1><p>How to start. Who to call.</p></main>", "How to start."),
        ("<main><h1>Toolkit</h1></main>", "Toolkit"),
        ("<main><p>Toolkit for counties. Steps.</p><h1>Toolkit</h1></main>", "Toolkit for"),
        ("<main><p>Toolkits for all.</p><h1>Toolkit</h1></main>", "Toolkits for"),
    ],
    ids=["heading-then-text", "heading-only", "heading-words-start-the-text", "prefix"],
)
def test_the_opening_starts_after_the_heading(body: str, expected: str) -> None:
    """The title is shown beside the opening, so a heading that starts the text is left
    out of it, unless it is all the text there is or its words begin the first sentence."""
    analysis = analyse(PageInput(html("Toolkit | Agency", body), "text/html", want_text=True))
    assert analysis.opening.startswith(expected)


def test_the_opening_reads_only_the_start_of_a_long_text() -> None:
    """Whole sentences up to the limit from a long text, the first words and an ellipsis
    when no sentence ends early enough, a short text as it is."""
    sentence = "This toolkit explains how to establish a program. "
    assert opening(sentence * 400) == (sentence * 6).strip()
    assert opening("word " * 10_000) == ("word " * 60).strip() + "\u2026"
    assert opening(" Short   text\nhere. ") == "Short text here."


def test_a_page_left_without_title_or_text_says_so_everywhere() -> None:
    """A page that lost its title and its text: each channel says what is missing
    rather than showing empty quotes."""
    gone = CheckResult(
        "a",
        "https://a.example.org/p",
        Status.DRIFTED,
        Reason.CONTENT_CHANGED,
        "changed",
        evidence=DriftEvidence("Toolkit", "", "It began so.", ""),
    )
    terminal = render_terminal(context(gone))
    assert "title was: “Toolkit” / now: (none)" in terminal
    assert "text was: “It began so.” / now: (none)" in terminal
    markdown = render_markdown(context(gone))
    assert "- Title: was “Toolkit”, now (none)" in markdown
    assert "- Now it begins: (none)" in markdown
    body = issue_body(Entry(gone, "Toolkit", 4, "https://github.com/o/r/blob/main/c.yaml#L4"))
    assert "The page's title was “Toolkit” and is now empty." in body
    assert "> It began so.\n\nNow it has no text that catalogbot can read." in body
