"""Parquet files of the output datasets, on any filesystem pyarrow knows (local, ``file://``,
``s3://``, ``gs://``, ``hdfs://``): atomic commits, listings, and compaction of a partition.

No Beam here: the pipeline's writer (``transforms.parquet_io``), ``newsevents compact``, the run
report, ``show`` and ``plot`` all use these functions.
"""
from __future__ import annotations

import hashlib
import os
import uuid
from dataclasses import dataclass
from typing import Iterable

import pyarrow as pa
import pyarrow.parquet as pq
from pyarrow import fs as pafs

from newsevents.schemas import DATASETS, KEY_COLUMNS


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
