"""Which text of a real-looking page is compared, and what then counts as drift.

Each page here is small and written for the test, but built the way real sites build
theirs: a promo ``<article>`` before the content, ``<body>`` classes from consent
plugins, menus of plain ``<div>``s, ``<main>`` full of teaser lists, ASP.NET forms around
the whole page, soft hyphens. Analysis is pure, so these tests call it directly.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from catalogbot.accept import thin_baseline
from catalogbot.drift.analyse import PageAnalysis, PageInput, analyse, title_similarity
from catalogbot.drift.content import NOISE_TOKEN
from catalogbot.drift.extract import extract
from catalogbot.drift.snapshot import Snapshot

HTML = "text/html; charset=utf-8"
ARTICLE = (
    "The county board approved a new plan for overdose prevention on Tuesday evening. "
    "It funds naloxone kits for every library branch, training for staff at shelters, "
    "and a peer support line that answers calls at night. Officials said the plan came "
    "from months of listening sessions with families, clinics and first responders. "
    "The first kits arrive next month, and the county will publish how many were used. "
)
OTHER = (
    "Flooding closed the river road for a week and the bridge inspection found cracks. "
    "Engineers recommend replacing the deck before winter, which would reroute buses "
    "through the market district. Shop owners asked for signs and longer parking hours "
    "while the works last, and the council promised a decision by the end of the month. "
    "Residents can comment on the detour at the town hall meeting on Thursday. "
)
SECTIONS = (
    "news sport weather travel health money culture science opinion video audio local "
    "world business politics education environment careers events contact"
)
MENU = "".join(
    f'<div class="item"><a href="/s/{n}">Section {word}</a></div>'
    for n, word in enumerate(SECTIONS.split(" "))
)


def page(title: str, body: str, *, head: str = "", body_attrs: str = "") -> bytes:
    return (
        f"<!doctype html><html><head><title>{title}</title>{head}</head>"
        f"<body{body_attrs}>{body}</body></html>"
    ).encode()


def accepted(body: bytes) -> Snapshot:
    seen = analyse(PageInput(body, HTML, want_text=True))
    return Snapshot.of(
        id="r", url="u", final_url="u", content_type=HTML, kind="html", size=len(body),
        title=seen.title, text=seen.text or "", accepted_at="t", page_digest=seen.page_digest,
    )  # fmt: skip


def checked(baseline: Snapshot, body: bytes) -> PageAnalysis:
    """``body`` compared with ``baseline``, read from its file as a check reads it."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{baseline.id}.txt"
        path.write_text(baseline.render(), encoding="utf-8")
        return analyse(PageInput(body, HTML, baseline_file=str(path), resource_id=baseline.id))


def news_item(
    title: str = "County approves overdose plan | Courier",
    text: str = ARTICLE,
    *,
    promo: str = "Subscribe today and save half on your first year",
    teasers: str = "",
    body_attrs: str = "",
) -> bytes:
    """A news item whose first <article> is a promo and whose content has no element
    of its own, with a menu of plain divs around it."""
    heading = title.split(" | ", maxsplit=1)[0]
    return page(
        title,
        f'<div class="menu">{MENU}</div><article class="promo"><p>{promo}</p></article>'
        f'<div class="story"><h1>{heading}</h1><p>{text}</p>{teasers}</div>'
        f'<div class="menu">{MENU}</div>',
        body_attrs=body_attrs,
    )


def teaser_list(name: str, headlines: list[str]) -> str:
    items = "".join(f'<li><a href="/story/{n}">{h}</a></li>' for n, h in enumerate(headlines))
    return f"<div><h2>{name}</h2><ul>{items}</ul></div>"


def test_the_content_is_the_part_holding_the_h1_not_the_first_article() -> None:
    baseline = accepted(news_item())
    assert "overdose prevention" in baseline.text
    rotated = checked(baseline, news_item(promo="Win tickets to the summer festival now"))
    assert rotated.drift is None
    replaced = checked(baseline, news_item(text=OTHER))
    assert replaced.drift == "content_changed"


def test_menus_of_plain_divs_do_not_outweigh_a_short_item() -> None:
    baseline = accepted(news_item())
    assert "section" not in baseline.text.split()
    moved = news_item(text="This page has moved to our new website.")
    assert checked(baseline, moved).drift == "content_changed"
    home = page(
        "Courier",
        f'<div class="menu">{MENU}</div>'
        + teaser_list("Top stories", [f"Story number {w} of the day" for w in "abcdef"]),
    )
    assert checked(baseline, home).drift is not None


def test_teaser_lists_inside_main_fall_away_wherever_they_sit() -> None:
    def with_lists(text: str, headlines: list[str]) -> bytes:
        popular = teaser_list("Most popular", headlines)
        return page(
            "County approves overdose plan | Courier",
            f"<main>{popular}<h1>County approves overdose plan</h1><p>{text}</p>"
            f"{teaser_list('More from Courier', headlines[::-1])}</main>",
        )

    first = [f"Mayor opens new {w} centre in the old mill district" for w in "abcdefgh"]
    later = [f"Council delays vote on {w} budget after long debate" for w in "ijklmnop"]
    baseline = accepted(with_lists(ARTICLE, first))
    assert "mayor" not in baseline.text
    assert checked(baseline, with_lists(ARTICLE, later)).drift is None
    cut = with_lists(ARTICLE.split(". ", maxsplit=1)[0] + ".", later)
    assert checked(baseline, cut).drift == "content_changed"


@pytest.mark.parametrize("classes", ["cookies-not-set", "has-breadcrumbs js-consent-ok"])
def test_consent_rules_never_remove_the_body(classes: str) -> None:
    body_attrs = f' class="{classes}"'
    baseline = accepted(news_item(body_attrs=body_attrs))
    assert "naloxone" in baseline.text
    other = news_item("Bridge closed after flooding | Courier", OTHER, body_attrs=body_attrs)
    assert checked(baseline, other).drift == "content_changed"


def test_whole_consent_banners_and_breadcrumbs_are_still_removed() -> None:
    banner = (
        '<div id="cookie-law-info-bar" class="cookie-notice"><p>We use cookies to improve '
        'your experience.</p></div><ol class="breadcrumbs"><li>Home</li><li>News</li></ol>'
    )
    text = extract(page("T", banner + f"<p>{ARTICLE}</p>"), HTML).text
    assert "cookies" not in text
    assert "Home" not in text
    assert "naloxone" in text
    for token in ("cookie-notice", "cookie-law-info-bar", "breadcrumbs", "cc-cookie-banner"):
        assert NOISE_TOKEN.fullmatch(token), token
    for token in ("cookies-not-set", "has-breadcrumbs", "no-cookie-consent-yet"):
        assert not NOISE_TOKEN.fullmatch(token), token


def test_an_aspnet_form_around_the_page_is_content_and_a_search_form_is_not() -> None:
    body = (
        '<div class="search"><form action="/search"><label>Search the site for anything'
        '</label></form></div><form id="aspnetForm" method="post" action="./page.aspx">'
        f"<div><h1>Overdose plan</h1><p>{ARTICLE}</p></div></form>"
    )
    text = extract(page("Overdose plan", body), HTML).text
    assert "naloxone" in text
    assert "Search the site" not in text


def test_soft_hyphens_and_zero_width_characters_do_not_split_words() -> None:
    baseline = accepted(page("Plan", f"<p>{ARTICLE}</p>"))
    hyphenated = ARTICLE.replace("overdose", "over\u00addose").replace("naloxone", "nal\u200boxone")
    now = checked(baseline, page("Plan", f"<p>{hyphenated}</p>"))
    assert now.similarity == 1.0
    assert now.drift is None


def test_the_title_is_compared_on_a_page_without_text() -> None:
    """An image-only page (or one read as empty) still changes when its title does."""
    baseline = accepted(page("Annual report 2024 | Agency", '<img src="cover.png">'))
    assert baseline.text == ""
    assert checked(baseline, page("Agency", '<img src="cover.png">')).drift == "title_changed"
    same = checked(baseline, page("Annual report 2024 | Agency", '<img src="c.png">'))
    assert same.drift is None


def test_a_title_that_is_only_the_site_name_never_agrees() -> None:
    assert title_similarity("Courier", "County approves overdose plan | Courier") == 0.0
    assert title_similarity("Budget vote | City News", "Flood warning | City News") == 0.0
    # A site that renames its title suffix has not changed what the page is about.
    assert title_similarity("Naloxone Saves | NCDHHS", "Naloxone Saves - NC Health") >= 0.5
    assert title_similarity("Naloxone Saves", "Naloxone Saves | NCDHHS") == 1.0


def test_a_baseline_with_almost_no_text_is_flagged() -> None:
    thin = accepted(page("Apply", "<h1>Apply</h1><p>Use the form below to apply.</p>"))
    warning = thin_baseline(thin)
    assert warning is not None
    assert "selector" in warning
    assert thin_baseline(accepted(page("Plan", f"<p>{ARTICLE * 2}</p>"))) is None


def test_a_drifted_page_carries_what_it_says_now_as_written() -> None:
    baseline = accepted(news_item())
    now = checked(baseline, news_item("Bridge closed after flooding | Courier", OTHER * 3))
    assert now.drift == "content_changed"
    assert now.baseline_title == "County approves overdose plan | Courier"
    assert now.title == "Bridge closed after flooding | Courier"
    assert now.opening.startswith("Flooding closed the river road for a week")
    assert now.opening.endswith(".")
    assert len(now.opening) <= 300
    assert now.baseline_opening.startswith("county approves overdose plan the county board")
    assert checked(baseline, news_item()).opening == ""
