"""``catalogbot merge``: the shards of one run joined into one results file.

The merged file is what ``check`` would have written for the whole catalog: results in
catalog order, the earliest start and the latest finish, shard 1 of 1. Shards that
cannot be one run are refused before anything is written: different catalogs, a
shard given twice or missing, different shard counts, an entry in two shards.

When any shard's runner was offline, the merged run is offline: that shard's links
got no verdict (its unanswered links say ``runner_offline``, never broken), so the run
as a whole cannot say which links are gone, and ``sync`` changes nothing for it, as
for one offline run.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from catalogbot.commands.common import (
    DEFAULT_CATALOG,
    load_catalog,
)
from catalogbot.commands.console import Console
from catalogbot.commands.outputs import plan_outputs
from catalogbot.commands.reporting import report_run
from catalogbot.errors import UsageError

if TYPE_CHECKING:
    from catalogbot.catalog import CatalogFile
    from catalogbot.check.run import CheckRun
    from catalogbot.report.results_file import ResultsFile

CATALOG_SUFFIXES = (".yaml", ".yml")


def add_merge_arguments(merge: argparse.ArgumentParser) -> None:
    """``merge``'s own arguments: the shard files, the catalog, the outputs."""
    merge.add_argument(
        "files",
        nargs="+",
        metavar="RESULTS",
        help="the shards' results files (from check --shard K/N --json); a .yaml or .yml "
        "file among them is taken as the catalog",
    )
    merge.add_argument(
        "--catalog",
        dest="catalog_opt",
        metavar="PATH",
        help=f"catalog file, for line numbers (default {DEFAULT_CATALOG})",
    )
    merge.add_argument(
        "--json",
        required=True,
        metavar="FILE",
        help="write the merged results here (- for standard output)",
    )
    merge.add_argument(
        "--markdown", metavar="FILE", help="write a Markdown report here (- for standard output)"
    )


def _split_arguments(args: argparse.Namespace) -> tuple[Path, list[Path]]:
    """The catalog and the results files among the positional arguments."""
    catalogs = [f for f in args.files if f.lower().endswith(CATALOG_SUFFIXES)]
    results = [Path(f) for f in args.files if f not in catalogs]
    given = [*catalogs, *([args.catalog_opt] if args.catalog_opt is not None else [])]
    if any(not text.strip() for text in [*args.files, *given]):
        raise UsageError("an empty file name was given")
    if len(set(given)) > 1:
        raise UsageError(f"two different catalogs given: {given[0]} and {given[1]}")
    if not results:
        raise UsageError("give the results file of every shard to merge")
    return Path(given[0] if given else DEFAULT_CATALOG), results


def merged_run(shards: list[tuple[Path, ResultsFile]], loaded: CatalogFile) -> CheckRun:
    """The run the shards make up together; UsageError when they are not one run."""
    from catalogbot.check.run import CheckRun
    from catalogbot.check.shards import WHOLE

    identity = loaded.identity
    counts: dict[int, Path] = {}
    indexes: dict[int, Path] = {}
    owner: dict[str, Path] = {}
    for path, document in shards:
        if document.shard is None:
            raise UsageError(
                f"{path}: not the results of a shard (no shard field: written by "
                "check --only, or by an older catalogbot)"
            )
        if document.catalog_digest != identity:
            raise UsageError(
                f"{path}: the results of another catalog (or another version of "
                f"{loaded.path}); merge only shards of one run, with its catalog"
            )
        index, count = document.shard.index, document.shard.count
        if counts and count not in counts:
            other, first = next(iter(counts.items()))
            raise UsageError(
                f"{path}: shard {index} of {count}, but {first} is a shard of {other}; "
                "merge the shards of one run"
            )
        counts[count] = path
        if index in indexes:
            raise UsageError(f"{path}: shard {index}/{count} is also {indexes[index]}")
        indexes[index] = path
        for result in document.results:
            if result.id in owner:
                raise UsageError(f"{path}: {result.id!r} is also in {owner[result.id]}")
            owner[result.id] = path
    (count,) = counts
    missing = [str(i) for i in range(1, count + 1) if i not in indexes]
    if missing:
        raise UsageError(
            f"shard{'s' if len(missing) > 1 else ''} {', '.join(missing)} of {count} "
            f"missing: merge every shard of the run"
        )
    order = {r.id: n for n, r in enumerate(loaded.catalog.resources)}
    unknown = [i for i in owner if i not in order]
    if unknown:
        raise UsageError(f"{owner[unknown[0]]}: {unknown[0]!r} is not in {loaded.path}")
    results = sorted(
        (result for _, document in shards for result in document.results),
        key=lambda r: order[r.id],
    )
    offline = [(p, d) for p, d in shards if d.offline]
    detail = "; ".join(
        f"shard {d.shard.index}/{d.shard.count}: {d.offline_detail or 'offline'}"
        for _, d in offline
        if d.shard is not None
    )
    return CheckRun(
        tuple(results),
        started_at=min(d.started_at for _, d in shards),
        finished_at=max(d.finished_at for _, d in shards),
        offline=bool(offline),
        offline_detail=detail,
        shard=WHOLE,
    )


def run_merge(args: argparse.Namespace, console: Console) -> int:
    from catalogbot.report.context import ReportContext
    from catalogbot.report.results_file import read_results

    path, files = _split_arguments(args)
    outputs = plan_outputs(
        [("--json", args.json), ("--markdown", args.markdown)], inputs=[path, *files]
    )
    shards = [(file, read_results(file)) for file in files]
    loaded = load_catalog(path)
    run = merged_run(shards, loaded)
    return report_run(ReportContext(loaded, run), outputs, console, path)
