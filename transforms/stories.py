"""Beam transforms of ``newsevents consolidate``: read the partitions to reconsider, find
syndicated copies, build stories per type, and write the results back (``newsevents.output.consolidation``
holds the file logic, ``newsevents.stories.near_duplicates`` and ``newsevents.stories.linking`` the decisions).

Copies and stories are decided over the whole window at once (one key per decision), so neither
depends on how the runner reads or bundles the partitions.
"""
from __future__ import annotations

from dataclasses import dataclass

import apache_beam as beam

from newsevents.output.consolidation import (ConsolidateConfig, EmbeddingCache, partition_dir, read_partition, rewrite_partition, write_state,
                                      write_stories)
from newsevents.models.encoder import EncoderConfig
from newsevents.stories.near_duplicates import ArticleDoc, NearDuplicateConfig, duplicate_groups
from newsevents.output.parquet_files import filesystem_for
from newsevents.schemas import DATASETS
from newsevents.stories.linking import OPTIONAL_EVENT_COLUMNS, STORY_EVENT_COLUMNS, StoryConfig, build_stories, event_from_row

ARTICLE_COLUMNS = ["article_id", "published_at", "summary"]


@dataclass(frozen=True)
class StoriesConfig:
    consolidate: ConsolidateConfig = ConsolidateConfig()
    near_duplicates: NearDuplicateConfig = NearDuplicateConfig()
    stories: StoryConfig = StoryConfig()
    encoder: EncoderConfig = EncoderConfig()


def _read_rows(item: tuple[str, str, list[str], list[str] | None], root: str):
    """A partition's rows; outside the window (``keys`` given) only the rebuilt stories' rows,
    marked ``outside`` and with their stored ``duplicate_of`` (which this run leaves as it is)."""
    dataset, dt, files, keys = item
    fs, base = filesystem_for(root)
    if dataset == "articles":
        columns, key = list(ARTICLE_COLUMNS), "article_id"
    else:
        names = set(DATASETS[dataset].names)
        columns, key = STORY_EVENT_COLUMNS[:-1] + [c for c in OPTIONAL_EVENT_COLUMNS if c in names], "event_id"
        if keys is not None:
            columns.append("duplicate_of")
    paths = [f"{partition_dir(base, dataset, dt)}/{name}" for name in files]
    wanted = None if keys is None else set(keys)
    for row in read_partition(fs, base, dataset, dt, columns, paths=paths).to_pylist():
        if wanted is not None and row[key] not in wanted:
            continue
        row["dt"], row["outside"] = dt, wanted is not None
        yield dataset, row


class ReadPartitions(beam.PTransform):
    """(dataset, dt, files, keys) -> (dataset, row) with the columns consolidation needs."""

    def __init__(self, root: str):
        super().__init__()
        self.root = root

    def expand(self, partitions):
        return partitions | "Reshuffle" >> beam.Reshuffle() | "Read" >> beam.FlatMap(_read_rows, self.root)


def _doc_parts(item):
    dataset, row = item
    if dataset == "articles":
        yield row["article_id"], (row["published_at"], [row["summary"] or ""])
    else:
        yield row["article_id"], (None, list(row.get("evidence") or []))


def _find_duplicates(item, config: NearDuplicateConfig):
    docs = []
    for article_id, parts in item[1]:
        published = [p for p, _ in parts if p is not None]
        texts = sorted({t for _, ts in parts for t in ts if t})  # versions and events add sentences once
        docs.append(ArticleDoc(article_id, min(published) if published else None, texts))
    yield from sorted(duplicate_groups(docs, config).items())


class FindDuplicates(beam.PTransform):
    """(dataset, row) -> (article_id, first copy's article_id) for each syndicated copy."""

    def __init__(self, config: NearDuplicateConfig):
        super().__init__()
        self.config = config

    def expand(self, rows):
        return (rows
                | "ContentParts" >> beam.FlatMap(_doc_parts)
                | "PerArticle" >> beam.GroupByKey()
                | "OneKey" >> beam.Map(lambda kv: (None, (kv[0], list(kv[1]))))
                | "All" >> beam.GroupByKey()
                | "Decide" >> beam.FlatMap(_find_duplicates, self.config))


class _BuildStoriesFn(beam.DoFn):
    def __init__(self, root: str, config: StoriesConfig):
        self.root, self.config = root, config
        self.encoder = None
        self.encoded = beam.metrics.Metrics.counter("consolidate", "events_encoded")

    def setup(self):
        from newsevents.models.encoder import shared_encoder
        self.encoder = shared_encoder(self.config.encoder)

    def process(self, item, duplicates):
        event_type, rows = item
        rows = list(rows)
        # An event outside the window keeps the duplicate_of stored with it (its row keeps it).
        events = [event_from_row(r, r.get("duplicate_of") if r["outside"] else duplicates.get(r["article_id"]))
                  for r in rows]
        # Only events not encoded by an earlier run are encoded (encoding dominates the run).
        cache = EmbeddingCache(self.root, event_type, self.encoder.name)
        cache.load(e.dt for e in events)
        assignment, stories = build_stories(event_type, events, cache.embed(self.encoder.encode), self.config.stories)
        # A cache file holds a whole partition's events: those outside the window are not all here.
        cache.save([e for e, r in zip(events, rows) if not r["outside"]], self.config.consolidate.parquet)
        self.encoded.inc(cache.encoded)
        for event_id, story in sorted(assignment.items()):
            yield beam.pvalue.TaggedOutput("assignments", (event_id, story))
        yield event_type, stories


class BuildStories(beam.PTransform):
    """(dataset, row) of events -> main: (type, story rows); ``assignments``: (event_id, story_id)."""

    def __init__(self, root: str, config: StoriesConfig, duplicates):
        super().__init__()
        self.root, self.config, self.duplicates = root, config, duplicates

    def expand(self, rows):
        return (rows
                | "Events" >> beam.Filter(lambda item: item[0].startswith("events/"))
                | "ByType" >> beam.Map(lambda item: (item[1]["event_type"], item[1]))
                | "GroupByType" >> beam.GroupByKey()
                | "Cluster" >> beam.ParDo(_BuildStoriesFn(self.root, self.config), beam.pvalue.AsDict(self.duplicates))
                .with_outputs("assignments", main="stories"))


class _RewriteFn(beam.DoFn):
    def __init__(self, root: str, config: ConsolidateConfig):
        self.root, self.config = root, config
        self.rewritten = beam.metrics.Metrics.counter("consolidate", "partitions_rewritten")

    def process(self, item, duplicates, assignments):
        dataset, dt, files, keys = item
        if keys is None:
            values = {"duplicate_of": ("article_id", duplicates)}
            if dataset.startswith("events/"):
                values["story_id"] = ("event_id", assignments)
        elif dataset.startswith("events/"):  # outside the window: only the rebuilt stories' events
            values = {"story_id": ("event_id", assignments)}
        else:  # an article outside the window keeps its duplicate_of: nothing to write
            yield dataset, dt, files
            return
        listing = rewrite_partition(self.root, dataset, dt, files, values, self.config.parquet,
                                    None if keys is None else set(keys))
        if listing is not None:
            self.rewritten.inc()
        yield dataset, dt, files if listing is None else listing


class RewritePartitions(beam.PTransform):
    """(dataset, dt, files, keys) -> (dataset, dt, files after), with duplicate_of and story_id filled
    (outside the window: the story_id of the rebuilt stories' events)."""

    def __init__(self, root: str, config: ConsolidateConfig, duplicates, assignments):
        super().__init__()
        self.root, self.config, self.duplicates, self.assignments = root, config, duplicates, assignments

    def expand(self, partitions):
        return partitions | "Rewrite" >> beam.ParDo(
            _RewriteFn(self.root, self.config), beam.pvalue.AsDict(self.duplicates),
            beam.pvalue.AsDict(self.assignments))


def _record_state(listings, _stories_done, root: str, known: dict):
    """Records what is consolidated once every rewrite and every stories write is done (a failure
    before leaves the old state, so the next run does it all again)."""
    state = {d: dict(partitions) for d, partitions in known.items()}
    for dataset, dt, files in listings:
        state.setdefault(dataset, {})[dt] = files
    fs, base = filesystem_for(root)
    write_state(fs, base, state)
    yield len(listings)


class RecordState(beam.PTransform):
    """Writes ``_consolidation/state.json`` after the rewrites and the stories."""

    def __init__(self, root: str, known: dict, stories_done):
        super().__init__()
        self.root, self.known, self.stories_done = root, known, stories_done

    def expand(self, listings):
        return (listings
                | "Together" >> beam.combiners.ToList()
                | "Write" >> beam.FlatMap(_record_state, beam.pvalue.AsList(self.stories_done), self.root, self.known))


class WriteStories(beam.PTransform):
    """(type, story rows) -> number of stories partitions rewritten per type; ``replaced``: the
    stored stories the rows replace (type -> story_id -> its partition)."""

    def __init__(self, root: str, replaced: dict[str, dict[str, str]], config: ConsolidateConfig):
        super().__init__()
        self.root, self.replaced, self.config = root, replaced, config

    def expand(self, stories):
        return stories | "Write" >> beam.ParDo(_WriteStoriesFn(self.root, self.replaced, self.config))


class _WriteStoriesFn(beam.DoFn):
    def __init__(self, root: str, replaced: dict[str, dict[str, str]], config: ConsolidateConfig):
        self.root, self.replaced, self.config = root, replaced, config
        self.rewritten = beam.metrics.Metrics.counter("consolidate", "stories_partitions_rewritten")

    def process(self, item):
        event_type, rows = item
        n = write_stories(self.root, event_type, rows, self.replaced.get(event_type, {}), self.config.parquet)
        self.rewritten.inc(n)
        yield event_type, n
