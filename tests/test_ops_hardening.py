"""Operating newsevents: the foreground broker, object-store output, streaming compaction,
multi-process progress, and what `show` and `plot` print for odd outputs."""
import os
import signal
import subprocess
import sys
import time

import pytest

from newsevents.broker import free_port, port_in_use

CLI = [sys.executable, "-m", "newsevents.pipelines.cli"]


def _cli(*args, timeout=300, env=None):
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **(env or {})})


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as f:  # a zombie has exited: only its parent's wait is missing
        return f.read().rsplit(")", 1)[1].split()[0] != "Z"


def _children(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def _wait(condition, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def _start_broker(port, tmp_path, name):
    proc = subprocess.Popen([*CLI, "broker", "--port", str(port), "--topic", "articles"], stdout=subprocess.PIPE,
                            stderr=open(tmp_path / f"{name}.err", "wb"), text=True)
    line = proc.stdout.readline()
    assert f"on 127.0.0.1:{port}" in line, (line, (tmp_path / f"{name}.err").read_text()[-2000:])
    return proc


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_broker_command_stops_its_child_and_frees_the_port(sig, tmp_path):
    port = free_port()
    proc = _start_broker(port, tmp_path, "first")
    try:
        (child,) = _children(proc.pid)
        assert _alive(child) and port_in_use("127.0.0.1", port)

        second = _cli("broker", "--port", str(port), timeout=60)  # the port is busy
        assert second.returncode == 2, second.stderr[-2000:]
        errors = [line for line in second.stderr.splitlines() if "error" in line]
        assert errors == [f"newsevents broker: error: port {port} on 127.0.0.1 is already in use "
                          f"(another broker?); choose another with --port"]
        assert "Traceback" not in second.stderr

        proc.send_signal(sig)
        assert proc.wait(timeout=20) == 0
        assert _wait(lambda: not _alive(child)), f"broker child {child} still running after {sig.name}"
        assert _wait(lambda: not port_in_use("127.0.0.1", port)), f"port {port} still taken"
    finally:
        if proc.poll() is None:
            proc.kill()


def test_broker_child_dies_with_a_killed_command(tmp_path):
    port = free_port()
    proc = _start_broker(port, tmp_path, "killed")
    (child,) = _children(proc.pid)
    proc.kill()  # no handler runs: the kernel's parent-death signal must end the broker
    proc.wait(timeout=10)
    try:
        assert _wait(lambda: not _alive(child)), f"broker child {child} outlived SIGKILL of its command"
        assert _wait(lambda: not port_in_use("127.0.0.1", port))
    finally:
        if _alive(child):
            os.kill(child, signal.SIGKILL)
