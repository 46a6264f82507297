"""A page that forwards at once with a meta refresh has moved for good."""

from __future__ import annotations

import ipaddress

import pytest

from catalogbot.check import guard
from catalogbot.check.refresh import refresh_target
from conftest import Serve
from support.checking import one
from support.webserver import Reply, Site, html, page


def _refresh(target: str, delay: str = "0") -> Reply:
    head = f'<meta http-equiv="Refresh" content="{delay}; url={target}">'
    return Reply(body=html("Moved", "<p>This page has moved.</p>", head=head))


def test_meta_refresh_is_a_permanent_hop(sites: Serve) -> None:
    """An immediate refresh is followed, recorded, reported redirected and proposed."""
    site = Site({"/old/guide": _refresh("/new/guide"), "/new/guide": page("Guide", "text")})
    (running,) = sites(site)
    result = one(running.url("/old/guide"))
    assert result.status == "redirected"
    assert result.suggested_url == running.url("/new/guide")
    assert result.final_url == running.url("/new/guide")
    assert [(h.url, h.status) for h in result.redirects] == [(running.url("/old/guide"), 200)]


def test_meta_refresh_is_guarded(sites: Serve, monkeypatch: pytest.MonkeyPatch) -> None:
    """The address guard applies to a refresh's target like to any redirect."""
    public, private = sites(Site({}), Site({"/secret": page("Secret")}))
    public.site.routes["/old/guide"] = _refresh(private.url("/secret"))

    def pretend(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
        return None if str(address) == public.address else "private (in this test)"

    monkeypatch.setattr(guard, "blocked_because", pretend)
    result = one(public.url("/old/guide"), allow_private=False, soft404_probe=False)
    assert (result.status, result.reason) == ("broken", "blocked_address")
    assert [h.status for h in result.redirects] == [200]
    assert private.log == []


def test_delayed_or_odd_refresh_is_a_page() -> None:
    """A refresh with a delay, outside HTML or to a script is not a move."""
    body = html("x", "", head='<meta http-equiv="refresh" content="5; url=/next">')
    assert refresh_target("text/html", body) is None
    assert refresh_target("text/plain", b'<meta http-equiv="refresh" content="0;url=/a">') is None
    noscript = b'<noscript><meta http-equiv="refresh" content="0; url=/nojs"></noscript>'
    assert refresh_target("text/html", html("x", "", head=noscript.decode())) is None
    comment = b'<!-- <meta http-equiv="refresh" content="0; url=/old"> -->'
    assert refresh_target("text/html", comment) is None
    quoted = b"<meta content=\"0; URL='/a b'\" http-equiv=refresh>"
    assert refresh_target("text/html", quoted) == "/a b"


def test_refresh_to_itself_is_a_loop(sites: Serve) -> None:
    """A page refreshing to its own address ends as a redirect loop, not a hang."""
    (running,) = sites(Site({"/loop": _refresh("/loop")}))
    result = one(running.url("/loop"))
    assert result.status == "broken"
    assert result.reason == "too_many_redirects"
