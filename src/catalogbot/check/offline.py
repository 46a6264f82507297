"""Tell a dead link from a runner that has lost its network.

When more than half of the distinct hosts in a run, and at least three (or all of them,
when the run touches fewer than three: ``check --only ID``, ``accept ID``), fail before
any HTTP is spoken (DNS or connect), the links are probably fine and the runner is not. A
canary URL that any working connection reaches settles it.
"""

from __future__ import annotations

from collections.abc import Iterable

MIN_FAILED_HOSTS = 3


def suspect_outage(host_outcomes: Iterable[tuple[str, bool]]) -> bool:
    """Whether the run looks like the runner's network failed.

    ``host_outcomes`` holds (host, failed at the network level) for every request made;
    a host counts as failed when none of its requests got through.
    """
    reached: dict[str, bool] = {}
    for host, network_failed in host_outcomes:
        reached[host] = reached.get(host, False) or not network_failed
    failed = sum(1 for ok in reached.values() if not ok)
    needed = min(MIN_FAILED_HOSTS, len(reached))
    return failed > 0 and failed >= needed and failed * 2 > len(reached)
