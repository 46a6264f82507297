"""Run the checker in-process against test servers, with test-friendly settings."""

from __future__ import annotations

import asyncio
import dataclasses
from typing import Any

from catalogbot.catalog.model import CheckSettings, Resource
from catalogbot.check import CheckOptions, CheckResult
from catalogbot.check.backend import Resolver
from catalogbot.check.run import CheckRun, check_resources

FAST = CheckOptions(
    timeout=3.0,
    retries=0,
    backoff=0.01,
    allow_private=True,
    canaries=(),
    workers=0,
    extract_timeout=10.0,
)
"""Loopback servers answer at once; no canary unless a test sets one; analysis inline."""


def resource(url: str, rid: str = "r", **fields: Any) -> Resource:
    """A catalog entry for ``url``; ``check`` may be given as a dict."""
    check = fields.pop("check", None)
    if isinstance(check, dict):
        fields["check"] = CheckSettings(**check)
    return Resource(id=rid, title=fields.pop("title", "A test resource"), url=url, **fields)


def run(*resources: Resource | str, resolver: Resolver | None = None, **options: Any) -> CheckRun:
    """Check resources (or bare URLs) with FAST settings changed by ``options``."""
    entries = [
        r if isinstance(r, Resource) else resource(r, f"r{i}") for i, r in enumerate(resources)
    ]
    settings = dataclasses.replace(FAST, **options)
    return asyncio.run(check_resources(entries, settings, resolver=resolver))


def one(
    url_or_resource: Resource | str, resolver: Resolver | None = None, **options: Any
) -> CheckResult:
    """The result for a single resource."""
    (result,) = run(url_or_resource, resolver=resolver, **options).results
    return result
