"""The ``catalogbot`` command: argument parsing, wiring and exit codes, nothing else."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO

from catalogbot import __version__
from catalogbot.errors import CatalogbotError, CatalogError, UsageError

EXIT_OK = 0
EXIT_ATTENTION = 1
EXIT_USAGE = 2
EXIT_OFFLINE = 3

DEFAULT_CATALOG = "catalog.yaml"


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is an exception the caller turns into exit 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.prog}: {message}")


def _add_catalog(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "catalog_arg",
        nargs="?",
        metavar="CATALOG",
        help=f"catalog file (default {DEFAULT_CATALOG})",
    )
    parser.add_argument("--catalog", dest="catalog_opt", metavar="PATH", help="catalog file")


def _catalog_path(args: argparse.Namespace) -> Path:
    given = [p for p in (args.catalog_arg, args.catalog_opt) if p]
    if len(given) == 2 and given[0] != given[1]:
        raise UsageError(f"two different catalogs given: {given[0]} and {given[1]}")
    return Path(given[0] if given else DEFAULT_CATALOG)


def _build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="catalogbot",
        description="Keep a catalog of public resources healthy: validate it, check its links, "
        "and keep GitHub issues and pull requests in step.",
    )
    parser.add_argument("--version", action="version", version=f"catalogbot {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    commands.required = True

    validate = commands.add_parser(
        "validate", help="check catalog.yaml against the schema; list every problem"
    )
    _add_catalog(validate)
    validate.set_defaults(run=_run_validate)

    schema = commands.add_parser("schema", help="print the catalog's JSON Schema")
    _add_catalog(schema)
    schema.set_defaults(run=_run_schema)
    return parser


def _run_validate(args: argparse.Namespace, out: TextIO) -> int:
    from catalogbot.catalog import read_catalog

    path = _catalog_path(args)
    loaded = read_catalog(path)
    count = len(loaded.catalog.resources)
    print(f"{path}: valid ({count} resource{'s' if count != 1 else ''})", file=out)
    return EXIT_OK


def _run_schema(args: argparse.Namespace, out: TextIO) -> int:
    from catalogbot.catalog.schema import schema_json

    del args
    out.write(schema_json())
    return EXIT_OK


def _report_catalog_error(error: CatalogError, out: TextIO) -> None:
    from catalogbot.report.annotations import annotation, in_github_actions

    for line in error.lines():
        print(line, file=out)
    if in_github_actions():
        for problem in error.problems:
            print(
                annotation(
                    "error",
                    problem.message,
                    file=error.path,
                    line=problem.where.line,
                    col=problem.where.column,
                    title="catalog.yaml is not valid",
                ),
                file=out,
            )
    count = len(error.problems)
    print(f"{error.path}: {count} problem{'s' if count != 1 else ''} found", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    out = sys.stdout
    try:
        args = _build_parser().parse_args(argv)
    except UsageError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_USAGE
    run: Callable[[argparse.Namespace, TextIO], int] = args.run
    try:
        return run(args, out)
    except CatalogError as error:
        _report_catalog_error(error, out)
        return EXIT_ATTENTION if args.command == "validate" else EXIT_USAGE
    except UsageError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except CatalogbotError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
