"""``newsevents compact DIR``: merge the small files of every partition into one, safely while writing.

Each partition's committed files under the target size are read, de-duplicated on the dataset's
key column, written as one new file (atomically, under a hidden name first) and only then are
the merged files deleted (``parquet_files.compact_partition``, which streaming writers
also run on their own partitions). Files the pipeline commits meanwhile are not in the listing
and stay untouched. A reader that lists the partition between the rename and the deletes sees
rows twice; readers that key on the id column (``event_id``, ``article_id``, ``dead_letter_id``)
never notice, and a crash in that window is repaired by the next compaction.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass

from pyarrow import fs as pafs

from newsevents.schemas import DATASETS, PARTITION_COLUMN
from newsevents.output.parquet_files import ParquetWriteConfig, compact_partition, filesystem_for, list_directory

log = logging.getLogger(__name__)


@dataclass
class CompactionResult:
    dataset: str
    partition: str
    files_before: int
    rows_before: int
    rows_after: int


def _partitions(fs, dataset_dir: str) -> list[str]:
    return sorted(i.path for i in list_directory(fs, dataset_dir) if i.type == pafs.FileType.Directory
                  and i.base_name.startswith(f"{PARTITION_COLUMN}="))


def compact(root: str, min_files: int = 2, config: ParquetWriteConfig = ParquetWriteConfig()) -> list[CompactionResult]:
    fs, base = filesystem_for(root)
    results = []
    for dataset in DATASETS:
        for partition in _partitions(fs, f"{base}/{dataset}"):
            done = compact_partition(fs, partition, dataset, min_files, config)
            if done is None:
                continue
            result = CompactionResult(dataset, partition.rsplit("/", 1)[-1], done.files_before, done.rows_before,
                                      done.rows_after)
            results.append(result)
            log.info("compacted %s/%s: %d files, %d rows -> 1 file, %d rows", dataset, result.partition,
                     done.files_before, done.rows_before, done.rows_after)
    return results
