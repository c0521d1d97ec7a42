"""``newsevents compact DIR``: merge the small files of every partition into one, safely while writing.

Each partition's committed files are read, de-duplicated on the dataset's key column, written
as one new file (atomically, under a hidden name first) and only then are the merged files
deleted. Files the pipeline commits meanwhile are not in the listing and stay untouched. A
reader that lists the partition between the rename and the deletes sees rows twice; readers
that key on the id column (``event_id``, ``article_id``, ``dead_letter_id``) never notice, and
a crash in that window is repaired by the next compaction.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.dataset as ds

from newsevents.schemas import DATASETS, KEY_COLUMNS, PARTITION_COLUMN
from newsevents.transforms.parquet_io import (ParquetWriteConfig, file_name, filesystem_for, list_data_files,
                                              list_directory, write_atomically)

log = logging.getLogger(__name__)


@dataclass
class CompactionResult:
    dataset: str
    partition: str
    files_before: int
    rows_before: int
    rows_after: int


def _partitions(fs, dataset_dir: str) -> list[str]:
    from pyarrow import fs as pafs
    return sorted(i.path for i in list_directory(fs, dataset_dir) if i.type == pafs.FileType.Directory
                  and i.base_name.startswith(f"{PARTITION_COLUMN}="))


def compact(root: str, min_files: int = 2, config: ParquetWriteConfig = ParquetWriteConfig()) -> list[CompactionResult]:
    fs, base = filesystem_for(root)
    results = []
    for dataset, schema in DATASETS.items():
        key = KEY_COLUMNS[dataset]
        for partition in _partitions(fs, f"{base}/{dataset}"):
            files = list_data_files(fs, partition)
            if len(files) < min_files:
                continue
            # Read with the current schema: older files (without the newest columns) get nulls.
            merged = ds.dataset(files, schema=schema, format="parquet", filesystem=fs).to_table()
            unique = merged.take(pa.array(_first_of_each_key(merged.column(key).to_pylist()), pa.int64()))
            name = "part-c" + file_name(unique.column(key).to_pylist())[4:]
            written = write_atomically(fs, partition, name, unique, config)
            for path in files:
                if path != written:
                    fs.delete_file(path)
            result = CompactionResult(dataset, partition.rsplit("/", 1)[-1], len(files), merged.num_rows,
                                      unique.num_rows)
            results.append(result)
            log.info("compacted %s/%s: %d files, %d rows -> 1 file, %d rows", dataset, result.partition,
                     len(files), merged.num_rows, unique.num_rows)
    return results


def _first_of_each_key(keys: list) -> list[int]:
    seen, rows = set(), []
    for i, k in enumerate(keys):
        if k not in seen:
            seen.add(k)
            rows.append(i)
    return rows
