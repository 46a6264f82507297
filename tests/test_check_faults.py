"""Faults found in review, each pinned: hanging networks, odd headers, TLS under uvloop."""

from __future__ import annotations

import asyncio
import dataclasses
import ssl
from pathlib import Path

import uvloop

from catalogbot.check import guard
from catalogbot.check.guard import Resolution, ResolveError
from catalogbot.check.run import check_resources
from conftest import Serve
from support.checking import FAST, one, resource, run
from support.webserver import Reply, Site, closed_port, page, redirect, sequence


def test_large_https_page_under_uvloop(
    sites: Serve, server_tls: ssl.SSLContext, trust_test_ca: Path
) -> None:
    """A 5 MB page over TLS on uvloop (the command's loop) is read, not left paused."""
    big = Reply(body=b"<html><title>Big</title><p>" + b"word " * 1_000_000 + b"</p></html>")
    (site,) = sites(Site({"/big": big}), tls=server_tls)
    entry = resource(site.url("/big"))
    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        checked = runner.run(check_resources([entry], dataclasses.replace(FAST, timeout=10)))
    (result,) = checked.results
    assert (result.status, result.title) == ("ok", "Big")


def test_redirect_to_a_bad_port_is_a_bad_redirect(sites: Serve) -> None:
    """Location: http://host:99999/ cannot be followed; the link is broken, the run goes on."""
    (site,) = sites(Site({"/a": redirect("http://127.0.0.2:99999/x", 301), "/b": page("B")}))
    checked = run(site.url("/a"), site.url("/b"))
    assert [(r.status, r.reason) for r in checked.results] == [
        ("broken", "bad_redirect"),
        ("ok", "ok"),
    ]


def test_non_ascii_retry_after_is_ignored(sites: Serve) -> None:
    """A Retry-After of '²' (a digit to Python, not to HTTP) is no number of seconds."""
    odd = Reply(503, b"busy", headers=(("Retry-After", "\u00b2"),))
    (site,) = sites(Site({"/p": sequence(odd, page("Back"))}))
    assert one(site.url("/p"), retries=1).status == "ok"


def test_long_maintenance_is_broken_and_says_so(sites: Serve) -> None:
    """503 asking to come back in two hours: not waited for now; a 5xx that outlasts the
    run is broken, and the detail says the site calls it temporary."""
    down = Reply(503, b"maintenance", headers=(("Retry-After", "7200"),))
    (site,) = sites(Site({"/p": down}))
    result = one(site.url("/p"), retries=2)
    assert (result.status, result.reason, result.attempts) == ("broken", "http_503", 1)
    assert "come back in 7200 s" in result.detail


def test_body_cut_short_is_retried_then_judged_without_drift(sites: Serve) -> None:
    """A connection that breaks mid-body is retried; if it keeps breaking, the page is
    judged as it is, without comparing half a page with its baseline."""
    short = Reply(
        body=html_page(),
        headers=(("Content-Length", "100000"), ("Connection", "close")),
    )
    (site,) = sites(Site({"/doc": sequence(short, page("Whole", "all of it"))}))
    assert one(site.url("/doc"), retries=1).attempts == 2
    (site,) = sites(Site({"/doc": short}))
    result = one(site.url("/doc"), retries=1)
    assert result.status == "ok"
    assert "incomplete_body" in result.warnings


def html_page() -> bytes:
    return b"<html><title>Half</title><main>the first half of the page</main>"


def test_temporary_dns_failure_is_asked_again() -> None:
    """A resolver's temporary failure is not cached: the retry resolves afresh."""
    calls: list[str] = []

    async def flaky(host: str, port: int) -> Resolution:
        calls.append(host)
        if len(calls) == 1:
            raise ResolveError("temporary failure in name resolution", temporary=True)
        return Resolution((), (("203.0.113.9", "documentation"),))

    result = one("http://flaky.example.org/page", flaky, retries=1)
    assert len(calls) == 2
    assert result.reason == "blocked_address"  # the second answer, not the first


def test_hanging_resolver_counts_as_an_outage() -> None:
    """Lookups that hang until the deadline are network failures: with the canary down,
    the run is offline and no link is broken."""
    urls = [f"http://host{i}.example.org/p" for i in range(3)]
    canary = f"http://127.0.0.31:{closed_port('127.0.0.31')}/"

    async def hang_but_for_canary(host: str, port: int) -> Resolution:
        if host == "127.0.0.31":
            return await guard.resolve(host, port, allow_private=True)
        await asyncio.sleep(30)
        raise AssertionError("unreachable")

    checked = run(*urls, resolver=hang_but_for_canary, timeout=0.3, canaries=(canary,))
    assert checked.offline
    assert {r.reason for r in checked.results} == {"runner_offline"}
