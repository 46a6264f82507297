"""Surgical URL edits of catalog.yaml: only the url values change, every other byte stays."""

from __future__ import annotations

import pytest

from catalogbot.catalog.edit import EditError, replace_urls

CATALOG = """\
# Resources for the strategy page.   (keep this comment)
version: 1
resources:
  - id: plain
    title: Plain
    url: https://a.example.org/old    # trailing comment
  - id: double
    title: "Double"
    url: "https://b.example.org/old"
  - id: single
    title: 'Single'
    url: 'https://c.example.org/old'
  - {id: flow, title: Flow, url: https://d.example.org/old}
"""


def changed_lines(before: str, after: str) -> list[tuple[str, str]]:
    return [(a, b) for a, b in zip(before.splitlines(), after.splitlines(), strict=True) if a != b]


@pytest.mark.parametrize(
    ("entry", "old_line", "new_line"),
    [
        (
            "plain",
            "    url: https://a.example.org/old    # trailing comment",
            "    url: https://a.example.org/new    # trailing comment",
        ),
        ("double", '    url: "https://b.example.org/old"', '    url: "https://b.example.org/new"'),
        ("single", "    url: 'https://c.example.org/old'", "    url: 'https://c.example.org/new'"),
        (
            "flow",
            "  - {id: flow, title: Flow, url: https://d.example.org/old}",
            "  - {id: flow, title: Flow, url: https://d.example.org/new}",
        ),
    ],
)
def test_one_url_changes_in_its_own_quoting(entry: str, old_line: str, new_line: str) -> None:
    """Plain, double-quoted, single-quoted and flow-style urls keep their style and comments."""
    host = {"plain": "a", "double": "b", "single": "c", "flow": "d"}[entry]
    after = replace_urls(CATALOG, {entry: f"https://{host}.example.org/new"})
    assert changed_lines(CATALOG, after) == [(old_line, new_line)]


def test_several_urls_at_once() -> None:
    """Every requested url changes; nothing else does."""
    after = replace_urls(
        CATALOG, {"plain": "https://a.example.org/x", "single": "https://c.example.org/y"}
    )
    assert len(changed_lines(CATALOG, after)) == 2
    assert after.startswith("# Resources for the strategy page.   (keep this comment)\n")


def test_unknown_id_is_refused() -> None:
    """Editing an entry that does not exist changes nothing and says why."""
    with pytest.raises(EditError, match="no resource has the id 'nope'"):
        replace_urls(CATALOG, {"nope": "https://x.example.org/"})


def test_an_edit_that_would_break_the_catalog_is_refused() -> None:
    """A new URL equal to another entry's would make the catalog invalid: refused."""
    with pytest.raises(EditError, match="would not be valid"):
        replace_urls(CATALOG, {"plain": "https://b.example.org/old"})


def test_multiline_url_is_refused() -> None:
    """A url written as a block scalar cannot be edited in place safely."""
    text = "version: 1\nresources:\n  - id: a\n    title: A\n    url: >-\n      https://a.org/x\n"
    with pytest.raises(EditError, match="spans lines"):
        replace_urls(text, {"a": "https://a.org/y"})
