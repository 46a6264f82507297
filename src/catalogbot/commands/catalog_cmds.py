"""The commands that only read catalogs: ``validate``, ``changed-ids`` and ``schema``."""

from __future__ import annotations

import argparse
from pathlib import Path

from catalogbot.commands.common import EXIT_OK, catalog_path, load_catalog
from catalogbot.commands.console import Console


def run_validate(args: argparse.Namespace, console: Console) -> int:
    from catalogbot.report.annotations import one_line

    path = catalog_path(args)
    loaded = load_catalog(path)
    count = len(loaded.catalog.resources)
    if not console.quiet:
        console.say(f"{one_line(str(path))}: valid ({count} resource{'s' if count != 1 else ''})")
    return EXIT_OK


def run_changed_ids(args: argparse.Namespace, console: Console) -> int:
    from catalogbot.catalog.diff import changed_ids

    base = load_catalog(Path(args.base)).catalog
    head = load_catalog(catalog_path(args)).catalog
    console.say(" ".join(changed_ids(base, head)))
    return EXIT_OK


def run_schema(args: argparse.Namespace, console: Console) -> int:
    """Print the schema; a catalog, when one is named, must first be valid under it."""
    from catalogbot.catalog.schema import schema_json

    if args.catalog_arg is not None or args.catalog_opt is not None:
        load_catalog(catalog_path(args))
    console.data(schema_json())
    return EXIT_OK
