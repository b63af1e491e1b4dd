"""The port probe of `restaurant serve` and `make stack`: a crashed server's TIME_WAIT sockets
do not block a restart, a server still listening does."""

from __future__ import annotations

import socket

from restaurant.processes import free_port, port_free


def _leave_time_wait(port: int) -> None:
    """Serve one connection on the port and close it server side first, as a crashed server's
    kernel does: the server's end of it stays in TIME_WAIT."""
    with socket.socket() as server:
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind(("127.0.0.1", port))
        server.listen()
        client = socket.create_connection(("127.0.0.1", port))
        conn, _ = server.accept()
        conn.close()  # the server closes first: its side goes to TIME_WAIT
        client.recv(1)
        client.close()


def test_a_port_in_time_wait_is_free_for_a_restart() -> None:
    port = free_port()
    _leave_time_wait(port)
    with socket.socket() as plain:  # what the probe did before: refused for up to 60 s
        try:
            plain.bind(("127.0.0.1", port))
            blocked = False
        except OSError:
            blocked = True
    assert blocked, "the kernel let a plain bind through: TIME_WAIT was not reproduced"
    assert port_free("127.0.0.1", port)


def test_a_listening_port_is_not_free() -> None:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        assert not port_free("127.0.0.1", server.getsockname()[1])
