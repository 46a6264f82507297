"""A tiny git: commits holding whole file trees, and refs pointing at commits.

Enough to answer the contents, refs and commits endpoints the way GitHub does: blob
shas are real git blob shas (a client may compute them locally), history is newest
first, fast-forward checks use real ancestry, and a merge is a three-way merge of files.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime


def blob_sha(data: bytes) -> str:
    """The sha git gives a file with these bytes."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()


def tree_sha(tree: Mapping[str, bytes]) -> str:
    """A stable sha for a whole file tree (not git's tree format, but as unique)."""
    listing = "".join(f"{path}\0{blob_sha(data)}\n" for path, data in sorted(tree.items()))
    return hashlib.sha1(listing.encode(), usedforsecurity=False).hexdigest()


@dataclass(frozen=True)
class Signature:
    """Who wrote or committed a commit, and when."""

    name: str
    email: str
    date: datetime


@dataclass(frozen=True)
class Commit:
    """A commit: a full file tree, its parents and who made it.

    ``author_login`` is the GitHub account the author's email belongs to, or ``None``
    for an email GitHub does not know (GitHub then shows ``"author": null``).
    """

    sha: str
    tree: Mapping[str, bytes]
    parents: tuple[str, ...]
    message: str
    author: Signature
    committer: Signature
    author_login: str | None
    committer_login: str | None

    @property
    def tree_sha(self) -> str:
        """The sha of this commit's tree."""
        return tree_sha(self.tree)


class MergeConflictError(Exception):
    """Both sides of a merge changed the same file differently."""


def _commit_sha(
    tree: Mapping[str, bytes],
    parents: tuple[str, ...],
    message: str,
    author: Signature,
    committer: Signature,
) -> str:
    """A sha over everything a commit records, as git's commit object does."""
    lines = [f"tree {tree_sha(tree)}"]
    lines += [f"parent {p}" for p in parents]
    for role, who in (("author", author), ("committer", committer)):
        lines.append(f"{role} {who.name} <{who.email}> {int(who.date.timestamp())} +0000")
    text = "\n".join(lines) + "\n\n" + message
    data = text.encode()
    return hashlib.sha1(b"commit %d\0" % len(data) + data, usedforsecurity=False).hexdigest()


@dataclass
class GitRepo:
    """Commits by sha and refs (``refs/heads/main``) by full name."""

    commits: dict[str, Commit] = field(default_factory=dict)
    refs: dict[str, str] = field(default_factory=dict)

    def make_commit(
        self,
        tree: Mapping[str, bytes],
        parents: tuple[str, ...],
        message: str,
        author: Signature,
        committer: Signature,
        *,
        author_login: str | None,
        committer_login: str | None,
    ) -> Commit:
        """Store a new commit (moving no ref) and return it."""
        sha = _commit_sha(tree, parents, message, author, committer)
        commit = Commit(
            sha, dict(tree), parents, message, author, committer, author_login, committer_login
        )
        self.commits[sha] = commit
        return commit

    def branch(self, name: str) -> Commit | None:
        """The commit branch ``name`` points at, if the branch exists."""
        sha = self.refs.get(f"refs/heads/{name}")
        return None if sha is None else self.commits[sha]

    def branches(self) -> list[str]:
        """Every branch name."""
        return [r.removeprefix("refs/heads/") for r in self.refs if r.startswith("refs/heads/")]

    def resolve(self, name: str) -> Commit | None:
        """A branch name, ``heads/NAME``, tag or full commit sha as a commit."""
        for ref in (f"refs/heads/{name}", f"refs/tags/{name}", f"refs/{name}"):
            if ref in self.refs:
                return self.commits[self.refs[ref]]
        return self.commits.get(name)

    def reachable(self, sha: str) -> set[str]:
        """Every commit reachable from ``sha``, itself included."""
        seen: set[str] = set()
        stack = [sha]
        while stack:
            current = stack.pop()
            if current not in seen:
                seen.add(current)
                stack.extend(self.commits[current].parents)
        return seen

    def is_ancestor(self, ancestor: str, descendant: str) -> bool:
        """Whether ``ancestor`` is ``descendant`` or one of its ancestors."""
        return ancestor in self.reachable(descendant)

    def history(self, sha: str) -> list[Commit]:
        """Commits reachable from ``sha``, newest first (ties: children before parents)."""
        order = {c: i for i, c in enumerate(self._topological(sha))}
        commits = [self.commits[s] for s in order]
        return sorted(commits, key=lambda c: (-c.committer.date.timestamp(), order[c.sha]))

    def _topological(self, sha: str) -> Iterator[str]:
        """Commits reachable from ``sha``, each before all of its parents."""
        reachable = self.reachable(sha)
        children: dict[str, int] = dict.fromkeys(reachable, 0)
        for current in reachable:
            for parent in self.commits[current].parents:
                children[parent] += 1
        ready = [sha]
        while ready:
            current = ready.pop()
            yield current
            for parent in self.commits[current].parents:
                children[parent] -= 1
                if children[parent] == 0:
                    ready.append(parent)

    def merge_base(self, one: str, two: str) -> str | None:
        """The newest commit both ``one`` and ``two`` reach."""
        common = self.reachable(one) & self.reachable(two)
        for commit in self.history(one):
            if commit.sha in common:
                return commit.sha
        return None

    def commits_between(self, base: str, head: str) -> list[Commit]:
        """Commits reachable from ``head`` but not from ``base``, newest first."""
        excluded = self.reachable(base)
        return [c for c in self.history(head) if c.sha not in excluded]

    def merged_tree(self, base: str, ours: str, theirs: str) -> dict[str, bytes]:
        """Three-way merge of whole files; raises MergeConflictError on a real clash."""
        ancestor = self.commits[base].tree
        mine = self.commits[ours].tree
        other = self.commits[theirs].tree
        merged: dict[str, bytes] = {}
        for path in set(ancestor) | set(mine) | set(other):
            was, left, right = ancestor.get(path), mine.get(path), other.get(path)
            if right in (left, was):
                result = left
            elif left == was:
                result = right
            else:
                raise MergeConflictError(path)
            if result is not None:
                merged[path] = result
        return merged
