"""The harness's network guard bites: in the test's process and in the Pythons it starts,
a connection to anything but this machine fails at once and fails the test."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys

import pytest

from tests.harness import python_env
from tests.network_guard import NetworkBlocked

REMOTE = ("192.0.2.1", 443)  # TEST-NET-1: an address that is never this machine
BLOCKED = "network access blocked: connect to ('192.0.2.1', 443)"


def test_a_remote_connection_is_blocked_and_fails_the_test(network_guard_log):
    with pytest.raises(NetworkBlocked, match=r"network access blocked"):
        socket.create_connection(REMOTE, timeout=1)
    assert network_guard_log.read_text().startswith(BLOCKED)
    network_guard_log.write_text("")  # what the harness would fail this test on


def test_the_guard_is_not_fooled_by_catching_the_error(network_guard_log):
    with contextlib.suppress(OSError):  # code under test that swallows the error
        socket.create_connection(REMOTE, timeout=1)
    assert network_guard_log.read_text().startswith(BLOCKED)
    network_guard_log.write_text("")


def test_loopback_and_unix_sockets_are_allowed(tmp_path):
    with pytest.raises(ConnectionRefusedError) as refused:  # the harness's closed port
        socket.create_connection(("127.0.0.1", 9), timeout=1)
    assert type(refused.value) is ConnectionRefusedError  # refused, not blocked
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(tmp_path / "s.sock"))
    server.listen()
    with server, socket.socket(socket.AF_UNIX) as client:
        client.connect(str(tmp_path / "s.sock"))


@pytest.mark.parametrize("wandb_installed", [True, False])
def test_a_python_the_test_starts_is_guarded_too(
    run_python, network_guard_log, wandb_installed
):
    code = "import socket\nsocket.create_connection(('192.0.2.1', 443), timeout=1)"
    with pytest.raises(AssertionError, match="NetworkBlocked: network access blocked"):
        run_python("-c", code, wandb_installed=wandb_installed)
    assert network_guard_log.read_text().startswith(BLOCKED)
    network_guard_log.write_text("")


def test_a_subprocess_started_with_python_env_is_guarded(tmp_path, network_guard_log):
    code = "import socket\nsocket.create_connection(('192.0.2.1', 443), timeout=1)"
    done = subprocess.run(
        [sys.executable, "-c", code],
        env=python_env(tmp_path, "offline"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1 and "NetworkBlocked" in done.stderr
    assert network_guard_log.read_text().startswith(BLOCKED)
    network_guard_log.write_text("")
