"""The listening socket of ``events.serving``: TCP, Nagle off, so no worker count waits on
a delayed ACK (uvicorn issue #3149). Checks socket options, never timings."""

from __future__ import annotations

import socket

from events import serving


def test_listening_socket_is_tcp_with_nodelay() -> None:
    sock = serving.listening_socket("127.0.0.1", 0)
    try:
        assert sock.proto == socket.IPPROTO_TCP
        assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
        assert sock.get_inheritable()
        with socket.create_connection(sock.getsockname(), timeout=5):
            accepted, _ = sock.accept()
            with accepted:
                assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
    finally:
        sock.close()


def test_the_fastest_protocols_are_named() -> None:
    assert serving.fastest_http() in ("httptools", "h11")
    assert serving.fastest_loop() in ("uvloop", "asyncio")
