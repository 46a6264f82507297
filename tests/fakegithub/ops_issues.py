"""Handlers for the repository, issues, comments and labels operations."""

from __future__ import annotations

import re
from typing import Any

from . import render
from .calls import Call, Handler, Reply, paginate, since
from .errors import ApiError, custom, invalid, not_served
from .model import Issue, Label, User
from .state import RepoState

MAX_BODY = 65536
CLOSE_REASONS = ("completed", "not_planned", "duplicate")


# -- shared checks (none of these change state) ----------------------------------------


def check_body_length(resource: str, text: str | None) -> None:
    """Refuse a body longer than GitHub stores, with GitHub's message."""
    if text is not None and len(text) > MAX_BODY:
        error = {
            "resource": resource,
            "code": "custom",
            "field": "body",
            "message": f"body is too long (maximum is {MAX_BODY} characters)",
        }
        raise ApiError(422, "Validation Failed", errors=[error])


def check_title(resource: str, title: Any) -> str:
    """A title as text (GitHub accepts an integer); a blank one is refused."""
    text = str(title)
    if not text.strip():
        raise invalid(resource, "title", "missing_field")
    return text


def label_names(state: RepoState, items: list[Any], resource: str = "Label") -> list[str]:
    """Label names from strings or ``{"name": ...}``/``{"id": ...}`` objects."""
    by_id = {label.id: label.name for label in state.labels.values()}
    names: list[str] = []
    for item in items:
        if isinstance(item, str):
            name = item
        elif "name" in item:
            name = item["name"]
        elif item.get("id") in by_id:
            name = by_id[item["id"]]
        else:
            raise invalid(resource, "labels", value=item)
        if not name.strip():
            raise invalid(resource, "labels", value=name)
        names.append(name)
    return names


def assignees(state: RepoState, items: list[Any]) -> list[User]:
    """Accounts to assign; GitHub refuses logins it cannot assign."""
    found: list[User] = []
    for item in items:
        login = item if isinstance(item, str) else item.get("login", "")
        user = state.known_user(login)
        if user is None:
            raise invalid("Issue", "assignees", value=login)
        if user not in found:
            found.append(user)
    return found


def _assignee_logins(body: dict[str, Any]) -> list[Any]:
    """``assignees`` plus the older single ``assignee`` field."""
    single = body.get("assignee")
    return [*body.get("assignees", []), *([single] if single else [])]


def check_milestone(body: dict[str, Any]) -> None:
    """The fake has no milestones, so naming one is naming one that does not exist."""
    if body.get("milestone") is not None:
        raise invalid("Issue", "milestone", value=body["milestone"])


# -- repository ------------------------------------------------------------------------


def get_repo(state: RepoState, call: Call) -> Reply:
    """GET /repos/{owner}/{repo}."""
    return Reply(200, render.repository(state))


# -- issues ----------------------------------------------------------------------------


def _issue_filter(state: RepoState, call: Call) -> list[Issue]:
    """The issues (and pull requests) the list query selects."""
    query = call.query
    for name in ("milestone", "type", "mentioned", "issue_field_values"):
        if name in query:
            raise not_served(f"the {name!r} filter of GET /repos/{{owner}}/{{repo}}/issues")
    wanted = {n.strip().lower() for n in str(query.get("labels", "")).split(",") if n.strip()}
    after = since(call)
    out = []
    for issue in state.issues.values():
        if query["state"] != "all" and issue.state != query["state"]:
            continue
        if not wanted <= {label.name.lower() for label in issue.labels}:
            continue
        if "creator" in query and issue.user.login.lower() != query["creator"].lower():
            continue
        if "assignee" in query and not _assigned(issue, query["assignee"]):
            continue
        if after is not None and issue.updated_at < after:
            continue
        out.append(issue)
    return out


def _assigned(issue: Issue, who: str) -> bool:
    """The ``assignee`` filter: a login, ``none`` or ``*``."""
    logins = {a.login.lower() for a in issue.assignees}
    if who == "none":
        return not logins
    if who == "*":
        return bool(logins)
    return who.lower() in logins


def list_issues(state: RepoState, call: Call) -> Reply:
    """GET /repos/{owner}/{repo}/issues: issues and pull requests, filtered and sorted."""
    issues = _issue_filter(state, call)
    sort = call.query["sort"]
    keys = {
        "created": lambda i: (i.created_at, i.number),
        "updated": lambda i: (i.updated_at, i.number),
        "comments": lambda i: (len(i.comments), i.number),
    }
    issues.sort(key=keys[sort], reverse=call.query["direction"] == "desc")
    return paginate(state, call, issues, lambda i: render.issue(state, i))


def create_issue(state: RepoState, call: Call) -> Reply:
    """POST /repos/{owner}/{repo}/issues."""
    body = call.body
    title = check_title("Issue", body["title"])
    check_body_length("Issue", body.get("body"))
    check_milestone(body)
    people = assignees(state, _assignee_logins(body))
    names = label_names(state, body.get("labels", []))
    issue = state.open_issue(title, body.get("body"), call.user, labels=names, assignees=people)
    created = render.issue(state, issue)
    return Reply(201, created, {"location": created["url"]})


def get_issue(state: RepoState, call: Call) -> Reply:
    """GET /repos/{owner}/{repo}/issues/{issue_number}."""
    return Reply(200, render.issue(state, state.issue(call.params["issue_number"])))


def _check_state_change(state: RepoState, issue: Issue, body: dict[str, Any]) -> str | None:
    """The state an update moves ``issue`` to, if it changes; refuses impossible moves."""
    wanted = body.get("state")
    if wanted is None or wanted == issue.state:
        return None  # GitHub ignores state_reason unless the state changes
    reason = body.get("state_reason")
    if wanted == "closed" and reason not in (None, *CLOSE_REASONS):
        raise invalid("Issue", "state_reason", value=reason)
    if reason == "duplicate" and "duplicate_issue_id" in body:
        ids = {i.id for i in state.issues.values()}
        if body["duplicate_issue_id"] not in ids:
            raise invalid("Issue", "duplicate_issue_id", value=body["duplicate_issue_id"])
    if wanted == "open" and issue.pull is not None:
        check_pull_reopen(state, issue)
    return str(wanted)


def check_pull_reopen(state: RepoState, issue: Issue) -> None:
    """GitHub cannot reopen a merged pull request or one whose branches are gone."""
    assert issue.pull is not None
    if issue.pull.merged_at is not None:
        raise custom("PullRequest", "Cannot reopen a merged pull request")
    for branch in (issue.pull.head_ref, issue.pull.base_ref):
        if state.git.branch(branch) is None:
            raise custom("PullRequest", f"Cannot reopen: branch {branch} was deleted")


def apply_state(state: RepoState, issue: Issue, wanted: str, by: User, reason: Any) -> None:
    """Close or reopen ``issue`` (already checked)."""
    if wanted == "closed":
        state.close(issue, by, reason=reason or "completed")
    else:
        state.reopen(issue)


def update_issue(state: RepoState, call: Call) -> Reply:
    """PATCH /repos/{owner}/{repo}/issues/{issue_number}."""
    issue = state.issue(call.params["issue_number"])
    body = call.body
    title = issue.title
    if body.get("title") is not None:
        title = check_title("Issue", body["title"])
    check_body_length("Issue", body.get("body"))
    check_milestone(body)
    names = label_names(state, body["labels"]) if "labels" in body else None
    people: list[User] = []
    if "assignees" in body or "assignee" in body:
        people = assignees(state, _assignee_logins(body))
    wanted = _check_state_change(state, issue, body)
    before = render.issue(state, issue)
    issue.title = title
    if "body" in body:
        issue.body = body["body"]
    if names is not None:
        issue.labels = state.ensure_labels(names)
    if "assignees" in body or "assignee" in body:
        issue.assignees = people
    if wanted is not None:
        apply_state(state, issue, wanted, call.user, body.get("state_reason"))
    elif render.issue(state, issue) != before:
        state.touch(issue)
    return Reply(200, render.issue(state, issue))


# -- comments --------------------------------------------------------------------------


def list_comments(state: RepoState, call: Call) -> Reply:
    """GET /repos/{owner}/{repo}/issues/{issue_number}/comments, oldest first."""
    issue = state.issue(call.params["issue_number"])
    after = since(call)
    comments = [c for c in issue.comments if after is None or c.updated_at >= after]
    return paginate(state, call, comments, lambda c: render.comment(state, issue, c))


def create_comment(state: RepoState, call: Call) -> Reply:
    """POST /repos/{owner}/{repo}/issues/{issue_number}/comments."""
    issue = state.issue(call.params["issue_number"])
    text = call.body["body"]
    if not text.strip():
        raise invalid("IssueComment", "body", "missing_field")
    check_body_length("IssueComment", text)
    comment = state.add_comment(issue, text, call.user)
    created = render.comment(state, issue, comment)
    return Reply(201, created, {"location": created["url"]})


# -- labels ----------------------------------------------------------------------------


def list_labels(state: RepoState, call: Call) -> Reply:
    """GET /repos/{owner}/{repo}/labels, by name."""
    labels = sorted(state.labels.values(), key=lambda x: x.name.lower())
    return paginate(state, call, labels, lambda x: render.label(state, x))


def create_label(state: RepoState, call: Call) -> Reply:
    """POST /repos/{owner}/{repo}/labels."""
    body = call.body
    name = body["name"]
    if not name.strip():
        raise invalid("Label", "name", "missing_field")
    if name.lower() in state.labels:
        raise invalid("Label", "name", "already_exists")
    color = body.get("color", "ededed")
    if not re.fullmatch(r"[0-9a-fA-F]{6}", color):
        raise invalid("Label", "color")
    description = body.get("description")
    if description is not None and len(description) > 100:
        raise invalid("Label", "description")
    label = state.add_label(name, color.lower(), description)
    created = render.label(state, label)
    return Reply(201, created, {"location": created["url"]})


def add_labels(state: RepoState, call: Call) -> Reply:
    """POST /repos/{owner}/{repo}/issues/{issue_number}/labels: add, keep existing."""
    issue = state.issue(call.params["issue_number"])
    names = label_names(state, call.body.get("labels", []))
    added: list[Label] = [x for x in state.ensure_labels(names) if x not in issue.labels]
    if added:
        issue.labels = [*issue.labels, *added]
        state.touch(issue)
    return Reply(200, [render.label(state, x) for x in issue.labels])


HANDLERS: dict[str, Handler] = {
    "repos/get": get_repo,
    "issues/list-for-repo": list_issues,
    "issues/create": create_issue,
    "issues/get": get_issue,
    "issues/update": update_issue,
    "issues/list-comments": list_comments,
    "issues/create-comment": create_comment,
    "issues/list-labels-for-repo": list_labels,
    "issues/create-label": create_label,
    "issues/add-labels": add_labels,
}
