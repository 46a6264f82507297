"""``catalogbot site``: the history file and the health page, from a sequence of runs."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from selectolax.lexbor import LexborHTMLParser

from catalogbot.cli import main

CATALOG = """\
version: 1
title: Test catalog
resources:
  - {id: steady, title: Steady guide, url: "https://a.example.org/steady"}
  - {id: flaps, title: Flapping guide, url: "https://a.example.org/flaps"}
  - {id: breaks, title: Breaking guide, url: "https://b.example.org/breaks"}
  - {id: drifts, title: Drifting guide, url: "https://b.example.org/drifts"}
  - {id: moves, title: Moving guide, url: "https://c.example.org/moves"}
  - {id: fixed, title: Fixed guide, url: "https://c.example.org/fixed"}
  - {id: loner, title: "Loner <b>guide</b> & co", url: "https://d.example.org/loner"}
strategies:
  - id: diversion
    title: Diversion programs
    resources:
      introductory: [steady, flaps]
      advanced: [breaks, drifts]
  - id: courts
    title: Recovery courts
    resources:
      intermediate: [moves, fixed, steady]
"""

# One letter per run, days 1 to 6: o ok, b broken, d drifted, r redirected.
PLAN = {
    "steady": "oooooo",
    "flaps": "oboobb",
    "breaks": "ooobbb",
    "drifts": "ooddd d".replace(" ", ""),
    "moves": "oooorr",
    "fixed": "bbbooo",
}
STATUS = {"o": "ok", "b": "broken", "d": "drifted", "r": "redirected"}
REASON = {"o": "ok", "b": "http_404", "d": "content_changed", "r": "moved_permanently"}


def at(day: int) -> str:
    return f"2026-11-{day:02d}T06:23:00Z"


def result(resource_id: str, letter: str, ms: int = 100, **extra: Any) -> dict[str, Any]:
    return {
        "id": resource_id,
        "url": f"https://x.example.org/{resource_id}",
        "status": STATUS[letter],
        "reason": REASON[letter],
        "elapsed_ms": ms,
        "attempts": 1,
        **extra,
    }


def results_file(
    folder: Path, day: int, items: list[dict[str, Any]], offline: bool = False
) -> Path:
    path = folder / f"results-{day}.json"
    path.write_text(json.dumps({"finished_at": at(day), "offline": offline, "results": items}))
    return path


def day_results(day: int) -> list[dict[str, Any]]:
    items = [result(i, plan[day - 1], ms=100 * day) for i, plan in PLAN.items()]
    for item in items:
        if item["id"] == "moves" and item["status"] == "redirected":
            item["suggested_url"] = "https://c.example.org/new-home"
            item["redirects"] = [
                {
                    "url": "https://c.example.org/moves",
                    "status": 301,
                    "location": "https://c.example.org/new-home",
                }
            ]
        if item["id"] == "drifts" and item["status"] == "drifted":
            item["excerpt"] = "-Old line\n+New line </pre><script>alert(1)</script>"
    return items


def site(tmp_path: Path, *extra: str) -> int:
    return main(
        [
            "site",
            str(tmp_path / "catalog.yaml"),
            "--out",
            str(tmp_path / "site"),
            "--history",
            str(tmp_path / "history.jsonl"),
            *extra,
        ]
    )


@pytest.fixture
def built(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """Six daily runs, a run with the runner offline, then a run that checked one entry."""
    (tmp_path / "catalog.yaml").write_text(CATALOG)
    for day in range(1, 7):
        assert site(tmp_path, "--results", str(results_file(tmp_path, day, day_results(day)))) == 0
    offline = [result(i, "b") for i in PLAN]
    assert site(tmp_path, "--results", str(results_file(tmp_path, 7, offline, offline=True))) == 0
    only = [result("steady", "o", ms=900)]
    assert site(tmp_path, "--results", str(results_file(tmp_path, 8, only))) == 0
    capsys.readouterr()
    return tmp_path


def row(page: Path, resource_id: str) -> list[str]:
    """The cells of the first index row for a resource, as text."""
    tree = LexborHTMLParser(page.read_text())
    for tr in tree.css("table.res tr"):
        link = tr.css_first(f'a[href="resources/{resource_id}.html"]')
        if link is not None:
            return [cell.text(strip=True) for cell in tr.css("th, td")][:6]
    raise AssertionError(f"no row for {resource_id}")


def test_figures_match_hand_computed_values(built: Path) -> None:
    """Status in words, since when, uptime over 30 and 90 runs and median, as computed by hand."""
    index = built / "site" / "index.html"
    # Offline run 7 and not-checked run 8 count for nobody but steady (checked on day 8).
    assert row(index, "steady") == [
        "Steady guide",
        "Up",
        "2026-11-01 06:23 UTC",
        "100%",
        "100%",
        "400 ms",
    ]
    # steady: times 100..600 and 900 ms, median 400. flaps: o b o o b b, 3 of 6 not
    # broken, broken since day 5, answered on days 1, 3 and 4 (median 300 ms).
    assert row(index, "flaps") == [
        "Flapping guide",
        "Brokenthe server answered 404 Not Found",
        "2026-11-05 06:23 UTC",
        "50%",
        "50%",
        "300 ms",
    ]
    assert row(index, "breaks")[1:5] == [
        "Brokenthe server answered 404 Not Found",
        "2026-11-04 06:23 UTC",
        "50%",
        "50%",
    ]
    assert row(index, "drifts")[1:5] == [
        "Changedthe text changed",
        "2026-11-03 06:23 UTC",
        "100%",
        "100%",
    ]
    assert row(index, "moves")[1:5] == [
        "Movedmoved for good",
        "2026-11-05 06:23 UTC",
        "100%",
        "100%",
    ]
    assert row(index, "fixed")[1:5] == ["Up", "2026-11-04 06:23 UTC", "50%", "50%"]
    assert row(index, "loner")[1:6] == ["Not checked yet", "never", "no data", "no data", "no data"]


def test_summary_counts_and_last_check(built: Path) -> None:
    """The summary counts entries by status and names the last run."""
    summary = LexborHTMLParser((built / "site" / "index.html").read_text()).css_first("ul.sum")
    assert summary is not None
    text = summary.text()
    for count, word in (
        (2, "broken"),
        (1, "changed"),
        (1, "moved"),
        (2, "up"),
        (1, "not checked yet"),
    ):
        assert f"{count} {word}" in text
    body = (built / "site" / "index.html").read_text()
    assert 'Last check: <time datetime="2026-11-08T06:23:00Z">' in body


def test_grouped_by_strategy_then_level(built: Path) -> None:
    """Groups follow the catalog: strategy, then level; unlisted resources come last."""
    tree = LexborHTMLParser((built / "site" / "index.html").read_text())
    captions = [c.text() for c in tree.css("table.res caption")]
    assert captions == [
        "Diversion programs: introductory",
        "Diversion programs: advanced",
        "Recovery courts: intermediate",
        "Not on any strategy page",
    ]


def test_resource_page_shows_evidence_escaped(built: Path) -> None:
    """The latest evidence is on the entry's page, and nothing from a page runs as markup."""
    moves = (built / "site" / "resources" / "moves.html").read_text()
    assert "https://c.example.org/new-home" in moves
    assert "Redirect chain" in moves
    drifts = (built / "site" / "resources" / "drifts.html").read_text()
    assert "&lt;/pre&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in drifts
    loner = (built / "site" / "resources" / "loner.html").read_text()
    assert "Loner &lt;b&gt;guide&lt;/b&gt; &amp; co" in loner
    for page in (built / "site").rglob("*.html"):
        text = page.read_text()
        assert "<script" not in text
        assert " src=" not in text
        assert "<link" not in text
        assert '<html lang="en">' in text
        assert "default-src 'none'" in text


def test_history_stretches_on_the_resource_page(built: Path) -> None:
    """The entry's history lists its stretches of equal verdicts, newest first."""
    tree = LexborHTMLParser((built / "site" / "resources" / "fixed.html").read_text())
    rows = [
        [c.text(strip=True) for c in tr.css("td")] for tr in tree.css("table")[-1].css("tbody tr")
    ]
    assert [(r[2], r[3]) for r in rows] == [("3", "Up"), ("3", "Broken")]
    # Reasons in words for maintainers; the code stays beside them for whoever reports it.
    assert rows[1][4] == "the server answered 404 Not Found"
    moves = (built / "site" / "resources" / "moves.html").read_text()
    assert "moved for good (<code>moved_permanently</code>)" in moves


def test_same_results_twice_and_bad_files_leave_history_alone(
    built: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A run already recorded is not counted again; a malformed file exits 2 and writes nothing."""
    history = built / "history.jsonl"
    before = history.read_bytes()
    assert len(before.splitlines()) == 1 + 8 + 1
    assert site(built, "--results", str(built / "results-3.json")) == 0
    assert "already recorded" in capsys.readouterr().out
    assert history.read_bytes() == before
    bad = built / "bad.json"
    for text in (
        '{"finished_at": "2026-11-09T00:00:00Z", "results": [{"id": 5}]}',
        "{not json",
        "[]",
    ):
        bad.write_text(text)
        assert site(built, "--results", str(bad)) == 2
        err = capsys.readouterr().err
        assert err.startswith("error: ")
        assert len(err.strip().splitlines()) == 1
    bad.write_text('{"results": []}')
    assert site(built, "--results", str(bad)) == 2
    assert "finished_at" in capsys.readouterr().err
    history.write_text('{"catalogbot_history": 1}\n{"at": "x"}\n')
    assert site(built) == 2
    assert "history.jsonl:2: damaged history line" in capsys.readouterr().err


def test_history_is_one_compact_line_per_run(built: Path) -> None:
    """Ids once, then a letter and two characters of time per entry and run."""
    lines = (built / "history.jsonl").read_text().splitlines()
    runs = [json.loads(line) for line in lines[1:-1]]
    assert runs[0]["ids"] == sorted(PLAN)
    assert runs[0]["s"] == "oobooo"
    assert "ids" not in runs[1]
    assert len(runs[1]["t"]) == 12
    assert runs[6]["offline"] is True
    assert runs[7]["ids"] == ["steady"]


def test_output_stays_in_its_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A link planted as resources/ is refused; a file as --out is refused."""
    (tmp_path / "catalog.yaml").write_text(CATALOG)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "resources").symlink_to(elsewhere)
    assert site(tmp_path) == 2
    assert list(elsewhere.iterdir()) == []
    (tmp_path / "site" / "resources").unlink()
    (tmp_path / "site" / "resources").write_text("")
    assert site(tmp_path) == 2
    assert "must be a folder" in capsys.readouterr().err


def test_colours_pass_wcag_aa() -> None:
    """Every text colour on its background has a contrast ratio of at least 4.5."""
    from catalogbot.site.html import CSS

    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    pairs = re.findall(r"color:(#[0-9a-f]{6});background:(#[0-9a-f]{6})", CSS)
    assert len(pairs) == 5
    links = re.findall(r"a(?::visited)?\{color:(#[0-9a-f]{6})", CSS)
    for fg, bg in [
        *pairs,
        *((c, "#ffffff") for c in links),
        ("#4a4a4a", "#ffffff"),
        ("#1b1b1b", "#ffffff"),
    ]:
        hi, lo = sorted((luminance(fg), luminance(bg)), reverse=True)
        assert (hi + 0.05) / (lo + 0.05) >= 4.5, (fg, bg)


def test_old_runs_are_summarised_not_dropped() -> None:
    """Runs beyond the horizon fold into totals that uptime and since-when still use."""
    from catalogbot.check.result import Status
    from catalogbot.site.figures import compute
    from catalogbot.site.history import History, add_run
    from catalogbot.site.runs import Entry, Run
    from catalogbot.site.store import dumps, loads

    history = History()
    letters = "bbooooo"  # broken twice, then up five times
    status = {"b": Status.BROKEN, "o": Status.OK}
    for day, letter in enumerate(letters, 1):
        run = Run(at(day), False, {"a": Entry(status[letter], "x", 100)})
        assert add_run(history, run, keep_runs=3) == "added"
    assert add_run(history, Run(at(2), False, {}), keep_runs=3) == "older than the kept history"
    assert history.summary is not None
    assert history.summary.runs == 4
    assert history.summary.entries["a"].checked == 4
    assert history.summary.entries["a"].up == 2
    assert history.summary.entries["a"].since == at(3)
    again = loads(dumps(history), "history")
    assert dumps(again) == dumps(history)
    figures = compute(again, ["a"])["a"]
    assert figures.since == at(3)  # the stretch of ups began in a folded run
    assert figures.uptime[30] == 100.0
    assert figures.uptime_all == pytest.approx(100 * 5 / 7)


def test_index_is_paged(tmp_path: Path) -> None:
    """A large catalog is split into index pages that link each other."""
    from catalogbot.catalog import parse_catalog
    from catalogbot.site.build import build_site, prepare_out
    from catalogbot.site.history import History
    from catalogbot.site.index_page import ROWS_PER_PAGE

    count = ROWS_PER_PAGE * 2 + 1
    lines = ["version: 1", "resources:"]
    lines += [
        f"  - {{id: r{n}, title: T{n}, url: 'https://e.example.org/{n}'}}" for n in range(count)
    ]
    catalog = parse_catalog(("\n".join(lines) + "\n").encode())[2]
    out = prepare_out(tmp_path / "site")
    assert build_site(out, catalog, History()) == count + 3
    third = (out / "index-3.html").read_text()
    assert third.count('href="resources/') == 1
    assert '<a href="index.html">1</a>' in third
    assert '<span aria-current="page">3</span>' in third


@pytest.mark.parametrize(
    "line",
    [
        '{"at": "2026-11-01T06:23:00Z", "ids": ["a"], "s": "o", "t": "AA", "r": {"7": "x"}}',
        '{"at": "2026-11-01T06:23:00Z", "ids": ["a"], "s": "q", "t": "AA"}',
        '{"at": "2026-11-01T06:23:00Z", "ids": ["a"], "s": "o", "t": "A"}',
        '{"at": "2026-11-01T06:23:00", "ids": ["a"], "s": "o", "t": "AA"}',
        '{"summary": {"runs": 1, "from": "x", "to": "y"}, "e": {}}',
        '{"evidence": {"a": "text"}}',
    ],
)
def test_damaged_history_lines_are_refused(line: str) -> None:
    """A damaged history line is a one-line error naming the line, never a crash later."""
    from catalogbot.errors import UsageError
    from catalogbot.site.store import loads

    with pytest.raises(UsageError, match=r"^h:2: damaged history line"):
        loads('{"catalogbot_history": 1}\n' + line + "\n", "h")


def test_results_of_another_catalog_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A results file none of whose entries the catalog has: exit 2, nothing recorded."""
    (tmp_path / "catalog.yaml").write_text(CATALOG)
    other = [{**result("steady", "o"), "id": "not-in-this-catalog"}]
    assert site(tmp_path, "--results", str(results_file(tmp_path, 1, other))) == 2
    assert "none of its entries" in capsys.readouterr().err
    assert not (tmp_path / "history.jsonl").exists()
