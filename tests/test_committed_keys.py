"""The writer's index of committed keys: compact, first origin wins, forgotten partitions re-read from files."""
import pyarrow as pa
from pyarrow import fs as pafs

from newsevents.output.parquet_files import CommittedKeys, ParquetWriteConfig, _PartitionKeys, key_hash, write_atomically


def test_keys_survive_merges_and_keep_their_first_origin():
    part = _PartitionKeys()
    n = 3 * _PartitionKeys.MERGE_AT + 17  # several merges and a tail still in the recent dict
    part.add((f"k{i}" for i in range(n)), (f"o{i}" for i in range(n)))
    part.add(["k5", "new"], ["elsewhere", "o-new"])  # a key seen again keeps its first origin
    part.add((f"x{i}" for i in range(_PartitionKeys.MERGE_AT)), ("x" for _ in range(_PartitionKeys.MERGE_AT)))
    assert len(part) == n + 1 + _PartitionKeys.MERGE_AT
    assert part.origin_of("k5") == key_hash("o5")
    assert part.origin_of("new") == key_hash("o-new")
    assert all(part.origin_of(f"k{i}") == key_hash(f"o{i}") for i in range(0, n, 97))
    assert part.origin_of("missing") is None and part.origin_of("k") is None


def test_a_forgotten_partition_is_read_again_from_its_files(tmp_path):
    fs = pafs.LocalFileSystem()
    index = CommittedKeys(fs, "dead_letter_id", with_origins=False, max_partitions=2)
    dirs = [f"{tmp_path}/dt=2025-01-0{d}" for d in (1, 2, 3)]
    for d in dirs:
        table = pa.table({"dead_letter_id": [f"{d}-a", f"{d}-b"]})
        write_atomically(fs, d, "part-x.parquet", table, ParquetWriteConfig())
        assert index.of(d).origin_of(f"{d}-a") is not None
    assert dirs[0] not in index._partitions  # least recently used: forgotten
    assert index.of(dirs[0]).origin_of(f"{dirs[0]}-b") is not None  # and found again on disk
    index.add(dirs[1], f"{dirs[1]}/part-y.parquet", {"written-now": ""})
    assert index.of(dirs[1]).origin_of("written-now") == key_hash("")
