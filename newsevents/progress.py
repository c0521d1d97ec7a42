"""Live progress of a run in this process: counters the DoFns bump, and a reporter thread.

Beam's metrics are only readable once a pipeline has finished on the DirectRunner, and a
streaming run never finishes by itself, so the DoFns also count here. On a distributed
runner the workers are other processes: use the runner's metrics UI there.
"""
from __future__ import annotations

import logging
import sys
import threading
import time
from collections import defaultdict
from typing import Optional

log = logging.getLogger("newsevents.progress")


class Progress:
    def __init__(self):
        self._lock = threading.Lock()
        self._counts: dict[str, int] = defaultdict(int)
        self._lag: dict[str, int] = {}

    def add(self, name: str, n: int = 1) -> None:
        if n:
            with self._lock:
                self._counts[name] += n

    def set_lag(self, partition: str, lag: int) -> None:
        with self._lock:
            self._lag[partition] = max(0, lag)

    def snapshot(self) -> dict:
        with self._lock:
            return {"counts": dict(self._counts), "lag": dict(sorted(self._lag.items()))}


PROGRESS = Progress()


def format_progress(snap: dict, elapsed_s: float) -> str:
    from newsevents import EVENT_TYPES
    c = snap["counts"]
    events = " ".join(f"{t}={c.get('rows_events/' + t, 0)}" for t in EVENT_TYPES)
    lag = ",".join(f"{k}:{v}" for k, v in snap["lag"].items()) or "-"
    return (f"[{elapsed_s:6.0f}s] read={c.get('records_read', 0)} articles={c.get('rows_articles', 0)} "
            f"events: {events} dead_letters={c.get('rows_dead_letter', 0)} lag={lag}")


class ProgressReporter(threading.Thread):
    """Prints progress every ``interval_s``: in place on a terminal, as log lines otherwise."""

    def __init__(self, interval_s: float = 2.0, stream=None, progress: Progress = PROGRESS):
        super().__init__(name="newsevents-progress", daemon=True)
        self.interval_s, self.progress = interval_s, progress
        self.stream = stream or sys.stderr
        self._stop_event = threading.Event()
        self._started_at: Optional[float] = None

    def run(self) -> None:
        self._started_at = time.monotonic()
        tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        while not self._stop_event.wait(self.interval_s):
            line = format_progress(self.progress.snapshot(), time.monotonic() - self._started_at)
            if tty:
                self.stream.write("\r\033[K" + line)
                self.stream.flush()
            else:
                log.info("%s", line)
        if tty:
            self.stream.write("\n")

    def stop(self) -> None:
        self._stop_event.set()
        self.join(timeout=5)
