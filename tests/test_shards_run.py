"""Shards and processes on loopback hosts: four concurrent shards plus ``merge`` give the
verdicts of one full run with the per-host limit held across them; bad merges are
refused; ``--processes 2`` gives what one process gives."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from clirun import catalog, run
from conftest import Serve
from support.webserver import Reply, Request, RunningSite, Site, closed_port, page, redirect

PER_HOST = 2
VERDICT = ("id", "url", "status", "reason", "http_status", "final_url", "suggested_url")


class InFlight:
    """Counts the requests a host is answering at once, and the most it ever was."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._now = 0
        self.peak = 0
        self._released = threading.Event()

    def slow(self, reply: Reply) -> object:
        def handler(_: Request) -> Reply:
            with self._lock:
                self._now += 1
                self.peak = max(self.peak, self._now)
            # Hold the request a moment so that concurrent ones overlap on the server.
            self._released.wait(0.03)
            with self._lock:
                self._now -= 1
            return reply

        return handler


def _mixed_site(load: InFlight, links: int) -> Site:
    routes: dict[str, object] = {}
    for n in range(links):
        kind = n % 4
        routes[f"/p{n}"] = load.slow(
            page(f"Page {n}", "steady words " * 20)
            if kind in (0, 1)
            else Reply(404, b"gone")
            if kind == 2
            else redirect(f"/p{n - 3}", 301)
        )
    return Site(routes)  # type: ignore[arg-type]


def _cli(*args: str, cwd: Path) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
    return subprocess.Popen(
        [sys.executable, "-m", "catalogbot", *args],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _verdicts(path: Path) -> list[tuple[object, ...]]:
    data = json.loads(path.read_text())
    return [tuple(r.get(k) for k in VERDICT) for r in data["results"]]


NETWORK = ("--allow-private", "--retries", "0", "--workers", "0", "--per-host", str(PER_HOST))


def test_four_concurrent_shards_merge_into_the_full_run(
    tmp_path: Path,
    sites: Serve,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    loads = [InFlight() for _ in range(6)]
    running = sites(*(_mixed_site(load, 3 + 2 * i) for i, load in enumerate(loads)))
    entries = [
        (f"h{h}p{n}", site.url(f"/p{n}"))
        for h, site in enumerate(running)
        for n in range(3 + 2 * h)
    ]
    catalog(tmp_path / "catalog.yaml", entries)
    canary = ("--canary", running[0].url("/p0"))
    shards = [
        _cli("check", *NETWORK, *canary, "--shard", f"{k}/4", "--json", f"s{k}.json", cwd=tmp_path)
        for k in range(1, 5)
    ]
    for shard in shards:
        _, err = shard.communicate(timeout=120)
        assert shard.returncode == 1, err
        assert "Traceback" not in err
    assert all(load.peak <= PER_HOST for load in loads)
    assert any(load.peak == PER_HOST for load in loads)  # the limit was reached, and held
    parts = [json.loads((tmp_path / f"s{k}.json").read_text()) for k in range(1, 5)]
    assert [p["shard"] for p in parts] == [{"index": k, "count": 4} for k in range(1, 5)]
    assert len({p["catalog_digest"] for p in parts}) == 1
    assert all(p["results"] for p in parts)  # six hosts, four shards: none is empty

    monkeypatch.chdir(tmp_path)
    merged = run(capsys, "merge", *(f"s{k}.json" for k in range(1, 5)), "--json", "m.json")
    assert merged.code == 1, merged.both
    full = run(capsys, "check", *NETWORK, *canary, "--processes", "1", "--json", "full.json")
    assert full.code == 1, full.both
    assert _verdicts(tmp_path / "m.json") == _verdicts(tmp_path / "full.json")
    whole = json.loads((tmp_path / "m.json").read_text())
    assert whole["shard"] == {"index": 1, "count": 1}
    assert whole["catalog_digest"] == parts[0]["catalog_digest"]
    assert whole["started_at"] == min(p["started_at"] for p in parts)
    assert whole["finished_at"] == max(p["finished_at"] for p in parts)
    assert [r["id"] for r in whole["results"]] == [rid for rid, _ in entries]
    # sync reads the merged file like any other
    from catalogbot.github.sync import read_results

    assert len(read_results(tmp_path / "m.json").results) == len(entries)


def _shard_file(
    path: Path,
    index: int,
    count: int,
    ids: list[str],
    digest: str,
    *,
    offline: bool = False,
    started: str = "2026-11-28T12:00:00Z",
) -> str:
    results = [
        {"id": i, "url": f"https://example.org/{i}", "status": "ok", "reason": "ok"} for i in ids
    ]
    document = {
        "format": 1,
        "started_at": started,
        "finished_at": "2026-11-28T12:05:00Z",
        "offline": offline,
        "offline_detail": "no canary answered" if offline else None,
        "catalog_digest": digest,
        "shard": {"index": index, "count": count},
        "results": results,
    }
    path.write_text(json.dumps(document))
    return path.name


@pytest.fixture
def two_shards(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, str, str]:
    from catalogbot.catalog.load import catalog_identity

    monkeypatch.chdir(tmp_path)
    path = catalog(
        tmp_path / "catalog.yaml", [("a", "https://example.org/a"), ("b", "https://example.net/b")]
    )
    digest = catalog_identity(path.read_text())
    return (
        _shard_file(tmp_path / "one.json", 1, 2, ["a"], digest),
        _shard_file(tmp_path / "two.json", 2, 2, ["b"], digest, started="2026-11-28T11:59:00Z"),
        digest,
    )


def test_merge_of_minimal_shards_is_in_catalog_order(
    two_shards: tuple[str, str, str], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    one, two, _ = two_shards
    done = run(capsys, "merge", two, one, "--json", "-", "--markdown", "r.md")
    assert done.code == 0, done.both
    data = json.loads(done.out)
    assert [r["id"] for r in data["results"]] == ["a", "b"]
    assert data["started_at"] == "2026-11-28T11:59:00Z"
    assert data["offline"] is False
    assert (tmp_path / "r.md").is_file()


def test_an_offline_shard_makes_the_merged_run_offline(
    two_shards: tuple[str, str, str], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    one, _, digest = two_shards
    two = _shard_file(tmp_path / "off.json", 2, 2, ["b"], digest, offline=True)
    done = run(capsys, "merge", one, two, "--json", "m.json")
    assert done.code == 3, done.both
    data = json.loads((tmp_path / "m.json").read_text())
    assert data["offline"] is True
    assert data["offline_detail"] == "shard 2/2: no canary answered"


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("other catalog", "the results of another catalog"),
        ("repeated", "shard 1/2 is also one.json"),
        ("missing", "shard 2 of 2 missing"),
        ("counts", "shard 2 of 3, but one.json is a shard of 2"),
        ("not results", "bad.json: not JSON"),
        ("id twice", "'a' is also in one.json"),
        ("no shard", "not the results of a shard"),
        ("overwrite", "--json one.json: is one.json, which this command reads"),
    ],
)
def test_bad_merges_are_refused(
    case: str,
    message: str,
    two_shards: tuple[str, str, str],
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    one, two, digest = two_shards
    other = {
        "other catalog": (["b"], 2, "sha256:00"),
        "counts": (["b"], 3, digest),
        "id twice": (["a", "b"], 2, digest),
    }
    if case in other:
        ids, count, its_digest = other[case]
        _shard_file(tmp_path / "x.json", 2, count, ids, its_digest)
    files = {
        "repeated": [one, one, two],
        "missing": [one],
        "not results": [one, two, "bad.json"],
        "no shard": [one, two, "plain.json"],
        "overwrite": [one, two],
    }.get(case, [one, "x.json"])
    (tmp_path / "bad.json").write_text("{ this is not json")
    (tmp_path / "plain.json").write_text('{"results": []}')
    target = "one.json" if case == "overwrite" else "m.json"
    done = run(capsys, "merge", *files, "--json", target)
    assert done.code == 2
    assert message in done.err
    assert len(done.err.strip().splitlines()) == 1
    assert not (tmp_path / "m.json").exists()


def test_shard_and_only_are_refused_together(
    two_shards: tuple[str, str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    done = run(capsys, "check", "--shard", "1/2", "--only", "a")
    assert done.code == 2
    assert "--shard and --only cannot be combined" in done.err
    bad = run(capsys, "check", "--shard", "3/2")
    assert bad.code == 2
    assert "shard 3 of 2 does not exist" in bad.err


def _drift_site() -> Site:
    return Site(
        {
            "/ok": page("Steady", "the same words as always " * 30),
            "/moves": page("Will change", "original words about naloxone training " * 30),
            "/gone": Reply(404, b"gone"),
            "/old": redirect("/ok", 301),
        }
    )


def test_two_processes_give_what_one_gives(
    tmp_path: Path,
    sites: Serve,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    running: list[RunningSite] = sites(_drift_site(), _drift_site(), _drift_site())
    entries = [
        (f"s{n}{path.strip('/')}", site.url(path))
        for n, site in enumerate(running)
        for path in ("/ok", "/moves", "/gone", "/old")
    ]
    catalog(tmp_path / "catalog.yaml", entries)
    monkeypatch.chdir(tmp_path)
    network = (*NETWORK, "--canary", running[0].url("/ok"))
    accepted = run(capsys, "accept", "--all", *network)
    assert accepted.code == 1, accepted.both  # the 404s are refused
    for site in running:
        site.site.routes["/moves"] = page("Changed", "an entirely new text on other things " * 30)
    one = run(capsys, "check", *network, "--processes", "1", "--json", "one.json")
    two = run(capsys, "check", *network, "--processes", "2", "--json", "two.json")
    assert one.code == two.code == 1
    assert _verdicts(tmp_path / "one.json") == _verdicts(tmp_path / "two.json")
    statuses = {v[2] for v in _verdicts(tmp_path / "two.json")}
    assert statuses == {"ok", "drifted", "broken", "redirected"}
    assert json.loads((tmp_path / "two.json").read_text())["shard"] == {"index": 1, "count": 1}


def test_forked_processes_give_what_one_gives(tmp_path: Path, sites: Serve) -> None:
    """Run as a command of its own (one thread, so its workers are forked rather than
    spawned), two processes judge every link as one does."""
    running: list[RunningSite] = sites(_drift_site(), _drift_site())
    entries = [
        (f"s{n}{path.strip('/')}", site.url(path))
        for n, site in enumerate(running)
        for path in ("/ok", "/moves", "/gone", "/old")
    ]
    catalog(tmp_path / "catalog.yaml", entries)
    network = (*NETWORK, "--canary", running[0].url("/ok"))
    command = [sys.executable, "-m", "catalogbot"]
    subprocess.run([*command, "accept", "--all", *network], cwd=tmp_path, check=False)
    for site in running:
        site.site.routes["/moves"] = page("Changed", "an entirely new text on other things " * 30)
    codes = [
        subprocess.run(
            [*command, "check", *network, "--processes", count, "--json", f"{count}.json"],
            cwd=tmp_path,
            capture_output=True,
            check=False,
        ).returncode
        for count in ("1", "2")
    ]
    assert codes == [1, 1]
    assert _verdicts(tmp_path / "1.json") == _verdicts(tmp_path / "2.json")
    assert {v[2] for v in _verdicts(tmp_path / "2.json")} == {
        "ok",
        "drifted",
        "broken",
        "redirected",
    }


@pytest.mark.parametrize(
    ("platform", "threads", "method"),
    [("linux", 1, "fork"), ("linux", 2, "spawn"), ("darwin", 1, "spawn")],
)
def test_workers_are_forked_only_from_a_single_thread_on_linux(
    monkeypatch: pytest.MonkeyPatch, platform: str, threads: int, method: str
) -> None:
    from catalogbot.check import processes

    monkeypatch.setattr("threading.active_count", lambda: threads)
    monkeypatch.setattr("sys.platform", platform)
    assert processes._context().get_start_method() == method


def test_the_runner_is_judged_offline_over_all_processes(
    tmp_path: Path,
    sites: Serve,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Three refusing hosts, all in one process, are three of seven hosts: the links are
    broken, not the runner offline (the process holding them could not tell alone)."""
    from catalogbot.catalog.model import Resource
    from catalogbot.catalog.urls import host_of
    from catalogbot.check.offline import suspect_outage
    from catalogbot.check.processes import split

    healthy = sites(*(Site({"/": page("Fine", "words")}) for _ in range(4)))
    entries = [(f"big{n}", healthy[0].url(f"/?n={n}")) for n in range(6)]
    entries += [(f"fine{h}", site.url("/")) for h, site in enumerate(healthy[1:])]
    refusing = [f"127.0.0.{50 + i}" for i in range(3)]
    for i, address in enumerate(refusing):
        port = closed_port(address)
        entries += [(f"down{i}{n}", f"http://{address}:{port}/p{n}") for n in range(2)]
    catalog(tmp_path / "catalog.yaml", entries)
    parts = split([Resource(id=i, title=i, url=u) for i, u in entries], 2)
    assert [r.id for r in parts[1] if r.id.startswith("down")] == [
        i for i, _ in entries if i.startswith("down")
    ]  # the refusing hosts share a process, where they are most of its hosts:
    assert suspect_outage((host_of(r.url), r.id.startswith("down")) for r in parts[1])
    monkeypatch.chdir(tmp_path)
    canary = f"http://127.0.0.60:{closed_port('127.0.0.60')}/"
    done = run(
        capsys, "check", *NETWORK, "--canary", canary, "--processes", "2", "--json", "r.json"
    )
    assert done.code == 1, done.both
    results = json.loads((tmp_path / "r.json").read_text())["results"]
    assert {r["status"] for r in results if r["id"].startswith("down")} == {"broken"}


@pytest.mark.parametrize(
    ("cpus", "hosts", "links", "concurrency", "expected"),
    [
        (2, 200, 10_000, 256, 2),
        (2, 200, 10_000, 128, 1),
        (16, 200, 20_000, 1024, 8),
        (16, 3, 20_000, 1024, 3),
        (4, 50, 2_000, 512, 1),
        (16, 200, 20_000, 32, 1),
    ],
)
def test_default_processes_are_capped(
    cpus: int, hosts: int, links: int, concurrency: int, expected: int
) -> None:
    """The usable CPUs, at most 8, one per host with links, one per 2,500 links and one
    per 128 requests in flight."""
    from catalogbot.catalog.model import Resource
    from catalogbot.check import processes

    resources = [
        Resource(id=f"r{n}", title="t", url=f"https://h{n % hosts}.example/{n}")
        for n in range(links)
    ]
    assert processes.default_processes(resources, concurrency, cpus) == expected


def test_merge_in_actions_annotates_and_summarises_like_check(
    two_shards: tuple[str, str, str],
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The merged run gets check's annotations on the catalog's lines and its job
    summary, and exits 1 for a broken link."""
    one, two, _ = two_shards
    data = json.loads((tmp_path / two).read_text())
    data["results"][0].update(status="broken", reason="http_404", detail="gone")
    (tmp_path / two).write_text(json.dumps(data))
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    done = run(capsys, "merge", one, two, "--json", "m.json")
    assert done.code == 1, done.both
    assert "::error file=catalog.yaml,line=" in done.out
    assert "http_404" in summary.read_text()
