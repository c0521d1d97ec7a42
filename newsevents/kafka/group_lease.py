"""One streaming run per consumer group and topic: a lease kept in the group coordinator.

Two streaming processes with the same ``--group-id`` would each read every partition (the source
assigns partitions itself rather than joining the group, see transforms/kafka_io.py), doing all
the work twice. A streaming run with offset commits therefore holds a lease: a companion group
named ``<group>.newsevents-run.<host>.<pid>.<run id>`` whose committed offset for partition 0 of
each topic read is the run's latest heartbeat (epoch milliseconds), refreshed every few seconds
by a thread, also while the topic is idle. A run that starts lists the groups, finds the other
leases of its group, and refuses to start while one of them covers one of its topics with a
recent heartbeat. The owner's identity travels in the group name and the heartbeat in the offset,
not in the commit's metadata string, because the embedded broker (Tansu) does not keep that
string. A lease whose heartbeat is older than ``EXPIRY_S``, or whose process is gone from this
host, is stale and removed; a graceful stop deletes its own.
"""
from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from dataclasses import dataclass
from typing import Optional

from newsevents.kafka.client import KafkaSourceError, consumer

log = logging.getLogger(__name__)

HEARTBEAT_S = 2.0
EXPIRY_S = 3 * HEARTBEAT_S
MARKER = ".newsevents-run."


@dataclass(frozen=True)
class Lease:
    group: str
    host: str
    pid: int
    run: str

    @property
    def name(self) -> str:
        return f"{self.group}{MARKER}{self.host}.{self.pid}.{self.run}"

    @classmethod
    def parse(cls, group: str, name: str) -> Optional["Lease"]:
        if not name.startswith(group + MARKER):
            return None
        try:
            host, pid, run = name[len(group + MARKER):].rsplit(".", 2)
            return cls(group, host, int(pid), run)
        except ValueError:
            return None

    def process_gone(self) -> bool:
        """True only when the owner ran on this host and its process no longer exists."""
        if self.host != socket.gethostname():
            return False
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return True
        except PermissionError:
            pass
        return False


class GroupLease:
    def __init__(self, servers: str, group: str, topics: tuple[str, ...], extra: Optional[dict] = None,
                 heartbeat_s: float = HEARTBEAT_S):
        self.servers, self.topics, self.extra = servers, tuple(topics), dict(extra or {})
        self.heartbeat_s = heartbeat_s
        self.lease = Lease(group, socket.gethostname(), os.getpid(), uuid.uuid4().hex[:8])
        self._stop = threading.Event()
        self._thread: Optional[threading.Thread] = None
        self._committer = None

    def _admin(self):
        from kafka.admin import KafkaAdminClient
        return KafkaAdminClient(bootstrap_servers=self.servers.split(","), bootstrap_timeout_ms=10_000,
                                **{k: v for k, v in self.extra.items() if k.startswith(("security", "sasl", "ssl"))})

    def _holders(self) -> list[tuple[Lease, float]]:
        """Other live leases of the group on one of our topics, with their heartbeat's age in seconds."""
        admin = self._admin()
        try:
            names = [g["group_id"] for g in admin.list_groups()]
            live = []
            for name in names:
                other = Lease.parse(self.lease.group, name)
                if other is None or other == self.lease:
                    continue
                offsets = admin.list_group_offsets({name: None}).get(name, {})
                beats = [o.offset for tp, o in offsets.items() if tp.topic in self.topics and o.offset > 0]
                if not beats:
                    continue
                age = time.time() - max(beats) / 1000
                if age > EXPIRY_S or other.process_gone():
                    self._delete(admin, name)
                else:
                    live.append((other, age))
            return live
        finally:
            admin.close()

    @staticmethod
    def _delete(admin, name: str) -> None:
        try:
            admin.delete_groups([name])
        except Exception as exc:  # noqa: BLE001 - a stale lease left behind is only clutter
            log.debug("could not delete the stale lease %s: %s", name, exc)

    def _beat(self, ms: Optional[int] = None) -> None:
        from kafka import TopicPartition
        from kafka.structs import OffsetAndMetadata

        ms = int(time.time() * 1000) if ms is None else ms
        self._committer.commit({TopicPartition(t, 0): OffsetAndMetadata(ms, "", -1) for t in self.topics})

    def _refuse(self, holders: list) -> KafkaSourceError:
        other, age = min(holders, key=lambda h: h[1])
        return KafkaSourceError(
            f"consumer group {self.lease.group!r} already has a streaming run on {', '.join(self.topics)} "
            f"(host {other.host}, pid {other.pid}, run {other.run}, heartbeat {age:.0f} s ago); a second "
            f"process would read every partition again: use another --group-id, or scale out with the "
            f"runner's parallelism (docs/operations.md: Scaling out)")

    def acquire(self) -> "GroupLease":
        holders = self._holders()
        if holders:
            raise self._refuse(holders)
        self._committer = consumer(self.servers, group_id=self.lease.name, extra=self.extra)
        self._beat()
        # Two runs that started together both got this far: the one with the larger name yields.
        holders = [h for h in self._holders() if h[0].name < self.lease.name]
        if holders:
            self.release()
            raise self._refuse(holders)
        self._thread = threading.Thread(target=self._keep, name="newsevents-group-lease", daemon=True)
        self._thread.start()
        log.info("holding the lease %s", self.lease.name)
        return self

    def _keep(self) -> None:
        while not self._stop.wait(self.heartbeat_s):
            try:
                self._beat()
            except Exception as exc:  # noqa: BLE001 - the broker away: the next beat retries
                log.debug("lease heartbeat failed: %s", exc)

    def release(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        if self._committer is None:
            return
        try:
            self._beat(1)  # an ancient heartbeat: free at once, also where the group cannot be deleted
            self._committer.close()
            self._committer = None
            admin = self._admin()
            try:
                self._delete(admin, self.lease.name)
            finally:
                admin.close()
        except Exception as exc:  # noqa: BLE001 - it expires by itself
            log.debug("could not release the lease %s: %s", self.lease.name, exc)


def streaming_lease(kafka_config) -> Optional[GroupLease]:
    """The lease a run must hold: streaming runs that commit offsets to a group."""
    if kafka_config is None or kafka_config.bounded or not kafka_config.commit_offsets:
        return None
    return GroupLease(kafka_config.bootstrap_servers, kafka_config.group_id, kafka_config.topics,
                      kafka_config.extra)
