"""ReadFromKafka: a native Python Kafka source built as a splittable DoFn on kafka-python.

Beam's own KafkaIO is Java and reaches Python only through an expansion service; this
source follows its design instead. Partitions are discovered at run time, each partition
is read by a splittable DoFn whose restriction is an offset range, the DoFn checkpoints
itself (``defer_remainder``) when a poll comes back empty or a bundle is full, and the
offsets of a bundle are committed to the consumer group by bundle finalization, that is,
only after the runner has committed the bundle's outputs.

Nothing here needs a GroupByKey after the read, so the read fuses with the rest of the
pipeline and streams on the FnApiRunner as well as on Flink or Dataflow.
"""
from __future__ import annotations

import bisect
import logging
import math
import operator
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Iterator, Optional

import apache_beam as beam
from apache_beam.io.restriction_trackers import OffsetRange, OffsetRestrictionTracker
from apache_beam.io.watermark_estimators import ManualWatermarkEstimator
from apache_beam.transforms.core import RestrictionProvider
from apache_beam.utils.timestamp import Duration, Timestamp
from apache_beam.utils.windowed_value import WindowedValue

from newsevents.kafka.client import (KafkaSourceError, connection_watch, consumer as make_consumer, log_end_offsets,
                              offsets_at_time, redact, topic_partitions)
from newsevents.kafka.headers import header_error, plain_headers
from newsevents.kafka.partition_reader import PartitionReader
from newsevents.runtime.control import RunControl
from newsevents.records import SourceRecord
from newsevents.input.validation import parse_timestamp

log = logging.getLogger(__name__)

UNBOUNDED = sys.maxsize
START_POSITIONS = ("earliest", "latest", "committed")

COMMIT_WAIT_S = 2.0
# Gauges per partition ("topic[p]"), for the run report: the offset after the last record read,
# and where a bounded read stopped because the broker was gone.
READ_TO_NAMESPACE = "kafka_read_to"
ABANDONED_NAMESPACE = "kafka_abandoned_at"


def _wait_done(futures: list, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while any(not f.is_done for f in futures) and time.monotonic() < deadline:
        time.sleep(0.005)


@dataclass(frozen=True)
class KafkaReadConfig:
    bootstrap_servers: str
    topics: tuple[str, ...]
    start: str = "earliest"                 # earliest | latest | committed | ISO-8601 time
    bounded: bool = True                    # stop at the end offsets seen when the read starts
    max_records: Optional[int] = None       # stop after this many records (over all partitions)
    max_read_time_s: Optional[float] = None  # stop after reading this long
    stop_read_time: Optional[str] = None    # stop at the first record at or after this ISO time
    group_id: str = "newsevents"
    commit_offsets: bool = True
    consumer_config: tuple[tuple[str, object], ...] = ()
    poll_timeout_ms: Optional[int] = None   # default: 500 ms bounded, 100 ms streaming
    # A bundle ends (outputs written, offsets committed) after this many records or seconds.
    # Streaming wants small bundles for latency; a bounded backfill wants fewer, larger ones.
    max_bundle_records: Optional[int] = None   # default: 100,000 bounded, 20,000 streaming
    max_bundle_seconds: Optional[float] = None  # default: 5 s bounded, 1 s streaming
    # How long a read waits for a broker that stopped answering mid-read before it stops and the
    # run reports the records it did not read. None: 30 s for a bounded read; a streaming read
    # waits for the broker to come back however long it takes (0 there means the same).
    broker_timeout_s: Optional[float] = None
    # The run's stop marker and progress folder (newsevents/runtime/control.py): on a stop request
    # (the CLI's SIGINT/SIGTERM handler) every partition read ends after its current poll, like a
    # deadline; the bundle is then written and its offsets committed, and the pipeline finishes.
    control: RunControl = RunControl()

    @property
    def bundle_records(self) -> int:
        return self.max_bundle_records or (100_000 if self.bounded else 20_000)

    @property
    def poll_ms(self) -> int:
        return self.poll_timeout_ms or (500 if self.bounded else 100)

    @property
    def bundle_seconds(self) -> float:
        return self.max_bundle_seconds or (5.0 if self.bounded else 1.0)

    @property
    def broker_wait_s(self) -> Optional[float]:
        if self.broker_timeout_s is None:
            return 30.0 if self.bounded else None
        return self.broker_timeout_s or None

    def __post_init__(self):
        if not self.topics:
            raise ValueError("at least one topic is needed")
        if self.start not in START_POSITIONS:
            try:
                parse_timestamp(self.start)
            except ValueError:
                raise ValueError(f"--start must be one of {', '.join(START_POSITIONS)} or an ISO-8601 time, "
                                 f"got {self.start!r}") from None
        if self.max_records is not None and self.max_records <= 0:
            raise ValueError("--max-records must be positive")
        if self.broker_timeout_s is not None and self.broker_timeout_s < 0:
            raise ValueError("--broker-timeout must be 0 (wait for ever) or more seconds")

    @property
    def extra(self) -> dict:
        return dict(self.consumer_config)


@dataclass(frozen=True)
class PartitionRead:
    """What one partition's read covers: [start_offset, stop_offset), stop None for no end."""
    topic: str
    partition: int
    start_offset: int
    stop_offset: Optional[int]
    deadline: Optional[float] = None  # epoch seconds after which the read stops
    stop_time_ms: Optional[int] = None  # the read ends at the first record at or after this time

    @property
    def key(self) -> str:
        return f"{self.topic}[{self.partition}]"


def _iso_to_ms(value: str) -> int:
    return int(parse_timestamp(value).timestamp() * 1000)


def _allocate(quota: int, available: list[int]) -> list[int]:
    """Splits a record quota over partitions as evenly as their backlogs allow."""
    take = [0] * len(available)
    remaining = quota
    while remaining > 0:
        open_parts = [i for i, a in enumerate(available) if take[i] < a]
        if not open_parts:
            break
        share = max(1, remaining // len(open_parts))
        for i in open_parts:
            extra = min(share, available[i] - take[i], remaining)
            take[i] += extra
            remaining -= extra
            if remaining == 0:
                break
    return take


def plan_partition_reads(config: KafkaReadConfig, topic: str, now: Optional[float] = None) -> list[PartitionRead]:
    """Resolves start and stop offsets of every partition of a topic; raises KafkaSourceError."""
    from kafka import TopicPartition
    from kafka.errors import KafkaError

    now = time.time() if now is None else now
    c = make_consumer(config.bootstrap_servers, group_id=config.group_id, extra=config.extra)
    try:
        parts = topic_partitions(c, topic)
        if not parts:
            raise KafkaSourceError(f"topic {topic!r} does not exist on {config.bootstrap_servers}")
        tps = [TopicPartition(topic, p) for p in parts]
        begin, end = c.beginning_offsets(tps), log_end_offsets(c, tps)
        starts = {}
        if config.start == "earliest":
            starts = dict(begin)
        elif config.start == "latest":
            starts = dict(end)
        elif config.start == "committed":
            for tp in tps:
                committed = c.committed(tp)
                starts[tp] = begin[tp] if committed is None else committed
        else:  # a time with no record at or after it yet (the future) starts at the end
            found = offsets_at_time(c, tps, _iso_to_ms(config.start), begin, end)
            starts = {tp: end[tp] if found[tp] is None else found[tp] for tp in tps}
        for tp in tps:
            if starts[tp] > end[tp]:
                raise KafkaSourceError(f"start offset {starts[tp]} of {tp.topic}[{tp.partition}] is beyond its end "
                                       f"offset {end[tp]} (was the topic recreated? use --start earliest)")
            if starts[tp] < begin[tp]:
                log.warning("%s[%d]: offset %d no longer exists, starting at %d", tp.topic, tp.partition,
                            starts[tp], begin[tp])
                starts[tp] = begin[tp]
        stops: dict = {tp: (end[tp] if config.bounded else None) for tp in tps}
        stop_ms = _iso_to_ms(config.stop_read_time) if config.stop_read_time else None
        if stop_ms is not None:
            # A partition without a record at or after the time yet reads on (streaming) until one
            # comes or the clock passes the time; the read itself checks each record's time.
            found = offsets_at_time(c, tps, stop_ms, begin, end)
            for tp in tps:
                if found[tp] is not None:
                    stops[tp] = found[tp] if stops[tp] is None else min(stops[tp], found[tp])
        if config.max_records is not None:
            if all(stops[tp] is not None for tp in tps):
                quota = _allocate(config.max_records, [max(0, stops[tp] - starts[tp]) for tp in tps])
            else:
                quota = [math.ceil(config.max_records / len(tps))] * len(tps)
            for tp, q in zip(tps, quota):
                stops[tp] = starts[tp] + q if stops[tp] is None else min(stops[tp], starts[tp] + q)
        deadline = now + config.max_read_time_s if config.max_read_time_s else None
        return [PartitionRead(tp.topic, tp.partition, starts[tp], stops[tp], deadline, stop_ms) for tp in tps]
    except KafkaError as exc:
        raise KafkaSourceError(f"cannot read topic {topic!r} from {config.bootstrap_servers}: {exc}") from None
    finally:
        c.close()


class _DiscoverPartitionsFn(beam.DoFn):
    def __init__(self, config: KafkaReadConfig):
        self.config = config

    def process(self, topic: str) -> Iterator[PartitionRead]:
        reads = plan_partition_reads(self.config, topic)
        for r in reads:
            log.info("reading %s from offset %d to %s", r.key, r.start_offset,
                     "the end of time" if r.stop_offset is None else r.stop_offset)
        yield from reads


class _PartitionOffsetTracker(OffsetRestrictionTracker):
    def is_bounded(self):
        return self._range.stop != UNBOUNDED


# Latest end offset seen per partition, for backlog estimates without a broker round trip.
_SEEN_END_OFFSETS: dict[tuple[str, int], int] = {}


class _PartitionRestrictionProvider(RestrictionProvider):
    def initial_restriction(self, read: PartitionRead) -> OffsetRange:
        return OffsetRange(read.start_offset, UNBOUNDED if read.stop_offset is None else read.stop_offset)

    def create_tracker(self, restriction: OffsetRange) -> _PartitionOffsetTracker:
        return _PartitionOffsetTracker(restriction)

    def restriction_size(self, read: PartitionRead, restriction: OffsetRange) -> int:
        if restriction.stop != UNBOUNDED:
            return max(0, restriction.stop - restriction.start)
        return max(0, _SEEN_END_OFFSETS.get((read.topic, read.partition), restriction.start) - restriction.start)


def _run_value(run: list, ms: Optional[int], windows: tuple) -> WindowedValue:
    """A run of records sharing the record timestamp ``ms``, as one element timestamped by it (by
    processing time when the record has none: ``ms`` None or -1), in the read's own window."""
    ts = Timestamp(micros=ms * 1000) if ms is not None and ms >= 0 else Timestamp.now()
    return WindowedValue(run, ts, windows)


def _source_record(r) -> SourceRecord:
    headers, error = (), None
    if r.headers:
        headers = tuple(r.headers)
        error = header_error(headers)
        if error is not None:
            headers = plain_headers(headers)
    return SourceRecord(r.value, r.topic, r.partition, r.offset, r.key, r.timestamp, r.timestamp_type, headers,
                        header_error=error)


@dataclass
class _PacedBundle:
    started: float
    records: int = 0
    behind: set = field(default_factory=set)  # partitions whose share was full: they have a backlog
    seconds: Optional[float] = None           # until the next bundle started


class BundlePacer:
    """Sizes the bundles of a streaming read so that a backlog is written as it goes, about
    ``target_s`` of the whole pipeline's work per bundle.

    The read and every step after it run in one thread (they are fused), and a bundle's writes
    happen at its end, so the time from one bundle's start to the next is the pipeline's time
    for the records read in it. Bundles whose partitions had more to read than their share are
    fitted to ``seconds = fixed + per_record * records``: the fixed part (writing a file per
    dataset, committing) is paid per bundle, so the target grows to twice the fixed part where
    that is more than ``target_s`` (smaller bundles would spend most of their time on it). The
    bundle's records are shared among the partitions that were behind.
    """

    def __init__(self, target_s: float, max_records: int, first: int = 24, floor: int = 12,
                 window_s: float = 30.0):
        self.target_s, self.max_records, self.first, self.floor, self.window_s = (
            target_s, max_records, first, floor, window_s)
        self._bundles: list[_PacedBundle] = []

    def bundle_started(self, now: float) -> None:
        if self._bundles:
            self._bundles[-1].seconds = now - self._bundles[-1].started
        self._bundles = [b for b in self._bundles if now - b.started <= self.window_s and b.records]
        self._bundles.append(_PacedBundle(now))

    def bundle_records(self) -> int:
        """The most records the current bundle may read, over all its partitions."""
        busy = [b for b in self._bundles if b.behind and b.seconds]
        if not busy:
            return self.first
        n = [b.records for b in busy]
        d = [b.seconds for b in busy]
        cap = sum(n) / sum(d) * self.target_s
        if len(set(n)) > 1:
            mean_n, mean_d = sum(n) / len(n), sum(d) / len(d)
            per_record = sum((x - mean_n) * (y - mean_d) for x, y in zip(n, d)) / sum((x - mean_n) ** 2 for x in n)
            fixed = mean_d - per_record * mean_n
            if per_record > 0 and fixed > 0:
                cap = (max(self.target_s, 2 * fixed) - fixed) / per_record
        elif cap <= n[0] and d[0] <= self.target_s:
            cap = n[0] * 1.5  # one size measured, within the target: try a larger one
        return max(self.floor, min(self.max_records, int(cap)))

    def cap(self, partition: str) -> int:
        """This partition's share of the current bundle."""
        if not self._bundles:
            self._bundles.append(_PacedBundle(0.0))
        last = next((b for b in reversed(self._bundles[:-1]) if b.behind), None)
        behind = len(last.behind | {partition}) if last else 1
        return max(1, self.bundle_records() // behind)

    def done(self, partition: str, records: int, behind: bool) -> None:
        """What the partition read in this bundle, and whether it stopped with records left."""
        bundle = self._bundles[-1]
        bundle.records += records
        if behind:
            bundle.behind.add(partition)


class _UnbatchFn(beam.DoFn):
    """Each record of a run, with the run's timestamp and window (Beam copies them in compiled code)."""

    def process(self, run: list) -> list:
        return run


class _ReadPartitionFn(beam.DoFn):
    """Reads one partition's offset range, a bundle at a time; commits offsets on finalization."""

    def __init__(self, config: KafkaReadConfig):
        self.config = config

    def setup(self):
        # "none": an offset beyond the log (broker restarted, topic recreated) raises instead of
        # silently jumping to the start or the end of the log.
        self._reader = PartitionReader(lambda: make_consumer(
            self.config.bootstrap_servers, group_id=None, extra={"auto_offset_reset": "none", **self.config.extra}))
        self._committer = None
        self._pending = []  # asynchronous commits in flight
        self._commit_lock = threading.Lock()
        self._watch = connection_watch(self.config.bootstrap_servers)
        self._records = beam.metrics.Metrics.counter("kafka", "records_read")
        self._commits = beam.metrics.Metrics.counter("kafka", "offset_commits")
        self._abandoned = beam.metrics.Metrics.counter("kafka", "reads_abandoned")
        self._pacer = BundlePacer(self.config.bundle_seconds, self.config.bundle_records)
        self._stop = self.config.control.stop_signal()
        self._progress = self.config.control.progress()

    def start_bundle(self):
        if not self.config.bounded:
            self._pacer.bundle_started(time.monotonic())

    def _start(self, tp, offset: int) -> PartitionReader:
        self._reader.start(tp, offset)
        if self.config.commit_offsets and self._committer is None:
            # Made here, with the reader, not in bundle finalization: bootstrapping a client there
            # would stall the whole pipeline for the bootstrap timeout if the broker were away.
            self._committer = make_consumer(self.config.bootstrap_servers, group_id=self.config.group_id,
                                            extra=self.config.extra)
        return self._reader

    def _commit(self, tp, offset: int) -> None:
        """Commits asynchronously: a broker outage must not stall the pipeline in bundle finalization.
        Commits are cumulative, so a failed one is covered by the next; until then a restart re-reads
        those records (at-least-once), it never skips them."""
        from kafka.structs import OffsetAndMetadata

        def done(offsets, result):
            if isinstance(result, Exception):
                log.warning("offset commit of %s[%d] at %d failed (%s); the next commit will cover it",
                            tp.topic, tp.partition, offset, result)
            else:
                self._commits.inc()
                log.debug("committed %s[%d] at %d for group %s", tp.topic, tp.partition, offset,
                          self.config.group_id)

        with self._commit_lock:
            future = self._committer.commit_async({tp: OffsetAndMetadata(offset, "", -1)}, callback=done)
            # Wait a little so that a healthy broker has the commit before the run moves on; give
            # up waiting (not committing) when the broker is away.
            _wait_done([future], COMMIT_WAIT_S)
            self._pending = [f for f in self._pending + [future] if not f.is_done]

    @beam.DoFn.unbounded_per_element()
    # Beam fills the bundle finalizer positionally and the restriction parameters by keyword,
    # so the finalizer must come first.
    def process(self, read: PartitionRead,
                bundle_finalizer=beam.DoFn.BundleFinalizerParam,
                window=beam.DoFn.WindowParam,
                tracker=beam.DoFn.RestrictionParam(_PartitionRestrictionProvider()),
                watermark=beam.DoFn.WatermarkEstimatorParam(ManualWatermarkEstimator.default_provider())):
        from kafka import TopicPartition
        from kafka.errors import OffsetOutOfRangeError

        tp = TopicPartition(read.topic, read.partition)
        restriction = tracker.current_restriction()
        c = self._start(tp, restriction.start)
        started, emitted, last_offset = time.monotonic(), 0, None
        # A streaming bundle holds about a second's work of the whole fused pipeline, so that a
        # catch-up writes as it goes; a bounded read takes the configured count.
        cap = self.config.bundle_records if self.config.bounded else self._pacer.cap(read.key)
        wm = watermark.current_watermark()
        windows = (window,)
        beyond_log_since = None
        done = deferred = behind = False
        while not done:
            position = restriction.start if last_offset is None else last_offset + 1
            # Claiming the end finishes the restriction: at its end (without waiting on one more
            # poll), on a stop request, or at the deadline.
            if position >= restriction.stop or self._stop.is_set() or \
                    (read.deadline is not None and time.time() >= read.deadline):
                tracker.try_claim(restriction.stop)
                break
            try:
                records = c.poll(tp, timeout_ms=self.config.poll_ms)
            except OffsetOutOfRangeError:
                # The log no longer reaches our position. On a durable broker that means the topic was
                # deleted and recreated; on a memory broker, a restart. Wait for it, never skip.
                log.warning("%s: offset %d is beyond the end of the log (broker restarted or topic recreated?); "
                            "waiting for the log to reach it", read.key, position)
                beyond_log_since = beyond_log_since or time.monotonic()
                if self._gives_up(read, position, time.monotonic() - beyond_log_since,
                                  "the log has not reached this offset again"):
                    tracker.try_claim(restriction.stop)
                    break
                c.forget(tp)
                c.start(tp, position)
                time.sleep(1.0)
                continue
            beyond_log_since = None
            hw = c.highwater(tp)
            self._watch.check(bool(records), expecting=self.config.bounded or (hw is not None and position < hw))
            if not records and self._gives_up(read, position, self._watch.down_for(),
                                              f"the Kafka broker {self.config.bootstrap_servers} has been unreachable"):
                tracker.try_claim(restriction.stop)
                break
            if hw is not None:
                _SEEN_END_OFFSETS[(tp.topic, tp.partition)] = hw
                self._progress.set_lag(read.key, hw - (records[-1].offset + 1 if records else c.position(tp)))
            if not records:
                if c.position(tp) >= restriction.stop:
                    tracker.try_claim(restriction.stop)  # the rest of the range holds no records
                    break
                caught_up = hw is not None and c.position(tp) >= hw
                if caught_up and read.stop_time_ms is not None and time.time() * 1000 >= read.stop_time_ms:
                    tracker.try_claim(restriction.stop)  # later records are produced after the stop time
                    break
                if caught_up:  # an idle partition must not hold back the watermark
                    now = Timestamp.now() - Duration(seconds=1)
                    if wm is None or now > wm:
                        wm = now
                        watermark.set_watermark(wm)
                # Streaming: an idle partition hands the worker back at once, so that the other
                # partitions (read in turn by the same worker) are polled again without delay.
                if emitted or not self.config.bounded or time.monotonic() - started >= self.config.bundle_seconds:
                    tracker.defer_remainder()
                    deferred = True
                    break
                continue
            stop = tracker.current_restriction().stop
            in_range = bisect.bisect_left(records, stop, key=operator.attrgetter("offset"))
            if read.stop_time_ms is not None:
                in_range = next((i for i in range(in_range) if records[i].timestamp >= read.stop_time_ms), in_range)
            ends_here = in_range < len(records)  # the range (or the read's time) ends within this poll
            # Records leave the splittable DoFn in runs that share one timestamp (a producer batch
            # shares its create time), one WindowedValue per run: every output of a splittable DoFn
            # goes through its watermark estimator and a timestamp conversion, about 1.5 us per
            # element, more than Beam's whole cost of handing a record to the next DoFn.
            # _UnbatchFn then emits each record with the run's timestamp and window. Each run is
            # claimed before it leaves (claiming an offset claims every offset below it): a failed
            # claim (the runner split the range meanwhile) leaves the rest to the residual range.
            latest_ms, i = -1, 0
            while i < in_range:
                ms, j = records[i].timestamp, i + 1
                limit = min(in_range, i + max(1, cap - emitted))
                while j < limit and records[j].timestamp == ms:
                    j += 1
                if not tracker.try_claim(records[j - 1].offset):
                    done = True
                    break
                yield _run_value([_source_record(r) for r in records[i:j]], ms, windows)
                last_offset, emitted, i = records[j - 1].offset, emitted + j - i, j
                if ms is not None and ms > latest_ms:
                    latest_ms = ms
                # Downstream steps run inside the yield (they are fused with the read), so the
                # clock here counts the whole pipeline's work on this bundle.
                if emitted >= cap or time.monotonic() - started >= self.config.bundle_seconds:
                    break
            # Like KafkaIO: the watermark follows the newest record timestamp, once per poll.
            if latest_ms >= 0:
                latest = Timestamp(micros=latest_ms * 1000)
                if wm is None or latest > wm:
                    wm = latest
                    watermark.set_watermark(wm)
            if done:
                break
            if i < in_range:  # the bundle is full: the rest of the poll is read first next time
                c.unread(tp, records[i:])
                tracker.defer_remainder()
                deferred = behind = True
                break
            if ends_here:
                tracker.try_claim(stop)  # fails, and so marks the range as read to its end
                break
            if emitted >= cap or time.monotonic() - started >= self.config.bundle_seconds:
                tracker.defer_remainder()
                deferred = behind = True
                break
        # A finished range stops fetching its partition; a deferred one continues where it left off.
        c.stop(tp, (restriction.start if last_offset is None else last_offset + 1) if deferred else None)
        if not self.config.bounded:
            self._pacer.done(read.key, emitted, behind)
        self._records.inc(emitted)
        self._progress.add("records_read", emitted)
        if last_offset is not None:
            beam.metrics.Metrics.gauge(READ_TO_NAMESPACE, read.key).set(last_offset + 1)
            if self.config.commit_offsets:
                bundle_finalizer.register(lambda tp=tp, o=last_offset + 1: self._commit(tp, o))

    def _gives_up(self, read: PartitionRead, position: int, waited_s: Optional[float], why: str) -> bool:
        """True when a read has waited longer than it may (a bounded read: 30 s by default)."""
        limit = self.config.broker_wait_s
        if limit is None or waited_s is None or waited_s < limit:
            return False
        log.error("%s: %s for %.0f s (the read waits at most %.0f s, --broker-timeout): it stops at offset %d; "
                  "the records read before are written, the rest are not read", read.key, why, waited_s, limit,
                  position)
        self._abandoned.inc()
        beam.metrics.Metrics.gauge(ABANDONED_NAMESPACE, read.key).set(position)
        return True

    def teardown(self):
        if getattr(self, "_reader", None) is not None:
            self._reader.close()
        if getattr(self, "_committer", None) is not None:
            _wait_done(self._pending, 10.0)  # let the commits in flight land before closing
            self._committer.close()


# Consumer settings that are options of the read itself, by their Kafka (Java) names as Beam's
# ReadFromKafka takes them in ``consumer_config``.
_READ_SETTINGS = {"bootstrap.servers": "bootstrap_servers", "group.id": "group_id"}
_RESET_STARTS = {"earliest": "earliest", "smallest": "earliest", "latest": "latest", "largest": "latest"}


def read_config(consumer_config: dict, topics, *, start_read_time: Optional[int] = None,
                max_num_records: Optional[int] = None, max_read_time: Optional[float] = None,
                commit_offset_in_finalize: bool = False, **options) -> KafkaReadConfig:
    """A ``KafkaReadConfig`` from the arguments of Beam's ``ReadFromKafka``: ``consumer_config`` holds
    ``bootstrap.servers``, ``group.id`` and ``auto.offset.reset`` (where a read starts without
    ``start_read_time``) by their Kafka names, and any kafka-python client setting (dots or
    underscores); ``start_read_time`` is epoch milliseconds, ``max_read_time`` seconds."""
    settings = {k.replace(".", "_"): v for k, v in dict(consumer_config or {}).items()}
    own = {field: settings.pop(key.replace(".", "_")) for key, field in _READ_SETTINGS.items()
           if key.replace(".", "_") in settings}
    if "bootstrap_servers" not in own:
        raise ValueError("consumer_config needs 'bootstrap.servers'")
    if isinstance(own["bootstrap_servers"], (list, tuple)):
        own["bootstrap_servers"] = ",".join(own["bootstrap_servers"])
    reset = settings.pop("auto_offset_reset", None)
    if start_read_time is not None:
        options.setdefault("start", datetime.fromtimestamp(start_read_time / 1000, tz=timezone.utc).isoformat())
    elif reset is not None:
        if str(reset).lower() not in _RESET_STARTS:
            raise ValueError(f"auto.offset.reset must be earliest or latest, got {reset!r}")
        options.setdefault("start", _RESET_STARTS[str(reset).lower()])
    return KafkaReadConfig(topics=tuple([topics] if isinstance(topics, str) else topics), max_records=max_num_records,
                           max_read_time_s=max_read_time, commit_offsets=commit_offset_in_finalize,
                           consumer_config=tuple(sorted(settings.items())), **own, **options)


class ReadFromKafka(beam.PTransform):
    """Reads records of one or more topics, timestamped by Kafka, with the arguments of Beam's own
    ``ReadFromKafka`` (``consumer_config``, ``topics``, ``start_read_time``, ``max_num_records``,
    ``max_read_time``, ``commit_offset_in_finalize``, ``with_metadata``) and without its Java
    expansion service. ``with_metadata=True`` gives ``SourceRecord`` elements (value, topic,
    partition, offset, key, timestamp, headers), else ``(key, value)`` pairs as Beam's does.

    Unlike Beam's, a read is bounded by default (``bounded=True``): it ends at the end offsets seen
    when it starts, or earlier by ``max_num_records``, ``max_read_time`` or ``stop_read_time``.
    With ``bounded=False`` it reads until the pipeline is stopped. Further options of
    ``KafkaReadConfig`` (``start``, ``stop_read_time``, ``broker_timeout_s``, bundle sizes) are
    keywords too::

        p | ReadFromKafka(consumer_config={"bootstrap.servers": "kafka:9092", "group.id": "news"},
                          topics=["articles"], commit_offset_in_finalize=True, bounded=False)
    """

    def __init__(self, consumer_config: Optional[dict] = None, topics=None, *, with_metadata: bool = True,
                 config: Optional[KafkaReadConfig] = None, **kwargs):
        super().__init__()
        if config is None:
            config = read_config(consumer_config, topics or (), **kwargs)
        elif consumer_config is not None or topics is not None or kwargs:
            raise ValueError("give either config or Beam's arguments (consumer_config, topics, ...), not both")
        self.config, self.with_metadata = config, with_metadata

    def display_data(self) -> dict:
        c = self.config
        return {"bootstrap_servers": c.bootstrap_servers, "topics": ",".join(c.topics), "start": c.start,
                "bounded": c.bounded, "group_id": c.group_id, "commit_offsets": c.commit_offsets,
                "with_metadata": self.with_metadata,
                **{k: v for k, v in (("max_records", c.max_records), ("max_read_time_s", c.max_read_time_s),
                                     ("stop_read_time", c.stop_read_time)) if v is not None},
                "consumer_config": str(redact(c.extra))}

    def expand(self, pbegin: beam.pvalue.PBegin) -> beam.PCollection[SourceRecord]:
        log.info("Kafka source: %s topics=%s start=%s bounded=%s consumer settings=%s",
                 self.config.bootstrap_servers, ",".join(self.config.topics), self.config.start,
                 self.config.bounded, redact(self.config.extra))
        records = (pbegin
                   | "Topics" >> beam.Create(list(self.config.topics))
                   | "DiscoverPartitions" >> beam.ParDo(_DiscoverPartitionsFn(self.config))
                   # Spread partitions over workers on distributed runners.
                   | "SpreadPartitions" >> beam.Reshuffle()
                   | "ReadPartitions" >> beam.ParDo(_ReadPartitionFn(self.config)).with_output_types(
                       list[SourceRecord])
                   | "Records" >> beam.ParDo(_UnbatchFn()).with_output_types(SourceRecord))
        if self.with_metadata:
            return records
        return records | "KeyValues" >> beam.Map(lambda r: (r.key, r.value)).with_output_types(
            tuple[Optional[bytes], Optional[bytes]])
