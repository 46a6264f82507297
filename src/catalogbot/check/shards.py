"""Which links each of N shards checks, decided from the catalog alone.

A large catalog is checked as N jobs that run at the same time (an Actions matrix, or
worker processes on one machine). Per-host politeness only holds if no two jobs talk
to the same host, so every link of a host goes to the same shard. Every job computes
the assignment for itself, so it must come out the same everywhere: it depends only
on the catalog's links (never on hash seeds, dict order from elsewhere, the clock or
the machine). Hosts are placed largest first, each onto the shard with the fewest
links so far (the lower-numbered one on a tie), which keeps the busiest shard within
one host's worth of links of an even split.

Links are grouped by host name as the checker's per-host limits are. A link that
redirects to another host can still meet another shard there; that is rare enough
not to be worth a catalog-wide agreement.
"""

from __future__ import annotations

import heapq
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from catalogbot.catalog.model import Resource
from catalogbot.catalog.urls import host_of
from catalogbot.errors import UsageError

MAX_SHARDS = 256
"""Most shards of one run: GitHub Actions runs at most 256 jobs of one matrix."""

_SHARD = re.compile(r"\s*(\d{1,6})\s*/\s*(\d{1,6})\s*\Z")


@dataclass(frozen=True, order=True)
class Shard:
    """Shard ``index`` of ``count`` (1-based, as ``--shard K/N`` is written)."""

    index: int
    count: int

    def __post_init__(self) -> None:
        if not 1 <= self.count <= MAX_SHARDS:
            raise UsageError(f"a run has 1 to {MAX_SHARDS} shards, not {self.count}")
        if not 1 <= self.index <= self.count:
            raise UsageError(
                f"shard {self.index} of {self.count} does not exist; "
                f"shards are numbered 1 to {self.count}"
            )

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"

    def as_json(self) -> dict[str, int]:
        """The form the results file records: ``{"index": K, "count": N}``."""
        return {"index": self.index, "count": self.count}


WHOLE = Shard(1, 1)
"""The whole catalog as one shard: a run that is not split."""


def parse_shard(text: str) -> Shard:
    """The shard ``K/N`` names; UsageError with a one-line reason for anything else."""
    match = _SHARD.match(text)
    if match is None:
        shown = text if len(text) <= 40 else text[:40] + "..."
        raise UsageError(f"--shard {shown!r}: write it as K/N, such as 2/4 (shard 2 of 4)")
    return Shard(int(match.group(1)), int(match.group(2)))


def host_weights(resources: Sequence[Resource], hosts: Sequence[str] | None = None) -> Counter[str]:
    """The number of links to fetch on each host; a host with only skipped links has 0.
    ``hosts`` holds each resource's host when the caller has read them already."""
    if hosts is None:
        hosts = [host_of(resource.url) for resource in resources]
    weights: Counter[str] = Counter()
    for resource, host in zip(resources, hosts, strict=True):
        weights[host] += 0 if resource.check.skip else 1
    return weights


def assign_hosts(weights: Mapping[str, int], count: int) -> dict[str, int]:
    """Each host's shard (1-based): largest host first onto the least-loaded shard.

    Ties are broken by host name and by shard number, so the result depends only on
    the weights, not on the order in which they are given.
    """
    if not 1 <= count <= MAX_SHARDS:
        raise UsageError(f"a run has 1 to {MAX_SHARDS} shards, not {count}")
    loads = [(0, index) for index in range(1, count + 1)]
    assigned: dict[str, int] = {}
    for host in sorted(weights, key=lambda name: (-weights[name], name)):
        load, index = heapq.heappop(loads)
        assigned[host] = index
        heapq.heappush(loads, (load + weights[host], index))
    return assigned


def select(resources: Iterable[Resource], shard: Shard) -> list[Resource]:
    """The resources of ``shard``, in catalog order."""
    chosen = list(resources)
    if shard.count == 1:
        return chosen
    hosts = [host_of(r.url) for r in chosen]
    assigned = assign_hosts(host_weights(chosen, hosts), shard.count)
    return [r for r, host in zip(chosen, hosts, strict=True) if assigned[host] == shard.index]
