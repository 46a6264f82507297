"""Statuses, retries and redirects, against real servers on loopback."""

from __future__ import annotations

import time

import pytest

from conftest import Serve
from support.checking import one, resource, run
from support.webserver import Reply, Request, Site, page, redirect, sequence


def test_healthy_page_is_ok(sites: Serve) -> None:
    """A 200 page is ok, with its status, final URL, one attempt and its title."""
    (site,) = sites(Site({"/guide": page("Naloxone guide", "how to use naloxone")}))
    result = one(site.url("/guide"))
    assert (result.status, result.reason, result.http_status) == ("ok", "ok", 200)
    assert result.final_url == site.url("/guide")
    assert result.attempts == 1
    assert result.title == "Naloxone guide"
    assert result.digest is None  # no baseline: the text was not normalised


@pytest.mark.parametrize("code", [400, 404, 410, 451])
def test_client_errors_are_broken(sites: Serve, code: int) -> None:
    """404, 410 and other 4xx answers are broken, with the status as the reason."""
    (site,) = sites(Site({"/gone": Reply(code, b"no")}))
    result = one(site.url("/gone"))
    assert (result.status, result.reason, result.http_status) == ("broken", f"http_{code}", code)


@pytest.mark.parametrize(
    ("code", "reason"),
    [(401, "http_401"), (403, "http_403"), (429, "rate_limited"), (999, "http_999")],
)
def test_refusals_are_unverifiable_not_broken(sites: Serve, code: int, reason: str) -> None:
    """A server that refuses automated checks says nothing about the page: unverifiable."""
    (site,) = sites(Site({"/p": Reply(code, b"denied", headers=())}))
    result = one(site.url("/p"), retries=1)
    assert (result.status, result.reason) == ("unverifiable", reason)


def test_429_and_999_are_retried_before_giving_up(sites: Serve) -> None:
    """Rate limits often pass: 429 is retried, and the retry's answer counts."""
    (site,) = sites(Site({"/p": sequence(Reply(429, b"slow down", headers=()), page("Fine"))}))
    result = one(site.url("/p"), retries=2)
    assert (result.status, result.attempts) == ("ok", 2)


def test_server_error_then_success_is_ok(sites: Serve) -> None:
    """A 500 that recovers on retry is ok, and says it took two attempts."""
    (site,) = sites(Site({"/p": sequence(Reply(500, b"oops"), page("Back"))}))
    result = one(site.url("/p"), retries=2)
    assert (result.status, result.attempts) == ("ok", 2)


@pytest.mark.parametrize("code", [500, 502, 503, 504])
def test_server_errors_after_retries_are_broken(sites: Serve, code: int) -> None:
    """5xx that persists through every retry is broken; every attempt was made."""
    (site,) = sites(Site({"/p": Reply(code, b"down")}))
    result = one(site.url("/p"), retries=2)
    assert (result.status, result.reason, result.attempts) == ("broken", f"http_{code}", 3)
    assert site.site.paths().count("/p") == 3


def test_not_implemented_is_not_retried(sites: Serve) -> None:
    """501 will not pass by itself, so it is not retried."""
    (site,) = sites(Site({"/p": Reply(501, b"no")}))
    result = one(site.url("/p"), retries=3)
    assert (result.status, result.attempts) == ("broken", 1)


def test_retry_after_seconds_is_honoured(sites: Serve) -> None:
    """A 503 with Retry-After: 1 is retried no sooner than a second later."""
    busy = Reply(503, b"busy", headers=(("Retry-After", "1"),))
    (site,) = sites(Site({"/p": sequence(busy, page("Ready"))}))
    started = time.monotonic()
    result = one(site.url("/p"), retries=1)
    assert result.status == "ok"
    assert time.monotonic() - started >= 1.0


def test_retry_after_beyond_the_cap_is_not_waited_for(sites: Serve) -> None:
    """A server asking for an hour is not retried; the answer says what it asked."""
    (site,) = sites(Site({"/p": Reply(429, b"later", headers=(("Retry-After", "3600"),))}))
    result = one(site.url("/p"), retries=3)
    assert (result.status, result.reason, result.attempts) == ("unverifiable", "rate_limited", 1)
    assert "3600" in result.detail


def test_a_429_slows_the_whole_host(sites: Serve) -> None:
    """After a 429, the host's other links wait for its Retry-After too."""
    stamps: dict[str, float] = {}

    def stamped(reply: Reply, name: str) -> object:
        def handler(_: Request) -> Reply:
            stamps.setdefault(name, time.monotonic())
            return reply

        return handler

    limited = Reply(429, b"slow", headers=(("Retry-After", "1"),))
    (site,) = sites(
        Site({"/a": stamped(limited, "a"), "/b": stamped(page("B"), "b")})  # type: ignore[dict-item]
    )
    run(site.url("/a"), site.url("/b"), per_host=1, retries=0, soft404_probe=False)
    assert stamps["b"] - stamps["a"] >= 1.0


def test_permanent_redirect_is_redirected_with_the_new_address(sites: Serve) -> None:
    """301 to a page that answers: redirected, the hop recorded, the new URL suggested."""
    (site,) = sites(Site({"/old": redirect("/new", 301), "/new": page("Moved here")}))
    result = one(site.url("/old"))
    assert (result.status, result.reason) == ("redirected", "moved_permanently")
    assert result.final_url == site.url("/new")
    assert result.suggested_url == site.url("/new")
    assert [(h.url, h.status, h.location) for h in result.redirects] == [
        (site.url("/old"), 301, site.url("/new"))
    ]


def test_permanent_chain_suggests_its_end(sites: Serve) -> None:
    """301 then 308: one suggestion, the end of the chain; both hops recorded."""
    (site,) = sites(Site({"/a": redirect("/b", 301), "/b": redirect("/c", 308), "/c": page("End")}))
    result = one(site.url("/a"))
    assert result.status == "redirected"
    assert result.suggested_url == result.final_url == site.url("/c")
    assert [h.status for h in result.redirects] == [301, 308]


@pytest.mark.parametrize("code", [302, 303, 307])
def test_temporary_redirects_are_ok(sites: Serve, code: int) -> None:
    """A temporary redirect is how many sites work; the catalog URL stays right."""
    (site,) = sites(Site({"/a": redirect("/b", code), "/b": page("There")}))
    result = one(site.url("/a"))
    assert (result.status, result.final_url, result.suggested_url) == ("ok", site.url("/b"), None)


def test_permanent_redirect_behind_a_temporary_one_is_ok(sites: Serve) -> None:
    """The catalog URL is still the entry point when the first hop is temporary."""
    (site,) = sites(Site({"/a": redirect("/b", 302), "/b": redirect("/c", 301), "/c": page("C")}))
    assert one(site.url("/a")).status == "ok"


@pytest.mark.parametrize("location", ["../docs/new", "new", "/docs/new", "./new"])
def test_relative_locations_are_resolved(sites: Serve, location: str) -> None:
    """A relative Location is resolved against the URL that sent it."""
    (site,) = sites(Site({"/docs/old": redirect(location, 301), "/docs/new": page("New")}))
    result = one(site.url("/docs/old"))
    assert result.final_url == site.url("/docs/new")
    assert result.status == "redirected"


def test_redirect_loop_is_broken(sites: Serve) -> None:
    """A → B → A never ends: broken, and the detail shows the loop."""
    (site,) = sites(Site({"/a": redirect("/b", 302), "/b": redirect("/a", 302)}))
    result = one(site.url("/a"))
    assert (result.status, result.reason) == ("broken", "too_many_redirects")
    assert "loop" in result.detail


def test_too_many_redirects_is_broken(sites: Serve) -> None:
    """Eleven hops are one too many."""
    routes: dict[str, Reply | object] = {f"/r{i}": redirect(f"/r{i + 1}", 302) for i in range(11)}
    routes["/r11"] = page("Finally")
    (site,) = sites(Site(routes))  # type: ignore[arg-type]
    result = one(site.url("/r0"))
    assert (result.status, result.reason) == ("broken", "too_many_redirects")
    assert len(result.redirects) == 11


@pytest.mark.parametrize("code", [301, 302])
def test_deep_link_redirected_to_the_home_page_is_a_soft_404(sites: Serve, code: int) -> None:
    """Sites send removed pages to their home page; whatever the code, that is broken."""
    (site,) = sites(Site({"/reports/2019.pdf": redirect("/", code), "/": page("Welcome")}))
    result = one(site.url("/reports/2019.pdf"))
    assert (result.status, result.reason) == ("broken", "soft_404")


def test_redirect_to_a_non_web_address_is_broken(sites: Serve) -> None:
    """A Location that is not http(s) cannot be followed."""
    (site,) = sites(Site({"/a": redirect("ftp://files.example.org/a", 301)}))
    result = one(site.url("/a"))
    assert (result.status, result.reason) == ("broken", "bad_redirect")


def test_cookie_set_on_a_redirect_comes_back_to_the_same_host(sites: Serve) -> None:
    """Some sites redirect until their session cookie returns; that is not a loop."""

    def gate(request: Request) -> Reply:
        if "session=1" in request.headers.get("cookie", ""):
            return page("Inside")
        return Reply(302, b"", headers=(("Location", "/login"),))

    login = Reply(302, b"", headers=(("Location", "/doc"), ("Set-Cookie", "session=1; Path=/")))
    (site,) = sites(Site({"/doc": gate, "/login": login}))
    result = one(site.url("/doc"))
    assert (result.status, result.final_url) == ("ok", site.url("/doc"))


def test_accepted_status_counts_as_healthy(sites: Serve) -> None:
    """The catalog can accept a status for one link, e.g. a 403 from a members' site."""
    (site,) = sites(Site({"/members": Reply(403, b"members only", headers=())}))
    result = one(resource(site.url("/members"), check={"accept_status": [403]}))
    assert result.status == "ok"


def test_skipped_entry_is_not_requested(sites: Serve) -> None:
    """A skipped entry is reported with the catalog's reason, and no request is made."""
    (site,) = sites(Site({"/p": page("P")}))
    result = one(resource(site.url("/p"), check={"skip": "checked by hand each quarter"}))
    assert (result.status, result.reason) == ("skipped", "excluded")
    assert "checked by hand each quarter" in result.detail
    assert site.log == []


def test_results_keep_catalog_order(sites: Serve, monkeypatch: pytest.MonkeyPatch) -> None:
    """Results come back in catalog order, whatever order they finish in and however
    many batches their checks were started in."""
    monkeypatch.setattr("catalogbot.check.lanes.BATCH", 3)
    (site,) = sites(Site({f"/{i}": page(f"P{i}") for i in range(20)}))
    checked = run(*(resource(site.url(f"/{i}"), f"r-{i}") for i in range(20)))
    assert [r.id for r in checked.results] == [f"r-{i}" for i in range(20)]


def test_honest_user_agent_and_no_credentials(
    sites: Serve, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Requests name catalogbot and never carry the GitHub token or any credential."""
    monkeypatch.setenv("GITHUB_TOKEN", "ghp_secret_token_value")
    (site,) = sites(Site({"/p": page("P")}))
    one(site.url("/p"))
    for request in site.log:
        assert "catalogbot" in request.headers["user-agent"]
        assert "authorization" not in request.headers
        assert "cookie" not in request.headers
        assert all("ghp_secret" not in value for value in request.headers.values())


def test_per_host_limit_holds_and_connections_are_reused(sites: Serve) -> None:
    """No more than --per-host requests at once to a host, over kept-alive connections."""
    import threading

    lock = threading.Lock()
    inflight = [0, 0]
    release = threading.Event()

    def slow(_: Request) -> Reply:
        with lock:
            inflight[0] += 1
            inflight[1] = max(inflight[1], inflight[0])
        release.wait(0.05)
        with lock:
            inflight[0] -= 1
        return page("Slow page")

    (site,) = sites(Site({f"/{i}": slow for i in range(12)}))
    checked = run(*(site.url(f"/{i}") for i in range(12)), per_host=2, soft404_probe=False)
    assert all(r.status == "ok" for r in checked.results)
    assert inflight[1] <= 2
    assert site.connections <= 4


def test_a_429_asking_too_long_does_not_stall_the_host(sites: Serve) -> None:
    """A Retry-After beyond the cap is not honoured for the host's other links either:
    they are spaced out, not held for the whole cap."""
    limited = Reply(429, b"later", headers=(("Retry-After", "3600"),))
    (site,) = sites(Site({"/a": limited, "/b": page("B")}))
    started = time.monotonic()
    checked = run(
        site.url("/a"), site.url("/b"), per_host=1, soft404_probe=False, retry_after_cap=30
    )
    assert [r.status for r in checked.results] == ["unverifiable", "ok"]
    assert time.monotonic() - started < 10


def test_a_host_that_answers_again_is_no_longer_spaced_out(sites: Serve) -> None:
    """The spacing one 429 adds fades as the host answers its other links normally,
    instead of slowing every later link of the host by a second or more."""
    limited = Reply(429, b"slow", headers=(("Retry-After", "0"),))
    (site,) = sites(Site({"/a": limited, **{f"/p{i}": page("P") for i in range(6)}}))
    started = time.monotonic()
    urls = [site.url("/a"), *(site.url(f"/p{i}") for i in range(6))]
    checked = run(*urls, per_host=1, soft404_probe=False)
    assert [r.status for r in checked.results] == ["unverifiable"] + ["ok"] * 6
    assert time.monotonic() - started < 4.5  # 1 + 0.5 + 0.25 s, not 6 s
