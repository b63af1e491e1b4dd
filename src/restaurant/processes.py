"""Process and port helpers shared by the server and the development tools."""

from __future__ import annotations

import contextlib
import ctypes
import signal
import socket

_PR_SET_PDEATHSIG = 1
# The stores' standard ports: a port picked for a test or an embedded server is never one of them.
_STANDARD_PORTS = (5432, 6379, 27017)


def die_with_parent() -> None:
    """In a child process: get SIGTERM when the parent dies (Linux), even by kill -9."""
    with contextlib.suppress(Exception):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def free_port() -> int:
    """A free TCP port on 127.0.0.1 (never a standard one)."""
    while True:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = int(sock.getsockname()[1])
        if port not in _STANDARD_PORTS:
            return port


def port_free(host: str, port: int) -> bool:
    """Whether a server could listen on host:port now. With SO_REUSEADDR, as uvicorn and Caddy
    bind: the sockets a crashed server left in TIME_WAIT do not count, a listening one does."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True
