"""Shard assignment: whole hosts, every link once, balanced, and the same on every machine."""

from __future__ import annotations

import random
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from catalogbot.catalog import CatalogFile, Resource, parse_catalog
from catalogbot.catalog.model import CheckSettings
from catalogbot.catalog.urls import host_of
from catalogbot.check.shards import (
    MAX_SHARDS,
    WHOLE,
    Shard,
    assign_hosts,
    host_weights,
    parse_shard,
    select,
)
from catalogbot.errors import UsageError

HOSTS = st.sampled_from([f"h{i}.example.org" for i in range(12)] + ["127.0.1.7", "[::1]"])


def resources(hosts: list[str], skipped: frozenset[int] = frozenset()) -> list[Resource]:
    return [
        Resource(
            id=f"r{i}",
            title="R",
            url=f"https://{host}/p/{i}",
            check=CheckSettings(skip="not checked") if i in skipped else CheckSettings(),
        )
        for i, host in enumerate(hosts)
    ]


@settings(max_examples=200, deadline=None)
@given(st.lists(HOSTS, max_size=80), st.integers(1, 9))
def test_every_resource_in_exactly_one_shard_and_hosts_whole(hosts: list[str], count: int) -> None:
    """The shards partition the catalog, in catalog order, and never split a host."""
    catalog = resources(hosts)
    shards = [select(catalog, Shard(k, count)) for k in range(1, count + 1)]
    ids = [r.id for shard in shards for r in shard]
    assert sorted(ids) == sorted(r.id for r in catalog)
    assert len(ids) == len(set(ids))
    owner: dict[str, int] = {}
    for k, shard in enumerate(shards, start=1):
        assert [r.id for r in shard] == [r.id for r in catalog if r in shard]
        for resource in shard:
            assert owner.setdefault(host_of(resource.url), k) == k


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.text(min_size=1, max_size=5), st.integers(0, 500), max_size=60))
def test_balance_is_within_one_host_of_an_even_split(weights: dict[str, int]) -> None:
    """The busiest shard holds at most an even share plus the largest host."""
    for count in (1, 2, 3, 4, 7, 16):
        assigned = assign_hosts(weights, count)
        assert set(assigned) == set(weights)
        assert set(assigned.values()) <= set(range(1, count + 1))
        loads = Counter(dict.fromkeys(range(1, count + 1), 0))
        for host, shard in assigned.items():
            loads[shard] += weights[host]
        largest = max(weights.values(), default=0)
        assert max(loads.values()) <= sum(weights.values()) / count + largest


@settings(max_examples=100, deadline=None)
@given(
    st.dictionaries(st.text(min_size=1, max_size=5), st.integers(0, 50), max_size=40), st.randoms()
)
def test_assignment_ignores_the_order_it_is_given(
    weights: dict[str, int], rng: random.Random
) -> None:
    """The same weights in any order give the same assignment."""
    shuffled = list(weights.items())
    rng.shuffle(shuffled)
    assert assign_hosts(dict(shuffled), 5) == assign_hosts(weights, 5)


def test_assignment_is_the_same_under_every_hash_seed() -> None:
    """Two interpreters with different string hashing agree on every host's shard."""
    code = (
        "from catalogbot.check.shards import assign_hosts\n"
        "w = {f'host{i}.example.org': (i * 7919) % 13 for i in range(300)}\n"
        "print(sorted(assign_hosts(w, 6).items()))\n"
    )
    runs = {
        subprocess.run(
            [sys.executable, "-c", code],
            env={"PYTHONHASHSEED": seed, "PATH": ""},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(runs) == 1


def test_skipped_links_weigh_nothing_but_stay_with_their_host() -> None:
    """A skipped link is not fetched, so it does not count toward balance; it still
    belongs to its host's shard, so it is reported exactly once."""
    catalog = resources(["a.org", "a.org", "b.org", "c.org"], skipped=frozenset({0, 1}))
    assert host_weights(catalog) == Counter({"a.org": 0, "b.org": 1, "c.org": 1})
    first, second = (select(catalog, Shard(k, 2)) for k in (1, 2))
    assert [r.id for r in first] == ["r0", "r1", "r2"]
    assert [r.id for r in second] == ["r3"]


def test_one_shard_is_the_whole_catalog() -> None:
    """1/1 selects everything, in order."""
    catalog = resources(["a.org", "b.org"])
    assert select(catalog, WHOLE) == catalog


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1/1", Shard(1, 1)),
        ("2/4", Shard(2, 4)),
        (" 3 / 3 ", Shard(3, 3)),
        ("256/256", Shard(256, 256)),
    ],
)
def test_parse_shard(text: str, expected: Shard) -> None:
    """K/N is read with spaces allowed around the numbers."""
    assert parse_shard(text) == expected
    assert str(expected) == text.replace(" ", "")
    assert expected.as_json() == {"index": expected.index, "count": expected.count}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "write it as K/N"),
        ("2", "write it as K/N"),
        ("a/b", "write it as K/N"),
        ("-1/2", "write it as K/N"),
        ("1/2/3", "write it as K/N"),
        ("1.0/2", "write it as K/N"),
        ("0/4", "shard 0 of 4 does not exist; shards are numbered 1 to 4"),
        ("5/4", "shard 5 of 4 does not exist"),
        ("1/0", f"a run has 1 to {MAX_SHARDS} shards, not 0"),
        ("1/257", f"a run has 1 to {MAX_SHARDS} shards, not 257"),
        ("1/" + "9" * 50, "write it as K/N"),
        ("x" * 200, "..."),
    ],
)
def test_bad_shards_are_refused_in_one_line(text: str, message: str) -> None:
    """Anything but K/N with 1 <= K <= N <= 256 is a usage error that says what to write."""
    with pytest.raises(UsageError) as caught:
        parse_shard(text)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)
    assert len(str(caught.value)) < 120


def test_catalog_identity_is_the_digest_of_its_text() -> None:
    """The same text has the same identity; one changed byte gives another."""
    text = "version: 1\nresources:\n  - id: a\n    title: A\n    url: https://a.org/\n"

    def identity(source: str) -> str:
        text_read, document, catalog = parse_catalog(source.encode())
        return CatalogFile(Path("catalog.yaml"), text_read, catalog, document).identity

    assert identity(text) == identity(text)
    assert identity(text).startswith("sha256:")
    assert len(identity(text)) == len("sha256:") + 64
    assert identity(text) != identity(text.replace("A\n", "B\n"))
    assert identity("\ufeff" + text) == identity(text)
