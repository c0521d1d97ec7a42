"""ParseArticles: raw records to validated, cleaned articles; everything else to the dead letters."""
from __future__ import annotations

from typing import Iterator

import apache_beam as beam
from apache_beam import pvalue

from newsevents.runtime.control import RunControl
from newsevents.records import DeadLetter, SourceRecord
from newsevents.input.validation import InputLimits, Rejected, parse_article
from newsevents.transforms.display import config_display

DEAD_LETTER_TAG = "dead_letter"


class _ParseFn(beam.DoFn):
    def __init__(self, limits: InputLimits, control: RunControl):
        self.limits, self.control = limits, control

    def setup(self):
        self._progress = self.control.progress()
        self._accepted = beam.metrics.Metrics.counter("parse", "articles_accepted")
        self._rejected = beam.metrics.Metrics.counter("parse", "records_rejected")

    def _reject(self, record: SourceRecord, reason: str, detail: str, article_id=None):
        self._rejected.inc()
        return pvalue.TaggedOutput(DEAD_LETTER_TAG, DeadLetter(record, reason, detail, "parse", article_id))

    def process(self, record: SourceRecord) -> Iterator:
        self._progress.add("records_parsed")  # what a file source has read (Kafka's reader counts its own)
        if record.header_error is not None:
            yield self._reject(record, "invalid_header", record.header_error)
            return
        try:
            article = parse_article(record, self.limits)
        except Rejected as r:
            yield self._reject(record, r.reason, r.detail, r.article_id)
            return
        except Exception as exc:  # a bug must not lose the record: it is kept with the error
            yield self._reject(record, "internal_error", f"{type(exc).__name__}: {exc}")
            return
        self._accepted.inc()
        yield article


class ParseArticles(beam.PTransform):
    """Outputs ``articles`` (Article, with sentences) and ``dead_letter`` (DeadLetter).

    Copies of an article are not caught here but by the articles writer, the one place that
    knows what is already committed: which copy came first must not depend on the order a
    replay reads partitions in, or a replay would add dead letters."""

    def __init__(self, limits: InputLimits = InputLimits(), control: RunControl = RunControl()):
        super().__init__()
        self.limits, self.control = limits, control  # control: where the run's progress counts go

    def display_data(self) -> dict:
        return config_display(limits=self.limits)

    def expand(self, records: beam.PCollection[SourceRecord]):
        return records | "Validate" >> beam.ParDo(_ParseFn(self.limits, self.control)).with_outputs(
            DEAD_LETTER_TAG, main="articles")
