"""Records whose header keys are not UTF-8 still reach the pipeline (and become dead letters).

Kafka's protocol says a header key is a UTF-8 string, but brokers do not check it, and
librdkafka clients write whatever bytes they are given. kafka-python decodes each key while
it unpacks a fetched batch, so one such record makes every poll of its partition raise: the
read can neither get past the record nor name it, and a streaming job restarted from its
committed offset fails on the same record again, for good.

``install()`` makes kafka-python's decoding of a record fall back, for that record only, to a
key that keeps its bytes (``UndecodableHeaderKey``); the rest of the record is read as usual.
The source then hands the record on with ``header_error`` set, and parsing turns it into an
``invalid_header`` dead letter with its value, key, headers and coordinates.
"""
from __future__ import annotations

from typing import Optional


class UndecodableHeaderKey(str):
    """A header key that is not valid UTF-8: its bytes in ``raw``, shown with backslash escapes."""

    raw: bytes

    def __new__(cls, raw: bytes) -> "UndecodableHeaderKey":
        key = super().__new__(cls, raw.decode("utf-8", "backslashreplace"))
        key.raw = raw
        return key


class _Slice:
    """A slice of a record batch whose ``decode`` never fails (kafka-python decodes only header keys)."""

    __slots__ = ("_data",)

    def __init__(self, data):
        self._data = data

    def __bytes__(self) -> bytes:
        return bytes(self._data)

    def decode(self, encoding: str = "utf-8", errors: str = "strict") -> str:
        raw = bytes(self._data)
        try:
            return raw.decode(encoding, errors)
        except UnicodeDecodeError:
            return UndecodableHeaderKey(raw)


class _LenientBuffer:
    """A record batch's buffer for a second reading of one record: bytes as they are, slices as ``_Slice``."""

    __slots__ = ("_data",)

    def __init__(self, data):
        self._data = data

    def __getitem__(self, index):
        return _Slice(self._data[index]) if isinstance(index, slice) else self._data[index]

    def __len__(self) -> int:
        return len(self._data)


def install() -> None:
    """Patches kafka-python's v2 record reader (once per process): only a record that failed to
    decode is read a second time, so well-formed records cost nothing more."""
    from kafka.record.default_records import DefaultRecordBatch

    original = DefaultRecordBatch._read_msg
    if getattr(original, "keeps_undecodable_header_keys", False):
        return

    def _read_msg(self, *args, **kwargs):
        try:
            return original(self, *args, **kwargs)
        except UnicodeDecodeError:
            # The failed reading has not moved the batch's position: read the record again.
            buffer = self._buffer
            self._buffer = _LenientBuffer(buffer)
            try:
                return original(self, *args, **kwargs)
            finally:
                self._buffer = buffer

    _read_msg.keeps_undecodable_header_keys = True
    DefaultRecordBatch._read_msg = _read_msg


def header_error(headers) -> Optional[str]:
    """Why a record's headers are unusable (a key that is not UTF-8), or None."""
    for i, (key, _value) in enumerate(headers):
        if isinstance(key, UndecodableHeaderKey):
            try:
                key.raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                return (f"header {i} has a key that is not UTF-8 ({exc.reason} at byte {exc.start}: "
                        f"{key.raw[:64]!r})")
    return None


def plain_headers(headers) -> tuple:
    """The headers as plain (str, bytes) pairs: an undecodable key keeps its escaped text."""
    return tuple((str(k), v) for k, v in headers)
