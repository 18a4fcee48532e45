"""No test reaches the network: only loopback and AF_UNIX connections are allowed.

wandb's own service (wandb-core) talks to the training process over a local socket, so
those stay allowed. Any other connection raises `NetworkBlocked` before a packet leaves,
and is written to the file named by NETWORK_GUARD_LOG, which the harness checks after each
test: a test fails even where the code under test catches the error and goes on.
Standard library only: every Python the tests start loads it (network_guard_site/).
"""

from __future__ import annotations

import ipaddress
import os
import socket
from typing import Any

LOG_ENV = "NETWORK_GUARD_LOG"
_original = {"connect": socket.socket.connect, "connect_ex": socket.socket.connect_ex}


class NetworkBlocked(ConnectionRefusedError):
    """A test tried to connect to something other than this machine."""


def is_local(family: int, address: Any) -> bool:
    if family == getattr(socket, "AF_UNIX", None):
        return True
    host = address[0] if isinstance(address, tuple) else address
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(str(host).split("%")[0]).is_loopback
    except ValueError:  # a host name: only loopback addresses are allowed
        return False


def check(sock: socket.socket, address: Any) -> None:
    if is_local(sock.family, address):
        return
    message = (
        f"network access blocked: connect to {address!r} "
        "(tests may connect only to loopback and AF_UNIX sockets)"
    )
    log = os.environ.get(LOG_ENV)
    if log:
        with open(log, "a") as out:
            out.write(message + "\n")
    raise NetworkBlocked(message)


def _connect(self: socket.socket, address: Any) -> None:
    check(self, address)
    return _original["connect"](self, address)


def _connect_ex(self: socket.socket, address: Any) -> int:
    check(self, address)
    return _original["connect_ex"](self, address)


GUARDED = {"connect": _connect, "connect_ex": _connect_ex}


def install() -> None:
    """Guard every socket of this process (a Python the tests started)."""
    for name, method in GUARDED.items():
        setattr(socket.socket, name, method)


def install_from_env() -> None:
    if os.environ.get(LOG_ENV):
        install()
