"""``catalogbot sync``: bring GitHub in line with a results file."""

from __future__ import annotations

import argparse
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from catalogbot.commands.common import (
    EXIT_ATTENTION,
    EXIT_OK,
    EXIT_USAGE,
    catalog_path,
    load_catalog,
)
from catalogbot.commands.console import Console
from catalogbot.errors import UsageError

_REPOSITORY = re.compile(r"[A-Za-z0-9_.-]{1,100}/[A-Za-z0-9_.-]{1,100}\Z")
_TOKEN = re.compile(r"[\x21-\x7e]{1,1000}\Z")


@dataclass(frozen=True)
class GitHubSettings:
    """Where sync writes, read from the environment and checked before any request."""

    token: str
    repository: str
    api_url: str


def github_settings() -> GitHubSettings:
    """The settings from GITHUB_TOKEN, GITHUB_REPOSITORY and GITHUB_API_URL; UsageError
    naming the variable that is missing or malformed (never printing the token)."""
    import httpx

    from catalogbot.github.client import DEFAULT_API_URL

    token = os.environ.get("GITHUB_TOKEN", "").strip()
    repository = os.environ.get("GITHUB_REPOSITORY", "").strip()
    api_url = os.environ.get("GITHUB_API_URL", "").strip() or DEFAULT_API_URL
    if not token:
        raise UsageError("GITHUB_TOKEN is not set; sync needs a token to talk to GitHub")
    if not _TOKEN.match(token):
        raise UsageError(
            "GITHUB_TOKEN contains spaces or characters that are not plain ASCII; "
            "copy the token again"
        )
    if not _REPOSITORY.match(repository):
        raise UsageError(f"GITHUB_REPOSITORY must be owner/name, not {repository!a}")
    try:
        valid = api_url.startswith(("https://", "http://")) and bool(httpx.URL(api_url).host)
    except (httpx.InvalidURL, UnicodeError):
        valid = False
    if not valid:
        raise UsageError(f"GITHUB_API_URL must be an http(s) URL, not {api_url!a}")
    return GitHubSettings(token, repository, api_url)


def _results_file(text: str) -> Path:
    path = Path(text)
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise UsageError(f"{text}: no such results file (write one with check --json)") from None
    except OSError as error:
        raise UsageError(f"{text}: cannot be read ({error.strerror or error})") from None
    if not stat.S_ISREG(mode):
        raise UsageError(f"{text}: not a regular file; give a results file from check --json")
    return path


def _repo_path(path: Path) -> str:
    """The catalog's path inside the repository (the working directory)."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.name


def run_sync(args: argparse.Namespace, console: Console) -> int:
    from catalogbot.clock import now_iso
    from catalogbot.github.client import GitHubAuthError, GitHubClient, GitHubError
    from catalogbot.github.plan import SyncOptions
    from catalogbot.github.sync import Syncer, read_results
    from catalogbot.github.syncer import run_url
    from catalogbot.github.wayback import archive_from
    from catalogbot.report.annotations import one_line
    from catalogbot.report.sync_text import sync_lines

    settings = github_settings()
    path = catalog_path(args)
    results = read_results(_results_file(args.results))
    loaded = load_catalog(path)
    client = GitHubClient(
        settings.token, settings.repository, settings.api_url, write_interval=args.write_interval
    )
    options = SyncOptions(
        confirm_runs=args.confirm_runs,
        max_new_issues=args.max_new_issues,
        max_open_pulls=args.max_open_pulls,
    )
    syncer = Syncer(
        client,
        loaded,
        _repo_path(path),
        options,
        dry_run=args.dry_run,
        now=now_iso(),
        archive=archive_from(os.environ.get("CATALOGBOT_WAYBACK_URL")),
        run_link=run_url(os.environ),
    )
    try:
        report = syncer.sync(results)
    except GitHubAuthError as error:
        console.warn(f"error: {one_line(str(error))}")
        return EXIT_USAGE
    except GitHubError as error:
        if args.dry_run:
            console.warn(
                f"error: {one_line(str(error))}; the plan needs GitHub's current state "
                "(nothing was written)"
            )
            return EXIT_USAGE
        console.warn(f"error: {one_line(str(error))}")
        return EXIT_ATTENTION
    finally:
        client.close()
    lines = sync_lines(report, dry_run=args.dry_run, quiet=console.quiet)
    if lines:
        console.say("\n".join(lines))
    return EXIT_ATTENTION if report.failed and not args.dry_run else EXIT_OK
