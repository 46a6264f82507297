"""The fake GitHub: request handling, logs, fault injection and maintainer actions.

One ``FakeGitHub`` holds one repository. ``handle`` answers one HTTP request; the
server in ``server.py`` calls it from its threads, under a lock. Everything else is the
Python API a test uses: seed files, inject failures, act as a maintainer between bot
runs, and inspect what the bot did.
"""

from __future__ import annotations

import json
import re
import threading
import traceback
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from fnmatch import fnmatchcase
from typing import Any
from urllib.parse import parse_qsl

from . import ops_git, ops_issues, ops_pulls, render
from .calls import Call, Handler, Reply
from .errors import ApiError, RejectedError, not_served
from .faults import Fault, Injection, RateLimit, fault_reply, primary_limit_reply
from .gitmodel import Commit
from .model import Clock, Issue, User
from .spec import Match, Spec, load_spec
from .state import DEFAULT_LABELS, Identity, RepoState, as_bytes

DEFAULT_TOKEN = "ghs_fakegithubToken0123456789abcdefABCD"
API_VERSION = "2022-11-28"
# application/vnd.github.v3.raw, application/vnd.github.html+json, ... (group 1: the kind)
CUSTOM_MEDIA_TYPE = re.compile(r"application/vnd\.github(?:\.v3)?(?:\.([a-z-]+))?(?:\+json)?")
VERSION_DOCS = "https://docs.github.com/rest/about-the-rest-api/api-versions"

DEFAULT_FILES: dict[str, str] = {
    "catalog.yaml": "version: 1\nresources:\n  - id: example\n    title: Example\n"
    "    url: https://example.org/\n",
    "README.md": "# catalog\n",
}


@dataclass(frozen=True)
class Incoming:
    """One HTTP request as the server received it (header names in lower case)."""

    method: str
    path: str
    query_string: str
    headers: dict[str, str]
    body: bytes


@dataclass(frozen=True)
class LoggedRequest:
    """One request in ``FakeGitHub.requests``, with the status it got.

    ``query`` keeps the last value of each parameter; ``json`` is the parsed body (or
    ``None``); ``fault`` is set when an injected failure answered it.
    """

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    json: Any
    body: bytes
    status: int
    operation_id: str | None
    fault: Fault | None
    request_id: str


@dataclass(frozen=True)
class Rejection:
    """A request GitHub's description does not allow: a client bug, whatever it did next."""

    method: str
    path: str
    status: int
    kind: str
    reason: str

    def __str__(self) -> str:
        return f"{self.method} {self.path} -> {self.status} [{self.kind}] {self.reason}"


def _json_or_none(body: bytes) -> Any:
    """The body parsed as JSON for the log, or ``None``."""
    try:
        return json.loads(body) if body.strip() else None
    except (ValueError, UnicodeDecodeError):
        return None


class FakeGitHub:
    """A stateful fake of the GitHub REST API for one repository (``octo/catalog``)."""

    def __init__(
        self,
        *,
        files: Mapping[str, str | bytes] | None = None,
        owner: str = "octo",
        name: str = "catalog",
        default_branch: str = "main",
        token: str = DEFAULT_TOKEN,
        identity: Identity | None = None,
        labels: Iterable[tuple[str, str, str]] = DEFAULT_LABELS,
        clock_start: datetime | None = None,
    ) -> None:
        self.spec: Spec = load_spec()
        self.token = token
        self.clock = Clock(clock_start)
        self.state = RepoState(
            owner=owner,
            name=name,
            default_branch=default_branch,
            files=DEFAULT_FILES if files is None else files,
            identity=identity or Identity(),
            labels=labels,
            clock=self.clock,
        )
        self.requests: list[LoggedRequest] = []
        self.rejections: list[Rejection] = []
        self.injections: list[Injection] = []
        self.rate_limit = RateLimit()
        self.rejections_expected = False
        self._lock = threading.RLock()
        self._count = 0
        self._handlers: dict[str, Handler] = {
            **ops_issues.HANDLERS,
            **ops_git.HANDLERS,
            **ops_pulls.HANDLERS,
        }

    # -- identity ------------------------------------------------------------------

    @property
    def url(self) -> str:
        """The API base URL (put it in ``GITHUB_API_URL``); set once the server runs."""
        return self.state.api_url

    @url.setter
    def url(self, value: str) -> None:
        self.state.api_url = value.rstrip("/")

    @property
    def repo(self) -> str:
        """``owner/name`` of the fake's repository."""
        return self.state.full_name

    @property
    def default_branch(self) -> str:
        """The repository's default branch."""
        return self.state.default_branch

    @property
    def bot(self) -> User:
        """The account the token belongs to; everything the client creates is by it."""
        return self.state.bot

    # -- request handling ------------------------------------------------------------

    def handle(self, incoming: Incoming) -> Reply:
        """Answer one request and log it (and any rejection)."""
        with self._lock:
            self._count += 1
            request_id = f"FA4E:{self._count:04X}:{self._count * 7919:06X}:{self._count:06X}"
            match: Match | None = None
            fault: Fault | None = None
            try:
                reply, match, fault = self._dispatch(incoming, request_id)
            except ApiError as error:
                if isinstance(error, RejectedError):
                    self._reject(incoming, error)
                reply = Reply(error.status, error.payload(), dict(error.headers))
            except Exception as error:  # a bug in the fake must fail the test, not hang it
                self._reject(
                    incoming,
                    RejectedError(
                        500, "fake crashed", kind="fake_error", reason=traceback.format_exc()
                    ),
                )
                reply = Reply(500, {"message": f"fakegithub crashed: {error!r}"})
            reply.headers = {**self._headers(request_id, reply), **reply.headers}
            self._log(incoming, reply, match, fault, request_id)
            return reply

    def _dispatch(
        self, incoming: Incoming, request_id: str
    ) -> tuple[Reply, Match | None, Fault | None]:
        """Check the request in GitHub's order, then fail it or run its handler."""
        user = self._authenticate(incoming.headers)
        self._check_api_version(incoming.headers)
        self._check_media_type(incoming.headers)
        if not self.rate_limit.consume():
            return primary_limit_reply(self.rate_limit, self.rate_limit.reset), None, None
        match = self.spec.match(incoming.method, incoming.path)
        operation = match.operation
        pairs = parse_qsl(incoming.query_string, keep_blank_values=True)
        query = self.spec.query(operation, pairs)
        body = self.spec.body(operation, incoming.body)
        self._check_repository(match.params)
        for injection in self.injections:
            if injection.matches(incoming.method, incoming.path, operation.template):
                injection.used += 1
                reply = fault_reply(
                    injection, request_id, self.rate_limit, operation.operation_id, operation.method
                )
                return reply, match, injection.fault
        call = Call(operation, incoming.path, match.params, query, pairs, body, user)
        return self._handlers[operation.operation_id](self.state, call), match, None

    def _authenticate(self, headers: Mapping[str, str]) -> User:
        """The bot, if the request carries its token as ``Bearer`` or ``token``."""
        given = headers.get("authorization")
        if given is None:
            raise RejectedError(
                401, "Requires authentication", kind="auth", reason="no Authorization header"
            )
        scheme, _, credential = given.partition(" ")
        if scheme.lower() not in ("bearer", "token") or credential.strip() != self.token:
            raise RejectedError(
                401, "Bad credentials", kind="auth", reason=f"bad Authorization ({scheme} ...)"
            )
        return self.state.bot

    @staticmethod
    def _check_api_version(headers: Mapping[str, str]) -> None:
        """Only the REST API version the bot is written against is accepted."""
        version = headers.get("x-github-api-version")
        if version is None or version == API_VERSION:
            return
        message = (
            f'The version you specified in the "X-GitHub-Api-Version" request header, '
            f'"{version}", is not a supported version. The following versions are '
            f'currently supported: "{API_VERSION}" (most recent).'
        )
        error = RejectedError(
            400, message, kind="api_version", reason=f"unsupported version {version}"
        )
        error.documentation_url = VERSION_DOCS
        raise error

    @staticmethod
    def _check_media_type(headers: Mapping[str, str]) -> None:
        """Custom media types (raw, html, diff...) change the answer's format; the fake
        only speaks JSON, so it says so instead of answering in the wrong format."""
        accept = headers.get("accept", "")
        for found in CUSTOM_MEDIA_TYPE.finditer(accept):
            kind = found.group(1) or ""
            if kind and not kind.endswith("-preview"):  # previews are accepted and ignored
                raise not_served(f"the media type {found.group(0)!r}")

    def _check_repository(self, params: Mapping[str, Any]) -> None:
        """A request about another repository is a 404 (and a client bug)."""
        named = f"{params.get('owner')}/{params.get('repo')}"
        if "owner" in params and named.lower() != self.repo.lower():
            raise RejectedError(
                404, "Not Found", kind="unknown_repo", reason=f"the fake only has {self.repo}"
            )

    def _headers(self, request_id: str, reply: Reply) -> dict[str, str]:
        """The headers GitHub puts on every response."""
        headers = {
            "x-github-api-version-selected": API_VERSION,
            "x-github-media-type": "github.v3; format=json",
            "x-github-request-id": request_id,
            **self.rate_limit.headers(),
        }
        if reply.body is not None:
            headers["content-type"] = "application/json; charset=utf-8"
        return headers

    def _reject(self, incoming: Incoming, error: RejectedError) -> None:
        self.rejections.append(
            Rejection(incoming.method, incoming.path, error.status, error.kind, error.reason)
        )

    def _log(
        self,
        incoming: Incoming,
        reply: Reply,
        match: Match | None,
        fault: Fault | None,
        request_id: str,
    ) -> None:
        self.requests.append(
            LoggedRequest(
                method=incoming.method,
                path=incoming.path,
                query=dict(parse_qsl(incoming.query_string, keep_blank_values=True)),
                headers=dict(incoming.headers),
                json=_json_or_none(incoming.body),
                body=incoming.body,
                status=reply.status,
                operation_id=match.operation.operation_id if match else None,
                fault=fault,
                request_id=request_id,
            )
        )

    # -- log helpers -----------------------------------------------------------------

    def requests_to(self, method: str = "*", path: str = "*") -> list[LoggedRequest]:
        """Logged requests matching ``method`` (or ``*``) and a path pattern or template."""
        out = []
        for logged in self.requests:
            if method not in ("*", logged.method):
                continue
            template = self._template_of(logged)
            if fnmatchcase(logged.path, path) or path == template:
                out.append(logged)
        return out

    def _template_of(self, logged: LoggedRequest) -> str | None:
        for operation in self.spec.operations():
            if operation.operation_id == logged.operation_id:
                return operation.template
        return None

    def expect_rejections(self) -> None:
        """Declare that this test provokes rejections on purpose (the fixture then
        does not fail the test for them)."""
        self.rejections_expected = True

    def assert_no_rejections(self) -> None:
        """Fail with every rejected request listed, if there was any."""
        assert not self.rejections, "requests GitHub would refuse:\n" + "\n".join(
            str(r) for r in self.rejections
        )

    # -- fault injection -------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        path: str,
        fault: Fault = Fault.BAD_GATEWAY,
        *,
        times: int = 1,
        retry_after: int = 1,
        reset_in: int = 60,
    ) -> Injection:
        """Fail the next ``times`` requests matching ``method`` and ``path`` with ``fault``.

        ``path`` is a pattern over the request path (``/repos/octo/catalog/issues*``) or
        an OpenAPI template (``/repos/{owner}/{repo}/issues/{issue_number}``).
        ``retry_after`` is the ``retry-after`` header of rate-limit faults; ``reset_in``
        puts a primary rate limit's ``x-ratelimit-reset`` that many seconds from now.
        A failed request changes no state. Requests the description refuses are
        rejected before injections are consulted, so they never use one up.
        """
        with self._lock:
            injection = Injection(fault, method.upper(), path, times, retry_after, reset_in)
            self.injections.append(injection)
            return injection

    # -- maintainer actions ----------------------------------------------------------

    def _person(self, by: str | None) -> User:
        return self.state.user(by) if by else self.state.maintainer

    def _issue(self, number: int) -> Issue:
        issue = self.state.issues.get(number)
        if issue is None:
            raise LookupError(f"{self.repo} has no issue or pull request #{number}")
        return issue

    def seed(self, files: Mapping[str, str | bytes], message: str = "Initial commit") -> str:
        """Replace the history by one commit holding ``files`` on the default branch."""
        with self._lock:
            return self.state.seed(files, message).sha

    def create_issue(
        self, title: str, body: str = "", *, labels: Iterable[str] = (), by: str | None = None
    ) -> int:
        """Open an issue as a person (default: the maintainer); returns its number."""
        with self._lock:
            return self.state.open_issue(title, body, self._person(by), labels=list(labels)).number

    def close_issue(
        self, number: int, *, reason: str = "not_planned", by: str | None = None
    ) -> None:
        """Close an issue or pull request as a person, with ``reason``."""
        with self._lock:
            issue = self._issue(number)
            if issue.state != "closed":
                self.state.close(issue, self._person(by), reason=reason)

    def reopen_issue(self, number: int) -> None:
        """Reopen a closed issue or pull request."""
        with self._lock:
            issue = self._issue(number)
            if issue.state != "open":
                self.state.reopen(issue)

    def comment(self, number: int, body: str, *, by: str | None = None) -> int:
        """Comment on an issue or pull request as a person; returns the comment id."""
        with self._lock:
            return self.state.add_comment(self._issue(number), body, self._person(by)).id

    def label_issue(self, number: int, *names: str) -> None:
        """Add labels to an issue or pull request (creating missing labels)."""
        with self._lock:
            issue = self._issue(number)
            added = [x for x in self.state.ensure_labels(names) if x not in issue.labels]
            issue.labels = [*issue.labels, *added]
            self.state.touch(issue)

    def create_branch(self, name: str, *, from_ref: str | None = None) -> str:
        """Create branch ``name`` at ``from_ref`` (default: the default branch)."""
        with self._lock:
            start = self.state.git.resolve(from_ref or self.default_branch)
            if start is None:
                raise LookupError(f"no ref {from_ref}")
            self.state.clock.tick()
            self.state.set_ref(f"refs/heads/{name}", start.sha)
            return start.sha

    def push_commit(
        self,
        branch: str,
        files: Mapping[str, str | bytes | None],
        *,
        message: str = "Edit by a maintainer",
        by: str | None = None,
    ) -> str:
        """Push one commit by a person to ``branch``; ``None`` deletes a file."""
        with self._lock:
            if self.state.git.branch(branch) is None:
                raise LookupError(f"no branch {branch}")
            person = self._person(by)
            who = self.state.signature(person, self.state.clock.tick())
            changes = {p: None if c is None else as_bytes(c) for p, c in files.items()}
            return self.state.commit_files(branch, changes, message, who, who).sha

    def merge_pull(self, number: int, *, by: str | None = None, delete_branch: bool = False) -> str:
        """Merge an open pull request as a person; returns the merge commit's sha."""
        with self._lock:
            issue = self._issue(number)
            person = self._person(by)
            commit = self.state.merge(issue, person)
            if delete_branch and issue.pull is not None:
                self.state.delete_ref(f"refs/heads/{issue.pull.head_ref}", person)
            return commit.sha

    def close_pull(self, number: int, *, by: str | None = None) -> None:
        """Close a pull request without merging it."""
        self.close_issue(number, by=by)

    def delete_branch(self, name: str, *, by: str | None = None) -> None:
        """Delete a branch; open pull requests from or into it close."""
        with self._lock:
            self.state.delete_ref(f"refs/heads/{name}", self._person(by))

    def advance_clock(self, delta: timedelta | float) -> None:
        """Let time pass (seconds or a timedelta), e.g. a week between two bot runs."""
        with self._lock:
            self.clock.advance(delta if isinstance(delta, timedelta) else timedelta(seconds=delta))

    # -- inspection ------------------------------------------------------------------

    def files(self, ref: str | None = None) -> dict[str, bytes]:
        """Every file on ``ref`` (default: the default branch)."""
        commit = self.state.git.resolve(ref or self.default_branch)
        if commit is None:
            raise LookupError(f"no ref {ref}")
        return dict(commit.tree)

    def read_file(self, path: str, ref: str | None = None) -> bytes | None:
        """One file's bytes on ``ref``, or ``None`` when it does not exist there."""
        return self.files(ref).get(path)

    def branch_sha(self, name: str) -> str | None:
        """The commit branch ``name`` points at, or ``None`` when there is no such branch."""
        commit = self.state.git.branch(name)
        return commit.sha if commit else None

    def branches(self) -> list[str]:
        """Every branch name."""
        return sorted(self.state.git.branches())

    def commits(self, ref: str | None = None) -> list[Commit]:
        """The history of ``ref``, newest first."""
        commit = self.state.git.resolve(ref or self.default_branch)
        return [] if commit is None else self.state.git.history(commit.sha)

    def issue(self, number: int) -> dict[str, Any]:
        """Issue or pull request ``number`` as ``GET .../issues/{number}`` returns it."""
        with self._lock:
            return render.issue(self.state, self._issue(number))

    def pull(self, number: int) -> dict[str, Any]:
        """Pull request ``number`` as ``GET .../pulls/{number}`` returns it."""
        with self._lock:
            issue = self._issue(number)
            if issue.pull is None:
                raise LookupError(f"#{number} is an issue, not a pull request")
            return render.pull(self.state, issue, full=True)

    def issues(self, state: str = "all", *, pulls: bool = False) -> list[dict[str, Any]]:
        """Issues (and, with ``pulls``, pull requests) in ``state``, oldest first."""
        with self._lock:
            return [
                render.issue(self.state, i)
                for i in sorted(self.state.issues.values(), key=lambda i: i.number)
                if (pulls or i.pull is None) and state in ("all", i.state)
            ]

    def label_names(self) -> list[str]:
        """Every label's name, sorted."""
        return sorted((x.name for x in self.state.labels.values()), key=str.lower)
