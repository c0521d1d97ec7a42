"""kafka-python helpers: client settings, topic admin, producing JSON lines, readable errors."""
from __future__ import annotations

import contextlib
import logging
import re
import time
from typing import Iterable, Iterator, Optional

log = logging.getLogger(__name__)

_SECRET_HINTS = ("password", "secret", "token", "key", "credential", "jaas")


class KafkaSourceError(RuntimeError):
    """A problem with the Kafka source that stops the run with one readable message."""


# kafka-python's codec -> the package that provides it.
CODEC_PACKAGES = {"snappy": "python-snappy", "lz4": "lz4", "zstd": "zstandard", "gzip": "the gzip module"}


def codec_error(topic: str, partition: int, offset: int, exc: Exception) -> KafkaSourceError:
    """One line for records that this process cannot decompress (kafka-python's UnsupportedCodecError)."""
    match = re.search(r"for (\w+) compression", str(exc))
    if match is None:
        return KafkaSourceError(f"cannot read {topic}[{partition}] at offset {offset}: {exc}")
    codec = match.group(1)
    return KafkaSourceError(f"cannot read {topic}[{partition}] at offset {offset}: its records are "
                            f"{codec}-compressed and the {codec} codec is not installed "
                            f"(pip install {CODEC_PACKAGES.get(codec, codec)})")


def drop_undecodable(c) -> None:
    """Unassigns everything, dropping records that kafka-python could not decompress.

    After an UnsupportedCodecError it keeps them next in line, and its next poll of that
    partition at that position spins on them forever; a poll with nothing assigned drops them.
    """
    c.assign([])
    c.poll(timeout_ms=0)


def parse_config_pairs(pairs: Iterable[str]) -> dict:
    """``KEY=VALUE`` strings (CLI ``--consumer-config``) to kafka-python settings with typed values."""
    config = {}
    for pair in pairs or ():
        if "=" not in pair:
            raise ValueError(f"expected KEY=VALUE, got {pair!r}")
        key, value = pair.split("=", 1)
        key = key.strip().replace(".", "_")
        v: object = value
        if value.lower() in ("true", "false"):
            v = value.lower() == "true"
        else:
            try:
                v = int(value)
            except ValueError:
                try:
                    v = float(value)
                except ValueError:
                    pass
        config[key] = v
    return config


def redact(config: dict) -> dict:
    """A copy of a client config that is safe to log."""
    return {k: ("***" if any(h in k.lower() for h in _SECRET_HINTS) else v) for k, v in config.items()}


class _BrokerAnswers(logging.Handler):
    """The last error a broker answered while kafka-python connected: it logs the answer and tries
    again until its bootstrap timeout, which then says only "Unable to bootstrap"."""

    def __init__(self):
        super().__init__(level=logging.ERROR)
        self.answer: Optional[Exception] = None

    def emit(self, record: logging.LogRecord) -> None:
        from kafka.errors import BrokerResponseError
        self.answer = next((a for a in record.args or () if isinstance(a, BrokerResponseError)), self.answer)


@contextlib.contextmanager
def bootstrapping(bootstrap_servers: str, extra: Optional[dict] = None):
    """Around the making of a kafka-python client: its bootstrap timeout becomes one line that says
    what the broker answered (a SASL mechanism it does not offer, failed authentication), or that no
    broker was reachable when none answered."""
    from kafka.errors import KafkaTimeoutError
    answers, connections = _BrokerAnswers(), logging.getLogger("kafka.net.connection")
    connections.addHandler(answers)
    try:
        yield
    except KafkaTimeoutError:
        settings = f" (settings: {redact(extra)})" if extra else ""
        answer = answers.answer
        if answer is None:
            raise KafkaSourceError(f"no Kafka broker reachable at {bootstrap_servers}{settings}") from None
        raise KafkaSourceError(f"the Kafka broker at {bootstrap_servers} refused the connection: {answer} "
                               f"({answer.description.rstrip('.')}){settings}") from None
    finally:
        connections.removeHandler(answers)


def consumer(bootstrap_servers: str, group_id: Optional[str] = None, extra: Optional[dict] = None, **kw):
    """A KafkaConsumer tuned for throughput; ``extra`` (user settings) wins over the defaults."""
    from kafka import KafkaConsumer

    from newsevents.kafka.headers import install as keep_undecodable_header_keys
    keep_undecodable_header_keys()
    settings = dict(bootstrap_servers=bootstrap_servers.split(","), group_id=group_id,
                    enable_auto_commit=False, auto_offset_reset="earliest",
                    max_poll_records=10_000, fetch_max_bytes=64 * 1024 * 1024,
                    max_partition_fetch_bytes=4 * 1024 * 1024, fetch_max_wait_ms=100,
                    request_timeout_ms=30_000, bootstrap_timeout_ms=10_000,
                    reconnect_backoff_ms=200, reconnect_backoff_max_ms=5_000)
    settings.update(kw)
    settings.update(extra or {})
    with bootstrapping(bootstrap_servers, extra):
        return KafkaConsumer(**settings)


def producer(bootstrap_servers: str, extra: Optional[dict] = None, **kw):
    from kafka import KafkaProducer

    settings = dict(bootstrap_servers=bootstrap_servers.split(","), linger_ms=20, batch_size=256 * 1024,
                    max_request_size=16 * 1024 * 1024, acks="all", bootstrap_timeout_ms=10_000)
    settings.update(kw)
    settings.update(extra or {})
    with bootstrapping(bootstrap_servers, extra):
        return KafkaProducer(**settings)


def create_topic(bootstrap_servers: str, topic: str, partitions: int = 3, extra: Optional[dict] = None) -> bool:
    """Creates the topic if it does not exist; returns True when it was created."""
    from kafka.admin import KafkaAdminClient, NewTopic
    from kafka.errors import TopicAlreadyExistsError

    with bootstrapping(bootstrap_servers, extra):
        admin = KafkaAdminClient(bootstrap_servers=bootstrap_servers.split(","), bootstrap_timeout_ms=10_000,
                                 **(extra or {}))
    try:
        admin.create_topics([NewTopic(topic, num_partitions=partitions, replication_factor=1)])
        return True
    except TopicAlreadyExistsError:
        return False
    finally:
        admin.close()


def committed_offsets(bootstrap_servers: str, group_id: str, partitions: Iterable[tuple[str, int]],
                      extra: Optional[dict] = None) -> dict:
    """The group's committed offset of each (topic, partition), None where it has none."""
    from kafka import TopicPartition
    from kafka.errors import KafkaError

    c = consumer(bootstrap_servers, group_id=group_id, extra=extra, bootstrap_timeout_ms=5_000,
                 request_timeout_ms=5_000)
    try:
        return {(t, p): c.committed(TopicPartition(t, p)) for t, p in partitions}
    except KafkaError as exc:
        raise KafkaSourceError(f"cannot read the committed offsets of group {group_id!r}: {exc}") from None
    finally:
        c.close()


def topic_partitions(c, topic: str) -> list[int]:
    """The topic's partition ids, empty when the broker does not know it.

    ``topics()`` asks the broker; ``partitions_for_topic`` alone may answer from a stale cache.
    """
    return sorted(c.partitions_for_topic(topic) or ()) if topic in c.topics() else []


def wait_for_partitions(bootstrap_servers: str, topic: str, timeout_s: float = 15.0,
                        extra: Optional[dict] = None) -> list[int]:
    """The topic's partition ids, waiting for metadata to appear after a create."""
    c = consumer(bootstrap_servers, extra=extra)
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            parts = topic_partitions(c, topic)
            if parts:
                return parts
            if time.monotonic() > deadline:
                raise KafkaSourceError(f"topic {topic!r} does not exist on {bootstrap_servers}")
            time.sleep(0.2)
    finally:
        c.close()


def produce_lines(bootstrap_servers: str, topic: str, lines: Iterable[bytes],
                  key_fn=None, extra: Optional[dict] = None) -> int:
    """Publishes each line as one message; waits until all are acknowledged. Returns the count."""
    p = producer(bootstrap_servers, extra=extra)
    n = 0
    try:
        futures = []
        for line in lines:
            futures.append(p.send(topic, value=line, key=key_fn(line) if key_fn else None))
            n += 1
        p.flush()
        for f in futures:
            f.get(timeout=30)
    finally:
        p.close()
    return n


def jsonl_payloads(path: str) -> Iterator[bytes]:
    """Non-empty lines of a JSON-lines file as raw bytes (not decoded: bad bytes reach the pipeline)."""
    with open(path, "rb") as f:
        for line in f:
            line = line.rstrip(b"\r\n")
            if line.strip():
                yield line


def log_end_offsets(c, tps: list, timeout_s: float = 10.0) -> dict:
    """The true end offset of each partition, confirmed by the high watermark of a fetch.

    ListOffsets(latest) is what ``end_offsets`` asks, and some Kafka-compatible brokers
    (Tansu among them) answer it with the base offset of the last record batch plus one.
    Fetching from just before that answer returns the last batch and, with it, the high
    watermark, which is right on every broker. ``c`` must not be in use for reading.
    """
    from kafka.errors import UnsupportedCodecError

    reported = c.end_offsets(tps)
    begin = c.beginning_offsets(tps)
    probe = [tp for tp in tps if reported[tp] > begin[tp]]
    if not probe:
        return dict(reported)
    c.assign(probe)
    for tp in probe:
        c.seek(tp, reported[tp] - 1)
    found: dict = {}
    deadline = time.monotonic() + timeout_s
    while len(found) < len(probe) and time.monotonic() < deadline:
        try:
            c.poll(timeout_ms=200, max_records=1)
        except UnsupportedCodecError as exc:  # the last records of some partition: name it
            for tp in probe:
                drop_undecodable(c)
                c.assign([tp])
                c.seek(tp, reported[tp] - 1)
                try:
                    c.poll(timeout_ms=500, max_records=1)
                except UnsupportedCodecError:
                    drop_undecodable(c)
                    raise codec_error(tp.topic, tp.partition, reported[tp] - 1, exc) from None
            raise codec_error(probe[0].topic, probe[0].partition, reported[probe[0]] - 1, exc) from None
        for tp in probe:
            hw = c.highwater(tp)
            if hw is not None:
                found[tp] = hw
    c.assign([])
    missing = [f"{tp.topic}[{tp.partition}]" for tp in probe if tp not in found]
    if missing:
        raise KafkaSourceError(f"could not determine the end offsets of {', '.join(missing)}")
    return {tp: max(reported[tp], found.get(tp, reported[tp])) for tp in tps}


def offsets_at_time(c, tps: list, ms: int, begin: dict, end: dict, timeout_s: float = 120.0) -> dict:
    """Per partition, the offset of the first record with a timestamp at or after ``ms``; None when
    the partition has no such record yet (a time in the future, or past its newest record).

    The broker's answer (ListOffsets by time) is checked by reading from the offset it names
    on to the first record at or after ``ms``: on Apache Kafka that is the record named, one
    fetch. Some Kafka-compatible brokers answer with the first offset of a record batch, or
    with offset 0 for any time (Tansu among them), and the check then reads on from there.
    ``c`` must not be in use for reading.
    """
    answers = c.offsets_for_times({tp: ms for tp in tps})
    found: dict = {tp: None for tp in tps}
    left = []
    for tp in tps:
        a = answers.get(tp)
        if a is not None and 0 <= a.offset < end[tp]:
            left.append(tp)
    if not left:
        return found
    c.assign(left)
    for tp in left:
        c.seek(tp, max(begin[tp], answers[tp].offset))
    deadline = time.monotonic() + timeout_s
    try:
        while left:
            if time.monotonic() > deadline:
                raise KafkaSourceError(f"could not find the offsets at time {ms} of "
                                       f"{', '.join(f'{tp.topic}[{tp.partition}]' for tp in left)}")
            polled = c.poll(timeout_ms=200)
            for tp in list(left):
                hit = next((r.offset for r in polled.get(tp, ()) if r.offset < end[tp] and r.timestamp >= ms), None)
                if hit is not None or c.position(tp) >= end[tp]:
                    found[tp] = hit
                    left.remove(tp)
                    c.assign(left)
    finally:
        c.assign([])
    return found


class _ConnectionErrors(logging.Handler):
    """Remembers the latest connection error kafka-python logs (it retries on its own, quietly)."""

    def __init__(self):
        super().__init__(level=logging.ERROR)
        self.last_at = 0.0
        self.last_message = ""

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if "Connection" in message or "ECONNREFUSED" in message or "disconnected" in message:
            self.last_at, self.last_message = time.monotonic(), message


_ERRORS = _ConnectionErrors()


def broker_accepts_connections(servers: str, timeout_s: float = 1.0) -> bool:
    """Whether any bootstrap server accepts a TCP connection now (a frozen broker still does)."""
    import socket

    for server in servers.split(","):
        host, _, port = server.strip().rpartition(":")
        try:
            with socket.create_connection((host.strip("[]") or "localhost", int(port)), timeout=timeout_s):
                return True
        except (OSError, ValueError):
            continue
    return False


class ConnectionWatch:
    """Turns kafka-python's reconnect noise into two clear log lines: broker lost, broker back.

    kafka-python retries quietly with a growing backoff, so the gaps between its connection
    errors say nothing about the broker: while the broker is thought lost, each empty poll asks
    it directly (a TCP connection, at most once a second) whether it is back.
    """

    def __init__(self, servers: str, report_every_s: float = 5.0, probe_every_s: float = 1.0):
        self.servers, self.report_every_s, self.probe_every_s = servers, report_every_s, probe_every_s
        self.down_since: Optional[float] = None
        self._reported_at = 0.0
        self._probed_at = 0.0

    def down_for(self) -> Optional[float]:
        """Seconds since the broker was found unreachable; None while it is reachable."""
        return None if self.down_since is None else time.monotonic() - self.down_since

    def check(self, got_records: bool, expecting: bool = False) -> None:
        """After each poll; ``expecting``: the poll should have had records (the log holds more)."""
        now = time.monotonic()
        if got_records:
            if self.down_since is not None:
                self._back(now)
            return
        if self.down_since is None and now - _ERRORS.last_at >= 2.0 and not expecting:
            return  # no connection error lately: an empty poll is an idle partition
        if now - self._probed_at < self.probe_every_s:
            return
        self._probed_at = now
        if broker_accepts_connections(self.servers):
            if self.down_since is not None:
                self._back(now)
            return
        if self.down_since is None:
            self.down_since = now
        if now - self._reported_at >= self.report_every_s:
            self._reported_at = now
            log.warning("Kafka broker %s unreachable for %.0f s, retrying with backoff: %s", self.servers,
                        now - self.down_since, _ERRORS.last_message.split(": ", 1)[-1][:200] or "connection refused")

    def _back(self, now: float) -> None:
        log.warning("Kafka broker %s reachable again after %.0f s", self.servers, now - self.down_since)
        self.down_since = None


def connection_watch(servers: str) -> ConnectionWatch:
    kafka_log = logging.getLogger("kafka")
    if _ERRORS not in kafka_log.handlers:
        kafka_log.addHandler(_ERRORS)
    return ConnectionWatch(servers)


def checked_client_config(config: dict, client: type, flag: str) -> dict:
    """``config`` if every key is a setting of the kafka-python ``client`` class with a value of its
    type; else ValueError naming ``flag``. kafka-python would stop at an unknown setting or a value
    of the wrong type only once the pipeline runs, with a traceback (the producer after a two-minute
    timeout)."""
    import difflib
    defaults = client.DEFAULT_CONFIG
    for key, value in config.items():
        if key not in defaults:
            close = difflib.get_close_matches(key, defaults, n=1)
            hint = f" (did you mean {close[0]}?)" if close else ""
            raise ValueError(f"unknown {flag} key {key!r}{hint}: the keys are kafka-python's "
                             f"{client.__name__} settings")
        default, number = defaults[key], isinstance(value, (int, float)) and not isinstance(value, bool)
        if key == "acks":
            ok, expected = value in (0, 1, -1, "all") and not isinstance(value, bool), "0, 1, -1 or all"
        elif isinstance(default, bool):
            ok, expected = isinstance(value, bool), "true or false"
        elif isinstance(default, int):
            ok, expected = number and isinstance(value, int), "a whole number"
        elif isinstance(default, float):
            ok, expected = number, "a number"
        else:
            ok, expected = True, ""
        if not ok:
            raise ValueError(f"{flag} {key} takes {expected}, not {value!r}")
    return config


def topic_names(values) -> tuple[str, ...]:
    """The topics of repeated ``--topic`` flags, each of which may list several, comma-separated."""
    return tuple(t for arg in (values or []) for t in arg.split(",") if t)
