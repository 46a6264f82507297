"""Lanes: a few tasks per host take its links in turn; every link is worked on once, the
results come back in order, and no host has more than its width at once."""

from __future__ import annotations

import asyncio
from collections import Counter

import pytest

from catalogbot.check import lanes
from catalogbot.check.lanes import in_lanes


class Work:
    """Records how many items of each lane are in work at once, at most."""

    def __init__(self) -> None:
        self.now: Counter[str] = Counter()
        self.peak: Counter[str] = Counter()
        self.total_peak = 0
        self.done: list[str] = []

    async def __call__(self, item: str) -> str:
        key = item[0]
        self.now[key] += 1
        self.peak[key] = max(self.peak[key], self.now[key])
        self.total_peak = max(self.total_peak, sum(self.now.values()))
        await asyncio.sleep(0)
        await asyncio.sleep(0)
        self.now[key] -= 1
        self.done.append(item)
        return item.upper()


@pytest.mark.parametrize("order", ["grouped", "mixed"])
def test_every_item_once_in_order_and_each_lane_within_its_width(
    monkeypatch: pytest.MonkeyPatch, order: str
) -> None:
    """Grouped by host (as a catalog sorted by site is) or mixed, every host's lanes
    are busy at once: the catalog's order does not hold a host back."""
    monkeypatch.setattr(lanes, "BATCH", 7)
    items = [f"{key}{n}" for key in "abc" for n in range(20)]
    if order == "mixed":
        items = [f"{key}{n}" for n in range(20) for key in "abc"]
    work = Work()
    results = asyncio.run(in_lanes(items, lane_of=lambda item: item[0], width=2, work=work))
    assert results == [item.upper() for item in items]
    assert sorted(work.done) == sorted(items)
    assert dict(work.peak) == {"a": 2, "b": 2, "c": 2}
    assert work.total_peak == 6


def test_each_batch_is_announced_before_its_items_start(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lanes, "BATCH", 4)
    seen: list[str] = []
    started: list[str] = []

    async def work(item: str) -> str:
        started.append(item)
        assert item in seen
        return item

    items = [f"x{n}" for n in range(10)]
    asyncio.run(
        in_lanes(items, lane_of=lambda item: item[0], width=3, before=seen.extend, work=work)
    )
    assert seen == items
    assert sorted(started) == sorted(items)


def test_stopping_the_run_stops_every_lane() -> None:
    """Cancelled (Ctrl-C, a deadline), no lane is left running behind the caller."""
    waiting: list[asyncio.Future[None]] = []

    async def work(item: str) -> str:
        future = asyncio.get_running_loop().create_future()
        waiting.append(future)
        await future
        return item

    async def go() -> None:
        run = asyncio.ensure_future(
            in_lanes(
                [f"{k}{n}" for k in "ab" for n in range(3)],
                lane_of=lambda i: i[0],
                width=2,
                work=work,
            )
        )
        while len(waiting) < 4:
            await asyncio.sleep(0)
        run.cancel()
        with pytest.raises(asyncio.CancelledError):
            await run
        assert all(future.cancelled() for future in waiting)
        assert len(waiting) == 4  # the third item of each lane never started

    asyncio.run(go())
