"""The health page at scale: a large catalog with a long history, built by the CLI.

Writes a synthetic catalog of N resources (strategies and levels like the real one), a
history of R runs with every kind of verdict (steady, flapping, broken for a while,
drifted, moved, fixed again, a run with the runner offline), then times
``catalogbot site`` recording one more run and building the whole site, in a child
process whose peak memory is read from the kernel. It also prints the history file's
size per 1,000 resources per year of daily runs.

    python benchmarks/site_scale.py                     # 10,000 resources, 90 runs
    python benchmarks/site_scale.py --resources 40 --runs 60 --keep DIR   # a demo site
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from catalogbot.check.result import Status
from catalogbot.site.history import History, add_run
from catalogbot.site.runs import Entry, Run
from catalogbot.site.store import dumps

LEVELS = ("introductory", "intermediate", "advanced")
START = datetime(2026, 1, 1, 6, 23, tzinfo=UTC)


def catalog_text(count: int) -> str:
    lines = ["version: 1", "title: Synthetic resource catalog", "resources:"]
    for n in range(count):
        lines += [
            f"  - id: res-{n}",
            f'    title: "Guide {n}: programs & services"',
            f"    url: https://site-{n % 400}.example.org/guides/{n}",
            "    publisher: Example publisher",
        ]
    lines.append("strategies:")
    per = max(12, count // 20)
    for s in range(0, count, per):
        lines += [f"  - id: strategy-{s // per}", f"    title: Strategy {s // per + 1}"]
        lines.append("    resources:")
        for k, level in enumerate(LEVELS):
            ids = [f"res-{n}" for n in range(s, min(s + per, count)) if n % 3 == k]
            if ids:
                lines.append(f"      {level}: [{', '.join(ids)}]")
    return "\n".join(lines) + "\n"


def verdict(n: int, run: int, rng: random.Random) -> tuple[Status, str]:
    kind = n % 20
    if kind == 1 and rng.random() < 0.3:
        return Status.BROKEN, "timeout"
    if kind == 2 and run >= 40:
        return Status.BROKEN, "http_404"
    if kind == 3 and run >= 70:
        return Status.DRIFTED, "content_changed"
    if kind == 4 and run >= 55:
        return Status.REDIRECTED, "moved_permanently"
    if kind == 5 and 20 <= run < 35:
        return Status.BROKEN, "dns"
    if kind == 6:
        return Status.UNVERIFIABLE, "bot_challenge"
    if kind == 7 and n % 40 == 7:
        return Status.SKIPPED, "excluded"
    return Status.OK, "ok"


def run_of(count: int, number: int, rng: random.Random) -> Run:
    entries, evidence = {}, {}
    at = (START + timedelta(days=number)).isoformat().replace("+00:00", "Z")
    for n in range(count):
        status, reason = verdict(n, number, rng)
        entries[f"res-{n}"] = Entry(status, reason, int(rng.lognormvariate(5.5, 0.6)))
        seen: dict[str, object] = {"at": at, "status": status.value, "reason": reason}
        if status is Status.DRIFTED:
            evidence[f"res-{n}"] = seen | {"excerpt": "-Old text <b>of</b> the guide\n+New text"}
        elif status is Status.REDIRECTED:
            new = f"https://new.example.org/{n}"
            old = f"https://site-{n % 400}.example.org/guides/{n}"
            evidence[f"res-{n}"] = seen | {"suggested_url": new, "redirects": [[old, 301, new]]}
    return Run(at, number == 50, entries, evidence)


def results_file(run: Run, path: Path) -> None:
    results = []
    for i, e in run.entries.items():
        seen = run.evidence.get(i, {})
        results.append({
            "id": i, "url": f"https://example.org/{i}", "status": e.status.value,
            "reason": e.reason, "elapsed_ms": e.elapsed_ms, "attempts": 1,
            "excerpt": seen.get("excerpt"), "suggested_url": seen.get("suggested_url"),
            "redirects": [
                {"url": u, "status": c, "location": loc} for u, c, loc in seen.get("redirects", [])
            ],
        })  # fmt: skip
    document = {"finished_at": run.finished_at, "offline": run.offline, "results": results}
    path.write_text(json.dumps(document), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--resources", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=90)
    parser.add_argument("--keep", type=Path, help="build here and keep the files")
    args = parser.parse_args()
    rng = random.Random(14)  # noqa: S311 (made-up data, not secrets)
    work = args.keep or Path(tempfile.mkdtemp(prefix="site-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    (work / "catalog.yaml").write_text(catalog_text(args.resources), encoding="utf-8")
    history = History()
    for number in range(args.runs - 1):
        add_run(history, run_of(args.resources, number, rng))
    (work / "history.jsonl").write_text(dumps(history), encoding="utf-8")
    results_file(run_of(args.resources, args.runs - 1, rng), work / "results.json")
    command = [
        sys.executable, "-m", "catalogbot", "site", str(work / "catalog.yaml"),
        "--out", str(work / "site"), "--history", str(work / "history.jsonl"),
        "--results", str(work / "results.json"),
    ]  # fmt: skip
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    elapsed = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    size = (work / "history.jsonl").stat().st_size
    packed = len(gzip.compress((work / "history.jsonl").read_bytes()))
    per_year = 365 / args.runs * 1000 / args.resources
    pages = sorted((work / "site").rglob("*.html"), key=lambda p: p.stat().st_size)
    print(f"{args.resources} resources, {args.runs} runs: built in {elapsed:.1f} s, "
          f"peak RSS {peak_mb:.0f} MB")  # fmt: skip
    print(f"pages: {len(pages)}, largest {pages[-1].name} {pages[-1].stat().st_size / 1e6:.2f} MB")
    print(f"history: {size / 1e6:.2f} MB ({packed / 1e6:.2f} MB gzipped); per 1,000 resources "
          f"per year of daily runs: {size * per_year / 1e6:.2f} MB "
          f"({packed * per_year / 1e6:.2f} MB gzipped)")  # fmt: skip
    print(f"files in {work}")


if __name__ == "__main__":
    main()
