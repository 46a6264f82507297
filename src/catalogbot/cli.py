"""The ``catalogbot`` command: argument parsing, wiring and exit codes, nothing else.

Each command's work is in ``catalogbot.commands``; the texts it prints are in ``report``.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence

from catalogbot import __version__
from catalogbot.catalog.errors import CatalogError
from catalogbot.commands.common import (
    DEFAULT_CATALOG,
    EXIT_ATTENTION,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_USAGE,
    add_catalog,
)
from catalogbot.commands.console import Console, OutputError, silence_stdout
from catalogbot.commands.help import EXIT_CODES, HelpFormatter
from catalogbot.commands.ranges import count, number
from catalogbot.errors import CatalogbotError, UsageError

Runner = Callable[[argparse.Namespace, Console], int]


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is an exception the caller turns into exit 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.prog}: {message}")


def _command(
    commands: argparse._SubParsersAction[_Parser],
    name: str,
    summary: str,
    details: str,
    run: Runner,
) -> _Parser:
    epilog = "exit codes:\n" + "\n".join(f"  {line}" for line in EXIT_CODES[name])
    parser = commands.add_parser(
        name,
        help=summary,
        description=f"{summary[0].upper()}{summary[1:]}. {details}".strip(),
        epilog=epilog,
        formatter_class=HelpFormatter,
    )
    parser.add_argument(
        "-q", "--quiet", action="store_true", help="print only what needs attention"
    )
    parser.set_defaults(run=run)
    return parser


def _shard(text: str) -> object:
    from catalogbot.check.shards import parse_shard

    return parse_shard(text)


def _build_parser() -> argparse.ArgumentParser:
    from catalogbot.commands.accept_cmd import run_accept
    from catalogbot.commands.catalog_cmds import run_changed_ids, run_schema, run_validate
    from catalogbot.commands.check_cmd import run_check
    from catalogbot.commands.network import add_network_options
    from catalogbot.commands.sync_cmd import run_sync
    from catalogbot.report.problems_text import DEFAULT_MAX_PROBLEMS

    parser = _Parser(
        prog="catalogbot",
        description="Keep a catalog of public resources healthy: validate it, check its links, "
        "and keep GitHub issues and pull requests in step.",
    )
    parser.add_argument("--version", action="version", version=f"catalogbot {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    commands.required = True

    validate = _command(
        commands,
        "validate",
        "check the catalog against its schema; list every problem",
        "",
        run_validate,
    )
    add_catalog(validate)
    validate.add_argument(
        "--max-problems",
        type=count(0, 10**9),
        default=DEFAULT_MAX_PROBLEMS,
        metavar="N",
        help=f"print at most N problems, then a count of the rest (default "
        f"{DEFAULT_MAX_PROBLEMS}; 0: all)",
    )

    check = _command(
        commands,
        "check",
        "check every link for availability and content drift",
        "A report file that cannot be written is named after the run; the report is still printed.",
        run_check,
    )
    add_catalog(check)
    add_network_options(check)
    check.add_argument(
        "--only", nargs="+", action="extend", metavar="ID", help="check only these resources"
    )
    check.add_argument(
        "--json", metavar="FILE", help="write the results JSON here (- for standard output)"
    )
    check.add_argument(
        "--markdown", metavar="FILE", help="write a Markdown report here (- for standard output)"
    )
    check.add_argument(
        "--shard",
        type=_shard,
        metavar="K/N",
        help="check only shard K of N: whole hosts per shard, the same split on every machine",
    )
    check.add_argument(
        "--processes",
        type=count(1, 64),
        metavar="N",
        help="processes that fetch links, 1 to 64, each with whole hosts (default: the "
        "usable CPUs, at most 8, one per host, per 2,500 links and per 128 of --concurrency)",
    )
    check.add_argument("-v", "--verbose", action="store_true", help="list healthy links too")
    check.add_argument(
        "--no-relocate",
        dest="relocate",
        action="store_false",
        help="do not search broken links' own sites for where the resource went",
    )

    from catalogbot.commands.merge_cmd import add_merge_arguments, run_merge

    merge = _command(
        commands,
        "merge",
        "join the results files of a run's shards into one results file",
        "Refuses shards of different catalogs, a shard given twice or missing, and an entry "
        "in two shards. The merged file is read by sync and site like any other.",
        run_merge,
    )
    add_merge_arguments(merge)

    accept = _command(
        commands,
        "accept",
        "record what resources say now as their reviewed baselines (snapshots/)",
        "Drift is measured against these baselines, kept in snapshots/ next to the catalog. "
        "Broken pages, soft 404s, parked domains and bot walls are refused; entries the "
        "catalog skips are left alone.",
        run_accept,
    )
    accept.add_argument(
        "items",
        nargs="*",
        metavar="[CATALOG] ID",
        help="catalog file (optional; one whose name could be an id: ./NAME), then ids",
    )
    add_catalog(accept, positional=False)
    accept.add_argument("--all", action="store_true", help="accept every resource")
    add_network_options(accept)

    sync = _command(
        commands,
        "sync",
        "open, update and close GitHub issues and fix pull requests from a results file",
        "Needs GITHUB_TOKEN and GITHUB_REPOSITORY (owner/name); GITHUB_API_URL for GitHub "
        "Enterprise.",
        run_sync,
    )
    add_catalog(sync)
    sync.add_argument("--results", required=True, metavar="FILE", help="from check --json")
    sync.add_argument("--dry-run", action="store_true", help="print the plan; write nothing")
    sync.add_argument(
        "--confirm-runs",
        type=count(1, 100),
        default=2,
        metavar="K",
        help="open an issue only after K failing runs in a row, 1 to 100 (default 2)",
    )
    sync.add_argument(
        "--max-new-issues",
        type=count(0, 1000),
        default=10,
        metavar="N",
        help="open at most N new issues per run, up to 1000; the rest wait on the dashboard "
        "(default 10)",
    )
    sync.add_argument(
        "--max-open-pulls",
        type=count(0, 100),
        default=2,
        metavar="N",
        help="keep at most N fix pull requests open, up to 100; 0 opens none (default 2)",
    )
    sync.add_argument(
        "--write-interval",
        type=number(0, 60, unit="seconds"),
        default=1.0,
        metavar="S",
        help="least seconds between two writes, up to 60, as GitHub asks of bots (default 1)",
    )

    changed = _command(
        commands,
        "changed-ids",
        "print the ids of resources that are new or changed since another catalog",
        "",
        run_changed_ids,
    )
    changed.add_argument("base", metavar="BASE_CATALOG", help="the catalog to compare with")
    add_catalog(changed)

    from catalogbot.site.command import SITE_DETAILS, SITE_HELP, add_site_arguments, run_site

    site = _command(commands, "site", SITE_HELP, SITE_DETAILS, run_site)
    add_catalog(site)
    add_site_arguments(site)

    schema = _command(
        commands,
        "schema",
        "print the catalog's JSON Schema",
        "With a CATALOG, that catalog is validated first.",
        run_schema,
    )
    schema.add_argument(
        "catalog_arg", nargs="?", metavar="CATALOG", help="a catalog to validate first"
    )
    schema.add_argument("--catalog", dest="catalog_opt", metavar="PATH", help="catalog file")
    return parser


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    """Parsed arguments; ``accept`` takes ids after options too (``accept C --flag ID``)."""
    parser = _build_parser()
    args, extras = parser.parse_known_args(argv)
    if extras:
        if args.command == "accept" and not any(e.startswith("-") for e in extras):
            args.items += extras
        else:
            raise UsageError(
                f"catalogbot {args.command}: unrecognized arguments: {' '.join(extras)}"
            )
    return args


def _report_catalog_error(error: CatalogError, args: argparse.Namespace, console: Console) -> None:
    from catalogbot.report.problems_text import (
        DEFAULT_MAX_PROBLEMS,
        problem_annotations,
        problem_count,
        problem_lines,
    )

    # Only validate has --max-problems; other commands show the default number.
    limit = getattr(args, "max_problems", DEFAULT_MAX_PROBLEMS)
    console.say("\n".join(problem_lines(error, limit)))
    if console.actions:
        for line in problem_annotations(error, os.path.basename(error.path) or DEFAULT_CATALOG):
            console.command(line)
    console.warn(problem_count(error))


def _run(argv: Sequence[str] | None, console: Console) -> int:
    from catalogbot.report.annotations import one_line

    try:
        args = _parse(argv)
    except UsageError as error:
        console.warn(f"error: {one_line(str(error))}")
        return EXIT_USAGE
    except SystemExit as done:  # --help and --version
        return done.code if isinstance(done.code, int) else EXIT_OK
    console.quiet = args.quiet
    run: Runner = args.run
    try:
        return run(args, console)
    except CatalogError as error:
        _report_catalog_error(error, args, console)
        return EXIT_ATTENTION if args.command == "validate" else EXIT_USAGE
    except OutputError:
        raise
    except CatalogbotError as error:
        console.warn(f"error: {one_line(str(error))}")
        return EXIT_USAGE


def _flush_stdout() -> str | None:
    """Flush standard output; why it could not be, or None (a closed pipe is no error)."""
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        problem = None
    except OSError as error:
        problem = error.strerror or str(error)
    else:
        return None
    silence_stdout()
    return problem


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    console = Console()
    try:
        code = _run(argv, console)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        silence_stdout()
        return EXIT_OK
    except OutputError as error:
        print(f"error: {error}", file=sys.stderr)
        silence_stdout()
        return EXIT_USAGE
    problem = _flush_stdout()
    if problem:
        print(f"error: standard output could not be written ({problem})", file=sys.stderr)
        return EXIT_USAGE
    return code
