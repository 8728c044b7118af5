"""A small HTTP/1.1 client for the benchmarks: keep-alive over one loopback socket, nothing
between the measurement and the server but a ``sendall`` and a parser.

httpx costs a few hundred microseconds per request on this machine; figures of one or two
milliseconds need less. :class:`Connection` is blocking (1-connection p50 figures),
:class:`AsyncConnection` the same over asyncio streams (the sign-up storm's 64 clients, and
the fallback load generator when wrk is missing). Both set ``TCP_NODELAY`` on their side, so
a delay seen is the server's. Bounded: every call has a timeout.
"""

from __future__ import annotations

import asyncio
import socket
import statistics
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

TIMEOUT = 60.0


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes


@dataclass
class Sample:
    """Latencies (seconds) and statuses of a run of requests."""

    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    seconds: float = 0.0

    def add(self, latency: float, status: int) -> None:
        self.latencies.append(latency)
        self.statuses[status] = self.statuses.get(status, 0) + 1

    @property
    def p50_ms(self) -> float:
        return statistics.median(self.latencies) * 1000

    @property
    def rps(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0


def request_bytes(
    method: str, host: str, path: str, headers: dict[str, str] | None, body: bytes
) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}", "User-Agent: samen-bench"]
    for name, value in (headers or {}).items():
        lines.append(f"{name}: {value}")
    if body or method not in ("GET", "HEAD"):
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def _head(raw: bytes) -> tuple[int, dict[str, str]]:
    lines = raw.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers: dict[str, str] = {}
    for line in lines[1:]:
        if line:
            name, _, value = line.partition(":")
            key = name.strip().lower()
            value = value.strip()
            # Several Set-Cookie lines: keep them all, one per line.
            headers[key] = f"{headers[key]}\n{value}" if key in headers else value
    return status, headers


class Connection:
    """One keep-alive connection; reconnects when the server closed it."""

    def __init__(self, base_url: str) -> None:
        parts = urlsplit(base_url)
        self.host = parts.netloc
        self.address = (parts.hostname or "127.0.0.1", parts.port or 80)
        self.sock: socket.socket | None = None
        self.buffer = b""

    def _connect(self) -> socket.socket:
        sock = socket.create_connection(self.address, timeout=TIMEOUT)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buffer = b""
        return sock

    def close(self) -> None:
        if self.sock is not None:
            self.sock.close()
            self.sock = None

    def request(
        self, method: str, path: str, headers: dict[str, str] | None = None, body: bytes = b""
    ) -> Answer:
        data = request_bytes(method, self.host, path, headers, body)
        for attempt in (1, 2):
            if self.sock is None:
                self.sock = self._connect()
            try:
                self.sock.sendall(data)
                return self._read(method)
            except (ConnectionError, _Closed):
                self.close()
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def _fill(self) -> None:
        assert self.sock is not None
        chunk = self.sock.recv(262144)
        if not chunk:
            raise _Closed()
        self.buffer += chunk

    def _until(self, marker: bytes) -> bytes:
        while (at := self.buffer.find(marker)) < 0:
            self._fill()
        found, self.buffer = self.buffer[:at], self.buffer[at + len(marker) :]
        return found

    def _exactly(self, size: int) -> bytes:
        while len(self.buffer) < size:
            self._fill()
        found, self.buffer = self.buffer[:size], self.buffer[size:]
        return found

    def _read(self, method: str) -> Answer:
        status, headers = _head(self._until(b"\r\n\r\n"))
        body = b""
        if method == "HEAD" or status in (204, 304):
            pass
        elif "content-length" in headers:
            body = self._exactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            parts = []
            while size := int(self._until(b"\r\n").split(b";")[0], 16):
                parts.append(self._exactly(size))
                self._until(b"\r\n")
            self._until(b"\r\n")
            body = b"".join(parts)
        if headers.get("connection", "").lower() == "close":
            self.close()
        return Answer(status, headers, body)


class _Closed(Exception):
    """The server closed the connection before a whole answer."""


class AsyncConnection:
    """:class:`Connection` over asyncio streams."""

    def __init__(self, base_url: str) -> None:
        parts = urlsplit(base_url)
        self.host = parts.netloc
        self.address = (parts.hostname or "127.0.0.1", parts.port or 80)
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.reader = self.writer = None

    async def request(
        self, method: str, path: str, headers: dict[str, str] | None = None, body: bytes = b""
    ) -> Answer:
        data = request_bytes(method, self.host, path, headers, body)
        for attempt in (1, 2):
            if self.writer is None:
                self.reader, self.writer = await asyncio.open_connection(*self.address)
                sock = self.writer.get_extra_info("socket")
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            try:
                self.writer.write(data)
                return await asyncio.wait_for(self._read(method), TIMEOUT)
            except (ConnectionError, asyncio.IncompleteReadError):
                await self.close()
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    async def _read(self, method: str) -> Answer:
        assert self.reader is not None
        status, headers = _head((await self.reader.readuntil(b"\r\n\r\n"))[:-4])
        body = b""
        if method == "HEAD" or status in (204, 304):
            pass
        elif "content-length" in headers:
            body = await self.reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            parts = []
            while size := int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16):
                parts.append(await self.reader.readexactly(size))
                await self.reader.readuntil(b"\r\n")
            await self.reader.readuntil(b"\r\n")
            body = b"".join(parts)
        if headers.get("connection", "").lower() == "close":
            await self.close()
        return Answer(status, headers, body)


# --- drivers ------------------------------------------------------------------------------

Make = Callable[[int], tuple[str, str, dict[str, str], bytes]]
"""Request number -> (method, path, headers, body)."""


def one_connection(base_url: str, make: Make, requests: int, warmup: int = 20) -> Sample:
    """``requests`` requests one after another on one keep-alive connection (after a warm-up
    that is not counted)."""
    conn = Connection(base_url)
    sample = Sample()
    try:
        for n in range(warmup):
            conn.request(*make(-1 - n))
        began = time.perf_counter()
        for n in range(requests):
            method, path, headers, body = make(n)
            start = time.perf_counter()
            answer = conn.request(method, path, headers, body)
            sample.add(time.perf_counter() - start, answer.status)
        sample.seconds = time.perf_counter() - began
    finally:
        conn.close()
    return sample


async def many_connections(
    base_url: str, make: Make, requests: int, clients: int, *, deadline: float = 600.0
) -> Sample:
    """``requests`` requests shared by ``clients`` connections, each its own keep-alive
    socket; stops at ``deadline`` seconds whatever is left."""
    sample = Sample()
    numbers: Iterable[int] = iter(range(requests))
    began = time.perf_counter()

    async def lane() -> None:
        conn = AsyncConnection(base_url)
        try:
            for n in numbers:
                if time.perf_counter() - began > deadline:
                    return
                method, path, headers, body = make(n)
                start = time.perf_counter()
                answer = await conn.request(method, path, headers, body)
                sample.add(time.perf_counter() - start, answer.status)
        finally:
            await conn.close()

    await asyncio.gather(*(lane() for _ in range(clients)))
    sample.seconds = time.perf_counter() - began
    return sample


async def for_duration(base_url: str, path: str, clients: int, seconds: float) -> Sample:
    """The fallback load generator: GET ``path`` on ``clients`` connections for ``seconds``."""
    sample = Sample()
    began = time.perf_counter()

    async def lane() -> None:
        conn = AsyncConnection(base_url)
        try:
            while time.perf_counter() - began < seconds:
                start = time.perf_counter()
                answer = await conn.request("GET", path)
                sample.add(time.perf_counter() - start, answer.status)
        finally:
            await conn.close()

    await asyncio.gather(*(lane() for _ in range(clients)))
    sample.seconds = time.perf_counter() - began
    return sample
