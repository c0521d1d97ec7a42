"""Files of ``newsevents consolidate``: which partitions are new, what to reload, and the atomic
rewrites of articles, events and stories. No Beam here (``transforms.stories`` calls these).

*New* partitions are those whose list of committed files differs from the one recorded after the
last consolidation (``DIR/_consolidation/state.json``, written atomically): a streaming writer's
new file, a compaction or a lost race all show up there, and a second run with nothing new reads
nothing and writes nothing.

The work of a run is bounded by the new data, not by the store: the *window* (the dates of new
partitions, plus and minus ``lookback_days`` for late articles) is reloaded whole, and of every
stored story that overlaps the window or comes within ``margin_days`` of it (the stories the
window's events could join) only its own events (and their articles) are read from the
partitions outside it, by the ids its ``stories/<type>`` row lists. Those stories are rebuilt
from all their events; every other event outside the window keeps its ``story_id`` and is not
read. (Widening the window to the span of overlapping stories, repeatedly, made an incremental
run on a dense store reload every partition.)

Rewrites follow ``parquet_files.compact_partition``: the partition's files are read, the new
columns set, one file written under a hidden name and renamed into place, and only then are the
files it replaces deleted; files a writer commits meanwhile are not in the listing and stay (their
rows have no story yet, so the next run takes them). A partition whose values are already right
is not touched.
"""
from __future__ import annotations

import functools
import hashlib
import json
import operator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

import pyarrow as pa
from pyarrow import fs as pafs

from newsevents import EVENT_TYPES
from newsevents.output.parquet_files import (OutputReadError, ParquetWriteConfig, data_file_infos, file_name,
                                      filesystem_for, list_directory, write_atomically)
from newsevents.schemas import DATASETS, KEY_COLUMNS, PARTITION_COLUMN, STORY_EMBEDDINGS

if TYPE_CHECKING:  # numpy is imported where the vectors are built
    import numpy as np

STATE_PATH = "_consolidation/state.json"
EMBEDDINGS_PATH = "_consolidation/embeddings"
SOURCE_DATASETS = ("articles", *(f"events/{t}" for t in EVENT_TYPES))


@dataclass(frozen=True)
class ConsolidateConfig:
    lookback_days: int = 3   # partitions this many days around a new one are reloaded (late articles)
    parquet: ParquetWriteConfig = ParquetWriteConfig()


@dataclass
class Plan:
    root: str
    new: dict[str, list[str]]                 # dataset -> new partition values (dt)
    window: list[tuple[str, str]]             # merged [first, last] dt ranges reloaded whole
    partitions: dict[str, list[str]]          # dataset -> partition values to reload whole
    listings: dict[str, dict[str, list[str]]] = field(default_factory=dict)  # current, per dataset and dt
    # Stored stories overlapping the window (type -> story_id -> the stories partition holding it),
    # rebuilt by this run, and the keys of their rows outside the window (dataset -> dt -> keys).
    stories: dict[str, dict[str, str]] = field(default_factory=dict)
    outside: dict[str, dict[str, list[str]]] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not any(self.new.values())

    def reads(self) -> list[tuple[str, str, list[str], list[str] | None]]:
        """(dataset, dt, files, keys): the partitions to read, whole (keys None) or only the rows
        of the stories it rebuilds (keys: their event_id or article_id)."""
        whole = [(d, dt, self.listings[d][dt], None) for d in SOURCE_DATASETS for dt in self.partitions.get(d, [])]
        return whole + [(d, dt, self.listings[d][dt], keys) for d in SOURCE_DATASETS
                        for dt, keys in sorted(self.outside.get(d, {}).items())]


def partition_values(fs: pafs.FileSystem, base: str, dataset: str) -> list[str]:
    prefix = f"{PARTITION_COLUMN}="
    return sorted(i.base_name[len(prefix):] for i in list_directory(fs, f"{base}/{dataset}")
                  if i.type == pafs.FileType.Directory and i.base_name.startswith(prefix))


def partition_dir(base: str, dataset: str, dt: str) -> str:
    return f"{base}/{dataset}/{PARTITION_COLUMN}={dt}"


def listing(fs: pafs.FileSystem, base: str, dataset: str) -> dict[str, list[str]]:
    return {dt: [i.base_name for i in data_file_infos(fs, partition_dir(base, dataset, dt))]
            for dt in partition_values(fs, base, dataset)}


def read_state(fs: pafs.FileSystem, base: str) -> dict:
    try:
        with fs.open_input_stream(f"{base}/{STATE_PATH}") as f:
            return json.loads(f.read().decode())
    except FileNotFoundError:
        return {}
    except (OSError, ValueError):  # unreadable or torn state: start over (slower, same result)
        return {}


def write_state(fs: pafs.FileSystem, base: str, listings: dict) -> None:
    directory, name = f"{base}/{STATE_PATH}".rsplit("/", 1)
    fs.create_dir(directory, recursive=True)
    tmp = f"{directory}/.{name}.tmp"
    with fs.open_output_stream(tmp) as f:
        f.write(json.dumps({"listings": listings}, sort_keys=True).encode())
    fs.move(tmp, f"{directory}/{name}")


def _day(dt: str) -> date | None:
    try:
        return date.fromisoformat(dt)
    except ValueError:
        return None


def merge_ranges(ranges: list[tuple[str, str]]) -> list[tuple[str, str]]:
    out: list[list[str]] = []
    for lo, hi in sorted(ranges):
        if out and lo <= (date.fromisoformat(out[-1][1]) + timedelta(days=1)).isoformat():
            out[-1][1] = max(out[-1][1], hi)
        else:
            out.append([lo, hi])
    return [(lo, hi) for lo, hi in out]


def _in(dt: str, ranges: list[tuple[str, str]]) -> bool:
    return any(lo <= dt <= hi for lo, hi in ranges)


def plan(root: str, config: ConsolidateConfig = ConsolidateConfig(), margin_days: int = 0) -> Plan:
    """What to read: the window whole, and the events of the stored stories that overlap it or
    end or start within ``margin_days`` of it (the stories its events could join: the greatest
    gap between linked events), each rebuilt from all its events."""
    fs, base = filesystem_for(root)
    listings = {d: listing(fs, base, d) for d in SOURCE_DATASETS}
    known = read_state(fs, base).get("listings", {})
    new = {d: sorted(dt for dt, files in listings[d].items() if known.get(d, {}).get(dt) != files)
           for d in SOURCE_DATASETS}
    lookback = timedelta(days=config.lookback_days)
    ranges = []
    for dt in sorted({dt for dts in new.values() for dt in dts}):
        day = _day(dt)
        ranges.append((dt, dt) if day is None else ((day - lookback).isoformat(), (day + lookback).isoformat()))
    ranges = merge_ranges(ranges)
    partitions = {d: [dt for dt in listings[d] if _in(dt, ranges)] for d in SOURCE_DATASETS}
    stories: dict[str, dict[str, str]] = {}
    outside: dict[str, dict[str, set[str]]] = {}
    margin = timedelta(days=margin_days)
    near = [(lo, hi) if _day(lo) is None or _day(hi) is None else
            ((_day(lo) - margin).isoformat(), (_day(hi) + margin).isoformat()) for lo, hi in ranges]
    for story in overlapping_stories(fs, base, near):
        stories.setdefault(story["event_type"], {})[story["story_id"]] = story["dt"]
        # Its rows outside the window lie in the partitions of its span (the ids say which rows).
        for dataset, keys in ((f"events/{story['event_type']}", story["event_ids"]), ("articles", story["article_ids"])):
            for dt in listings.get(dataset, {}):
                if story["first_partition"] <= dt <= story["last_partition"] and not _in(dt, ranges):
                    outside.setdefault(dataset, {}).setdefault(dt, set()).update(keys)
    return Plan(root, new, ranges, partitions, listings, stories,
                {d: {dt: sorted(keys) for dt, keys in by_dt.items()} for d, by_dt in outside.items()})


def overlapping_stories(fs: pafs.FileSystem, base: str, ranges: list[tuple[str, str]]) -> list[dict]:
    """Stored stories whose span of partitions overlaps a range, with the partition holding each.
    A story is stored under its first partition, so partitions after the window hold none."""
    import pyarrow.compute as pc
    if not ranges:
        return []
    last = max(hi for _, hi in ranges)
    columns = ["story_id", "event_type", "first_partition", "last_partition", "event_ids", "article_ids"]
    # The files of stories far before the window are ruled out by their statistics, unread.
    overlaps = functools.reduce(operator.or_, [(pc.field("first_partition") <= hi) & (pc.field("last_partition") >= lo)
                                              for lo, hi in ranges])
    out = []
    for t in EVENT_TYPES:
        for dt in partition_values(fs, base, f"stories/{t}"):
            if dt <= last:
                out += [{**r, "event_type": r["event_type"] or t, "dt": dt}
                        for r in read_partition(fs, base, f"stories/{t}", dt, columns, filter=overlaps).to_pylist()]
    return out


def read_partition(fs: pafs.FileSystem, base: str, dataset: str, dt: str, columns: list[str] | None = None,
                   paths: list[str] | None = None, filter=None) -> pa.Table:
    """A partition's committed files, read with the current schema (older files: nulls in new
    columns); ``filter``: a pyarrow expression (row groups its statistics rule out are skipped)."""
    import pyarrow.dataset as ds
    schema = DATASETS[dataset]
    paths = list_partition_files(fs, base, dataset, dt) if paths is None else paths
    if not paths:
        return schema.empty_table() if columns is None else schema.empty_table().select(columns)
    try:
        table = ds.dataset(paths, schema=schema, format="parquet", filesystem=fs).to_table(columns=columns,
                                                                                        filter=filter)
    except OSError as exc:
        raise OutputReadError(f"cannot read {dataset}/{PARTITION_COLUMN}={dt}: {exc}") from exc
    return table


def list_partition_files(fs: pafs.FileSystem, base: str, dataset: str, dt: str) -> list[str]:
    return [i.path for i in data_file_infos(fs, partition_dir(base, dataset, dt))]


def rewrite_partition(root: str, dataset: str, dt: str, files: list[str], values: dict[str, tuple[str, dict]],
                      config: ParquetWriteConfig = ParquetWriteConfig(),
                      only: set[str] | None = None) -> list[str] | None:
    """Sets columns of the rows in ``files`` (base names, the partition's listing when it was
    planned; files committed since are left for the next run): ``values[column] = (lookup_column,
    mapping)`` gives each row ``mapping.get(row[lookup_column])`` (null when absent). With ``only``
    (keys), the other rows keep their values (a partition outside the window). Returns the
    partition's consolidated listing (the new file) when it was rewritten, None when its values
    were already right."""
    fs, base = filesystem_for(root)
    key = KEY_COLUMNS[dataset]
    paths = [f"{partition_dir(base, dataset, dt)}/{name}" for name in files]
    try:
        table = read_partition(fs, base, dataset, dt, paths=paths)
    except (FileNotFoundError, OutputReadError):  # a concurrent compaction merged them: next run
        return None
    if not table.num_rows:
        return None
    keys = table.column(key).to_pylist()
    changed = False
    for column, (lookup, mapping) in values.items():
        current = table.column(column).to_pylist()
        wanted = pa.array([mapping.get(k) if only is None or key_value in only else value for k, key_value, value
                           in zip(table.column(lookup).to_pylist(), keys, current)], type=table.schema.field(column).type)
        if not wanted.equals(table.column(column).combine_chunks()):
            table = table.set_column(table.schema.get_field_index(column), table.schema.field(column), wanted)
            changed = True
    if not changed:
        return None
    # One row per key (a concurrent compaction may have left a copy): the first, as compaction keeps.
    first = sorted({k: i for i, k in reversed(list(enumerate(keys)))}.values())
    table = table.take(pa.array(first, pa.int64()))
    name = "part-s" + file_name(table.column(key).to_pylist())[4:]
    written = write_atomically(fs, partition_dir(base, dataset, dt), name, table, config)
    for path in paths:
        if path != written:
            try:
                fs.delete_file(path)
            except FileNotFoundError:  # merged and deleted by a concurrent compaction
                pass
    return [written.rsplit("/", 1)[-1]]


def write_stories(root: str, event_type: str, rows: list[dict], replaced: dict[str, str],
                  config: ParquetWriteConfig = ParquetWriteConfig()) -> int:
    """Replaces the stored stories of one type that this run rebuilt (``replaced``: story_id ->
    the partition holding it) by ``rows`` (partitioned by their first partition); returns the
    number of partitions rewritten. Only those partitions are read; unchanged ones are left."""
    fs, base = filesystem_for(root)
    dataset = f"stories/{event_type}"
    schema = DATASETS[dataset]
    new_by_dt: dict[str, list[dict]] = {}
    for r in rows:
        new_by_dt.setdefault(r["first_partition"], []).append(r)
    rewritten = 0
    for dt in sorted(set(replaced.values()) | set(new_by_dt)):
        paths = list_partition_files(fs, base, dataset, dt)
        old = read_partition(fs, base, dataset, dt, paths=paths).to_pylist() if paths else []
        kept = [r for r in old if r["story_id"] not in replaced]
        wanted = sorted(kept + new_by_dt.get(dt, []), key=lambda r: r["story_id"])
        if wanted == sorted(old, key=lambda r: r["story_id"]):
            continue
        rewritten += 1
        written = None
        if wanted:
            table = pa.Table.from_pylist(wanted, schema=schema)
            written = write_atomically(fs, partition_dir(base, dataset, dt),
                                       "part-s" + file_name(r["story_id"] for r in wanted)[4:], table, config)
        for path in paths:
            if path != written:
                fs.delete_file(path)
    return rewritten


def story_counts(root: str) -> dict[str, int]:
    """Stories per type (for the command's summary line)."""
    fs, base = filesystem_for(root)
    return {t: sum(read_partition(fs, base, f"stories/{t}", dt, ["story_id"]).num_rows
                   for dt in partition_values(fs, base, f"stories/{t}")) for t in EVENT_TYPES}


class EmbeddingCache:
    """Event embeddings of earlier runs (``DIR/_consolidation/embeddings/<type>/<dt>.parquet``), so
    that a run encodes only the events it has not encoded before. An entry is keyed by the encoder's
    name and the embedded text, so it is valid whatever the state says: a crash between a cache
    write and the state write costs nothing, a changed text or another encoder is encoded again.
    Each file is replaced atomically by the embeddings of the partition's current events (entries
    of events that are gone are dropped with it)."""

    def __init__(self, root: str, event_type: str, encoder_name: str):
        self.fs, self.base = filesystem_for(root)
        self.directory = f"{self.base}/{EMBEDDINGS_PATH}/{event_type}"
        self.encoder_name = encoder_name
        self.vectors: dict[str, np.ndarray] = {}
        self.stored: dict[str, set[tuple[str, str]]] = {}   # dt -> (event_id, text_key) in its file
        self.encoded = 0

    def key(self, text: str) -> str:
        return hashlib.sha1(f"{self.encoder_name}\n{text}".encode()).hexdigest()

    def load(self, dts) -> None:
        import pyarrow.parquet as pq
        for dt in sorted(set(dts)):
            try:
                table = pq.read_table(f"{self.directory}/{dt}.parquet", filesystem=self.fs, schema=STORY_EMBEDDINGS)
            except (FileNotFoundError, OSError, pa.ArrowInvalid):  # missing or unreadable: encode again
                continue
            keys = table.column("text_key").to_pylist()
            self.stored[dt] = set(zip(table.column("event_id").to_pylist(), keys))
            flat = table.column("embedding").combine_chunks()
            vectors = flat.values.to_numpy(zero_copy_only=False).reshape(len(keys), -1) if len(keys) else []
            self.vectors.update(zip(keys, vectors))

    def embed(self, encode):
        """``encode`` wrapped: texts already in the cache are not encoded again."""
        import numpy as np

        def cached(texts: list[str]):
            keys = [self.key(t) for t in texts]
            missing = sorted({k: t for k, t in zip(keys, texts) if k not in self.vectors}.items())
            if missing:
                for (k, _), v in zip(missing, encode([t for _, t in missing])):
                    self.vectors[k] = np.asarray(v, dtype=np.float32)
                self.encoded += len(missing)
            return np.stack([self.vectors[k] for k in keys]) if keys else np.zeros((0, 0), np.float32)
        return cached

    def save(self, events, config: ParquetWriteConfig = ParquetWriteConfig()) -> int:
        """Writes the partitions whose (event, text) entries changed; returns how many."""
        import numpy as np
        by_dt: dict[str, dict[str, str]] = {}
        for e in events:
            by_dt.setdefault(e.dt, {})[e.event_id] = self.key(e.text)
        written = 0
        for dt, keys in sorted(by_dt.items()):
            if set(keys.items()) == self.stored.get(dt):
                continue
            ids = sorted(keys)
            matrix = np.stack([self.vectors[keys[i]] for i in ids]).astype(np.float32)
            offsets = pa.array(np.arange(len(ids) + 1, dtype=np.int32) * matrix.shape[1])
            embedding = pa.ListArray.from_arrays(offsets, pa.array(matrix.ravel()))
            table = pa.table({"event_id": ids, "text_key": [keys[i] for i in ids], "embedding": embedding},
                             schema=STORY_EMBEDDINGS)
            write_atomically(self.fs, self.directory, f"{dt}.parquet", table, config)
            self.stored[dt] = set(keys.items())
            written += 1
        return written
