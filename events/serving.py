"""Serving: run an ASGI app under uvicorn so that no worker count adds a latency floor.

uvicorn binds the shared socket of ``--workers N`` with ``socket.socket(AF_INET)``: its
protocol number is 0, so asyncio does not switch Nagle's algorithm off on the connections it
accepts (``_set_nodelay`` only does for ``IPPROTO_TCP`` sockets), and a response written in two
pieces waits for the client's delayed ACK, about 40 ms (uvicorn issue #3149). Here the
listening socket is made by :func:`listening_socket`, as a TCP socket with ``TCP_NODELAY``
set (Linux hands the option on to accepted sockets), and the same socket serves one worker
or many. httptools and uvloop are used when they are installed (``uvicorn[standard]``).

Imports uvicorn only; the app is named by an import string (``events.app:app_from_env``
with ``factory=True``), so every worker builds its own.
"""

from __future__ import annotations

import importlib.util
import socket
from typing import Literal

HttpName = Literal["httptools", "h11"]
LoopName = Literal["uvloop", "asyncio"]


def fastest_http() -> HttpName:
    """httptools when installed, else h11 (pure Python)."""
    return "httptools" if importlib.util.find_spec("httptools") else "h11"


def fastest_loop() -> LoopName:
    """uvloop when installed, else asyncio's own loop."""
    return "uvloop" if importlib.util.find_spec("uvloop") else "asyncio"


def listening_socket(host: str, port: int, *, backlog: int = 2048) -> socket.socket:
    """A bound, listening TCP socket with ``TCP_NODELAY`` and ``SO_REUSEADDR``, inheritable
    by worker processes. ``port`` 0 picks a free port (read it with ``getsockname``)."""
    family, kind, proto, _name, address = socket.getaddrinfo(
        host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP
    )[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.bind(address)
        sock.listen(backlog)
        sock.set_inheritable(True)
    except OSError:
        sock.close()
        raise
    return sock


def serve(
    app: str,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    workers: int = 1,
    factory: bool = False,
    log_level: str = "info",
    access_log: bool = True,
    proxy_headers: bool = True,
    http: HttpName | None = None,
    loop: LoopName | None = None,
) -> None:
    """Serve ``app`` (an import string) until stopped, with ``workers`` processes sharing one
    NODELAY socket. Blocks; SIGINT/SIGTERM stop it as they stop uvicorn. ``http`` and
    ``loop`` default to the fastest installed."""
    import uvicorn
    from uvicorn.supervisors import Multiprocess

    config = uvicorn.Config(
        app,
        factory=factory,
        host=host,
        port=port,
        workers=workers,
        loop=loop or fastest_loop(),
        http=http or fastest_http(),
        log_level=log_level,
        access_log=access_log,
        proxy_headers=proxy_headers,
    )
    sock = listening_socket(host, port, backlog=config.backlog)
    try:
        if workers > 1:
            Multiprocess(config, sockets=[sock]).run()
        else:
            uvicorn.Server(config).run(sockets=[sock])
    finally:
        sock.close()
