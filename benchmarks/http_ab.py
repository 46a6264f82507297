"""A/B: catalogbot's own socket streams against httpcore's default (anyio) streams.

``check/sockets.py`` replaces the streams httpcore opens through anyio with asyncio
protocol streams, to save CPU. This runs ``catalogbot check`` on the shared loopback
workloads twice per repeat, alternating which goes first:

- ``sockets``: catalogbot as it ships (``check.sockets.open_stream``);
- ``anyio``: the same catalogbot with each connection opened by
  ``httpcore.AnyIOBackend`` instead (only the stream differs: same guard, same pools).

and prints, per variant, the median wall time (and wall/ideal) and CPU seconds, then
the ratios sockets/anyio from the same run. The machine is shared: compare ratios,
not absolute times.

    python benchmarks/sockets_ab.py -N 2000 -H 50 -L 100 -C 64 -P 8 -R 3   # workload (a)
    python benchmarks/sockets_ab.py -N 4000 -H 200 -L 20 -C 128 -P 8 -R 3  # CPU-heavy
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from pathlib import Path

from bench import Run, add_workload_arguments, ideal, start_server, timed, write_inputs

ANYIO_MAIN = """
import sys
import httpcore
import catalogbot.check.backend as backend
from catalogbot.cli import main

async def open_stream(address, port):
    return await httpcore.AnyIOBackend().connect_tcp(address, port)

backend.open_stream = open_stream
sys.exit(main(sys.argv[1:]))
"""
SOCKETS_MAIN = "import sys\nfrom catalogbot.cli import main\nsys.exit(main(sys.argv[1:]))\n"


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    add_workload_arguments(parser)
    args = parser.parse_args()
    bound = ideal(args.links, args.hosts, args.latency_ms / 1000, args.concurrency, args.per_host)
    server, port = start_server(args.hosts, args.latency_ms)
    runs: dict[str, list[Run]] = {"sockets": [], "anyio": []}
    try:
        with tempfile.TemporaryDirectory(prefix="catalogbot-ab-") as name:
            folder = Path(name)
            write_inputs(folder, args.links, args.hosts, port)
            check = [
                "check", "--json", "out.json", "--concurrency", str(args.concurrency),
                "--per-host", str(args.per_host), "--allow-private", "--timeout", "10",
                "--retries", "0",
            ]  # fmt: skip
            variants = {
                "sockets": [sys.executable, "-c", SOCKETS_MAIN, *check],
                "anyio": [sys.executable, "-c", ANYIO_MAIN, *check],
            }
            print(
                f"N={args.links} H={args.hosts} L={args.latency_ms:g} ms C={args.concurrency} "
                f"P={args.per_host}; ideal {bound:.3f} s"
            )
            for repeat in range(args.repeats):
                order = list(variants) if repeat % 2 == 0 else list(reversed(variants))
                for variant in order:
                    (folder / "out.json").unlink(missing_ok=True)
                    run = timed(variants[variant], folder)
                    runs[variant].append(run)
                    summary = json.loads((folder / "out.json").read_text())["summary"]
                    print(
                        f"  {variant:<8} #{repeat + 1}: wall {run.wall:6.2f} s "
                        f"({run.wall / bound:.2f}x ideal)  cpu {run.cpu:5.2f} s  exit {run.exit}  "
                        f"ok {summary['ok']} broken {summary['broken']} "
                        f"redirected {summary['redirected']}"
                    )
    finally:
        server.kill()
        server.wait()
    wall = {v: statistics.median(r.wall for r in rs) for v, rs in runs.items()}
    cpu = {v: statistics.median(r.cpu for r in rs) for v, rs in runs.items()}
    for variant in runs:
        print(
            f"{variant:<8} median wall {wall[variant]:.2f} s = {wall[variant] / bound:.2f}x "
            f"ideal, cpu {cpu[variant]:.2f} s"
        )
    print(
        f"RATIO sockets/anyio: wall {wall['sockets'] / wall['anyio']:.3f}, "
        f"cpu {cpu['sockets'] / cpu['anyio']:.3f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
