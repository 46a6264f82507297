"""How a real page changes between two visits: noise a site produces, and real changes.

Each alteration takes a Case (the page, another page to borrow from, a seeded random
generator) and returns the altered HTML. They edit the runs of text between tags and
insert markup; they never parse the page with the code under test.
"""

from __future__ import annotations

import html
import json
import random
import re
from collections.abc import Callable
from dataclasses import dataclass

_PARTS = re.compile(
    r"(<!--.*?-->|<script\b.*?</script\s*>|<style\b.*?</style\s*>|<[^>]*>)", re.I | re.S
)
_TITLE = re.compile(r"(<title\b[^>]*>)(.*?)(</title\s*>)", re.I | re.S)
_H1 = re.compile(r"(<h1\b[^>]*>)(.*?)(</h1\s*>)", re.I | re.S)
_BODY_OPEN = re.compile(r"<body\b[^>]*>", re.I)
_SEPARATORS = re.compile(r"\s+(?:\||-|\u2013|\u2014|::|\u00b7)\s+")
PROSE_WORDS = 8
"""A run of text between two tags with at least this many words is prose, not a label."""

VOCABULARY = [
    "council", "budget", "river", "station", "report", "winter", "garden", "police",
    "market", "school", "museum", "library", "harbour", "project", "village", "festival",
    "energy", "health", "transport", "housing", "airport", "bridge", "election", "summit",
    "climate", "hospital", "farmers", "teachers", "research", "program", "county",
]  # fmt: skip


@dataclass(frozen=True)
class Page:
    id: str
    site: str
    html: str


@dataclass(frozen=True)
class Case:
    """One page to alter, another page to borrow from, and a seeded generator."""

    page: Page
    donor: Page
    rng: random.Random


# --- text surgery: operate on the runs of text between tags, never on markup ---------


def segments(page: str) -> list[str]:
    """The page split into markup (odd indexes) and text (even indexes)."""
    return _PARTS.split(page)


def body_text_indexes(parts: list[str]) -> list[int]:
    """Indexes of text runs inside <body> (or everywhere after <head> without one)."""
    in_body = not any(_BODY_OPEN.fullmatch(p) for p in parts[1::2])
    found = []
    for i, part in enumerate(parts):
        if i % 2:
            if _BODY_OPEN.fullmatch(part):
                in_body = True
            continue
        if in_body and part.strip():
            found.append(i)
    return found


_TAG_NAME = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)")
_BLOCK_TAGS = frozenset(
    ["p", "div", "ul", "ol", "li", "table", "tr", "td", "h1", "h2", "h3", "h4", "h5", "h6",
     "section", "article", "blockquote", "dl", "dd", "dt", "pre", "form", "header", "footer",
     "main", "aside", "nav", "figure"]
)  # fmt: skip


def prose_units(parts: list[str]) -> list[list[int]]:
    """Paragraphs of prose: the text runs of each <p> with at least PROSE_WORDS words
    outside links, and runs of as many words outside any <p> or link."""
    inside_body = set(body_text_indexes(parts))
    units: list[list[int]] = []
    paragraph: list[int] | None = None
    in_link = False

    def close() -> None:
        if paragraph and sum(len(parts[i].split()) for i in paragraph if i >= 0) >= PROSE_WORDS:
            units.append([abs(i) for i in paragraph])

    for i, part in enumerate(parts):
        if i % 2:
            tag = _TAG_NAME.match(part)
            if tag is None:
                continue
            closing, name = tag.group(1) == "/", tag.group(2).lower()
            if name == "a":
                in_link = not closing
            elif name in _BLOCK_TAGS and paragraph is not None:
                close()
                paragraph = None
            if name == "p" and not closing:
                paragraph = []
            continue
        if i not in inside_body:
            continue
        if paragraph is not None:
            paragraph.append(-i if in_link else i)  # negative: link text, not counted
        elif not in_link and len(html.unescape(part).split()) >= PROSE_WORDS:
            units.append([i])
    close()
    return units


def replace_unit(parts: list[str], unit: list[int], text: str) -> None:
    parts[unit[0]] = text
    for i in unit[1:]:
        parts[i] = ""


def unit_text(parts: list[str], unit: list[int]) -> str:
    return " ".join(parts[i] for i in unit)


def after_body_open(page: str, snippet: str) -> str:
    match = _BODY_OPEN.search(page)
    at = match.end() if match else 0
    return page[:at] + snippet + page[at:]


def before_content_end(page: str, snippet: str) -> str:
    """Insert inside the page's article or main element when it has one (harshest)."""
    lowered = page.lower()
    for closing in ("</article>", "</main>", "</body>"):
        at = lowered.rfind(closing)
        if at >= 0:
            return page[:at] + snippet + page[at:]
    return page + snippet


def site_name(page: Page) -> str:
    match = _TITLE.search(page.html)
    title = html.unescape(match.group(2)).strip() if match else ""
    parts = [p for p in _SEPARATORS.split(title) if p.strip()]
    return parts[-1].strip() if len(parts) > 1 else page.site


def title_of(page: Page) -> str:
    match = _TITLE.search(page.html)
    return html.unescape(match.group(2)).strip() if match else ""


def set_title(page: str, title: str) -> str:
    escaped = html.escape(title)
    if _TITLE.search(page):
        return _TITLE.sub(lambda m: m.group(1) + escaped + m.group(3), page, count=1)
    return f"<title>{escaped}</title>" + page


def headline(rng: random.Random, words: int = 8) -> str:
    return " ".join(rng.choice(VOCABULARY) for _ in range(words)).capitalize()


# --- noise: what a site does between two visits ------------------------------------


_DIGIT_OR_ENTITY = re.compile(r"&#?\w+;|\d")


def _shift_digit(match: re.Match[str]) -> str:
    found = match.group()
    return found if found.startswith("&") else str((int(found) + 3) % 10)


def noise_dates(case: Case) -> str:
    page = case.page
    parts = segments(page.html)
    for i in body_text_indexes(parts):
        parts[i] = _DIGIT_OR_ENTITY.sub(_shift_digit, parts[i])
    stamp = '<p class="updated">Last updated on Friday, 9 October 2026 at 14:05</p>'
    return after_body_open("".join(parts), stamp)


def noise_counters(case: Case) -> str:
    page, rng = case.page, case.rng
    counters = (
        f'<div class="meta"><span>{rng.randint(1000, 99999):,} views</span> '
        f"<span>{rng.randint(2, 400)} comments</span> "
        f"<span>{rng.randint(2, 90)} shares</span></div>"
    )
    if _H1.search(page.html):
        return _H1.sub(lambda m: m.group(0) + counters, page.html, count=1)
    return after_body_open(page.html, counters)


def noise_cookie(case: Case) -> str:
    page = case.page
    notice = (
        '<div id="cookie-law-info-bar" class="cookie-notice"><p>We use cookies to give you '
        "the best experience on our website and to analyse our traffic. By clicking accept "
        "you agree to our use of cookies as described in our privacy policy.</p>"
        '<a href="#">Accept all</a> <a href="#">Reject</a> <a href="#">Settings</a></div>'
    )
    return after_body_open(page.html, notice)


def noise_banner(case: Case) -> str:
    page = case.page
    banner = (
        '<div class="site-alert"><p><strong>Notice:</strong> Our offices will be closed on '
        'Monday for the public holiday. <a href="/hours">See opening hours</a></p></div>'
    )
    return after_body_open(page.html, banner)


def noise_menu(case: Case) -> str:
    page, rng = case.page, case.rng
    labels = [" ".join(rng.sample(VOCABULARY, 2)).title() for _ in range(30)]
    items = "".join(
        f'<div class="menu-item"><a href="/section/{n}">{label}</a></div>'
        for n, label in enumerate(labels)
    )
    return after_body_open(page.html, f'<div class="menu-wrap">{items}</div>')


def noise_sidebar(case: Case) -> str:
    page, rng = case.page, case.rng

    def teaser_list(name: str) -> str:
        items = "".join(
            f'<li><a href="/story/{rng.randint(1, 10**6)}">{headline(rng)}</a></li>'
            for _ in range(8)
        )
        return f'<div class="widget"><h2>{name}</h2><ul>{items}</ul></div>'

    return before_content_end(page.html, teaser_list("Most popular") + teaser_list("Related"))


def noise_scripts(case: Case) -> str:
    page, rng = case.page, case.rng
    state = json.dumps({"session": f"{rng.getrandbits(64):x}", "ab": rng.choice("ABC")})
    script = f"<script>window.__STATE__ = {state};</script>"
    style = f"<style>.x{rng.randint(1, 999)} {{ color: #{rng.getrandbits(24):06x} }}</style>"
    page_with = after_body_open(page.html, script + style)
    return before_content_end(page_with, f'<script src="/app.{rng.getrandbits(32):x}.js"></script>')


def noise_word_edits(case: Case) -> str:
    """One word in twenty of the prose replaced by another word."""
    page, rng = case.page, case.rng
    parts = segments(page.html)
    count = 0
    for unit in prose_units(parts):
        for i in unit:
            words = parts[i].split(" ")
            for w in range(len(words)):
                if words[w].isalpha():
                    count += 1
                    if count % 20 == 0:
                        words[w] = rng.choice(VOCABULARY)
            parts[i] = " ".join(words)
    return "".join(parts)


# --- real changes ------------------------------------------------------------------


def change_replaced_body(case: Case) -> str:
    """The same template, title and heading; every paragraph is another site's prose."""
    page, donor = case.page, case.donor
    donor_parts = segments(donor.html)
    donor_prose = [unit_text(donor_parts, unit) for unit in prose_units(donor_parts)]
    parts = segments(page.html)
    for n, unit in enumerate(prose_units(parts)):
        replace_unit(parts, unit, donor_prose[n % len(donor_prose)] if donor_prose else "")
    return "".join(parts)


STUB = (
    " This page has moved. Our website has been reorganised and this content now lives "
    "at a new address; please update your bookmarks. "
)


def change_stub(case: Case) -> str:
    """The same template and title, the prose gone but one 'moved' sentence."""
    parts = segments(case.page.html)
    units = prose_units(parts)
    for unit in units:
        replace_unit(parts, unit, "")
    if units:
        parts[units[0][0]] = STUB
        return "".join(parts)
    return after_body_open("".join(parts), f"<p>{STUB}</p>")


def change_home_page(case: Case) -> str:
    """The site's home page: its name as title, teasers where the article was."""
    page, rng = case.page, case.rng
    name = html.escape(site_name(page))
    parts = segments(page.html)
    for unit in prose_units(parts):
        teaser = f'<a href="/story/{rng.randint(1, 10**6)}">{headline(rng)}</a>'
        replace_unit(parts, unit, teaser)
    home = _H1.sub(lambda m: m.group(1) + name + m.group(3), "".join(parts), count=1)
    return set_title(home, site_name(page))


FIRST_WORDS = 40
"""A first paragraph longer than this (a page written as one block) is cut to it."""


def change_first_paragraph(case: Case) -> str:
    parts = segments(case.page.html)
    units = prose_units(parts)
    for unit in units[1:]:
        replace_unit(parts, unit, "")
    if units:
        words = html.unescape(unit_text(parts, units[0])).split()
        if len(words) > FIRST_WORDS:
            replace_unit(parts, units[0], html.escape(" ".join(words[:FIRST_WORDS])))
    return "".join(parts)


def change_new_title(case: Case) -> str:
    page, donor, rng = case.page, case.donor, case.rng
    return set_title(page.html, title_of(donor) or headline(rng))


def change_same_site(case: Case) -> str:
    donor = case.donor
    return donor.html


Alteration = Callable[[Case], str]
NOISE: dict[str, Alteration] = {
    "dates": noise_dates,
    "counters": noise_counters,
    "cookie": noise_cookie,
    "banner": noise_banner,
    "menu": noise_menu,
    "sidebar": noise_sidebar,
    "scripts": noise_scripts,
    "word_edits": noise_word_edits,
}
CHANGES: dict[str, Alteration] = {
    "replaced_body": change_replaced_body,
    "same_site": change_same_site,
    "stub": change_stub,
    "home_page": change_home_page,
    "first_paragraph": change_first_paragraph,
    "new_title": change_new_title,
}
