"""The fake GitHub refuses what GitHub's description refuses, and keeps state like GitHub.

Every test talks to the fake over real HTTP with httpx, as the bot will.
"""

from __future__ import annotations

import base64
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from fakegithub import FakeGitHub, Fault, fixture
from fakegithub.gitmodel import blob_sha

fake_github = fixture.fake_github

REPO = "/repos/octo/catalog"


@pytest.fixture
def gh(fake_github: FakeGitHub) -> Iterator[httpx.Client]:
    """An httpx client authenticated as the bot, with the headers a careful client sends."""
    headers = {
        "Authorization": f"Bearer {fake_github.token}",
        "Accept": "application/vnd.github+json",
        "X-GitHub-Api-Version": "2022-11-28",
    }
    with httpx.Client(base_url=fake_github.url, headers=headers, timeout=5) as client:
        yield client


def new_issue(gh: httpx.Client, title: str = "Broken link", **fields: Any) -> dict[str, Any]:
    """Create an issue through the API and return it."""
    response = gh.post(f"{REPO}/issues", json={"title": title, **fields})
    assert response.status_code == 201, response.text
    data: dict[str, Any] = response.json()
    return data


def b64(text: str) -> str:
    """Text as the base64 the contents API takes."""
    return base64.b64encode(text.encode()).decode()


def links(response: httpx.Response) -> dict[str, str]:
    """The ``Link`` header as rel -> URL."""
    return {str(rel): str(link["url"]) for rel, link in response.links.items()}


# -- what GitHub's description refuses ----------------------------------------------------


def test_unknown_route_is_404_and_recorded(fake_github: FakeGitHub, gh: httpx.Client) -> None:
    """A path GitHub does not have answers 404 Not Found and is recorded as a rejection."""
    fake_github.expect_rejections()
    response = gh.get(f"{REPO}/isues")
    assert response.status_code == 404
    assert response.json()["message"] == "Not Found"
    assert [r.kind for r in fake_github.rejections] == ["unknown_route"]


def test_trailing_slash_is_an_unknown_route(fake_github: FakeGitHub, gh: httpx.Client) -> None:
    """A trailing slash is a different path on GitHub, so it is a 404 here too."""
    fake_github.expect_rejections()
    assert gh.get(f"{REPO}/issues/").status_code == 404
    assert fake_github.rejections[0].kind == "unknown_route"


def test_unknown_method_is_404(fake_github: FakeGitHub, gh: httpx.Client) -> None:
    """A method GitHub lacks on a real path is a 404 (GitHub never answers 405)."""
    fake_github.expect_rejections()
    assert gh.delete(f"{REPO}/issues").status_code == 404
    assert fake_github.rejections[0].kind == "unknown_method"


def test_route_the_fake_does_not_serve_is_501(fake_github: FakeGitHub, gh: httpx.Client) -> None:
    """A real GitHub route the fake lacks says so (501) instead of posing as a client bug."""
    fake_github.expect_rejections()
    response = gh.get(f"{REPO}/branches")
    assert response.status_code == 501
    assert fake_github.rejections[0].kind == "not_served"


@pytest.mark.parametrize(
    "media_type", ["application/vnd.github.raw+json", "application/vnd.github.v3.diff"]
)
def test_custom_media_type_is_501(
    fake_github: FakeGitHub, gh: httpx.Client, media_type: str
) -> None:
    """A raw/diff media type would change GitHub's answer, so the fake refuses to pretend."""
    fake_github.expect_rejections()
    response = gh.get(f"{REPO}/contents/README.md", headers={"Accept": media_type})
    assert response.status_code == 501
    assert fake_github.rejections[0].kind == "not_served"


def test_another_repository_is_404(fake_github: FakeGitHub, gh: httpx.Client) -> None:
    """Requests about any repository but octo/catalog are 404s and rejections."""
    fake_github.expect_rejections()
    assert gh.get("/repos/octo/other/issues").status_code == 404
    assert fake_github.rejections[0].kind == "unknown_repo"


def test_unknown_body_field_is_refused(fake_github: FakeGitHub, gh: httpx.Client) -> None:
    """A misspelt body field (GitHub would silently drop it) is a 422 and creates nothing."""
    fake_github.expect_rejections()
    response = gh.post(f"{REPO}/issues", json={"title": "t", "lables": ["bug"]})
    assert response.status_code == 422
    assert response.json()["message"] == "Validation Failed"
    assert response.json()["errors"][0]["field"] == "lables"
    assert fake_github.issues() == []
    assert fake_github.rejections[0].kind == "body"


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/issues", {"title": ["a list"]}),
        ("/issues", {"title": True}),
        ("/issues", {"title": "t", "labels": "bug"}),
        ("/labels", {"name": 7}),
        ("/pulls", {"title": "t", "head": "x", "base": "main", "draft": "yes"}),
    ],
)
def test_wrong_type_is_refused(
    fake_github: FakeGitHub, gh: httpx.Client, path: str, body: dict[str, Any]
) -> None:
    """A field of the wrong JSON type is a 422 Validation Failed."""
    fake_github.expect_rejections()
    response = gh.post(f"{REPO}{path}", json=body)
    assert response.status_code == 422, response.text
    assert fake_github.rejections[0].kind == "body"


def test_missing_required_field_is_refused(fake_github: FakeGitHub, gh: httpx.Client) -> None:
    """A body without a required field is a 422 naming the field as missing_field."""
    fake_github.expect_rejections()
    response = gh.post(f"{REPO}/issues", json={"body": "no title"})
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "resource": "Issue",
            "field": "title",
            "code": "missing_field",
            "message": "title is required",
        }
    ]


def test_missing_required_body_is_refused(fake_github: FakeGitHub, gh: httpx.Client) -> None:
    """An operation whose body is required refuses an empty request."""
    fake_github.expect_rejections()
    assert gh.post(f"{REPO}/labels").status_code == 422
    assert fake_github.rejections[0].kind == "body"


def test_bad_enum_in_body_is_refused(fake_github: FakeGitHub, gh: httpx.Client) -> None:
    """A value outside a body field's enum is a 422, and the issue is untouched."""
    fake_github.expect_rejections()
    number = new_issue(gh)["number"]
    response = gh.patch(f"{REPO}/issues/{number}", json={"state": "done"})
    assert response.status_code == 422
    assert fake_github.issue(number)["state"] == "open"


@pytest.mark.parametrize(
    "query",
    [{"state": "opened"}, {"per_page": "ten"}, {"per-page": "10"}, {"sort": "title"}],
)
def test_bad_query_parameter_is_refused(
    fake_github: FakeGitHub, gh: httpx.Client, query: dict[str, str]
) -> None:
    """A bad enum, a wrong type or an unknown name in the query string is a 422."""
    fake_github.expect_rejections()
    assert gh.get(f"{REPO}/issues", params=query).status_code == 422
    assert fake_github.rejections[0].kind == "query_param"


def test_repeated_query_parameter_is_refused(fake_github: FakeGitHub, gh: httpx.Client) -> None:
    """A parameter given twice is refused rather than guessed at."""
    fake_github.expect_rejections()
    assert gh.get(f"{REPO}/issues?state=open&state=closed").status_code == 422


def test_path_parameter_of_wrong_type_is_404(fake_github: FakeGitHub, gh: httpx.Client) -> None:
    """A non-integer issue number is a 404, as GitHub answers it."""
    fake_github.expect_rejections()
    assert gh.get(f"{REPO}/issues/first").status_code == 404
    assert fake_github.rejections[0].kind == "path_param"


def test_body_that_is_not_json_is_400(fake_github: FakeGitHub, gh: httpx.Client) -> None:
    """A body that does not parse is GitHub's 400 Problems parsing JSON."""
    fake_github.expect_rejections()
    response = gh.post(f"{REPO}/issues", content=b"{title: 1}")
    assert response.status_code == 400
    assert response.json()["message"] == "Problems parsing JSON"


def test_add_labels_takes_an_object_not_a_bare_array(
    fake_github: FakeGitHub, gh: httpx.Client
) -> None:
    """The description only allows {"labels": [...]}, though GitHub's prose mentions arrays."""
    fake_github.expect_rejections()
    number = new_issue(gh)["number"]
    assert gh.post(f"{REPO}/issues/{number}/labels", json=["bug"]).status_code == 422
    response = gh.post(f"{REPO}/issues/{number}/labels", json={"labels": ["bug"]})
    assert response.status_code == 200
    assert [x["name"] for x in response.json()] == ["bug"]


def test_nullable_fields_accept_null(fake_github: FakeGitHub, gh: httpx.Client) -> None:
    """Fields the description marks nullable accept JSON null (the body is then cleared)."""
    number = new_issue(gh, body="text")["number"]
    response = gh.patch(
        f"{REPO}/issues/{number}", json={"body": None, "milestone": None, "state_reason": None}
    )
    assert response.status_code == 200, response.text
    assert response.json()["body"] is None


def test_bad_token_is_401(fake_github: FakeGitHub, gh: httpx.Client) -> None:
    """A wrong token is 401 Bad credentials; no token is 401 Requires authentication."""
    fake_github.expect_rejections()
    wrong = gh.get(REPO, headers={"Authorization": "Bearer nope"})
    assert (wrong.status_code, wrong.json()["message"]) == (401, "Bad credentials")
    missing = httpx.get(f"{fake_github.url}{REPO}")
    assert (missing.status_code, missing.json()["message"]) == (401, "Requires authentication")
    assert [r.kind for r in fake_github.rejections] == ["auth", "auth"]


def test_token_scheme_is_also_accepted(fake_github: FakeGitHub, gh: httpx.Client) -> None:
    """``Authorization: token ...`` works as well as ``Bearer``."""
    response = gh.get(REPO, headers={"Authorization": f"token {fake_github.token}"})
    assert response.status_code == 200


def test_unsupported_api_version_is_400(fake_github: FakeGitHub, gh: httpx.Client) -> None:
    """Only X-GitHub-Api-Version 2022-11-28 is accepted, as GitHub answers other versions."""
    fake_github.expect_rejections()
    response = gh.get(REPO, headers={"X-GitHub-Api-Version": "2021-01-01"})
    assert response.status_code == 400
    assert "is not a supported version" in response.json()["message"]
    assert fake_github.rejections[0].kind == "api_version"


def test_rejections_fail_the_test_at_teardown(fake_github: FakeGitHub, gh: httpx.Client) -> None:
    """A rejected request fails the fixture's teardown check even if the client ignored it."""
    gh.get(f"{REPO}/nowhere")
    with pytest.raises(pytest.fail.Exception, match="nowhere"):
        fixture.check_rejections(fake_github)
    fake_github.rejections.clear()


# -- state and realistic answers -----------------------------------------------------------


def test_repository_and_headers(fake_github: FakeGitHub, gh: httpx.Client) -> None:
    """GET /repos/{owner}/{repo} gives the default branch, with GitHub's headers."""
    response = gh.get(REPO)
    data = response.json()
    assert (data["full_name"], data["default_branch"]) == ("octo/catalog", "main")
    assert data["html_url"] == "https://github.com/octo/catalog"
    assert response.headers["content-type"].startswith("application/json")
    assert response.headers["x-ratelimit-limit"] == "5000"
    assert int(response.headers["x-ratelimit-remaining"]) == 4999
    assert int(response.headers["x-ratelimit-reset"]) > time.time()
    assert response.headers["x-ratelimit-used"] == "1"
    assert response.headers["x-github-request-id"]


def test_issue_create_list_update_with_pagination(
    fake_github: FakeGitHub, gh: httpx.Client
) -> None:
    """Issues created, then listed page by page by following Link headers, then updated."""
    created = [new_issue(gh, f"issue {n}", labels=["catalog"]) for n in range(1, 6)]
    first = created[0]
    assert first["user"]["login"] == fake_github.bot.login
    assert first["labels"][0]["name"] == "catalog"
    assert "pull_request" not in first
    assert first["html_url"] == "https://github.com/octo/catalog/issues/1"

    page = gh.get(f"{REPO}/issues", params={"per_page": 2, "direction": "asc"})
    assert set(links(page)) == {"next", "last"}
    assert "page=3" in links(page)["last"]
    seen = [i["number"] for i in page.json()]
    while "next" in links(page):
        page = gh.get(links(page)["next"])
        seen += [i["number"] for i in page.json()]
    assert seen == [1, 2, 3, 4, 5]
    assert set(links(page)) == {"prev", "first"}

    closed = gh.patch(f"{REPO}/issues/2", json={"state": "closed", "state_reason": "not_planned"})
    assert closed.json()["state_reason"] == "not_planned"
    assert closed.json()["closed_at"] is not None
    open_now = gh.get(f"{REPO}/issues", params={"labels": "catalog"}).json()
    assert [i["number"] for i in open_now] == [5, 4, 3, 1]
    relabelled = gh.patch(f"{REPO}/issues/1", json={"labels": ["bug"], "title": "renamed"})
    assert [x["name"] for x in relabelled.json()["labels"]] == ["bug"]
    assert relabelled.json()["updated_at"] > first["updated_at"]


def test_reopening_sets_state_reason_reopened(gh: httpx.Client) -> None:
    """Closing defaults the reason to completed; reopening sets it to reopened."""
    number = new_issue(gh)["number"]
    closed = gh.patch(f"{REPO}/issues/{number}", json={"state": "closed"}).json()
    assert closed["state_reason"] == "completed"
    reopened = gh.patch(f"{REPO}/issues/{number}", json={"state": "open"}).json()
    assert (reopened["state"], reopened["state_reason"]) == ("open", "reopened")


def test_missing_issue_is_404_but_not_a_rejection(
    fake_github: FakeGitHub, gh: httpx.Client
) -> None:
    """A valid request for a missing resource is an ordinary 404, not a client bug."""
    assert gh.get(f"{REPO}/issues/99").status_code == 404
    assert fake_github.rejections == []


def test_comments_are_listed_oldest_first_with_pagination(gh: httpx.Client) -> None:
    """Comments come back oldest first, paginated, and count on the issue."""
    number = new_issue(gh)["number"]
    for n in range(3):
        posted = gh.post(f"{REPO}/issues/{number}/comments", json={"body": f"c{n}"})
        assert posted.status_code == 201
    page = gh.get(f"{REPO}/issues/{number}/comments", params={"per_page": 2})
    assert [c["body"] for c in page.json()] == ["c0", "c1"]
    assert [c["body"] for c in gh.get(links(page)["next"]).json()] == ["c2"]
    assert gh.get(f"{REPO}/issues/{number}").json()["comments"] == 3


def test_labels_created_listed_and_duplicates_refused(gh: httpx.Client) -> None:
    """Labels start as GitHub's defaults; a duplicate name is 422 already_exists."""
    made = gh.post(f"{REPO}/labels", json={"name": "link-rot", "color": "b60205"})
    assert made.status_code == 201
    again = gh.post(f"{REPO}/labels", json={"name": "Link-Rot"})
    assert again.json()["errors"][0]["code"] == "already_exists"
    page = gh.get(f"{REPO}/labels", params={"per_page": 5})
    assert links(page)["last"].endswith("page=2")
    names = [x["name"] for x in page.json() + gh.get(links(page)["next"]).json()]
    assert "link-rot" in names
    assert "bug" in names
    assert len(names) == 10


def test_files_branches_and_commits(fake_github: FakeGitHub, gh: httpx.Client) -> None:
    """A branch made by ref, a file updated on it, and the history shows who wrote what."""
    main = gh.get(f"{REPO}/git/ref/heads/main").json()["object"]["sha"]
    made = gh.post(f"{REPO}/git/refs", json={"ref": "refs/heads/fix", "sha": main})
    assert made.status_code == 201
    current = gh.get(f"{REPO}/contents/catalog.yaml", params={"ref": "fix"}).json()
    text = base64.b64decode(current["content"]).decode()
    assert current["sha"] == blob_sha(text.encode())
    update = {
        "message": "Fix link",
        "content": b64(text + "# fixed\n"),
        "sha": current["sha"],
        "branch": "fix",
    }
    put = gh.put(f"{REPO}/contents/catalog.yaml", json=update)
    assert put.status_code == 200, put.text
    assert fake_github.read_file("catalog.yaml", "fix") == (text + "# fixed\n").encode()
    assert fake_github.read_file("catalog.yaml") == text.encode()

    fake_github.push_commit("fix", {"notes.md": "human edit"}, by="alice")
    history = gh.get(f"{REPO}/commits", params={"sha": "fix"}).json()
    assert [c["commit"]["message"] for c in history[:2]] == ["Edit by a maintainer", "Fix link"]
    assert history[0]["author"]["login"] == "alice"
    assert history[1]["author"]["login"] == fake_github.bot.login
    assert history[2]["sha"] == main


def test_stale_or_missing_file_sha_is_refused(fake_github: FakeGitHub, gh: httpx.Client) -> None:
    """Updating a file needs its current sha: none is 422, a stale one is 409."""
    body = {"message": "m", "content": b64("x")}
    assert gh.put(f"{REPO}/contents/README.md", json=body).status_code == 422
    stale = gh.put(f"{REPO}/contents/README.md", json=body | {"sha": blob_sha(b"old")})
    assert stale.status_code == 409
    assert len(fake_github.commits()) == 1
    created = gh.put(f"{REPO}/contents/new.md", json=body)
    assert created.status_code == 201


def test_refs_fast_forward_and_delete(fake_github: FakeGitHub, gh: httpx.Client) -> None:
    """Moving a ref backwards needs force; deleting it removes the branch."""
    old = fake_github.branch_sha("main")
    assert old is not None
    fake_github.create_branch("work")
    new = fake_github.push_commit("work", {"a.txt": "1"})
    assert gh.patch(f"{REPO}/git/refs/heads/main", json={"sha": new}).status_code == 200
    backwards = gh.patch(f"{REPO}/git/refs/heads/main", json={"sha": old})
    assert backwards.json()["message"] == "Update is not a fast forward"
    forced = gh.patch(f"{REPO}/git/refs/heads/main", json={"sha": old, "force": True})
    assert forced.status_code == 200
    assert gh.delete(f"{REPO}/git/refs/heads/work").status_code == 204
    assert gh.get(f"{REPO}/git/ref/heads/work").status_code == 404


def open_fix_pr(fake_github: FakeGitHub, gh: httpx.Client, **fields: Any) -> dict[str, Any]:
    """Put a commit on branch ``fix`` and open a pull request from it."""
    fake_github.create_branch("fix")
    fake_github.push_commit("fix", {"catalog.yaml": "version: 1\n"}, by=fake_github.bot.login)
    body = {"title": "Fix links", "head": "fix", "base": "main", **fields}
    response = gh.post(f"{REPO}/pulls", json=body)
    assert response.status_code == 201, response.text
    data: dict[str, Any] = response.json()
    return data


def test_pull_request_flow(fake_github: FakeGitHub, gh: httpx.Client) -> None:
    """A pull request is opened, found by head, refused twice, updated and closed."""
    issue = new_issue(gh)
    pr = open_fix_pr(fake_github, gh, body=f"Fixes #{issue['number']}")
    assert (pr["number"], pr["head"]["label"], pr["merged"]) == (2, "octo:fix", False)
    found = gh.get(f"{REPO}/pulls", params={"head": "octo:fix", "base": "main"}).json()
    assert [p["number"] for p in found] == [2]
    assert "merged" not in found[0]
    again = gh.post(f"{REPO}/pulls", json={"title": "t", "head": "fix", "base": "main"})
    assert "already exists" in again.json()["errors"][0]["message"]
    listed = gh.get(f"{REPO}/issues").json()
    assert [i["number"] for i in listed] == [2, 1]
    assert "pull_request" in listed[0]
    updated = gh.patch(f"{REPO}/pulls/2", json={"title": "Fix 3 links", "state": "closed"})
    assert (updated.json()["title"], updated.json()["state"]) == ("Fix 3 links", "closed")
    assert gh.get(f"{REPO}/pulls", params={"head": "octo:fix"}).json() == []


def test_pull_request_head_without_owner_is_ignored(
    fake_github: FakeGitHub, gh: httpx.Client
) -> None:
    """As on GitHub, head=BRANCH without owner: filters nothing, so a bot must not rely on it."""
    open_fix_pr(fake_github, gh)
    fake_github.create_branch("other")
    fake_github.push_commit("other", {"b.txt": "b"})
    gh.post(f"{REPO}/pulls", json={"title": "Other", "head": "other", "base": "main"})
    everything = gh.get(f"{REPO}/pulls", params={"head": "fix"}).json()
    assert len(everything) == 2


def test_pull_request_without_commits_is_refused(fake_github: FakeGitHub, gh: httpx.Client) -> None:
    """A pull request from a branch with nothing new is GitHub's 422 No commits between."""
    fake_github.create_branch("empty")
    response = gh.post(f"{REPO}/pulls", json={"title": "t", "head": "empty", "base": "main"})
    assert response.json()["errors"][0]["message"] == "No commits between main and empty"


def test_maintainer_merge_closes_fixed_issue(fake_github: FakeGitHub, gh: httpx.Client) -> None:
    """A maintainer's merge updates main, marks the PR merged and closes the issue it fixes."""
    issue = new_issue(gh)
    pr = open_fix_pr(fake_github, gh, body=f"Fixes #{issue['number']}")
    sha = fake_github.merge_pull(pr["number"], delete_branch=True)
    merged = gh.get(f"{REPO}/pulls/{pr['number']}").json()
    assert (merged["merged"], merged["merge_commit_sha"]) == (True, sha)
    assert merged["merged_by"]["login"] == "octo-maintainer"
    assert fake_github.read_file("catalog.yaml") == b"version: 1\n"
    assert gh.get(f"{REPO}/issues/{issue['number']}").json()["state"] == "closed"
    assert "fix" not in fake_github.branches()


def test_maintainer_closes_issue_as_not_planned(fake_github: FakeGitHub, gh: httpx.Client) -> None:
    """A maintainer closing an issue between runs shows up through the API like GitHub's."""
    number = new_issue(gh)["number"]
    fake_github.advance_clock(86400)
    fake_github.close_issue(number, reason="not_planned")
    data = gh.get(f"{REPO}/issues/{number}").json()
    assert (data["state"], data["state_reason"]) == ("closed", "not_planned")
    assert data["closed_by"]["login"] == "octo-maintainer"
    assert data["updated_at"] > data["created_at"]


def test_maintainer_closes_pull_request(fake_github: FakeGitHub, gh: httpx.Client) -> None:
    """A maintainer closing a bot's pull request leaves it closed and unmerged."""
    number = open_fix_pr(fake_github, gh)["number"]
    fake_github.close_pull(number)
    data = gh.get(f"{REPO}/pulls/{number}").json()
    assert (data["state"], data["merged"]) == ("closed", False)


@pytest.mark.parametrize(
    "fake_github_files", [{"catalog.yaml": "version: 1\nresources: []\n", "docs/a.md": "a"}]
)
def test_seed_files_can_be_chosen(
    fake_github: FakeGitHub, gh: httpx.Client, fake_github_files: dict[str, str]
) -> None:
    """Parametrizing fake_github_files seeds main with exactly those files."""
    assert set(fake_github.files()) == {"catalog.yaml", "docs/a.md"}
    listing = gh.get(f"{REPO}/contents/docs").json()
    assert [(e["type"], e["path"]) for e in listing] == [("file", "docs/a.md")]


def test_request_log_records_everything(fake_github: FakeGitHub, gh: httpx.Client) -> None:
    """Each request is logged with method, path, query, headers, JSON body and status."""
    new_issue(gh, "logged")
    gh.get(f"{REPO}/issues", params={"state": "all"})
    post, listing = fake_github.requests
    assert (post.method, post.path, post.json, post.status) == (
        "POST",
        f"{REPO}/issues",
        {"title": "logged"},
        201,
    )
    assert post.headers["x-github-api-version"] == "2022-11-28"
    assert listing.query == {"state": "all"}
    assert fake_github.requests_to("GET", "/repos/{owner}/{repo}/issues") == [listing]


# -- fault injection -----------------------------------------------------------------------


FAULT_STATUS = {
    Fault.BAD_GATEWAY: 502,
    Fault.SECONDARY_RATE_LIMIT: 403,
    Fault.PRIMARY_RATE_LIMIT: 403,
    Fault.FORBIDDEN: 403,
    Fault.TOO_MANY_REQUESTS: 429,
    Fault.NOT_FOUND: 404,
}


@pytest.mark.parametrize("fault", list(Fault))
def test_injected_fault_answers_like_github_and_changes_nothing(
    fake_github: FakeGitHub, gh: httpx.Client, fault: Fault
) -> None:
    """Each injected fault has GitHub's status and headers, changes no state, then stops."""
    injection = fake_github.fail_next("POST", f"{REPO}/issues", fault, retry_after=7)
    failed = gh.post(f"{REPO}/issues", json={"title": "t"})
    assert failed.status_code == FAULT_STATUS[fault]
    assert fake_github.issues() == []
    assert injection.remaining == 0
    assert fake_github.requests[-1].fault is fault
    succeeded = gh.post(f"{REPO}/issues", json={"title": "t"})
    assert (succeeded.status_code, succeeded.json()["number"]) == (201, 1)
    assert_fault_details(failed, fault)


def assert_fault_details(response: httpx.Response, fault: Fault) -> None:
    """The headers and message a client uses to tell the faults apart."""
    message = response.json()["message"]
    if fault in (Fault.SECONDARY_RATE_LIMIT, Fault.TOO_MANY_REQUESTS):
        assert response.headers["retry-after"] == "7"
        assert message.startswith("You have exceeded a secondary rate limit")
    elif fault is Fault.PRIMARY_RATE_LIMIT:
        assert response.headers["x-ratelimit-remaining"] == "0"
        assert int(response.headers["x-ratelimit-reset"]) > time.time()
    elif fault is Fault.FORBIDDEN:
        assert message == "Resource not accessible by integration"
        assert response.headers["x-accepted-github-permissions"] == "issues=write"
    elif fault is Fault.NOT_FOUND:
        assert message == "Not Found"


def test_injection_matches_templates_and_counts(fake_github: FakeGitHub, gh: httpx.Client) -> None:
    """An injection by OpenAPI template fails exactly N matching requests and no others."""
    number = new_issue(gh)["number"]
    fake_github.fail_next("PATCH", "/repos/{owner}/{repo}/issues/{issue_number}", times=2)
    assert gh.get(f"{REPO}/issues/{number}").status_code == 200
    statuses = [
        gh.patch(f"{REPO}/issues/{number}", json={"state": "closed"}).status_code for _ in range(3)
    ]
    assert statuses == [502, 502, 200]


def test_rejected_request_does_not_use_up_an_injection(
    fake_github: FakeGitHub, gh: httpx.Client
) -> None:
    """Validation comes first: an invalid request is rejected and the injection waits."""
    fake_github.expect_rejections()
    injection = fake_github.fail_next("POST", f"{REPO}/issues")
    assert gh.post(f"{REPO}/issues", json={"nope": 1}).status_code == 422
    assert injection.remaining == 1


def test_spent_rate_limit_answers_403(fake_github: FakeGitHub, gh: httpx.Client) -> None:
    """When the hourly budget is spent, every request is a primary rate-limit 403."""
    fake_github.rate_limit.used = fake_github.rate_limit.limit
    response = gh.get(REPO)
    assert response.status_code == 403
    assert response.headers["x-ratelimit-remaining"] == "0"
