"""Drift: accept a page's baseline, change the page, check again.

The noise of the web must stay ok; a replaced page, a new title or a new format must
be drifted. Pages are served by a real loopback server and changed between runs.
"""

from __future__ import annotations

import asyncio
import dataclasses
from pathlib import Path

import pytest

from catalogbot.accept import accept_resources
from catalogbot.catalog.model import Resource
from catalogbot.check import CheckResult
from catalogbot.check.run import check_resources
from catalogbot.drift.snapshot import SnapshotStore, parse_snapshot
from conftest import Serve
from support.checking import FAST, resource
from support.pdfs import encrypt_pdf, make_pdf
from support.webserver import Reply, RunningSite, Site, html

TOOLKIT = (
    "This toolkit explains how to establish a jail based overdose prevention education "
    "program. It covers staff training, naloxone distribution at release, partnerships "
    "with local health departments, data collection, and how to sustain the program "
    "over time with county funding and community partners. Each section lists the "
    "steps, the people involved, sample policies and forms, and lessons learned from "
    "detention centers in North Carolina that started programs in recent years. "
)


def toolkit_page(
    *,
    title: str = "Jail-based Overdose Prevention Toolkit",
    body: str = TOOLKIT * 3,
    nav: str = "<a href=/>Home</a> <a href=/about>About</a> <a href=/news>News</a>",
    footer: str = "Last updated March 3, 2024",
    extra: str = "",
) -> Reply:
    """The resource page as its site serves it, with the parts that vary."""
    return Reply(
        body=html(
            title,
            f"<header><nav>{nav}</nav></header>{extra}<main><h1>{title}</h1><p>{body}</p>"
            f"</main><footer>{footer}</footer><script>var session='{id(body)}';</script>",
        )
    )


class Scenario:
    """One resource on one site, accepted once, then checked after each change."""

    def __init__(self, site: RunningSite, root: Path, **check: object) -> None:
        self.site = site
        self.store = SnapshotStore(root / "catalog.yaml")
        self.resource = resource(site.url("/toolkit"), "toolkit", check=check or None)

    def serve(self, reply: Reply) -> None:
        self.site.site.routes["/toolkit"] = reply

    def accept(self) -> str:
        _, (outcome,) = asyncio.run(
            accept_resources([self.resource], dataclasses.replace(FAST), self.store)
        )
        assert outcome.path is not None, outcome.refused
        return outcome.path.read_text()

    def check(self) -> CheckResult:
        run = asyncio.run(check_resources([self.resource], FAST, snapshots=self.store))
        (result,) = run.results
        return result


@pytest.fixture
def scenario(sites: Serve, tmp_path: Path) -> Scenario:
    (site,) = sites(Site({"/toolkit": toolkit_page()}))
    return Scenario(site, tmp_path)


def test_unchanged_page_is_ok_with_full_similarity(scenario: Scenario) -> None:
    """Accept, then check the same page: ok, similarity 1.0, the digest recorded."""
    snapshot = parse_snapshot(scenario.accept(), "toolkit.txt")
    result = scenario.check()
    assert (result.status, result.similarity) == ("ok", 1.0)
    assert result.digest == snapshot.digest


@pytest.mark.parametrize(
    "change",
    [
        {"footer": "Last updated November 28, 2026 at 14:05"},
        {"nav": "<a href=/news>News</a> <a href=/>Home</a> <a href=/events>Events</a>"},
        {"extra": "<div id='cookie-banner'>We use cookies. Accept all?</div>"},
        {"body": (TOOLKIT * 3).upper()},
        {"body": (TOOLKIT * 3).replace(" ", "   \n ")},
        {"body": TOOLKIT * 3 + " Visited 12,345 times. Session a8f3k2j4h5g6f7d8s9a0q1w2."},
        {"body": (TOOLKIT * 3).replace("county", "state").replace("steps", "stages")},
        {"title": "Jail-based Overdose Prevention Toolkit | NC DHHS"},
        {
            "title": "Overdose Prevention Toolkit - North Carolina Department of Health "
            + "Services"
        },
    ],
    ids=[
        "date",
        "navigation",
        "cookie-banner",
        "case",
        "whitespace",
        "counters",
        "few-words",
        "title-suffix",
        "new-site-suffix",
    ],
)
def test_noise_stays_ok(scenario: Scenario, change: dict[str, str]) -> None:
    """Dates, navigation, banners, case, spacing, counters and small edits are not drift."""
    scenario.accept()
    scenario.serve(toolkit_page(**change))
    result = scenario.check()
    assert result.status == "ok", (result.reason, result.detail)
    assert result.similarity is not None
    assert result.similarity >= 0.5


def test_replaced_body_is_content_changed_with_an_excerpt(scenario: Scenario) -> None:
    """The toolkit replaced by a press release: drifted, content_changed, a short diff."""
    scenario.accept()
    press = "The department announced new funding for county programs today. " * 8
    scenario.serve(toolkit_page(body=press))
    result = scenario.check()
    assert (result.status, result.reason) == ("drifted", "content_changed")
    assert result.similarity is not None
    assert result.similarity < 0.2
    assert result.excerpt is not None
    assert result.excerpt.startswith("--- accepted baseline")
    assert len(result.excerpt.splitlines()) <= 15


def test_unrelated_title_is_title_changed(scenario: Scenario) -> None:
    """Same text, a title about something else: drifted, title_changed."""
    scenario.accept()
    scenario.serve(toolkit_page(title="Annual Budget Report"))
    result = scenario.check()
    assert (result.status, result.reason) == ("drifted", "title_changed")
    assert "Annual Budget Report" in result.detail


def test_lapsed_domain_selling_shoes_is_drifted(scenario: Scenario) -> None:
    """The nonprofit's domain now sells shoes: the text shares nothing with the baseline."""
    scenario.accept()
    shop = Reply(
        body=html(
            "Best Running Shoes", "<main><p>" + "Buy running shoes now. " * 40 + "</p></main>"
        )
    )
    scenario.serve(shop)
    result = scenario.check()
    assert (result.status, result.reason) == ("drifted", "content_changed")


def test_selector_narrows_what_counts(sites: Serve, tmp_path: Path) -> None:
    """With a selector, changes outside it are ignored and changes inside it count."""
    (site,) = sites(Site({"/toolkit": toolkit_page(extra="<aside class=x>Related news</aside>")}))
    scenario = Scenario(site, tmp_path, selector="main p")
    scenario.accept()
    scenario.serve(toolkit_page(extra="<div class=promo>" + "Sale! " * 100 + "</div>"))
    assert scenario.check().status == "ok"
    scenario.serve(toolkit_page(body="Completely different words about budgets. " * 10))
    assert scenario.check().status == "drifted"


def test_ignore_patterns_leave_text_out(sites: Serve, tmp_path: Path) -> None:
    """Text matching an ignore pattern does not count, however much it changes."""
    (site,) = sites(
        Site({"/toolkit": toolkit_page(body=TOOLKIT + " Tip of the day: drink water.")})
    )
    scenario = Scenario(site, tmp_path, ignore=[r"Tip of the day:[^.]*\."])
    scenario.accept()
    tip = " Tip of the day: " + "exercise breathing stretching walking " * 30 + "."
    scenario.serve(toolkit_page(body=TOOLKIT + tip))
    result = scenario.check()
    assert (result.status, result.similarity) == ("ok", 1.0)


def test_threshold_can_be_stricter_per_resource(sites: Serve, tmp_path: Path) -> None:
    """A threshold of 0.95 turns a small edit into drift for that resource."""
    (site,) = sites(Site({"/toolkit": toolkit_page()}))
    scenario = Scenario(site, tmp_path, threshold=0.95)
    scenario.accept()
    edited = (TOOLKIT * 3).replace("county", "state").replace("steps", "stages")
    scenario.serve(toolkit_page(body=edited))
    assert scenario.check().status == "drifted"


def pdf_reply(document: bytes) -> Reply:
    return Reply(body=document, headers=(("Content-Type", "application/pdf"),))


LINES = [
    "Tailoring Crisis Response and Pre-Arrest Diversion Models for Rural Communities",
    "This action brief provides recommended strategies for adapting interventions",
    "to better support crisis response and pre-arrest diversion in rural communities.",
    "It describes mobile crisis teams, law enforcement partnerships, telehealth,",
    "peer support and the funding that rural counties have used to sustain them.",
]


def test_reexported_pdf_with_the_same_text_is_ok(scenario: Scenario) -> None:
    """The same words in a PDF written by another program (new bytes) stay ok."""
    scenario.serve(pdf_reply(make_pdf(LINES, title="Tailoring Crisis Response", producer="A")))
    snapshot = parse_snapshot(scenario.accept(), "toolkit.txt")
    assert snapshot.kind == "pdf"
    assert "mobile crisis teams" in snapshot.text
    scenario.serve(pdf_reply(make_pdf(LINES, title="Tailoring Crisis Response", producer="B 2.0")))
    result = scenario.check()
    assert (result.status, result.similarity) == ("ok", 1.0)


def test_rewritten_pdf_is_content_changed(scenario: Scenario) -> None:
    """A PDF now holding another document is drifted."""
    scenario.serve(pdf_reply(make_pdf(LINES)))
    scenario.accept()
    other = [
        "Annual financial statement",
        "Revenue and expenses for the fiscal year",
        "Audit notes",
    ]
    scenario.serve(pdf_reply(make_pdf(other)))
    assert (scenario.check().status, scenario.check().reason) == ("drifted", "content_changed")


def test_pdf_turned_into_a_landing_page_is_format_changed(scenario: Scenario) -> None:
    """The PDF became an HTML page (even one with the same words): format_changed."""
    scenario.serve(pdf_reply(make_pdf(LINES)))
    scenario.accept()
    scenario.serve(
        Reply(body=html("Tailoring Crisis Response", "<main>" + " ".join(LINES) + "</main>"))
    )
    result = scenario.check()
    assert (result.status, result.reason) == ("drifted", "format_changed")
    assert "PDF" in result.detail


def test_page_turned_into_a_pdf_is_format_changed(scenario: Scenario) -> None:
    """An HTML page replaced by a PDF download is a change of format too."""
    scenario.accept()
    scenario.serve(pdf_reply(make_pdf(LINES)))
    assert scenario.check().reason == "format_changed"


def test_encrypted_pdf_is_compared_by_size(scenario: Scenario) -> None:
    """A PDF whose text cannot be read is recorded by kind and size, and checked by size."""
    document = encrypt_pdf(make_pdf(LINES))
    scenario.serve(pdf_reply(document))
    snapshot = parse_snapshot(scenario.accept(), "toolkit.txt")
    assert (snapshot.kind, snapshot.size, snapshot.text) == ("pdf", len(document), "")
    first = scenario.check()
    assert first.status == "ok"
    assert "content_unreadable" in first.warnings
    scenario.serve(pdf_reply(encrypt_pdf(make_pdf(LINES * 12))))
    assert scenario.check().status == "drifted"


HTML = (("Content-Type", "text/html"),)
UNREADABLE = ("content_unreadable",)


@pytest.mark.parametrize(
    ("reply", "reason", "warnings"),
    [
        (Reply(body=b"\x00\x01\x02\xff" * 5000, headers=HTML), "content_changed", UNREADABLE),
        (
            Reply(body=b"<html><body><div><p>unclosed <b>tags <i>everywhere", headers=HTML),
            "content_changed",
            (),
        ),
        (
            Reply(
                body="<p>caf\xe9 cr\xe8me</p>".encode("latin-1"),
                headers=(("Content-Type", "text/html; charset=utf-8"),),
            ),
            "content_changed",
            (),
        ),
        (
            Reply(
                body="<p>caf\xe9</p>".encode("latin-1"),
                headers=(("Content-Type", "text/html; charset=no-such-charset"),),
            ),
            "content_changed",
            (),
        ),
        (pdf_reply(b"%PDF-1.7\n" + b"garbage " * 1000), "format_changed", UNREADABLE),
        (pdf_reply(make_pdf(LINES)[:300]), "format_changed", UNREADABLE),
    ],
    ids=[
        "binary-as-html",
        "broken-html",
        "wrong-charset",
        "unknown-charset",
        "malformed-pdf",
        "truncated-pdf",
    ],
)
def test_bad_content_never_crashes(
    scenario: Scenario, reply: Reply, reason: str, warnings: tuple[str, ...]
) -> None:
    """Binary as HTML, broken HTML, wrong charsets, damaged PDFs in place of the accepted
    page: a drift result, never a crash (a PDF where a web page was is a new format)."""
    scenario.accept()
    scenario.serve(reply)
    result = scenario.check()
    assert (result.status, result.reason, result.warnings) == ("drifted", reason, warnings)


def test_no_baseline_is_ok_and_says_so(scenario: Scenario) -> None:
    """Without a baseline a page cannot drift; the result notes that none exists yet."""
    result = scenario.check()
    assert result.status == "ok"
    assert "no_baseline" in result.warnings


def test_unreadable_baseline_is_a_warning(scenario: Scenario) -> None:
    """A damaged snapshot file does not stop the run; the result says so."""
    scenario.store.root.mkdir()
    scenario.store.path_for("toolkit").write_text("not a snapshot\n")
    result = scenario.check()
    assert result.status == "ok"
    assert "baseline_unreadable" in result.warnings


def _accept(resources: list[Resource], store: SnapshotStore) -> list[str | None]:
    _, outcomes = asyncio.run(accept_resources(resources, FAST, store))
    return [o.refused for o in outcomes]


@pytest.mark.parametrize(
    ("reply", "why"),
    [
        (Reply(404, b"gone"), "broken (http_404)"),
        (Reply(body=html("For sale", "<p>This domain is for sale</p>")), "broken (parked)"),
        (Reply(503, html("Just a moment...", "")), "unverifiable (bot_challenge)"),
    ],
)
def test_accept_refuses_what_is_not_a_real_page(scenario: Scenario, reply: Reply, why: str) -> None:
    """A broken page, a parked domain or a bot wall is never recorded as a baseline."""
    scenario.serve(reply)
    (refused,) = _accept([scenario.resource], scenario.store)
    assert refused is not None
    assert refused.startswith(why)
    assert not scenario.store.path_for("toolkit").exists()


def test_failed_fetch_never_overwrites_a_baseline(scenario: Scenario) -> None:
    """Accept once; the page breaks; accepting again keeps the good baseline."""
    before = scenario.accept()
    scenario.serve(Reply(500, b"down"))
    (refused,) = _accept([scenario.resource], scenario.store)
    assert refused is not None
    assert scenario.store.path_for("toolkit").read_text() == before


def test_snapshot_file_reads_like_the_page(scenario: Scenario) -> None:
    """Header fields, a blank line, then the text wrapped at a readable width."""
    text = scenario.accept()
    header, body = text.split("\n\n", 1)
    names = [line.split(":", 1)[0] for line in header.splitlines()]
    assert names == [
        "catalogbot-snapshot", "id", "url", "final-url", "content-type", "kind", "size",
        "title", "opening", "digest", "page-digest", "answer-digest", "accepted-at",
    ]  # fmt: skip
    assert "\nopening: This toolkit explains how to establish a jail based overdose" in header
    assert all(len(line) <= 78 for line in body.splitlines())
    assert body.startswith("jail based overdose prevention toolkit this toolkit explains")
    leftovers = [p for p in scenario.store.root.iterdir() if p.name.startswith(".")]
    assert leftovers == []


def test_a_header_from_a_later_version_is_ignored_and_a_malformed_one_refused() -> None:
    """Snapshots stay readable when a later version adds a header line; a line that is
    not a header at all is still refused."""
    from catalogbot.drift.snapshot import SnapshotError

    text = (
        "catalogbot-snapshot: 1\nid: a\nurl: https://a.org/\nfinal-url: https://a.org/\n"
        "content-type: text/html\nkind: html\nsize: 10\ntitle: A\ndigest: sha256:0\n"
        "accepted-at: 2026-11-28T12:00:00Z\n{extra}\nsome words here\n"
    )
    later = parse_snapshot(text.format(extra="language: en\n"), "a.txt")
    assert (later.id, later.text) == ("a", "some words here")
    with pytest.raises(SnapshotError, match="unexpected header line"):
        parse_snapshot(text.format(extra="Not A Header Line\n"), "a.txt")


@pytest.mark.parametrize("extra", [-1, 0, 1, 5000])
def test_files_are_read_whole_up_to_the_limit(tmp_path: Path, extra: int) -> None:
    """read_regular gives the whole file when it fits and exactly ``limit`` bytes when
    it does not, so a too large snapshot or catalog is told apart from one that fits."""
    from catalogbot.files import read_regular

    data = bytes(range(256)) * 40
    path = tmp_path / "file.bin"
    path.write_bytes(data)
    limit = len(data) + extra
    assert read_regular(path, limit) == data[:limit]
