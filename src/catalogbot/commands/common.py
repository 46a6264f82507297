"""What several commands share: exit codes, the catalog argument, process set-up."""

from __future__ import annotations

import argparse
import os
from collections.abc import Coroutine
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from catalogbot.errors import UsageError

if TYPE_CHECKING:
    from catalogbot.catalog import CatalogFile, Resource

T = TypeVar("T")

EXIT_OK = 0
EXIT_ATTENTION = 1
EXIT_USAGE = 2
EXIT_OFFLINE = 3
EXIT_INTERRUPTED = 130

DEFAULT_CATALOG = "catalog.yaml"


def add_catalog(parser: argparse.ArgumentParser, *, positional: bool = True) -> None:
    """The catalog as an optional positional argument and as ``--catalog PATH``."""
    if positional:
        parser.add_argument(
            "catalog_arg",
            nargs="?",
            metavar="CATALOG",
            help=f"catalog file (default {DEFAULT_CATALOG})",
        )
    parser.add_argument("--catalog", dest="catalog_opt", metavar="PATH", help="catalog file")


def catalog_path(args: argparse.Namespace) -> Path:
    """The catalog the command works on; UsageError when two different ones are given."""
    given = [p for p in (getattr(args, "catalog_arg", None), args.catalog_opt) if p is not None]
    if any(not p.strip() for p in given):
        raise UsageError("the catalog path is empty; give a file name")
    if len(given) == 2 and given[0] != given[1] and not _same_file(given[0], given[1]):
        raise UsageError(f"two different catalogs given: {given[0]} and {given[1]}")
    return Path(given[0] if given else DEFAULT_CATALOG)


def _same_file(first: str, second: str) -> bool:
    """Whether two spellings name one existing file (``c.yaml`` and ``./c.yaml``)."""
    try:
        return os.path.samefile(first, second)
    except (OSError, ValueError):
        return False


def selected(resources: list[Resource], only: list[str] | None, catalog: Path) -> list[Resource]:
    """The resources named by ``only`` (all when None); UsageError for an unknown id."""
    if not only:
        return list(resources)
    known = {r.id for r in resources}
    unknown = [i for i in dict.fromkeys(only) if i not in known]
    if unknown:
        names = ", ".join(repr(i) for i in unknown[:10])
        more = f" and {len(unknown) - 10} more" if len(unknown) > 10 else ""
        hint = ""
        if len(unknown) == 1 and Path(unknown[0]).is_file():
            hint = f" (to use the file {unknown[0]} as the catalog, write ./{unknown[0]})"
        raise UsageError(f"no resource has the id {names}{more} in {catalog}{hint}")
    wanted = set(only)
    return [r for r in resources if r.id in wanted]


def prepare_process() -> None:
    """Tune the process for many concurrent requests: file handles and collector pauses."""
    import gc
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and (hard == resource.RLIM_INFINITY or soft < hard):
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    # Thousands of requests allocate millions of short-lived objects and almost no
    # reference cycles: collecting every 700 allocations cost about 15% of a large run's
    # CPU, and every 50,000 still stalled the event loop four times for 10 ms on 10,000
    # links while finding nothing to free (measured). What start-up loaded stays.
    gc.freeze()
    gc.set_threshold(1_000_000, 20, 100)


def run_async(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run one of the checker's coroutines (on uvloop where it is installed)."""
    from catalogbot.check.loop import run_loop

    return run_loop(coroutine)


def load_catalog(path: Path) -> CatalogFile:
    """Read and validate the catalog (CatalogError, UsageError as read_catalog raises)."""
    from catalogbot.catalog import read_catalog

    return read_catalog(path)
