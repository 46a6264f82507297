"""The archived-copy lookup against a loopback server playing the availability API."""

from __future__ import annotations

import json

import pytest

from catalogbot.github.syncer import run_url
from catalogbot.github.wayback import NoArchive, Wayback, archive_from
from conftest import Serve
from support.webserver import Reply, Site, closed_port

JSON = (("Content-Type", "application/json"),)


def answer(data: object, status: int = 200) -> Reply:
    return Reply(status, json.dumps(data).encode(), JSON)


def snapshot(url: str, available: object = True) -> dict[str, object]:
    return {"archived_snapshots": {"closest": {"available": available, "url": url}}}


def test_closest_copy_is_found_and_the_url_is_sent(sites: Serve) -> None:
    """The page's address goes out as the url parameter; the closest copy comes back."""
    copy = "http://web.archive.org/web/20240101000000/https://alpha.example.org/a?b=1"
    (site,) = sites(Site({"/wayback/available": answer(snapshot(copy))}))
    archive = Wayback(site.url("/wayback/available"))
    assert archive.closest("https://alpha.example.org/a?b=1") == copy
    (request,) = site.log
    assert request.path == "/wayback/available?url=https%3A%2F%2Falpha.example.org%2Fa%3Fb%3D1"


@pytest.mark.parametrize(
    "reply",
    [
        answer({"archived_snapshots": {}}),
        answer(snapshot("https://web.archive.org/x", available=False)),
        answer(snapshot("https://web.archive.org/x", available="yes")),
        answer(snapshot("javascript:alert(1)")),
        answer(["not", "an", "object"]),
        answer(snapshot("https://web.archive.org/x"), status=503),
        Reply(200, b"<html>maintenance</html>"),
    ],
    ids=["none", "unavailable", "not-a-bool", "not-http", "list", "server-error", "html"],
)
def test_anything_but_a_clear_copy_is_none(sites: Serve, reply: Reply) -> None:
    """No copy, a malformed answer, an error page: None, never an exception."""
    (site,) = sites(Site({"/wayback/available": reply}))
    assert Wayback(site.url("/wayback/available")).closest("https://a.example.org/") is None


def test_an_archive_that_does_not_answer_is_none() -> None:
    """Nothing listening, or a server too slow: None, quickly."""
    assert Wayback(f"http://127.0.0.1:{closed_port()}/available").closest("https://a/") is None


def test_a_slow_archive_is_given_up_on(sites: Serve) -> None:
    """A server that drips its answer is abandoned after the timeout."""
    slow = Reply(200, json.dumps(snapshot("https://web.archive.org/x")).encode(), JSON, drip=1.0)
    (site,) = sites(Site({"/available": slow}))
    assert Wayback(site.url("/available"), timeout=0.2).closest("https://a.example.org/") is None


def test_the_setting_picks_the_archive() -> None:
    """Unset: the Internet Archive; empty: no lookups; anything else: that endpoint."""
    default = archive_from(None)
    assert isinstance(default, Wayback)
    assert default.endpoint == "https://archive.org/wayback/available"
    assert isinstance(archive_from(""), NoArchive)
    other = archive_from("http://127.0.0.1:9/x")
    assert isinstance(other, Wayback)
    assert other.endpoint == "http://127.0.0.1:9/x"
    assert NoArchive().closest("https://a.example.org/") is None


def test_run_link_comes_from_the_actions_environment() -> None:
    """The dashboard links the run only when GitHub Actions says which one it is."""
    env = {
        "GITHUB_SERVER_URL": "https://github.com",
        "GITHUB_REPOSITORY": "octo/catalog",
        "GITHUB_RUN_ID": "123",
    }
    assert run_url(env) == "https://github.com/octo/catalog/actions/runs/123"
    assert run_url({**env, "GITHUB_RUN_ID": "12; rm"}) is None
    assert run_url({**env, "GITHUB_SERVER_URL": "javascript:x"}) is None
    assert run_url({}) is None
