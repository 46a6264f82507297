"""Make text from remote pages safe to show in Markdown that GitHub renders.

Page titles, redirect targets and error messages come from servers anyone controls.
In an issue or a job summary they must not inject links, images or HTML, ping people
(@name) or cross-reference issues (#123).
"""

from __future__ import annotations

import re

ZERO_WIDTH_SPACE = "\u200b"
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-!|~>])")
_MENTION = re.compile(r"(?<![\w.+-])@(?=[A-Za-z0-9])")
_REFERENCE = re.compile(r"(?<!&)#(?=\d)")
"""#123, also after a word: owner/repo#123 references (and after "fixes" closes)
another repository's issue. Not the ``&#`` of an HTML entity."""
_GH_REFERENCE = re.compile(r"\b(GH)(\\?-)(?=\d)", re.IGNORECASE)
"""GH-123, also once escaped as Markdown (GH\\-123, which GitHub shows as GH-123)."""
_ISSUE_LINK = re.compile(r"(github\.com/[^\s/]+/[^\s/]+/(?:issues|pull|discussions))/", re.I)
_HIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""Control characters and bidirectional overrides and isolates: a page title with U+202E
shows 'gnp.exe' as 'exe.png' wherever it is rendered (tabs and newlines are layout)."""
_SAFE_URL = re.compile(r"https?://[^\s<>\"'`\\\x00-\x1f\x7f]+\Z", re.IGNORECASE)
_URL_IN_TEXT = re.compile(r"https?://[^\s<>\"'`\\\x00-\x1f\x7f]+[^\s<>\"'`\\.,;:!?)\]]", re.I)
"""A web address inside prose, without the punctuation that ends the sentence."""


def visible(text: str) -> str:
    """Text with control and direction-changing characters written out (``\\u202e``), so
    that they cannot hide or reorder what a reader sees."""
    return _HIDDEN.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def neutralise(text: str) -> str:
    """Break @mentions and issue references (#123, GH-123, links to GitHub issues and
    pull requests) with a zero-width space; keep the text readable."""
    text = _MENTION.sub("@" + ZERO_WIDTH_SPACE, text)
    text = _REFERENCE.sub("#" + ZERO_WIDTH_SPACE, text)
    text = _GH_REFERENCE.sub(lambda m: f"{m.group(1)}{ZERO_WIDTH_SPACE}{m.group(2)}", text)
    return _ISSUE_LINK.sub(lambda m: f"{m.group(1)}{ZERO_WIDTH_SPACE}/", text)


def inline(text: str, limit: int = 300) -> str:
    """Untrusted text as one line of inert Markdown, at most ``limit`` characters."""
    return _inert(_one_line(text, limit))


def _one_line(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _inert(text: str) -> str:
    text = visible(text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return neutralise(_MARKDOWN.sub(r"\\\1", text))


def code_block(text: str, language: str = "", limit: int = 4000) -> str:
    """Untrusted text inside a fenced code block that it cannot break out of."""
    if len(text) > limit:
        text = text[:limit] + "\n…"
    text = visible(text)
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{language}\n{neutralise(text)}\n{fence}"


def url(link: str, limit: int = 500) -> str:
    """A URL as a clickable autolink when it is a plain web address, else as inert text
    (a link to a GitHub issue would notify that issue)."""
    if _plain_url(link, limit):
        return f"<{link}>"
    return f"`{inline(link, limit).replace('`', '')}`"


def _plain_url(link: str, limit: int) -> bool:
    return len(link) <= limit and bool(_SAFE_URL.match(link)) and not _ISSUE_LINK.search(link)


def link(text: str, address: str | None, limit: int = 300) -> str:
    """Untrusted text linked to an untrusted address: a Markdown link when the address
    is a plain web address (in angle brackets, so no parenthesis or space in it can end
    the link early), else the text alone."""
    label = inline(text, limit)
    if address and _plain_url(address, 500):
        return f"[{label}](<{address}>)"
    return label


def prose(text: str, limit: int = 1000) -> str:
    """Untrusted text as one line of inert Markdown whose web addresses stay clickable
    (escaping them as text would break them: a note naming a fallback address)."""
    text = _one_line(text, limit)
    out, start = [], 0
    for match in _URL_IN_TEXT.finditer(text):
        out += [_inert(text[start : match.start()]), url(match.group(), limit)]
        start = match.end()
    out.append(_inert(text[start:]))
    return "".join(out)
