"""WriteParquetDataset: hive-partitioned Parquet files, written atomically per bundle.

The writer needs no GroupByKey, so it fuses with the read and streams on every runner:
rows are buffered during a bundle and written in ``finish_bundle``, each partition's rows
to one file. A file is written under a hidden temporary name and renamed into place only
when complete, so readers (pyarrow.dataset, pandas, DuckDB, Spark all skip dot-files) never
see a partial file.

Replay is idempotent: every dataset has a key column (``schemas.KEY_COLUMNS``) and a row
always lands in the same partition, so before committing a file the writer drops the rows
whose key is already in that partition (keys of files it has not seen yet are read once and
cached). Reprocessing the same input therefore writes nothing new, however the replay is
cut into bundles. Two workers writing the same new key at the same instant can still both
commit it; ``newsevents compact`` removes such copies, and readers keying on the id column
see each row once.
"""
from __future__ import annotations

import hashlib
import logging
import os
import uuid
from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable

import apache_beam as beam
import pyarrow as pa
import pyarrow.parquet as pq
from pyarrow import fs as pafs

from newsevents.progress import PROGRESS
from newsevents.schemas import DATASETS, KEY_COLUMNS, PARTITION_COLUMN

log = logging.getLogger(__name__)


class OutputWriteError(OSError):
    """The output cannot be written; the bundle fails, so its offsets are never committed."""


@dataclass(frozen=True)
class ParquetWriteConfig:
    compression: str = "zstd"
    row_group_size: int = 128 * 1024
    max_buffered_rows: int = 50_000  # a bundle larger than this is written in several files


def filesystem_for(root: str) -> tuple[pafs.FileSystem, str]:
    if "://" in root:
        return pafs.FileSystem.from_uri(root)
    return pafs.LocalFileSystem(), os.path.abspath(root)


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


def list_data_files(filesystem: pafs.FileSystem, directory: str) -> list[str]:
    """Committed Parquet files of a partition directory (temporary dot-files excluded)."""
    return sorted(i.path for i in list_directory(filesystem, directory) if i.type == pafs.FileType.File
                  and i.base_name.endswith(".parquet") and not i.base_name.startswith((".", "_")))


class _CommittedKeys:
    """Keys already committed per partition directory, read once per file and cached."""

    def __init__(self, filesystem: pafs.FileSystem, key_column: str):
        self.fs, self.key_column = filesystem, key_column
        self._files: dict[str, set[str]] = defaultdict(set)
        self._keys: dict[str, set[str]] = defaultdict(set)

    def of(self, directory: str) -> set[str]:
        for path in list_data_files(self.fs, directory):
            if path not in self._files[directory]:
                with self.fs.open_input_file(path) as f:
                    self._keys[directory].update(pq.read_table(f, columns=[self.key_column])
                                                 .column(0).to_pylist())
                self._files[directory].add(path)
        return self._keys[directory]

    def add(self, directory: str, path: str, keys: Iterable[str]) -> None:
        self._files[directory].add(path)
        self._keys[directory].update(keys)


class _WriteBundleFn(beam.DoFn):
    def __init__(self, root: str, dataset: str, config: ParquetWriteConfig):
        self.root, self.dataset, self.config = root, dataset, config

    def setup(self):
        self.schema, self.key = DATASETS[self.dataset], KEY_COLUMNS[self.dataset]
        self._fs, base = filesystem_for(self.root)
        self._dir = f"{base}/{self.dataset}"
        self._committed = _CommittedKeys(self._fs, self.key)
        name = self.dataset.replace("/", "_")
        self._rows_written = beam.metrics.Metrics.counter("parquet", f"rows_{name}")
        self._rows_skipped = beam.metrics.Metrics.counter("parquet", f"duplicates_skipped_{name}")
        self._files_written = beam.metrics.Metrics.counter("parquet", "files")

    def start_bundle(self):
        self._buffer: dict[str, list[dict]] = defaultdict(list)
        self._buffered = 0

    def process(self, row: dict):
        self._buffer[row[PARTITION_COLUMN]].append(row)
        self._buffered += 1
        if self._buffered >= self.config.max_buffered_rows:
            self._flush()

    def finish_bundle(self):
        self._flush()

    def _flush(self):
        for part, rows in self._buffer.items():
            directory = f"{self._dir}/{PARTITION_COLUMN}={part}"
            committed = self._committed.of(directory)
            unique = {r[self.key]: r for r in rows if r[self.key] not in committed}
            self._rows_skipped.inc(len(rows) - len(unique))
            if not unique:
                continue
            table = pa.Table.from_pylist(list(unique.values()), schema=self.schema)
            path = write_atomically(self._fs, directory, file_name(unique), table, self.config)
            self._committed.add(directory, path, unique)
            self._rows_written.inc(table.num_rows)
            self._files_written.inc()
            PROGRESS.add(f"rows_{self.dataset}", table.num_rows)
            log.debug("wrote %d rows to %s", table.num_rows, path)
        self._buffer = defaultdict(list)
        self._buffered = 0


class WriteParquetDataset(beam.PTransform):
    """Writes dict rows (with a ``dt`` partition value) to ``root/dataset/dt=.../part-*.parquet``
    with the dataset's schema from ``newsevents.schemas``, skipping rows whose key is committed."""

    def __init__(self, root: str, dataset: str, config: ParquetWriteConfig = ParquetWriteConfig()):
        super().__init__()
        if dataset not in DATASETS:
            raise ValueError(f"unknown dataset {dataset!r}; known: {', '.join(DATASETS)}")
        self.root, self.dataset, self.config = root, dataset, config

    def expand(self, rows: beam.PCollection[dict]) -> beam.pvalue.PDone:
        rows | "WriteBundles" >> beam.ParDo(_WriteBundleFn(self.root, self.dataset, self.config))
        return beam.pvalue.PDone(rows.pipeline)
