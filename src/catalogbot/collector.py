"""The cyclic garbage collector, held off where it only costs time."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    """Hold off the cyclic garbage collector while inside (as when a document is read
    and validated, or modules are imported).

    Reading allocates a few objects per value and keeps them; the collector, run every
    few hundred allocations, would walk all of them again and again, for a fifth to
    several times the reading itself. Plain data and catalog objects form no cycles, so
    reference counting frees them all the same.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
