"""Every status, reason and warning is shown the one way its table says, in every report."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest

from catalogbot.catalog import parse_catalog
from catalogbot.catalog.load import CatalogFile
from catalogbot.check import CheckResult, Reason, ResultWarning, Status
from catalogbot.check.run import CheckRun
from catalogbot.report.actions import check_annotations
from catalogbot.report.context import ReportContext
from catalogbot.report.markdown import render_markdown
from catalogbot.report.presentation import REASONS, STATUSES, WARNINGS, advice, reason_look
from catalogbot.report.terminal import render_terminal

BOT_WALL_ADVICE = "refuses automated checks"


def report(*results: CheckResult, offline: bool = False) -> ReportContext:
    """The context of a run over a catalog listing exactly these results' entries."""
    lines = ["version: 1", "resources:"]
    for r in results:
        lines += [f"  - id: {r.id}", f"    title: Title of {r.id}", f"    url: {r.url}"]
    text, document, catalog = parse_catalog(("\n".join(lines) + "\n").encode())
    loaded = CatalogFile(Path("catalog.yaml"), text, catalog, document)
    detail = "no canary answered" if offline else ""
    return ReportContext(loaded, CheckRun(results, "start", "end", offline, detail))


def result(status: Status, reason: Reason, rid: str = "a", **fields: Any) -> CheckResult:
    return CheckResult(
        rid, f"https://{rid}.example.org/p", status, reason, "what was seen", **fields
    )


def test_every_code_has_its_entry() -> None:
    """No status, reason or warning falls back to a default by accident."""
    assert set(STATUSES) == set(Status)
    assert set(REASONS) == set(Reason)
    assert set(WARNINGS) == set(ResultWarning)
    assert len({look.symbol for look in STATUSES.values()}) == len(Status)


@pytest.mark.parametrize(
    ("status", "symbol", "heading", "annotation"),
    [
        (Status.BROKEN, "BROKEN  ", "## Broken links", "::error file=catalog.yaml,line=5"),
        (Status.DRIFTED, "CHANGED ", "## Pages that changed", "::warning file="),
        (Status.REDIRECTED, "MOVED   ", "## Links that moved", "::warning file="),
        (
            Status.UNVERIFIABLE,
            "UNSURE  ",
            "## Links that could not be checked automatically",
            None,
        ),
    ],
)
def test_status_is_shown_alike_everywhere(
    status: Status, symbol: str, heading: str, annotation: str | None
) -> None:
    """The terminal's symbol, the Markdown heading and the annotation level of a status."""
    context = report(result(status, Reason.OK, suggested_url="https://a.example.org/new"))
    assert render_terminal(context).startswith(f"{symbol} a (line 5) https://a.example.org/p\n")
    assert f"\n{heading} (1)\n" in render_markdown(context)
    lines = check_annotations(context, "catalog.yaml")
    expected = [annotation] if annotation else []
    assert [line[: len(annotation or "")] for line in lines] == expected


@pytest.mark.parametrize(
    ("reason", "words"),
    [
        (Reason.SOFT_404, "the site's 'not found' page or its home page"),
        (Reason.DNS, "domain no longer exists"),
        (Reason.PARKED, "parking or for-sale page"),
        (Reason.TLS, "security certificate is not valid"),
        (Reason.BLOCKED_ADDRESS, "private network"),
        (Reason.VIDEO_UNAVAILABLE, "removed or made private"),
        (Reason.TIMEOUT, "did not answer in time"),
        (Reason.http(404), "Open the link to confirm. Search for the resource by its title"),
    ],
)
def test_broken_reasons_get_their_own_advice(reason: Reason, words: str) -> None:
    """What to do depends on why the link is broken, in the Markdown report too."""
    broken = result(Status.BROKEN, reason)
    assert words in advice(broken)
    assert f"- What to do: {advice(broken)}" in render_markdown(report(broken))


@pytest.mark.parametrize(
    ("reason", "words"),
    [
        (Reason.RUNNER_OFFLINE, "could not reach the internet"),
        (Reason.JAVASCRIPT_REQUIRED, "drawn by JavaScript"),
        (Reason.INTERNAL_ERROR, "report the failure"),
    ],
)
def test_unverifiable_that_is_no_bot_wall_gets_no_bot_wall_advice(
    reason: Reason, words: str
) -> None:
    """An offline runner or a page drawn by JavaScript does not 'refuse automated checks'."""
    text = advice(result(Status.UNVERIFIABLE, reason))
    assert words in text
    assert BOT_WALL_ADVICE not in text
    assert BOT_WALL_ADVICE in advice(result(Status.UNVERIFIABLE, Reason.BOT_CHALLENGE))


def test_drift_advice_names_the_entry() -> None:
    """The command that accepts a change is given for this entry."""
    assert "`catalogbot accept a`" in advice(result(Status.DRIFTED, Reason.CONTENT_CHANGED))


def test_warnings_are_explained() -> None:
    """A warning reads as words, with its code for searching."""
    ok = result(Status.DRIFTED, Reason.CONTENT_CHANGED)
    noted = dataclasses.replace(ok, warnings=(ResultWarning.TITLE_MISMATCH,))
    assert (
        "- Notes: the page does not mention the catalog's title (`title_mismatch`)"
        in render_markdown(report(noted))
    )


def test_http_codes_are_labelled_by_their_status() -> None:
    """An http_NNN code without an entry of its own is named by the HTTP status."""
    assert reason_look(Reason.http(410)).label == "the server answered 410 Gone"
    assert reason_look(Reason.http(599)).label == "the server answered 599"


def test_terminal_sums_up_offline_results_in_one_line() -> None:
    """On an offline runner the links it could not reach are one line, not one each,
    while the other results are listed as usual."""
    offline = result(Status.UNVERIFIABLE, Reason.RUNNER_OFFLINE, "gone")
    refused = result(Status.UNVERIFIABLE, Reason.HTTP_403, "shy")
    text = render_terminal(report(offline, refused, offline=True))
    assert "UNSURE   shy (line 8)" in text
    assert "gone" not in text
    assert "The 1 links it could not reach were not judged" in text


def test_every_failure_kind_is_also_a_reason() -> None:
    """FailureKind's codes are repeated in Reason (an enum cannot extend another), so a
    kind added to one and not the other fails here, not on a broken link in production."""
    from catalogbot.check.result import FailureKind

    for kind in FailureKind:
        assert Reason.of(kind).value == kind.value
