"""Handlers for pull requests."""

from __future__ import annotations

from typing import Any

from . import render
from .calls import Call, Handler, Reply, paginate
from .errors import custom, invalid, not_served
from .model import Issue
from .ops_issues import check_body_length, check_pull_reopen, check_title
from .state import RepoState


def _head_filter(text: str) -> tuple[str, str] | None:
    """The ``head`` filter as (owner, branch).

    GitHub silently ignores a ``head`` without the ``owner:`` prefix and lists every
    pull request, a classic way for a bot to pick the wrong one; the fake does the same.
    """
    if ":" not in text:
        return None
    owner, branch = text.split(":", 1)
    return owner, branch


def list_pulls(state: RepoState, call: Call) -> Reply:
    """GET /repos/{owner}/{repo}/pulls."""
    query = call.query
    sort = query.get("sort", "created")
    if sort == "long-running":
        raise not_served("sort=long-running on GET /repos/{owner}/{repo}/pulls")
    head = _head_filter(query["head"]) if "head" in query else None
    pulls: list[Issue] = []
    for issue in state.issues.values():
        pull = issue.pull
        if pull is None or query["state"] not in ("all", issue.state):
            continue
        if head is not None and (head[0].lower(), head[1]) != (state.owner.lower(), pull.head_ref):
            continue
        if "base" in query and pull.base_ref != query["base"]:
            continue
        pulls.append(issue)
    keys = {
        "created": lambda i: (i.created_at, i.number),
        "updated": lambda i: (i.updated_at, i.number),
        "popularity": lambda i: (len(i.comments), i.number),
    }
    direction = query.get("direction", "desc" if sort == "created" else "asc")
    pulls.sort(key=keys[sort], reverse=direction == "desc")
    return paginate(state, call, pulls, lambda i: render.pull(state, i, full=False))


def _head_branch(state: RepoState, body: dict[str, Any]) -> str:
    """The head branch named by ``head`` (``branch`` or ``owner:branch``) and ``head_repo``."""
    head = str(body["head"])
    owner, _, branch = head.rpartition(":")
    if owner and owner.lower() != state.owner.lower():
        raise invalid("PullRequest", "head")
    if "head_repo" in body and body["head_repo"].lower() != state.full_name.lower():
        raise invalid("PullRequest", "head_repo")
    if state.git.branch(branch) is None:
        raise invalid("PullRequest", "head")
    return branch


def _check_new_pull(state: RepoState, head: str, base: str) -> None:
    """GitHub refuses a duplicate pull request and one with nothing to merge."""
    for issue in state.open_pulls():
        assert issue.pull is not None
        if (issue.pull.head_ref, issue.pull.base_ref) == (head, base):
            raise custom("PullRequest", f"A pull request already exists for {state.owner}:{head}.")
    head_commit, base_commit = state.git.branch(head), state.git.branch(base)
    assert head_commit is not None
    assert base_commit is not None
    if state.git.is_ancestor(head_commit.sha, base_commit.sha):
        raise custom("PullRequest", f"No commits between {base} and {head}")


def create_pull(state: RepoState, call: Call) -> Reply:
    """POST /repos/{owner}/{repo}/pulls."""
    body = call.body
    if "issue" in body:
        raise not_served("converting an issue to a pull request")
    if "title" not in body:
        raise invalid("PullRequest", "title", "missing_field")
    title = check_title("PullRequest", body["title"])
    check_body_length("PullRequest", body.get("body"))
    base = body["base"]
    if state.git.branch(base) is None:
        raise invalid("PullRequest", "base")
    head = _head_branch(state, body)
    _check_new_pull(state, head, base)
    issue = state.open_pull(
        title, body.get("body"), call.user, head, base, draft=bool(body.get("draft", False))
    )
    assert issue.pull is not None
    issue.pull.maintainer_can_modify = bool(body.get("maintainer_can_modify", False))
    created = render.pull(state, issue, full=True)
    return Reply(201, created, {"location": created["url"]})


def get_pull(state: RepoState, call: Call) -> Reply:
    """GET /repos/{owner}/{repo}/pulls/{pull_number}."""
    issue = state.pull(call.params["pull_number"])
    return Reply(200, render.pull(state, issue, full=True))


def update_pull(state: RepoState, call: Call) -> Reply:
    """PATCH /repos/{owner}/{repo}/pulls/{pull_number}."""
    issue = state.pull(call.params["pull_number"])
    pull = issue.pull
    assert pull is not None
    body = call.body
    title = check_title("PullRequest", body["title"]) if "title" in body else issue.title
    check_body_length("PullRequest", body.get("body"))
    base = body.get("base", pull.base_ref)
    if state.git.branch(base) is None or base == pull.head_ref:
        raise invalid("PullRequest", "base")
    wanted = body.get("state", issue.state)
    if wanted == "open" and issue.state == "closed":
        check_pull_reopen(state, issue)
    before = render.pull(state, issue, full=True)
    issue.title = title
    if "body" in body:
        issue.body = body["body"]
    pull.base_ref = base
    pull.maintainer_can_modify = bool(body.get("maintainer_can_modify", pull.maintainer_can_modify))
    if wanted != issue.state:
        if wanted == "closed":
            state.close(issue, call.user, reason=None)
        else:
            state.reopen(issue)
    elif render.pull(state, issue, full=True) != before:
        state.touch(issue)
    return Reply(200, render.pull(state, issue, full=True))


HANDLERS: dict[str, Handler] = {
    "pulls/list": list_pulls,
    "pulls/create": create_pull,
    "pulls/get": get_pull,
    "pulls/update": update_pull,
}
