"""Whatever bytes arrive in a pull request, the loader answers with a catalog or a clean error."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalogbot.catalog import parse_catalog
from catalogbot.catalog.errors import CatalogError
from catalogbot.catalog.problems import Problem

VALID = (
    b"version: 1\nresources:\n  - id: a\n    title: A\n    url: https://a.example.org/\n"
    b"    check: {skip: n/a, accept_status: [403]}\n"
    b"strategies:\n  - id: s\n    title: S\n    resources: {introductory: [a]}\n"
)

YAML_PIECES = st.sampled_from(
    [
        "version: 1\n",
        "resources:\n",
        "  - id: a\n",
        "    title: T\n",
        "    url: https://x.org/\n",
        "- ",
        ": ",
        "[",
        "]",
        "{",
        "}",
        "&a ",
        "*a ",
        "!!python/object ",
        "! ",
        "? ",
        "|\n",
        ">-\n",
        "\t",
        "  ",
        "\n",
        "---\n",
        "...\n",
        "'",
        '"',
        "#",
        "%YAML 1.1\n",
        "\\x",
        "\x00",
        "\ufeff",
        "<<: ",
        "~",
        "null",
        "1e5",
        "0x1F",
        "-.inf",
        "é",
        "\U0001f600",
    ]
)


def assert_clean(data: bytes) -> None:
    try:
        parse_catalog(data)
    except CatalogError as error:
        found = error.problems
    else:
        return
    assert found
    for problem in found:
        assert isinstance(problem, Problem)
        assert problem.where.line >= 1
        assert problem.where.column >= 1
        assert problem.message


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.binary(max_size=2000))
def test_any_bytes(data: bytes) -> None:
    """Random bytes give a catalog or a CatalogError whose problems all have a place."""
    assert_clean(data)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.lists(YAML_PIECES, max_size=60).map("".join))
def test_yaml_like_text(text: str) -> None:
    """Text built from YAML's own punctuation never escapes as another exception."""
    assert_clean(text.encode("utf-8", "surrogatepass"))


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=len(VALID) - 1), st.binary(min_size=1, max_size=8))
def test_mutated_valid_catalog(offset: int, noise: bytes) -> None:
    """A valid catalog with a few bytes changed anywhere still fails cleanly, if it fails."""
    assert_clean(VALID[:offset] + noise + VALID[offset + len(noise) :])


def test_the_valid_seed_of_the_mutations_is_valid() -> None:
    """The mutation test starts from a catalog that really is valid."""
    assert parse_catalog(VALID)[2].resources
