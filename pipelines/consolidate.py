"""``newsevents consolidate DIR``: syndicated copies and stories, as a batch Beam pipeline.

The driver plans (which partitions are new, the window to reload; ``newsevents.output.consolidation``),
the pipeline decides and writes, and the driver then records the partitions' file listings so
that the next run reconsiders only what changed::

    (dataset, dt) to reload | ReadPartitions
      | FindDuplicates  (one decision over the window)            -> duplicates (side input)
      | BuildStories    (one decision per event type)             -> assignments (side input), stories
    (dataset, dt) | RewritePartitions: articles.duplicate_of, events.duplicate_of and story_id
    stories | WriteStories: stories/<type>, partitioned by the story's first dt

Run it after (or periodically next to) the streaming job; see docs/stories.md.
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass

import apache_beam as beam
from apache_beam.metrics.metric import MetricsFilter
from apache_beam.options.pipeline_options import PipelineOptions, StandardOptions

from newsevents.output.consolidation import plan
from newsevents.pipelines.beam_fixes import apply_local_runner_fixes
from newsevents.pipelines.pipeline import LOCAL_RUNNER, _DIRECT_RUNNER_NAMES
from newsevents.transforms.stories import (BuildStories, FindDuplicates, ReadPartitions, RecordState,
                                           RewritePartitions, StoriesConfig, WriteStories)

log = logging.getLogger(__name__)


@dataclass
class ConsolidationResult:
    new_partitions: int
    reloaded_partitions: int          # read whole (the window)
    outside_partitions: int = 0       # read for the rows of stories overlapping the window only
    rewritten_partitions: int = 0     # articles and events partitions whose values changed
    stories_partitions: int = 0       # stories partitions rewritten
    encoded_events: int = 0           # events encoded (the others' embeddings came from the cache)
    seconds: float = 0.0


def _options(beam_args: list[str] | None) -> PipelineOptions:
    options = PipelineOptions(beam_args or [])
    std = options.view_as(StandardOptions)
    if std.runner is None or std.runner.lower().rsplit(".", 1)[-1] in _DIRECT_RUNNER_NAMES:
        std.runner = LOCAL_RUNNER  # as `run`: the offline local runner, never a Prism download
    return options


def consolidate(root: str, config: StoriesConfig = StoriesConfig(),
                beam_args: list[str] | None = None) -> ConsolidationResult:
    start = time.perf_counter()
    todo = plan(root, config.consolidate, config.stories.max_gap_days)
    reads = todo.reads()
    whole = sum(keys is None for *_, keys in reads)
    result = ConsolidationResult(sum(map(len, todo.new.values())), whole, len(reads) - whole)
    if todo.empty:
        result.seconds = time.perf_counter() - start
        return result
    log.info("consolidate: %d new partitions, reloading %d in %s and the rows of %d stories from %d others",
             result.new_partitions, whole, ", ".join(f"{lo}..{hi}" for lo, hi in todo.window),
             sum(map(len, todo.stories.values())), result.outside_partitions)
    apply_local_runner_fixes()
    p = beam.Pipeline(options=_options(beam_args))
    partitions = p | "Partitions" >> beam.Create(reads)
    rows = partitions | "ReadPartitions" >> ReadPartitions(root)
    duplicates = rows | "FindDuplicates" >> FindDuplicates(config.near_duplicates)
    built = rows | "BuildStories" >> BuildStories(root, config, duplicates)
    stories_done = built.stories | "WriteStories" >> WriteStories(root, todo.stories, config.consolidate)
    _ = (partitions
         | "RewritePartitions" >> RewritePartitions(root, config.consolidate, duplicates, built.assignments)
         | "RecordState" >> RecordState(root, todo.listings, stories_done))
    run = p.run()
    run.wait_until_finish()
    counters = {c.key.metric.name: c.committed for c in run.metrics().query(
        MetricsFilter().with_namespace("consolidate"))["counters"]}
    result.rewritten_partitions = counters.get("partitions_rewritten", 0)
    result.stories_partitions = counters.get("stories_partitions_rewritten", 0)
    result.encoded_events = counters.get("events_encoded", 0)
    result.seconds = time.perf_counter() - start
    return result
