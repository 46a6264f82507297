"""The GitHub client's decisions, with the HTTP layer mocked by respx."""

from __future__ import annotations

import httpx
import pytest
import respx

from catalogbot.github.client import GitHubAuthError, GitHubClient, GitHubError, NotFoundError

API = "https://ghe.example.org/api/v3"
TOKEN = "ghs_secretsecretsecret"


@pytest.fixture
def slept() -> list[float]:
    return []


@pytest.fixture
def client(slept: list[float]) -> GitHubClient:
    return GitHubClient(
        TOKEN, "octo/catalog", API, write_interval=1.0, sleep=slept.append, clock=lambda: 1000.0
    )


@respx.mock
def test_headers_identify_the_bot_and_the_api_version(client: GitHubClient) -> None:
    """Every request carries the token, the API version, JSON accept and our User-Agent."""
    route = respx.get(f"{API}/repos/octo/catalog").respond(json={"default_branch": "main"})
    assert client.get(client.repo_path()) == {"default_branch": "main"}
    headers = route.calls.last.request.headers
    assert headers["authorization"] == f"Bearer {TOKEN}"
    assert headers["x-github-api-version"] == "2022-11-28"
    assert headers["accept"] == "application/vnd.github+json"
    assert headers["user-agent"].startswith("catalogbot/")


@respx.mock
def test_pagination_follows_link_headers_on_the_same_host(client: GitHubClient) -> None:
    """Pages are followed by rel=next, keeping GitHub Enterprise's path prefix."""
    respx.get(f"{API}/repos/octo/catalog/issues", params={"page": "2"}).respond(json=[{"n": 2}])
    respx.get(f"{API}/repos/octo/catalog/issues").respond(
        json=[{"n": 1}],
        headers={"link": f'<{API}/repos/octo/catalog/issues?page=2>; rel="next"'},
    )
    assert [i["n"] for i in client.paginate(client.repo_path("/issues"))] == [1, 2]


@respx.mock
def test_next_page_on_another_host_is_not_followed(client: GitHubClient) -> None:
    """A Link header pointing elsewhere would carry the token away: refused."""
    respx.get(f"{API}/repos/octo/catalog/issues").respond(
        json=[], headers={"link": '<https://evil.example.net/steal?page=2>; rel="next"'}
    )
    with pytest.raises(GitHubError, match="another host"):
        list(client.paginate(client.repo_path("/issues")))


@respx.mock
def test_secondary_rate_limit_waits_retry_after(client: GitHubClient, slept: list[float]) -> None:
    """403 with retry-after: wait that long, then try again."""
    route = respx.get(f"{API}/repos/octo/catalog").mock(
        side_effect=[
            httpx.Response(
                403,
                json={"message": "You have exceeded a secondary rate limit"},
                headers={"retry-after": "7"},
            ),
            httpx.Response(200, json={"ok": True}),
        ]
    )
    assert client.get(client.repo_path()) == {"ok": True}
    assert slept == [7.0]
    assert route.call_count == 2


@respx.mock
def test_primary_rate_limit_waits_until_reset(client: GitHubClient, slept: list[float]) -> None:
    """x-ratelimit-remaining 0: wait until x-ratelimit-reset."""
    respx.get(f"{API}/repos/octo/catalog").mock(
        side_effect=[
            httpx.Response(
                403,
                json={"message": "API rate limit exceeded"},
                headers={"x-ratelimit-remaining": "0", "x-ratelimit-reset": "1042"},
            ),
            httpx.Response(200, json={}),
        ]
    )
    client.get(client.repo_path())
    assert slept == [42.0]


@respx.mock
def test_rate_limit_far_away_fails_instead_of_waiting(
    client: GitHubClient, slept: list[float]
) -> None:
    """A reset an hour away is not waited for: the action fails with a clear message."""
    respx.get(f"{API}/repos/octo/catalog").respond(
        403,
        json={"message": "API rate limit exceeded"},
        headers={"x-ratelimit-remaining": "0", "x-ratelimit-reset": "4600"},
    )
    with pytest.raises(GitHubError, match="rate limit asks to wait 3600 s"):
        client.get(client.repo_path())
    assert slept == []


@respx.mock
def test_server_errors_are_retried_for_reads(client: GitHubClient, slept: list[float]) -> None:
    """A 502 on a GET is retried with backoff."""
    respx.get(f"{API}/repos/octo/catalog").mock(
        side_effect=[httpx.Response(502), httpx.Response(200, json={"ok": 1})]
    )
    assert client.get(client.repo_path()) == {"ok": 1}
    assert slept == [2.0]


@respx.mock
def test_a_post_is_never_repeated_blindly(client: GitHubClient) -> None:
    """A 502 on a POST is reported to the caller, who checks before trying again."""
    route = respx.post(f"{API}/repos/octo/catalog/issues").respond(502)
    with pytest.raises(GitHubError) as caught:
        client.post(client.repo_path("/issues"), {"title": "x"})
    assert caught.value.status == 502
    assert route.call_count == 1


@respx.mock
def test_writes_are_spaced(client: GitHubClient, slept: list[float]) -> None:
    """Two writes in a row wait the write interval between them."""
    respx.patch(f"{API}/repos/octo/catalog/issues/1").respond(json={})
    client.patch(client.repo_path("/issues/1"), {})
    client.patch(client.repo_path("/issues/1"), {})
    assert slept == [1.0]


@respx.mock
def test_bad_token_fails_fast_without_the_token(client: GitHubClient) -> None:
    """401: GitHubAuthError that says what to check, never what the token is."""
    respx.get(f"{API}/repos/octo/catalog").respond(
        401, json={"message": f"Bad credentials {TOKEN}"}
    )
    with pytest.raises(GitHubAuthError) as caught:
        client.get(client.repo_path())
    assert "GITHUB_TOKEN" in str(caught.value)
    assert TOKEN not in str(caught.value)


@pytest.mark.parametrize(
    ("path", "permission"),
    [
        ("/pulls", "pull-requests: write"),
        ("/issues/3", "issues: write"),
        ("/git/refs", "contents: write"),
    ],
)
@respx.mock
def test_permission_403_names_the_permission(
    client: GitHubClient, path: str, permission: str
) -> None:
    """A 403 that is no rate limit says which workflow permission is missing."""
    respx.post(f"{API}/repos/octo/catalog{path}").respond(
        403, json={"message": "Resource not accessible by integration"}
    )
    with pytest.raises(GitHubAuthError, match=permission):
        client.post(client.repo_path(path), {})


@respx.mock
def test_not_found_is_its_own_error(client: GitHubClient) -> None:
    """404 becomes NotFoundError, for callers that expect absence."""
    respx.get(f"{API}/repos/octo/catalog/git/ref/heads/x").respond(
        404, json={"message": "Not Found"}
    )
    with pytest.raises(NotFoundError):
        client.get(client.repo_path("/git/ref/heads/x"))


@respx.mock
def test_a_post_without_an_answer_is_not_sent_again(client: GitHubClient) -> None:
    """A POST whose answer never came may have worked: it is reported, not repeated."""
    route = respx.post(f"{API}/repos/octo/catalog/issues").mock(
        side_effect=httpx.ReadTimeout("slow")
    )
    with pytest.raises(GitHubError) as caught:
        client.post(client.repo_path("/issues"), {"title": "x"})
    assert caught.value.status == 0
    assert route.call_count == 1


@respx.mock
def test_a_redirect_from_the_api_is_an_error(client: GitHubClient) -> None:
    """A 301 (a renamed repository) is reported, not read as data."""
    respx.get(f"{API}/repos/octo/catalog").respond(
        301, headers={"location": f"{API}/repositories/1"}
    )
    with pytest.raises(GitHubError, match="301"):
        client.get(client.repo_path())
