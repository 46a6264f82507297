"""One repository's state and the changes GitHub makes to it.

Both the HTTP handlers and the maintainer actions a test performs between bot runs go
through these methods, so a human closing an issue and the bot closing one leave the
same traces (``closed_at``, ``closed_by``, ``state_reason``, ``updated_at``).
Callers check everything before calling a method that changes state: a refused request
must leave no trace.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from .errors import ApiError, not_found
from .gitmodel import Commit, GitRepo, Signature
from .model import Clock, Comment, Issue, Label, PullData, User

# The labels GitHub gives every new repository: (name, color, description).
DEFAULT_LABELS: tuple[tuple[str, str, str], ...] = (
    ("bug", "d73a4a", "Something isn't working"),
    ("documentation", "0075ca", "Improvements or additions to documentation"),
    ("duplicate", "cfd3d7", "This issue or pull request already exists"),
    ("enhancement", "a2eeef", "New feature or request"),
    ("good first issue", "7057ff", "Good for newcomers"),
    ("help wanted", "008672", "Extra attention is needed"),
    ("invalid", "e4e669", "This doesn't seem right"),
    ("question", "d876e3", "Further information is requested"),
    ("wontfix", "ffffff", "This will not be worked on"),
)

# A merge into the default branch closes issues named like this in the pull request.
CLOSING_KEYWORDS = re.compile(
    r"\b(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?)\s*:?\s+#(\d+)\b", re.IGNORECASE
)

WEB_FLOW = ("GitHub", "noreply@github.com", "web-flow")


@dataclass(frozen=True)
class Identity:
    """The account the token belongs to (the bot) and the default human maintainer."""

    bot_login: str = "github-actions[bot]"
    bot_id: int = 41898282
    maintainer_login: str = "octo-maintainer"


def as_bytes(content: str | bytes) -> bytes:
    """File content as bytes (text is UTF-8)."""
    return content.encode() if isinstance(content, str) else content


class RepoState:
    """The repository ``owner/name``: git data, labels, issues and pull requests."""

    def __init__(
        self,
        *,
        owner: str,
        name: str,
        default_branch: str,
        files: Mapping[str, str | bytes],
        identity: Identity,
        labels: Iterable[tuple[str, str, str]],
        clock: Clock,
    ) -> None:
        self.owner, self.name, self.default_branch = owner, name, default_branch
        self.api_url = ""
        self.clock = clock
        self.created_at = clock.now()
        self._last_id = 1000
        self.users: dict[str, User] = {}
        self.owner_user = self._add_user(owner, type_="Organization", association="OWNER")
        self.bot = self._add_user(identity.bot_login, type_="Bot", user_id=identity.bot_id)
        self.maintainer = self._add_user(identity.maintainer_login, association="MEMBER")
        self.labels: dict[str, Label] = {}
        for label_name, color, description in labels:
            self._add_label(label_name, color, description, default=True)
        self.issues: dict[int, Issue] = {}
        self.git = GitRepo()
        self.seed(files)

    # -- identities ----------------------------------------------------------------

    @property
    def full_name(self) -> str:
        """``owner/name``."""
        return f"{self.owner}/{self.name}"

    def next_id(self) -> int:
        """A fresh numeric id (ids are unique across all kinds of record)."""
        self._last_id += 1
        return self._last_id

    def _add_user(
        self,
        login: str,
        *,
        type_: str = "User",
        association: str = "NONE",
        user_id: int | None = None,
    ) -> User:
        """Register an account."""
        user = User(login, user_id or self.next_id(), type=type_, association=association)
        self.users[login.lower()] = user
        return user

    def user(self, login: str) -> User:
        """The account ``login``, created on first mention (tests name people freely)."""
        return self.users.get(login.lower()) or self._add_user(login)

    def known_user(self, login: str) -> User | None:
        """The account ``login`` if the fake has seen it."""
        return self.users.get(login.lower())

    def login_for_email(self, email: str) -> str | None:
        """The account an email belongs to, as GitHub links commit authors."""
        for user in self.users.values():
            if user.email.lower() == email.lower():
                return user.login
        return None

    def signature(self, user: User, when: datetime) -> Signature:
        """``user`` as a commit author or committer."""
        return Signature(user.name or user.login, user.email, when)

    # -- git -----------------------------------------------------------------------

    def seed(self, files: Mapping[str, str | bytes], message: str = "Initial commit") -> Commit:
        """Replace the git history by one commit on the default branch holding ``files``."""
        self.git = GitRepo()
        who = self.signature(self.maintainer, self.clock.now())
        tree = {path: as_bytes(content) for path, content in files.items()}
        login = self.maintainer.login
        commit = self.git.make_commit(
            tree, (), message, who, who, author_login=login, committer_login=login
        )
        self.git.refs[f"refs/heads/{self.default_branch}"] = commit.sha
        return commit

    def commit_files(
        self,
        branch: str,
        changes: Mapping[str, bytes | None],
        message: str,
        author: Signature,
        committer: Signature,
    ) -> Commit:
        """Commit ``changes`` (``None`` deletes a file) on top of ``branch`` and move it."""
        parent = self.git.branch(branch)
        if parent is None:
            raise not_found()
        tree = dict(parent.tree)
        for path, content in changes.items():
            if content is None:
                tree.pop(path, None)
            else:
                tree[path] = content
        commit = self.git.make_commit(
            tree,
            (parent.sha,),
            message,
            author,
            committer,
            author_login=self.login_for_email(author.email),
            committer_login=self.login_for_email(committer.email),
        )
        self.set_ref(f"refs/heads/{branch}", commit.sha)
        return commit

    def set_ref(self, ref: str, sha: str) -> None:
        """Point ``ref`` at ``sha``; open pull requests follow their head branch."""
        self.git.refs[ref] = sha
        branch = ref.removeprefix("refs/heads/")
        for issue in self.open_pulls():
            assert issue.pull is not None
            if issue.pull.head_ref == branch:
                issue.pull.head_sha = sha

    def delete_ref(self, ref: str, by: User) -> None:
        """Delete ``ref``; open pull requests from or into that branch close, as on GitHub."""
        del self.git.refs[ref]
        branch = ref.removeprefix("refs/heads/")
        for issue in self.open_pulls():
            assert issue.pull is not None
            if branch in (issue.pull.head_ref, issue.pull.base_ref):
                self.close(issue, by, reason=None)

    # -- labels --------------------------------------------------------------------

    def _add_label(
        self, name: str, color: str, description: str | None, *, default: bool = False
    ) -> Label:
        label = Label(self.next_id(), name, color, description, default)
        self.labels[name.lower()] = label
        return label

    def add_label(self, name: str, color: str, description: str | None) -> Label:
        """Create a label (the caller has checked the name is free)."""
        self.clock.tick()
        return self._add_label(name, color, description)

    def ensure_labels(self, names: Iterable[str]) -> list[Label]:
        """The labels called ``names``; GitHub creates missing ones (grey, no description)."""
        labels: list[Label] = []
        for name in names:
            label = self.labels.get(name.lower()) or self._add_label(name, "ededed", None)
            if label not in labels:
                labels.append(label)
        return labels

    # -- issues and comments --------------------------------------------------------

    def next_number(self) -> int:
        """The next issue or pull request number (they share one sequence)."""
        return max(self.issues, default=0) + 1

    def issue(self, number: int) -> Issue:
        """Issue or pull request ``number``; 404 when there is none."""
        if number not in self.issues:
            raise not_found()
        return self.issues[number]

    def pull(self, number: int) -> Issue:
        """Pull request ``number``; 404 for an issue or a missing number."""
        issue = self.issue(number)
        if issue.pull is None:
            raise not_found()
        return issue

    def open_pulls(self) -> list[Issue]:
        """Every open pull request."""
        return [i for i in self.issues.values() if i.pull is not None and i.state == "open"]

    def open_issue(
        self,
        title: str,
        body: str | None,
        user: User,
        *,
        labels: Iterable[str] = (),
        assignees: Iterable[User] = (),
        pull: PullData | None = None,
    ) -> Issue:
        """Open a new issue (or the issue side of a new pull request)."""
        now = self.clock.tick()
        issue = Issue(
            id=self.next_id(),
            number=self.next_number(),
            title=title,
            body=body,
            user=user,
            created_at=now,
            updated_at=now,
            labels=self.ensure_labels(labels),
            assignees=list(assignees),
            pull=pull,
        )
        self.issues[issue.number] = issue
        return issue

    def touch(self, issue: Issue) -> None:
        """Record that ``issue`` changed now."""
        issue.updated_at = self.clock.tick()

    def close(self, issue: Issue, by: User, reason: str | None = "completed") -> None:
        """Close an issue with ``reason`` (pull requests carry no reason)."""
        issue.state = "closed"
        issue.state_reason = None if issue.pull else reason
        issue.closed_by = by
        self.touch(issue)
        issue.closed_at = issue.updated_at

    def reopen(self, issue: Issue) -> None:
        """Reopen a closed issue; GitHub marks the reason ``reopened``."""
        issue.state = "open"
        issue.state_reason = None if issue.pull else "reopened"
        if issue.pull is not None:
            head = self.git.branch(issue.pull.head_ref)
            issue.pull.head_sha = head.sha if head else issue.pull.head_sha
        issue.closed_at = None
        issue.closed_by = None
        self.touch(issue)

    def add_comment(self, issue: Issue, body: str, user: User) -> Comment:
        """Comment on an issue or pull request."""
        self.touch(issue)
        comment = Comment(self.next_id(), body, user, issue.updated_at, issue.updated_at)
        issue.comments.append(comment)
        return comment

    # -- pull requests -------------------------------------------------------------

    def open_pull(
        self, title: str, body: str | None, user: User, head: str, base: str, *, draft: bool
    ) -> Issue:
        """Open a pull request from branch ``head`` into branch ``base``."""
        head_commit = self.git.branch(head)
        assert head_commit is not None
        pull = PullData(head_ref=head, head_sha=head_commit.sha, base_ref=base, draft=draft)
        return self.open_issue(title, body, user, pull=pull)

    def merge(self, issue: Issue, by: User) -> Commit:
        """Merge an open pull request with a merge commit, as GitHub's button does."""
        pull = issue.pull
        if pull is None or issue.state != "open":
            raise ApiError(405, "Pull Request is not mergeable")
        base = self.git.branch(pull.base_ref)
        if base is None:
            raise ApiError(405, "Base branch was deleted")
        ancestor = self.git.merge_base(base.sha, pull.head_sha)
        assert ancestor is not None
        tree = self.git.merged_tree(ancestor, base.sha, pull.head_sha)
        when = self.clock.tick()
        message = f"Merge pull request #{issue.number} from {self.owner}/{pull.head_ref}\n\n"
        message += issue.title
        name, email, login = WEB_FLOW
        commit = self.git.make_commit(
            tree,
            (base.sha, pull.head_sha),
            message,
            self.signature(by, when),
            Signature(name, email, when),
            author_login=by.login,
            committer_login=login,
        )
        self.set_ref(f"refs/heads/{pull.base_ref}", commit.sha)
        pull.merged_at, pull.merged_by, pull.merge_commit_sha = when, by, commit.sha
        self.close(issue, by, reason=None)
        if pull.base_ref == self.default_branch:
            self._close_referenced(issue, by)
        return commit

    def _close_referenced(self, pull_issue: Issue, by: User) -> None:
        """Close the issues a merged pull request says it fixes ("Fixes #12")."""
        text = f"{pull_issue.title}\n{pull_issue.body or ''}"
        for number in CLOSING_KEYWORDS.findall(text):
            target = self.issues.get(int(number))
            if target is not None and target.pull is None and target.state == "open":
                self.close(target, by, reason="completed")
