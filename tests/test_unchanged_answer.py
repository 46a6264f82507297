"""A page whose answer is byte for byte the reviewed one is judged without parsing it.

The snapshot records the answer's digest; a check that gets the same answer again
knows the page is unchanged from the snapshot's header alone. The verdict must be
exactly the one the full analysis gives, and anything that could change what the
analysis says (another byte, another selector, a probe to compare with, a page with
something wrong) must still be analysed.
"""

from __future__ import annotations

import asyncio
import dataclasses
from pathlib import Path
from typing import Any

import pytest

from catalogbot.accept import accept_resources
from catalogbot.catalog.model import Resource
from catalogbot.check import CheckResult
from catalogbot.check.run import check_resources
from catalogbot.drift.analyse import PageAnalysis, PageInput, analyse
from catalogbot.drift.pool import InlineAnalyser
from catalogbot.drift.snapshot import (
    Snapshot,
    SnapshotError,
    SnapshotStore,
    answer_digest_of,
    read_snapshot_head,
)
from catalogbot.drift.unchanged import unchanged_analysis
from conftest import Serve
from support.checking import FAST, resource
from support.webserver import Reply, RunningSite, Site, html

WORDS = " ".join(f"Diversion programs help people number {n} find treatment." for n in range(40))


def toolkit(footer: str = "Updated in March") -> Reply:
    return Reply(body=html("Diversion Toolkit", f"<main><p>{WORDS}</p></main><p>{footer}</p>"))


class CountingAnalyser(InlineAnalyser):
    """Analyses in the test's process and counts the pages it was given."""

    def __init__(self) -> None:
        self.pages: list[PageInput] = []

    async def analyse(self, page: PageInput) -> PageAnalysis:
        self.pages.append(page)
        return await super().analyse(page)


class Scenario:
    def __init__(self, site: RunningSite, root: Path) -> None:
        self.site = site
        self.store = SnapshotStore(root / "catalog.yaml")
        self.resource = resource(site.url("/toolkit"), "toolkit")

    def accept(self, entry: Resource | None = None) -> Path:
        _, (outcome,) = asyncio.run(accept_resources([entry or self.resource], FAST, self.store))
        assert outcome.path is not None, outcome.refused
        return outcome.path

    def check(self, entry: Resource | None = None) -> tuple[CheckResult, int]:
        """The result, and how many pages were analysed to get it."""
        analyser = CountingAnalyser()
        run = asyncio.run(
            check_resources([entry or self.resource], FAST, snapshots=self.store, analyser=analyser)
        )
        (result,) = run.results
        return result, len(analyser.pages)


@pytest.fixture
def scenario(sites: Serve, tmp_path: Path) -> Scenario:
    (site,) = sites(Site({"/toolkit": toolkit()}))
    return Scenario(site, tmp_path)


def _comparable(result: CheckResult) -> CheckResult:
    return dataclasses.replace(result, elapsed_ms=0, checked_at="")


def test_the_same_answer_is_not_parsed_and_gets_the_analysed_verdict(scenario: Scenario) -> None:
    path = scenario.accept()
    assert "\nanswer-digest: sha256:" in path.read_text()
    quick, analysed_pages = scenario.check()
    assert analysed_pages == 0
    assert (quick.status, quick.similarity, quick.title) == ("ok", 1.0, "Diversion Toolkit")

    # The same baseline without the answer's digest (as recorded by earlier versions)
    path.write_text("".join(
        line for line in path.read_text().splitlines(keepends=True)
        if not line.startswith("answer-digest:")
    ))  # fmt: skip
    full, analysed_pages = scenario.check()
    assert analysed_pages == 1
    assert _comparable(quick) == _comparable(full)


def test_one_changed_byte_is_parsed_and_compared(scenario: Scenario) -> None:
    scenario.accept()
    scenario.site.site.routes["/toolkit"] = toolkit(footer="Updated in April")
    result, analysed_pages = scenario.check()
    assert analysed_pages == 1
    assert (result.status, result.similarity) == ("ok", 1.0)


def test_a_new_selector_reads_the_same_answer_again(scenario: Scenario) -> None:
    scenario.accept()
    narrowed = resource(scenario.resource.url, "toolkit", check={"selector": "main"})
    result, analysed_pages = scenario.check(narrowed)
    assert analysed_pages == 1
    assert result.status == "ok"


def test_a_changed_page_records_the_new_answer_for_its_fix(scenario: Scenario) -> None:
    """The snapshot a drifted page's pull request would record has the new answer's digest."""
    scenario.accept()
    moved = Reply(body=html("Shoes for sale", "<p>" + "Buy our shoes today. " * 60 + "</p>"))
    scenario.site.site.routes["/toolkit"] = moved
    result, _ = scenario.check()
    assert result.status == "drifted"
    assert result.snapshot is not None
    expected = answer_digest_of(moved.body, "text/html; charset=utf-8", None)
    assert f"\nanswer-digest: {expected}\n" in result.snapshot


def _page(tmp_path: Path, body: bytes, **fields: Any) -> PageInput:
    """A page whose baseline recorded exactly ``body``."""
    store = SnapshotStore(tmp_path / "catalog.yaml")
    analysis = analyse(PageInput(body, "text/html", want_text=True))
    assert analysis.text is not None
    store.save(
        Snapshot.of(
            id="r",
            url=str(fields.pop("url", "https://example.org/r")),
            final_url="https://example.org/r",
            content_type="text/html",
            kind=analysis.kind,
            size=len(body),
            title=analysis.title,
            text=analysis.text,
            accepted_at="2026-12-01T00:00:00Z",
            page_digest=analysis.page_digest,
            answer_digest=analysis.answer_digest,
        )
    )
    page = PageInput(body, "text/html", baseline_file=str(store.path_for("r")), resource_id="r")
    return dataclasses.replace(page, **fields)


BODY = html("Diversion Toolkit", f"<p>{WORDS}</p>")


@pytest.mark.parametrize(
    "fields",
    [{"want_text": True}, {"incomplete": True}, {"probe_text": "page not found"}],
    ids=["text-wanted", "cut-short", "probe-to-compare"],
)
def test_pages_compared_with_more_than_their_baseline_are_analysed(
    tmp_path: Path, fields: dict[str, Any]
) -> None:
    assert unchanged_analysis(_page(tmp_path, BODY)) is not None
    assert unchanged_analysis(_page(tmp_path, BODY, **fields)) is None


def test_the_shortcut_gives_what_the_analysis_gives(tmp_path: Path) -> None:
    page = _page(tmp_path, BODY)
    quick = unchanged_analysis(page)
    assert quick is not None
    full = analyse(page)
    assert dataclasses.replace(full, words=0) == quick


@pytest.mark.parametrize(
    "body",
    [
        html("Just a moment...", "<p>Checking your browser before accessing the site.</p>"),
        html("example.org is for sale", "<p>This domain is for sale. Make an offer.</p>"),
    ],
    ids=["bot-wall", "parked"],
)
def test_no_answer_is_recorded_for_a_page_with_something_wrong(tmp_path: Path, body: bytes) -> None:
    """Such a page is analysed every time, so the finding is made every time."""
    analysis = analyse(PageInput(body, "text/html", want_text=True))
    assert analysis.challenge or analysis.parked
    assert analysis.answer_digest == ""
    assert unchanged_analysis(_page(tmp_path, body)) is None


def test_a_long_header_is_read_whole(tmp_path: Path) -> None:
    long_url = "https://example.org/r?" + "q=1&" * 2000
    page = _page(tmp_path, BODY, url=long_url)
    assert page.baseline_file is not None
    head = read_snapshot_head(Path(page.baseline_file), "r")
    assert head is not None
    assert (head.url, head.text) == (long_url, "")
    assert unchanged_analysis(page) is not None


def test_a_damaged_baseline_is_left_to_the_analysis_to_report(tmp_path: Path) -> None:
    page = _page(tmp_path, BODY)
    assert page.baseline_file is not None
    Path(page.baseline_file).write_bytes(b"catalogbot-snapshot: 1\nid: r\n\xff\n\ntext")
    with pytest.raises(SnapshotError):
        read_snapshot_head(Path(page.baseline_file), "r")
    assert unchanged_analysis(page) is None
    assert analyse(page).baseline == "unreadable"
