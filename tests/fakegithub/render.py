"""Records rendered as the JSON GitHub returns for them.

API ``url`` fields point at the fake, so a client that follows them stays on loopback;
``html_url`` fields point at github.com, as they are only ever shown to people.
"""

from __future__ import annotations

import base64
from typing import Any

from .gitmodel import Commit, MergeConflictError, Signature, blob_sha
from .model import Comment, Issue, Label, User, iso
from .state import RepoState

HTML = "https://github.com"


def repo_api(state: RepoState) -> str:
    """The API URL of the repository."""
    return f"{state.api_url}/repos/{state.full_name}"


def repo_html(state: RepoState) -> str:
    """The web URL of the repository."""
    return f"{HTML}/{state.full_name}"


def user(state: RepoState, who: User | None) -> dict[str, Any] | None:
    """A user object (``null`` for nobody)."""
    if who is None:
        return None
    html = f"{HTML}/apps/{who.login.removesuffix('[bot]')}" if who.type == "Bot" else None
    return {
        "login": who.login,
        "id": who.id,
        "node_id": f"U_fake{who.id}",
        "avatar_url": f"https://avatars.githubusercontent.com/u/{who.id}?v=4",
        "gravatar_id": "",
        "url": f"{state.api_url}/users/{who.login}",
        "html_url": html or f"{HTML}/{who.login}",
        "type": who.type,
        "site_admin": False,
    }


def repository(state: RepoState) -> dict[str, Any]:
    """The repository object of ``GET /repos/{owner}/{repo}``."""
    api = repo_api(state)
    open_count = sum(1 for i in state.issues.values() if i.state == "open")
    created = iso(state.created_at)
    return {
        "id": 4242,
        "node_id": "R_fake4242",
        "name": state.name,
        "full_name": state.full_name,
        "private": False,
        "owner": user(state, state.owner_user),
        "html_url": repo_html(state),
        "description": None,
        "fork": False,
        "url": api,
        "issues_url": f"{api}/issues{{/number}}",
        "pulls_url": f"{api}/pulls{{/number}}",
        "labels_url": f"{api}/labels{{/name}}",
        "contents_url": f"{api}/contents/{{+path}}",
        "commits_url": f"{api}/commits{{/sha}}",
        "git_refs_url": f"{api}/git/refs{{/sha}}",
        "clone_url": f"{repo_html(state)}.git",
        "default_branch": state.default_branch,
        "visibility": "public",
        "archived": False,
        "disabled": False,
        "has_issues": True,
        "open_issues_count": open_count,
        "open_issues": open_count,
        "created_at": created,
        "updated_at": created,
        "pushed_at": created,
        "permissions": {
            "admin": False,
            "maintain": False,
            "push": True,
            "triage": True,
            "pull": True,
        },
    }


def label(state: RepoState, item: Label) -> dict[str, Any]:
    """A label object."""
    return {
        "id": item.id,
        "node_id": f"LA_fake{item.id}",
        "url": f"{repo_api(state)}/labels/{item.name.replace(' ', '%20')}",
        "name": item.name,
        "color": item.color,
        "default": item.default,
        "description": item.description,
    }


def issue(state: RepoState, item: Issue) -> dict[str, Any]:
    """An issue object; a pull request's issue side carries a ``pull_request`` key."""
    api = f"{repo_api(state)}/issues/{item.number}"
    kind = "pull" if item.pull else "issues"
    out: dict[str, Any] = {
        "url": api,
        "repository_url": repo_api(state),
        "labels_url": f"{api}/labels{{/name}}",
        "comments_url": f"{api}/comments",
        "events_url": f"{api}/events",
        "html_url": f"{repo_html(state)}/{kind}/{item.number}",
        "id": item.id,
        "node_id": f"I_fake{item.id}",
        "number": item.number,
        "title": item.title,
        "user": user(state, item.user),
        "labels": [label(state, x) for x in item.labels],
        "state": item.state,
        "state_reason": item.state_reason,
        "locked": False,
        "assignee": user(state, item.assignees[0]) if item.assignees else None,
        "assignees": [user(state, a) for a in item.assignees],
        "milestone": None,
        "comments": len(item.comments),
        "created_at": iso(item.created_at),
        "updated_at": iso(item.updated_at),
        "closed_at": iso(item.closed_at) if item.closed_at else None,
        "closed_by": user(state, item.closed_by),
        "author_association": item.user.association,
        "active_lock_reason": None,
        "body": item.body,
    }
    if item.pull is not None:
        pulls = f"{repo_api(state)}/pulls/{item.number}"
        html = f"{repo_html(state)}/pull/{item.number}"
        merged_at = item.pull.merged_at
        out["draft"] = item.pull.draft
        out["pull_request"] = {
            "url": pulls,
            "html_url": html,
            "diff_url": f"{html}.diff",
            "patch_url": f"{html}.patch",
            "merged_at": iso(merged_at) if merged_at else None,
        }
    return out


def comment(state: RepoState, parent: Issue, item: Comment) -> dict[str, Any]:
    """An issue comment object."""
    kind = "pull" if parent.pull else "issues"
    return {
        "id": item.id,
        "node_id": f"IC_fake{item.id}",
        "url": f"{repo_api(state)}/issues/comments/{item.id}",
        "html_url": f"{repo_html(state)}/{kind}/{parent.number}#issuecomment-{item.id}",
        "issue_url": f"{repo_api(state)}/issues/{parent.number}",
        "body": item.body,
        "user": user(state, item.user),
        "created_at": iso(item.created_at),
        "updated_at": iso(item.updated_at),
        "author_association": item.user.association,
    }


def ref(state: RepoState, name: str, sha: str) -> dict[str, Any]:
    """A git reference object (``name`` is ``refs/heads/...``)."""
    return {
        "ref": name,
        "node_id": f"REF_fake{sha[:12]}",
        "url": f"{repo_api(state)}/git/{name}",
        "object": {"sha": sha, "type": "commit", "url": f"{repo_api(state)}/git/commits/{sha}"},
    }


def _signature(who: Signature) -> dict[str, Any]:
    return {"name": who.name, "email": who.email, "date": iso(who.date)}


def _parents(state: RepoState, commit: Commit) -> list[dict[str, Any]]:
    return [
        {
            "sha": p,
            "url": f"{repo_api(state)}/commits/{p}",
            "html_url": f"{repo_html(state)}/commit/{p}",
        }
        for p in commit.parents
    ]


def git_commit(state: RepoState, commit: Commit) -> dict[str, Any]:
    """A git commit object, as the contents endpoint returns it after a write."""
    return {
        "sha": commit.sha,
        "node_id": f"C_fake{commit.sha[:12]}",
        "url": f"{repo_api(state)}/git/commits/{commit.sha}",
        "html_url": f"{repo_html(state)}/commit/{commit.sha}",
        "author": _signature(commit.author),
        "committer": _signature(commit.committer),
        "tree": {"sha": commit.tree_sha, "url": f"{repo_api(state)}/git/trees/{commit.tree_sha}"},
        "message": commit.message,
        "parents": _parents(state, commit),
        "verification": {"verified": False, "reason": "unsigned", "signature": None},
    }


def commit_summary(state: RepoState, commit: Commit) -> dict[str, Any]:
    """A commit as ``GET /repos/{owner}/{repo}/commits`` lists it."""
    author = state.known_user(commit.author_login) if commit.author_login else None
    committer = state.known_user(commit.committer_login) if commit.committer_login else None
    inner = git_commit(state, commit)
    return {
        "sha": commit.sha,
        "node_id": inner["node_id"],
        "commit": {
            "author": inner["author"],
            "committer": inner["committer"],
            "message": commit.message,
            "tree": inner["tree"],
            "url": inner["url"],
            "comment_count": 0,
            "verification": inner["verification"],
        },
        "url": f"{repo_api(state)}/commits/{commit.sha}",
        "html_url": inner["html_url"],
        "comments_url": f"{repo_api(state)}/commits/{commit.sha}/comments",
        "author": user(state, author),
        "committer": user(state, committer),
        "parents": inner["parents"],
    }


def content_info(state: RepoState, path: str, ref_name: str, data: bytes) -> dict[str, Any]:
    """A file's metadata as the contents endpoint gives it (without the content)."""
    sha = blob_sha(data)
    api = f"{repo_api(state)}/contents/{path}?ref={ref_name}"
    git = f"{repo_api(state)}/git/blobs/{sha}"
    html = f"{repo_html(state)}/blob/{ref_name}/{path}"
    return {
        "type": "file",
        "name": path.rsplit("/", 1)[-1],
        "path": path,
        "sha": sha,
        "size": len(data),
        "url": api,
        "html_url": html,
        "git_url": git,
        "download_url": f"https://raw.githubusercontent.com/{state.full_name}/{ref_name}/{path}",
        "_links": {"self": api, "git": git, "html": html},
    }


def file_content(state: RepoState, path: str, ref_name: str, data: bytes) -> dict[str, Any]:
    """A file as the contents endpoint gives it: base64 wrapped at 60 characters."""
    encoded = base64.b64encode(data).decode()
    wrapped = "".join(f"{encoded[i : i + 60]}\n" for i in range(0, len(encoded), 60))
    return {**content_info(state, path, ref_name, data), "content": wrapped, "encoding": "base64"}


def directory_entry(state: RepoState, path: str, ref_name: str) -> dict[str, Any]:
    """A sub-directory as a directory listing shows it."""
    api = f"{repo_api(state)}/contents/{path}?ref={ref_name}"
    html = f"{repo_html(state)}/tree/{ref_name}/{path}"
    return {
        "type": "dir",
        "name": path.rsplit("/", 1)[-1],
        "path": path,
        "sha": "0" * 40,
        "size": 0,
        "url": api,
        "html_url": html,
        "git_url": None,
        "download_url": None,
        "_links": {"self": api, "git": None, "html": html},
    }


def _branch_end(state: RepoState, branch: str, sha: str) -> dict[str, Any]:
    """The ``head`` or ``base`` object of a pull request."""
    return {
        "label": f"{state.owner}:{branch}",
        "ref": branch,
        "sha": sha,
        "user": user(state, state.owner_user),
        "repo": repository(state),
    }


def pull(state: RepoState, item: Issue, *, full: bool) -> dict[str, Any]:
    """A pull request; list responses (``full=False``) lack the merge fields, as on GitHub."""
    data = item.pull
    assert data is not None
    api = f"{repo_api(state)}/pulls/{item.number}"
    html = f"{repo_html(state)}/pull/{item.number}"
    base_commit = state.git.branch(data.base_ref)
    base_sha = base_commit.sha if base_commit else data.head_sha
    out: dict[str, Any] = {
        "url": api,
        "id": item.id,
        "node_id": f"PR_fake{item.id}",
        "html_url": html,
        "diff_url": f"{html}.diff",
        "patch_url": f"{html}.patch",
        "issue_url": f"{repo_api(state)}/issues/{item.number}",
        "commits_url": f"{api}/commits",
        "comments_url": f"{repo_api(state)}/issues/{item.number}/comments",
        "number": item.number,
        "state": item.state,
        "locked": False,
        "title": item.title,
        "user": user(state, item.user),
        "body": item.body,
        "labels": [label(state, x) for x in item.labels],
        "milestone": None,
        "active_lock_reason": None,
        "created_at": iso(item.created_at),
        "updated_at": iso(item.updated_at),
        "closed_at": iso(item.closed_at) if item.closed_at else None,
        "merged_at": iso(data.merged_at) if data.merged_at else None,
        "merge_commit_sha": data.merge_commit_sha,
        "assignee": user(state, item.assignees[0]) if item.assignees else None,
        "assignees": [user(state, a) for a in item.assignees],
        "requested_reviewers": [],
        "requested_teams": [],
        "head": _branch_end(state, data.head_ref, data.head_sha),
        "base": _branch_end(state, data.base_ref, base_sha),
        "author_association": item.user.association,
        "auto_merge": None,
        "draft": data.draft,
    }
    if full:
        out.update(_merge_fields(state, item, base_sha))
    return out


def _merge_fields(state: RepoState, item: Issue, base_sha: str) -> dict[str, Any]:
    """The fields only ``GET /pulls/{pull_number}`` and writes return."""
    data = item.pull
    assert data is not None
    commits = state.git.commits_between(base_sha, data.head_sha)
    is_open = item.state == "open"
    mergeable = is_open and _mergeable(state, base_sha, data.head_sha)
    merge_state = ("clean" if mergeable else "dirty") if is_open else "unknown"
    changed = {p for c in commits for p in _changed_paths(state, c)}
    return {
        "merged": data.merged_at is not None,
        "mergeable": mergeable if is_open else None,
        "rebaseable": mergeable if is_open else None,
        "mergeable_state": merge_state,
        "merged_by": user(state, data.merged_by),
        "comments": len(item.comments),
        "review_comments": 0,
        "maintainer_can_modify": data.maintainer_can_modify,
        "commits": len(commits),
        "additions": 0,
        "deletions": 0,
        "changed_files": len(changed),
    }


def _mergeable(state: RepoState, base_sha: str, head_sha: str) -> bool:
    """Whether the head merges into the base without a file-level conflict."""
    ancestor = state.git.merge_base(base_sha, head_sha)
    if ancestor is None:
        return False
    try:
        state.git.merged_tree(ancestor, base_sha, head_sha)
    except MergeConflictError:
        return False
    return True


def _changed_paths(state: RepoState, commit: Commit) -> set[str]:
    """Paths a commit changed relative to its first parent."""
    before = state.git.commits[commit.parents[0]].tree if commit.parents else {}
    paths = set(before) | set(commit.tree)
    return {p for p in paths if before.get(p) != commit.tree.get(p)}
