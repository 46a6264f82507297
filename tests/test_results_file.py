"""The results file: written byte for byte as before, read back strictly and whole."""

from __future__ import annotations

import dataclasses
import json
import string
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from catalogbot.check.result import (
    CheckResult,
    DriftEvidence,
    FailureKind,
    Hop,
    Reason,
    ResultWarning,
    Status,
)
from catalogbot.report.results_file import dump_results, parse_results
from support.results import results_document, results_text

DRIFTED = CheckResult(
    "a", "https://a.org/x", Status.DRIFTED, Reason.CONTENT_CHANGED, "changed ü", 200,
    "https://a.org/y", "https://a.org/y", 2, 153, (Hop("https://a.org/x", 301, "https://a.org/y"),),
    "text/html", "Tïtle", "sha256:1", 0.25, "-a\n+b", (ResultWarning.TITLE_MISMATCH,),
    "2026-11-28T12:00:00Z", snapshot="snap\n",
    evidence=DriftEvidence("Old tïtle", "Tïtle", "It began so.", "It begins <b>anew</b>."),
)  # fmt: skip
OFFLINE = CheckResult(
    "b", "https://b.org/", Status.UNVERIFIABLE, Reason.RUNNER_OFFLINE, "offline",
    network_error=FailureKind.DNS,
)  # fmt: skip
EXPECTED = """{
  "format": 1,
  "tool": "catalogbot test",
  "catalog": "catalog.yaml",
  "started_at": "2026-11-28T12:00:00Z",
  "finished_at": "2026-11-28T12:01:00Z",
  "offline": false,
  "offline_detail": null,
  "summary": {
    "broken": 0,
    "drifted": 1,
    "redirected": 0,
    "unverifiable": 1,
    "ok": 0,
    "skipped": 0
  },
  "results": [
    {"id": "a", "url": "https://a.org/x", "status": "drifted", "reason": "content_changed", \
"detail": "changed ü", "http_status": 200, "final_url": "https://a.org/y", "suggested_url": \
"https://a.org/y", "attempts": 2, "elapsed_ms": 153, "redirects": [{"url": "https://a.org/x", \
"status": 301, "location": "https://a.org/y"}], "content_type": "text/html", "title": "Tïtle", \
"digest": "sha256:1", "similarity": 0.25, "excerpt": "-a\\n+b", "warnings": ["title_mismatch"], \
"checked_at": "2026-11-28T12:00:00Z", "snapshot": "snap\\n", "relocation": null, \
"evidence": {"title_before": "Old tïtle", "title_now": "Tïtle", "text_before": "It began so.", \
"text_now": "It begins <b>anew</b>."}, "catalog_title": "a", "line": 1},
    {"id": "b", "url": "https://b.org/", "status": "unverifiable", "reason": "runner_offline", \
"detail": "offline", "http_status": null, "final_url": null, "suggested_url": null, "attempts": \
0, "elapsed_ms": 0, "redirects": [], "content_type": null, "title": null, "digest": null, \
"similarity": null, "excerpt": null, "warnings": [], "checked_at": "", "network_error": "dns", \
"relocation": null, "catalog_title": "b", "line": 2}
  ]
}
"""


def test_layout_is_unchanged() -> None:
    """Run fields indented, one result per line, fields in their order; the optional
    network_error, snapshot and evidence only when set."""
    assert results_text(DRIFTED, OFFLINE) == EXPECTED


def test_reads_back_what_it_wrote() -> None:
    """The snapshot, the drift evidence and the network error come back as the typed
    fields they were."""
    document = parse_results(EXPECTED)
    assert document == results_document(DRIFTED, OFFLINE)
    assert document.results[0].snapshot == "snap\n"
    assert document.results[0].evidence == DRIFTED.evidence
    assert document.results[1].evidence is None
    assert document.results[1].network_error is FailureKind.DNS


def edited(change: dict[str, Any], result: dict[str, Any] | None = None) -> str:
    data = json.loads(EXPECTED)
    data.update(change)
    if result:
        data["results"][0].update(result)
    return json.dumps(data)


def test_fields_it_does_not_know_are_ignored_and_most_are_optional() -> None:
    """A newer writer's extra fields are ignored; a minimal file (results with id, url,
    status and reason) is read with the defaults for the rest."""
    data = json.loads(edited({"added_later": 1}, {"also_later": [1]}))
    assert parse_results(json.dumps(data)) == parse_results(EXPECTED)
    minimal = {"results": [{"id": "a", "url": "https://a.org/", "status": "ok", "reason": "ok"}]}
    document = parse_results(json.dumps(minimal))
    assert (document.format, document.offline, document.finished_at) == (1, False, "")
    assert document.results[0].attempts == 0
    with pytest.raises(ValueError, match=r"result 0 is malformed: reason: missing"):
        parse_results(json.dumps({"results": [{"id": "a", "url": "u", "status": "ok"}]}))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (edited({"offline": "false"}), 'offline: input should be a valid boolean, not "false"'),
        (edited({"format": 99}), "format: format 99 is not one this catalogbot reads"),
        (edited({"format": 2, "offline": 1}), "format: format 2 is not one"),
        (edited({}, {"id": "b"}), "results[1].id: 'b' appears more than once"),
        (edited({}, {"reason": "gone"}), "result 0 is malformed: reason: unknown value 'gone'"),
        (edited({}, {"warnings": ["odd"]}), "result 0 is malformed: warnings[0]: unknown value"),
        (edited({}, {"attempts": "2"}), "result 0 is malformed: attempts: input should be"),
        (edited({}, {"redirects": [{"url": "x"}]}), "redirects[0].status: missing"),
        (edited({}, {"evidence": {"title_now": "x"}}), "evidence.title_before: missing"),
        (edited({}, {"evidence": "changed"}), "result 0 is malformed: evidence: input should"),
        (edited({"results": None}), "results: input should be a valid array, not null"),
        ("[1, 2]", "input should be an object, not [1, 2]"),
        ("{nope", "not JSON"),
    ],
)
def test_refuses_what_it_does_not_write(text: str, message: str) -> None:
    """A wrong type, an unknown format, value or field, a repeated id: one line saying where."""
    with pytest.raises(ValueError, match=r"\A[^\n]*\Z") as caught:
        parse_results(text)
    assert message in str(caught.value)


def test_every_http_status_has_its_reason() -> None:
    """http_NNN codes are read for any status, and only for three-digit statuses."""
    assert parse_results(edited({}, {"reason": "http_418"})).results[0].reason.http_status == 418
    with pytest.raises(ValueError, match="unknown value 'http_4040'"):
        parse_results(edited({}, {"reason": "http_4040"}))


texts = st.text(st.characters(codec="utf-8"), max_size=20)
optional_texts = st.none() | texts
urls = st.builds(lambda s: f"https://{s}.org/", st.text(string.ascii_lowercase, min_size=1))
hops = st.builds(Hop, urls, st.integers(300, 399), urls)
evidences = st.builds(DriftEvidence, texts, texts, texts, texts)
check_results = st.builds(
    CheckResult,
    id=st.text(string.ascii_lowercase + string.digits + "-", min_size=1, max_size=12),
    url=urls,
    status=st.sampled_from(Status),
    reason=st.sampled_from(Reason) | st.integers(100, 999).map(Reason.http),
    detail=texts,
    http_status=st.none() | st.integers(100, 999),
    final_url=st.none() | urls,
    suggested_url=st.none() | urls,
    attempts=st.integers(0, 10),
    elapsed_ms=st.integers(0, 10**7),
    redirects=st.lists(hops, max_size=3).map(tuple),
    content_type=optional_texts,
    title=optional_texts,
    digest=optional_texts,
    similarity=st.none() | st.floats(0, 1),
    excerpt=optional_texts,
    warnings=st.lists(st.sampled_from(ResultWarning), max_size=3, unique=True).map(tuple),
    checked_at=texts,
    network_error=st.none() | st.sampled_from(FailureKind),
    snapshot=optional_texts,
    evidence=st.none() | evidences,
)


@settings(max_examples=60, deadline=None)
@given(st.lists(check_results, max_size=6, unique_by=lambda r: r.id), st.booleans())
def test_any_results_file_round_trips(results: list[CheckResult], offline: bool) -> None:
    """Whatever check can write, the reader gives back equal, field for field."""
    document = results_document(*results, offline=offline)
    text = dump_results(document)
    assert parse_results(text) == document
    assert parse_results(text.encode()) == document


def test_lines_rendered_during_the_run_are_those_rendered_after_it() -> None:
    """The lines rendered as results arrived make the file rendering them at the end
    would; a result replaced after it arrived (offline, relocated) is rendered anew."""
    from pathlib import Path

    from catalogbot.catalog.load import CatalogFile, parse_catalog
    from catalogbot.check.run import CheckRun
    from catalogbot.report.context import ReportContext
    from catalogbot.report.results_file import ResultLines, render_results_pieces

    text, document, catalog = parse_catalog(
        b"version: 1\nresources:\n"
        b"  - id: a\n    title: Alpha guide\n    url: https://a.org/x\n"
        b"  - id: b\n    title: Beta toolkit\n    url: https://b.org/\n"
    )
    loaded = CatalogFile(Path("catalog.yaml"), text, catalog, document)
    arrived = ResultLines(loaded)
    for result in (DRIFTED, OFFLINE):
        arrived.finished(result)
    judged = dataclasses.replace(OFFLINE, detail="judged again at the end")
    run = CheckRun((DRIFTED, judged), "2026-11-28T12:00:00Z", "2026-11-28T12:01:00Z")
    context = ReportContext(loaded, run)
    during = "".join(render_results_pieces(context, arrived))
    after = "".join(render_results_pieces(context))
    assert during == after
    written = parse_results(during)
    assert [(r.catalog_title, r.line, r.detail) for r in written.results] == [
        ("Alpha guide", 5, "changed ü"),
        ("Beta toolkit", 8, "judged again at the end"),
    ]
