"""Live progress of a run: counters the DoFns bump, and a reporter thread.

Beam's metrics are only readable once a pipeline has finished on the DirectRunner, and a
streaming run never finishes by itself, so the DoFns also count here. With
``--direct_running_mode multi_processing`` the DoFns run in worker processes on the same
machine: the reporter names a folder in ``NEWSEVENTS_PROGRESS_DIR`` before the workers start
(they inherit it), each worker process keeps its counts in a file there, and the reporter adds
them up. On a distributed runner the workers are other machines: use the runner's metrics UI.
"""
from __future__ import annotations

import atexit
import json
import logging
import os
import shutil
import sys
import tempfile
import threading
import time
from collections import defaultdict
from typing import Optional

log = logging.getLogger("newsevents.runtime.progress")

PROGRESS_DIR_ENV = "NEWSEVENTS_PROGRESS_DIR"
PUBLISH_INTERVAL_S = 0.5


class Progress:
    def __init__(self):
        self._lock = threading.Lock()
        self._counts: dict[str, int] = defaultdict(int)
        self._lag: dict[str, int] = {}

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

    def _changed(self) -> None:
        """In a worker process of a run whose reporter is elsewhere: publish the counts to a file."""
        directory = os.environ.get(PROGRESS_DIR_ENV)
        if directory and self._publisher is None and not directory.endswith(f"-{os.getpid()}"):
            with self._lock:
                if self._publisher is None:
                    self._publisher = _Publisher(self, directory)
                    self._publisher.start()

    _publisher: Optional["_Publisher"] = None


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
            except OSError:  # the run ended and its reporter removed the folder
                return False
            self._last = snap
            return True

    def run(self) -> None:
        while self.publish():
            time.sleep(PUBLISH_INTERVAL_S)


def merged_snapshot(progress: "Progress", directory: Optional[str]) -> dict:
    """This process's counts plus those the worker processes published in ``directory``."""
    snap = progress.snapshot()
    counts, lag = defaultdict(int, snap["counts"]), dict(snap["lag"])
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


PROGRESS = Progress()


def format_progress(snap: dict, elapsed_s: float) -> str:
    from newsevents import EVENT_TYPES
    c = snap["counts"]
    events = " ".join(f"{t}={c.get('rows_events/' + t, 0)}" for t in EVENT_TYPES)
    lag = ",".join(f"{k}:{v}" for k, v in snap["lag"].items()) or "-"
    read = c.get("records_read", c.get("records_parsed", 0))
    return (f"[{elapsed_s:6.0f}s] read={read} articles={c.get('rows_articles', 0)} "
            f"events: {events} dead_letters={c.get('rows_dead_letter', 0)} lag={lag}")


class ProgressReporter(threading.Thread):
    """Prints progress every ``interval_s``: in place on a terminal, as log lines otherwise, and a
    last line when stopped. Counts of worker processes started after ``start()`` are included."""

    def __init__(self, interval_s: float = 2.0, stream=None, progress: Progress = PROGRESS):
        super().__init__(name="newsevents-progress", daemon=True)
        self.interval_s, self.progress = interval_s, progress
        self.stream = stream or sys.stderr
        self._stop_event = threading.Event()
        self._started_at: Optional[float] = None
        self._dir: Optional[str] = None

    def start(self) -> None:
        # The folder name ends in this pid: the Progress of this process knows not to publish.
        self._dir = tempfile.mkdtemp(prefix="newsevents-progress-", suffix=f"-{os.getpid()}")
        os.environ[PROGRESS_DIR_ENV] = self._dir
        self._started_at = time.monotonic()
        super().start()

    def line(self) -> str:
        return format_progress(merged_snapshot(self.progress, self._dir), time.monotonic() - self._started_at)

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
        if os.environ.get(PROGRESS_DIR_ENV) == self._dir:
            del os.environ[PROGRESS_DIR_ENV]
        if self._dir:
            shutil.rmtree(self._dir, ignore_errors=True)
