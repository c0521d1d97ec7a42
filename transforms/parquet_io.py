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
commit it; compaction removes such copies, and readers keying on the id column see each row once.

A streaming job writes a file per partition and bundle, so every ``compact_interval_s`` the
writer merges the small files of the partitions it wrote to (``compact_partition``, also what
``newsevents compact`` runs): a partition holds a few files instead of thousands.

Nothing is dropped silently. A row carries the SourceRecord it was made from (``ROW_SOURCE``);
a row that the dataset's schema rejects becomes an ``unwritable_row`` dead letter instead of
failing the bundle (which a streaming runner would retry forever), and in the ``articles``
dataset a row whose key is committed from *another* input (an exact copy of an article sent
twice) becomes a ``duplicate`` dead letter; a replay of the same input is skipped silently. The
writer's output is these dead letters.
"""
from __future__ import annotations

import logging
import time
from collections import Counter, defaultdict
from typing import Iterator, Optional

import apache_beam as beam
import pyarrow as pa
from apache_beam.transforms.window import GlobalWindow
from apache_beam.utils.windowed_value import WindowedValue

from newsevents.records import ROW_SOURCE, DeadLetter, SourceRecord

from newsevents.output.parquet_files import (CommittedKeys, OutputWriteError, ParquetWriteConfig, compact_partition,
                                       file_name, filesystem_for, key_hash, origin, write_atomically)
from newsevents.runtime.memory import use_system_allocator_for_arrow
from newsevents.runtime.control import RunControl
from newsevents.schemas import DATASETS, KEY_COLUMNS, PARTITION_COLUMN
from newsevents.transforms.display import config_display

log = logging.getLogger(__name__)


def _record_origin(record: Optional[SourceRecord]) -> str:
    return origin(record.coordinates().values()) if record is not None else ""


# What pyarrow raises for a value its schema cannot hold.
_CONVERSION_ERRORS = (pa.ArrowException, TypeError, ValueError, OverflowError, UnicodeError)


class _WriteBundleFn(beam.DoFn):
    def __init__(self, root: str, dataset: str, config: ParquetWriteConfig, report_duplicates: bool = False,
                 control: RunControl = RunControl()):
        self.root, self.dataset, self.config = root, dataset, config
        self.report_duplicates, self.control = report_duplicates, control

    def setup(self):
        use_system_allocator_for_arrow()
        self._progress = self.control.progress()
        self.schema, self.key = DATASETS[self.dataset], KEY_COLUMNS[self.dataset]
        self._fs, base = filesystem_for(self.root)
        self._dir = f"{base}/{self.dataset}"
        self._committed = CommittedKeys(self._fs, self.key, with_origins=self.report_duplicates)
        name = self.dataset.replace("/", "_")
        self._rows_written = beam.metrics.Metrics.counter("parquet", f"rows_{name}")
        self._rows_skipped = beam.metrics.Metrics.counter("parquet", f"duplicates_skipped_{name}")
        # Of those, the rows a replay of the same input brought again (no dead letter: nothing new).
        self._replayed = beam.metrics.Metrics.counter("parquet", f"replayed_{name}")
        self._files_written = beam.metrics.Metrics.counter("parquet", "files")
        self._files_compacted = beam.metrics.Metrics.counter("parquet", "files_compacted")
        self._written_since_compaction: set[str] = set()
        self._to_compact: set[str] = set()
        self._last_compaction = time.monotonic()

    def start_bundle(self):
        self._buffer: dict[str, list[dict]] = defaultdict(list)
        self._buffered = 0

    def process(self, row: dict) -> Iterator[DeadLetter]:
        self._buffer[row[PARTITION_COLUMN]].append(row)
        self._buffered += 1
        if self._buffered >= self.config.max_buffered_rows:
            yield from self._flush()

    def finish_bundle(self) -> Iterator[WindowedValue]:
        for dead in self._flush():
            yield WindowedValue(dead, (dead.record.timestamp_ms or 0) / 1000, [GlobalWindow()])
        now = time.monotonic()
        if self.config.compact_interval_s > 0 and now - self._last_compaction >= self.config.compact_interval_s:
            self._to_compact |= self._written_since_compaction
            self._written_since_compaction, self._last_compaction = set(), now
        if self._to_compact:
            self._compact(now + self.config.compact_budget_s)

    def _compact(self, deadline: float):
        """Merges the small files of partitions written in the last interval, until the deadline.
        It runs in the bundle's time: a compaction that fails fails the bundle (whose files are
        already committed, so a retry skips their rows)."""
        for directory in sorted(self._to_compact):
            if time.monotonic() >= deadline:
                return
            self._to_compact.discard(directory)
            result = compact_partition(self._fs, directory, self.dataset, self.config.compact_min_files,
                                       self.config)
            if result is None:
                continue
            # The merged file may hold keys of files this writer never listed: it is read like any
            # new file on the next write to the partition.
            self._committed.forget(directory, result.merged)
            self._files_compacted.inc(len(result.merged))
            log.info("compacted %s: %d files, %d rows -> %d rows", directory, result.files_before,
                     result.rows_before, result.rows_after)


    def _new_rows(self, directory: str, rows: list[dict]) -> tuple[dict[str, dict], list[DeadLetter]]:
        """The rows to write, by key, and the dead letters of exact copies from other inputs."""
        committed = self._committed.of(directory)
        unique: dict[str, dict] = {}
        dead = []
        for row in rows:
            key = row[self.key]
            if key in unique:
                first_origin = key_hash(_record_origin(unique[key].get(ROW_SOURCE)))
            else:
                first_origin = committed.origin_of(key)
                if first_origin is None:
                    unique[key] = row
                    continue
            self._rows_skipped.inc()
            record = row.get(ROW_SOURCE)
            if not (self.report_duplicates and record is not None and first_origin != key_hash(_record_origin(record))):
                self._replayed.inc()
            else:
                dead.append(DeadLetter(record, "duplicate",
                                       f"the same article (id {row.get('article_id')!r}, identical content) was "
                                       f"already written from another input: its {self.dataset} row with "
                                       f"{self.key} {key!r} says where from", "write", row.get("article_id")))
        return unique, dead

    def _table(self, rows: list[dict]) -> tuple[Optional[pa.Table], list[DeadLetter]]:
        """The rows as a table; a row the schema rejects is left out as a dead letter."""
        def columns(row):
            return {k: v for k, v in row.items() if k != ROW_SOURCE}
        try:
            return pa.Table.from_pylist([columns(r) for r in rows], schema=self.schema), []
        except _CONVERSION_ERRORS:
            pass
        good, dead = [], []
        for row in rows:
            try:
                pa.Table.from_pylist([columns(row)], schema=self.schema)
                good.append(columns(row))
            except _CONVERSION_ERRORS as exc:
                detail = f"{self.dataset} row rejected by its schema: {type(exc).__name__}: {exc}"[:1000]
                if row.get(ROW_SOURCE) is None:
                    raise OutputWriteError(detail) from exc
                dead.append(DeadLetter(row[ROW_SOURCE], "unwritable_row", detail, "write", row.get("article_id")))
        return (pa.Table.from_pylist(good, schema=self.schema) if good else None), dead

    def _flush(self) -> list[DeadLetter]:
        dead_letters = []
        for part, rows in self._buffer.items():
            directory = f"{self._dir}/{PARTITION_COLUMN}={part}"
            unique, dead = self._new_rows(directory, rows)
            dead_letters += dead
            if not unique:
                continue
            table, dead = self._table(list(unique.values()))
            dead_letters += dead
            if table is None:
                continue
            written = {k: _record_origin(r.get(ROW_SOURCE)) if self.report_duplicates else "" for k, r in unique.items()}
            path = write_atomically(self._fs, directory, file_name(written), table, self.config)
            self._committed.add(directory, path, written)
            self._written_since_compaction.add(directory)
            self._rows_written.inc(table.num_rows)
            if self.dataset == "articles":  # the run report's "of which not analysed / gated" of this run
                for analysis, n in Counter(table.column("analysis").to_pylist()).items():
                    beam.metrics.Metrics.counter("parquet", f"articles_analysis_{analysis}").inc(n)
            self._files_written.inc()
            self._progress.add(f"rows_{self.dataset}", table.num_rows)
            log.debug("wrote %d rows to %s", table.num_rows, path)
        self._buffer = defaultdict(list)
        self._buffered = 0
        return dead_letters


class WriteParquetDataset(beam.PTransform):
    """Writes dict rows (with a ``dt`` partition value) to ``root/dataset/dt=.../part-*.parquet``
    with the dataset's schema from ``newsevents.schemas``, skipping rows whose key is committed.

    Returns the dead letters of the rows it refused: rows the schema rejects, and with
    ``report_duplicates`` the exact copies of a committed row that came from another input."""

    def __init__(self, root: str, dataset: str, config: ParquetWriteConfig = ParquetWriteConfig(),
                 report_duplicates: bool = False, control: RunControl = RunControl()):
        super().__init__()
        if dataset not in DATASETS:
            raise ValueError(f"unknown dataset {dataset!r}; known: {', '.join(DATASETS)}")
        self.root, self.dataset, self.config = root, dataset, config
        self.report_duplicates = report_duplicates
        self.control = control  # where the run's progress counts go

    def display_data(self) -> dict:
        return config_display(root=self.root, dataset=self.dataset, parquet=self.config,
                              report_duplicates=self.report_duplicates)

    def expand(self, rows: beam.PCollection[dict]) -> beam.PCollection[DeadLetter]:
        return rows | "WriteBundles" >> beam.ParDo(
            _WriteBundleFn(self.root, self.dataset, self.config, self.report_duplicates, self.control)
        ).with_output_types(DeadLetter)
