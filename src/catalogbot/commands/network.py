"""The network options of ``check`` and ``accept``: one table gives both the command-line
flags and the CheckOptions field each one sets, so the two can never disagree."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from catalogbot.check.options import CheckOptions
from catalogbot.commands.ranges import count, header_value, number, web_url
from catalogbot.errors import UsageError

MAX_TIMEOUT = 600.0
MAX_RETRIES = 10
MAX_CONCURRENCY = 1024
MAX_PER_HOST = 64
MAX_INTERVAL = 60.0
MAX_BODY_BYTES = 1024 * 1024 * 1024
MAX_WORKERS = 32


@dataclass(frozen=True)
class NetworkOption:
    """One flag, the CheckOptions field it sets, and how its text is read."""

    flag: str
    field: str
    metavar: str | None
    help: str
    parse: Callable[[str], Any] | None = None
    repeatable: bool = False
    """Given several times, the values form a tuple."""
    switch: bool = False
    """A flag without a value that turns the field on."""


_DEFAULTS = CheckOptions()

NETWORK_OPTIONS = (
    NetworkOption(
        "--timeout",
        "timeout",
        "S",
        f"seconds one attempt may take as a whole, up to {MAX_TIMEOUT:g} "
        f"(default {_DEFAULTS.timeout:g})",
        number(0, MAX_TIMEOUT, unit="seconds", low_inclusive=False),
    ),
    NetworkOption(
        "--retries",
        "retries",
        "N",
        f"attempts after the first for temporary failures, 0 to {MAX_RETRIES} "
        f"(default {_DEFAULTS.retries})",
        count(0, MAX_RETRIES),
    ),
    NetworkOption(
        "--concurrency",
        "concurrency",
        "N",
        f"requests in flight at once, 1 to {MAX_CONCURRENCY} (default {_DEFAULTS.concurrency})",
        count(1, MAX_CONCURRENCY),
    ),
    NetworkOption(
        "--per-host",
        "per_host",
        "N",
        f"requests in flight at once to one host, 1 to {MAX_PER_HOST} "
        f"(default {_DEFAULTS.per_host})",
        count(1, MAX_PER_HOST),
    ),
    NetworkOption(
        "--host-interval",
        "host_interval",
        "S",
        f"least seconds between two requests to one host, up to {MAX_INTERVAL:g} "
        "(default 0; raised after a 429)",
        number(0, MAX_INTERVAL, unit="seconds"),
    ),
    NetworkOption(
        "--allow-private",
        "allow_private",
        None,
        "allow loopback, private and link-local addresses (tests, intranets); cloud "
        "metadata addresses stay refused",
        switch=True,
    ),
    NetworkOption(
        "--max-bytes",
        "max_bytes",
        "N",
        f"most bytes of a body read, 1024 to {MAX_BODY_BYTES} (default {_DEFAULTS.max_bytes})",
        count(1024, MAX_BODY_BYTES),
    ),
    NetworkOption("--user-agent", "user_agent", "TEXT", "User-Agent header to send", header_value),
    NetworkOption(
        "--canary",
        "canaries",
        "URL",
        "http(s) URL that proves this machine is online when many hosts fail "
        "(repeatable; default: a Google and a GitHub address)",
        web_url,
        repeatable=True,
    ),
    NetworkOption(
        "--workers",
        "workers",
        "N",
        f"processes that read page text, 0 to {MAX_WORKERS} "
        "(default: one per spare CPU, never more than the links; 0: none)",
        count(0, MAX_WORKERS),
    ),
)


def _dest(option: NetworkOption) -> str:
    return "net_" + option.field


def add_network_options(parser: argparse.ArgumentParser) -> None:
    """Add every network flag to ``parser``; unset flags stay None."""
    group = parser.add_argument_group("network")
    for option in NETWORK_OPTIONS:
        if option.switch or option.parse is None:
            group.add_argument(
                option.flag, dest=_dest(option), action="store_const", const=True, help=option.help
            )
        else:
            group.add_argument(
                option.flag,
                dest=_dest(option),
                type=option.parse,
                action="append" if option.repeatable else "store",
                metavar=option.metavar,
                help=option.help,
            )


def check_options(args: argparse.Namespace, links: int) -> CheckOptions:
    """The CheckOptions the parsed flags ask for; defaults for the rest.

    ``links`` is how many resources the run checks: more text workers than links would
    only cost start-up time.
    """
    from catalogbot.drift.pool import default_workers

    chosen: dict[str, Any] = {}
    for option in NETWORK_OPTIONS:
        value = getattr(args, _dest(option), None)
        if value is not None:
            chosen[option.field] = tuple(value) if option.repeatable else value
    if not chosen.get("allow_private"):
        for canary in chosen.get("canaries", ()):
            _refuse_private_canary(canary)
    timeout = chosen.get("timeout", _DEFAULTS.timeout)
    workers = chosen.get("workers")
    chosen["workers"] = min(default_workers() if workers is None else workers, max(links, 0))
    chosen["extract_timeout"] = max(timeout, _DEFAULTS.extract_timeout)
    return CheckOptions(**chosen)


def _refuse_private_canary(url: str) -> None:
    """A canary the address guard would refuse could never answer, so every run that
    lost most hosts would be called offline and no link broken; refuse it up front."""
    from catalogbot.catalog.urls import host_of
    from catalogbot.check.guard import blocked_because, literal_address

    host = host_of(url).lower()
    address = literal_address(host)
    why = blocked_because(address) if address is not None else None
    if host == "localhost" or host.endswith(".localhost"):
        why = "loopback"
    if why:
        raise UsageError(
            f"--canary {url}: the address guard refuses it ({why}), so it could never "
            "answer; choose a public address, or add --allow-private"
        )
