"""RunControl: how the command that started a run talks to the run's DoFns, without module globals.

A run started by ``newsevents run`` on the local runner gets a folder; the RunControl naming it
travels with the run's config to every DoFn (it is part of the pickled DoFns), so it reaches them
in the CLI's own process and in the worker processes of ``--direct_running_mode multi_processing``
alike. Through that folder:

- stop: the CLI's SIGINT/SIGTERM handler writes a ``STOP`` marker; the Kafka read looks for it (at
  most every STOP_CHECK_INTERVAL_S) and ends its partition reads after the current poll, so the
  bundle is written and its offsets committed and the pipeline finishes by itself;
- progress: each process that runs DoFns publishes its counts in ``PID.json`` (runtime/progress.py)
  and the reporter adds them up.

Without a folder (a pipeline built by a test or a library user, a distributed runner whose
workers cannot see this machine's files) both are no-ops: nothing stops the read early, and the
counts stay in the process that counted them.
"""
from __future__ import annotations

import os
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass
from typing import Optional

from newsevents.runtime.progress import Progress, published_snapshot

STOP_FILE = "STOP"
STOP_CHECK_INTERVAL_S = 0.1

# Each process's Progress per run folder: DoFns of one run in one process add to one file.
_progress_lock = threading.Lock()
_progress: dict[tuple[int, Optional[str]], Progress] = {}


@dataclass(frozen=True)
class RunControl:
    directory: Optional[str] = None

    @classmethod
    def create(cls) -> "RunControl":
        return cls(tempfile.mkdtemp(prefix="newsevents-run-"))

    def close(self) -> None:
        if self.directory:
            shutil.rmtree(self.directory, ignore_errors=True)

    # --- stop -----------------------------------------------------------------------------------
    def request_stop(self) -> None:
        if self.directory:
            try:
                open(os.path.join(self.directory, STOP_FILE), "w").close()
            except OSError:  # the run is over and its folder gone
                pass

    def stop_requested(self) -> bool:
        return bool(self.directory) and os.path.exists(os.path.join(self.directory, STOP_FILE))

    def stop_signal(self) -> "StopSignal":
        """A reader of the stop marker that looks at the file system at most every
        STOP_CHECK_INTERVAL_S (a read loop asks after every poll)."""
        return StopSignal(self)

    # --- progress -------------------------------------------------------------------------------
    def progress(self) -> Progress:
        """This process's counts for the run (published into the folder when there is one)."""
        key = (os.getpid(), self.directory)  # a forked worker must not write under its parent's pid
        with _progress_lock:
            if key not in _progress:
                _progress[key] = Progress(self.directory)
            return _progress[key]

    def snapshot(self) -> dict:
        """The run's counts over every process that published them, this one's up to now."""
        self.progress().publish()
        if not self.directory:
            return self.progress().snapshot()
        return published_snapshot(self.directory)


class StopSignal:
    def __init__(self, control: RunControl):
        self.control = control
        self._checked_at = float("-inf")
        self._stopped = False

    def is_set(self) -> bool:
        if not self._stopped and self.control.directory:
            now = time.monotonic()
            if now - self._checked_at >= STOP_CHECK_INTERVAL_S:
                self._checked_at = now
                self._stopped = self.control.stop_requested()
        return self._stopped
