"""The private-address guard, and telling a dead link from a machine that is offline."""

from __future__ import annotations

import ipaddress

import pytest

from catalogbot.check import guard
from catalogbot.check.offline import suspect_outage
from conftest import Serve
from support.checking import one, run
from support.webserver import Site, closed_port, page, redirect


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1", "127.1.2.3", "10.0.0.1", "172.16.5.4", "192.168.1.1", "169.254.169.254",
        "100.64.0.1", "0.0.0.0", "224.0.0.1", "240.0.0.1", "255.255.255.255", "198.18.0.1",
        "192.0.2.10", "::1", "::", "fe80::1", "fc00::1", "fd12:3456::1", "ff02::1",
        "::ffff:127.0.0.1", "::ffff:169.254.169.254", "::ffff:10.0.0.1", "64:ff9b::a9fe:a9fe",
        "2002:7f00:1::1", "::127.0.0.1", "2001:db8::1", "64:ff9b:1::a9fe:a9fe",
        "::ffff:0:7f00:1", "::ffff:0:a9fe:a9fe",
    ],
)  # fmt: skip
def test_private_and_special_addresses_are_refused(address: str) -> None:
    """Loopback, private, link-local (metadata), CGNAT, multicast, reserved; v4 inside v6."""
    assert guard.blocked_because(ipaddress.ip_address(address)) is not None


@pytest.mark.parametrize(
    "address", ["8.8.8.8", "93.184.216.34", "2606:4700:4700::1111", "::ffff:8.8.8.8"]
)
def test_public_addresses_are_allowed(address: str) -> None:
    """Ordinary public addresses, including a public one inside IPv6, may be contacted."""
    assert guard.blocked_because(ipaddress.ip_address(address)) is None


@pytest.mark.parametrize("host", ["127.0.0.2", "localhost", "[::ffff:127.0.0.2]", "2130706434"])
def test_private_targets_are_never_contacted(sites: Serve, host: str) -> None:
    """Without --allow-private, a loopback target gets no request, in any spelling."""
    (site,) = sites(Site({"/admin": page("Admin")}))
    result = one(f"http://{host}:{site.port}/admin", allow_private=False)
    assert (result.status, result.reason) == ("broken", "blocked_address")
    assert site.log == []


def test_cloud_metadata_address_is_refused_without_a_connection() -> None:
    """169.254.169.254 is refused before any packet is sent (it would time out otherwise)."""
    result = one("http://169.254.169.254/latest/meta-data/", allow_private=False, timeout=30)
    assert (result.status, result.reason) == ("broken", "blocked_address")
    assert "link-local" in result.detail
    assert result.elapsed_ms < 5000


def test_every_redirect_hop_is_checked(sites: Serve) -> None:
    """A public page that redirects into the private network is stopped at that hop."""
    public, private = sites(
        Site({}, fallback=page("unused")),
        Site({"/secret": page("Secret")}),
    )
    public.site.routes["/go"] = redirect(private.url("/secret"), 302)

    async def public_first_hop(host: str, port: int) -> guard.Resolution:
        """The first site counts as public; every other address is judged by the guard."""
        if host == public.address:
            return guard.Resolution((host,), ())
        return await guard.resolve(host, port, allow_private=False)

    result = one(public.url("/go"), public_first_hop, allow_private=False, soft404_probe=False)
    assert (result.status, result.reason) == ("broken", "blocked_address")
    assert result.final_url == private.url("/secret")
    assert [h.status for h in result.redirects] == [302]
    assert private.log == []


def test_allow_private_lifts_the_guard(sites: Serve) -> None:
    """--allow-private is for tests and intranets: loopback is then checked normally."""
    (site,) = sites(Site({"/p": page("P")}))
    assert one(site.url("/p"), allow_private=True).status == "ok"


@pytest.mark.parametrize(
    ("outcomes", "suspect"),
    [
        ([("a", True), ("b", True), ("c", True)], True),
        ([("a", True), ("b", True)], True),  # fewer than three hosts: all of them
        ([("a", True), ("b", False)], False),
        ([("a", True), ("b", True), ("c", False)], False),  # three hosts: three must fail
        ([], False),
        ([("a", True), ("b", True), ("c", True), ("d", False), ("e", False), ("f", False)], False),
        ([("a", True), ("b", True), ("c", True), ("d", False), ("e", False)], True),
        ([("a", True), ("a", False), ("b", True), ("c", True), ("d", True)], True),
        ([("a", True), ("a", True), ("a", True), ("a", True)], True),  # one host, many links
        ([("a", True), ("a", False)], False),
    ],
)
def test_outage_needs_most_hosts_and_at_least_three(
    outcomes: list[tuple[str, bool]], suspect: bool
) -> None:
    """More than half of the distinct hosts, and at least three (all of them in a run of
    fewer than three hosts), must fail at network level."""
    assert suspect_outage(outcomes) is suspect


def _dead(count: int) -> list[str]:
    return [f"http://host{i}.catalogbot-test.invalid/page" for i in range(count)]


def test_offline_runner_calls_nothing_broken(sites: Serve) -> None:
    """Every host fails and so does the canary: the run is offline, no link is broken."""
    canary = f"http://127.0.0.20:{closed_port('127.0.0.20')}/"
    checked = run(*_dead(3), canaries=(canary,))
    assert checked.offline
    assert {(r.status, r.reason) for r in checked.results} == {("unverifiable", "runner_offline")}
    assert all(r.network_error == "dns" for r in checked.results)
    assert canary in checked.offline_detail


def test_links_dead_while_the_canary_answers_are_broken(sites: Serve) -> None:
    """The canary answers, so the network is fine and the links really are dead."""
    (canary,) = sites(Site({"/": page("Up")}))
    checked = run(*_dead(3), canaries=(canary.url("/"),))
    assert not checked.offline
    assert {(r.status, r.reason) for r in checked.results} == {("broken", "dns")}
    assert canary.log


def test_canary_is_not_asked_when_few_hosts_fail(sites: Serve) -> None:
    """Two dead hosts among healthy ones raise no suspicion, and cost no extra request."""
    healthy, canary = sites(Site({"/a": page("A")}), Site({"/": page("Up")}))
    checked = run(healthy.url("/a"), *_dead(2), canaries=(canary.url("/"),))
    assert not checked.offline
    assert canary.log == []
    assert [r.status for r in checked.results] == ["ok", "broken", "broken"]


@pytest.mark.parametrize(
    "target",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://2852039166/latest/meta-data/",
        "http://[::ffff:169.254.169.254]/latest/meta-data/",
        "http://[fd00:ec2::254]/latest/meta-data/",
    ],
)
def test_cloud_metadata_is_refused_even_with_allow_private(sites: Serve, target: str) -> None:
    """--allow-private opens loopback and intranets, never the runner's credentials."""
    site = Site({"/old": redirect(target)})
    (running,) = sites(site)
    result = one(running.url("/old"), allow_private=True, timeout=2)
    assert (result.status, result.reason) == ("broken", "blocked_address")
    assert "cloud metadata" in result.detail
