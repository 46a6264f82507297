"""Where an HTML page's own content is, once its template is set aside.

Real pages rarely mark their content cleanly: the first ``<article>`` may be a promo,
``<main>`` may hold "Most popular" lists, a page may have no semantic element at all
and menus built from plain ``<div>``s, and ``<body>`` may carry classes such as
``cookies-not-set``. The rules here follow what well-kept extractors measure:

- An element is the content when it holds the page's ``<h1>`` and a fair share of its
  prose, or most of its prose (prose: text that is not the text of links); else the
  body is.
- Inside it, blocks made mostly of link text (menus, teaser lists, "related" boxes,
  tag clouds) are removed wherever they sit, unless they hold the ``<h1>``.
- Consent, cookie and breadcrumb rules match whole class tokens, never ``<html>`` or
  ``<body>``, and never an element that holds the ``<h1>``.
- A ``<form>`` that wraps the page (ASP.NET WebForms) is content; other forms are not.

Everything is measured in characters without spaces, from lexbor's own text walks,
so that a page costs a few native calls per block rather than Python per node.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from selectolax.lexbor import LexborHTMLParser, LexborNode

DROPPED_TAGS = [
    "script", "style", "noscript", "svg", "nav", "footer", "aside", "template", "iframe",
    "object", "embed", "canvas", "button", "select", "dialog", "input", "textarea",
]  # fmt: skip
HIDDEN_SELECTOR = (
    "[hidden], [aria-hidden=true], [role=navigation], [role=banner], [role=contentinfo]"
)
NOISE_SELECTOR = (
    "[id*=cookie i], [class*=cookie i], [id*=consent i], [class*=consent i], "
    "[class*=gdpr i], [id*=breadcrumb i], [class*=breadcrumb i], [class*=skip i]"
)
"""Elements that may be consent banners or breadcrumbs; NOISE_TOKEN decides."""
NOISE_TOKEN = re.compile(
    r"(?!(?:has|is|no|not|with|show|hide|js|enable|enabled)[-_])"
    r"(?:(?:[a-z]{1,6}[-_])?(?:cookie|consent|gdpr)[a-z]*(?:[-_](?:banner|notice|bar|law|info|popup|modal|"
    r"consent|container|wrapper|wrap|box|dialog|overlay|message|notification|policy|"
    r"settings|alert|window|layer|area))*"
    r"|(?:[a-z]{1,6}[-_])?(?:breadcrumbs?|skip[-_]?links?|skip[-_]to[-_]content)"
    r"(?:[-_](?:nav|list|trail|wrapper|wrap|container|bar|item|items))*)",
    re.I,
)
"""A class or id token naming a consent banner or breadcrumb trail as a whole, such as
``cookie-notice`` or ``breadcrumbs``; not a state flag such as ``cookies-not-set``."""

LINK_HEAVY = 0.5
"""A block whose text is more than this share of link text is navigation or teasers."""
PROSE_INSIDE = 300
"""A link-heavy block with this many characters of other text may still hold the
article next to its teasers: it is looked into rather than removed."""
LOOK_INSIDE = 0.1
"""A block with more link text than this may hold navigation further down."""
BLOCKS = frozenset(
    ["div", "section", "ul", "ol", "dl", "table", "tbody", "tr", "td", "header", "form",
     "article", "main", "center", "figure"]
)  # fmt: skip
"""Elements that group others; paragraphs and list items are judged with their group."""
BLOCK_SELECTOR = ", ".join(sorted(BLOCKS))
H1_SHARE = 0.25
"""A candidate holding the h1 must hold at least this share of the page's prose."""
MOST = 0.5
AROUND_H1 = 0.6
"""The element around the h1 that holds this share of the page's prose is its content."""


def size(node: LexborNode) -> int:
    """Characters of text, each text node stripped: markup indentation does not count."""
    return len(node.text(strip=True))


def link_size(node: LexborNode) -> int:
    return sum(size(link) for link in node.css("a"))


def prose_size(node: LexborNode) -> int:
    """Text that is not the text of links."""
    return size(node) - link_size(node)


def _holds_h1(node: LexborNode) -> bool:
    return node.tag == "h1" or node.css_first("h1") is not None


def _is_noise(node: LexborNode) -> bool:
    if node.tag in ("html", "body"):
        return False
    attributes = node.attributes
    tokens = (attributes.get("class") or "").split() + (attributes.get("id") or "").split()
    return any(NOISE_TOKEN.fullmatch(token) for token in tokens) and not _holds_h1(node)


def remove_template(parser: LexborHTMLParser) -> None:
    """Remove what is never content: hidden parts, consent banners, scripts, site
    headers and footers, and forms other than one wrapping the page."""
    for node in parser.css(HIDDEN_SELECTOR):
        if node.tag not in ("html", "body"):
            node.decompose()
    for node in [node for node in parser.css(NOISE_SELECTOR) if _is_noise(node)]:
        node.decompose()
    for node in parser.css("header"):
        if not _holds_h1(node):
            node.decompose()
    forms = parser.css("form")
    if forms and parser.body is not None:
        whole = size(parser.body)
        for form in forms:
            if not _holds_h1(form) and size(form) * 2 < whole:
                form.decompose()
    parser.strip_tags(DROPPED_TAGS)


def content_root(parser: LexborHTMLParser) -> LexborNode | None:
    """The element holding the page's content (see the module's docstring)."""
    body = parser.body
    if body is None:
        return None
    whole = max(prose_size(body), 1)
    qualified = []
    for node in parser.css("main, article, [role=main]"):
        prose = prose_size(node)
        if prose >= MOST * whole or (prose >= H1_SHARE * whole and _holds_h1(node)):
            qualified.append((prose, node))
    if not qualified:
        return _around_h1(parser, body, whole)
    largest = max(prose for prose, _ in qualified)
    # The smallest one that still holds most of what the largest holds: an <article>
    # inside a <main> that adds only teasers.
    return min((p for p in qualified if p[0] >= 0.6 * largest), key=lambda p: p[0])[1]


def _around_h1(parser: LexborHTMLParser, body: LexborNode, whole: int) -> LexborNode:
    """The closest element around the h1 that holds most of the page's prose, else the
    body: on a page without semantic elements, what sits outside the story (promos,
    sidebars, footers) is not compared."""
    h1 = parser.css_first("h1")
    node = h1.parent if h1 is not None else None
    while node is not None and node.tag != "body":
        if prose_size(node) >= AROUND_H1 * whole:
            return node
        node = node.parent
    return body


def drop_link_blocks(node: LexborNode) -> int:
    """Remove blocks made mostly of links anywhere under ``node``, top down: a block
    with little link text is kept whole without looking inside. Returns the size of
    the text removed."""
    removed = 0
    if node.css_first(BLOCK_SELECTOR) is None:
        return 0
    for child in list(node.iter()):
        if child.tag not in BLOCKS:
            continue
        text = size(child)
        if text == 0:
            continue
        links = link_size(child)
        if links > LINK_HEAVY * text and text - links < PROSE_INSIDE and not _holds_h1(child):
            child.decompose()
            removed += text
        elif links > LOOK_INSIDE * text:
            removed += drop_link_blocks(child)
    return removed
