"""``catalogbot accept``: record what resources say now as their baselines."""

from __future__ import annotations

import argparse
from pathlib import Path

from catalogbot.commands.common import (
    EXIT_ATTENTION,
    EXIT_OFFLINE,
    EXIT_OK,
    EXIT_USAGE,
    catalog_path,
    load_catalog,
    prepare_process,
    run_async,
    selected,
)
from catalogbot.commands.console import Console
from catalogbot.commands.network import check_options
from catalogbot.errors import UsageError


def accept_targets(args: argparse.Namespace) -> tuple[Path, list[str]]:
    """Split ``accept``'s positionals into the catalog path and the ids.

    Ids are lowercase letters, digits and hyphens. A first argument that cannot be an
    id (it has a dot, a slash, a capital...) is the catalog; one that can is an id,
    even when a file of that name exists (write ``./NAME`` or ``--catalog NAME``).
    """
    from catalogbot.catalog.model import ID

    items = list(args.items)
    catalog = None
    if items and not ID.match(items[0]):
        catalog = items.pop(0)
    bad = [i for i in items if not ID.match(i)]
    if bad:
        raise UsageError(
            f"{bad[0]!r} is not a resource id (lowercase letters, digits and hyphens); "
            "give the catalog first, or with --catalog"
        )
    args.catalog_arg = catalog
    path = catalog_path(args)
    if args.all and items:
        raise UsageError("give either --all or resource ids, not both")
    if not args.all and not items:
        raise UsageError("say which resources to accept: their ids, or --all")
    return path, items


def run_accept(args: argparse.Namespace, console: Console) -> int:
    from catalogbot.accept import accept_resources
    from catalogbot.drift.snapshot import SnapshotStore
    from catalogbot.report.accept_text import accept_lines, offline_line
    from catalogbot.report.terminal import Progress

    path, ids = accept_targets(args)
    loaded = load_catalog(path)
    resources = selected(list(loaded.catalog.resources), ids or None, path)
    store = SnapshotStore(path)
    problem = store.writable_problem()
    if problem:
        raise UsageError(f"no baseline can be recorded: {problem}")
    options = check_options(args, len(resources))
    prepare_process()
    with Progress() as progress:
        run, outcomes = run_async(accept_resources(resources, options, store, observer=progress))
    if run.offline:
        console.say(offline_line(run.offline_detail))
        return EXIT_OFFLINE
    lines = accept_lines(outcomes, quiet=console.quiet)
    if lines:
        console.say("\n".join(lines))
    if any(o.unwritten for o in outcomes):
        return EXIT_USAGE
    return EXIT_ATTENTION if any(o.refused for o in outcomes) else EXIT_OK
