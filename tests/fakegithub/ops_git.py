"""Handlers for refs, file contents and commit history."""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Mapping
from typing import Any

from . import render
from .calls import Call, Handler, Reply, paginate, since
from .errors import ApiError, invalid, not_found, unprocessable
from .gitmodel import Commit, Signature, blob_sha
from .model import parse_iso
from .state import RepoState

SHA = re.compile(r"[0-9a-f]{40}")
BAD_REF = re.compile(r"\.\.|//|@\{|[\x00-\x20~^:?*\[\\\x7f]|/$|\.lock$|/\.|^\.")


# -- refs ------------------------------------------------------------------------------


def _existing_ref(state: RepoState, short: str) -> str:
    """``refs/`` + ``short`` if that ref exists; the path form never starts with refs/."""
    full = f"refs/{short}"
    if short.startswith("refs/") or full not in state.git.refs:
        raise unprocessable("Reference does not exist")
    return full


def _existing_object(state: RepoState, sha: str) -> str:
    """``sha`` if it names a commit the repository has."""
    if not SHA.fullmatch(sha) or sha not in state.git.commits:
        raise unprocessable("Object does not exist")
    return sha


def get_ref(state: RepoState, call: Call) -> Reply:
    """GET /repos/{owner}/{repo}/git/ref/{ref} (``ref`` like ``heads/main``)."""
    short = call.params["ref"]
    full = f"refs/{short}"
    if short.startswith("refs/") or full not in state.git.refs:
        raise not_found()
    return Reply(200, render.ref(state, full, state.git.refs[full]))


def create_ref(state: RepoState, call: Call) -> Reply:
    """POST /repos/{owner}/{repo}/git/refs (``ref`` fully qualified: ``refs/heads/x``)."""
    name, sha = call.body["ref"], call.body["sha"]
    if not re.fullmatch(r"refs/[^/]+/.+", name):
        raise unprocessable("Reference name must start with 'refs/' and have two slashes")
    if BAD_REF.search(name.removeprefix("refs/")):
        raise unprocessable(f"{name} is not a valid ref name.")
    _existing_object(state, sha)
    if name in state.git.refs:
        raise unprocessable("Reference already exists")
    state.clock.tick()
    state.set_ref(name, sha)
    created = render.ref(state, name, sha)
    return Reply(201, created, {"location": created["url"]})


def update_ref(state: RepoState, call: Call) -> Reply:
    """PATCH /repos/{owner}/{repo}/git/refs/{ref}: fast-forward unless ``force``."""
    full = _existing_ref(state, call.params["ref"])
    sha = _existing_object(state, call.body["sha"])
    force = bool(call.body.get("force", False))
    if not force and not state.git.is_ancestor(state.git.refs[full], sha):
        raise unprocessable("Update is not a fast forward")
    state.clock.tick()
    state.set_ref(full, sha)
    return Reply(200, render.ref(state, full, sha))


def delete_ref(state: RepoState, call: Call) -> Reply:
    """DELETE /repos/{owner}/{repo}/git/refs/{ref}."""
    full = _existing_ref(state, call.params["ref"])
    if full == f"refs/heads/{state.default_branch}":
        raise unprocessable("Cannot delete the default branch")
    state.clock.tick()
    state.delete_ref(full, call.user)
    return Reply(204)


# -- contents --------------------------------------------------------------------------


def _resolve(state: RepoState, name: str) -> Commit:
    """A branch, tag or sha given as ``ref``; 404 as GitHub answers an unknown one."""
    commit = state.git.resolve(name)
    if commit is None:
        raise ApiError(404, f"No commit found for the ref {name}")
    return commit


def get_content(state: RepoState, call: Call) -> Reply:
    """GET /repos/{owner}/{repo}/contents/{path}: a file, or a directory listing."""
    path = call.params["path"].strip("/")
    ref_name = call.query.get("ref") or state.default_branch
    tree = _resolve(state, ref_name).tree
    if path in tree:
        return Reply(200, render.file_content(state, path, ref_name, tree[path]))
    prefix = f"{path}/"
    children = {p[len(prefix) :].split("/", 1)[0] for p in tree if p.startswith(prefix)}
    if not children:
        raise not_found()
    listing = []
    for child in sorted(children):
        full = prefix + child
        if full in tree:
            listing.append(render.content_info(state, full, ref_name, tree[full]))
        else:
            listing.append(render.directory_entry(state, full, ref_name))
    return Reply(200, listing)


def _decode(content: str) -> bytes:
    """Base64 content as GitHub accepts it (line breaks allowed)."""
    try:
        return base64.b64decode("".join(content.split()), validate=True)
    except (binascii.Error, ValueError):
        raise invalid("Content", "content", message="content is not valid Base64") from None


def _signature(state: RepoState, given: dict[str, Any] | None, fallback: Signature) -> Signature:
    """An author or committer from the request body, or ``fallback``."""
    if given is None:
        return fallback
    when = fallback.date
    if "date" in given:
        try:
            when = parse_iso(given["date"])
        except ValueError:
            raise invalid("Content", "date") from None
    return Signature(given["name"], given["email"], when)


def _check_path(path: str) -> None:
    """Refuse paths git cannot store."""
    parts = path.split("/")
    if path.startswith("/") or path.endswith("/") or any(p in ("", ".", "..") for p in parts):
        raise invalid("Content", "path")


def _check_sha(path: str, existing: bytes | None, sha: str | None) -> None:
    """Updating needs the current blob sha; a stale one is a 409, as on GitHub."""
    if existing is not None and sha is None:
        raise unprocessable('Invalid request.\n\n"sha" wasn\'t supplied.')
    if sha is not None and (existing is None or sha != blob_sha(existing)):
        raise ApiError(409, f"{path} does not match {sha}")


def put_content(state: RepoState, call: Call) -> Reply:
    """PUT /repos/{owner}/{repo}/contents/{path}: one commit on ``branch``, moving it."""
    body = call.body
    path = call.params["path"]
    _check_path(path)
    branch = body.get("branch") or state.default_branch
    head = state.git.branch(branch)
    if head is None:
        raise ApiError(404, f"Branch {branch} not found")
    if any(p.startswith(f"{path}/") for p in head.tree):
        raise invalid("Content", "path")
    data = _decode(body["content"])
    existing = head.tree.get(path)
    _check_sha(path, existing, body.get("sha"))
    now = state.clock.tick()
    committer = _signature(state, body.get("committer"), state.signature(call.user, now))
    author = _signature(state, body.get("author"), committer)
    commit = state.commit_files(branch, {path: data}, body["message"], author, committer)
    payload = {
        "content": render.content_info(state, path, branch, data),
        "commit": render.git_commit(state, commit),
    }
    return Reply(201 if existing is None else 200, payload)


# -- commits ---------------------------------------------------------------------------


def _touches(state: RepoState, commit: Commit, path: str) -> bool:
    """Whether ``commit`` changed ``path`` (or anything under it) against its first parent."""
    before = state.git.commits[commit.parents[0]].tree if commit.parents else {}
    return _under(before, path) != _under(commit.tree, path)


def _under(tree: Mapping[str, bytes], path: str) -> dict[str, bytes]:
    """The files of ``tree`` at or below ``path``."""
    return {p: d for p, d in tree.items() if p == path or p.startswith(f"{path}/")}


def _by(login: str | None, who: Signature, wanted: str) -> bool:
    """The ``author``/``committer`` filter: a login or an email."""
    wanted = wanted.lower()
    return wanted in {(login or "").lower(), who.email.lower()}


def list_commits(state: RepoState, call: Call) -> Reply:
    """GET /repos/{owner}/{repo}/commits: history of ``sha`` (a branch or sha), newest first."""
    query = call.query
    start = query.get("sha") or state.default_branch
    head = state.git.resolve(start)
    if head is None:
        raise ApiError(404, f"No commit found for SHA: {start}")
    after, before = since(call), since(call, "until")
    commits = []
    for commit in state.git.history(head.sha):
        if "path" in query and not _touches(state, commit, query["path"].strip("/")):
            continue
        if "author" in query and not _by(commit.author_login, commit.author, query["author"]):
            continue
        wanted = query.get("committer")
        if wanted and not _by(commit.committer_login, commit.committer, wanted):
            continue
        if after is not None and commit.committer.date < after:
            continue
        if before is not None and commit.committer.date > before:
            continue
        commits.append(commit)
    return paginate(state, call, commits, lambda c: render.commit_summary(state, c))


HANDLERS: dict[str, Handler] = {
    "git/get-ref": get_ref,
    "git/create-ref": create_ref,
    "git/update-ref": update_ref,
    "git/delete-ref": delete_ref,
    "repos/get-content": get_content,
    "repos/create-or-update-file-contents": put_content,
    "repos/list-commits": list_commits,
}
