"""Untrusted text made inert, and the hidden markers the bot finds its work by."""

from __future__ import annotations

import json

from catalogbot.check.result import Reason, Status
from catalogbot.github.markers import (
    DashboardState,
    EntryMarker,
    Streak,
    parse_entry,
    parse_state,
)
from catalogbot.report.escape import code_block, inline, link, neutralise, prose, url


def test_inline_escapes_markdown_html_mentions_and_references() -> None:
    """Links, images, HTML, @mentions and #references from a page become plain text."""
    text = inline("![x](http://e/p.png) <img src=x> @octocat fixes #12 **bold**")
    assert "![x](" not in text
    assert "<img" not in text
    assert "@octocat" not in text
    assert "#12" not in text
    assert "\\*\\*bold\\*\\*" in text


def test_inline_is_one_line_and_capped() -> None:
    """Newlines cannot start a new Markdown block, and long text is cut."""
    text = inline("a\n# heading\n" + "x" * 1000, limit=50)
    assert "\n" not in text
    assert len(text) <= 60


def test_code_block_cannot_be_broken_out_of() -> None:
    """A diff containing backtick fences gets a longer fence."""
    block = code_block("```\n@admin\n```", "diff")
    assert block.startswith("````diff\n")
    assert "@admin" not in block


def test_url_is_clickable_only_when_plain() -> None:
    """A normal web address is an autolink; anything odd is inert text."""
    assert url("https://example.org/a?b=c") == "<https://example.org/a?b=c>"
    assert url("javascript:alert(1)").startswith("`")
    assert url("https://e.org/<script>").startswith("`")


def test_neutralise_keeps_emails_readable() -> None:
    """An email address keeps its @ (no mention), references lose their link."""
    assert neutralise("write to a@b.org") == "write to a@b.org"
    assert neutralise("see #5") == "see #\u200b5"


def test_references_to_other_repositories_are_broken_too() -> None:
    """owner/repo#5 links (and after "fixes" closes) another repository's issue; an HTML
    entity keeps its #."""
    assert neutralise("fixes octo/catalog#5") == "fixes octo/catalog#\u200b5"
    assert neutralise("&#169;") == "&#169;"


def test_link_keeps_an_odd_address_inside_its_destination() -> None:
    """A parenthesis or bracket in an address cannot end the link and start another;
    an address that is not a plain web address leaves the text unlinked."""
    address = "https://s.example.org/a)[@alice](https://evil.example/x)"
    assert link("Page", address) == f"[Page](<{address}>)"
    assert link("Page", "javascript:alert(1)") == "Page"
    assert link("Page", None) == "Page"


def test_prose_keeps_addresses_clickable_and_the_rest_inert() -> None:
    """A note naming a fallback address links it whole (no escaped hyphen breaking it),
    leaves the sentence's comma outside, and still neutralises the rest."""
    note = "The fallback, https://e.org/law-enforcement/, is fine; @bob #3"
    assert prose(note) == (
        "The fallback, <https://e.org/law-enforcement/>, is fine; @\u200bbob \\#\u200b3"
    )
    assert prose("see https://github.com/o/r/issues/1").startswith("see `")


def test_entry_marker_round_trip() -> None:
    """An issue's marker is read back exactly."""
    marker = EntryMarker("naloxone-saves", "abcdef0123456789", Status.BROKEN, Reason.http(404))
    assert parse_entry(f"text\n{marker.render()}\nmore") == marker
    assert parse_entry("no marker") is None
    linked = EntryMarker("alpha", "abcdef0123456789", Status.BROKEN, Reason.http(404), 12, "0" * 16)
    assert parse_entry(linked.render()) == linked


def test_entry_marker_fix_fields_that_do_not_parse_are_dropped() -> None:
    """A hand-edited pull request number or found-address tag counts as none."""
    odd = "<!-- catalogbot:entry=alpha status=broken pull=12x found=nothex -->"
    assert parse_entry(odd) == EntryMarker("alpha", "", Status.BROKEN, None, None, "")
    huge = "<!-- catalogbot:entry=alpha pull=99999999999999999999 -->"
    marker = parse_entry(huge)
    assert marker is not None
    assert marker.pull is None


def test_dashboard_state_round_trip_and_hostile_input() -> None:
    """Streaks survive a round trip; '-->' in a value cannot end the comment early."""
    streak = Streak(Status.BROKEN, Reason.SOFT_404, "2026-11-01T00:00:00Z", 2, "0123456789abcdef")
    state = DashboardState({"a": streak})
    rendered = state.render()
    assert rendered.count("-->") == 1
    assert parse_state(rendered) == state
    assert parse_state("<!-- catalogbot:state {not json} -->") == DashboardState()
    assert (
        parse_state('<!-- catalogbot:state {"streaks": {"a": {"runs": "x"}}} -->')
        == DashboardState()
    )


def test_other_issue_references_are_broken_too() -> None:
    """GH-123 and links to GitHub issues or pull requests would notify them: broken."""
    text = neutralise("see GH-12 and https://github.com/octo/repo/issues/5 or /pull/6")
    assert "GH-12" not in text
    assert "github.com/octo/repo/issues/5" not in text
    assert url("https://github.com/octo/repo/issues/5").startswith("`")


def test_references_stay_broken_once_escaped_as_markdown() -> None:
    """inline escapes the hyphen of GH-12 (GitHub shows GH\\-12 as GH-12, and links it):
    the reference is broken in front of the escape, which keeps working."""
    assert inline("see GH-12 and gh-3") == "see GH\u200b\\-12 and gh\u200b\\-3"


def test_entry_marker_with_odd_values_keeps_its_entry() -> None:
    """A marker the bot cannot fully read still names its entry; the odd values count
    as unknown, and a reason with spaces survives a round trip."""
    odd = "<!-- catalogbot:entry=alpha url=XYZ status=exploded reason=%ZZ%00 -->"
    assert parse_entry(odd) == EntryMarker("alpha", "", None, None)
    spaced = (
        "<!-- catalogbot:entry=alpha url=0123456789abcdef status=broken "
        "reason=gone%20for%20good -->"
    )
    assert parse_entry(spaced) == EntryMarker("alpha", "0123456789abcdef", Status.BROKEN, None)


def test_dashboard_state_drops_what_it_cannot_read_with_a_warning() -> None:
    """Unknown statuses, bad ids, bad counts and times: each streak dropped and named."""
    good = ["broken", "dns", "2026-11-01T00:00:00Z", 2, "0123456789abcdef"]
    raw = {
        "v": 1,
        "r": "2026-11-02T06:30:00Z",
        "s": {
            "alpha": good,
            "beta": ["exploded", *good[1:]],
            "gamma": [*good[:3], "two", good[4]],
            "delta": [*good[:2], "yesterday", *good[3:]],
            "Bad Id!": good,
            "eps": "not a list",
        },
    }
    state = parse_state(f"<!-- catalogbot:state {json.dumps(raw)} -->")
    assert list(state.streaks) == ["alpha"]
    assert state.last_run == "2026-11-02T06:30:00Z"
    assert len(state.warnings) == 5
    assert any("unknown status 'exploded'" in w for w in state.warnings)
    assert parse_state("<!-- catalogbot:state [1, 2] -->").streaks == {}


def test_direction_overrides_and_controls_are_written_out() -> None:
    """A title with U+202E (which shows 'gnp.exe' as 'exe.png') or a terminal escape
    reaches Markdown as visible text, in a line and in a code block alike."""
    assert inline("a\u202egnp.exe\x1b[31m") == "a\\\\u202egnp.exe\\\\u001b\\[31m"
    block = code_block("x\u2066y\tz")
    assert "\u2066" not in block
    assert "x\\u2066y\tz" in block
