"""Each validation rule, proven with a catalog that breaks it, at the line and column reported."""

from __future__ import annotations

import time
from textwrap import dedent, indent

import pytest
from hypothesis import given
from hypothesis import strategies as st

from catalogbot.catalog import parse_catalog
from catalogbot.catalog.errors import CatalogError

HEAD = "version: 1\nresources:\n"
ONE = HEAD + "  - id: a\n    title: A\n    url: https://a.example.org/\n"


def problems(text: str | bytes) -> list[tuple[int, int, str]]:
    """Every problem reported for ``text``, as (line, column, message)."""
    data = text.encode() if isinstance(text, str) else text
    with pytest.raises(CatalogError) as caught:
        parse_catalog(data)
    return [(p.where.line, p.where.column, p.message) for p in caught.value.problems]


def only_problem(text: str | bytes) -> tuple[int, int, str]:
    found = problems(text)
    assert len(found) == 1, found
    return found[0]


def test_minimal_catalog_is_valid() -> None:
    """version plus resources with id, title and url is a whole catalog."""
    _, _, catalog = parse_catalog(ONE.encode())
    assert [r.id for r in catalog.resources] == ["a"]
    assert catalog.strategies == []


def test_yaml_syntax_error_points_at_the_break() -> None:
    """An unclosed flow list is reported where the parser gave up."""
    line, col, message = only_problem(HEAD + "  - id: a\n    tags: [x, y\n    title: t\n")
    assert (line, message.startswith("YAML syntax error")) == (5, True)
    assert col >= 1


def test_tab_indentation_is_named_as_such() -> None:
    """Tabs in indentation get a message that says so, on each line that has one."""
    found = problems(HEAD + "  - id: a\n\t  title: A\n\t  url: https://a.org/\n")
    assert [(line, col) for line, col, _ in found] == [(4, 1), (5, 1)]
    assert all("tab" in message for _, _, message in found)


def test_non_utf8_byte_is_located() -> None:
    """A Latin-1 byte is reported at its line and column."""
    data = (HEAD + "  - id: a\n    title: Caf").encode() + b"\xe9\n    url: https://a.org/\n"
    assert only_problem(data)[:2] == (4, 15)
    assert "UTF-8" in only_problem(data)[2]


def test_utf16_is_refused_with_advice() -> None:
    """A UTF-16 file is named as UTF-16."""
    assert "UTF-16" in only_problem(ONE.encode("utf-16"))[2]


def test_utf8_byte_order_mark_is_accepted() -> None:
    """Editors on Windows add a BOM; it is not an error, and not part of the text that
    positions and edits work on."""
    text, _, catalog = parse_catalog(b"\xef\xbb\xbf" + ONE.encode())
    assert text == ONE
    assert catalog == parse_catalog(ONE.encode())[2]


@pytest.mark.parametrize("text", ["", "   \n", "# only a comment\n"])
def test_empty_file(text: str) -> None:
    """An empty document says it is empty."""
    assert "empty" in only_problem(text)[2]


@pytest.mark.parametrize(
    ("text", "kind"), [("- a\n- b\n", "list"), ("just text\n", "text"), ("42\n", "number")]
)
def test_top_level_must_be_a_mapping(text: str, kind: str) -> None:
    """A list or scalar at the top is refused, naming what it is."""
    line, col, message = only_problem(text)
    assert (line, col) == (1, 1)
    assert kind in message


def test_duplicate_key_is_caught_at_the_second_key() -> None:
    """PyYAML keeps the last of two keys; we report the second one."""
    text = HEAD + "  - id: a\n    title: A\n    url: https://a.org/\n    title: B\n"
    line, col, message = only_problem(text)
    assert (line, col) == (6, 5)
    assert "duplicate key 'title'" in message
    assert "line 4" in message


def test_unknown_field_suggests_the_right_name() -> None:
    """A typo like tittle is reported at the key, with the field it probably meant."""
    text = HEAD + "  - id: a\n    tittle: A\n    title: A\n    url: https://a.org/\n"
    line, col, message = only_problem(text)
    assert (line, col) == (4, 5)
    assert "unknown field 'tittle'" in message
    assert "did you mean 'title'" in message


def test_missing_required_field_points_at_the_entry() -> None:
    """A resource without a title is reported at the start of that resource."""
    text = ONE + "  - id: b\n    url: https://b.org/\n"
    line, col, message = only_problem(text)
    assert (line, col) == (6, 5)
    assert "missing required field 'title'" in message


def test_missing_resources_key() -> None:
    """A catalog without resources says so."""
    assert "missing required field 'resources'" in only_problem("version: 1\n")[2]


def test_wrong_type() -> None:
    """tags must be a list; a plain string is reported at the value."""
    line, col, message = only_problem(ONE + "    tags: harm-reduction\n")
    assert (line, col) == (6, 11)
    assert "list" in message


def test_number_where_text_belongs_suggests_quotes() -> None:
    """title: 1984 is a number in YAML; the message says to quote it."""
    text = HEAD + "  - id: a\n    title: 1984\n    url: https://a.org/\n"
    assert "quotes" in only_problem(text)[2]


def test_yes_and_no_stay_text() -> None:
    """YAML 1.2 reads No as text, so a title of No is not turned into false."""
    text = HEAD + "  - id: a\n    title: No\n    url: https://a.org/\n"
    _, _, catalog = parse_catalog(text.encode())
    assert catalog.resources[0].title == "No"


def test_bad_enum_value_lists_the_choices() -> None:
    """format: html is not a format; the allowed ones are listed."""
    line, col, message = only_problem(ONE + "    format: html\n")
    assert (line, col) == (6, 13)
    assert "'webpage'" in message
    assert "'pdf'" in message


def test_wrong_version() -> None:
    """Only version 1 exists."""
    line, col, message = only_problem(ONE.replace("version: 1", "version: 2"))
    assert (line, col) == (1, 10)
    assert "must be 1" in message


def test_bad_id() -> None:
    """Ids are lowercase, digits and hyphens."""
    line, col, message = only_problem(ONE.replace("id: a", "id: Bad_Id"))
    assert (line, col) == (3, 9)
    assert "lowercase" in message


def test_duplicate_ids() -> None:
    """The second use of an id is reported with the line of the first."""
    text = ONE + "  - id: a\n    title: B\n    url: https://b.org/\n"
    line, col, message = only_problem(text)
    assert (line, col) == (6, 9)
    assert "duplicate id 'a'" in message
    assert "line 3" in message


@pytest.mark.parametrize(
    "second",
    [
        "HTTPS://A.EXAMPLE.ORG/",  # scheme and host case
        "https://a.example.org:443/",  # default port
        "https://a.example.org",  # no trailing slash on the root
        "https://a.example.org/#top",  # fragment
    ],
)
def test_duplicate_urls_after_normalisation(second: str) -> None:
    """Two spellings of the same link are one link."""
    text = ONE + f"  - id: b\n    title: B\n    url: {second}\n"
    line, col, message = only_problem(text)
    assert (line, col) == (8, 10)
    assert "same link as line 5" in message


def test_different_paths_are_not_duplicates() -> None:
    """Path case and query strings matter to servers, so they are kept apart."""
    text = ONE + "  - id: b\n    title: B\n    url: https://a.example.org/?page=2\n"
    _, _, catalog = parse_catalog(text.encode())
    assert [r.id for r in catalog.resources] == ["a", "b"]


@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        ("ftp://files.example.org/a.pdf", "http:// or https://"),
        ("javascript:alert(1)", "http:// or https://"),
        ("https://user:secret@example.org/", "user name or password"),
        ('"https://example.org/a b"', "whitespace"),
        ('"https://example.org/a\\tb"', "whitespace"),
        ('"https://example.org/\\x01"', "control character"),
        ("https:///path-only", "no host"),
        ("https://exa mple.org/", "whitespace"),
        ("https://example.org:99999/", "invalid port"),
        ("https://example.org:65536/", "invalid port"),
        ("https://example.org:0/", "invalid port"),
        ("https://-bad-.example.org/", "not a valid host"),
        ("https://example.org\\@evil.org/", "backslash"),
    ],
)
def test_bad_urls(url: str, fragment: str) -> None:
    """Each kind of unusable URL is refused at the url value, saying why."""
    line, col, message = only_problem(ONE.replace("https://a.example.org/", url))
    assert (line, col) == (5, 10)
    assert fragment in message


def test_unknown_resource_reference_in_strategy_and_highlight() -> None:
    """A strategy or highlight that names an unknown id is reported at the reference."""
    text = ONE + dedent(
        """\
        strategies:
          - id: s
            title: S
            highlights:
              - text: Look
                resource: aa
            resources:
              introductory: [a, missing]
        """
    )
    found = problems(text)
    assert [(line, col) for line, col, _ in found] == [(11, 19), (13, 25)]
    assert "no resource has the id 'aa' (did you mean 'a'?)" in found[0][2]
    assert "'missing'" in found[1][2]


def test_every_problem_is_reported_in_file_order() -> None:
    """Validation does not stop at the first problem."""
    text = HEAD + dedent(
        """\
          - id: a
            tittle: A
            url: ftp://a
          - id: a
            title: B
            url: https://b.org/
            format: html
        """
    )
    found = problems(text)
    assert [line for line, _, _ in found] == sorted(line for line, _, _ in found)
    assert len(found) == 5  # missing title, unknown field, bad url, duplicate id, bad format


def test_check_settings_are_validated() -> None:
    """A skip without a reason, a bad selector, a bad pattern and a bad threshold are refused."""
    text = ONE + indent(
        dedent(
            """\
            check:
              skip: true
              selector: "main["
              ignore: ["(unclosed"]
              threshold: 1.5
              accept_status: [700]
            """
        ),
        "    ",
    )
    messages = [m for _, _, m in problems(text)]
    assert len(messages) == 5
    assert any("give the reason" in m for m in messages)
    assert any("CSS selector" in m for m in messages)
    assert any("regular expression" in m for m in messages)


def test_check_settings_are_read() -> None:
    """The per-resource check settings reach the model."""
    text = ONE + indent(
        dedent(
            """\
            check:
              skip: The publisher blocks automated requests
              accept_status: [403]
              selector: main article
              ignore: ["Last updated .*"]
              threshold: 0.6
            """
        ),
        "    ",
    )
    _, _, catalog = parse_catalog(text.encode())
    check = catalog.resources[0].check
    assert check.skip == "The publisher blocks automated requests"
    assert check.accept_status == [403]
    assert check.threshold == 0.6


def test_alias_bomb_is_refused_quickly() -> None:
    """Billion-laughs anchors are refused at the first alias, without expanding anything."""
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in "bcdefghi":
        prev = chr(ord(level) - 1)
        lines.append(f"{level}: &{level} [" + ",".join([f"*{prev}"] * 9) + "]")
    started = time.monotonic()
    line, col, message = only_problem("\n".join(lines) + "\n")
    assert time.monotonic() - started < 5
    assert (line, col) == (2, 8)
    assert "aliases" in message


def test_merge_keys_are_aliases_too() -> None:
    """<<: *base needs an alias, so it is refused with the same message."""
    text = "base: &base {x: 1}\nversion: 1\nother:\n  <<: *base\nresources: []\n"
    assert "aliases" in only_problem(text)[2]


@pytest.mark.parametrize("depth", [100, 100_000])
@pytest.mark.parametrize("opener", ["[", "{a: "])
def test_deep_flow_nesting_is_refused(opener: str, depth: int) -> None:
    """A document nested far too deep is refused with a message, not a crash."""
    text = "version: 1\nresources: " + opener * depth + "\n"
    assert "nests deeper" in only_problem(text)[2]


def test_deep_block_nesting_is_refused() -> None:
    """Indentation-nested mappings are held to the same depth limit."""
    text = "version: 1\nresources:\n" + "".join(f"{' ' * i}k{i}:\n" for i in range(1, 200))
    assert "nests deeper" in only_problem(text)[2]


@pytest.mark.parametrize(
    "tag", ["!!python/object/apply:os.system ['echo hi']", "!!python/name:os.system", "!custom x"]
)
def test_tags_that_construct_objects_are_refused(tag: str) -> None:
    """No YAML tag can construct a Python object; the tag is named."""
    line, col, message = only_problem(ONE + f"    note: {tag}\n")
    assert (line, col) == (6, 11)
    assert "tag" in message


def test_explicit_core_tags_are_allowed() -> None:
    """!!str is a standard YAML way to keep a value as text."""
    text = HEAD + "  - id: a\n    title: !!str 1984\n    url: https://a.org/\n"
    _, _, catalog = parse_catalog(text.encode())
    assert catalog.resources[0].title == "1984"


def test_two_documents_are_refused() -> None:
    """A second '---' would be silently ignored by most readers; it is an error here."""
    line, _, message = only_problem(ONE + "---\nversion: 1\n")
    assert line == 6
    assert "more than one YAML document" in message


def test_control_character_is_located() -> None:
    """A stray control character is reported where it is."""
    line, col, message = only_problem(ONE.replace("title: A", "title: A\x07"))
    assert (line, col) == (4, 13)
    assert "#x0007" in message


@given(
    st.one_of(
        st.text(max_size=60),
        st.builds(
            lambda scheme, host, port, rest: f"{scheme}://{host}{port}{rest}",
            st.sampled_from(["http", "HTTPS", "ftp", "http:"]),
            st.sampled_from(["example.org", "Ex.ORG.", "[::1]", "a@b.org", "", "xn--bcher-kva.de"]),
            st.sampled_from(["", ":80", ":443", ":0", ":99999", ":x", ":"]),
            st.text(max_size=20),
        ),
    )
)
def test_url_facts_are_what_url_problem_and_normalise_url_say(url: str) -> None:
    """Reading a catalog parses each URL once for both questions; the answers are those
    of asking each question alone."""
    from catalogbot.catalog.urls import normalise_url, url_facts, url_problem

    try:
        key: str | None = normalise_url(url)
    except ValueError:
        key = None
    assert url_facts(url) == (url_problem(url), key)
