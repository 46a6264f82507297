"""Hostile and broken servers: TLS, slow drips, floods, bombs, dead ends, fake pages."""

from __future__ import annotations

import socket
import ssl
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pytest

from catalogbot.check import VideoProvider
from conftest import Serve
from support.checking import one, resource, run
from support.webserver import (
    Reply,
    RunningSite,
    Site,
    closed_port,
    gzip_bomb,
    html,
    page,
    redirect,
)


def test_valid_https_is_ok(sites: Serve, server_tls: ssl.SSLContext, trust_test_ca: Path) -> None:
    """HTTPS with a certificate the machine trusts is checked like HTTP."""
    (site,) = sites(Site({"/": page("Secure home")}), tls=server_tls)
    result = one(site.url("/"))
    assert (result.status, result.http_status) == ("ok", 200)


def test_https_by_name_checks_the_certificate_against_the_name(
    server_tls: ssl.SSLContext, trust_test_ca: Path
) -> None:
    """A name resolved by DNS is pinned to its address but verified against its name."""
    site = RunningSite(Site({"/doc": page("Named")}), "127.0.0.1", server_tls)
    try:
        result = one(f"https://localhost:{site.port}/doc")
    finally:
        site.stop()
    assert (result.status, result.http_status) == ("ok", 200)
    assert site.log[0].headers["host"] == f"localhost:{site.port}"


def test_self_signed_certificate_is_broken_with_the_reason(
    sites: Serve, self_signed_tls: ssl.SSLContext, trust_test_ca: Path
) -> None:
    """A certificate nobody vouches for is broken, reason tls, and says what is wrong."""
    (site,) = sites(Site({"/": page("Home")}), tls=self_signed_tls)
    result = one(site.url("/"))
    assert (result.status, result.reason) == ("broken", "tls")
    assert "certificate" in result.detail


def test_plain_http_to_a_tls_port_is_a_protocol_failure(
    sites: Serve, server_tls: ssl.SSLContext, trust_test_ca: Path
) -> None:
    """Speaking HTTP to an HTTPS server fails cleanly, without a crash."""
    (site,) = sites(Site({"/": page("Home")}), tls=server_tls)
    result = one(f"http://{site.address}:{site.port}/")
    assert result.status == "broken"


def test_closed_port_is_refused(sites: Serve) -> None:
    """Nothing listening: broken, connection_refused."""
    result = one(f"http://127.0.0.2:{closed_port('127.0.0.2')}/page")
    assert (result.status, result.reason) == ("broken", "connection_refused")


def test_unknown_domain_is_a_dns_failure() -> None:
    """A .invalid name never resolves: broken, dns."""
    result = one("http://catalogbot-test.invalid/page")
    assert (result.status, result.reason) == ("broken", "dns")
    assert "does not resolve" in result.detail


def test_slow_drip_is_cut_off_by_the_deadline(sites: Serve) -> None:
    """A server sending one byte a second cannot hold a slot past the attempt's deadline."""
    drip = Reply(body=b"x" * 1000, drip=0.05)
    (site,) = sites(Site({"/slow": drip}))
    result = one(site.url("/slow"), timeout=0.5, retries=1)
    assert (result.status, result.reason, result.attempts) == ("broken", "timeout", 2)
    assert result.elapsed_ms < 5000


def test_silent_server_times_out() -> None:
    """A server that accepts the connection and never answers times out."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.3", 0))
        listener.listen(8)
        port = listener.getsockname()[1]
        result = one(f"http://127.0.0.3:{port}/", timeout=0.3)
    assert (result.status, result.reason) == ("broken", "timeout")


def test_large_body_is_read_up_to_the_cap(sites: Serve) -> None:
    """A 210 MB page is read to the cap; the link is still judged (ok)."""
    chunk = b"<p>" + b"lorem ipsum " * 5000 + b"</p>"

    def endless() -> Iterator[bytes]:
        yield b"<html><head><title>Huge</title></head><body>"
        for _ in range(3500):  # 210 MB
            yield chunk

    (site,) = sites(Site({"/big": lambda _: Reply(chunks=endless())}))
    tracemalloc.start()
    result = one(site.url("/big"), max_bytes=1024 * 1024)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert result.status == "ok"
    assert peak < 40 * 1024 * 1024  # the cap and its text, not the body


def test_gzip_bomb_costs_no_more_than_the_cap(sites: Serve) -> None:
    """A gzip body that inflates to a gigabyte is decoded only up to the cap."""
    (site,) = sites(Site({"/bomb": gzip_bomb(1024 * 1024 * 1024)}))
    tracemalloc.start()
    result = one(site.url("/bomb"), max_bytes=1024 * 1024)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert result.status == "ok"
    assert peak < 40 * 1024 * 1024  # a thousandth of what the body inflates to


def test_corrupt_gzip_does_not_crash(sites: Serve) -> None:
    """A body that claims gzip but is not: the link answered, so it is not broken."""
    bad = Reply(body=b"this is not gzip", headers=(("Content-Encoding", "gzip"),))
    (site,) = sites(Site({"/p": bad}))
    result = one(site.url("/p"))
    assert result.status == "ok"


def test_site_that_serves_its_home_for_any_path_is_a_soft_404(sites: Serve) -> None:
    """A host that answers 200 for a made-up path shows what its missing pages look like."""
    notfound = page("Page not found", "Sorry, we could not find that page. " * 5)
    (site,) = sites(
        Site({"/real": page("Real report", "evaluation findings " * 50)}, fallback=notfound)
    )
    gone = one(site.url("/reports/removed"))
    real = one(site.url("/real"))
    assert (gone.status, gone.reason) == ("broken", "soft_404")
    assert real.status == "ok"


def test_page_that_mentions_not_found_on_an_honest_host_is_ok(sites: Serve) -> None:
    """A host that gives real 404s is trusted: its page about 'not found' errors is fine."""
    article = page("How to handle 404 not found errors", "When a page is not found ... " * 30)
    (site,) = sites(Site({"/guide": article}))
    assert one(site.url("/guide")).status == "ok"


def test_redirect_to_where_missing_pages_go_is_a_soft_404(sites: Serve) -> None:
    """Both the resource and a made-up path redirect to the same search page."""
    search = page("Search", "search the site " * 20)
    (site,) = sites(
        Site(
            {"/old-toolkit": redirect("/search", 302), "/search": search},
            fallback=redirect("/search", 302),
        )
    )
    result = one(site.url("/old-toolkit"))
    assert (result.status, result.reason) == ("broken", "soft_404")


def test_javascript_shell_is_unverifiable_not_broken(sites: Serve) -> None:
    """A single-page app serves the same empty shell for every path: we cannot judge it."""
    shell = Reply(body=html("App", "<div id='root'></div><noscript>Enable JavaScript</noscript>"))
    (site,) = sites(Site({}, fallback=shell))
    result = one(site.url("/resources/guide"))
    assert (result.status, result.reason) == ("unverifiable", "javascript_required")


def test_home_page_resource_is_not_compared_with_the_probe(sites: Serve) -> None:
    """A resource that is a site's home page cannot be a soft 404 of itself."""
    home = page("Naloxone Saves", "naloxone saves lives " * 30)
    (site,) = sites(Site({"/": home}, fallback=home))
    assert one(site.url("/")).status == "ok"


def test_parked_domain_is_broken(sites: Serve) -> None:
    """A registrar's for-sale page in place of the resource is broken, reason parked."""
    parked = page("example-nonprofit.org", "This domain is for sale! Buy this domain today.")
    (site,) = sites(Site({"/toolkit": parked}))
    result = one(site.url("/toolkit"))
    assert (result.status, result.reason) == ("broken", "parked")


@pytest.mark.parametrize(
    "reply",
    [
        Reply(503, html("Just a moment...", "<p>Checking your browser</p>")),
        Reply(
            403,
            html(
                "Access Denied",
                "You don't have permission to access this on this server.<p>Reference #18.1",
            ),
        ),
        Reply(200, html("Welcome", "<p>hi</p>"), headers=(("cf-mitigated", "challenge"),)),
        Reply(200, html("Just a moment...", "<script>window._cf_chl_opt={}</script>")),
    ],
    ids=["cloudflare-503", "akamai-403", "cf-mitigated", "challenge-200"],
)
def test_bot_walls_are_unverifiable(sites: Serve, reply: Reply) -> None:
    """Challenge pages say nothing about the resource: unverifiable, never broken."""
    (site,) = sites(Site({"/p": reply}))
    result = one(site.url("/p"), retries=1)
    assert (result.status, result.reason) == ("unverifiable", "bot_challenge")


def test_captcha_on_an_ordinary_page_is_not_a_bot_wall(sites: Serve) -> None:
    """A contact form's captcha on a 200 page does not make the page unverifiable."""
    body = html("Contact us", "<main><p>Write to us</p><div class='g-recaptcha'></div></main>")
    (site,) = sites(Site({"/contact": Reply(body=body)}))
    assert one(site.url("/contact")).status == "ok"


@pytest.mark.parametrize(
    ("oembed_status", "status", "reason"),
    [(404, "broken", "video_unavailable"), (401, "ok", "ok"), (200, "ok", "ok")],
)
def test_video_pages_are_confirmed_by_oembed(
    sites: Serve, oembed_status: int, status: str, reason: str
) -> None:
    """Video sites answer 200 for removed videos; their oEmbed endpoint tells the truth."""
    video_site, oembed_site = sites(
        Site({"/watch": page("Video", "a video about recovery courts")}),
        Site(
            {
                "/oembed": Reply(
                    oembed_status,
                    b'{"title": "x"}',
                    headers=(("Content-Type", "application/json"),),
                )
            }
        ),
    )
    provider = VideoProvider("TestTube", (video_site.address,), oembed_site.url("/oembed"))
    result = one(video_site.url("/watch?v=abc"), video_providers=(provider,))
    assert (result.status, result.reason) == (status, reason)
    (asked,) = [r for r in oembed_site.log if r.path.startswith("/oembed")]
    assert "url=http" in asked.path
    if oembed_status == 401:
        assert "video_not_embeddable" in result.warnings


def test_title_mismatch_is_a_warning_not_a_failure(sites: Serve) -> None:
    """Without a baseline, a page sharing nothing with the catalog's title is flagged."""
    (site,) = sites(Site({"/p": page("Shoes on sale", "running shoes discount")}))
    entry = resource(site.url("/p"), title="Naloxone distribution toolkit", description="overdose")
    result = one(entry)
    assert result.status == "ok"
    assert "title_mismatch" in result.warnings


def test_every_link_still_gets_a_result_when_many_fail(sites: Serve) -> None:
    """Twenty dead links and a live one: twenty-one results, nothing lost."""
    (site,) = sites(Site({"/live": page("Live")}))
    dead = [f"http://127.0.0.9:{closed_port('127.0.0.9')}/d{i}" for i in range(20)]
    checked = run(site.url("/live"), *dead)
    statuses = [r.status.value for r in checked.results]
    assert statuses.count("broken") == 20
    assert statuses.count("ok") == 1


def test_body_cut_short_still_judges_the_page(sites: Serve) -> None:
    """A 200 whose body ends before its Content-Length: the page exists; it is ok."""
    short = Reply(
        body=html("Short page", "<main>words of the page</main>"),
        headers=(
            ("Content-Type", "text/html"),
            ("Content-Length", "100000"),
            ("Connection", "close"),
        ),
    )
    (site,) = sites(Site({"/short": short}))
    result = one(site.url("/short"))
    assert (result.status, result.http_status) == ("ok", 200)
    assert result.title == "Short page"


def test_server_that_hangs_up_without_answering_is_broken(sites: Serve) -> None:
    """A connection closed before any status line: broken after the retries."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.4", 0))
        listener.listen(8)
        port = listener.getsockname()[1]
        import threading

        def hang_up() -> None:
            for _ in range(2):
                conn, _ = listener.accept()
                conn.recv(1024)
                conn.close()

        thread = threading.Thread(target=hang_up, daemon=True)
        thread.start()
        result = one(f"http://127.0.0.4:{port}/", retries=1)
        thread.join(5)
    assert result.status == "broken"
    assert result.reason in ("protocol", "connection_reset")
    assert result.attempts == 2
