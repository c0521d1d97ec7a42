"""A splittable DoFn's self-checkpoints survive the local runner's several workers
(``--direct_num_workers 2``): pipelines/beam_fixes.py keep_parallel_checkpoints."""
import apache_beam as beam
from apache_beam.io.restriction_trackers import OffsetRange, OffsetRestrictionTracker
from apache_beam.options.pipeline_options import PipelineOptions
from apache_beam.testing.util import assert_that, equal_to
from apache_beam.transforms.core import RestrictionProvider

from newsevents.pipelines.beam_fixes import keep_parallel_checkpoints


class _Range(RestrictionProvider):
    def initial_restriction(self, n):
        return OffsetRange(0, n)

    def create_tracker(self, restriction):
        return OffsetRestrictionTracker(restriction)

    def restriction_size(self, n, restriction):
        return restriction.size()

    def split(self, n, restriction):
        yield restriction  # one range per element: only self-checkpoints cut it


class _OnePerBundle(beam.DoFn):
    """Emits one position per bundle and defers the rest, as the Kafka read does when its bundle
    is full."""

    def process(self, n, tracker=beam.DoFn.RestrictionParam(_Range())):
        position = tracker.current_restriction().start
        if tracker.try_claim(position):
            yield (n, position)
            tracker.defer_remainder()


def test_every_deferred_remainder_is_read_with_two_workers():
    keep_parallel_checkpoints()
    keep_parallel_checkpoints()  # idempotent: a second pipeline in the process does not wrap it twice
    options = PipelineOptions(runner="FnApiRunner", direct_num_workers=2, direct_running_mode="multi_threading")
    with beam.Pipeline(options=options) as p:
        out = p | beam.Create([3, 4, 5, 6]) | beam.ParDo(_OnePerBundle())
        assert_that(out, equal_to([(n, i) for n in (3, 4, 5, 6) for i in range(n)]))
