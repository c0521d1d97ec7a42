"""WriteParquetDataset: hive-partitioned Parquet files, written atomically per bundle.

The writer needs no GroupByKey, so it fuses with the read and streams on every runner:
rows are buffered during a bundle and written in ``finish_bundle``, each partition's rows
to one file. A file is written under a hidden temporary name and renamed into place only
when complete, so readers (pyarrow.dataset, pandas, DuckDB, Spark all skip dot-files) never
see a partial file. File names are derived from the rows' keys, so replaying the same
bundle rewrites the same file instead of adding a copy.
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

from newsevents.schemas import PARTITION_COLUMN

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ParquetWriteConfig:
    compression: str = "zstd"
    row_group_size: int = 128 * 1024
    max_buffered_rows: int = 50_000  # a bundle larger than this is written in several files


def _filesystem(root: str) -> tuple[pafs.FileSystem, str]:
    if "://" in root:
        return pafs.FileSystem.from_uri(root)
    return pafs.LocalFileSystem(), os.path.abspath(root)


def file_name(keys: Iterable[str]) -> str:
    digest = hashlib.sha1("\n".join(sorted(keys)).encode()).hexdigest()[:20]
    return f"part-{digest}.parquet"


def write_atomically(filesystem: pafs.FileSystem, directory: str, name: str, table: pa.Table,
                     config: ParquetWriteConfig) -> str:
    filesystem.create_dir(directory, recursive=True)
    final = f"{directory}/{name}"
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
    except BaseException:
        try:
            filesystem.delete_file(tmp)
        except (OSError, FileNotFoundError):
            pass
        raise
    return final


class _WriteBundleFn(beam.DoFn):
    def __init__(self, root: str, dataset: str, schema: pa.Schema, key_fn, config: ParquetWriteConfig):
        self.root, self.dataset, self.schema, self.key_fn, self.config = root, dataset, schema, key_fn, config

    def setup(self):
        self._fs, base = _filesystem(self.root)
        self._dir = f"{base}/{self.dataset}"
        self._rows_written = beam.metrics.Metrics.counter("parquet", f"rows_{self.dataset.replace('/', '_')}")
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
            # Rows of a replayed input carry the same key; keep the last of each within the file.
            unique = {self.key_fn(r): r for r in rows}
            table = pa.Table.from_pylist(list(unique.values()), schema=self.schema)
            path = write_atomically(self._fs, f"{self._dir}/{PARTITION_COLUMN}={part}", file_name(unique),
                                    table, self.config)
            self._rows_written.inc(table.num_rows)
            self._files_written.inc()
            log.debug("wrote %d rows to %s", table.num_rows, path)
        self._buffer = defaultdict(list)
        self._buffered = 0


class WriteParquetDataset(beam.PTransform):
    """Writes dict rows (with a ``dt`` partition value) to ``root/dataset/dt=.../part-*.parquet``."""

    def __init__(self, root: str, dataset: str, schema: pa.Schema, key_fn,
                 config: ParquetWriteConfig = ParquetWriteConfig()):
        super().__init__()
        self.root, self.dataset, self.schema, self.key_fn, self.config = root, dataset, schema, key_fn, config

    def expand(self, rows: beam.PCollection[dict]) -> beam.PDone:
        rows | "WriteBundles" >> beam.ParDo(
            _WriteBundleFn(self.root, self.dataset, self.schema, self.key_fn, self.config))
        return beam.pvalue.PDone(rows.pipeline)
