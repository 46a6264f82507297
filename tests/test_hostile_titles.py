"""A page's title is untrusted and unbounded: what is kept of it is one bounded line."""

from __future__ import annotations

from catalogbot.drift.extract import MAX_TITLE, extract_html
from support.webserver import html


def test_huge_title_is_capped() -> None:
    """A title of megabytes is cut to MAX_TITLE characters."""
    extracted = extract_html(html("T" * 2_000_000, "<p>text</p>"), "text/html", None)
    assert extracted.title == "T" * MAX_TITLE


def test_control_characters_leave_the_title() -> None:
    """Terminal escapes, bells and line breaks in a title become spaces."""
    title = "Evil\x1b[31m\u202eTitle\x07\r\n::warning::x\x85end"
    extracted = extract_html(html(title, "<p>text</p>"), "text/html", None)
    assert extracted.title == "Evil [31m\u202eTitle ::warning::x end"
