"""A merged catalog and a results file can hold anything: whatever sync writes from them
pings nobody, closes only the bot's own issues and changes only the catalog and its
snapshots."""

from __future__ import annotations

import re
from typing import Any

import pytest

from catalogbot.check.result import DriftEvidence, Relocation
from catalogbot.github.pulls import snapshot_path
from fakegithub import FakeGitHub
from test_sync import Bot, entry_issues, moved, open_pulls, result

HOSTILE = "Closes #1, fixes octo/catalog#1 @alice"
CATALOG = f"""\
version: 1
resources:
  - id: alpha
    title: "Alpha toolkit {HOSTILE}"
    url: https://alpha.example.org/toolkit
    note: "{HOSTILE} https://github.com/octo/catalog/issues/1 and https://alpha.example.org/old"
  - id: beta
    title: Beta guide
    url: https://beta.example.org/guide
  - id: gamma
    title: Gamma video
    url: https://gamma.example.org/watch
strategies:
  - id: naloxone
    title: "Naloxone {HOSTILE}"
    url: https://s.example.org/a)[@alice](https://evil.example/x)
    resources:
      introductory: [alpha, beta, gamma]
"""
ADDRESS = re.compile(r"<https?://[^<>\s]*>")
CODE_BLOCK = re.compile(r"^(`{3,}).*?^\1$", re.MULTILINE | re.DOTALL)
MENTION = re.compile(r"(?<![\w`<])@alice")
CLOSING = re.compile(
    r"\b(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?)\b:?\s+(?:[\w.-]+/[\w.-]+)?#(\d+)", re.I
)


@pytest.fixture
def fake_github_files() -> dict[str, str]:
    return {"catalog.yaml": CATALOG, "README.md": "# catalog\n"}


def written_texts(fake: FakeGitHub) -> list[str]:
    """Every title and body the bot sent to GitHub."""
    texts = []
    for request in fake.requests:
        data: Any = request.json
        if request.method != "GET" and isinstance(data, dict):
            texts += [str(data[k]) for k in ("title", "body", "message") if data.get(k)]
    return texts


def test_catalog_and_results_text_cannot_ping_close_or_write_elsewhere(
    fake_github: FakeGitHub,
) -> None:
    """Hostile titles, notes, strategy links, details, sources and page text over a run
    that opens issues and both fix pull requests: no mention, no closing reference but
    to the bot's own issues, no link broken out of, no file outside catalog.yaml and
    snapshots/."""
    human = fake_github.create_issue("A maintainer's own issue", "please keep me open")
    bot = Bot(fake_github, CATALOG)
    found = result(
        "alpha",
        "broken",
        "http_404",
        detail=HOSTILE,
        suggested_url="https://alpha.example.org/new",
        relocation=Relocation("https://alpha.example.org/new", HOSTILE, 0.9),
    )
    page = HOSTILE + " [x](https://evil.example/)"
    drifted = result(
        "beta",
        "drifted",
        "content_changed",
        detail=HOSTILE,
        excerpt=f"-{HOSTILE}\n+{page}",
        snapshot=f"catalogbot-snapshot: 1\nid: beta\n\n{page}\n",
        evidence=DriftEvidence(page, HOSTILE, page, HOSTILE),
    )
    for _ in range(2):
        bot.run(found, drifted, moved("gamma", "https://gamma.example.org/new"))
    assert len(open_pulls(fake_github)) == 2
    bot_issues = {i["number"] for i in entry_issues(fake_github)}
    assert human not in bot_issues
    texts = written_texts(fake_github)
    assert any("Closes #" in t for t in texts)
    for sent in texts:
        # Inside <...> an address is only an address, and a code block only text.
        text = CODE_BLOCK.sub("", ADDRESS.sub("", sent))
        assert not MENTION.search(text), text
        assert {int(n) for n in CLOSING.findall(text)} <= bot_issues, text
        assert "](https://evil.example" not in text, text
        assert "[@alice]" not in text, text
    assert fake_github.issue(human)["state"] == "open"
    main = fake_github.files()
    for branch in ("catalogbot/redirects", "catalogbot/snapshots"):
        changed = {p for p, data in fake_github.files(branch).items() if main.get(p) != data}
        assert changed, branch
        assert all(
            p == "catalog.yaml" or re.fullmatch(r"snapshots/[a-z0-9-]+\.txt", p) for p in changed
        )


def test_snapshot_files_are_written_only_beside_the_catalog() -> None:
    """An id that could name another place gets no snapshot path at all."""
    assert snapshot_path("data/catalog.yaml", "alpha-2") == "data/snapshots/alpha-2.txt"
    assert snapshot_path("catalog.yaml", "alpha") == "snapshots/alpha.txt"
    for hostile in ("../x", "a/b", ".github/workflows/x", "Alpha", "", "a" * 81, "a\n"):
        assert snapshot_path("catalog.yaml", hostile) is None
