"""A loopback web server with injected latency, for the throughput benchmark.

Listens on 127.0.3.1 ... 127.0.3.H (every 127.x.y.z address is this machine), one port
for all, and answers each request after L milliseconds: ``/doc/<n>`` is a ~20 KB HTML
page of varied text, except that one in twenty answers 404 and one in twenty 301s to
``/moved/<n>``; anything else is 404. It prints ``READY <port>`` when listening and
stops when its standard input closes (that is, when the benchmark that started it ends).
Standard library only.
"""

from __future__ import annotations

import argparse
import asyncio
import sys

_TEXT = """
    naloxone overdose recovery court diversion program county health department
    treatment support harm reduction crisis response rural community law enforcement
    training evaluation toolkit guide strategy funding partners services outcomes
    people justice system addiction prevention education outreach peer housing
"""
WORDS = _TEXT.split()


def kind_of(n: int) -> str:
    """What /doc/<n> answers: a page, a 404 or a permanent redirect."""
    if n % 20 == 7:
        return "404"
    if n % 20 == 13:
        return "301"
    return "page"


def page(n: int, size: int = 20_000) -> bytes:
    """A page whose text differs from its neighbours', as real pages do."""
    parts = [f"<!DOCTYPE html><html><head><title>Resource {n}</title></head><body>"]
    parts.append(
        f"<nav><a href='/'>Home</a> <a href='/about'>About</a></nav><main><h1>Resource {n}</h1>"
    )
    length, i = 0, n
    while length < size:
        sentence = " ".join(WORDS[(i * 7 + k * 3) % len(WORDS)] for k in range(14))
        parts.append(f"<p>{sentence}.</p>")
        length += len(sentence) + 8
        i += 1
    parts.append("</main><footer>Updated daily</footer></body></html>")
    return "".join(parts).encode()


class Handler(asyncio.Protocol):
    def __init__(self, latency: float) -> None:
        self.latency = latency
        self.buffer = b""
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while b"\r\n\r\n" in self.buffer:
            head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
            target = head.split(b"\r\n", 1)[0].split(b" ")[1].decode("latin-1")
            asyncio.get_running_loop().call_later(self.latency, self.answer, target)

    def answer(self, target: str) -> None:
        if self.transport is None or self.transport.is_closing():
            return
        status, headers, body = "404 Not Found", "", b"<html><title>Not Found</title></html>"
        name = target.rsplit("/", 1)[-1]
        if target.startswith("/doc/") and name.isdigit():
            n = int(name)
            if kind_of(n) == "page":
                status, body = "200 OK", page(n)
            elif kind_of(n) == "301":
                status, headers, body = "301 Moved Permanently", f"Location: /moved/{n}\r\n", b""
        elif target.startswith("/moved/") and name.isdigit():
            status, body = "200 OK", page(int(name))
        self.transport.write(
            f"HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\n{headers}"
            f"Content-Length: {len(body)}\r\n\r\n".encode()
            + body
        )


async def serve(hosts: int, latency: float) -> None:
    loop = asyncio.get_running_loop()
    port = 0
    servers = []
    for index in range(1, hosts + 1):
        server = await loop.create_server(
            lambda: Handler(latency), f"127.0.3.{index}", port, backlog=4096, reuse_address=True
        )
        port = server.sockets[0].getsockname()[1]
        servers.append(server)
    print(f"READY {port}", flush=True)
    await loop.run_in_executor(None, sys.stdin.read)  # until the parent goes away


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--hosts", type=int, default=50)
    parser.add_argument("--latency-ms", type=float, default=100.0)
    args = parser.parse_args()
    asyncio.run(serve(args.hosts, args.latency_ms / 1000))


if __name__ == "__main__":
    main()
