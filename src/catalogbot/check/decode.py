"""Undo Content-Encoding without letting a small body expand without limit.

A gzip bomb of 10 MB inflates to 10 GB. zlib is told how much output is still allowed
on every call, so memory and time stay bounded by the body cap whatever arrives.
"""

from __future__ import annotations

import zlib


class BoundedDecoder:
    """Decodes a body's chunks up to ``limit`` bytes of output."""

    def __init__(self, encoding: str | None, limit: int) -> None:
        codings = [c.strip().lower() for c in (encoding or "").split(",") if c.strip()]
        codings = [c for c in codings if c != "identity"]
        self.limit = limit
        self.size = 0
        self.truncated = False
        self.unsupported = next(
            (c for c in codings if c not in ("gzip", "x-gzip", "deflate")), None
        )
        self._decoders: list[zlib._Decompress] = []
        if self.unsupported is None:
            for coding in reversed(codings):  # the last coding applied is undone first
                wbits = 47 if coding in ("gzip", "x-gzip") else zlib.MAX_WBITS
                self._decoders.append(zlib.decompressobj(wbits))
            self._deflate_raw_fallback = codings == ["deflate"]
        self._first = True
        self._chunks: list[bytes] = []

    @property
    def done(self) -> bool:
        """Whether the limit is reached and further input would be dropped."""
        return self.truncated

    def feed(self, data: bytes) -> None:
        """Add raw bytes from the wire."""
        if self.truncated or not data:
            return
        if self.unsupported is not None or not self._decoders:
            self._append(data)
            return
        try:
            out = self._run(data)
        except zlib.error:
            if self._first and self._deflate_raw_fallback:
                # Some servers send raw deflate (no zlib header) as "deflate".
                self._decoders = [zlib.decompressobj(-zlib.MAX_WBITS)]
                self._deflate_raw_fallback = False
                out = self._run(data)
            else:
                raise
        self._first = False
        self._append(out)

    def _run(self, data: bytes) -> bytes:
        for decoder in self._decoders:
            room = self.limit - self.size + 1
            data = decoder.decompress(data, max(room, 1))
            if decoder.unconsumed_tail:
                self.truncated = True  # more output was waiting than the limit allows
        return data

    def _append(self, data: bytes) -> None:
        room = self.limit - self.size
        if len(data) > room:
            data = data[:room]
            self.truncated = True
        self.size += len(data)
        self._chunks.append(data)

    def body(self) -> bytes:
        """Everything decoded so far."""
        return b"".join(self._chunks)
