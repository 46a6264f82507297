"""The ``catalogbot`` command: argument parsing, wiring, exit codes, and the lines that
``accept`` and ``sync`` print about what they did."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Coroutine, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, TypeVar

from catalogbot import __version__
from catalogbot.catalog.errors import CatalogError
from catalogbot.errors import CatalogbotError, UsageError

if TYPE_CHECKING:
    from catalogbot.catalog import CatalogFile, Resource
    from catalogbot.check.options import CheckOptions

T = TypeVar("T")

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


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"must be more than 0: {text!r}")
    return value


def _non_negative_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0 <= value < float("inf"):
        raise argparse.ArgumentTypeError(f"must be 0 or more: {text!r}")
    return value


def _interval(text: str) -> float:
    value = _non_negative_float(text)
    if value > 60:
        raise argparse.ArgumentTypeError(f"must be 60 seconds or less: {text!r}")
    return value


def _header_value(text: str) -> str:
    if not text.strip() or not text.isprintable() or not text.isascii():
        raise argparse.ArgumentTypeError("must be printable ASCII text on one line")
    return text


def _count(minimum: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be {minimum} or more: {text!r}")
        return value

    return parse


def _add_network_options(parser: argparse.ArgumentParser, *, only: bool = True) -> None:
    from catalogbot.check.options import CheckOptions

    defaults = CheckOptions()
    group = parser.add_argument_group("network")
    group.add_argument(
        "--timeout",
        type=_positive_float,
        default=defaults.timeout,
        metavar="S",
        help=f"seconds one attempt may take as a whole (default {defaults.timeout:g})",
    )
    group.add_argument(
        "--retries",
        type=_count(0),
        default=defaults.retries,
        metavar="N",
        help=f"attempts after the first, for temporary failures (default {defaults.retries})",
    )
    group.add_argument(
        "--concurrency",
        type=_count(1),
        default=defaults.concurrency,
        metavar="N",
        help=f"requests in flight at once (default {defaults.concurrency})",
    )
    group.add_argument(
        "--per-host",
        type=_count(1),
        default=defaults.per_host,
        metavar="N",
        help=f"requests in flight at once to one host (default {defaults.per_host})",
    )
    group.add_argument(
        "--host-interval",
        type=_interval,
        default=defaults.host_interval,
        metavar="S",
        help="least seconds between two requests to one host (default 0; raised after a 429)",
    )
    group.add_argument(
        "--allow-private",
        action="store_true",
        help="allow loopback, private and link-local addresses (tests, intranets)",
    )
    group.add_argument(
        "--max-bytes",
        type=_count(1024),
        default=defaults.max_bytes,
        metavar="N",
        help=f"most bytes of a body read (default {defaults.max_bytes})",
    )
    group.add_argument(
        "--user-agent", type=_header_value, metavar="TEXT", help="User-Agent header to send"
    )
    group.add_argument(
        "--canary",
        action="append",
        metavar="URL",
        help="URL that proves this machine is online when many hosts fail "
        "(repeatable; default: a Google and a GitHub address)",
    )
    group.add_argument(
        "--workers",
        type=_count(0),
        metavar="N",
        help="processes that read page text (default: one per spare CPU; 0: none)",
    )
    if only:
        group.add_argument(
            "--only", nargs="+", action="extend", metavar="ID", help="check only these resources"
        )


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

    check = commands.add_parser(
        "check",
        help="check every link for availability and content drift",
        description="Check every link in the catalog. Exit 0: nothing needs attention; "
        "1: some link is broken, changed or moved; 2: usage or catalog error; "
        "3: this machine is offline (nothing is called broken for it).",
    )
    _add_catalog(check)
    _add_network_options(check)
    check.add_argument("--json", metavar="FILE", help="write the results JSON here")
    check.add_argument("--markdown", metavar="FILE", help="write a Markdown report here")
    check.add_argument("-v", "--verbose", action="store_true", help="list healthy links too")
    check.set_defaults(run=_run_check)

    accept = commands.add_parser(
        "accept",
        help="record what resources say now as their reviewed baselines (snapshots/)",
        description="Fetch resources and record their text as the baseline that drift is "
        "measured against, in snapshots/ next to the catalog. Broken pages, soft 404s, "
        "parked domains and bot walls are refused. Exit 0: all recorded; 1: some refused; "
        "2: usage or catalog error; 3: this machine is offline.",
    )
    accept.add_argument(
        "items", nargs="*", metavar="[CATALOG] ID", help="catalog file (optional), then ids"
    )
    accept.add_argument("--catalog", dest="catalog_opt", metavar="PATH", help="catalog file")
    accept.add_argument("--all", action="store_true", help="accept every resource")
    _add_network_options(accept, only=False)
    accept.set_defaults(run=_run_accept)

    sync = commands.add_parser(
        "sync",
        help="open, update and close GitHub issues and fix pull requests from a results file",
        description="Reconcile GitHub with a results file. Needs GITHUB_TOKEN and "
        "GITHUB_REPOSITORY (owner/name); GITHUB_API_URL for GitHub Enterprise. Exit 0: "
        "GitHub matches the results; 1: some action failed; 2: usage or configuration error.",
    )
    _add_catalog(sync)
    sync.add_argument("--results", required=True, metavar="FILE", help="from check --json")
    sync.add_argument("--dry-run", action="store_true", help="print the plan; write nothing")
    sync.add_argument(
        "--confirm-runs",
        type=_count(1),
        default=2,
        metavar="K",
        help="open an issue only after K failing runs in a row (default 2)",
    )
    sync.add_argument(
        "--max-new-issues",
        type=_count(0),
        default=10,
        metavar="N",
        help="open at most N new issues per run; the rest wait on the dashboard (default 10)",
    )
    sync.add_argument(
        "--max-open-pulls",
        type=_count(0),
        default=2,
        metavar="N",
        help="keep at most N fix pull requests open; 0 opens none (default 2)",
    )
    sync.add_argument(
        "--write-interval",
        type=_non_negative_float,
        default=1.0,
        metavar="S",
        help="least seconds between two writes, as GitHub asks of bots (default 1)",
    )
    sync.set_defaults(run=_run_sync)

    changed = commands.add_parser(
        "changed-ids",
        help="print the ids of resources that are new or changed since another catalog",
    )
    changed.add_argument("base", metavar="BASE_CATALOG", help="the catalog to compare with")
    _add_catalog(changed)
    changed.set_defaults(run=_run_changed_ids)

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


def _check_options(args: argparse.Namespace) -> CheckOptions:
    from catalogbot.check.options import CheckOptions

    defaults = CheckOptions()
    return CheckOptions(
        timeout=args.timeout,
        retries=args.retries,
        concurrency=args.concurrency,
        per_host=args.per_host,
        host_interval=args.host_interval,
        allow_private=args.allow_private,
        max_bytes=args.max_bytes,
        user_agent=args.user_agent or defaults.user_agent,
        canaries=tuple(args.canary) if args.canary else defaults.canaries,
        workers=args.workers,
        extract_timeout=max(args.timeout, defaults.extract_timeout),
    )


def _selected(args: argparse.Namespace, loaded: CatalogFile) -> list[Resource]:
    resources = loaded.catalog.resources
    if not args.only:
        return list(resources)
    known = {r.id for r in resources}
    unknown = [i for i in args.only if i not in known]
    if unknown:
        raise UsageError(f"no resource has the id {', '.join(map(repr, unknown))}")
    wanted = set(args.only)
    return [r for r in resources if r.id in wanted]


def _writable(path: str | None) -> Path | None:
    if path is None:
        return None
    target = Path(path)
    if target.is_dir():
        raise UsageError(f"{path}: is a directory; give a file name")
    if not target.parent.is_dir():
        raise UsageError(f"{path}: the folder {target.parent} does not exist")
    return target


def _prepare_process() -> None:
    """Tune the process for many concurrent requests: file handles and collector pauses."""
    import gc
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and (hard == resource.RLIM_INFINITY or soft < hard):
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    # Thousands of requests allocate millions of short-lived objects; collecting every
    # 700 allocations cost about 15% of a large run's CPU (measured).
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)


def _run_async(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run on uvloop where it is installed, else on asyncio's own loop."""
    import asyncio

    try:
        import uvloop
    except ImportError:
        return asyncio.run(coroutine)
    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        return runner.run(coroutine)


def _run_check(args: argparse.Namespace, out: TextIO) -> int:
    from catalogbot.catalog import read_catalog
    from catalogbot.check.run import check_resources
    from catalogbot.drift.snapshot import SnapshotStore
    from catalogbot.files import write_atomic
    from catalogbot.report.actions import check_annotations, job_summary
    from catalogbot.report.annotations import in_github_actions
    from catalogbot.report.context import ReportContext
    from catalogbot.report.markdown import render_markdown
    from catalogbot.report.results_file import render_results
    from catalogbot.report.terminal import Progress, render_terminal

    path = _catalog_path(args)
    json_path, markdown_path = _writable(args.json), _writable(args.markdown)
    _prepare_process()
    loaded = read_catalog(path)
    resources = _selected(args, loaded)
    options = _check_options(args)
    with Progress() as progress:
        run = _run_async(
            check_resources(resources, options, snapshots=SnapshotStore(path), observer=progress)
        )
    context = ReportContext(loaded, run)
    for target, render in ((json_path, render_results), (markdown_path, render_markdown)):
        if target is not None:
            try:
                write_atomic(target, render(context))
            except OSError as error:
                raise UsageError(
                    f"{target}: cannot be written ({error.strerror or error})"
                ) from None
    out.write(render_terminal(context, verbose=args.verbose))
    if in_github_actions():
        for line in check_annotations(context, str(path)):
            print(line, file=out)
        summary = os.environ.get("GITHUB_STEP_SUMMARY")
        if summary:
            try:
                with open(summary, "a", encoding="utf-8") as handle:
                    handle.write(job_summary(context))
            except OSError as error:
                print(f"warning: the job summary cannot be written: {error}", file=sys.stderr)
    if run.offline:
        return EXIT_OFFLINE
    return EXIT_ATTENTION if context.needs_attention else EXIT_OK


def _accept_targets(args: argparse.Namespace) -> tuple[Path, list[str]]:
    """Split ``accept``'s positionals into the catalog path and the ids.

    Ids are lowercase letters, digits and hyphens, so a first argument with a dot or a
    slash in it, or naming a file, is the catalog.
    """
    items = list(args.items)
    catalog = None
    if items and ("." in items[0] or "/" in items[0] or Path(items[0]).is_file()):
        catalog = items.pop(0)
    args.catalog_arg = catalog
    path = _catalog_path(args)
    if args.all and items:
        raise UsageError("give either --all or resource ids, not both")
    if not args.all and not items:
        raise UsageError("say which resources to accept: their ids, or --all")
    return path, items


def _run_accept(args: argparse.Namespace, out: TextIO) -> int:
    from catalogbot.accept import accept_resources
    from catalogbot.catalog import read_catalog
    from catalogbot.drift.snapshot import SnapshotStore
    from catalogbot.report.terminal import Progress

    path, ids = _accept_targets(args)
    _prepare_process()
    loaded = read_catalog(path)
    args.only = ids or None
    resources = _selected(args, loaded)
    store = SnapshotStore(path)
    with Progress() as progress:
        run, outcomes = _run_async(
            accept_resources(resources, _check_options(args), store, observer=progress)
        )
    if run.offline:
        print(
            "NO NETWORK: this machine could not reach the internet, so no baseline was "
            f"recorded ({run.offline_detail}).",
            file=out,
        )
        return EXIT_OFFLINE
    for outcome in outcomes:
        if outcome.path is not None:
            shown = os.path.relpath(outcome.path)
            print(f"recorded {outcome.result.id}: {shown}", file=out)
        else:
            print(f"refused  {outcome.result.id}: {outcome.refused}", file=out)
    refused = sum(1 for o in outcomes if o.refused)
    print(f"{len(outcomes) - refused} recorded, {refused} refused", file=out)
    return EXIT_ATTENTION if refused else EXIT_OK


def _github_settings() -> tuple[str, str, str]:
    import httpx

    token = os.environ.get("GITHUB_TOKEN", "").strip()
    repository = os.environ.get("GITHUB_REPOSITORY", "").strip()
    api_url = os.environ.get("GITHUB_API_URL", "").strip() or "https://api.github.com"
    if not token:
        raise UsageError("GITHUB_TOKEN is not set; sync needs a token to talk to GitHub")
    owner, _, name = repository.partition("/")
    if not owner or not name or "/" in name:
        raise UsageError(f"GITHUB_REPOSITORY must be owner/name, not {repository!r}")
    try:
        valid = api_url.startswith(("https://", "http://")) and bool(httpx.URL(api_url).host)
    except httpx.InvalidURL:
        valid = False
    if not valid:
        raise UsageError(f"GITHUB_API_URL must be an http(s) URL, not {api_url!r}")
    return token, repository, api_url


def _run_sync(args: argparse.Namespace, out: TextIO) -> int:
    from catalogbot.catalog import read_catalog
    from catalogbot.clock import now_iso
    from catalogbot.github.client import GitHubAuthError, GitHubClient, GitHubError
    from catalogbot.github.plan import SyncOptions
    from catalogbot.github.sync import Syncer, read_results

    token, repository, api_url = _github_settings()
    path = _catalog_path(args)
    results = read_results(Path(args.results))
    loaded = read_catalog(path)
    resolved = path.resolve()
    try:
        repo_path = resolved.relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        repo_path = path.name
    client = GitHubClient(token, repository, api_url, write_interval=args.write_interval)
    options = SyncOptions(
        confirm_runs=args.confirm_runs,
        max_new_issues=args.max_new_issues,
        max_open_pulls=args.max_open_pulls,
    )
    syncer = Syncer(client, loaded, repo_path, options, dry_run=args.dry_run, now=now_iso())
    try:
        report = syncer.sync(results)
    except GitHubAuthError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except GitHubError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_ATTENTION
    finally:
        client.close()
    for note in report.notes:
        print(f"note: {note}", file=out)
    if args.dry_run:
        for action in report.planned:
            print(f"would {action.summary}", file=out)
        print(f"dry run: {len(report.planned)} planned writes, none sent", file=out)
        return EXIT_OK
    for outcome in report.outcomes:
        if outcome.error:
            print(f"FAILED {outcome.action.summary}: {outcome.error}", file=out)
        else:
            print(f"done   {outcome.action.summary}", file=out)
    print(
        f"{len(report.outcomes) - len(report.failed)} writes done, {len(report.failed)} failed"
        if report.outcomes
        else "GitHub already matches the results; nothing to write",
        file=out,
    )
    return EXIT_ATTENTION if report.failed else EXIT_OK


def _run_changed_ids(args: argparse.Namespace, out: TextIO) -> int:
    from catalogbot.catalog import read_catalog

    base = read_catalog(Path(args.base)).catalog
    head = read_catalog(_catalog_path(args)).catalog
    before = {r.id: (r.url, r.check) for r in base.resources}
    changed = [r.id for r in head.resources if before.get(r.id) != (r.url, r.check)]
    print(" ".join(changed), file=out)
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
