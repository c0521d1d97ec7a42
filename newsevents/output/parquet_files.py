"""Parquet files of the output datasets, on any filesystem pyarrow knows (local, ``file://``,
``s3://``, ``gs://``, ``hdfs://``): atomic commits, listings, and compaction of a partition.

No Beam here: the pipeline's writer (``transforms.parquet_io``), ``newsevents compact``, the run
report, ``show`` and ``plot`` all use these functions.
"""
from __future__ import annotations

import hashlib
import os
import uuid
from collections import OrderedDict
from dataclasses import dataclass
from typing import Iterable, Optional

import numpy as np

import pyarrow as pa
import pyarrow.parquet as pq
from pyarrow import fs as pafs

from newsevents.schemas import COORDINATE_FIELDS, DATASETS, KEY_COLUMNS


class OutputWriteError(OSError):
    """The output cannot be written; the bundle fails, so its offsets are never committed."""


class OutputReadError(OSError):
    """The output cannot be listed or read (an unreachable object store, missing credentials)."""


@dataclass(frozen=True)
class ParquetWriteConfig:
    compression: str = "zstd"
    row_group_size: int = 128 * 1024
    max_buffered_rows: int = 50_000  # a bundle larger than this is written in several files
    # Compaction inside the job: every compact_interval_s (0: never) a writer merges the small
    # files (under target_file_bytes) of each partition it wrote to since, once there are at least
    # compact_min_files of them. A streaming job writes a file per partition and bundle (about one
    # a second); this keeps a partition at a few files plus the ones of the last interval.
    compact_interval_s: float = 60.0
    compact_min_files: int = 8
    target_file_bytes: int = 64 * 1024 * 1024
    # Compaction time a bundle may spend (the rest waits for the next bundles): one bundle
    # compacting dozens of partitions at once would hold back the articles behind it.
    compact_budget_s: float = 0.2


def filesystem_for(root: str) -> tuple[pafs.FileSystem, str]:
    """The filesystem and base path of a local directory or a URI (``file://``, ``s3://``, ``gs://``,
    ``hdfs://``; S3 options such as ``?endpoint_override=HOST:PORT&scheme=http`` in the query).
    Everything that writes, lists or reads an output goes through here."""
    if "://" in root:
        try:
            return pafs.FileSystem.from_uri(root)
        except OSError as exc:
            raise OutputReadError(f"cannot open the output {root}: {exc}") from exc
    return pafs.LocalFileSystem(), os.path.abspath(root)


def path_type(filesystem: pafs.FileSystem, path: str) -> pafs.FileType:
    """File, Directory or NotFound; an unreachable store is an OutputReadError (one line)."""
    try:
        return filesystem.get_file_info(path).type
    except FileNotFoundError:
        return pafs.FileType.NotFound
    except OSError as exc:
        raise OutputReadError(f"cannot read {path}: {exc}") from exc


def file_name(keys: Iterable[str]) -> str:
    digest = hashlib.sha1("\n".join(sorted(keys)).encode()).hexdigest()[:20]
    return f"part-{digest}.parquet"


def write_atomically(filesystem: pafs.FileSystem, directory: str, name: str, table: pa.Table,
                     config: ParquetWriteConfig) -> str:
    final = f"{directory}/{name}"
    try:
        filesystem.create_dir(directory, recursive=True)
    except OSError as exc:
        raise OutputWriteError(f"cannot create the output directory {directory}: {exc.strerror or exc}") from exc
    tmp = f"{directory}/.{name}.{uuid.uuid4().hex}.tmp"
    try:
        with filesystem.open_output_stream(tmp) as sink:
            pq.write_table(table, sink, compression=config.compression, row_group_size=config.row_group_size,
                           write_statistics=True)
            if isinstance(filesystem, pafs.LocalFileSystem):
                sink.flush()
        if isinstance(filesystem, pafs.LocalFileSystem):
            fd = os.open(tmp, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        filesystem.move(tmp, final)
    except BaseException as exc:
        try:
            filesystem.delete_file(tmp)
        except (OSError, FileNotFoundError):
            pass
        if isinstance(exc, OSError) and not isinstance(exc, OutputWriteError):
            raise OutputWriteError(f"cannot write the output file {final}: {exc.strerror or exc}") from exc
        raise
    return final


def list_directory(filesystem: pafs.FileSystem, directory: str) -> list[pafs.FileInfo]:
    """The entries of a directory, none when it does not exist.

    ``allow_not_found`` alone is not enough: pyarrow's local listing raises FileNotFoundError
    when another writer creates the directory while it is being listed.
    """
    try:
        return filesystem.get_file_info(pafs.FileSelector(directory, allow_not_found=True))
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise OutputReadError(f"cannot list {directory}: {exc}") from exc


def data_file_infos(filesystem: pafs.FileSystem, directory: str) -> list[pafs.FileInfo]:
    """Committed Parquet files of a partition directory (temporary dot-files excluded), by path."""
    return sorted((i for i in list_directory(filesystem, directory) if i.type == pafs.FileType.File
                   and i.base_name.endswith(".parquet") and not i.base_name.startswith((".", "_"))),
                  key=lambda i: i.path)


def list_data_files(filesystem: pafs.FileSystem, directory: str) -> list[str]:
    return [i.path for i in data_file_infos(filesystem, directory)]


@dataclass
class CompactionResult:
    partition: str       # directory of the partition
    files_before: int    # small files merged
    rows_before: int
    rows_after: int      # rows of the merged file (keys of the large files and copies dropped)
    written: str | None  # the merged file; None when every row was already in a large file
    merged: list[str]    # the files it replaced (deleted)


def compact_partition(filesystem: pafs.FileSystem, directory: str, dataset: str, min_files: int,
                      config: ParquetWriteConfig) -> CompactionResult | None:
    """Merges the partition's files under ``config.target_file_bytes`` into one, keeping each key once.

    Safe beside writers and other compactions: the merged file is renamed into place before the
    files it replaces are deleted, so every row stays readable throughout (readers listing in
    between see some rows twice; keyed readers never notice); files committed meanwhile are not in
    the listing and stay; a file another compaction took first makes this one give up, and the
    same rows in two merged files are merged again next time.
    """
    import pyarrow.dataset as ds
    schema, key = DATASETS[dataset], KEY_COLUMNS[dataset]
    infos = data_file_infos(filesystem, directory)
    small = [i.path for i in infos if i.size is None or i.size < config.target_file_bytes]
    if len(small) < min_files:
        return None
    try:
        # Read with the current schema: older files (without the newest columns) get nulls.
        merged = ds.dataset(small, schema=schema, format="parquet", filesystem=filesystem).to_table()
        large = [i.path for i in infos if i.path not in set(small)]
        known = set(ds.dataset(large, schema=schema, format="parquet", filesystem=filesystem)
                    .to_table(columns=[key]).column(0).to_pylist()) if large else set()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise OutputReadError(f"cannot read the files of {directory}: {exc}") from exc
    keep, seen = [], set(known)
    for i, k in enumerate(merged.column(key).to_pylist()):
        if k not in seen:
            seen.add(k)
            keep.append(i)
    unique = merged.take(pa.array(keep, pa.int64()))
    written = None
    if unique.num_rows:
        name = "part-c" + file_name(unique.column(key).to_pylist())[4:]
        written = write_atomically(filesystem, directory, name, unique, config)
    replaced = [p for p in small if p != written]
    for path in replaced:
        try:
            filesystem.delete_file(path)
        except FileNotFoundError:  # deleted by a concurrent compaction that merged it too
            pass
        except OSError as exc:
            raise OutputWriteError(f"cannot delete the merged file {path}: {exc}") from exc
    return CompactionResult(directory, len(small), merged.num_rows, unique.num_rows, written, replaced)


ORIGIN_COLUMNS = [f.name for f in COORDINATE_FIELDS]


def origin(values: Iterable) -> str:
    """Where an input came from (topic, partition, offset, file, line), as one comparable string."""
    return "|".join("" if v is None else str(v) for v in values)


def key_hash(value: str) -> int:
    """64 bits of a key or origin: what the committed-key index keeps instead of the string."""
    return int.from_bytes(hashlib.blake2b(value.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "little")


class _PartitionKeys:
    """The committed keys of one partition as sorted 64-bit hashes, each with its origin's hash.

    16 bytes a key in numpy arrays instead of about 300 in a dict of strings: a streaming writer
    keeps every key of the partitions it writes to, and a day's partition holds hundreds of
    thousands. New keys wait in a small dict and are merged in batches. A collision of two keys'
    64-bit hashes (odds about n^2 / 3.7e19: 1e-9 for 200,000 keys) would drop the later row.
    """
    MERGE_AT = 4096

    def __init__(self):
        self.files: set[str] = set()
        self._keys = np.empty(0, np.uint64)
        self._origins = np.empty(0, np.uint64)
        self._recent: dict[int, int] = {}

    def add(self, keys: Iterable[str], origins: Iterable[str]) -> None:
        for k, o in zip(keys, origins):
            self._recent.setdefault(key_hash(k), key_hash(o))
        if len(self._recent) >= self.MERGE_AT:
            self._merge()

    def _merge(self) -> None:
        keys = np.concatenate([self._keys, np.fromiter(self._recent.keys(), np.uint64, len(self._recent))])
        origins = np.concatenate([self._origins, np.fromiter(self._recent.values(), np.uint64, len(self._recent))])
        # Stable: of two entries for one key the one merged first (the first written) is kept.
        order = np.argsort(keys, kind="stable")
        keys, origins = keys[order], origins[order]
        first = np.ones(len(keys), bool)
        first[1:] = keys[1:] != keys[:-1]
        self._keys, self._origins, self._recent = keys[first], origins[first], {}

    def origin_of(self, key: str) -> Optional[int]:
        """The hash of the origin the key was committed from; None when it is not committed."""
        h = key_hash(key)
        found = self._recent.get(h)
        if found is not None:
            return found
        i = int(np.searchsorted(self._keys, np.uint64(h)))
        return int(self._origins[i]) if i < len(self._keys) and self._keys[i] == h else None

    def __len__(self) -> int:
        return len(self._keys) + len(self._recent)


class CommittedKeys:
    """Keys already committed per partition directory, with the input each came from: each file's
    keys are read once. The least recently written partitions are forgotten beyond
    ``max_partitions`` (a long streaming job touches a new date partition every day; an old one
    written again is read again from its files)."""

    def __init__(self, filesystem: pafs.FileSystem, key_column: str, with_origins: bool = False,
                 max_partitions: int = 32):
        self.fs, self.key_column = filesystem, key_column
        self.origin_columns = ORIGIN_COLUMNS if with_origins else []
        self.max_partitions = max_partitions
        self._partitions: OrderedDict[str, _PartitionKeys] = OrderedDict()

    def _partition(self, directory: str) -> _PartitionKeys:
        part = self._partitions.get(directory)
        if part is None:
            part = self._partitions[directory] = _PartitionKeys()
            while len(self._partitions) > self.max_partitions:
                self._partitions.popitem(last=False)
        self._partitions.move_to_end(directory)
        return part

    def of(self, directory: str) -> _PartitionKeys:
        """The partition's committed keys, after reading the files committed since last asked."""
        part = self._partition(directory)
        # A file listed but gone when read was merged by a compaction, which renames its merged file
        # into place before deleting: listing again finds that file, so no committed key is missed.
        for _ in range(5):
            try:
                for path in list_data_files(self.fs, directory):
                    if path not in part.files:
                        self._read_keys(part, path)
                        part.files.add(path)
                return part
            except FileNotFoundError:
                continue
            except OutputReadError:
                raise
            except OSError as exc:
                raise OutputWriteError(f"cannot read the committed keys of {directory}: {exc}") from exc
        raise OutputWriteError(f"the files of {directory} keep disappearing while their keys are read")

    def _read_keys(self, part: _PartitionKeys, path: str) -> None:
        with self.fs.open_input_file(path) as f:
            names = set(pq.read_schema(f).names)
            # Files written before the key column existed hold no keys of it.
            if self.key_column not in names:
                return
            wanted = [c for c in (self.key_column, *self.origin_columns) if c in names]
            columns = pq.read_table(f, columns=wanted).to_pydict()
        keys = columns[self.key_column]
        origins = (map(origin, zip(*(columns.get(c, [None] * len(keys)) for c in self.origin_columns)))
                   if self.origin_columns else [""] * len(keys))
        part.add(keys, origins)

    def add(self, directory: str, path: str, keys: dict[str, str]) -> None:
        """Keys (with their origins) this writer has just committed in ``path``."""
        part = self._partition(directory)
        part.files.add(path)
        part.add(keys.keys(), keys.values())

    def forget(self, directory: str, paths: Iterable[str]) -> None:
        """Files deleted by a compaction: their keys stay (the merged file holds them)."""
        part = self._partitions.get(directory)
        if part is not None:
            part.files.difference_update(paths)
