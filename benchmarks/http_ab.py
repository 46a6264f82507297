"""A/B: catalogbot's own HTTP/1.1 connections (on h11) against httpcore's pool.

``check/http11.py`` replaces httpcore's connection pool and HTTP/1.1 connection, to
save CPU and the event-loop round trips their locks cost. This runs ``catalogbot
check`` on a loopback workload twice per repeat, alternating which goes first:

- ``h11``: catalogbot as it ships (``check.http11.OriginPool``);
- ``httpcore``: the same catalogbot with each origin's pool an
  ``httpcore.AsyncConnectionPool`` instead (same guard, same sockets, same limits);

and prints, per variant, the median wall time (and wall/ideal) and CPU seconds, then
the ratios h11/httpcore from the same run. The machine is shared: compare ratios, not
absolute times.

    python benchmarks/http_ab.py -N 2000 -H 50 -L 100 -C 64 -P 8 -R 3     # workload (a)
    python benchmarks/http_ab.py -N 10000 -H 200 -L 50 -C 128 -P 8 -R 3  # workload (b)

Measured on a shared 2-core machine, workload (b) without baselines (every page
parsed), one fetching process each, medians of 3: h11 6.38 s wall and 6.63 CPU s,
httpcore 7.22 s and 8.18 CPU s; ratios wall 0.88, CPU 0.81. With baselines (the
shared ``bench.py --baselines``), the requests' span of that run fell from 4.9 s to
4.4 s against an ideal of 4.2 s.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from pathlib import Path

from bench import Run, add_workload_arguments, ideal, start_server, timed, write_inputs

HTTPCORE_MAIN = """
import sys
import httpcore
import catalogbot.check.transport as transport
from catalogbot.cli import main


class Exchange:
    def __init__(self, response):
        self.status = response.status
        self.headers = response.headers
        self._response = response
        self._chunks = response.stream.__aiter__()

    async def next_chunk(self):
        try:
            return await self._chunks.__anext__()
        except StopAsyncIteration:
            return None

    async def aclose(self):
        await self._response.aclose()


class Pool:
    def __init__(self, scheme, host, port, *, backend, ssl_context, keep):
        self._origin = (scheme, host, port)
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=ssl_context,
            max_connections=keep + 2,
            max_keepalive_connections=keep,
            network_backend=backend,
        )

    async def request(self, target, headers):
        scheme, host, port = self._origin
        url = httpcore.URL(scheme=scheme, host=host, port=port, target=target)
        request = httpcore.Request(b"GET", url, headers=headers)
        return Exchange(await self._pool.handle_async_request(request))

    async def aclose(self):
        await self._pool.aclose()


transport.OriginPool = Pool
sys.exit(main(sys.argv[1:]))
"""
H11_MAIN = "import sys\nfrom catalogbot.cli import main\nsys.exit(main(sys.argv[1:]))\n"


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    add_workload_arguments(parser)
    args = parser.parse_args()
    bound = ideal(args.links, args.hosts, args.latency_ms / 1000, args.concurrency, args.per_host)
    server, port = start_server(args.hosts, args.latency_ms)
    runs: dict[str, list[Run]] = {"h11": [], "httpcore": []}
    try:
        with tempfile.TemporaryDirectory(prefix="catalogbot-ab-") as name:
            folder = Path(name)
            write_inputs(folder, args.links, args.hosts, port)
            check = [
                "check", "--json", "out.json", "--concurrency", str(args.concurrency),
                "--per-host", str(args.per_host), "--allow-private", "--timeout", "10",
                "--retries", "0", "--processes", "1",
            ]  # fmt: skip
            variants = {
                "h11": [sys.executable, "-c", H11_MAIN, *check],
                "httpcore": [sys.executable, "-c", HTTPCORE_MAIN, *check],
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
        f"RATIO h11/httpcore: wall {wall['h11'] / wall['httpcore']:.3f}, "
        f"cpu {cpu['h11'] / cpu['httpcore']:.3f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
