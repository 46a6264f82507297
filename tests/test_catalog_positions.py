"""The compact record of where each value was written answers as PyYAML's own nodes do."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from catalogbot.catalog import Position, parse_catalog
from catalogbot.catalog.model import NO_SETTINGS
from catalogbot.catalog.positions import Document, Path
from catalogbot.catalog.suggest import WINDOW, Suggestions
from catalogbot.catalog.yamlsource import read_yaml

KEYS = st.text(alphabet="abcxyz-_", min_size=1, max_size=4)
SCALARS = st.one_of(
    st.text(alphabet="abc xyz:#'\"-é", max_size=12),
    st.integers(-5, 10**6),
    st.booleans(),
    st.none(),
)
TREES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=5),
        st.dictionaries(KEYS, inner, max_size=20),
    ),
    max_leaves=60,
)


def marks(node: yaml.Node, path: Path = ()) -> dict[Path, tuple[Position, Position | None]]:
    """Where PyYAML's composer says each value (and each mapping key) starts."""
    found: dict[Path, tuple[Position, Position | None]] = {}

    def at(mark: Any) -> Position:
        return Position(mark.line + 1, mark.column + 1)

    def walk(node: yaml.Node, path: Path, key: Position | None) -> None:
        found[path] = (at(node.start_mark), key)
        if isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                walk(item, (*path, index), None)
        elif isinstance(node, yaml.MappingNode):
            for key_node, value in node.value:
                walk(value, (*path, key_node.value), at(key_node.start_mark))

    walk(node, path, None)
    return found


@settings(max_examples=150, deadline=None)
@given(TREES, st.booleans())
def test_every_value_and_key_is_where_pyyaml_says(tree: Any, flow: bool) -> None:
    """For any document, position and key_position agree with PyYAML's composed nodes."""
    text = yaml.safe_dump({"root": tree}, default_flow_style=flow, allow_unicode=True)
    document = read_yaml(text)
    composed = yaml.compose(text, Loader=yaml.SafeLoader)
    assert composed is not None
    expected = marks(composed)
    for path, (start, key) in expected.items():
        assert document.position(path) == start
        assert document.key_position(path) == (key or start)
    assert document.position(("root", "no such key", 3)) == expected[("root",)][0]


def test_position_falls_back_to_the_nearest_ancestor() -> None:
    """A path that leaves the document, or uses the wrong kind of step, gets its ancestor."""
    document = read_yaml("a:\n  - x\n  - {b: 1}\n")
    assert document.position(("a", 1, "b")) == Position(3, 9)
    assert document.position(("a", 1, "c")) == Position(3, 5)
    assert document.position(("a", "1")) == Position(2, 3)
    assert document.position(("a", 7)) == Position(2, 3)
    assert document.position(("a", True)) == Position(2, 3)
    assert document.key_position(("a", 0)) == Position(2, 5)


def test_span_covers_a_scalar_with_its_quotes() -> None:
    """A scalar's span runs from its first character to just after its closing quote."""
    document = read_yaml("a: 'quoted'\nb: [x]\n")
    assert document.span(("a",)) == (Position(1, 4), Position(1, 12))
    with pytest.raises(KeyError):
        document.span(("b",))
    with pytest.raises(KeyError):
        document.span(("c",))


def test_mappings_with_many_keys_and_duplicates() -> None:
    """A mapping past the few-keys form still finds each key; a duplicate names the first."""
    lines = [f"k{i}: {i}" for i in range(40)] + ["k7: again"]
    document = read_yaml("\n".join(lines) + "\n")
    assert document.data["k7"] == 7
    assert document.key_position(("k39",)) == Position(40, 1)
    [duplicate] = document.problems
    assert duplicate.where == Position(41, 1)
    assert "first written at line 8" in duplicate.message


def test_a_valid_catalog_keeps_no_plain_copy_and_shares_default_settings() -> None:
    """The validated catalog is held once: no plain values beside it, one default settings."""
    text = "version: 1\nresources:\n" + "".join(
        f"  - id: r{i}\n    title: R\n    url: https://h{i}.example.org/\n" for i in range(3)
    )
    _, document, catalog = parse_catalog(text.encode())
    assert isinstance(document, Document)
    assert document.data is None
    assert document.span(("resources", 2, "url"))[0] == Position(11, 10)
    assert all(resource.check is NO_SETTINGS for resource in catalog.resources)
    assert not hasattr(catalog.resources[0], "__dict__")


def test_suggestions_in_a_small_set_are_difflibs() -> None:
    """Below a few dozen ids every id is a candidate, as difflib alone would have it."""
    suggestions = Suggestions(["a", "missing", "naloxone-saves"])
    assert suggestions.closest("aa") == "a"
    assert suggestions.closest("naloxone-save") == "naloxone-saves"
    assert suggestions.closest("zzzzzz") is None


def test_suggestions_in_a_large_set_look_only_near_the_word() -> None:
    """In 50,000 ids a slip at the start or the end is found among a few dozen neighbours."""
    ids = [f"{word}-guide-{n}" for n in range(10_000) for word in ("aa", "bb", "cc", "dd", "ee")]
    suggestions = Suggestions(ids)
    assert len(suggestions._near("cc-guide-4242")) <= 4 * WINDOW
    assert suggestions.closest("cc-guide-4242x") == "cc-guide-4242"
    assert suggestions.closest("xcc-guide-4242") == "cc-guide-4242"
    assert suggestions.closest("cc-gide-4242") == "cc-guide-4242"
