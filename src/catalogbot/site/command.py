"""The ``site`` command: record a run in the history, then build the health page."""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from catalogbot.errors import UsageError

SITE_HELP = "record a run in the history file and build the catalog's health page"


def _keep_runs(text: str) -> int:
    from catalogbot.site.history import MIN_KEEP_RUNS

    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < MIN_KEEP_RUNS:
        raise argparse.ArgumentTypeError(f"must be {MIN_KEEP_RUNS} or more: {text!r}")
    return value


def add_site_command(
    commands: Any,
    add_catalog: Callable[[argparse.ArgumentParser], None],
    catalog_path: Callable[[argparse.Namespace], Path],
) -> None:
    """Add ``site`` to the command line's subcommands."""
    from catalogbot.site.history import DEFAULT_KEEP_RUNS

    site = commands.add_parser(
        "site",
        help=SITE_HELP,
        description="With --results, first add that run to the history file (once: a run "
        "is known by its finished_at), then build a static site in --out from the catalog "
        "and the whole history. Exit 0: done; 2: usage, catalog, results or history error "
        "(the history file is then left as it was).",
    )
    add_catalog(site)
    site.add_argument("--out", required=True, metavar="DIR", help="folder for the site")
    site.add_argument("--history", required=True, metavar="FILE", help="the history file")
    site.add_argument("--results", metavar="FILE", help="a results file to record first")
    site.add_argument(
        "--keep-runs",
        type=_keep_runs,
        default=DEFAULT_KEEP_RUNS,
        metavar="N",
        help=f"runs kept in full; older ones are summarised (default {DEFAULT_KEEP_RUNS})",
    )

    def run(args: argparse.Namespace, out: TextIO) -> int:
        return run_site(args, catalog_path(args), out)

    site.set_defaults(run=run)


def _github() -> tuple[str, str] | None:
    server = os.environ.get("GITHUB_SERVER_URL", "").strip()
    repository = os.environ.get("GITHUB_REPOSITORY", "").strip()
    owner, _, name = repository.partition("/")
    if not server.startswith(("https://", "http://")) or not owner or not name or "/" in name:
        return None
    return server, repository


def run_site(args: argparse.Namespace, catalog: Path, out: TextIO) -> int:
    """Record, then build; every bad input is a UsageError before anything is written."""
    from catalogbot.catalog import read_catalog
    from catalogbot.site.build import build_site, prepare_out
    from catalogbot.site.history import add_run
    from catalogbot.site.runs import read_run
    from catalogbot.site.store import read_history, write_history

    history_path, out_dir = Path(args.history), Path(args.out)
    if args.results and not history_path.parent.is_dir():
        raise UsageError(f"{history_path}: the folder {history_path.parent} does not exist")
    loaded = read_catalog(catalog)
    history = read_history(history_path)
    if args.results:
        run = read_run(Path(args.results))
        try:
            added = add_run(history, run, args.keep_runs)
        except ValueError as error:
            raise UsageError(f"{args.results}: finished_at is not a time ({error})") from None
        prepare_out(out_dir)
        if added == "added":
            write_history(history_path, history)
        print(f"{history_path}: run of {run.finished_at} {added}", file=out)
    else:
        prepare_out(out_dir)
    pages = build_site(out_dir, loaded.catalog, history, _github())
    print(f"{out_dir}: {pages} pages from {len(history.runs)} runs", file=out)
    return 0
