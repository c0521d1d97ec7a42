"""Live progress of a run: counts the DoFns add, published to the run's folder, and the reporter
thread that sums them into one line.

Beam's metrics are only readable once a pipeline has finished on the DirectRunner, and a
streaming run never finishes by itself, so the DoFns also count here. The counts reach the
reporter through the run's ``RunControl`` folder (newsevents/runtime/control.py), which the
pipeline carries to its DoFns: each process that runs DoFns keeps its counts in ``PID.json``
there, and the reporter adds them up. That works in the CLI's own process and with
``--direct_running_mode multi_processing`` (worker processes on the same machine); on a
distributed runner there is no folder to share: use the runner's metrics UI.
"""
from __future__ import annotations

import atexit
import json
import logging
import os
import sys
import threading
import time
from collections import defaultdict
from typing import Optional

log = logging.getLogger("newsevents.runtime.progress")

PUBLISH_INTERVAL_S = 0.5


class Progress:
    """One process's counts; with a ``directory``, published there by a thread while they change."""

    def __init__(self, directory: Optional[str] = None):
        self._lock = threading.Lock()
        self._counts: dict[str, int] = defaultdict(int)
        self._lag: dict[str, int] = {}
        self._directory = directory
        self._publisher: Optional[_Publisher] = None

    def add(self, name: str, n: int = 1) -> None:
        if n:
            with self._lock:
                self._counts[name] += n
            self._changed()

    def set_lag(self, partition: str, lag: int) -> None:
        with self._lock:
            self._lag[partition] = max(0, lag)
        self._changed()

    def snapshot(self) -> dict:
        with self._lock:
            return {"counts": dict(self._counts), "lag": dict(sorted(self._lag.items()))}

    def publish(self) -> None:
        """Writes the counts now (the reporter's last line must not miss the last bundle's)."""
        if self._publisher is not None:
            self._publisher.publish()

    def _changed(self) -> None:
        if self._directory and self._publisher is None:
            with self._lock:
                if self._publisher is None:
                    self._publisher = _Publisher(self, self._directory)
                    self._publisher.start()


class _Publisher(threading.Thread):
    """Writes this process's counts to DIR/PID.json every PUBLISH_INTERVAL_S while they change
    (whole files, renamed into place: the reporter never reads half a file)."""

    def __init__(self, progress: Progress, directory: str):
        super().__init__(name="newsevents-progress-publisher", daemon=True)
        self.progress, self.directory = progress, directory
        self._path = os.path.join(directory, f"{os.getpid()}.json")
        self._lock, self._last = threading.Lock(), None
        # Beam ends idle worker processes: their last counts must not die with the daemon thread.
        atexit.register(self.publish)

    def publish(self) -> bool:
        with self._lock:
            snap = self.progress.snapshot()
            if snap == self._last:
                return True
            tmp = f"{self._path}.tmp"
            try:
                with open(tmp, "w") as f:
                    json.dump(snap, f)
                os.replace(tmp, self._path)
            except OSError:  # the run ended and its folder is gone (or there is none on this machine)
                return False
            self._last = snap
            return True

    def run(self) -> None:
        while self.publish():
            time.sleep(PUBLISH_INTERVAL_S)


def published_snapshot(directory: Optional[str]) -> dict:
    """The counts every process published in ``directory``, added up."""
    counts: dict[str, int] = defaultdict(int)
    lag: dict[str, int] = {}
    published = []
    for entry in os.scandir(directory) if directory and os.path.isdir(directory) else []:
        if entry.name.endswith(".json"):
            try:
                with open(entry.path) as f:
                    published.append((entry.stat().st_mtime, json.load(f)))
            except (OSError, ValueError):
                continue
    # Counts add up; a partition's lag is the newest any process reported (it may have moved).
    for _, other in sorted(published, key=lambda p: p[0]):
        for k, v in other["counts"].items():
            counts[k] += v
        lag.update(other["lag"])
    return {"counts": dict(counts), "lag": dict(sorted(lag.items()))}


def format_progress(snap: dict, elapsed_s: float) -> str:
    from newsevents import EVENT_TYPES
    c = snap["counts"]
    events = " ".join(f"{t}={c.get('rows_events/' + t, 0)}" for t in EVENT_TYPES)
    lag = ",".join(f"{k}:{v}" for k, v in snap["lag"].items()) or "-"
    read = c.get("records_read", c.get("records_parsed", 0))
    return (f"[{elapsed_s:6.0f}s] read={read} articles={c.get('rows_articles', 0)} "
            f"events: {events} dead_letters={c.get('rows_dead_letter', 0)} lag={lag}")


class ProgressReporter(threading.Thread):
    """Prints the progress of the run of ``control`` (a RunControl) every ``interval_s``: in place on
    a terminal, as log lines otherwise, and a last line when stopped."""

    def __init__(self, control, interval_s: float = 2.0, stream=None):
        super().__init__(name="newsevents-progress", daemon=True)
        self.control, self.interval_s = control, interval_s
        self.stream = stream or sys.stderr
        self._stop_event = threading.Event()
        self._started_at: Optional[float] = None

    def start(self) -> None:
        self._started_at = time.monotonic()
        super().start()

    def line(self) -> str:
        return format_progress(self.control.snapshot(), time.monotonic() - self._started_at)

    def run(self) -> None:
        tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        while not self._stop_event.wait(self.interval_s):
            self._emit(self.line(), tty)
        self._emit(self.line(), tty)
        if tty:
            self.stream.write("\n")

    def _emit(self, line: str, tty: bool) -> None:
        if tty:
            self.stream.write("\r\033[K" + line)
            self.stream.flush()
        else:
            log.info("%s", line)

    def stop(self) -> None:
        self._stop_event.set()
        self.join(timeout=5)
