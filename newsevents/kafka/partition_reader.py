"""One kafka-python consumer that reads many partitions in turn, prefetching the idle ones.

The Kafka source reads one partition per ``process`` call, and a worker reads all of its
partitions with one client (a client costs a bootstrap round trip of about 0.4 s). Pausing
every other partition while one is read would make each switch start with a fetch round
trip (50-150 ms for a few MB); instead the others keep fetching and their records wait here,
up to ``prefetch_records`` per partition, after which the partition stops fetching until its
turn.

A partition stops fetching by leaving the consumer's assignment, not by ``pause()``:
kafka-python 3.0 parks the parsed records of a paused partition and, once the partition is
resumed, restores them only when its in-line record slot is empty, which it seldom is again;
a parked partition is also never fetched, so it starves (reproduced by the reader's test).
An assignment change keeps the state of the partitions that stay.
"""
from __future__ import annotations

from collections import deque
from typing import Callable, Optional

from newsevents.kafka.client import codec_error, drop_undecodable


class PartitionReader:
    def __init__(self, make_consumer: Callable[[], object], prefetch_records: Optional[int] = None):
        self._make = make_consumer
        self._c = None
        self._fetching: list = []     # the consumer's assignment
        self._prefetched: dict = {}   # tp -> deque of record lists, oldest first
        self._next: dict = {}         # tp -> offset of the next record this reader delivers
        self._resume_at: dict = {}    # tp -> where fetching resumes: just past its prefetched records
        self._prefetch_records = prefetch_records

    @property
    def consumer(self):
        if self._c is None:
            self._c = self._make()
            if self._prefetch_records is None:
                self._prefetch_records = self._c.config["max_poll_records"]
        return self._c

    def start(self, tp, offset: int) -> None:
        """Makes ``tp`` the partition being read, delivering from ``offset`` on."""
        if self._next.get(tp) != offset:
            self._prefetched.pop(tp, None)
            seek_to = offset
        else:
            seek_to = None if tp in self._fetching else self._resume_at[tp]
        self._set_fetching(tp, True)
        if seek_to is not None:
            self.consumer.seek(tp, seek_to)
        self._next[tp] = offset

    def poll(self, tp, timeout_ms: int) -> list:
        """The next records of ``tp``: prefetched ones first, else from one poll of the consumer.

        Raises kafka-python's OffsetOutOfRangeError only when ``tp`` itself is out of range;
        another partition in that state is set aside and handled at its own turn.
        """
        from kafka.errors import OffsetOutOfRangeError, UnsupportedCodecError

        waiting = self._prefetched.get(tp)
        if waiting:
            return waiting.popleft()
        try:
            polled = self.consumer.poll(timeout_ms=timeout_ms)
        except UnsupportedCodecError as exc:
            raise codec_error(*self._undecodable(tp), exc) from None
        except OffsetOutOfRangeError as exc:
            failed = exc.args[0] if exc.args and isinstance(exc.args[0], dict) else {tp: None}
            for other in failed:
                if other != tp:
                    self.forget(other)
            if tp in failed:
                raise
            return []
        for other, records in polled.items():
            if other != tp:
                self._prefetched.setdefault(other, deque()).append(records)
                if self.prefetched(other) >= self._prefetch_records:
                    self._set_fetching(other, False)
        return polled.get(tp, [])

    def _undecodable(self, tp, polls: int = 5) -> tuple:
        """(topic, partition, offset) of the records kafka-python could not decompress.

        Its error names neither: the consumer fetches every partition in its assignment at once,
        so each is polled alone again from its position (which a failed batch does not advance).
        """
        from kafka.errors import UnsupportedCodecError

        suspects = [tp] + [p for p in self._fetching if p != tp]
        positions = {p: self.consumer.position(p) for p in suspects}
        try:
            for p in suspects:
                drop_undecodable(self.consumer)
                self.consumer.assign([p])
                self.consumer.seek(p, positions[p])
                try:
                    for _ in range(polls):
                        self.consumer.poll(timeout_ms=200)
                except UnsupportedCodecError:
                    return p.topic, p.partition, positions[p]
            return tp.topic, tp.partition, positions[tp]
        finally:  # every partition's next turn seeks afresh (a runner may retry the bundle)
            self._fetching, self._prefetched, self._next = [], {}, {}
            drop_undecodable(self.consumer)

    def unread(self, tp, records: list) -> None:
        """Gives back records of ``tp`` that its last poll returned and the caller did not take:
        its next poll returns them first."""
        if records:
            self._prefetched.setdefault(tp, deque()).appendleft(records)

    def stop(self, tp, next_offset: Optional[int]) -> None:
        """Ends ``tp``'s turn; its next turn continues at ``next_offset`` without a seek if it can."""
        if next_offset is None:
            self.forget(tp)
        else:
            self._next[tp] = next_offset

    def forget(self, tp) -> None:
        """Stops fetching ``tp`` and drops what was prefetched; its next turn seeks again."""
        self._prefetched.pop(tp, None)
        self._next.pop(tp, None)
        self._set_fetching(tp, False)

    def prefetched(self, tp) -> int:
        """How many records of ``tp`` wait here for its turn."""
        return sum(len(r) for r in self._prefetched.get(tp, ()))

    def position(self, tp) -> int:
        """The consumer's position, which is past any prefetched records of ``tp``."""
        return self.consumer.position(tp)

    def highwater(self, tp) -> Optional[int]:
        return self.consumer.highwater(tp)

    def _set_fetching(self, tp, fetching: bool) -> None:
        if fetching and tp not in self._fetching:
            self._fetching.append(tp)
            self.consumer.assign(list(self._fetching))
        elif not fetching and tp in self._fetching:
            self._resume_at[tp] = self.consumer.position(tp)
            self._fetching.remove(tp)
            self.consumer.assign(list(self._fetching))

    def close(self) -> None:
        if self._c is not None:
            self._c.close()
            self._c = None
