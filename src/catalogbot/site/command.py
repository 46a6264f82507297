"""The ``site`` command: record a run in the history, then build the health page."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from catalogbot.commands.common import catalog_path
from catalogbot.commands.console import Console
from catalogbot.errors import UsageError

SITE_HELP = "record a run in the history file and build the catalog's health page"
SITE_DETAILS = (
    "With --results, first add that run to the history file (once: a run is known by its "
    "finished_at), then build a static site in --out from the catalog and the whole history."
)


def _keep_runs(text: str) -> int:
    from catalogbot.site.history import MIN_KEEP_RUNS

    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < MIN_KEEP_RUNS:
        raise argparse.ArgumentTypeError(f"must be {MIN_KEEP_RUNS} or more: {text!r}")
    return value


def add_site_arguments(site: argparse.ArgumentParser) -> None:
    """The ``site`` command's own options (the catalog ones are added by the caller)."""
    from catalogbot.site.history import DEFAULT_KEEP_RUNS

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


def _github() -> tuple[str, str] | None:
    server = os.environ.get("GITHUB_SERVER_URL", "").strip()
    repository = os.environ.get("GITHUB_REPOSITORY", "").strip()
    owner, _, name = repository.partition("/")
    if not server.startswith(("https://", "http://")) or not owner or not name or "/" in name:
        return None
    return server, repository


def run_site(args: argparse.Namespace, console: Console) -> int:
    """Record, then build; every bad input is a UsageError before anything is written."""
    from catalogbot.catalog import read_catalog
    from catalogbot.site.build import build_site, prepare_out
    from catalogbot.site.history import add_run
    from catalogbot.site.runs import read_run
    from catalogbot.site.store import read_history, write_history

    catalog = catalog_path(args)
    history_path, out_dir = Path(args.history), Path(args.out)
    if args.results and not history_path.parent.is_dir():
        raise UsageError(f"{history_path}: the folder {history_path.parent} does not exist")
    loaded = read_catalog(catalog)
    history = read_history(history_path)
    if args.results:
        run = read_run(Path(args.results))
        known = {resource.id for resource in loaded.catalog.resources}
        if run.entries and known.isdisjoint(run.entries):
            raise UsageError(
                f"{args.results}: none of its entries is in {catalog}; is it the results "
                "of another catalog?"
            )
        try:
            added = add_run(history, run, args.keep_runs)
        except ValueError as error:
            raise UsageError(f"{args.results}: finished_at is not a time ({error})") from None
        prepare_out(out_dir)
        if added == "added":
            write_history(history_path, history)
        console.say(f"{history_path}: run of {run.finished_at} {added}")
    else:
        prepare_out(out_dir)
    pages = build_site(out_dir, loaded.catalog, history, _github())
    console.say(f"{out_dir}: {pages} pages from {len(history.runs)} runs")
    return 0
