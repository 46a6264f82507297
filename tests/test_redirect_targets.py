"""Where odd redirects lead: addresses as a browser requests them, never with credentials,
and a suggested address only when it is the resource."""

from __future__ import annotations

from catalogbot.check.refresh import header_target, refresh_target
from conftest import Serve
from support.checking import one, resource
from support.webserver import Reply, Site, html, page, redirect


def test_location_with_spaces_and_utf8_is_percent_encoded(sites: Serve) -> None:
    """A Location with a space or raw UTF-8 bytes is requested percent-encoded."""
    site = Site(
        {
            "/a": redirect("/new guide"),
            "/b": redirect("/caf\u00c3\u00a9"),  # the UTF-8 bytes of "café", as sent
            "/new%20guide": page("Guide", "text"),
            "/caf%C3%A9": page("Cafe", "text"),
        }
    )
    (running,) = sites(site)
    spaced = one(running.url("/a"))
    assert (spaced.status, spaced.suggested_url) == ("redirected", running.url("/new%20guide"))
    accented = one(running.url("/b"))
    assert (accented.status, accented.final_url) == ("redirected", running.url("/caf%C3%A9"))


def test_credentials_in_a_redirect_are_dropped(sites: Serve) -> None:
    """user:pass@ in a redirect target is never sent, kept or proposed."""
    site = Site({"/old": Reply(), "/new": page("Guide", "text")})
    (running,) = sites(site)
    site.routes["/old"] = redirect(running.url("/new").replace("://", "://user:secret@"))
    result = one(running.url("/old"))
    assert (result.status, result.suggested_url) == ("redirected", running.url("/new"))
    assert "secret" not in repr(result)
    assert all("authorization" not in r.headers for r in site.log)


def test_refresh_header_is_a_permanent_hop(sites: Serve) -> None:
    """A 200 with ``Refresh: 0; url=...`` moved the page like the meta tag does."""
    moving = Reply(headers=(("Content-Type", "text/html"), ("Refresh", "0; url=/new")))
    (running,) = sites(Site({"/old": moving, "/new": page("Guide", "text")}))
    result = one(running.url("/old"))
    assert (result.status, result.suggested_url) == ("redirected", running.url("/new"))


def test_refresh_delays_are_read_as_browsers_do() -> None:
    """Only whole seconds count (0.5 forwards at once); a tag in the body counts too,
    one inside a script does not."""
    assert header_target("0.5; url=/a") == "/a"
    assert header_target(".5;url=/a") == "/a"
    assert header_target("01; url=/a") is None
    assert header_target("1.5; url=/a") is None
    in_body = html("x", '<p>moved</p><meta http-equiv="refresh" content="0; url=/b">')
    assert refresh_target("text/html", in_body) == "/b"
    scripted = html(
        "x", "<script>var t = '<meta http-equiv=refresh content=\"0;url=/c\">'</script>"
    )
    assert refresh_target("text/html", scripted) is None


def test_deep_link_sent_home_suggests_nothing(sites: Serve) -> None:
    """A deep link 301'd to the home page is a soft 404, and the home page is not its
    new address; nor is a parking page."""
    parked = Reply(body=html("For sale", "<p>This domain is for sale.</p>"))
    site = Site(
        {
            "/guide/x": redirect("/", 301),
            "/guide/y": redirect("/sale", 301),
            "/sale": parked,
            "/": page("Home", "welcome"),
        }
    )
    (running,) = sites(site)
    home = one(running.url("/guide/x"))
    assert (home.status, home.reason, home.suggested_url) == ("broken", "soft_404", None)
    assert home.final_url == running.url("/")
    sale = one(running.url("/guide/y"))
    assert (sale.status, sale.reason, sale.suggested_url) == ("broken", "parked", None)


def test_every_result_has_a_final_url(sites: Serve) -> None:
    """A skipped entry, which makes no request, still says where it points."""
    (running,) = sites(Site({}))
    skipped = resource(running.url("/p"), check={"skip": "checked by hand"})
    result = one(skipped)
    assert (result.status, result.final_url) == ("skipped", running.url("/p"))
